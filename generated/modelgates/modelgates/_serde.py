"""JSON <-> Python for the generated models.

Every generated model is a slotted dataclass that extends ``Model`` and declares, beside its
fields, a ``Codec``: the fields whose JSON values need converting (dates, UUIDs, nested models),
JSON names that differ from the attribute names, and constant fields.  Everything else follows
from the dataclass fields themselves:

- a field without a default is required, one with a default (``None``) optional; a field the
  server leaves out reads its default (``None``), a null reads ``None``;
- the model remembers which fields the JSON had (or the constructor was given):
  ``model_fields_set``, as pydantic's; ``to_dict`` writes those fields and every other field
  whose value is not ``None``, so decode -> encode gives back exactly the JSON it was given.

``from_dict`` and ``to_dict`` are compiled for each class the first time they are used (as
``dataclasses`` compiles ``__init__``): straight-line code with no per-field lookups.  The
compiled source names only the class's own attribute names (Python identifiers, checked);
JSON names and converters are passed in as values, never written into the source.

The module also holds RFC 3339 dates, base64, open enums, union matching and a generic encoder
for values whose type is only known at run time.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as _dt
import enum
import keyword
import uuid
from typing import Any, Callable, ClassVar, Mapping, Sequence, TypeVar

from ._types import NOT_GIVEN, NotGiven

__all__ = [
    "Model",
    "Codec",
    "list_of",
    "map_of",
    "DATETIME",
    "DATE",
    "UUID",
    "BYTES",
    "parse_datetime",
    "parse_date",
    "format_datetime",
    "format_date",
    "parse_uuid",
    "b64decode",
    "b64encode",
    "extras",
    "open_enum",
    "StrEnum",
    "IntEnum",
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
    if type(value) is str:
        # what uuid.UUID(value) accepts, built without its per-call overhead (it is immutable:
        # its two slots are set as its own constructor sets them)
        digits = value.replace("-", "")
        if len(digits) == 32:
            try:
                number = int(digits, 16)
            except ValueError:
                return value  # type: ignore[return-value]
            if number >= 0:
                u = _new_uuid(uuid.UUID)
                _set_slot(u, "int", number)
                _set_slot(u, "is_safe", _UNKNOWN_SAFETY)
                return u
    if isinstance(value, uuid.UUID) or not isinstance(value, str):
        return value
    try:
        return uuid.UUID(value)
    except ValueError:
        return value  # type: ignore[return-value]


_new_uuid = object.__new__
_set_slot = object.__setattr__
_UNKNOWN_SAFETY = (
    uuid.SafeUUID.unknown
)  # (an enum member: slow to look up on every call)


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


class StrEnum(str, enum.Enum):
    """The base of generated string enums: a member is its value everywhere (``str()``,
    ``format()``, f-strings, ``==``); a value the spec does not list is kept as a member.
    """

    def __str__(self) -> str:
        return str.__str__(self)

    def __format__(self, format_spec: str) -> str:
        return str.__format__(str.__str__(self), format_spec)

    @classmethod
    def _missing_(cls, value: object) -> Any:
        return open_enum(cls, value)


class IntEnum(int, enum.Enum):
    """The base of generated integer enums: ``str()`` and ``format()`` give the number."""

    def __str__(self) -> str:
        return int.__repr__(self)

    def __format__(self, format_spec: str) -> str:
        return int.__format__(int(self), format_spec)

    @classmethod
    def _missing_(cls, value: object) -> Any:
        return open_enum(cls, value)


def best_match(value: Mapping[str, Any], candidates: Sequence[type]) -> int:
    """Index of the model class that fits a JSON object best (deterministic, never fails).

    A candidate whose constant fields (``type: const "text"``) disagree is ruled out; then the one
    whose required fields are all present wins, with most known fields present, fewest missing
    fields, and declaration order breaking ties.
    """
    keys = value.keys()
    best, best_score = 0, None
    for i, cls in enumerate(candidates):
        plan = _plan(cls)
        consts = plan.consts
        if any(k in value and value[k] != v for k, v in consts.items()):
            continue
        fields = plan.known
        required = plan.required
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


# -- models -------------------------------------------------------------------------------------

_M = TypeVar("_M", bound="Model")


class Codec:
    """What a model's dataclass fields do not say about its JSON (see the module docstring).

    ``convert`` is called once, on first use, so it may name classes defined further down the
    module.  It maps an attribute name (``additional_properties`` for the values of undeclared
    properties) to the model class of the value, or to a ``(decode, encode)`` pair of functions,
    ``None`` where the JSON value is the Python value already.  A null is never converted.
    ``wire`` maps attribute names to JSON names where the two differ; ``consts`` maps the JSON
    name of a constant field to its value (a server that leaves it out still decodes);
    ``optional_consts`` those of optional properties: they rule out union members as ``consts``
    do, but one a server leaves out stays out (it reads ``None``), so decoded data re-encodes as
    it came.  (Either kind defaults to its value in the dataclass: a model the user builds sends
    it.)

    A base class whose schema has a ``discriminator`` (subtypes extend it with ``allOf``) names
    the JSON property in ``tag`` and maps its values to subclasses in ``subtypes`` (called once,
    like ``convert``): ``from_dict`` of the base, or of any class between, returns the subclass
    the value names.
    """

    __slots__ = ("convert", "wire", "consts", "optional_consts", "tag", "subtypes")

    def __init__(
        self,
        convert: Callable[[], Mapping[str, Any]] | None = None,
        *,
        wire: Mapping[str, str] | None = None,
        consts: Mapping[str, Any] | None = None,
        optional_consts: Mapping[str, Any] | None = None,
        tag: str | None = None,
        subtypes: Callable[[], Mapping[str, type]] | None = None,
    ) -> None:
        self.convert = convert
        self.wire = wire or {}
        self.consts = consts or {}
        self.optional_consts = optional_consts or {}
        self.tag = tag
        self.subtypes = subtypes


@dataclasses.dataclass(kw_only=True, slots=True)
class Model:
    """The base of every generated model."""

    additional_properties: dict[str, Any] = dataclasses.field(default_factory=dict)
    """The properties the declared fields do not hold, kept as received."""

    _fields_set: Any = dataclasses.field(
        default=None, init=False, repr=False, compare=False
    )
    # which fields were given (decoded or passed to the constructor): their JSON names; None
    # when every field counts as given

    _CODEC: ClassVar[Codec] = Codec()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        # Each class gets methods of its own, compiled on first use: a subclass never runs the
        # code compiled for its base.  (No super(): dataclass(slots=True) replaces the class.)
        setattr(cls, "from_dict", classmethod(_first_from_dict))
        setattr(cls, "to_dict", _first_to_dict)
        init = cls.__dict__.get("__init__")
        if init is not None and not getattr(init, "_tracks_fields", False):
            # the dataclass's __init__ (on the slotted class dataclass makes): remember which
            # fields the caller passed
            setattr(cls, "__init__", _tracking_init(init))

    @property
    def model_fields_set(self) -> frozenset[str]:
        """The names of the fields the JSON had (or the constructor was given), as pydantic's
        ``model_fields_set``: a field that reads ``None`` may have been null or absent.
        """
        plan = _plan(type(self))
        given = self._fields_set
        return frozenset(
            attr for attr, key, _, _ in plan.fields if given is None or key in given
        )

    @classmethod
    def from_dict(cls: type[_M], d: Mapping[str, Any]) -> _M:
        """Decode the JSON object ``d``."""
        return _first_from_dict(cls, d)  # type: ignore[no-any-return]

    def to_dict(self) -> dict[str, Any]:
        """Encode as a JSON object (fields left unset are left out)."""
        return _first_to_dict(self)


def _tracking_init(init: Callable[..., None]) -> Callable[..., None]:
    def __init__(self: Any, **kwargs: Any) -> None:
        init(self, **kwargs)
        keys = _plan(type(self)).keys
        self._fields_set = frozenset(keys[name] for name in kwargs if name in keys)

    __init__._tracks_fields = True  # type: ignore[attr-defined]
    __init__.__wrapped__ = init  # type: ignore[attr-defined]
    __init__.__doc__ = init.__doc__
    return __init__


Pair = tuple[Callable[[Any], Any] | None, Callable[[Any], Any] | None]

DATETIME: Pair = (parse_datetime, format_datetime)
DATE: Pair = (parse_date, format_date)
UUID: Pair = (parse_uuid, str)
BYTES: Pair = (b64decode, b64encode)


def _pair(conv: Any) -> Pair:
    if isinstance(conv, type) and issubclass(conv, Model):
        cls = conv
        return (lambda v: cls.from_dict(v)), (lambda v: v.to_dict())
    decode, encode = conv
    return decode, encode


def list_of(item: Any) -> Pair:
    """The codec entry of a list whose items convert with ``item`` (a model class or a pair);
    null items stay null."""
    dec, enc = _pair(item)
    return (
        None if dec is None else (lambda v: [x if x is None else dec(x) for x in v]),
        None if enc is None else (lambda v: [x if x is None else enc(x) for x in v]),
    )


def map_of(value: Any) -> Pair:
    """The codec entry of an object whose values convert with ``value``; null values stay null."""
    dec, enc = _pair(value)
    return (
        (
            None
            if dec is None
            else (lambda v: {k: x if x is None else dec(x) for k, x in v.items()})
        ),
        (
            None
            if enc is None
            else (lambda v: {k: x if x is None else enc(x) for k, x in v.items()})
        ),
    )


class _Plan:
    """A model class's fields as its codec sees them."""

    __slots__ = (
        "fields",
        "known",
        "required",
        "consts",
        "fill",
        "optional",
        "extra",
        "keys",
        "tag",
        "subtypes",
    )

    def __init__(self, cls: type) -> None:
        convert: dict[str, Any] = {}
        wire: dict[str, str] = {}
        consts: dict[str, Any] = {}
        optional: dict[str, Any] = {}
        subtypes: dict[str, type] = {}
        self.tag: str | None = None
        for k in reversed(cls.__mro__):
            codec = k.__dict__.get("_CODEC")
            if isinstance(codec, Codec):
                if codec.convert is not None:
                    convert.update(codec.convert())
                wire.update(codec.wire)
                consts.update(codec.consts)
                optional.update(codec.optional_consts)
                if codec.tag is not None and codec.subtypes is not None:
                    self.tag = codec.tag
                    subtypes.update(codec.subtypes())
        # the subclasses of this class that a tag value names (a base's table serves the classes
        # between it and its subtypes)
        self.subtypes = {
            value: sub
            for value, sub in subtypes.items()
            if sub is not cls and issubclass(sub, cls)
        }
        # (attribute, JSON name, kind, converter): kind "R" required (no default), "O" optional
        self.fields: list[tuple[str, str, str, Any]] = []
        for f in dataclasses.fields(cls):
            if f.name in ("additional_properties", "_fields_set"):
                continue
            required = (
                f.default is dataclasses.MISSING
                and f.default_factory is dataclasses.MISSING
            )
            self.fields.append(
                (
                    f.name,
                    wire.get(f.name, f.name),
                    "R" if required else "O",
                    convert.get(f.name),
                )
            )
        self.known = frozenset(key for _, key, _, _ in self.fields)
        self.required = frozenset(key for _, key, kind, _ in self.fields if kind == "R")
        self.consts = {**optional, **consts}  # every constant: they pick union members
        self.fill = consts  # the constants filled in when a server leaves them out
        self.optional = frozenset(optional)  # the constants left out when a server does
        self.extra = convert.get("additional_properties")
        self.keys = {attr: key for attr, key, _, _ in self.fields}


