"""The difference between two versions of a spec, in terms of the generated Python API.

Both sides are built into ``ir.Api`` and compared structurally; things are matched by what the
spec says they are, not by their Python names, so a rename is seen as a rename:

* methods by HTTP method and path (then by Python name, for an operation that moved path);
* arguments by where they go on the wire (``query`` ``limit``, body property ``name``, ...);
* models, enums and unions by the spec location of their schema and their name (see
  ``_match_definitions``), a rename being a new name at the same location;
* fields by JSON property name, enum members by value.

Whether a change breaks callers depends on the direction data flows: an argument type that gets
wider is fine, a response type that gets wider is not.  Models are classified by where they are
used (request, response, or both) and judged accordingly.

``public_names(api)`` is the name lock recorded in ``codegen.lock``: spec location -> Python name.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Literal

from generator.diagnostics import join_pointer
from generator.model import ir
from generator.model.build import refs_in_type

Relation = Literal["same", "wider", "narrower", "changed"]
_PAST = {"same": "unchanged", "wider": "widened", "narrower": "narrowed", "changed": "changed"}
Bump = Literal["major", "minor", "patch", "none"]


@dataclass(frozen=True)
class Change:
    kind: str  # e.g. "method-removed", "argument-added", "field-type-narrowed"
    breaking: bool
    subject: str  # the Python API element, e.g. "client.workspaces.list(limit=)"
    message: str
    location: str = ""  # where in the spec (JSON pointer / method and path)


@dataclass
class ApiDiff:
    changes: list[Change] = field(default_factory=list)
    identical: bool = True  # the two IRs are equal (not even a description changed)

    @property
    def breaking(self) -> list[Change]:
        return [c for c in self.changes if c.breaking]

    @property
    def non_breaking(self) -> list[Change]:
        return [c for c in self.changes if not c.breaking]

    @property
    def semver(self) -> Bump:
        if self.breaking:
            return "major"
        if self.changes:
            return "minor"
        return "none" if self.identical else "patch"

    def to_json(self) -> str:
        data = {"semver": self.semver, "breaking": [asdict(c) for c in self.breaking],
                "non_breaking": [asdict(c) for c in self.non_breaking]}
        return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"

    def to_markdown(self, title: str) -> str:
        lines = [f"## API changes: {title}", ""]
        why = {"major": "breaking changes", "minor": "compatible additions or changes only",
               "patch": "documentation or wire details only; the Python API is the same",
               "none": "nothing changed"}[self.semver]
        lines += [(f"Suggested version bump: **{self.semver}** ({why}; {len(self.breaking)} breaking, "
                  f"{len(self.non_breaking)} non-breaking)"), ""]
        for heading, changes in (("Breaking", self.breaking), ("Non-breaking", self.non_breaking)):
            if changes:
                lines += [f"### {heading}", ""]
                lines += [f"- `{c.subject}`: {c.message}" + (f" ({c.location})" if c.location else "")
                          for c in changes]
                lines.append("")
        return "\n".join(lines).rstrip("\n") + "\n"


# -- the name lock ---------------------------------------------------------------------------


def operation_location(op: ir.Operation) -> str:
    return "#" + join_pointer("/paths", op.path, op.http_method.lower())


def public_names(api: ir.Api) -> dict[str, str]:
    """Spec location -> the Python name it got: classes, fields, methods and their arguments."""
    names: dict[str, str] = {}
    for group in api.groups:
        for op in group.operations:
            loc = operation_location(op)
            names[loc] = f"{group.name}.{op.name}"
            for arg in _arguments(op).values():
                names[loc + arg.location] = f"{group.name}.{op.name}({arg.name})"
    for name, loc in _definition_locations(api).items():
        d = api.definitions[name]
        names[loc] = d.name
        if isinstance(d, ir.ModelDef):
            for f in d.fields:
                names[join_pointer(loc, "properties", f.wire)] = f"{d.name}.{f.name}"
    return dict(sorted(names.items()))


_PARAMETER_SCHEMA = re.compile(r"/parameters/\d+/schema")


def _definition_locations(api: ir.Api) -> dict[str, str]:
    """Definition name -> its location: the JSON pointer of its schema, except for a schema
    written inline in a parameter, whose pointer holds the parameter's index (which shifts when a
    parameter before it is removed): that one is located by the parameter's ``in`` and name."""
    counts = Counter(d.source for d in api.definitions.values())
    locations = {d.name: "#" + d.source for d in api.definitions.values() if counts[d.source] == 1}
    moved: set[str] = set()
    for group in api.groups:
        for op in group.operations:
            for arg in _arguments(op).values():
                if not arg.location.startswith("/parameters/"):
                    continue
                for name in sorted(refs_in_type(arg.type) - moved):
                    d = api.definitions.get(name)
                    m = _PARAMETER_SCHEMA.search(d.source) if d is not None else None
                    if d is not None and m is not None and name in locations:
                        locations[name] = f"{operation_location(op)}{arg.location}/schema{d.source[m.end():]}"
                        moved.add(name)
    return locations


