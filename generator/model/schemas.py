"""JSON Schema (OpenAPI 3.0 and 3.1 dialects) -> IR types and definitions.

One ``SchemaConverter`` per build.  Component schemas are named first (sorted, so names do not
depend on traversal order); inline schemas are named from where they appear
(``UpdateWorkspaceRequest``, ``ChatRequestMessage``).  A schema location is converted once and
cached, so a schema reached through several ``$ref`` paths yields one definition, and recursion
ends at the definition being built.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Literal

from generator.diagnostics import Diagnostic, DiagnosticError, warning
from generator.load.loader import Location, Spec, mapping
from generator.model import ir, naming

# keywords that do not change the shape of a value: a $ref with only these beside it is the ref
_ANNOTATIONS = frozenset({
    "$ref", "description", "summary", "title", "example", "examples", "deprecated", "readOnly", "writeOnly",
    "default", "externalDocs", "xml", "$comment", "$id", "$anchor", "$schema", "nullable", "format",
    "discriminator", "$defs", "definitions",
})
_FORMATS = {"date-time": "datetime", "date": "date", "uuid": "uuid", "byte": "bytes", "binary": "binary"}
# a Prim is an immutable value: one instance of each kind serves every scalar schema (GitHub's spec
# has 33,000), so the build allocates, and the garbage collector scans, none per schema
_PRIMS: dict[str, ir.Prim] = {kind: ir.Prim(kind)  # type: ignore[arg-type]
                              for kind in ("str", "int", "float", "bool", *_FORMATS.values())}
MAX_DEPTH = 64


class SchemaConverter:
    def __init__(self, spec: Spec, diagnostics: list[Diagnostic]) -> None:
        self.spec = spec
        self.diagnostics = diagnostics
        self.namer = naming.Namer()
        self.definitions: dict[str, ir.Definition] = {}
        self._by_loc: dict[Location, ir.TypeRef] = {}
        self._component_names: dict[Location, str] = {}
        self._pending: set[Location] = set()
        self._depth = 0
        self._resolved: dict[Location, tuple[Any, Location]] = {}  # $ref target -> where its chain ends
        self._bases: list[tuple[Location, dict[str, Any]]] = []  # models with a discriminator of their own
        self._extends_refs: list[tuple[Location, Location]] = []  # (definition, schema its allOf names)

    # -- public --------------------------------------------------------------------------

    def declare_components(self) -> None:
        doc = self.spec.document
        comps = mapping(doc.get("components"))
        schemas = mapping(comps.get("schemas"))
        root = Location(self.spec.root, "/components/schemas")
        for name in sorted(schemas):
            value = schemas[name]
            override = value.get("x-codegen-name") if isinstance(value, dict) else None
            py = naming.pascal(override if isinstance(override, str) else name)
            self._component_names[root.child(name)] = self.namer.claim(py)

    def finish(self) -> dict[str, ir.Definition]:
        """Convert every component (used or not), then return all definitions sorted by name."""
        for loc in sorted(self._component_names, key=lambda loc: loc.pointer):
            self.ref_type(loc)
        self._subtype_discriminators()
        return {n: self.definitions[n] for n in sorted(self.definitions)}

    def _subtype_discriminators(self) -> None:
        """A ``discriminator`` on a base schema that other schemas extend with ``allOf`` (OpenAPI
        3.0.3 §4.7.25, "models with polymorphism support"): the base model decodes the subtype its
        tag names, from the explicit ``mapping`` or else the subtype's schema name.  Only
        subtypes that became subclasses of the base's class are listed (a decoded value is an
        instance of the type it is declared as)."""
        if not self._bases:
            return
        children: dict[Location, list[Location]] = {}  # schema -> the definitions whose allOf names it
        for loc, target in self._extends_refs:
            children.setdefault(target, []).append(loc)
        bases = sorted(self._bases, key=lambda b: (str(b[0].file), b[0].pointer))
        for loc, value in bases:
            base = self._by_loc.get(loc)
            base = base.inner if isinstance(base, ir.Nullable) else base
            model = self.definitions.get(base.name) if isinstance(base, ir.Ref) else None
            if not isinstance(model, ir.ModelDef):
                continue
            raw = value["discriminator"]
            mapping: dict[str, str] = {}
            for tag, ref in mapping_items(raw.get("mapping")):
                try:
                    t = self.ref_type(self.ref_target_any(ref, loc))
                except DiagnosticError:
                    self._warn("discriminator", f"discriminator mapping {tag!r} -> {ref!r} does not resolve", loc)
                    continue
                t = t.inner if isinstance(t, ir.Nullable) else t
                if isinstance(t, ir.Ref):
                    mapping[tag] = t.name
            stack, seen = list(children.get(loc, [])), {loc}
            while stack:  # implicit: every schema that extends the base, directly or not, by its name
                sub = stack.pop()
                if sub in seen:
                    continue
                seen.add(sub)
                stack += children.get(sub, [])
                found = self._by_loc.get(sub)
                found = found.inner if isinstance(found, ir.Nullable) else found
                if isinstance(found, ir.Ref) and found.name not in mapping.values():
                    mapping.setdefault(_name_from_location(sub), found.name)
            subclasses = {tag: name for tag, name in mapping.items() if name != model.name
                          and self._extends(name, model.name)}
            if subclasses:
                self.definitions[model.name] = replace(
                    model, discriminator=ir.Discriminator(raw["propertyName"], tuple(sorted(subclasses.items()))))

    def _extends(self, name: str, base: str) -> bool:
        seen = set()
        d = self.definitions.get(name)
        while isinstance(d, ir.ModelDef) and d.base and d.name not in seen:
            if d.base == base:
                return True
            seen.add(d.name)
            d = self.definitions.get(d.base)
        return False

    def types(self) -> dict[Location, ir.TypeRef]:
        """Every schema location converted so far and the type it became."""
        return dict(self._by_loc)

    def resolve(self, value: Any, at: Location) -> tuple[Any, Location]:
        """``Spec.resolve``, remembered by the ``$ref``'s target: where a chain of ``$ref`` ends
        depends on nothing else, and a spec points at the same parameter, response or schema from
        hundreds of places (the document does not change during a build).  A ``$ref`` that does not
        resolve is not remembered: every place that names it reports it."""
        if not (isinstance(value, dict) and "$ref" in value and isinstance(value["$ref"], str)):
            return value, at
        target = self.spec.ref_target(value["$ref"], at)
        found = self._resolved.get(target)
        if found is None:
            found = self._resolved[target] = self.spec.resolve(value, at)
        return found

    def model_for(self, t: ir.TypeRef) -> ir.ModelDef | None:
        if isinstance(t, ir.Ref):
            d = self.definitions.get(t.name)
            return d if isinstance(d, ir.ModelDef) else None
        return None

    def convert(self, schema: Any, loc: Location, hint: str) -> ir.TypeRef:
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                self._warn("schema-depth", "schema nests too deeply; typed as Any", loc)
                return ir.ANY
            return self._convert(schema, loc, hint)
        finally:
            self._depth -= 1

    # -- references ----------------------------------------------------------------------

    def ref_type(self, target: Location) -> ir.TypeRef:
        cached = self._by_loc.get(target)
        if cached is not None:
            return cached
        if target in self._pending:
            return ir.ANY  # recursion through a schema that needs no definition (array of itself)
        value, real = self.spec.resolve(self.spec.get(target), target)
        if real != target:
            t = self.ref_type(real)
            self._by_loc[target] = t
            return t
        name = self._component_names.get(target)
        if _needs_definition(value):
            if name is None:
                name = self.namer.claim(naming.pascal(_name_from_location(target), fallback="Model"))
                self._component_names[target] = name
            ref: ir.TypeRef = ir.Ref(name)
            if _is_nullable(value):  # every reference to a nullable class may hold None
                ref = ir.Nullable(ref)
            self._by_loc[target] = ref
            self._define(name, value, target)
            return ref
        self._pending.add(target)
        try:
            t = self.convert(value, target, name or naming.pascal(_name_from_location(target)))
        finally:
            self._pending.discard(target)
        self._by_loc[target] = t
        return t

    # -- conversion ----------------------------------------------------------------------

    def _convert(self, schema: Any, loc: Location, hint: str) -> ir.TypeRef:
        if schema is True or schema is None or schema == {}:
            return ir.ANY
        if schema is False or not isinstance(schema, dict):
            if schema is not False:
                self._warn("schema", f"a schema must be an object, found {type(schema).__name__}; typed as Any", loc)
            return ir.ANY
        nullable = _is_nullable(schema)
        if "$ref" in schema and isinstance(schema["$ref"], str):
            extra = [k for k in schema if k not in _ANNOTATIONS and not k.startswith("x-")]
            try:
                target = self.spec.ref_target(schema["$ref"], loc)
                if extra and any(k in schema for k in ("properties", "allOf", "required", "additionalProperties")):
                    # 3.1: $ref with sibling keywords means both apply
                    merged = {k: v for k, v in schema.items() if k != "$ref"}
                    merged["allOf"] = [{"$ref": schema["$ref"]}, *schema.get("allOf", [])]
                    return self._convert(merged, loc, hint)
                t = self.ref_type(target)
            except DiagnosticError as exc:  # a $ref that does not resolve: the spec is broken here
                for d in exc.diagnostics:
                    self._report(d, d.message + "; typed as Any", loc)
                return ir.ANY
            return _nullable(t) if nullable else t
        if _needs_definition(schema):
            cached = self._by_loc.get(loc)
            if cached is None:
                name = self.namer.claim(naming.pascal(_title_hint(schema) or hint, fallback="Model"))
                cached = ir.Ref(name)
                self._by_loc[loc] = cached
                self._define(name, schema, loc)
            return _nullable(cached) if nullable else cached
        t = self._plain(schema, loc, hint, nullable)
        self._by_loc.setdefault(loc, t)
        return t

    def _plain(self, schema: dict[str, Any], loc: Location, hint: str, nullable: bool) -> ir.TypeRef:
        """Schemas that need no definition: scalars, arrays, maps, literals, trivial wrappers."""
        t: ir.TypeRef
        if "const" in schema:
            t = ir.LiteralOf((schema["const"],)) if _is_literal_value(schema["const"]) else ir.ANY
        elif isinstance(schema.get("enum"), list):
            values = [v for v in schema["enum"] if v is not None]
            nullable = nullable or len(values) < len(schema["enum"])
            if values and all(_is_literal_value(v) for v in values):
                t = ir.LiteralOf(tuple(values))
            elif values and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
                t = _PRIMS["float"]  # numbers a Literal cannot hold (1.5): typed by what they are
            else:
                t = ir.ANY
        elif isinstance(schema.get("allOf"), list) or isinstance(schema.get("oneOf"), list) or isinstance(
                schema.get("anyOf"), list):
            t = self._trivial_composition(schema, loc, hint)
            if isinstance(t, ir.Nullable):
                nullable, t = True, t.inner
        else:
            types = _types_of(schema)
            non_null = [x for x in types if x != "null"]
            if len(non_null) > 1:
                variants = tuple(self._plain({**schema, "type": x}, loc, hint, False) for x in non_null)
                t = ir.AnyOf(_dedupe(variants))
            elif not non_null:
                t = ir.Prim("none") if types == ["null"] else ir.ANY
                if types == ["null"]:
                    return t
            else:
                t = self._typed(non_null[0], schema, loc, hint)
        return _nullable(t) if nullable else t

    def _typed(self, kind: str, schema: dict[str, Any], loc: Location, hint: str) -> ir.TypeRef:
        if kind == "string":
            fmt = schema.get("format")
            return _PRIMS[_FORMATS.get(fmt, "str") if isinstance(fmt, str) else "str"]
        if kind == "integer":
            return _PRIMS["int"]
        if kind == "number":
            return _PRIMS["float"]
        if kind == "boolean":
            return _PRIMS["bool"]
        if kind == "array":
            items = schema.get("items")
            if items is None and isinstance(schema.get("prefixItems"), list):
                return ir.ListOf(ir.ANY)
            return ir.ListOf(self.convert(items, loc.child("items"), hint + "Item") if items is not None else ir.ANY)
        if kind == "object":
            add = schema.get("additionalProperties", schema.get("patternProperties") and True)
            if isinstance(add, dict) and add:
                return ir.MapOf(self.convert(add, loc.child("additionalProperties"), hint + "Value"))
            return ir.MapOf(ir.ANY)
        self._warn("schema", f"unknown type {kind!r}; typed as Any", loc)
        return ir.ANY

    def _trivial_composition(self, schema: dict[str, Any], loc: Location, hint: str) -> ir.TypeRef:
        """allOf of one schema; oneOf/anyOf whose variants are one schema plus null, or need no decoding."""
        for key in ("allOf", "oneOf", "anyOf"):
            items = schema.get(key)
            if not isinstance(items, list):
                continue
            variants = [self.convert(v, loc.child(key, i), hint) for i, v in enumerate(items)
                        if not _is_null_schema(v) and not (key == "allOf" and _is_annotation_only(v))]
            has_null = any(_is_null_schema(v) for v in items)
            if key != "allOf" and any(isinstance(v, ir.Nullable) for v in variants):
                # a variant that may be null makes the union nullable (``None`` once, outside)
                has_null = True
                variants = [v.inner if isinstance(v, ir.Nullable) else v for v in variants]
            if not variants:
                return ir.Prim("none")
            if len(variants) == 1:
                t = variants[0]
            else:
                t = ir.AnyOf(_dedupe(tuple(variants)))
                if len(t.variants) == 1:
                    t = t.variants[0]
            return _nullable(t) if has_null else t
        return ir.ANY

    # -- definitions ---------------------------------------------------------------------

    def _define(self, name: str, schema: dict[str, Any], loc: Location) -> None:
        # what _subtype_discriminators needs, noted as definitions are made (no second walk)
        if isinstance(schema.get("discriminator"), dict) and isinstance(
                schema["discriminator"].get("propertyName"), str) and _union_items(schema) is None:
            self._bases.append((loc, schema))
        parts = schema.get("allOf")
        for i, part in enumerate(parts if isinstance(parts, list) else []):
            if isinstance(part, dict) and isinstance(part.get("$ref"), str):
                try:
                    self._extends_refs.append((loc, self.spec.ref_target(part["$ref"], loc.child("allOf", i))))
                except DiagnosticError:
                    pass
        try:
            if isinstance(schema.get("enum"), list):
                self.definitions[name] = self._enum(name, schema, loc)
            elif _union_items(schema) is not None and not _has_own_properties(schema):
                self.definitions[name] = self._union(name, schema, loc)
            else:
                self.definitions[name] = self._model(name, schema, loc)
        except DiagnosticError as exc:
            for d in exc.diagnostics:
                self._report(d, d.message, loc)
            self.definitions[name] = ir.ModelDef(name, (), _doc(schema), ir.ANY, loc.pointer)

    def _enum(self, name: str, schema: dict[str, Any], loc: Location) -> ir.EnumDef:
        values = [v for v in schema["enum"] if v is not None]
        base: Literal["str", "int"] = (
            "int" if all(isinstance(v, int) and not isinstance(v, bool) for v in values) else "str")
        namer = naming.Namer({"mro", "name", "value"})
        members = []
        seen: set[Any] = set()
        for v in values:
            key = v if base == "int" else str(v)
            if key in seen:
                continue
            seen.add(key)
            label = naming.upper_snake(str(v), fallback="VALUE") if str(v) else "EMPTY"
            if base == "int":
                label = ("MINUS_" if v < 0 else "VALUE_") + str(abs(v))
            members.append(ir.EnumMember(namer.claim(label), key))
        return ir.EnumDef(name, base, tuple(members), _doc(schema), loc.pointer)

    def _union(self, name: str, schema: dict[str, Any], loc: Location) -> ir.UnionDef:
        key, items = _union_items(schema)  # type: ignore[misc]
        variants: list[ir.TypeRef] = []
        for i, item in enumerate(items):
            if _is_null_schema(item):
                continue
            variants.append(self.convert(item, loc.child(key, i), name + _variant_hint(item, i, schema)))
        disc = self._discriminator(schema, loc, items, key, variants)
        if any(_is_null_schema(i) for i in items):
            variants.append(ir.Prim("none"))
        return ir.UnionDef(name, _dedupe(tuple(variants)), disc, _doc(schema), loc.pointer)

    def _discriminator(self, schema: dict[str, Any], loc: Location, items: list[Any], key: str,
                       variants: list[ir.TypeRef]) -> ir.Discriminator | None:
        raw = schema.get("discriminator")
        if not isinstance(raw, dict) or not isinstance(raw.get("propertyName"), str):
            return None
        prop = raw["propertyName"]
        mapping: dict[str, str] = {}
        if isinstance(raw.get("mapping"), dict):
            for value, ref in raw["mapping"].items():
                try:
                    target = self.ref_target_any(ref, loc)
                    t = self.ref_type(target)
                except DiagnosticError:
                    self._warn("discriminator", f"discriminator mapping {value!r} -> {ref!r} does not resolve", loc)
                    continue
                if isinstance(t, ir.Ref):
                    mapping[str(value)] = t.name
        for item, t in zip([i for i in items if not _is_null_schema(i)], variants, strict=False):
            if not isinstance(t, ir.Ref) or t.name in mapping.values():
                continue
            if isinstance(item, dict) and isinstance(item.get("$ref"), str):
                implicit = item["$ref"].rsplit("/", 1)[-1]
                mapping.setdefault(implicit, t.name)
        return ir.Discriminator(prop, tuple(sorted(mapping.items())))

    def ref_target_any(self, ref: str, loc: Location) -> Location:
        if not ref.startswith("#") and "/" not in ref and "." not in ref:
            ref = f"#/components/schemas/{ref}"  # a bare schema name is allowed in mappings
        return self.spec.ref_target(ref, loc)

    def _model(self, name: str, schema: dict[str, Any], loc: Location) -> ir.ModelDef:
        props: dict[str, tuple[Any, Location]] = {}
        required: set[str] = set()
        additional: list[tuple[Any, Location]] = []
        self._collect(schema, loc, props, required, additional, set(), 0)
        namer = naming.Namer(naming.RESERVED_FIELD_NAMES)
        fields = []
        for wire, (ps, ploc) in props.items():
            t = self.convert(ps, ploc, name + naming.pascal(wire, fallback="Field"))
            resolved = self._annotations(ps, ploc)
            fields.append(ir.Field(
                name=namer.claim(self._field_name(wire)),
                wire=wire,
                type=t,
                required=wire in required,
                description=_doc(resolved),
                default=resolved.get("default"),
                has_default="default" in resolved,
                deprecated=resolved.get("deprecated") is True,
                read_only=resolved.get("readOnly") is True,
                write_only=resolved.get("writeOnly") is True,
                example=_example(resolved)[0],
                has_example=_example(resolved)[1],
            ))
        add_t: ir.TypeRef | None = ir.ANY
        for add, aloc in additional:
            if isinstance(add, dict) and add:
                add_t = self.convert(add, aloc, name + "Value")
        example = schema.get("example")
        model = ir.ModelDef(name, tuple(fields), _doc(schema), add_t, loc.pointer, example, "example" in schema,
                            schema.get("deprecated") is True)
        base = self._base_of(schema, loc, model)
        return replace(model, base=base) if base else model

    def _field_name(self, wire: str) -> str:
        """``naming.field_name``; a name that is also a model class's (``Pet``) is suffixed: in
        the class body it would hide the class from the annotations that follow."""
        name = naming.field_name(wire)
        return name + "_" if name in self.namer else name

    def _base_of(self, schema: dict[str, Any], loc: Location, model: ir.ModelDef) -> str | None:
        """The model this one may subclass: its allOf names exactly one other model, and every field
        of that model comes through unchanged (same name, type and requiredness), so an instance of
        the subclass is a sound instance of the base."""
        parts = schema.get("allOf")
        if not isinstance(parts, list):
            return None
        refs = [(i, p) for i, p in enumerate(parts) if isinstance(p, dict) and isinstance(p.get("$ref"), str)]
        if len(refs) != 1:
            return None
        i, part = refs[0]
        try:
            t = self.ref_type(self.spec.ref_target(part["$ref"], loc.child("allOf", i)))
        except DiagnosticError:
            return None
        base = self.definitions.get(t.name) if isinstance(t, ir.Ref) else None
        if not isinstance(base, ir.ModelDef) or base.name == model.name or base.additional != model.additional:
            return None
        mine = {f.wire: f for f in model.fields}
        for f in base.fields:
            other = mine.get(f.wire)
            if other is None or (other.name, other.type, other.required) != (f.name, f.type, f.required):
                return None
        return base.name

    def _collect(self, schema: Any, loc: Location, props: dict[str, tuple[Any, Location]], required: set[str],
                 additional: list[tuple[Any, Location]], seen: set[Location], depth: int) -> None:
        if depth > MAX_DEPTH or not isinstance(schema, dict):
            return
        if "$ref" in schema and isinstance(schema["$ref"], str):
            target = self.spec.ref_target(schema["$ref"], loc)
            if target in seen:
                return
            seen.add(target)
            value, real = self.resolve(schema, loc)
            self._collect(value, real, props, required, additional, seen, depth + 1)
        for i, part in enumerate(schema.get("allOf", []) if isinstance(schema.get("allOf"), list) else []):
            self._collect(part, loc.child("allOf", i), props, required, additional, seen, depth + 1)
        if isinstance(schema.get("properties"), dict):
            for wire, ps in schema["properties"].items():
                props[str(wire)] = (ps, loc.child("properties", wire))
        if isinstance(schema.get("required"), list):
            required.update(str(r) for r in schema["required"])
        if "additionalProperties" in schema:
            additional.append((schema["additionalProperties"], loc.child("additionalProperties")))

    def _annotations(self, ps: Any, loc: Location) -> dict[str, Any]:
        """A property's own annotations, falling back to its $ref target's."""
        if not isinstance(ps, dict):
            return {}
        if "$ref" in ps:
            try:
                target, _ = self.resolve(ps, loc)
            except DiagnosticError:
                return ps
            if isinstance(target, dict):
                return {**{k: v for k, v in target.items() if k in ("description", "title", "example")}, **ps}
        return ps

    def _report(self, found: Diagnostic, message: str, loc: Location) -> None:
        """A loader problem met while converting the schema at ``loc``, with its own severity."""
        self.diagnostics.append(replace(found, message=message, file=self.spec.display(loc.file), pointer=loc.pointer,
                                        line=self.spec.line_of(loc), column=None))

    def _warn(self, code: str, message: str, loc: Location) -> None:
        self.diagnostics.append(warning(code, message, self.spec.display(loc.file), loc.pointer,
                                        self.spec.line_of(loc)))


# -- classification helpers -----------------------------------------------------------------


def mapping_items(raw: Any) -> list[tuple[str, str]]:
    """A discriminator ``mapping``'s (value, reference) pairs that are strings."""
    if not isinstance(raw, dict):
        return []
    return [(str(k), v) for k, v in raw.items() if isinstance(v, str)]