_PLANS: dict[type, _Plan] = {}


def _plan(cls: type) -> _Plan:
    plan = _PLANS.get(cls)
    if plan is None:
        plan = _PLANS[cls] = _Plan(cls)
    return plan


def _first_from_dict(cls: type, d: Mapping[str, Any]) -> Any:
    # reached through a reference taken before the first call (e.g. a bound method kept by
    # the caller): later calls through it go straight to the compiled function
    return _compile(cls)[0](cls, d)


def _first_to_dict(self: Any) -> dict[str, Any]:
    result: dict[str, Any] = _compile(type(self))[1](self)
    return result


_COMPILED: dict[type, tuple[Callable[..., Any], Callable[[Any], dict[str, Any]]]] = {}


def _codec_parts(
    conv: Any, name: str, var: str, ns: dict[str, Any]
) -> tuple[str | None, str | None]:
    """Decode and encode expressions of ``var`` for a converter (None: the value as it is);
    the functions and classes they call are put in ``ns`` under names made from ``name``.
    """
    if conv is None:
        return None, None
    if isinstance(conv, type) and issubclass(conv, Model):
        ns[name] = conv
        return f"{name}.from_dict({var})", f"{var}.to_dict()"
    decode, encode = conv
    dec = enc = None
    if decode is not None:
        ns["d" + name] = decode
        dec = f"d{name}({var})"
    if encode is not None:
        ns["e" + name] = encode
        enc = f"e{name}({var})"
    return dec, enc


