"""Per-file view data for the templates: code fragments built from the IR by ``TypeRenderer``.

Everything a template prints from a spec is either a name decided by ``generator.model.naming`` or a
fragment produced here from such names and ``pyrepr`` literals.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from generator.emit.layout import Br, import_from, layout, names_list, param
from generator.emit.literals import docstring, pyrepr
from generator.emit.types import TypeRenderer, uses, uses_literal
from generator.model import ir
from generator.model.build import refs_in_type

# builtins a class body's annotations name (``TypeRenderer.b``)
SHADOWABLE = frozenset({"str", "int", "float", "bool", "list", "dict", "bytes"})


@dataclass
class FieldView:
    name: str
    annotation: str
    default: str | None  # the default expression, None when required
    doc: str


@dataclass
class ModelView:
    name: str
    doc: str
    fields: list[FieldView]  # declared here (a base class declares the others)
    extras_annotation: str | None  # None: dict[str, Any], as the base ``_serde.Model`` declares
    codec: Br | None  # the ``_CODEC = _serde.Codec(...)`` statement, None when not needed
    base: str | None = None  # the model class this one extends
    shadowed: bool = False  # a field hides a builtin the annotations use: they say builtins.X
    items: tuple[str, str] | None = None  # (attribute, item annotation): the model iterates them

    @property
    def body(self) -> list[str]:
        """The class body's lines (indented; "" for a blank line), laid out as black lays them."""
        blocks: list[list[str]] = []
        doc = docstring(self.doc, 4)
        if doc:
            blocks.append(("    " + doc).split("\n"))
        for f in self.fields:
            block = param(f, 4, "").split("\n")
            fdoc = docstring(f.doc, 4)
            if fdoc:
                block += ("    " + fdoc).split("\n")
            blocks.append(block)
        if self.extras_annotation:
            blocks.append([f"    additional_properties: {self.extras_annotation} = _dc.field(default_factory=dict)"])
        if self.codec:
            blocks.append(layout(self.codec, 4).split("\n"))
        if self.items:
            attr, item = self.items
            blocks.append([f"    def __iter__(self) -> Iterator[{item}]:",
                           f"        return iter(self.{attr} or ())"])
            int_ = "builtins.int" if self.shadowed else "int"
            blocks.append([f"    def __len__(self) -> {int_}:", f"        return len(self.{attr} or ())"])
        if not blocks:
            return ["    pass"]
        lines = blocks[0]
        for block in blocks[1:]:
            lines += ["", *block]
        return [line if line.strip() else "" for line in lines]


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
    extra_imports: set[tuple[str, str]] = set()
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
    models = _bases_first(models)
    for m in models:  # a base class from another module
        if m.base and api.module_of.get(m.base) != module.name:
            extra_imports.add((api.module_of[m.base], m.base))
    typing_names = set()
    annotations = [f.annotation for m in models for f in m.fields] + [m.extras_annotation or "" for m in models]
    if any(re.search(r"\bAny\b", a) for a in annotations):
        typing_names.add("Any")
    if unions:
        typing_names |= {"TypeAlias"}
    if any(m.items for m in models):
        typing_names.add("Iterator")
        if any(re.search(r"\bAny\b", m.items[1]) for m in models if m.items):
            typing_names.add("Any")
    if any(uses_literal(t) for t in types_used):
        typing_names.add("Literal")
    if any("Literal[" in u.alias for u in unions):
        typing_names.add("Literal")
    if any("Any" in u.alias for u in unions):
        typing_names.add("Any")
    imports = ["from __future__ import annotations", ""]
    if models:
        imports.append("import dataclasses as _dc")
    imports += _format_imports(types_used)
    if any(m.shadowed for m in models):
        imports.insert(2, "import builtins")
    if typing_names:
        imports.append(import_from("typing", sorted(typing_names)))
    imports.append("")
    runtime = []
    if models or enums or unions:
        runtime.append("from .. import _serde")
    imports += runtime
    imported = {(mod, n) for mod, names in module.imports for n in names}
    for mod, n in sorted(extra_imports - imported):
        imports.append(import_from(f".{mod}", [n]))
    for mod, names in module.imports:
        wanted = []
        for n in names:
            wanted.append(n)
            if isinstance(api.definitions[n], ir.UnionDef):
                wanted.append(f"decode_{n}")
        imports.append(import_from(f".{mod}", sorted(wanted)))
    return ModuleView(module.name, enums, models, unions, imports)