def _types_of(schema: dict[str, Any]) -> list[str]:
    t = schema.get("type")
    if isinstance(t, str):
        return [t]
    if isinstance(t, list):
        return [x for x in t if isinstance(x, str)]
    if "properties" in schema or "additionalProperties" in schema:
        return ["object"]
    if "items" in schema:
        return ["array"]
    return []


def _is_nullable(schema: dict[str, Any]) -> bool:
    if schema.get("nullable") is True:
        return True
    if isinstance(schema.get("enum"), list) and None in schema["enum"]:
        return True
    union = _union_items(schema)
    if union is not None and any(_is_null_schema(v) or (isinstance(v, dict) and "$ref" not in v and _is_nullable(v))
                                 for v in union[1]):
        return True  # a null variant, or one that may be null (3.0 nullable, 3.1 type list)
    t = schema.get("type")
    return isinstance(t, list) and "null" in t and len(t) > 1


_SHAPE = frozenset({
    "$ref", "type", "properties", "additionalProperties", "patternProperties", "items", "prefixItems",
    "allOf", "oneOf", "anyOf", "enum", "const", "required",
})


def _is_annotation_only(s: Any) -> bool:
    """``{description: ...}``, ``{maxLength: 16}`` and the like: a part that adds words or
    constraints, not shape."""
    return isinstance(s, dict) and not (_SHAPE & s.keys())