# -- comparing two APIs ----------------------------------------------------------------------


def diff_apis(old: ir.Api, new: ir.Api) -> ApiDiff:
    return _Differ(old, new).run()


@dataclass(frozen=True)
class _Arg:
    location: str  # relative to the operation: "/parameters/query/limit", "/requestBody/properties/name"
    name: str
    type: ir.TypeRef
    required: bool
    positional: bool


def _arguments(op: ir.Operation) -> dict[str, _Arg]:
    args: dict[str, _Arg] = {}
    for p in op.params:
        loc = join_pointer("/parameters", p.location, p.wire)
        args[loc] = _Arg(loc, p.name, p.type, p.required, p.location == "path")
    if op.body is not None and op.body.fields is not None:
        for f in op.body.fields:
            loc = join_pointer("/requestBody/properties", f.wire)
            args[loc] = _Arg(loc, f.name, f.type, f.required, False)
    elif op.body is not None:
        args["/requestBody"] = _Arg("/requestBody", op.body.name, op.body.type, op.body.required, False)
    return args


def _methods(api: ir.Api) -> dict[tuple[str, str], tuple[ir.Group, ir.Operation]]:
    return {(op.http_method, op.path): (g, op) for g in api.groups for op in g.operations}


class _Differ:
    def __init__(self, old: ir.Api, new: ir.Api) -> None:
        self.old, self.new = old, new
        self.changes: list[Change] = []
        self.renamed: dict[str, str] = {}  # old definition name -> new name
        self.removed_defs: list[ir.Definition] = []
        self.added_defs: list[ir.Definition] = []
        self.pairs = self._match_definitions()
        self.usage = _usage(new)
        old_usage = _usage(old)
        for o, n in self.pairs:  # a model's use on either side counts
            self.usage[n.name] = self.usage.get(n.name, set()) | old_usage.get(o.name, set())

    def add(self, kind: str, breaking: bool, subject: str, message: str, location: str = "") -> None:
        self.changes.append(Change(kind, breaking, subject, message, location))

    def run(self) -> ApiDiff:
        self._compare_methods()
        self._compare_definitions()
        return ApiDiff(self.changes, identical=self.old == self.new)

    # -- methods ----------------------------------------------------------------------------

    def _compare_methods(self) -> None:
        old, new = _methods(self.old), _methods(self.new)
        pairs = [(old[k], new[k]) for k in sorted(old.keys() & new.keys())]
        gone = {k: old[k] for k in sorted(old.keys() - new.keys())}
        born = {k: new[k] for k in sorted(new.keys() - old.keys())}
        by_name = {(g.name, op.name): k for k, (g, op) in born.items()}
        for k, (g, op) in list(gone.items()):
            nk = by_name.get((g.name, op.name))
            if nk is not None:  # same Python method, new endpoint: callers do not notice
                ng, nop = born.pop(nk)
                del gone[k]
                self.add("method-endpoint-changed", False, f"client.{g.name}.{op.name}()",
                         f"now calls {nop.http_method} {nop.path} (was {op.http_method} {op.path})")
                pairs.append(((g, op), (ng, nop)))
        for g, op in gone.values():
            self.add("method-removed", True, f"client.{g.name}.{op.name}()", "method removed",
                     f"{op.http_method} {op.path}")
        for g, op in born.values():
            self.add("method-added", False, f"client.{g.name}.{op.name}()", "new method",
                     f"{op.http_method} {op.path}")
        for (og, oop), (ng, nop) in pairs:
            self._compare_method(og, oop, ng, nop)

    def _compare_method(self, og: ir.Group, old: ir.Operation, ng: ir.Group, new: ir.Operation) -> None:
        where = f"{new.http_method} {new.path}"
        subject = f"client.{ng.name}.{new.name}"
        if (og.name, old.name) != (ng.name, new.name):
            self.add("method-renamed", True, f"client.{og.name}.{old.name}()",
                     f"renamed to client.{ng.name}.{new.name}()", where)
        if new.deprecated and not old.deprecated:
            self.add("method-deprecated", False, subject + "()", "deprecated", where)
        oargs, nargs = _arguments(old), _arguments(new)
        opos = [a.location for a in oargs.values() if a.positional]
        npos = [a.location for a in nargs.values() if a.positional]
        for loc in oargs.keys() - nargs.keys():
            self.add("argument-removed", True, f"{subject}({oargs[loc].name}=)", "argument removed", where)
        for loc in sorted(nargs.keys() - oargs.keys()):
            a = nargs[loc]
            self.add("argument-added", a.required, f"{subject}({a.name}=)",
                     "new required argument" if a.required else "new optional argument", where)
        for loc in sorted(oargs.keys() & nargs.keys()):
            self._compare_argument(subject, oargs[loc], nargs[loc], where)
        if [x for x in opos if x in npos] != [x for x in npos if x in opos]:
            self.add("arguments-reordered", True, subject + "()", "positional arguments changed order", where)
        self._compare_return(subject, old.success, new.success, where)

    def _compare_argument(self, subject: str, old: _Arg, new: _Arg, where: str) -> None:
        if old.name != new.name:
            self.add("argument-renamed", True, f"{subject}({old.name}=)", f"argument renamed to {new.name}", where)
        s = f"{subject}({new.name}=)"
        if new.required and not old.required:
            self.add("argument-required", True, s, "argument is now required", where)
        elif old.required and not new.required:
            self.add("argument-optional", False, s, "argument is now optional", where)
        rel = self._relation(old.type, new.type)
        if rel != "same":
            self.add(f"argument-type-{_PAST[rel]}", rel != "wider", s, self._type_message(rel, old.type, new.type),
                     where)

    def _compare_return(self, subject: str, old: ir.Response, new: ir.Response, where: str) -> None:
        s = subject + "()"
        if old.kind != new.kind:
            self.add("return-kind-changed", True, s, f"returns {new.kind} instead of {old.kind}", where)
            return
        if old.type is None or new.type is None:
            return
        rel = self._relation(old.type, new.type)
        if rel != "same":
            self.add(f"return-type-{_PAST[rel]}", rel != "narrower", s,
                     "return " + self._type_message(rel, old.type, new.type), where)

    # -- definitions ------------------------------------------------------------------------

    def _match_definitions(self) -> list[tuple[ir.Definition, ir.Definition]]:
        """Pairs old and new definitions: same name at the same location; then same location
        (a rename, unless both names live on elsewhere: an array index that shifted); then the
        same name (a schema that moved)."""
        old, new = self.old.definitions, self.new.definitions
        old_at = {loc: name for name, loc in _definition_locations(self.old).items()}
        new_at = {loc: name for name, loc in _definition_locations(self.new).items()}
        pairs: list[tuple[str, str]] = [(n, n) for loc, n in old_at.items() if new_at.get(loc) == n]
        left_old, left_new = set(old) - {o for o, _ in pairs}, set(new) - {n for _, n in pairs}
        for loc in sorted(old_at.keys() & new_at.keys()):
            o, n = old_at[loc], new_at[loc]
            if o in left_old and n in left_new and (o not in new or n not in old):
                pairs.append((o, n))
                left_old.discard(o)
                left_new.discard(n)
                self.renamed[o] = n
        for name in sorted(left_old & left_new):
            pairs.append((name, name))
        paired_old, paired_new = {o for o, _ in pairs}, {n for _, n in pairs}
        self.removed_defs = [old[n] for n in sorted(old) if n not in paired_old]
        self.added_defs = [new[n] for n in sorted(new) if n not in paired_new]
        return sorted(((old[o], new[n]) for o, n in pairs), key=lambda p: p[1].name)

    def _compare_definitions(self) -> None:
        for d in self.removed_defs:
            self.add(f"{d.kind}-removed", True, d.name, f"{_noun(d)} removed", "#" + d.source)
        for d in self.added_defs:
            self.add(f"{d.kind}-added", False, d.name, f"new {_noun(d)}", "#" + d.source)
        for o, n in self.pairs:
            where = "#" + n.source
            if o.name != n.name:
                self.add(f"{n.kind}-renamed", True, o.name, f"{_noun(n)} renamed to {n.name}", where)
            if o.kind != n.kind:
                self.add("definition-kind-changed", True, n.name, f"was {_noun(o)}, now {_noun(n)}", where)
            elif isinstance(o, ir.ModelDef) and isinstance(n, ir.ModelDef):
                self._compare_model(o, n, where)
            elif isinstance(o, ir.EnumDef) and isinstance(n, ir.EnumDef):
                self._compare_enum(o, n, where)
            elif isinstance(o, ir.UnionDef) and isinstance(n, ir.UnionDef):
                rel = self._relation(ir.AnyOf(o.variants), ir.AnyOf(n.variants))
                if rel != "same":
                    self.add(f"union-{_PAST[rel]}", self._breaks(rel, n.name), n.name,
                             {"wider": "new variants", "narrower": "variants removed",
                              "changed": "variants changed"}[rel], where)

    def _compare_model(self, old: ir.ModelDef, new: ir.ModelDef, where: str) -> None:
        use = self.usage.get(new.name) or {"in", "out"}
        role = _role(use)
        of = {f.wire: f for f in old.fields}
        nf = {f.wire: f for f in new.fields}
        for wire in sorted(of.keys() - nf.keys()):
            self.add("field-removed", True, f"{new.name}.{of[wire].name}", "field removed", where)
        for wire in sorted(nf.keys() - of.keys()):
            f = nf[wire]
            breaking = f.required and "in" in use
            self.add("field-added", breaking, f"{new.name}.{f.name}",
                     f"new {'required' if f.required else 'optional'} field" + (f" of {role}" if breaking else ""),
                     where)
        for wire in sorted(of.keys() & nf.keys()):
            o, n = of[wire], nf[wire]
            s = f"{new.name}.{n.name}"
            if o.name != n.name:
                self.add("field-renamed", True, f"{new.name}.{o.name}", f"field renamed to {n.name}", where)
            if n.required and not o.required:
                self.add("field-required", "in" in use, s, f"field is now required ({role})", where)
            elif o.required and not n.required:
                self.add("field-optional", "out" in use, s, f"field is now optional ({role})", where)
            rel = self._relation(o.type, n.type)
            if rel != "same":
                self.add(f"field-type-{_PAST[rel]}", self._breaks(rel, new.name), s,
                         self._type_message(rel, o.type, n.type) + f" ({role})", where)

    def _compare_enum(self, old: ir.EnumDef, new: ir.EnumDef, where: str) -> None:
        om = {m.value: m for m in old.members}
        nm = {m.value: m for m in new.members}
        if old.base != new.base:
            self.add("enum-base-changed", True, new.name, f"values are now {new.base} (were {old.base})", where)
        for v in sorted(om.keys() - nm.keys(), key=repr):
            self.add("enum-value-removed", True, f"{new.name}.{om[v].name}", f"value {v!r} removed", where)
        for v in sorted(nm.keys() - om.keys(), key=repr):
            self.add("enum-value-added", False, f"{new.name}.{nm[v].name}", f"new value {v!r}", where)
        for v in sorted(om.keys() & nm.keys(), key=repr):
            if om[v].name != nm[v].name:
                self.add("enum-member-renamed", True, f"{new.name}.{om[v].name}",
                         f"member for {v!r} renamed to {nm[v].name}", where)

    # -- types ------------------------------------------------------------------------------

    def _breaks(self, rel: Relation, model: str) -> bool:
        """A type change inside a model breaks requests when it narrows, responses when it widens."""
        use = self.usage.get(model) or {"in", "out"}
        return rel == "changed" or (rel == "wider" and "out" in use) or (rel == "narrower" and "in" in use)

    def _relation(self, old: ir.TypeRef, new: ir.TypeRef) -> Relation:
        old = _rename(old, self.renamed)
        if old != new:  # an enum against inline literals (or another enum): compare the values
            old, new = _values_of(old, self.old.definitions), _values_of(new, self.new.definitions)
        return _relation(old, new)

    def _type_message(self, rel: Relation, old: ir.TypeRef, new: ir.TypeRef) -> str:
        return f"type {_PAST[rel]}: {_show(_rename(old, self.renamed))} -> {_show(new)}"


