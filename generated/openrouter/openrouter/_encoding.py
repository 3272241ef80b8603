"""Turning Python values into path segments, query strings, headers and bodies.

- Path parameters are percent-encoded with nothing left safe: ``/``, ``?`` and
  ``#`` inside a value stay inside its segment; ``.`` and ``..`` are encoded so
  that they cannot climb the path; an empty value is an error.
- Query values (style ``form``, ``explode: true``): sequences repeat the key,
  mappings become ``key[sub]=value`` (``deepObject``), ``True`` -> ``true``.
  ``NOT_GIVEN`` and ``None`` are left out.
- JSON bodies: ``NOT_GIVEN`` entries are dropped at any depth; objects with a
  ``to_dict()`` method (generated models), enums, dates and UUIDs are converted.
"""

from __future__ import annotations

import enum
import functools
import re
from typing import Any, Iterable, Mapping

from ._types import NotGiven

# ``datetime``, ``json``, ``urllib.parse`` and ``uuid`` are imported by the
# functions that need them: none is needed to import a client or construct one.

__all__ = [
    "format_path",
    "encode_query",
    "encode_headers",
    "encode_cookies",
    "encode_form",
    "encode_json",
    "strip_not_given",
    "param_str",
]


@functools.cache
def _path_pieces(template: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    """``template`` split at its placeholders: the text before the first, then
    each placeholder's name with the text after it."""
    pieces = re.split(r"\{([^{}]+)\}", template)
    return pieces[0], tuple(zip(pieces[1::2], pieces[2::2]))


# What ``quote(text, safe="")`` leaves alone: a value made only of these is
# its own encoding.
_UNRESERVED = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~"
_COOKIE_SAFE = "!#$%&'()*+-./:<=>?@[]^_`{|}~"


def param_str(value: object) -> str:
    """The wire form of a scalar parameter."""
    if type(value) is str:
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, enum.Enum):
        return param_str(value.value)
    if isinstance(value, bytes):
        return value.decode()
    import datetime

    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    return str(value)


def format_path(template: str, params: Mapping[str, object]) -> str:
    """Fill ``{name}`` placeholders with percent-encoded values."""
    path, placeholders = _path_pieces(template)
    for name, text in placeholders:
        path += _path_segment(name, params) + text
    return path


def _path_segment(name: str, params: Mapping[str, object]) -> str:
    if name not in params:
        raise ValueError(f"missing path parameter {name!r}")
    value = params[name]
    if value is None or isinstance(value, NotGiven):
        raise ValueError(f"path parameter {name!r} must be given")
    text = param_str(value)
    if text == "":
        raise ValueError(f"path parameter {name!r} must not be empty")
    if text in (".", ".."):
        return text.replace(".", "%2E")
    if not text.strip(_UNRESERVED):
        return text
    from urllib.parse import quote

    return quote(text, safe="")


def _query_pairs(key: str, value: object) -> Iterable[tuple[str, str]]:
    if value is None or isinstance(value, NotGiven):
        return
    if isinstance(value, Mapping):
        for sub, item in value.items():
            yield from _query_pairs(f"{key}[{sub}]", item)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for item in value:
            if item is not None and not isinstance(item, NotGiven):
                yield key, param_str(item)
    else:
        yield key, param_str(value)


def encode_query(*queries: Mapping[str, object] | None) -> list[tuple[str, str]]:
    """Merge query mappings (later ones replace keys) into ``(key, value)`` pairs.

    In a later mapping, ``None`` removes the key; ``NOT_GIVEN`` leaves it alone.
    """
    merged: dict[str, list[tuple[str, str]]] = {}
    for query in queries:
        if not query:
            continue
        for key, value in query.items():
            if isinstance(value, NotGiven):
                continue
            pairs = list(_query_pairs(key, value))
            merged.pop(key, None)
            if pairs:
                merged[key] = pairs
    return [pair for pairs in merged.values() for pair in pairs]


def encode_headers(
    *headers: Mapping[str, object] | None,
) -> dict[str, tuple[str, str | None]]:
    """Merge header mappings, ignoring case: a later mapping's name replaces an
    earlier one. Keyed by lower-case name, each value is ``(name, value)``; a
    ``None`` value means "remove this header"."""
    merged: dict[str, tuple[str, str | None]] = {}
    for mapping in headers:
        if not mapping:
            continue
        for name, value in mapping.items():
            if isinstance(value, NotGiven):
                continue
            key = name.lower()
            merged.pop(key, None)  # the later one goes last
            merged[key] = (name, None if value is None else param_str(value))
    return merged


def encode_cookies(cookies: Mapping[str, str]) -> str:
    """A ``Cookie`` header value."""
    from urllib.parse import quote

    return "; ".join(
        f"{quote(name, safe=_COOKIE_SAFE)}={quote(value, safe=_COOKIE_SAFE)}"
        for name, value in cookies.items()
    )


def strip_not_given(value: Any) -> Any:
    """``value`` with every ``NOT_GIVEN`` removed from dicts and lists."""
    if isinstance(value, Mapping):
        return {
            k: strip_not_given(v)
            for k, v in value.items()
            if not isinstance(v, NotGiven)
        }
    if isinstance(value, (list, tuple)):
        return [strip_not_given(v) for v in value if not isinstance(v, NotGiven)]
    return value


def _json_default(value: Any) -> Any:
    to_dict = getattr(value, "to_dict", None)
    if callable(to_dict):
        return strip_not_given(to_dict())
    if isinstance(value, enum.Enum):
        return value.value
    import datetime
    import uuid

    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, (set, frozenset)):
        return list(value)
    raise TypeError(f"cannot encode {type(value).__name__} as JSON")


def encode_json(value: Any) -> bytes:
    """Compact UTF-8 JSON, as httpx would send it, accepting models and dates."""
    import json

    return json.dumps(
        strip_not_given(value),
        default=_json_default,
        ensure_ascii=False,
        separators=(",", ":"),
        allow_nan=False,
    ).encode("utf-8")


def encode_form(data: Mapping[str, object]) -> list[tuple[str, str]]:
    """Form fields (urlencoded or multipart): lists repeat the field, objects
    and arrays of objects are sent as JSON text, ``NOT_GIVEN``/``None`` omitted."""
    fields: list[tuple[str, str]] = []
    for key, value in data.items():
        if value is None or isinstance(value, NotGiven):
            continue
        items = value if isinstance(value, (list, tuple)) else [value]
        for item in items:
            if item is None or isinstance(item, NotGiven):
                continue
            if isinstance(item, (Mapping, list, tuple)) or callable(
                getattr(item, "to_dict", None)
            ):
                fields.append((key, encode_json(item).decode("utf-8")))
            else:
                fields.append((key, param_str(item)))
    return fields