def _structural_parts(parts: list[Any]) -> list[Any]:
    return [p for p in parts if not _is_null_schema(p) and not _is_annotation_only(p)]


def _is_null_schema(s: Any) -> bool:
    return isinstance(s, dict) and (s.get("type") == "null" or s.get("type") == ["null"] or (
        s.get("enum") == [None]) or ("const" in s and s["const"] is None))


def _is_literal_value(v: Any) -> bool:
    return isinstance(v, (str, int, bool)) and not isinstance(v, float)


def _union_items(schema: dict[str, Any]) -> tuple[str, list[Any]] | None:
    for key in ("oneOf", "anyOf"):
        items = schema.get(key)
        if isinstance(items, list) and items:
            return key, items
    return None


def _has_own_properties(schema: dict[str, Any]) -> bool:
    return isinstance(schema.get("properties"), dict) and bool(schema["properties"])


def _needs_definition(schema: Any) -> bool:
    """Whether a schema becomes a named class (model, enum, union) rather than an inline type."""
    if not isinstance(schema, dict):
        return False
    if isinstance(schema.get("enum"), list):
        values = [v for v in schema["enum"] if v is not None]
        return len(values) > 1 and all(isinstance(v, (str, int)) and not isinstance(v, bool) for v in values) and (
            all(isinstance(v, str) for v in values) or all(isinstance(v, int) for v in values))
    if "const" in schema:
        return False
    if _has_own_properties(schema):
        return True
    all_of = schema.get("allOf")
    if isinstance(all_of, list) and len(_structural_parts(all_of)) > 1:
        return True
    union = _union_items(schema)
    if union is not None:
        real = [v for v in union[1] if not _is_null_schema(v)]
        return len(real) > 1 and not all(_is_plain_scalar(v) for v in real)
    return False


