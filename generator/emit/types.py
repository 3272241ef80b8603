"""IR types -> Python: annotations, JSON decode/encode expressions, and what a module must import.

``TypeRenderer`` is the one place that decides how a type of the intermediate model is written in
the generated code; the views ask it for every annotation and codec expression they print.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from generator.emit.layout import Br
from generator.emit.literals import pyrepr
from generator.model import ir
from generator.model.build import refs_in_type

# the runtime's (decode, encode) pairs for the scalars that convert (see ``TypeRenderer.decode``)
_SCALAR_CODECS = {"datetime": "_serde.DATETIME", "date": "_serde.DATE", "uuid": "_serde.UUID", "bytes": "_serde.BYTES"}


class TypeRenderer:
    """Python annotations and JSON codec expressions for IR types."""

    def __init__(self, definitions: dict[str, ir.Definition], shadowed: Iterable[str] = ()) -> None:
        self.definitions = definitions
        self.shadowed = set(shadowed)  # builtin names hidden by a method in the class being rendered
        self._n = 0

    def b(self, name: str) -> str:
        return f"builtins.{name}" if name in self.shadowed else name

    def annotation(self, t: ir.TypeRef | None, files: bool = False, inputs: bool = False) -> str:
        """``inputs``: the type a caller may pass (a uuid also as a plain string)."""
        if t is None:
            return "None"
        if isinstance(t, ir.Prim):
            return {
                "str": self.b("str"), "int": self.b("int"), "float": self.b("float"), "bool": self.b("bool"),
                "any": "Any", "none": "None", "datetime": "_dt.datetime", "date": "_dt.date",
                "uuid": f"{self.b('str')} | _uuid.UUID" if inputs else "_uuid.UUID", "bytes": self.b("bytes"),
                "binary": "FileTypes" if files else self.b("str"),
            }[t.kind]
        if isinstance(t, ir.ListOf):
            return f"{self.b('list')}[{self.annotation(t.item, files, inputs)}]"
        if isinstance(t, ir.MapOf):
            return f"{self.b('dict')}[{self.b('str')}, {self.annotation(t.value, files, inputs)}]"
        if isinstance(t, ir.Ref):
            return t.name
        if isinstance(t, ir.LiteralOf):
            return "Literal[" + ", ".join(pyrepr(v) for v in t.values) + "]"
        if isinstance(t, ir.Nullable):
            inner = self.annotation(t.inner, files, inputs)
            return inner if inner in ("Any", "None") else f"{inner} | None"
        if isinstance(t, ir.AnyOf):
            parts = []
            for v in t.variants:
                a = self.annotation(v, files, inputs)
                if a not in parts:
                    parts.append(a)
            return "Any" if "Any" in parts else " | ".join(parts)
        raise TypeError(t)

    def runtime(self, t: ir.TypeRef | None) -> str:
        """The annotation of ``t`` for a place Python evaluates at import time (a type argument of
        ``Endpoint[...]``, a base class's ``SyncPage[...]``), where ``from __future__ import
        annotations`` does not apply.  A union alias is a string there (``U: TypeAlias = "A | B"``,
        so that it can name models defined after it or in a module loaded later), and a string
        cannot stand beside ``|``: such an expression is quoted whole, as a forward reference."""
        text = self.annotation(t)
        if "|" in text and any(not isinstance(self.definitions.get(n), (ir.ModelDef, ir.EnumDef))
                               for n in refs_in_type(t)):
            return pyrepr(text)
        return text

    def is_identity(self, t: ir.TypeRef) -> bool:
        """Whether JSON values of this type are already the Python values (no conversion)."""
        if isinstance(t, ir.Prim):
            return t.kind in ("str", "int", "float", "bool", "any", "none", "binary")
        if isinstance(t, (ir.ListOf,)):
            return self.is_identity(t.item)
        if isinstance(t, ir.MapOf):
            return self.is_identity(t.value)
        if isinstance(t, ir.Nullable):
            return self.is_identity(t.inner)
        if isinstance(t, (ir.LiteralOf, ir.AnyOf)):
            return True
        if isinstance(t, ir.Ref):
            d = self.definitions.get(t.name)
            return d is None  # an unknown name cannot be decoded: leave the value alone
        return True

    def _var(self) -> str:
        self._n += 1
        return f"_v{self._n}"

    def decode(self, t: ir.TypeRef, src: str) -> str:
        """Expression turning the JSON value ``src`` (a name or subscript) into a Python value."""
        if self.is_identity(t):
            return src
        if isinstance(t, ir.Prim):
            return {"datetime": "_serde.parse_datetime", "date": "_serde.parse_date", "uuid": "_serde.parse_uuid",
                    "bytes": "_serde.b64decode"}[t.kind] + f"({src})"
        if isinstance(t, ir.ListOf):
            v = self._var()
            return f"[{self.decode(t.item, v)} for {v} in {src}]"
        if isinstance(t, ir.MapOf):
            k, v = self._var(), self._var()
            return f"{{{k}: {self.decode(t.value, v)} for {k}, {v} in {src}.items()}}"
        if isinstance(t, ir.Nullable):
            if _is_simple(src):
                return f"None if {src} is None else {self.decode(t.inner, src)}"
            v = self._var()
            return f"None if ({v} := {src}) is None else {self.decode(t.inner, v)}"
        if isinstance(t, ir.Ref):
            d = self.definitions[t.name]
            if isinstance(d, ir.ModelDef):
                return f"{t.name}.from_dict({src})"
            if isinstance(d, ir.EnumDef):
                return f"{t.name}({src})"
            return f"decode_{t.name}({src})"
        return src

    def encode(self, t: ir.TypeRef, src: str) -> str:
        """Expression turning the Python value ``src`` into JSON-ready data."""
        if isinstance(t, ir.Prim):
            if t.kind == "datetime":
                return f"_serde.format_datetime({src})"
            if t.kind == "date":
                return f"_serde.format_date({src})"
            if t.kind == "bytes":
                return f"_serde.b64encode({src})"
            if t.kind == "uuid":
                return f"str({src})"
            return src
        if isinstance(t, ir.ListOf):
            if self._encode_identity(t.item):
                return src
            v = self._var()
            return f"[{self.encode(t.item, v)} for {v} in {src}]"
        if isinstance(t, ir.MapOf):
            if self._encode_identity(t.value):
                return src
            k, v = self._var(), self._var()
            return f"{{{k}: {self.encode(t.value, v)} for {k}, {v} in {src}.items()}}"
        if isinstance(t, ir.Nullable):
            if self._encode_identity(t.inner):
                return src
            return f"None if {src} is None else {self.encode(t.inner, src)}"
        if isinstance(t, ir.Ref):
            d = self.definitions.get(t.name)
            if isinstance(d, ir.ModelDef):
                return f"{src}.to_dict()"
            if isinstance(d, ir.UnionDef):
                return f"_serde.encode({src})"
            return src
        return src

    def codec(self, t: ir.TypeRef) -> str | Br | None:
        """The ``_serde.Codec`` entry that converts values of type ``t`` (None: the JSON value is
        the Python value): a model class, a ``(decode, encode)`` pair of functions, or
        ``_serde.list_of``/``map_of`` of one.  Nulls never reach a converter."""
        if isinstance(t, ir.Nullable):
            return self.codec(t.inner)
        if isinstance(t, ir.Prim):
            return _SCALAR_CODECS.get(t.kind)
        if isinstance(t, (ir.ListOf, ir.MapOf)):
            inner = self.codec(t.item if isinstance(t, ir.ListOf) else t.value)
            if inner is None:
                return None
            return Br(f"_serde.{'list_of' if isinstance(t, ir.ListOf) else 'map_of'}(", [inner], ")")
        if isinstance(t, ir.Ref):
            d = self.definitions.get(t.name)
            if isinstance(d, ir.ModelDef):
                return t.name
            if isinstance(d, ir.EnumDef):
                return Br("(", [t.name, "None"], ")")
            if isinstance(d, ir.UnionDef):
                return Br("(", [f"decode_{t.name}", "_serde.encode"], ")")
        return None

    def _encode_identity(self, t: ir.TypeRef) -> bool:
        if isinstance(t, ir.Prim):
            return t.kind not in ("datetime", "date", "bytes", "uuid")
        if isinstance(t, ir.ListOf):
            return self._encode_identity(t.item)
        if isinstance(t, ir.MapOf):
            return self._encode_identity(t.value)
        if isinstance(t, ir.Nullable):
            return self._encode_identity(t.inner)
        if isinstance(t, ir.Ref):
            return isinstance(self.definitions.get(t.name), ir.EnumDef) or t.name not in self.definitions
        return True


def _is_simple(src: str) -> bool:
    return re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.]*", src) is not None


def uses(t: ir.TypeRef | None, kinds: set[str]) -> bool:
    """Whether ``t`` holds a scalar of one of ``kinds`` (so the module imports what it needs)."""
    return any(isinstance(x, ir.Prim) and x.kind in kinds for x in ir.parts(t))


def uses_literal(t: ir.TypeRef | None) -> bool:
    return any(isinstance(x, ir.LiteralOf) for x in ir.parts(t))


# -- environment ------------------------------------------------------------------------------
