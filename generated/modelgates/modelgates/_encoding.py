"""Turning Python values into path segments, query strings, headers and bodies.

- Path parameters are percent-encoded with nothing left safe: ``/``, ``?`` and
  ``#`` inside a value stay inside its segment; ``.`` and ``..`` are encoded so
  that they cannot climb the path; an empty value is an error.
- Query values (style ``form``, ``explode: true``): sequences repeat the key,
  mappings become ``key[sub]=value`` (``deepObject``), ``True`` -> ``true``.
  ``NOT_GIVEN`` and ``None`` are left out. This is what ``extra_query`` and
  ``default_query`` get; an operation's own parameters go through
  ``query_param``, ``path_param``, ``header_param`` and ``cookie_param``, which
  serialize by the parameter's OpenAPI ``style`` and ``explode`` (chosen when
  the client was generated) and percent-encode as RFC 6570 and RFC 3986 say.
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
    "Encoded",
    "Pairs",
    "query_param",
    "path_param",
    "header_param",
    "cookie_param",
    "content_param",
    "query_string",
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
    if type(value) is Encoded:  # serialized by ``path_param``
        if value == "":
            raise ValueError(f"path parameter {name!r} must not be empty")
        return value
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
    if type(value) is Pairs:  # serialized by ``query_param``
        yield from value
    elif isinstance(value, Mapping):
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
        f"{quote(name, safe=_COOKIE_SAFE)}="
        + (value if type(value) is Encoded else quote(value, safe=_COOKIE_SAFE))
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


# -- parameters by their OpenAPI style -----------------------------------------
#
# The generated code calls these with the style, ``explode`` and
# ``allowReserved`` of each parameter written out as literals, so a call costs
# a shape test and a join. Values arrive JSON-ready (``_serde.encode``): scalars,
# lists and dicts. ``None`` and ``NOT_GIVEN`` pass through untouched (the
# parameter is left out). Items that are themselves lists or objects, which no
# style defines, are sent as compact JSON rather than as Python reprs.


class Encoded(str):
    """Text already serialized and percent-encoded: sent exactly as it is."""

    __slots__ = ()


class Pairs(tuple):  # type: ignore[type-arg]
    """The ``(name, value)`` query pairs (or cookies) one parameter becomes;
    each value an ``Encoded`` string."""

    __slots__ = ()


# Between the items of an array (or the names and values of an object) sent
# as one query value: RFC 6570 leaves ``,`` as it is; a space, ``|`` and a tab
# must be percent-encoded in a URI (OpenAPI 3.1.1, Appendix E).
# ``tabDelimited`` is no OpenAPI style: it is Swagger 2.0's
# ``collectionFormat: tsv`` (the spec extension ``x-codegen-style``).
_DELIMITERS = {
    "form": ",",
    "spaceDelimited": "%20",
    "pipeDelimited": "%7C",
    "tabDelimited": "%09",
}
# RFC 3986 reserved characters that reserved expansion (``allowReserved``)
# leaves alone: all but ``#``, ``[`` and ``]`` (not allowed in a query) and
# ``&``, ``=`` and ``+`` (which mean something in a query string).
_RESERVED_SAFE = ":/?@!$'()*,;"


def _text(value: object) -> str:
    """One scalar as text (a nested list or object as compact JSON)."""
    if isinstance(value, (Mapping, list, tuple)):
        return encode_json(value).decode("utf-8")
    return param_str(value)


def _pct(value: object) -> str:
    """Percent-encoded with only RFC 3986's unreserved characters left."""
    text = _text(value)
    if not text.strip(_UNRESERVED):
        return text
    from urllib.parse import quote

    return quote(text, safe="")


def _pct_reserved(value: object) -> str:
    """Percent-encoded as RFC 6570 reserved expansion does: reserved
    characters and percent-encoded triples pass through."""
    from urllib.parse import quote

    text = quote(_text(value), safe=_RESERVED_SAFE + "%")
    if "%" in text:
        text = re.sub(r"%(?![0-9A-Fa-f]{2})", "%25", text)
    return text


def _items(value: Iterable[object]) -> list[object]:
    return [v for v in value if v is not None and not isinstance(v, NotGiven)]


def _members(value: Mapping[Any, object]) -> list[tuple[str, object]]:
    return [
        (str(k), v)
        for k, v in value.items()
        if v is not None and not isinstance(v, NotGiven)
    ]