def _is_plain_scalar(s: Any) -> bool:
    """A variant that decodes as itself (no class): scalars and arrays/maps of scalars."""
    if not isinstance(s, dict) or "$ref" in s:
        return False
    if _needs_definition(s):
        return False
    t = _types_of(s)
    if "array" in t:
        return _is_plain_scalar(s.get("items")) if isinstance(s.get("items"), dict) else True
    if "object" in t:
        add = s.get("additionalProperties")
        return not (isinstance(add, dict) and add) or _is_plain_scalar(add)
    return not isinstance(s.get("allOf") or s.get("oneOf") or s.get("anyOf"), list)


def _nullable(t: ir.TypeRef) -> ir.TypeRef:
    if isinstance(t, ir.Nullable) or t == ir.ANY or t == ir.Prim("none"):
        return t
    return ir.Nullable(t)


def _dedupe(variants: tuple[ir.TypeRef, ...]) -> tuple[ir.TypeRef, ...]:
    out: list[ir.TypeRef] = []
    for v in variants:
        if isinstance(v, ir.AnyOf):
            for x in v.variants:
                if x not in out:
                    out.append(x)
        elif v not in out:
            out.append(v)
    return tuple(out)


def _doc(schema: Any) -> str:
    """The schema's description; else its title when that is prose (``Api_Keys_Response_200`` names
    the schema, it does not describe it); else the description of the one non-null branch of a
    nullable ``anyOf``/``oneOf`` written inline."""
    if not isinstance(schema, dict):
        return ""
    d = schema.get("description")
    if isinstance(d, str) and d.strip():
        return d.strip()
    t = schema.get("title")
    if isinstance(t, str) and _is_prose(t):
        return t.strip()
    for key in ("anyOf", "oneOf"):
        branches = schema.get(key)
        if isinstance(branches, list):
            real = [b for b in branches if not _is_null_schema(b)]
            if len(real) == 1 and len(branches) > 1 and isinstance(real[0], dict) and "$ref" not in real[0]:
                return _doc(real[0])
    return ""


