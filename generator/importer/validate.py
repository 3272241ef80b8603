"""openapi-spec-validator findings as diagnostics."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator

from generator.diagnostics import Diagnostic, error, join_pointer
from generator.importer.model import JSON


def _errors(doc: dict[str, JSON]) -> Iterator[Any]:
    version = str(doc.get("openapi", ""))
    validator = OpenAPIV30SpecValidator if version.startswith("3.0") else OpenAPIV31SpecValidator
    try:
        yield from validator(copy.deepcopy(doc)).iter_errors()
    except Exception as exc:  # a validator crash on odd input is a finding, not a traceback
        yield exc


def count_errors(doc: dict[str, JSON], limit: int = 1000) -> int:
    """How many validation errors ``doc`` has (up to ``limit``): used to rank reconstructions."""
    count = 0
    for _ in _errors(doc):
        count += 1
        if count >= limit:
            break
    return count


def validate_spec(doc: dict[str, JSON], file: str) -> list[Diagnostic]:
    """One error diagnostic per validation error, with the JSON pointer where known."""
    out: list[Diagnostic] = []
    for exc in _errors(doc):
        path = list(getattr(exc, "absolute_path", None) or getattr(exc, "path", None) or [])
        pointer = join_pointer("", *path) if path else ""
        message = getattr(exc, "message", None) or str(exc)
        out.append(error("import.invalid", f"the merged spec does not validate: {message}", file, pointer))
    return out
