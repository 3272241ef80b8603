"""Traversals of an OpenAPI document that never step into example data."""

from __future__ import annotations

from collections.abc import Iterator

from generator.diagnostics import join_pointer
from generator.importer.model import JSON

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
COMPONENT_SECTIONS = ("schemas", "responses", "parameters", "examples", "requestBodies", "headers",
                      "securitySchemes", "links", "callbacks", "pathItems")
# keywords whose value is data, not OpenAPI structure
DATA_KEYS = frozenset({"example", "default", "const", "enum", "value"})
# keywords whose value maps names (chosen by the API author) to objects
NAME_MAPS = frozenset({"properties", "patternProperties", "$defs", "definitions", "dependentSchemas", "paths",
                       "webhooks", "responses", "content", "headers", "links", "encoding", "variables", "mapping",
                       "scopes", "callbacks", "examples", "dependentRequired", *COMPONENT_SECTIONS})


def is_data(key: str, value: JSON) -> bool:
    """Whether keyword ``key`` of an OpenAPI object holds data (examples, defaults) rather than structure."""
    return key in DATA_KEYS or (key == "examples" and isinstance(value, list))


def children(node: dict[str, JSON], names: bool) -> Iterator[tuple[str, JSON, bool]]:
    """``(key, value, value_is_name_map)`` of a mapping that is an object (``names`` false) or a name map."""
    for key, value in node.items():
        if names:
            yield key, value, False
        elif not is_data(key, value):
            yield key, value, isinstance(value, dict) and key in NAME_MAPS and not key.startswith("x-")


def objects(node: JSON, pointer: str = "") -> Iterator[tuple[str, dict[str, JSON]]]:
    """Every OpenAPI object in ``node`` with its pointer, depth first, never inside example data."""
    stack: list[tuple[str, JSON, bool]] = [(pointer, node, False)]
    while stack:
        here, value, names = stack.pop()
        if isinstance(value, dict):
            if not names:
                yield here, value
            for key, child, child_names in reversed(list(children(value, names))):
                stack.append((join_pointer(here, key), child, child_names))
        elif isinstance(value, list):
            for i in reversed(range(len(value))):
                stack.append((join_pointer(here, i), value[i], False))


def operations(doc: dict[str, JSON]) -> Iterator[tuple[str, str, dict[str, JSON]]]:
    """``(path, method, operation)`` for every operation under ``paths``."""
    paths = doc.get("paths")
    if not isinstance(paths, dict):
        return
    for path, item in paths.items():
        if not isinstance(item, dict):
            continue
        for method in HTTP_METHODS:
            op = item.get(method)
            if isinstance(op, dict):
                yield path, method, op


def op_pointer(path: str, method: str, *more: str | int) -> str:
    return join_pointer("", "paths", path, method, *more)


def count_nodes(value: JSON) -> int:
    if isinstance(value, dict):
        return 1 + sum(count_nodes(v) for v in value.values())
    if isinstance(value, list):
        return 1 + sum(count_nodes(v) for v in value)
    return 1