def _model(tr0: TypeRenderer, d: ir.ModelDef) -> ModelView:
    """The dataclass declaration and its codec: what the runtime (``_serde.Model``) cannot read
    from the fields themselves.  A required field has no default; an optional one defaults to
    ``None`` (absent and null both read ``None``; the model remembers which fields were there).
    A field named like a builtin the annotations use (``bytes``, ``object``...) makes them say
    ``builtins.bytes``."""
    base = tr0.definitions.get(d.base) if d.base else None
    inherited = frozenset(f.wire for f in base.fields) if isinstance(base, ir.ModelDef) else frozenset()
    names = {f.name for f in d.fields}
    if isinstance(base, ir.ModelDef):
        names |= {f.name for f in base.fields}
    shadowed = names & SHADOWABLE
    tr = TypeRenderer(tr0.definitions, shadowed) if shadowed else tr0
    fields: list[FieldView] = []
    convert: list[str | Br] = []
    wire: list[str] = []
    consts: list[str] = []
    optional_consts: list[str] = []
    for f in d.fields:
        # a writeOnly field never comes back in a response: optional on the model whatever the spec says
        required = f.required and not f.write_only
        ann = tr.annotation(f.type)
        nullable = isinstance(f.type, ir.Nullable) or ann in ("Any", "None")
        const = constant_of(f.type)
        if const is not None:  # filled in on decoding when required; left out as it came when not
            (consts if required else optional_consts).append(f"{pyrepr(f.wire)}: {const}")
        if f.wire not in inherited:
            if const is not None:  # one possible value: filled in, always sent, never passed by hand
                # (an optional one a server left out reads None, as every absent field does)
                fields.append(FieldView(f.name, ann if required else f"{ann} | None", const, _field_doc(f)))
            elif required:
                fields.append(FieldView(f.name, ann, None, _field_doc(f)))
            else:
                fields.append(FieldView(f.name, ann if nullable else f"{ann} | None", "None", _field_doc(f)))
        conv = tr.codec(f.type)
        if conv is not None:
            convert.append(_entry(pyrepr(f.name), conv))
        if f.wire != f.name:
            wire.append(f"{pyrepr(f.name)}: {pyrepr(f.wire)}")
    add = d.additional or ir.ANY
    extras_ann = None if tr.annotation(add) == "Any" else f"{tr.b('dict')}[{tr.b('str')}, {tr.annotation(add)}]"
    conv = tr.codec(add)
    if conv is not None:
        convert.append(_entry('"additional_properties"', conv))
    codec = None
    if convert or wire or consts or optional_consts or d.discriminator:
        args: list[str | Br] = [Br("lambda: {", convert, "}")] if convert else []
        args += [Br(f"{keyword}={{", lines, "}") for keyword, lines in (
            ("wire", wire), ("consts", consts), ("optional_consts", optional_consts)) if lines]
        if d.discriminator:  # a base class: the tag picks the subclass that decodes the value
            args.append(f"tag={pyrepr(d.discriminator.property)}")
            args.append(Br("subtypes=lambda: {", [f"{pyrepr(v)}: {n}" for v, n in d.discriminator.mapping], "}"))
        codec = Br("_CODEC = _serde.Codec(", args, ")")
    items = None
    if d.items:
        t = next(f.type for f in d.fields if f.name == d.items)
        t = t.inner if isinstance(t, ir.Nullable) else t
        if not isinstance(t, ir.ListOf):  # build only names a list field as the page's items
            raise TypeError(f"{d.name}.{d.items} is not a list")
        items = (d.items, tr.annotation(t.item))
    return ModelView(d.name, d.description, fields, extras_ann, codec, d.base, bool(shadowed), items)


def constant_of(t: ir.TypeRef) -> str | None:
    """The literal of a type that holds one value only (``const``, or an ``enum`` of one value),
    None for any other type."""
    if isinstance(t, ir.LiteralOf) and len(t.values) == 1:
        return pyrepr(t.values[0])
    return None


def _entry(key: str, value: str | Br) -> str | Br:
    return value.prefixed(f"{key}: ") if isinstance(value, Br) else f"{key}: {value}"