def _dispatching(
    decode: Callable[..., Any], tag: str, subtypes: Mapping[str, type]
) -> Callable[..., Any]:
    """``from_dict`` of a base class: the subclass the value's tag names decodes it."""
    find = subtypes.get

    def from_dict(cls: type, d: Mapping[str, Any]) -> Any:
        value = d.get(tag)
        sub = find(value) if type(value) is str else None
        if sub is not None:
            return sub.from_dict(d)  # type: ignore[attr-defined]
        return decode(cls, d)

    return from_dict


def _compile(
    cls: type,
) -> tuple[Callable[..., Any], Callable[[Any], dict[str, Any]]]:
    """``from_dict`` and ``to_dict`` compiled for ``cls`` (once), and put on the class.

    ``from_dict`` reads every field with ``d[key]`` (the common case: all there, noted as
    ``None``) and falls back to a version that reads them with ``d.get`` and notes which were
    there; ``to_dict`` writes every field when all were there, else a field
    when it was there or holds a value other than ``None``.
    """
    done = _COMPILED.get(cls)
    if done is not None:
        return done
    plan = _plan(cls)
    ns: dict[str, Any] = {
        "new": object.__new__,
        "M": NOT_GIVEN,
        "known": plan.known,
        "extras": extras,
    }
    # from_dict: every field read with d[key] (the common case: all there), else the slow
    # version, which reads them with d.get and notes which were there
    fast = ["def from_dict(cls, d):", "    try:", "        o = new(cls)"]
    slow = ["def slow(cls, d):", "    get = d.get", "    o = new(cls)"]
    reads: list[str] = []
    display: list[str] = []  # to_dict when every field was there
    enc_lines: list[str] = []  # to_dict otherwise
    xdec, xenc = _codec_parts(plan.extra, "cx", "v", ns)
    for i, (attr, key, kind, conv) in enumerate(plan.fields):
        if not attr.isidentifier() or keyword.iskeyword(attr):
            raise TypeError(f"{cls.__name__}: field {attr!r} is not an identifier")
        ns[f"k{i}"] = key
        dec, enc = _codec_parts(conv, f"c{i}", f"v{i}", ns)
        value = f"{dec} if v{i} is not None else None" if dec else f"v{i}"
        fast += [f"        v{i} = d[k{i}]", f"        o.{attr} = {value}"]
        default = "M"
        if key in plan.fill:
            ns[f"z{i}"] = plan.fill[key]
            default = f"z{i}"
        slow.append(f"    v{i} = get(k{i}, {default})")
        absent = "None"
        if kind == "O" and key not in plan.optional:
            f_default = next(
                f.default for f in dataclasses.fields(cls) if f.name == attr
            )
            if f_default is not None:
                ns[f"f{i}"] = f_default
                absent = f"f{i}"
        slow.append(
            f"    o.{attr} = {absent} if v{i} is M else {value}"
            if default == "M"
            else f"    o.{attr} = {value}"
        )
        reads.append(f"    v{i} = self.{attr}")
        out = f"{enc} if v{i} is not None else None" if enc else f"v{i}"
        display.append(f"k{i}: {out}")
        enc_lines += [
            f"        if v{i} is not None or k{i} in m:",
            f"            d[k{i}] = {out}",
        ]
    rest = "extras(d, known)"
    if xdec is not None:
        rest = f"{{k: v if v is None else {xdec} for k, v in {rest}.items()}}"
    fast += [
        "    except KeyError:",
        "        return slow(cls, d)",
        "    o._fields_set = None",
        f"    if len(d) == {len(plan.fields)}:",
        "        o.additional_properties = {}",
        "    else:",
        f"        o.additional_properties = {rest}",
        "    return o",
    ]
    slow += [
        "    m = known & d.keys()",
        f"    o._fields_set = None if len(m) == {len(plan.fields)} else m",
    ]
    slow += [
        "    if d.keys() <= known:",
        "        o.additional_properties = {}",
        "    else:",
        f"        o.additional_properties = {rest}",
        "    return o",
    ]
    dec_lines = slow + fast
    to_dict = (
        ["def to_dict(self):"]
        + reads
        + ["    m = self._fields_set", "    if m is None:"]
    )
    to_dict.append(f"        d = {{{', '.join(display)}}}")
    if enc_lines:
        to_dict += ["    else:", "        d = {}"] + enc_lines
    to_dict += ["    x = self.additional_properties", "    if x:"]
    if xenc is None:
        to_dict.append("        d = {**x, **d}")
    else:
        to_dict.append(
            f"        d = {{**{{k: v if v is None else {xenc} for k, v in x.items()}}, **d}}"
        )
    to_dict.append("    return d")
    source = "\n".join(dec_lines + to_dict)
    exec(compile(source + "\n", f"<codec of {cls.__qualname__}>", "exec"), ns)
    decode = ns["from_dict"]
    if plan.tag is not None and plan.subtypes:
        decode = _dispatching(decode, plan.tag, plan.subtypes)
    done = _COMPILED[cls] = (decode, ns["to_dict"])
    setattr(cls, "from_dict", classmethod(done[0]))
    setattr(cls, "to_dict", done[1])
    return done