def _noun(d: ir.Definition) -> str:
    return {"model": "model", "enum": "enum", "union": "union"}[d.kind]


def _role(use: set[str]) -> str:
    return {frozenset({"in"}): "a request model", frozenset({"out"}): "a response model"}.get(
        frozenset(use), "a request and response model")


def _usage(api: ir.Api) -> dict[str, set[str]]:
    """Definition name -> {"in", "out"}: whether it reaches requests, responses, or both."""
    roots: dict[str, list[ir.TypeRef | None]] = {"in": [], "out": []}
    for g in api.groups:
        for op in g.operations:
            roots["in"] += [a.type for a in _arguments(op).values()]
            if op.body is not None:
                roots["in"].append(op.body.type)
            roots["out"] += [op.success.type] + [e.type for e in op.errors]
    usage: dict[str, set[str]] = {}
    for direction, types in roots.items():
        todo = sorted(set().union(*(refs_in_type(t) for t in types)) if types else set())
        while todo:
            name = todo.pop()
            if direction in usage.setdefault(name, set()):
                continue
            usage[name].add(direction)
            d = api.definitions.get(name)
            if d is not None:
                todo += sorted(_definition_refs(d))
    return usage


def _definition_refs(d: ir.Definition) -> set[str]:
    if isinstance(d, ir.ModelDef):
        return set().union(refs_in_type(d.additional), *(refs_in_type(f.type) for f in d.fields))
    if isinstance(d, ir.UnionDef):
        return set().union(*(refs_in_type(v) for v in d.variants))
    return set()


