"""Per-file view data for the templates: code fragments built from the IR by ``TypeRenderer``.

Everything a template prints from a spec is either a name decided by ``generator.naming`` or a
fragment produced here from such names and ``pyrepr`` literals.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from generator import ir
from generator.render import TypeRenderer, pyrepr, uses, uses_literal


@dataclass
class FieldView:
    name: str
    wire: str
    annotation: str
    default: str | None  # the default expression, None when required
    doc: str
    decode: str  # keyword argument expression in from_dict
    encode_required: str | None  # expression for the dict literal (required fields)
    encode_optional: list[str] = field(default_factory=list)  # statements (optional fields)


@dataclass
class ModelView:
    name: str
    doc: str
    fields: list[FieldView]
    extras_annotation: str
    extras_decode: str
    known: str  # frozenset literal of wire names
    required: str
    consts: str | None


@dataclass
class EnumView:
    name: str
    base: str
    doc: str
    members: list[tuple[str, str]]


@dataclass
class UnionView:
    name: str
    alias: str
    doc: str
    body: list[str]  # statements of decode_<name>(v: object)


@dataclass
class ModuleView:
    name: str
    enums: list[EnumView]
    models: list[ModelView]
    unions: list[UnionView]
    imports: list[str]


def model_module(api: ir.Api, module: ir.ModelModule) -> ModuleView:
    tr = TypeRenderer(api.definitions)
    enums, models, unions = [], [], []
    types_used: list[ir.TypeRef | None] = []
    for name in module.definitions:
        d = api.definitions[name]
        if isinstance(d, ir.EnumDef):
            enums.append(EnumView(d.name, d.base, d.description,
                                  [(m.name, pyrepr(m.value)) for m in d.members]))
        elif isinstance(d, ir.ModelDef):
            models.append(_model(tr, d))
            types_used += [f.type for f in d.fields] + [d.additional]
        else:
            unions.append(_union(tr, api, d))
            types_used += list(d.variants)
    typing_names = {"Any", "Mapping"} if models else set()
    if enums:
        typing_names.add("Any")
    if models:
        typing_names.add("ClassVar")
    if unions:
        typing_names |= {"TypeAlias"}
    if any(uses_literal(t) for t in types_used):
        typing_names.add("Literal")
    if any("Literal[" in u.alias for u in unions):
        typing_names.add("Literal")
    if any("Any" in u.alias for u in unions):
        typing_names.add("Any")
    imports = ["from __future__ import annotations", ""]
    if models:
        imports.append("import dataclasses as _dc")
    if any(uses(t, {"datetime", "date"}) for t in types_used):
        imports.append("import datetime as _dt")
    if enums:
        imports.append("import enum as _enum")
    if typing_names:
        imports.append("from typing import " + ", ".join(sorted(typing_names)))
    imports.append("")
    runtime = []
    if models or enums or unions:
        runtime.append("from .. import _serde")
    if any(f.default == "NOT_GIVEN" for m in models for f in m.fields):
        runtime.append("from .._types import NOT_GIVEN, NotGiven")
    imports += runtime
    for mod, names in module.imports:
        wanted = []
        for n in names:
            wanted.append(n)
            if isinstance(api.definitions[n], ir.UnionDef):
                wanted.append(f"decode_{n}")
        imports.append(f"from .{mod} import {', '.join(sorted(wanted))}")
    return ModuleView(module.name, enums, models, unions, imports)


def _model(tr: TypeRenderer, d: ir.ModelDef) -> ModelView:
    fields = []
    consts = {}
    for f in d.fields:
        ann = tr.annotation(f.type)
        nullable = isinstance(f.type, ir.Nullable) or ann in ("Any", "None")
        ident = tr.is_identity(f.type)
        src = f'd[{pyrepr(f.wire)}]'
        if isinstance(f.type, ir.LiteralOf) and len(f.type.values) == 1:
            consts[f.wire] = f.type.values[0]
        if f.required:
            fv = FieldView(f.name, f.wire, ann, None, f.description, tr.decode(f.type, src),
                           tr.encode(f.type, f"self.{f.name}"))
        elif not nullable:
            get = f'd.get({pyrepr(f.wire)})'
            if ident:
                dec = get
            else:
                v = tr._var()
                dec = f"None if ({v} := {get}) is None else {tr.decode(f.type, v)}"
            enc = [f"if self.{f.name} is not None:",
                   f"    d[{pyrepr(f.wire)}] = {tr.encode(f.type, 'self.' + f.name)}"]
            fv = FieldView(f.name, f.wire, f"{ann} | None", "None", f.description, dec, None, enc)
        else:
            get = f'd.get({pyrepr(f.wire)}, NOT_GIVEN)'
            if ident:
                dec = get
            else:
                v = tr._var()
                inner = f.type.inner if isinstance(f.type, ir.Nullable) else f.type
                dec = f"{v} if isinstance({v} := {get}, NotGiven) or {v} is None else {tr.decode(inner, v)}"
            enc = [f"if not isinstance(self.{f.name}, NotGiven):",
                   f"    d[{pyrepr(f.wire)}] = {tr.encode(f.type, 'self.' + f.name)}"]
            fv = FieldView(f.name, f.wire, f"{ann} | NotGiven", "NOT_GIVEN", f.description, dec, None, enc)
        fields.append(fv)
    add = d.additional or ir.ANY
    extras_ann = f"dict[str, {tr.annotation(add)}]"
    if tr.is_identity(add):
        extras_dec = "_serde.extras(d, cls._FIELDS)"
    else:
        k, v = tr._var(), tr._var()
        extras_dec = f"{{{k}: {tr.decode(add, v)} for {k}, {v} in _serde.extras(d, cls._FIELDS).items()}}"
    known = _frozenset(f.wire for f in d.fields)
    required = _frozenset(f.wire for f in d.fields if f.required)
    return ModelView(d.name, d.description, fields, extras_ann, extras_dec, known, required,
                     pyrepr(consts) if consts else None)


def _frozenset(items: Any) -> str:
    items = sorted(set(items))
    if not items:
        return "frozenset()"
    return "frozenset({" + ", ".join(pyrepr(i) for i in items) + "})"


def _union(tr: TypeRenderer, api: ir.Api, d: ir.UnionDef) -> UnionView:
    alias_parts = []
    for v in d.variants:
        a = tr.annotation(v)
        if a not in alias_parts:
            alias_parts.append(a)
    alias = "Any" if "Any" in alias_parts else " | ".join(alias_parts)
    body: list[str] = []
    models = [v for v in d.variants if isinstance(v, ir.Ref) and isinstance(api.definitions.get(v.name), ir.ModelDef)]
    if d.discriminator and d.discriminator.mapping:
        body.append("if isinstance(v, dict):")
        body.append(f"    tag = v.get({pyrepr(d.discriminator.property)})")
        for value, target in d.discriminator.mapping:
            if isinstance(api.definitions.get(target), ir.ModelDef) and ir.Ref(target) in d.variants:
                body.append(f"    if tag == {pyrepr(value)}:")
                body.append(f"        return {target}.from_dict(v)")
    if models:
        body.append("if isinstance(v, dict):")
        if len(models) == 1:
            body.append(f"    return {models[0].name}.from_dict(v)")
        else:
            body.append(f"    i = _serde.best_match(v, ({', '.join(m.name for m in models)}))")
            for i, m in enumerate(models[:-1]):
                body.append(f"    if i == {i}:")
                body.append(f"        return {m.name}.from_dict(v)")
            body.append(f"    return {models[-1].name}.from_dict(v)")
    rest = [v for v in d.variants if v not in models]
    fallback: list[str] = []
    for v in _scalar_order(rest):
        body += _variant_check(tr, api, v, fallback)
    body += fallback
    if not fallback or not fallback[-1].startswith("return"):
        body.append(f"raise _serde.no_match({pyrepr(d.name)}, v)")
    return UnionView(d.name, alias, d.description, body)


def _scalar_order(variants: list[ir.TypeRef]) -> list[ir.TypeRef]:
    rank = {"bool": 0, "int": 1, "float": 2}

    def key(v: ir.TypeRef) -> int:
        inner = v.inner if isinstance(v, ir.Nullable) else v
        if isinstance(inner, ir.Prim):
            return rank.get(inner.kind, 3)
        if isinstance(inner, ir.LiteralOf):
            return -1
        return 4

    return sorted(variants, key=key)


def _variant_check(tr: TypeRenderer, api: ir.Api, v: ir.TypeRef, fallback: list[str]) -> list[str]:
    if isinstance(v, ir.Nullable):
        return ["if v is None:", "    return None"] + _variant_check(tr, api, v.inner, fallback)
    if isinstance(v, ir.LiteralOf):
        out = []
        for value in v.values:
            out += [f"if v == {pyrepr(value)}:", f"    return {pyrepr(value)}"]
        return out
    if isinstance(v, ir.Prim):
        if v.kind == "any":
            fallback.append("return v")
            return []
        if v.kind == "none":
            return ["if v is None:", "    return None"]
        check = {
            "bool": "isinstance(v, bool)",
            "int": "isinstance(v, int) and not isinstance(v, bool)",
            "float": "isinstance(v, (int, float)) and not isinstance(v, bool)",
        }.get(v.kind, "isinstance(v, str)")
        return [f"if {check}:", f"    return {tr.decode(v, 'v')}"]
    if isinstance(v, ir.ListOf):
        return ["if isinstance(v, list):", f"    return {tr.decode(v, 'v')}"]
    if isinstance(v, ir.MapOf):
        return ["if isinstance(v, dict):", f"    return {tr.decode(v, 'v')}"]
    if isinstance(v, ir.Ref):
        d = api.definitions.get(v.name)
        if isinstance(d, ir.EnumDef):
            check = "isinstance(v, str)" if d.base == "str" else "isinstance(v, int) and not isinstance(v, bool)"
            return [f"if {check}:", f"    return {v.name}(v)"]
        if isinstance(d, ir.UnionDef):
            fallback.append(f"return decode_{v.name}(v)")
            return []
    return []