def _field_doc(f: ir.Field) -> str:
    """The field's description plus what the spec says about it beyond its type."""
    notes = []
    if f.wire != f.name:
        notes.append(f"JSON name: ``{f.wire}``.")
    const = constant_of(f.type)
    if const is not None:
        notes.append(f"Always ``{const}``: filled in, never passed.")
    if f.has_default:
        notes.append(f"Default: ``{pyrepr(f.default)}``.")
    if f.read_only:
        notes.append("Read-only: sent by the server, never in requests.")
    if f.write_only:
        notes.append("Write-only: sent in requests, never in responses.")
    if f.deprecated:
        notes.append("Deprecated.")
    return "\n\n".join(p for p in [f.description, " ".join(notes)] if p)


def _format_imports(types: list[ir.TypeRef | None]) -> list[str]:
    """The standard modules that annotations of formatted values (date-time, uuid) name."""
    out = []
    if any(uses(t, {"datetime", "date"}) for t in types):
        out.append("import datetime as _dt")
    if any(uses(t, {"uuid"}) for t in types):
        out.append("import uuid as _uuid")
    return out


def _bases_first(models: list[ModelView]) -> list[ModelView]:
    """Declaration order within a module: a base class before the classes that extend it."""
    by_name = {m.name: m for m in models}
    out: list[ModelView] = []
    seen: set[str] = set()

    def visit(m: ModelView) -> None:
        if m.name in seen:
            return
        seen.add(m.name)
        if m.base in by_name:
            visit(by_name[m.base])
        out.append(m)

    for m in models:
        visit(m)
    return out


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
            # laid out at its real indentation (8); the template indents the first line by 4
            body.append(layout(Br("i = _serde.best_match(", ["v", Br("(", [m.name for m in models], ")")], ")"), 8)[4:])
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
        return ["if v is None:", "    return None", *_variant_check(tr, api, v.inner, fallback)]
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


# -- resources ----------------------------------------------------------------------------------

RUNTIME_KWARGS = [
    ("extra_headers", "Headers | None", "None"),
    ("extra_query", "Query | None", "None"),
    ("extra_body", "Body | None", "None"),
    ("timeout", "Timeout | NotGiven", "NOT_GIVEN"),
    ("max_retries", "int | NotGiven", "NOT_GIVEN"),
]
BUILTIN_TYPES = {"str", "int", "float", "bool", "list", "dict", "bytes"}


@dataclass
class ArgView:
    name: str
    annotation: str
    default: str | None
    doc: str


@dataclass
class Branch:
    cond: str | None  # None: the final, unconditional return
    call: str  # runtime method: "request" | "stream"
    const: dict[str, str]  # flavour ("sync"/"async") -> Endpoint constant


@dataclass
class Overload:
    keyword: list[ArgView]
    returns: dict[str, str]


@dataclass
class PageView:
    name: dict[str, str]  # flavour -> page class
    model: str
    item: str

    @property
    def header(self) -> dict[str, Br]:
        """flavour -> the page class's ``class ...:`` line."""
        return {flavour: Br(f"class {self.name[flavour]}(", [self.model, f"{base}[{self.item}]"], "):")
                for flavour, base in (("sync", "SyncPage"), ("async", "AsyncPage"))}


@dataclass
class OperationView:
    name: str
    endpoints: list[tuple[str, Br]]  # module-level (constant, Endpoint(...) expression)
    positional: list[ArgView]
    keyword: list[ArgView]
    returns: dict[str, str]  # flavour -> return annotation
    overloads: list[Overload]
    branches: list[Branch]
    call_args: list[str | Br]  # keyword arguments of the runtime call
    doc: str
    deprecated: bool
    page: PageView | None = None
    binary: bool = False  # the body is bytes: with_streaming_response offers it as a stream


@dataclass
class GroupView:
    name: str
    sync_class: str
    async_class: str
    doc: str
    operations: list[OperationView]
    imports: list[str]

    @property
    def all(self) -> Br:
        names = [self.sync_class, self.async_class]
        for op in self.operations:
            if op.page:
                names += [op.page.name["sync"], op.page.name["async"]]
        return names_list(names)


