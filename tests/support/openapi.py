"""OpenAPI helpers for the test servers: loading, ``$ref`` and routing.

Deliberately independent of ``generator/`` (the code under test): the mock must not share the
generator's mistakes.  Only references inside one document (``#/...``) are followed.
"""

from __future__ import annotations

import datetime as _dt
import functools
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import yaml  # type: ignore[import-untyped,unused-ignore]

JSONDocument = Mapping[str, Any]
SpecSource = JSONDocument | str | Path

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


# --------------------------------------------------------------------------------------- loading


@functools.lru_cache(maxsize=16)
def _load_file(path: str, mtime_ns: int) -> dict[str, Any]:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with open(path, "rb") as f:
        data = yaml.load(f, Loader=loader)  # noqa: S506 - a SafeLoader (libyaml's when present)
    if not isinstance(data, dict):
        raise ValueError(f"{path}: not an OpenAPI document (top level is {type(data).__name__})")
    return data


def load_document(source: SpecSource) -> JSONDocument:
    """A spec as a mapping: given one, or read from a YAML/JSON file (cached; do not mutate it)."""
    if isinstance(source, Mapping):
        return source
    path = Path(source).resolve()
    return _load_file(str(path), path.stat().st_mtime_ns)


def base_path(document: JSONDocument) -> str:
    """The path part of the first server URL (variables at their defaults), without a final '/'."""
    servers = document.get("servers") or []
    if not servers or not isinstance(servers[0], Mapping):
        return ""
    server = servers[0]
    url = str(server.get("url", ""))
    for name, variable in (server.get("variables") or {}).items():
        url = url.replace("{" + str(name) + "}", str(variable.get("default", "")))
    path = urlsplit(url).path if "://" in url else url.split("?", 1)[0]
    return "/" + path.strip("/") if path.strip("/") else ""


def json_default(value: object) -> object:
    """`json.dumps` fallback for values YAML produces but JSON lacks (unquoted dates)."""
    if isinstance(value, (_dt.date, _dt.datetime, _dt.time)):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def dump_json(value: object) -> bytes:
    return json.dumps(value, default=json_default, ensure_ascii=False).encode("utf-8")


# ------------------------------------------------------------------------------------------ $ref


class Resolver:
    """Follows ``#/...`` JSON pointers inside one document."""

    def __init__(self, document: JSONDocument) -> None:
        self.document = document

    def lookup(self, ref: str) -> Any:
        if not ref.startswith("#"):
            raise ValueError(f"only references inside the document are supported: {ref!r}")
        node: Any = self.document
        for raw in unquote(ref[1:]).split("/")[1:]:
            token = raw.replace("~1", "/").replace("~0", "~")
            if isinstance(node, Mapping):
                node = node[token]
            elif isinstance(node, list):
                node = node[int(token)]
            else:
                raise KeyError(f"{ref!r}: cannot descend into {type(node).__name__}")
        return node

    def deref(self, node: Any) -> Any:
        """`node` with ``$ref`` chains followed (cycle-safe); other nodes returned unchanged."""
        seen: set[str] = set()
        while isinstance(node, Mapping) and isinstance(node.get("$ref"), str):
            ref = node["$ref"]
            if ref in seen:
                raise ValueError(f"$ref cycle through {ref!r}")
            seen.add(ref)
            node = self.lookup(ref)
        return node


# --------------------------------------------------------------------------------------- routing

_PARAM = re.compile(r"\{([^{}/]+)\}")


@dataclass(frozen=True)
class PathTemplate:
    """A path like ``/workspaces/{id}`` matched against raw (still percent-encoded) paths."""

    template: str
    regex: re.Pattern[str]
    names: tuple[str, ...]

    @classmethod
    def compile(cls, template: str) -> PathTemplate:
        # Some specs key paths like "/responses?beta=true" or "/x#stream": match the path alone.
        clean = re.split(r"[?#]", template, maxsplit=1)[0] or "/"
        names: list[str] = []
        pattern, pos = "", 0
        for m in _PARAM.finditer(clean):
            pattern += re.escape(clean[pos : m.start()]) + f"(?P<p{len(names)}>[^/]+)"
            names.append(m.group(1))
            pos = m.end()
        pattern += re.escape(clean[pos:])
        return cls(template, re.compile(pattern.rstrip("/") + "/?"), tuple(names))

    def match(self, raw_path: str) -> dict[str, str] | None:
        m = self.regex.fullmatch(raw_path)
        if m is None:
            return None
        return {name: unquote(m.group(f"p{i}")) for i, name in enumerate(self.names)}

    @property
    def specificity(self) -> tuple[int, int]:
        """Sort key: literal paths before templated ones, longer literals first."""
        literal = len(_PARAM.sub("", self.template))
        return (len(self.names), -literal)


@dataclass(frozen=True)
class OperationMatch:
    method: str
    template: str
    path_params: dict[str, str]
    operation: Mapping[str, Any]

    @property
    def operation_id(self) -> str | None:
        value = self.operation.get("operationId")
        return str(value) if value is not None else None


class Router:
    """Finds the operation of a document for a method and a path relative to the base path."""

    def __init__(self, document: JSONDocument, resolver: Resolver) -> None:
        entries: list[tuple[PathTemplate, str, Mapping[str, Any]]] = []
        for template, item in (document.get("paths") or {}).items():
            item = resolver.deref(item)
            if not isinstance(item, Mapping):
                continue
            compiled = PathTemplate.compile(str(template))
            for method in HTTP_METHODS:
                operation = item.get(method)
                if isinstance(operation, Mapping):
                    entries.append((compiled, method.upper(), operation))
        entries.sort(key=lambda e: e[0].specificity)
        self._entries = entries

    def match(self, method: str, raw_path: str) -> OperationMatch | None:
        for template, op_method, operation in self._entries:
            if op_method != method.upper():
                continue
            params = template.match(raw_path)
            if params is not None:
                return OperationMatch(op_method, template.template, params, operation)
        return None