def query_param(
    name: str, value: object, style: str, explode: bool, allow_reserved: bool
) -> object:
    """One query parameter's pairs, by its style (``form``,
    ``spaceDelimited``, ``pipeDelimited``, ``deepObject``)."""
    if value is None or isinstance(value, NotGiven):
        return value
    enc = _pct_reserved if allow_reserved else _pct
    if isinstance(value, Mapping):
        members = _members(value)
        if style == "deepObject":
            pairs = [
                (f"{name}[{k}]", Encoded(enc(item)))
                for k, v in members
                for item in (_items(v) if isinstance(v, (list, tuple)) else (v,))
            ]
        elif explode:  # form: each property becomes a parameter of its own
            pairs = [(k, Encoded(enc(v))) for k, v in members]
        else:
            delimiter = _DELIMITERS.get(style, ",")
            joined = delimiter.join(enc(k) + delimiter + enc(v) for k, v in members)
            pairs = [(name, Encoded(joined))] if members else []
    elif isinstance(value, (list, tuple, set, frozenset)):
        items = _items(value)
        if explode or style == "deepObject":
            pairs = [(name, Encoded(enc(v))) for v in items]
        else:
            delimiter = _DELIMITERS.get(style, ",")
            pairs = (
                [(name, Encoded(delimiter.join(enc(v) for v in items)))]
                if items
                else []
            )
    else:
        pairs = [(name, Encoded(enc(value)))]
    return Pairs(pairs)


def path_param(name: str, value: object, style: str, explode: bool) -> object:
    """One path parameter's text, by its style (``simple``, ``label``,
    ``matrix``), percent-encoded but for the style's own delimiters."""
    if value is None or isinstance(value, NotGiven):
        return value
    if style == "matrix":
        prefix, label = ";", _pct(name)
    elif style == "label":
        prefix, label = ".", ""
    else:
        prefix, label = "", ""

    def named(text: str) -> str:  # matrix: ``;name=value``; ``;name`` when empty
        return f"{label}={text}" if text else label

    if isinstance(value, Mapping):
        members = _members(value)
        if explode:
            joiner = "," if style == "simple" else prefix
            text = joiner.join(f"{_pct(k)}={_pct(v)}" for k, v in members)
            return Encoded(prefix + text)
        text = ",".join(_pct(k) + "," + _pct(v) for k, v in members)
    elif isinstance(value, (list, tuple, set, frozenset)):
        items = [_pct(v) for v in _items(value)]
        if explode and style != "simple":
            if style == "matrix":
                return Encoded("".join(prefix + named(v) for v in items))
            return Encoded("".join(prefix + v for v in items))
        text = ",".join(items)
    else:
        text = _pct(value)
        if style == "simple" and text in (".", ".."):
            text = text.replace(".", "%2E")  # a dot-segment would climb the path
    return Encoded(prefix + (named(text) if style == "matrix" else text))


def header_param(value: object, explode: bool) -> str | NotGiven | None:
    """One header's value, style ``simple``: items joined by ``,``; an
    object as ``k,v,k,v`` (``k=v,k=v`` exploded). Not percent-encoded."""
    if value is None or isinstance(value, NotGiven):
        return value
    if isinstance(value, Mapping):
        if explode:
            return ",".join(f"{k}={_text(v)}" for k, v in _members(value))
        return ",".join(f"{k},{_text(v)}" for k, v in _members(value))
    if isinstance(value, (list, tuple, set, frozenset)):
        return ",".join(_text(v) for v in _items(value))
    return _text(value)


def cookie_param(name: str, value: object, explode: bool) -> object:
    """One cookie parameter, style ``form``: an array as ``a,b,c`` (a cookie
    cannot repeat its name); an object as ``k,v,k,v``, or, exploded, one
    cookie per property. Items are percent-encoded, the commas left as
    they are."""
    from urllib.parse import quote

    if value is None or isinstance(value, NotGiven):
        return value

    def enc(item: object) -> str:
        return quote(_text(item), safe=_COOKIE_SAFE)

    if isinstance(value, Mapping):
        members = _members(value)
        if explode:
            return Pairs((k, Encoded(enc(v))) for k, v in members)
        text = ",".join(enc(k) + "," + enc(v) for k, v in members)
    elif isinstance(value, (list, tuple, set, frozenset)):
        text = ",".join(enc(v) for v in _items(value))
    else:
        text = enc(value)
    return Pairs([(name, Encoded(text))])


def content_param(value: object, media_type: str) -> str | NotGiven | None:
    """A parameter declared with ``content``: its value in that media type
    (JSON: compact, a model by ``to_dict``), to be encoded as any string is."""
    if value is None or isinstance(value, NotGiven):
        return value
    if "json" in media_type.lower():
        return encode_json(value).decode("utf-8")
    return _text(value)


def query_string(pairs: Iterable[tuple[str, str]]) -> str:
    """``name=value&...``: names and plain values percent-encoded (a space as
    ``%20``), ``Encoded`` values as they are."""
    return "&".join(
        _pct(k) + "=" + (v if type(v) is Encoded else _pct(v)) for k, v in pairs
    )