def _values_of(t: ir.TypeRef, definitions: dict[str, ir.Definition]) -> ir.TypeRef:
    """An enum reference as the literal values it allows, at any depth of the type."""
    if isinstance(t, ir.Ref):
        d = definitions.get(t.name)
        return ir.LiteralOf(tuple(m.value for m in d.members)) if isinstance(d, ir.EnumDef) else t
    if isinstance(t, ir.ListOf):
        return ir.ListOf(_values_of(t.item, definitions))
    if isinstance(t, ir.MapOf):
        return ir.MapOf(_values_of(t.value, definitions))
    if isinstance(t, ir.Nullable):
        return ir.Nullable(_values_of(t.inner, definitions))
    if isinstance(t, ir.AnyOf):
        return ir.AnyOf(tuple(_values_of(v, definitions) for v in t.variants))
    return t


def _rename(t: ir.TypeRef, renamed: dict[str, str]) -> ir.TypeRef:
    if not renamed:
        return t
    if isinstance(t, ir.Ref):
        return ir.Ref(renamed.get(t.name, t.name))
    if isinstance(t, ir.ListOf):
        return ir.ListOf(_rename(t.item, renamed))
    if isinstance(t, ir.MapOf):
        return ir.MapOf(_rename(t.value, renamed))
    if isinstance(t, ir.Nullable):
        return ir.Nullable(_rename(t.inner, renamed))
    if isinstance(t, ir.AnyOf):
        return ir.AnyOf(tuple(_rename(v, renamed) for v in t.variants))
    return t


