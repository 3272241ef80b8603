"""Canonical forms used to decide whether two fragments of a spec say the same thing.

``canonical(value)`` drops what does not change the API (descriptions, summaries, titles,
examples and their wording, key order, defaults spelled out) and spells equivalent forms one way:
``nullable: true`` and ``type: [X, "null"]``, ``const: v`` and ``enum: [v]``, ``type: X`` and
``type: [X]``, lists that are sets (``required``, ``enum``, ``type``, ``tags``), parameters keyed by
``in`` and ``name``.  ``is_superset(a, b)`` says whether ``a`` says everything ``b`` says.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from generator.diagnostics import join_pointer
from generator.importer.model import JSON
from generator.importer.walk import NAME_MAPS, is_data

ANNOTATIONS = frozenset({"description", "summary", "title", "example", "examples", "externalDocs"})
_FALSE_DEFAULTS = frozenset({"required", "deprecated", "nullable", "readOnly", "writeOnly", "allowEmptyValue",
                             "allowReserved", "uniqueItems"})
_SET_LISTS = frozenset({"required", "enum", "type", "tags", "allOf", "anyOf", "oneOf", "security"})


@dataclass(frozen=True)
class Unordered:
    """A list whose order carries no meaning."""

    items: tuple[Any, ...]

    @staticmethod
    def of(values: list[Any]) -> Unordered:
        keyed = sorted({_sort_key(v): v for v in values}.items())
        return Unordered(tuple(v for _, v in keyed))


def _sort_key(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=repr)


def canonical(value: JSON, names: bool = False) -> Any:
    """The canonical form of an OpenAPI object (``names``: of a map from names to objects)."""
    if isinstance(value, list):
        return [canonical(v) for v in value]
    if not isinstance(value, dict):
        return value
    if names:
        return {k: canonical(v) for k, v in value.items()}
    out: dict[str, Any] = {}
    for key, item in value.items():
        if key in ANNOTATIONS or (key in _FALSE_DEFAULTS and item is False):
            continue
        if is_data(key, item):
            out[key] = Unordered.of(item) if key == "enum" and isinstance(item, list) else item
        elif key == "parameters" and isinstance(item, list):
            out[key] = {_parameter_key(p): canonical(p) for p in item}
        elif key in ("servers", "tags") and isinstance(item, list) and all(isinstance(s, dict) for s in item):
            field = "url" if key == "servers" else "name"
            out[key] = {str(s.get(field, "")).rstrip("/"): canonical(s) for s in item}
        elif key in _SET_LISTS and isinstance(item, list):
            out[key] = Unordered.of([canonical(v) for v in item])
        elif key == "type" and isinstance(item, str):
            out[key] = Unordered.of([item])
        else:
            out[key] = canonical(item, isinstance(item, dict) and key in NAME_MAPS and not key.startswith("x-"))
    _schema_equivalences(out)
    return out


def _parameter_key(param: JSON) -> str:
    if isinstance(param, dict) and "$ref" in param:
        return f"$ref:{param['$ref']}"
    if isinstance(param, dict):
        return f"{param.get('in')}:{param.get('name')}"
    return _sort_key(param)


def _schema_equivalences(out: dict[str, Any]) -> None:
    if "const" in out:
        out["enum"] = Unordered.of([out.pop("const")])
    if out.get("nullable") is True:
        del out["nullable"]
        if isinstance(out.get("type"), Unordered):
            out["type"] = Unordered.of([*out["type"].items, "null"])
        if isinstance(out.get("enum"), Unordered) and None not in out["enum"].items:
            out["enum"] = Unordered.of([*out["enum"].items, None])
    if out.get("additionalProperties") in (True, {}):
        del out["additionalProperties"]


def is_superset(a: Any, b: Any) -> bool:
    """``a`` says everything ``b`` says (mappings may add keys; everything else must be equal)."""
    if isinstance(a, dict) and isinstance(b, dict):
        return all(k in a and is_superset(a[k], v) for k, v in b.items())
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(is_superset(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def first_difference(a: Any, b: Any, pointer: str = "") -> str:
    """The pointer of the first place where ``a`` and ``b`` disagree (neither adds to the other)."""
    for where in _differences(a, b, pointer):
        return where
    return pointer


def _differences(a: Any, b: Any, pointer: str) -> Iterator[str]:
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(a.keys() & b.keys()):
            yield from _differences(a[key], b[key], join_pointer(pointer, key))
        for key in sorted(a.keys() ^ b.keys()):
            yield join_pointer(pointer, key)
        return
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            yield from _differences(x, y, join_pointer(pointer, i))
        return
    if a != b:
        yield pointer