def resource_module(api: ir.Api, group: ir.Group, sync_class: str, async_class: str,
                    claim: Callable[[str], str]) -> GroupView:
    shadowed = {op.name for op in group.operations} & BUILTIN_TYPES
    tr = TypeRenderer(api.definitions, shadowed)
    ops = []
    types: list[ir.TypeRef | None] = []
    needs: set[str] = set()
    constants: set[str] = set()  # module-level Endpoint constants
    for op in group.operations:
        ov, op_types, op_needs = _operation(tr, api, op, group, claim, constants)
        ops.append(ov)
        types += op_types
        needs |= op_needs
    used: set[str] = set()
    for t in types:
        used |= refs_in_type(t)
    typing_names = {"Any"}
    if any(uses_literal(t) for t in types) or "literal" in needs:
        typing_names.add("Literal")
    if "overload" in needs:
        typing_names.add("overload")
    imports = ["from __future__ import annotations", ""]
    if shadowed:
        imports.append("import builtins")
    imports += _format_imports(types)
    imports.append("from functools import cached_property")
    imports.append(import_from("typing", sorted(typing_names)))
    imports.append("")
    imports.append("from .. import _encoding, _serde" if "encoding" in needs else "from .. import _serde")
    imports.append("from .._base_client import AsyncAPIResource, Endpoint, SyncAPIResource")
    strategies = sorted(n for n in needs if n.endswith("Pagination"))
    if strategies:
        imports.append(import_from(".._pagination", ["AsyncPage", "SyncPage", "page_decoder", *strategies]))
    imports.append("from .._response import async_to_raw_response_wrapper, to_raw_response_wrapper")
    streaming_names = (["AsyncStream", "Stream"] if "stream" in needs else []) + (
        ["AsyncBinaryStream", "BinaryStream"] if "download" in needs else [])
    if streaming_names:
        imports.append(import_from(".._streaming", sorted(streaming_names)))
    types_names = {"NOT_GIVEN", "Body", "Headers", "NotGiven", "Query", "RequestOptions", "Timeout"}
    if "files" in needs:
        types_names.add("FileTypes")
    imports.append(import_from(".._types", sorted(types_names)))
    by_module: dict[str, set[str]] = {}
    for name in sorted(used):
        if name not in api.definitions:
            continue
        by_module.setdefault(api.module_of[name], set()).add(name)
        if isinstance(api.definitions[name], ir.UnionDef):
            by_module[api.module_of[name]].add(f"decode_{name}")
    for mod in sorted(by_module):
        imports.append(import_from(f"..models.{mod}", sorted(by_module[mod])))
    return GroupView(group.name, sync_class, async_class, group.description or group.tag, ops, imports)


def _param_value(tr: TypeRenderer, p: ir.Param) -> str:
    """The expression the generated method passes for one parameter: the argument itself when the
    runtime's plain handling is its serialization (a scalar; a query array, form, exploded), else
    a call of the ``_encoding`` serializer for its style with the style written out."""
    value = p.name if tr._encode_identity(p.type) else f"_serde.encode({p.name})"
    if p.content_type is not None:
        return f"_encoding.content_param({value}, {pyrepr(p.content_type)})"
    scalar = _is_scalar(tr, p.type)
    wire, explode = pyrepr(p.wire), pyrepr(p.explode)
    if p.location == "path":
        if scalar and p.style == "simple":
            return p.name
        return f"_encoding.path_param({wire}, {value}, {pyrepr(p.style)}, {explode})"
    if p.location == "query":
        plain = p.style == "form" and p.explode and not p.allow_reserved
        if plain and (scalar or _is_scalar_list(tr, p.type)):
            return value
        return f"_encoding.query_param({wire}, {value}, {pyrepr(p.style)}, {explode}, {pyrepr(p.allow_reserved)})"
    if scalar:
        return value
    if p.location == "header":
        return f"_encoding.header_param({value}, {explode})"
    return f"_encoding.cookie_param({wire}, {value}, {explode})"


def _is_scalar(tr: TypeRenderer, t: ir.TypeRef) -> bool:
    if isinstance(t, ir.Nullable):
        return _is_scalar(tr, t.inner)
    if isinstance(t, ir.Prim):
        return t.kind != "any"
    if isinstance(t, ir.LiteralOf):
        return True
    if isinstance(t, ir.AnyOf):
        return all(_is_scalar(tr, v) for v in t.variants)
    return isinstance(t, ir.Ref) and isinstance(tr.definitions.get(t.name), ir.EnumDef)


def _is_scalar_list(tr: TypeRenderer, t: ir.TypeRef) -> bool:
    t = t.inner if isinstance(t, ir.Nullable) else t
    return isinstance(t, ir.ListOf) and _is_scalar(tr, t.item)


