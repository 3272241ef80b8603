"""Python expressions for the docs' examples: values from the spec (``example``/``examples``,
defaults, the first enum value) when they fit the argument's type, else a value of that type.

Every expression type-checks against the generated package's annotations: models are built with
their constructors, enums by member, dates with ``datetime``; the imports it needs are collected.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from typing import Any

from generator.emit.literals import pyrepr
from generator.model import ir


class NoExample(Exception):
    """No finite value of the type can be written (a model that requires itself)."""


class _Mismatch(Exception):
    pass


_MAX_DEPTH = 6


class Values:
    def __init__(self, api: ir.Api) -> None:
        self.api = api
        self.models: set[str] = set()  # names imported from <pkg>.models
        self.stdlib: set[str] = set()  # modules imported (datetime)

    # -- entry point ----------------------------------------------------------------------

    def value(self, t: ir.TypeRef, example: Any = None, has_example: bool = False, *, files: bool = False,
              name: str = "", stack: tuple[str, ...] = ()) -> str:
        if has_example:
            try:
                return self._from(t, example, files, stack)
            except (_Mismatch, NoExample, RecursionError):
                pass
        return self._synth(t, files, name, stack)

    # -- from a spec value --------------------------------------------------------------------

    def _from(self, t: ir.TypeRef, v: Any, files: bool, stack: tuple[str, ...]) -> str:
        if len(stack) > _MAX_DEPTH:
            raise _Mismatch
        if isinstance(t, ir.Prim):
            return self._prim_from(t.kind, v, files)
        if isinstance(t, ir.Nullable):
            return "None" if v is None else self._from(t.inner, v, files, stack)
        if isinstance(t, ir.LiteralOf):
            for x in t.values:
                if type(x) is type(v) and x == v:
                    return pyrepr(x)
            raise _Mismatch
        if isinstance(t, ir.ListOf):
            if not isinstance(v, list):
                raise _Mismatch
            return "[" + ", ".join(self._from(t.item, x, files, stack) for x in v[:3]) + "]"
        if isinstance(t, ir.MapOf):
            if not isinstance(v, dict) or not all(isinstance(k, str) for k in v):
                raise _Mismatch
            items = list(v.items())[:3]
            return "{" + ", ".join(f"{pyrepr(k)}: {self._from(t.value, x, files, stack)}" for k, x in items) + "}"
        if isinstance(t, ir.AnyOf):
            return self._first(t.variants, lambda x: self._from(x, v, files, stack))
        if isinstance(t, ir.Ref):
            d = self.api.definitions.get(t.name)
            if isinstance(d, ir.EnumDef):
                for m in d.members:
                    if type(m.value) is type(v) and m.value == v:
                        self.models.add(d.name)
                        return f"{d.name}.{m.name}"
                raise _Mismatch
            if isinstance(d, ir.UnionDef):
                return self._first(d.variants, lambda x: self._from(x, v, files, stack))
            if isinstance(d, ir.ModelDef):
                if not isinstance(v, dict):
                    raise _Mismatch
                return self._model(d, v, files, stack)
        raise _Mismatch

    def _ambiguous(self, variants: tuple[ir.TypeRef, ...], x: ir.TypeRef) -> bool:
        """A list (dict) of a union, where the union allows other lists (dicts): mypy infers the
        literal's type from its first item and cannot match it to one of them (invariance)."""
        if isinstance(x, ir.ListOf) and sum(isinstance(v, ir.ListOf) for v in variants) > 1:
            return self._is_union(x.item)
        if isinstance(x, ir.MapOf) and sum(isinstance(v, ir.MapOf) for v in variants) > 1:
            return self._is_union(x.value)
        return False

    def _is_union(self, t: ir.TypeRef) -> bool:
        if isinstance(t, ir.Nullable):
            return True
        if isinstance(t, ir.AnyOf):
            return True
        return isinstance(t, ir.Ref) and isinstance(self.api.definitions.get(t.name), ir.UnionDef)

    def _first(self, variants: tuple[ir.TypeRef, ...], build: Callable[[ir.TypeRef], str]) -> str:
        for x in variants:
            if self._ambiguous(variants, x):
                return "[]" if isinstance(x, ir.ListOf) else "{}"
            try:
                return build(x)
            except (_Mismatch, NoExample):
                continue
        raise _Mismatch

    def _prim_from(self, kind: str, v: Any, files: bool) -> str:
        if kind == "uuid" and isinstance(v, str):
            self.stdlib.add("uuid")
            return f"uuid.UUID({pyrepr(v)})"
        if kind == "str" and isinstance(v, str):
            return pyrepr(v)
        if kind == "int" and isinstance(v, int) and not isinstance(v, bool):
            return pyrepr(v)
        if kind == "float" and isinstance(v, (int, float)) and not isinstance(v, bool):
            return pyrepr(float(v))
        if kind == "bool" and isinstance(v, bool):
            return pyrepr(v)
        if kind == "none" and v is None:
            return "None"
        if kind == "any" and _jsonish(v):
            return pyrepr(v)
        if kind in ("datetime", "date") and isinstance(v, str):
            return self._date(kind, v)
        if kind == "bytes" and isinstance(v, str) and v.isascii():
            return "b" + pyrepr(v)
        if kind == "binary" and isinstance(v, str):
            return self._synth_prim(kind, files, "") if files else pyrepr(v)
        raise _Mismatch

    def _date(self, kind: str, v: str) -> str:
        try:
            if kind == "date":
                d = _dt.date.fromisoformat(v[:10])
                self.stdlib.add("datetime")
                return f"datetime.date({d.year}, {d.month}, {d.day})"
            x = _dt.datetime.fromisoformat(v.replace("Z", "+00:00").replace("z", "+00:00"))
        except ValueError:
            raise _Mismatch from None
        self.stdlib.add("datetime")
        parts = [x.year, x.month, x.day, x.hour, x.minute, x.second]
        while len(parts) > 3 and parts[-1] == 0:
            parts.pop()
        tz = ", tzinfo=datetime.timezone.utc" if x.utcoffset() == _dt.timedelta(0) else ""
        return f"datetime.datetime({', '.join(map(str, parts))}{tz})"

    def _model(self, d: ir.ModelDef, v: dict[str, Any], files: bool, stack: tuple[str, ...]) -> str:
        if d.name in stack:
            raise _Mismatch
        inner = (*stack, d.name)
        args = []
        for f in d.fields:
            if f.wire in v:
                args.append(f"{f.name}={self.value(f.type, v[f.wire], True, files=files, name=f.name, stack=inner)}")
            elif f.required and not f.write_only:
                example, has = (f.example, True) if f.has_example else (f.default, f.has_default)
                args.append(f"{f.name}={self.value(f.type, example, has, files=files, name=f.name, stack=inner)}")
        self.models.add(d.name)
        return f"{d.name}({', '.join(args)})"

    # -- a value of the type ----------------------------------------------------------------------

    def _synth(self, t: ir.TypeRef, files: bool, name: str, stack: tuple[str, ...]) -> str:
        if len(stack) > _MAX_DEPTH:
            raise NoExample
        if isinstance(t, ir.Prim):
            return self._synth_prim(t.kind, files, name)
        if isinstance(t, ir.Nullable):
            try:
                return self._synth(t.inner, files, name, stack)
            except NoExample:
                return "None"
        if isinstance(t, ir.LiteralOf):
            return pyrepr(t.values[0]) if t.values else "None"
        if isinstance(t, ir.ListOf):
            return "[" + self._synth(t.item, files, name, stack) + "]"
        if isinstance(t, ir.MapOf):
            return "{\"key\": " + self._synth(t.value, files, name, stack) + "}"
        if isinstance(t, ir.AnyOf):
            return self._first_synth(t.variants, files, name, stack)
        if isinstance(t, ir.Ref):
            d = self.api.definitions.get(t.name)
            if isinstance(d, ir.EnumDef) and d.members:
                self.models.add(d.name)
                return f"{d.name}.{d.members[0].name}"
            if isinstance(d, ir.UnionDef):
                return self._first_synth(d.variants, files, name, stack)
            if isinstance(d, ir.ModelDef):
                if d.name in stack:
                    raise NoExample
                if d.has_example and isinstance(d.example, dict):
                    try:
                        return self._model(d, d.example, files, stack)
                    except (_Mismatch, NoExample):
                        pass
                return self._model(d, {}, files, stack)
        raise NoExample

    def _first_synth(self, variants: tuple[ir.TypeRef, ...], files: bool, name: str, stack: tuple[str, ...]) -> str:
        for x in variants:
            if self._ambiguous(variants, x):
                return "[]" if isinstance(x, ir.ListOf) else "{}"
            try:
                return self._synth(x, files, name, stack)
            except NoExample:
                continue
        raise NoExample

    def _synth_prim(self, kind: str, files: bool, name: str) -> str:
        if kind == "str":
            return pyrepr(f"<{name or 'value'}>")
        if kind == "int":
            return "1"
        if kind == "float":
            return "1.0"
        if kind == "bool":
            return "True"
        if kind in ("none",):
            return "None"
        if kind == "any":
            return pyrepr(f"<{name or 'value'}>")
        if kind == "datetime":
            self.stdlib.add("datetime")
            return "datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc)"
        if kind == "date":
            self.stdlib.add("datetime")
            return "datetime.date(2024, 1, 1)"
        if kind == "uuid":
            self.stdlib.add("uuid")
            return "uuid.UUID(\"123e4567-e89b-12d3-a456-426614174000\")"
        if kind == "bytes":
            return "b\"...\""
        if kind == "binary":
            return "open(\"file.bin\", \"rb\")" if files else pyrepr(f"<{name or 'value'}>")
        raise NoExample


def _jsonish(v: Any) -> bool:
    if v is None or isinstance(v, (str, bool, int, float)):
        return True
    if isinstance(v, list):
        return all(_jsonish(x) for x in v)
    if isinstance(v, dict):
        return all(isinstance(k, str) and _jsonish(x) for k, x in v.items())
    return False
