"""JSON <-> Python helpers shared by the generated models.

Generated ``from_dict``/``to_dict`` methods are explicit code; this module holds only what they
share: RFC 3339 dates, base64, extra fields, open enums, union matching and a generic encoder
for values whose type is only known at run time.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as _dt
import enum
import uuid
from typing import Any, Mapping, Sequence

from ._types import NotGiven

__all__ = [
    "parse_datetime",
    "parse_date",
    "format_datetime",
    "format_date",
    "parse_uuid",
    "b64decode",
    "b64encode",
    "extras",
    "open_enum",
    "best_match",
    "no_match",
    "encode",
]


def parse_datetime(value: Any) -> _dt.datetime:
    """RFC 3339 / ISO 8601 date-time.  A value that does not parse is kept as it came (so a
    server's odd timestamp never fails the whole response, and re-encodes unchanged)."""
    if isinstance(value, _dt.datetime) or not isinstance(value, str):
        return value
    text = value[:-1] + "+00:00" if value.endswith(("Z", "z")) else value
    try:
        return _dt.datetime.fromisoformat(text)
    except ValueError:
        return value  # type: ignore[return-value]


def parse_date(value: Any) -> _dt.date:
    """An RFC 3339 full-date; kept as it came when it does not parse."""
    if isinstance(value, _dt.date) or not isinstance(value, str):
        return value
    try:
        return _dt.date.fromisoformat(value)
    except ValueError:
        return value  # type: ignore[return-value]


def parse_uuid(value: Any) -> uuid.UUID:
    """A UUID; kept as it came when it does not parse."""
    if isinstance(value, uuid.UUID) or not isinstance(value, str):
        return value
    try:
        return uuid.UUID(value)
    except ValueError:
        return value  # type: ignore[return-value]


def format_datetime(value: _dt.datetime) -> str:
    """RFC 3339: UTC is written with ``Z``."""
    if not isinstance(value, _dt.datetime):
        return value  # a value kept as it came
    text = value.isoformat()
    if text.endswith("+00:00"):
        text = text[:-6] + "Z"
    return text


def format_date(value: _dt.date) -> str:
    if not isinstance(value, _dt.date):
        return value
    return value.isoformat()


def b64decode(value: Any) -> bytes:
    return base64.b64decode(value)


def b64encode(value: bytes) -> str:
    return base64.b64encode(value).decode("ascii")


def extras(
    d: Mapping[str, Any],
    known: frozenset[str],
    never_null: frozenset[str] = frozenset(),
) -> dict[str, Any]:
    """The properties of ``d`` that the model's fields cannot hold (kept, never dropped):
    undeclared ones, and explicit nulls in ``never_null`` fields (the field itself reads None).
    """
    unknown = d.keys() - known
    if never_null:
        unknown |= {k for k in never_null & d.keys() if d[k] is None}
    if not unknown:
        return {}
    return {k: d[k] for k in d if k in unknown}


def open_enum(cls: type[enum.Enum], value: object) -> Any:
    """``_missing_`` for generated enums: a value the spec does not list becomes a member.

    The new member compares equal to its plain value, is cached, and is not added to the
    enum's iteration order, so ``list(Enum)`` still lists the spec's values.
    """
    base: Any = str if issubclass(cls, str) else int
    if not isinstance(value, base) or isinstance(value, bool):
        return None
    member = base.__new__(cls, value)
    member._name_ = str(value)
    member._value_ = value
    cls._value2member_map_.setdefault(value, member)
    return cls._value2member_map_[value]


def best_match(value: Mapping[str, Any], candidates: Sequence[type]) -> int:
    """Index of the model class that fits a JSON object best (deterministic, never fails).

    A candidate whose constant fields (``type: const "text"``) disagree is ruled out; then the one
    whose required fields are all present wins, with most known fields present, fewest missing
    fields, and declaration order breaking ties.
    """
    keys = value.keys()
    best, best_score = 0, None
    for i, cls in enumerate(candidates):
        consts: Mapping[str, Any] = getattr(cls, "_CONSTS", {})
        if any(k in value and value[k] != v for k, v in consts.items()):
            continue
        fields: frozenset[str] = getattr(cls, "_FIELDS", frozenset())
        required: frozenset[str] = getattr(cls, "_REQUIRED", frozenset())
        has_required = required <= keys
        present = len(fields & keys)
        missing = len(fields - keys)
        unknown = len(keys - fields)
        score = (
            has_required,
            sum(1 for k in consts if k in value),
            present,
            -unknown,
            -missing,
        )
        if best_score is None or score > best_score:
            best, best_score = i, score
    return best


def no_match(union: str, value: object) -> ValueError:
    return ValueError(
        f"{type(value).__name__} value does not match any variant of {union}"
    )


def encode(value: Any) -> Any:
    """JSON-ready data from any value a generated model or method may hold."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    to_dict = getattr(value, "to_dict", None)
    if to_dict is not None and dataclasses.is_dataclass(value):
        return to_dict()
    if isinstance(value, Mapping):
        return {
            str(k): encode(v) for k, v in value.items() if not isinstance(v, NotGiven)
        }
    if isinstance(value, (list, tuple)):
        return [encode(v) for v in value]
    if isinstance(value, _dt.datetime):
        return format_datetime(value)
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, (bytes, bytearray)):
        return b64encode(bytes(value))
    if isinstance(value, enum.Enum):
        return value.value
    return value