_PRIM_OF_LITERAL = {str: "str", int: "int", float: "float", bool: "bool"}


def _relation(a: ir.TypeRef, b: ir.TypeRef) -> Relation:
    """How the set of values type ``b`` accepts relates to the set ``a`` accepts."""
    if a == b:
        return "same"
    if b == ir.ANY:
        return "wider"
    if a == ir.ANY:
        return "narrower"
    if isinstance(a, ir.Nullable) and isinstance(b, ir.Nullable):
        return _relation(a.inner, b.inner)
    if isinstance(b, ir.Nullable):
        return "wider" if _relation(a, b.inner) in ("same", "wider") else "changed"
    if isinstance(a, ir.Nullable):
        return "narrower" if _relation(a.inner, b) in ("same", "narrower") else "changed"
    if isinstance(a, ir.ListOf) and isinstance(b, ir.ListOf):
        return _relation(a.item, b.item)
    if isinstance(a, ir.MapOf) and isinstance(b, ir.MapOf):
        return _relation(a.value, b.value)
    if a == ir.Prim("int") and b == ir.Prim("float"):
        return "wider"
    if a == ir.Prim("float") and b == ir.Prim("int"):
        return "narrower"
    if isinstance(a, ir.LiteralOf) and isinstance(b, ir.Prim) and _literal_kind(a) == b.kind:
        return "wider"
    if isinstance(b, ir.LiteralOf) and isinstance(a, ir.Prim) and _literal_kind(b) == a.kind:
        return "narrower"
    va, vb = _variants(a), _variants(b)
    if len(va) == 1 and len(vb) == 1:
        return "changed"
    if _covers(va, vb):
        return "wider"
    if _covers(vb, va):
        return "narrower"
    return "changed"


