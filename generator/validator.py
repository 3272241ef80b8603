"""openapi-spec-validator (all errors, 3.0 and 3.1) plus our own checks -> diagnostics.

Spec-schema violations are WARNINGs: many real specs break the letter of OpenAPI and are used
every day (``exclusiveMinimum: true`` in 3.1, repeated ``required`` entries).  ``--strict`` makes
them fatal.  What stops generation (not OpenAPI 3.x, Swagger 2.0, unreadable structure) is an
ERROR.
"""

from __future__ import annotations

import functools
from typing import Any, Iterator

from generator.diagnostics import Diagnostic, error, join_pointer, warning
from generator.loader import Location, Spec

MAX_SPEC_ERRORS = 200  # past this many schema violations, one summary line says how many more


def check_version(spec: Spec) -> list[Diagnostic]:
    doc = spec.document
    file = spec.display(spec.root)
    if not isinstance(doc, dict):
        return [error("not-openapi", f"expected an OpenAPI document (a mapping), found {type(doc).__name__}", file)]
    if "swagger" in doc:
        return [error("swagger-2", f"this is a Swagger {doc.get('swagger')} document; codegen reads OpenAPI 3.0 and "
                      "3.1: convert it first (e.g. with swagger2openapi)", file, "/swagger",
                      spec.line_of(Location(spec.root, "/swagger")))]
    version = doc.get("openapi")
    if not isinstance(version, str):
        return [error("not-openapi", "missing 'openapi' version field: not an OpenAPI 3 document", file)]
    if not (version.startswith("3.0") or version.startswith("3.1")):
        return [error("openapi-version", f"OpenAPI {version} is not supported (3.0.x and 3.1.x are)", file,
                      "/openapi", spec.line_of(Location(spec.root, "/openapi")))]
    if not isinstance(doc.get("paths", {}), dict):
        return [error("not-openapi", "'paths' must be a mapping", file, "/paths")]
    return []


def validate_spec(spec: Spec) -> list[Diagnostic]:
    """Everything openapi-spec-validator finds, as warnings with file, pointer and line."""
    diagnostics = check_version(spec)
    if diagnostics:
        return diagnostics
    validator = _validator_for(spec)
    file = spec.display(spec.root)
    seen: set[tuple[str, str]] = set()
    found: list[Diagnostic] = []
    extra = 0
    try:
        for err in validator.iter_errors():
            pointer = _pointer_of(err)
            message = _message_of(err)
            if (pointer, message) in seen:
                continue
            seen.add((pointer, message))
            if len(found) >= MAX_SPEC_ERRORS:
                extra += 1
                continue
            loc = _locate(spec, pointer)
            found.append(warning("spec", message, spec.display(loc.file), loc.pointer, spec.line_of(loc)))
    except RecursionError:
        found.append(warning("spec", "validation stopped: the document nests too deeply", file))
    except Exception as exc:  # the validator itself failing must not hide our own diagnostics
        found.append(warning("spec", f"openapi-spec-validator could not finish: {type(exc).__name__}: {exc}", file))
    if extra:
        found.append(warning("spec", f"{extra} more spec violation(s) not shown", file))
    return found


@functools.lru_cache(maxsize=None)
def _annotating(cls: type) -> type:
    """A keyword validator that records where in the document each error was found."""

    def __call__(self: Any, node: Any, *args: Any, **kwargs: Any) -> Iterator[Any]:
        parts = tuple(getattr(node, "parts", ()) or ())
        for err in cls.__call__(self, node, *args, **kwargs):
            if getattr(err, "_codegen_parts", None) is None:
                err._codegen_parts = parts
            yield err

    return type(cls.__name__, (cls,), {"__call__": __call__})


def _validator_for(spec: Spec) -> Any:
    from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator

    base = OpenAPIV31SpecValidator if str(spec.document.get("openapi")).startswith("3.1") else OpenAPIV30SpecValidator
    keywords = {name: _annotating(kv) for name, kv in base.keyword_validators.items()}
    cls = type("CodegenSpecValidator", (base,), {"keyword_validators": keywords})
    return cls(spec.document, base_uri=spec.root.as_uri())


def _pointer_of(err: Any) -> str:
    parts = tuple(getattr(err, "_codegen_parts", None) or ()) + tuple(getattr(err, "absolute_path", ()) or ())
    return join_pointer("", *parts)


def _message_of(err: Any) -> str:
    message = getattr(err, "message", None) or str(err)
    message = " ".join(str(message).split())
    return message if len(message) <= 300 else message[:297] + "..."


def _locate(spec: Spec, pointer: str) -> Location:
    """The file and pointer where a logical pointer (which may pass through $refs) really lands."""
    from generator.diagnostics import split_pointer

    loc = Location(spec.root, "")
    node: Any = spec.document
    try:
        for token in split_pointer(pointer):
            if isinstance(node, dict) and "$ref" in node and token not in node:
                node, loc = spec.resolve(node, loc)
            if isinstance(node, dict) and token in node:
                node = node[token]
            elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
                node = node[int(token)]
            else:
                return Location(spec.root, pointer)
            loc = loc.child(token)
    except Exception:
        return Location(spec.root, pointer)
    return loc
