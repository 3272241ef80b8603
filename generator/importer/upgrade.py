"""Bring a fragment to OpenAPI 3.1 schema spelling.

Pages often say ``openapi: 3.1.0`` but keep 3.0 spellings (``nullable: true``, boolean
``exclusiveMinimum``).  3.1 ignores ``nullable``, so a client generated from it would reject nulls
the API sends; this step rewrites them as 3.1 type lists and reports one note per fragment.
"""

from __future__ import annotations

from generator.diagnostics import Diagnostic, Severity
from generator.importer.model import JSON, Fragment
from generator.importer.walk import objects

_NULL = {"type": "null"}


def _make_nullable(schema: dict[str, JSON]) -> None:
    kind = schema.get("type")
    if isinstance(kind, str):
        schema["type"] = kind if kind == "null" else [kind, "null"]
    elif isinstance(kind, list):
        if "null" not in kind:
            kind.append("null")
    elif "$ref" in schema:
        schema["anyOf"] = [{"$ref": schema.pop("$ref")}, dict(_NULL)]
    elif isinstance(schema.get("oneOf"), list) or isinstance(schema.get("anyOf"), list):
        key = "oneOf" if isinstance(schema.get("oneOf"), list) else "anyOf"
        options = schema[key]
        if not isinstance(options, list):
            raise AssertionError(f"{key} is not a list")
        if _NULL not in options:
            options.append(dict(_NULL))
    elif isinstance(schema.get("allOf"), list):
        schema["anyOf"] = [{"allOf": schema.pop("allOf")}, dict(_NULL)]
    enum = schema.get("enum")
    if isinstance(enum, list) and None not in enum:
        enum.append(None)


def _exclusive_bound(schema: dict[str, JSON], flag: str, bound: str) -> bool:
    value = schema.get(flag)
    if not isinstance(value, bool):
        return False
    del schema[flag]
    if value and bound in schema:
        schema[flag] = schema.pop(bound)
    return True


def upgrade_to_31(fragment: Fragment) -> list[Diagnostic]:
    doc = fragment.doc
    converted: list[str] = []
    for pointer, obj in objects(doc):
        changed = False
        if isinstance(obj.get("nullable"), bool):
            if obj.pop("nullable"):
                _make_nullable(obj)
            changed = True
        changed = _exclusive_bound(obj, "exclusiveMinimum", "minimum") or changed
        changed = _exclusive_bound(obj, "exclusiveMaximum", "maximum") or changed
        if changed:
            converted.append(pointer)
    out: list[Diagnostic] = []
    version = str(doc.get("openapi", ""))
    if version.startswith("3.0"):
        out.append(fragment.diag(Severity.NOTE, "import.upgrade", f"OpenAPI {version} document upgraded to 3.1",
                                 "/openapi"))
    if converted:
        out.append(fragment.diag(
            Severity.NOTE, "import.upgrade",
            f"{len(converted)} schema(s) used OpenAPI 3.0 keywords (`nullable`, boolean `exclusiveMinimum`/"
            f"`exclusiveMaximum`); rewritten in 3.1 form, the first one here", converted[0]))
    if not version.startswith("3.1"):
        doc["openapi"] = "3.1.0"
    return out