def _literal_kind(t: ir.LiteralOf) -> str | None:
    kinds = {_PRIM_OF_LITERAL.get(type(v)) for v in t.values}
    return kinds.pop() if len(kinds) == 1 else None


def _variants(t: ir.TypeRef) -> tuple[ir.TypeRef, ...]:
    if isinstance(t, ir.AnyOf):
        return tuple(v for x in t.variants for v in _variants(x))
    if isinstance(t, ir.LiteralOf):
        return tuple(ir.LiteralOf((v,)) for v in t.values)
    return (t,)


def _covers(small: Iterable[ir.TypeRef], big: tuple[ir.TypeRef, ...]) -> bool:
    """Every variant of ``small`` is accepted by some variant of ``big``."""
    return all(any(_relation(x, y) in ("same", "wider") for y in big) for x in small)


def _show(t: ir.TypeRef | None) -> str:
    if t is None:
        return "None"
    if isinstance(t, ir.Prim):
        return {"any": "Any", "none": "None", "binary": "bytes"}.get(t.kind, t.kind)
    if isinstance(t, ir.ListOf):
        return f"list[{_show(t.item)}]"
    if isinstance(t, ir.MapOf):
        return f"dict[str, {_show(t.value)}]"
    if isinstance(t, ir.Ref):
        return t.name
    if isinstance(t, ir.LiteralOf):
        return "Literal[" + ", ".join(repr(v) for v in t.values) + "]"
    if isinstance(t, ir.Nullable):
        return f"{_show(t.inner)} | None"
    return " | ".join(_show(v) for v in t.variants)