def _operation(tr: TypeRenderer, api: ir.Api, op: ir.Operation, group: ir.Group, claim: Callable[[str], str],
               constants: set[str]) -> tuple[OperationView, list[ir.TypeRef | None], set[str]]:
    types: list[ir.TypeRef | None] = []
    needs: set[str] = set()
    positional: list[ArgView] = []
    keyword: list[ArgView] = []
    arg_docs: list[tuple[str, str]] = []
    groups: dict[str, list[str]] = {"path": [], "query": [], "header": [], "cookie": []}
    for p in op.params:
        types.append(p.type)
        ann = tr.annotation(p.type, inputs=True)
        if p.location == "path":
            positional.append(ArgView(p.name, ann, None, p.description))
        elif p.required:
            keyword.append(ArgView(p.name, ann, None, p.description))
        else:
            keyword.append(ArgView(p.name, f"{ann} | NotGiven", "NOT_GIVEN", p.description))
        arg_docs.append((p.name, p.description))
        value = _param_value(tr, p)
        if value.startswith("_encoding."):
            needs.add("encoding")
        groups[p.location].append(f"{pyrepr(p.wire)}: {value}")
    call_args: list[str | Br] = []
    for loc, key in (("path", "path_params"), ("query", "query"), ("header", "headers"), ("cookie", "cookies")):
        if groups[loc]:
            call_args.append(Br(f"{key}={{", groups[loc], "}"))
    body = op.body
    if body is not None:
        types.append(body.type)
        files = body.kind == "multipart"
        if body.fields is not None:
            entries: list[str] = []
            file_entries: list[str] = []
            for f in body.fields:
                types.append(f.type)
                ann = tr.annotation(f.type, files=files, inputs=True)
                is_file = files and uses(f.type, {"binary"})
                if is_file:
                    needs.add("files")
                const = constant_of(f.type)
                if const is not None:
                    keyword.append(ArgView(f.name, ann, const, _field_doc(f)))
                elif f.required:
                    keyword.append(ArgView(f.name, ann, None, _field_doc(f)))
                else:
                    keyword.append(ArgView(f.name, f"{ann} | NotGiven", "NOT_GIVEN", _field_doc(f)))
                arg_docs.append((f.name, _field_doc(f)))
                (file_entries if is_file else entries).append(f"{pyrepr(f.wire)}: {f.name}")
            mapping = Br("{", entries, "}")
            if body.kind == "json":
                call_args.append(Br("json=_serde.encode(", [mapping], ")"))
            else:
                if entries:
                    call_args.append(Br("data=_serde.encode(", [mapping], ")"))
                if file_entries:
                    call_args.append(Br("files={", file_entries, "}"))
        else:
            ann = tr.annotation(body.type, files=body.kind in ("binary", "multipart"))
            raw_body = body.kind in ("binary", "text")
            if body.kind == "binary":
                ann = "bytes"
            elif body.kind == "text" and not _is_text(tr, body.type):
                # a schema the text travels in (an XML document described as an object, say):
                # the caller passes the text itself, as it goes to ``content=``
                ann = tr.b("str")
            if raw_body and not body.required:
                keyword.append(ArgView(body.name, f"{ann} | None", "None", body.description))
            elif body.required:
                keyword.append(ArgView(body.name, ann, None, body.description))
            else:
                keyword.append(ArgView(body.name, f"{ann} | NotGiven", "NOT_GIVEN", body.description))
            arg_docs.append((body.name, body.description))
            if body.kind == "json":
                call_args.append(f"json=_serde.encode({body.name})")
            elif body.kind in ("binary", "text"):
                call_args.append(f"content={body.name}")
            else:
                call_args.append(f"data=_serde.encode({body.name})")
    for name, ann, default in RUNTIME_KWARGS:
        keyword.append(ArgView(name, ann, default, ""))
    call_args.append(Br("options=RequestOptions(", [f"{n}={n}" for n, _, _ in RUNTIME_KWARGS], ")"))
    # the response
    s = op.success
    base = [pyrepr(op.http_method), pyrepr(op.path)]
    errors = []
    for e in op.errors:
        if e.type is None:
            continue
        types.append(e.type)
        numeric = e.status.isascii() and e.status.isdigit()
        key = str(int(e.status)) if numeric else pyrepr(e.status)
        errors.append(f"{key}: {_cast(tr, api, e.type)}")
    common: list[str | Br] = []
    if errors:
        common.append(Br("errors={", errors, "}"))
    if op.security is not None:
        reqs = ", ".join("{" + ", ".join(f"{pyrepr(n)}: {pyrepr(list(sc))}" for n, sc in req) + "}"
                         for req in op.security)
        common.append(f"security=[{reqs}]")
    if body is not None and body.kind != "json":
        common.append(f"content_type={pyrepr(body.media_type)}")
    if op.idempotency_header:
        common.append(f"idempotency_header={pyrepr(op.idempotency_header)}")
    if op.servers:
        common.append(f"server={server_literal(op.servers[0])}")
    const = _endpoint_constant(op.name, constants)

    def endpoint(result: str, extra: list[str | Br]) -> Br:
        return Br(f"Endpoint[{result}](", [*base, *extra, *common], ")")

    endpoints: list[tuple[str, Br]] = []
    returns: dict[str, str]
    overloads: list[Overload] = []
    branches: list[Branch] = []
    page = None
    stream_only = op.streaming is not None and op.streaming.flag is None
    if op.streaming is not None and op.streaming.flag is None:
        event = tr.annotation(op.streaming.event_type)
        types.append(op.streaming.event_type)
        event_cast = _cast(tr, api, op.streaming.event_type)
        endpoints.append((const, endpoint(tr.runtime(op.streaming.event_type),
                                          [f"cast={event_cast}", "accept=\"text/event-stream\""])))
        returns = {"sync": f"Stream[{event}]", "async": f"AsyncStream[{event}]"}
        branches.append(Branch(None, "stream", {"sync": const, "async": const}))
        needs.add("stream")
    else:
        if s.kind == "json" and s.type is not None:
            types.append(s.type)
            result, cast, kind = tr.annotation(s.type), _cast(tr, api, s.type), "json"
        elif s.kind in ("any", "any_text") and s.type is not None:
            types.append(s.type)
            ann = tr.annotation(s.type)
            raw = tr.b("bytes") if s.kind == "any" else tr.b("str")
            result = "Any" if ann == "Any" else f"{ann} | {raw}"
            cast, kind = _cast(tr, api, s.type), s.kind
        elif s.kind == "bytes":
            result, cast, kind = tr.b("bytes"), "None", "bytes"
        elif s.kind == "text":
            result, cast, kind = tr.b("str"), "None", "text"
        else:
            result, cast, kind = "None", "None", "json"
        extra: list[str | Br] = [] if cast == "None" else [f"cast={cast}"]
        if kind != "json":
            extra.append(f"response_kind={pyrepr(kind)}")
        if op.pagination is not None and isinstance(s.type, ir.Ref):
            pg = op.pagination
            cls = {"sync": claim(naming_pascal(f"{group.class_name}_{op.name}_page")),
                   "async": claim(naming_pascal(f"async_{group.class_name}_{op.name}_page"))}
            strategy = PAGINATION_CLASSES[pg.strategy]
            needs.add(strategy)
            args = [f"items={pyrepr(pg.items)}"] + [f"{k}={pyrepr(v)}" for k, v in pg.params]
            page = PageView(cls, s.type.name, tr.runtime(pg.item_type))
            types.append(pg.item_type)
            for flavour, c in (("sync", const), ("async", "_ASYNC" + const)):
                endpoints.append((c, endpoint(cls[flavour], [f"cast=page_decoder({cls[flavour]})", *extra[1:],
                                                             Br(f"pagination={strategy}(", args, ")")])))
            returns = dict(cls)
            branches.append(Branch(None, "request", {"sync": const, "async": "_ASYNC" + const}))
        else:
            runtime_result = tr.runtime(s.type) if kind == "json" and s.type is not None else result
            endpoints.append((const, endpoint(runtime_result, extra)))
            returns = {"sync": result, "async": result}
            branches.append(Branch(None, "request", {"sync": const, "async": const}))
        if op.streaming is not None and op.streaming.flag is not None:
            event = tr.annotation(op.streaming.event_type)
            types.append(op.streaming.event_type)
            sconst = const + "_STREAM"
            event_cast = _cast(tr, api, op.streaming.event_type)
            endpoints.append((sconst, endpoint(tr.runtime(op.streaming.event_type),
                                               [f"cast={event_cast}", "accept=\"text/event-stream\""])))
            flag = op.streaming.flag
            branches.insert(0, Branch(f"{flag} is True", "stream", {"sync": sconst, "async": sconst}))
            stream_returns = {"sync": f"Stream[{event}]", "async": f"AsyncStream[{event}]"}
            plain_kw, stream_kw, impl_kw = [], [], []
            for a in keyword:
                if a.name == flag:
                    plain_kw.append(ArgView(a.name, "Literal[False] | NotGiven", "NOT_GIVEN", a.doc))
                    stream_kw.append(ArgView(a.name, "Literal[True]", None, a.doc))
                    impl_kw.append(ArgView(a.name, "bool | None | NotGiven", "NOT_GIVEN", a.doc))
                else:
                    plain_kw.append(a)
                    stream_kw.append(a)
                    impl_kw.append(a)
            keyword = impl_kw
            overloads = [Overload(plain_kw, returns), Overload(stream_kw, stream_returns)]
            returns = {f: f"{returns[f]} | {stream_returns[f]}" for f in returns}
            needs |= {"stream", "overload", "literal"}
    doc = _op_doc(op, arg_docs)
    binary = not stream_only and s.kind == "bytes"
    if binary:
        needs.add("download")
    ov = OperationView(op.name, endpoints, positional, keyword, returns, overloads, branches, call_args, doc,
                       op.deprecated, page, binary)
    return ov, types, needs


