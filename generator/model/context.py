"""What the model builder and its helpers for webhooks (``events``) and ignored spec parts
(``ignored``) share: the builder's state as they see it, the raw operations, the HTTP methods of
a path item, and the choices of media type and diagnostics severity that must be the same
everywhere."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any, Protocol

from generator.diagnostics import Diagnostic, warning
from generator.load.loader import Location, Spec
from generator.model.schemas import SchemaConverter

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
JSON_RE = re.compile(r"^application/([\w.+-]*\+)?json(;.*)?$|^application/json", re.I)


class BuildState(Protocol):
    """The builder's state that ``events`` and ``ignored`` read and add diagnostics to."""

    spec: Spec
    doc: dict[str, Any]
    root: Location
    diagnostics: list[Diagnostic]
    schemas: SchemaConverter


@dataclass
class RawOp:
    method: str
    path: str
    op: dict[str, Any]
    loc: Location
    path_item: dict[str, Any]
    path_loc: Location
    group_tag: str
    operation_id: str


def spec_text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def as_warnings(diags: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Problems met while building one part: the part is skipped, the rest still generates.  A
    ``$ref`` that does not resolve stays an error (the spec is broken, the client would be
    wrong); anything else becomes a warning."""
    return [d if d.code in _REF_ERRORS else replace(d, severity=min(d.severity, warning("x", "").severity))
            for d in diags]


# what the loader reports for a $ref it cannot follow (or must not)
_REF_ERRORS = frozenset({"bad-ref", "ref-cycle", "missing-file", "ref-outside", "remote-ref", "parse", "encoding",
                         "io", "yaml-aliases", "nesting", "too-large", "not-a-file"})


def pick_request_media(content: dict[str, Any]) -> str | None:
    keys = list(content)
    for pred in (JSON_RE.match, lambda m: m.startswith("multipart/form-data"),
                 lambda m: m.startswith("application/x-www-form-urlencoded"),
                 lambda m: m.startswith("application/octet-stream"), lambda m: m.startswith("text/"),
                 lambda m: True):
        for k in keys:
            if pred(k.lower()):
                return k
    return None


def pick_response_media(content: dict[str, Any]) -> str:
    """JSON first, then anything but an event stream, which is chosen only when it is all there is."""
    keys = list(content)
    for k in keys:
        if JSON_RE.match(k.lower()):
            return k
    return next((k for k in keys if not k.lower().startswith("text/event-stream")), keys[0])