def _example(schema: dict[str, Any]) -> tuple[Any, bool]:
    """A schema's example: ``example``, else the first of its ``examples`` (JSON Schema), else
    that of the one non-null branch of an inline nullable ``anyOf``/``oneOf``."""
    if "example" in schema:
        return schema["example"], True
    examples = schema.get("examples")
    if isinstance(examples, list) and examples:
        return examples[0], True
    for key in ("anyOf", "oneOf"):
        branches = schema.get(key)
        if isinstance(branches, list):
            real = [b for b in branches if not _is_null_schema(b)]
            if len(real) == 1 and len(branches) > 1 and isinstance(real[0], dict) and "$ref" not in real[0]:
                return _example(real[0])
    return None, False


def _is_prose(text: str) -> bool:
    """Words a person wrote, not an identifier (no spaces, or snake/camel/Pascal case)."""
    return any(c.isspace() for c in text.strip())


def _title_hint(schema: dict[str, Any]) -> str:
    return ""


def _name_from_location(loc: Location) -> str:
    from generator.diagnostics import split_pointer

    tokens = split_pointer(loc.pointer)
    if tokens:
        return tokens[-1]
    return loc.file.stem


def _variant_hint(item: Any, index: int, parent: dict[str, Any]) -> str:
    if isinstance(item, dict):
        discriminator = parent.get("discriminator")
        disc = discriminator.get("propertyName") if isinstance(discriminator, dict) else None
        props = mapping(item.get("properties"))
        for pname in ([disc] if isinstance(disc, str) and disc else []) + ["type", "kind", "role", "object"]:
            p = props.get(pname) if pname else None
            if isinstance(p, dict):
                v = p.get("const")
                if v is None and isinstance(p.get("enum"), list) and len(p["enum"]) == 1:
                    v = p["enum"][0]
                if isinstance(v, str) and v:
                    return naming.pascal(v)
        if isinstance(item.get("title"), str) and item["title"].strip():
            return naming.pascal(item["title"])
    return f"Variant{index + 1}"