def _endpoint_constant(name: str, taken: set[str]) -> str:
    """``_NAME`` for an operation's endpoint, with its ``_ASYNC_NAME`` and ``_NAME_STREAM`` twins all
    unused in the module (``chat`` streams through ``_CHAT_STREAM``: ``chat_stream`` must not)."""
    base, n = "_" + name.upper(), 1
    while True:
        const = base if n == 1 else f"{base}_{n}"
        family = {const, "_ASYNC" + const, const + "_STREAM"}
        if not family & taken:
            taken |= family
            return const
        n += 1


PAGINATION_CLASSES = {"offset": "OffsetPagination", "page": "PageNumberPagination", "cursor": "CursorPagination",
                      "next_link": "NextLinkPagination"}


def naming_pascal(text: str) -> str:
    from generator.model.naming import pascal

    return pascal(text)


def _is_text(tr: TypeRenderer, t: ir.TypeRef | None) -> bool:
    """Whether values of ``t`` are strings (what ``content=`` takes as text)."""
    if isinstance(t, ir.Prim):
        return t.kind == "str"
    if isinstance(t, ir.LiteralOf):
        return all(isinstance(v, str) for v in t.values)
    if isinstance(t, ir.Ref):
        d = tr.definitions.get(t.name)
        return isinstance(d, ir.EnumDef) and d.base == "str"
    return False


def _cast(tr: TypeRenderer, api: ir.Api, t: ir.TypeRef) -> str:
    if isinstance(t, ir.Ref):
        d = api.definitions.get(t.name)
        if isinstance(d, ir.ModelDef):
            return f"{t.name}.from_dict"
        if isinstance(d, ir.EnumDef):
            return t.name
        if isinstance(d, ir.UnionDef):
            return f"decode_{t.name}"
    return f"lambda v: {tr.decode(t, 'v')}"


def server_literal(server: ir.Server) -> str:
    """``(url template, ((variable, default, (allowed, ...)), ...))``: a server as the runtime
    (``_servers``) reads it."""
    return pyrepr((server.url, _variables(server)))


def _variables(server: ir.Server) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    return tuple((v.name, v.default, v.enum) for v in server.variables)


def _op_doc(op: ir.Operation, args: list[tuple[str, str]]) -> str:
    parts = []
    if op.summary:
        parts.append(op.summary)
    if op.description and op.description != op.summary:
        parts.append(op.description)
    if op.deprecated:
        parts.append("Deprecated.")
    documented = [(n, " ".join(d.split())) for n, d in args if d]
    if documented:
        parts.append("Args:\n" + "\n".join(f"    {n}: {d}" for n, d in documented))
    parts.append(f"``{op.http_method} {op.path}``")
    return "\n\n".join(parts)


# -- the client ---------------------------------------------------------------------------------


@dataclass
class CtorArg:
    name: str
    annotation: str
    default: str
    doc: str
    env: str = ""


@dataclass
class ClientView:
    args: list[CtorArg]  # credential and server-variable arguments
    credentials: list[str]  # "name": Credential(...) entries
    env_reads: list[tuple[str, str]]  # (argument, environment variable)
    default_security: str
    servers: list[tuple[str, str, str]]  # (name, url template, variables literal)
    server_vars: list[ir.ServerVariable]  # one per constructor argument (the first server that has it)
    version: str
    description: str
    auth_imports: list[str]

    @property
    def server_mapping(self) -> Br:
        """``{"variable": argument, ...}``: the values given for the server variables."""
        return Br("{", [f"{pyrepr(v.name)}: {v.arg}" for v in self.server_vars], "}")


_PEP440 = __import__("re").compile(r"^\d+(\.\d+)*((a|b|rc)\d+)?(\.post\d+)?(\.dev\d+)?$")


def client_view(api: ir.Api) -> ClientView:
    args: list[CtorArg] = []
    creds: list[str] = []
    env_reads: list[tuple[str, str]] = []
    auth_imports: set[str] = set()
    for s in api.security_schemes:
        hint = f"pass {s.arg}=" + (f" or set {s.env_var}" if s.env_var else "")
        if s.kind == "bearer":
            args.append(CtorArg(s.arg, "str | None", "None", s.description or "Bearer token.", s.env_var))
            creds.append(f"{pyrepr(s.name)}: HTTPBearer({s.arg}, hint={pyrepr(hint)})")
            auth_imports.add("HTTPBearer")
        elif s.kind == "apikey":
            args.append(CtorArg(s.arg, "str | None", "None", s.description or f"API key sent as {s.param_name}.",
                                s.env_var))
            creds.append(f"{pyrepr(s.name)}: APIKey({s.arg}, name={pyrepr(s.param_name)}, "
                         f"location={pyrepr(s.location)}, hint={pyrepr(hint)})")
            auth_imports.add("APIKey")
        elif s.kind == "basic":
            user, pw = (("username", "password") if s.arg == "credentials"
                        else (f"{s.arg}_username", f"{s.arg}_password"))
            args.append(CtorArg(user, "str | None", "None", "HTTP basic user name.",
                                f"{api.env_prefix}_{user.upper()}"))
            args.append(CtorArg(pw, "str | None", "None", "HTTP basic password.", f"{api.env_prefix}_{pw.upper()}"))
            env_reads += [(user, f"{api.env_prefix}_{user.upper()}"), (pw, f"{api.env_prefix}_{pw.upper()}")]
            creds.append(f"{pyrepr(s.name)}: HTTPBasic({user}, {pw}, hint={pyrepr(f'pass {user}= and {pw}=')})")
            auth_imports.add("HTTPBasic")
        elif s.kind == "oauth2":
            cid, secret = (("client_id", "client_secret") if s.arg == "client_credentials"
                           else (f"{s.arg}_client_id", f"{s.arg}_client_secret"))
            args.append(CtorArg(cid, "str | None", "None", "OAuth2 client id.", f"{api.env_prefix}_{cid.upper()}"))
            args.append(CtorArg(secret, "str | None", "None", "OAuth2 client secret.",
                                f"{api.env_prefix}_{secret.upper()}"))
            env_reads += [(cid, f"{api.env_prefix}_{cid.upper()}"), (secret, f"{api.env_prefix}_{secret.upper()}")]
            creds.append(f"{pyrepr(s.name)}: OAuth2ClientCredentials({cid}, {secret}, token_url={pyrepr(s.token_url)}, "
                         f"scopes={pyrepr(list(s.scopes))}, hint={pyrepr(f'pass {cid}= and {secret}=')})")
            auth_imports.add("OAuth2ClientCredentials")
        if s.env_var and s.kind in ("bearer", "apikey"):
            env_reads.append((s.arg, s.env_var))
    reqs = ", ".join("{" + ", ".join(f"{pyrepr(n)}: {pyrepr(list(sc))}" for n, sc in req) + "}"
                     for req in api.default_security)
    servers = [(sv.name or str(i), sv.url, pyrepr(_variables(sv))) for i, sv in enumerate(api.servers)]
    server_vars: dict[str, ir.ServerVariable] = {}
    for sv in [*api.servers, *(s for g in api.groups for op in g.operations for s in op.servers[:1])]:
        for v in sv.variables:
            server_vars.setdefault(v.arg, v)
    version = api.version if _PEP440.match(api.version) else "0.0.0"
    return ClientView(args, creds, env_reads, f"[{reqs}]", servers, sorted(server_vars.values(), key=lambda v: v.arg),
                      version, api.description,
                      sorted(auth_imports))
