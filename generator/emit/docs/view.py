"""What the docs templates print, computed from the IR and the code views (never from names
written here): pages, anchors, type links, examples and the model reference."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from generator.emit.docs import markdown as md
from generator.emit.docs.examples import NoExample, Values
from generator.emit.literals import pyrepr
from generator.emit.runtime import runtime_sources
from generator.emit.views import ClientView, GroupView, OperationView
from generator.model import ir

README = "README.md"


# -- the model reference: which page documents which definition ------------------------------------


@dataclass
class Entry:
    name: str
    kind: str  # "model" | "enum" | "union"
    page: str  # path from the package root, e.g. docs/models/chat.md
    anchor: str
    heading: str
    summary: str = ""  # Markdown blocks
    fields: list[tuple[str, str, str, str]] = field(default_factory=list)  # model: name, type, required, notes
    members: list[tuple[str, str, str]] = field(default_factory=list)  # enum: member, value, -
    variants: list[str] = field(default_factory=list)  # union: type Markdown
    discriminator: str = ""  # union: the wire property
    mapping: list[tuple[str, str]] = field(default_factory=list)  # union: value, type Markdown
    extra: str = ""  # model: what additional properties hold
    base: str = ""  # model: the class it extends, Markdown


def reachable(api: ir.Api, roots: Iterable[ir.TypeRef | None], known: Iterable[str] = ()) -> list[str]:
    """Definitions reachable from ``roots``, in first-seen order; ``known`` ones (with everything
    they reach) are left out."""
    out: list[str] = []
    seen: set[str] = set(known)
    stack: list[ir.TypeRef] = [t for t in roots if t is not None]
    stack.reverse()
    while stack:
        t = stack.pop()
        for x in ir.parts(t):
            if isinstance(x, ir.Ref) and x.name not in seen and x.name in api.definitions:
                seen.add(x.name)
                out.append(x.name)
                d = api.definitions[x.name]
                nested: list[ir.TypeRef | None] = []
                if isinstance(d, ir.ModelDef):
                    nested = [*(f.type for f in d.fields), d.additional]
                    if d.base:
                        nested.append(ir.Ref(d.base))
                elif isinstance(d, ir.UnionDef):
                    mapped = d.discriminator.mapping if d.discriminator else ()
                    nested = [*d.variants, *(ir.Ref(n) for _, n in mapped)]
                stack.extend(reversed([n for n in nested if n is not None]))
    return out


def operation_types(op: ir.Operation) -> list[ir.TypeRef | None]:
    types: list[ir.TypeRef | None] = [p.type for p in op.params]
    if op.body is not None:
        types += [f.type for f in op.body.fields] if op.body.fields is not None else [op.body.type]
    types.append(op.success.type)
    if op.pagination is not None:
        types.append(op.pagination.item_type)
    if op.streaming is not None:
        types.append(op.streaming.event_type)
    types += [e.type for e in op.errors]
    return types


class Reference:
    """Where every documented definition lives, and type Markdown with links to it."""

    def __init__(self, api: ir.Api) -> None:
        self.api = api
        self.entries: dict[str, Entry] = {}
        self.pages: list[tuple[str, str, list[str]]] = []  # (path, title, definition names)
        self._rel: dict[tuple[str, str], str] = {}
        for g in api.groups:
            names = reachable(api, (t for op in g.operations for t in operation_types(op)), self.entries)
            if not names:
                continue
            path = f"docs/models/{g.module}.md"
            title = f"{g.tag or g.name} models"
            slugger = md.Slugger()
            slugger.slug(title)
            for n in names:
                d = api.definitions[n]
                self.entries[n] = Entry(n, d.kind, path, slugger.slug(n), n)
            self.pages.append((path, title, names))
        if api.webhooks:  # the payloads the API sends to the user's server (docs/webhooks.md)
            names = reachable(api, (h.type for h in api.webhooks), self.entries)
            if names:
                path, title = "docs/models/webhooks.md", "Webhook payload models"
                slugger = md.Slugger()
                slugger.slug(title)
                for n in names:
                    self.entries[n] = Entry(n, api.definitions[n].kind, path, slugger.slug(n), n)
                self.pages.append((path, title, names))

    def href(self, name: str, here: str) -> str:
        e = self.entries[name]
        if e.page == here:
            return f"#{e.anchor}"
        key = (e.page, here)
        rel = self._rel.get(key)
        if rel is None:
            rel = self._rel[key] = posixpath.relpath(e.page, posixpath.dirname(here) or ".")
        return f"{rel}#{e.anchor}"

    def type_md(self, t: ir.TypeRef | None, here: str, files: bool = False, inputs: bool = False) -> str:
        """The type as a Python annotation (``Optional``/``Union``: no ``|`` to split a table
        cell), each definition name a link to its entry."""
        tokens: list[tuple[bool, str]] = []  # (is_ref, text)
        self._tokens(t, files, inputs, tokens)
        out = []
        buf = ""
        for is_ref, text in tokens:
            if is_ref:
                if buf:
                    out.append(md.code(buf))
                    buf = ""
                out.append(f"[{md.code(text)}]({self.href(text, here)})" if text in self.entries else md.code(text))
            else:
                buf += text
        if buf:
            out.append(md.code(buf))
        return "".join(out)

    def _tokens(self, t: ir.TypeRef | None, files: bool, inputs: bool, out: list[tuple[bool, str]]) -> None:
        if t is None:
            out.append((False, "None"))
        elif isinstance(t, ir.Prim):
            out.append((False, {"any": "Any", "none": "None", "datetime": "datetime.datetime", "date": "datetime.date",
                                "uuid": "Union[str, uuid.UUID]" if inputs else "uuid.UUID",
                                "binary": "FileTypes" if files else "str"}.get(t.kind, t.kind)))
        elif isinstance(t, ir.ListOf):
            out.append((False, "list["))
            self._tokens(t.item, files, inputs, out)
            out.append((False, "]"))
        elif isinstance(t, ir.MapOf):
            out.append((False, "dict[str, "))
            self._tokens(t.value, files, inputs, out)
            out.append((False, "]"))
        elif isinstance(t, ir.Ref):
            out.append((True, t.name))
        elif isinstance(t, ir.LiteralOf):
            out.append((False, "Literal[" + ", ".join(pyrepr(v) for v in t.values) + "]"))
        elif isinstance(t, ir.Nullable):
            if isinstance(t.inner, ir.Prim) and t.inner.kind in ("any", "none"):
                self._tokens(t.inner, files, inputs, out)
            else:
                out.append((False, "Optional["))
                self._tokens(t.inner, files, inputs, out)
                out.append((False, "]"))
        elif isinstance(t, ir.AnyOf):
            variants = list(dict.fromkeys(t.variants))
            if any(isinstance(v, ir.Prim) and v.kind == "any" for v in variants):
                out.append((False, "Any"))
                return
            out.append((False, "Union["))
            for i, v in enumerate(variants):
                if i:
                    out.append((False, ", "))
                self._tokens(v, files, inputs, out)
            out.append((False, "]"))

    def fill(self, links: md.Links) -> None:
        """The entries' content (after every page is known, so every type links)."""
        for path, _, names in self.pages:
            for n in names:
                self._fill(self.entries[n], self.api.definitions[n], path, links)

    def _fill(self, e: Entry, d: ir.Definition, here: str, links: md.Links) -> None:
        e.summary = md.prose(d.description, links) if d.description else ""
        if isinstance(d, ir.ModelDef):
            for f in d.fields:
                e.fields.append((md.code(f.name), self.type_md(f.type, here), "yes" if f.required else "no",
                                 field_notes(f, links)))
            if d.additional is not None and not (isinstance(d.additional, ir.Prim) and d.additional.kind == "any"):
                e.extra = self.type_md(d.additional, here)
            if d.base and d.base in self.entries:
                e.base = self.type_md(ir.Ref(d.base), here)
        elif isinstance(d, ir.EnumDef):
            e.members = [(md.code(m.name), md.code(pyrepr(m.value)), "") for m in d.members]
            e.base = md.code(d.base)
        else:
            e.variants = [self.type_md(v, here) for v in d.variants]
            if d.discriminator:
                e.discriminator = md.code(d.discriminator.property)
                e.mapping = [(md.code(pyrepr(v)), self.type_md(ir.Ref(n), here)) for v, n in d.discriminator.mapping
                             if n in self.entries]


def field_notes(f: ir.Field, links: md.Links) -> str:
    """A field's or argument's description cell: the spec's text, then what else it says."""
    notes = []
    if f.wire != f.name:
        notes.append(f"JSON name: {md.code(f.wire)}.")
    if f.has_default:
        notes.append(f"Default: {md.code(pyrepr(f.default))}.")
    if f.read_only:
        notes.append("Read-only: sent by the server, never in requests.")
    if f.write_only:
        notes.append("Write-only: sent in requests, never in responses.")
    if f.deprecated:
        notes.append("Deprecated.")
    desc = md.sentence(md.cell(f.description, links)) if f.description else ""
    return " ".join(p for p in [desc, *notes] if p)


# -- operations --------------------------------------------------------------------------------------


@dataclass
class DocArg:
    name: str
    type: str
    required: str
    description: str


@dataclass
class DocOp:
    name: str
    anchor: str
    method: str
    path: str
    summary: str  # Markdown blocks
    description: str
    deprecated: bool
    example: str  # a complete Python snippet ("" when no example can be written)
    call: str  # the call expression of the example
    args: list[DocArg]
    returns: str  # Markdown sentence(s)
    errors: list[tuple[str, str]]
    stream_example: str = ""
    page: str = ""  # the sync page class
    page_items: str = ""  # the attribute holding one page's items
    binary: bool = False
    stream: str = ""  # "flag" | "always" | ""
    stream_flag: str = ""
    uploads: bool = False
    summary_line: str = ""  # one line for tables


@dataclass
class DocGroup:
    name: str
    module: str
    page: str
    title: str
    description: str
    operations: list[DocOp]
    models_page: str  # relative link from the group page to its models page ("" when none)


def _title(g: ir.Group) -> str:
    return g.tag or g.name


class DocsBuilder:
    def __init__(self, api: ir.Api, groups: list[GroupView], client: ClientView, links: md.Links) -> None:
        self.api = api
        self.groups = groups
        self.client = client
        self.links = links
        self.ref = Reference(api)
        self.ref.fill(links)

    def group_docs(self) -> list[DocGroup]:
        out = []
        for g, gv in zip(self.api.groups, self.groups, strict=True):
            page = f"docs/{g.module}.md"
            slugger = md.Slugger()
            slugger.slug(_title(g))
            ops = [self.operation(g, op, ov, page, slugger)
                   for op, ov in zip(g.operations, gv.operations, strict=True)]
            models = f"docs/models/{g.module}.md"
            has_models = any(p == models for p, _, _ in self.ref.pages)
            out.append(DocGroup(g.name, g.module, page, _title(g),
                                md.prose(g.description, self.links) if g.description else "", ops,
                                "models/" + g.module + ".md" if has_models else ""))
        return out

    def operation(self, g: ir.Group, op: ir.Operation, ov: OperationView, here: str, slugger: md.Slugger) -> DocOp:
        ref = self.ref
        args: list[DocArg] = []
        for p in op.params:
            notes = md.sentence(md.cell(p.description, self.links)) if p.description else ""
            where = {"path": "Path", "query": "Query", "header": "Header", "cookie": "Cookie"}[p.location]
            if p.wire != p.name or p.location in ("header", "cookie"):
                notes = " ".join(x for x in [notes, f"{where} parameter {md.code(p.wire)}."] if x)
            args.append(DocArg(md.code(p.name), ref.type_md(p.type, here, inputs=True),
                               "yes" if p.required else "no", notes))
        body = op.body
        uploads = False
        if body is not None and body.fields is not None:
            files = body.kind == "multipart"
            for f in body.fields:
                is_file = files and any(isinstance(x, ir.Prim) and x.kind == "binary" for x in ir.parts(f.type))
                uploads |= is_file
                required = "yes" if f.required else "no"
                if op.streaming is not None and op.streaming.flag == f.name:
                    typ = md.code("bool")
                else:
                    typ = ref.type_md(f.type, here, files=files, inputs=True)
                args.append(DocArg(md.code(f.name), typ, required, field_notes(f, self.links)))
        elif body is not None:
            if body.kind == "binary":
                typ = md.code("bytes")
                uploads = True
            else:
                typ = ref.type_md(body.type, here, files=body.kind == "multipart", inputs=True)
            desc = md.sentence(md.cell(body.description, self.links)) if body.description else ""
            desc = " ".join(x for x in [desc, f"The request body ({md.code(body.media_type)})."] if x)
            args.append(DocArg(md.code(body.name), typ, "yes" if body.required else "no", desc))

        example, call, stream_example = self.example(g, op, ov)
        returns = self.returns(op, ov, here)
        errors = [(md.code(e.status), ref.type_md(e.type, here) if e.type is not None else "(no body)")
                  for e in op.errors]
        stream = "" if op.streaming is None else ("always" if op.streaming.flag is None else "flag")
        summary_line = md.cell(op.summary or _first_sentence(op.description), self.links)
        return DocOp(ov.name, slugger.slug(ov.name), op.http_method, op.path,
                     md.prose(op.summary, self.links) if op.summary else "",
                     md.prose(op.description, self.links) if op.description and op.description != op.summary else "",
                     op.deprecated, example, call, args, returns, errors, stream_example,
                     ov.page.name["sync"] if ov.page else "",
                     op.pagination.items if op.pagination and ov.page else "", ov.binary, stream,
                     op.streaming.flag or "" if op.streaming else "", uploads, summary_line)

    def returns(self, op: ir.Operation, ov: OperationView, here: str) -> str:
        ref = self.ref
        s = op.success
        if op.streaming is not None and op.streaming.flag is None:
            event = ref.type_md(op.streaming.event_type, here)
            return (f"Returns a {md.code('Stream')} of {event} events (server-sent events; "
                    f"{md.code('AsyncStream')} on the {md.code('AsyncClient')}): iterate it, "
                    "it closes when the events run out.")
        if ov.page is not None and op.pagination is not None:
            item = ref.type_md(op.pagination.item_type, here)
            model = ref.type_md(s.type, here)
            article = "an" if isinstance(s.type, ir.Ref) and s.type.name[:1].lower() in "aeiou" else "a"
            text = (f"Returns a page ({md.code(ov.page.name['sync'])}, {article} {model} "
                    "that fetches the pages after it): "
                    f"iterating it yields every {item} of every page, requesting the next page as needed; "
                    f"{md.code('.' + op.pagination.items)} holds this page's items, "
                    f"{md.code('.has_next_page()')}, {md.code('.next_page()')} and {md.code('.iter_pages()')} "
                    "go page by page.")
        elif ov.binary:
            text = (f"Returns the body as {md.code('bytes')}. To stream a large body instead, call "
                    f"{md.code('with_streaming_response.' + ov.name + '(...)')} as a context manager: it returns a "
                    f"{md.code('BinaryStream')} with {md.code('iter_bytes()')}, {md.code('read()')} and "
                    f"{md.code('write_to_file(path)')}.")
        elif s.kind == "text":
            text = f"Returns the body as {md.code('str')}."
        elif s.type is None:
            text = "Returns `None`."
        else:
            text = f"Returns {ref.type_md(s.type, here)}."
        if op.streaming is not None and op.streaming.flag is not None:
            event = ref.type_md(op.streaming.event_type, here)
            text += (f" With {md.code(op.streaming.flag + '=True')} it returns a {md.code('Stream')} of {event} "
                     f"events instead ({md.code('AsyncStream')} on the {md.code('AsyncClient')}).")
        return text

    # -- examples ---------------------------------------------------------------------------------

    def call_args(self, op: ir.Operation, values: Values) -> list[str]:
        positional: list[str] = []
        required: list[str] = []
        optional: list[str] = []
        flag = op.streaming.flag if op.streaming else None
        for p in op.params:
            if p.location != "path" and not p.required and (not p.has_example or len(optional) >= _OPTIONAL):
                continue
            v = values.value(p.type, p.example, p.has_example, name=p.name)
            if p.location == "path":
                positional.append(v)
            elif p.required:
                required.append(f"{p.name}={v}")
            else:
                optional.append(f"{p.name}={v}")
        body = op.body
        if body is not None and body.fields is not None:
            ex = body.example if body.has_example and isinstance(body.example, dict) else {}
            files = body.kind == "multipart"
            for f in body.fields:
                if f.name == flag or (not f.required and len(optional) >= _OPTIONAL):
                    continue
                if f.wire in ex:
                    v = values.value(f.type, ex[f.wire], True, files=files, name=f.name)
                elif f.has_example:
                    v = values.value(f.type, f.example, True, files=files, name=f.name)
                elif f.required:
                    v = values.value(f.type, f.default, f.has_default, files=files, name=f.name)
                else:
                    continue
                (required if f.required else optional).append(f"{f.name}={v}")
        elif body is not None and body.required:
            if body.kind == "binary":
                v = 'b"..."'
            else:
                v = values.value(body.type, body.example, body.has_example, files=body.kind == "multipart",
                                 name=body.name)
            required.append(f"{body.name}={v}")
        return positional + required + optional

    def example(self, g: ir.Group, op: ir.Operation, ov: OperationView) -> tuple[str, str, str]:
        values = Values(self.api)
        try:
            args = self.call_args(op, values)
        except (NoExample, RecursionError):
            return "", "", ""
        call = _call(f"client.{g.name}.{ov.name}", args)
        lines = [*self.head(values), "", "client = Client()"]
        if op.streaming is not None and op.streaming.flag is None:
            lines += [f"stream = {call}", "for event in stream:", "    print(event)"]
        elif ov.page is not None:
            lines += [f"page = {call}", "for item in page:", "    print(item)"]
        elif op.success.type is None and op.success.kind not in ("bytes", "text"):
            lines += [call]
        else:
            lines += [f"result = {call}", "print(result)"]
        stream_example = ""
        if op.streaming is not None and op.streaming.flag is not None:
            scall = _call(f"client.{g.name}.{ov.name}", [*args, f"{op.streaming.flag}=True"])
            stream_example = "\n".join([*self.head(values), "", "client = Client()", f"stream = {scall}",
                                         "for event in stream:", "    print(event)"])
        return "\n".join(lines), call, stream_example

    def head(self, values: Values) -> list[str]:
        lines = [f"import {m}" for m in sorted(values.stdlib)]
        if lines:
            lines.append("")
        lines.append(f"from {self.api.package} import Client")
        if values.models:
            lines.append(f"from {self.api.package}.models import {', '.join(sorted(values.models))}")
        return lines


_OPTIONAL = 2  # optional arguments an example shows (only those the spec gives a value): more may conflict


def _call(callee: str, args: list[str]) -> str:
    one = f"{callee}({', '.join(args)})"
    if len(one) <= 80 or not args:
        return one
    return callee + "(\n" + "".join(f"    {a},\n" for a in args) + ")"


def _first_sentence(text: str) -> str:
    text = " ".join(text.split())
    m = re.match(r"(.+?[.!?])(\s|$)", text)
    return (m.group(1) if m else text)[:200]


def indent(text: str, n: int) -> str:
    pad = " " * n
    return "\n".join(pad + line if line else line for line in text.split("\n"))


# -- runtime facts, read from the runtime the package ships -------------------------------------------


def runtime_defaults() -> dict[str, Any]:
    src = runtime_sources()
    base = src.get("_base_client.py", "")
    retry = src.get("_retry.py", "")
    errors = src.get("errors.py", "")
    timeout = re.search(r"^DEFAULT_TIMEOUT_SECONDS = ([0-9.]+)", base, re.MULTILINE)
    retries = re.search(r"^DEFAULT_MAX_RETRIES = (\d+)", base, re.MULTILINE)
    statuses = re.search(r"statuses: frozenset\[int\] = frozenset\(\{([0-9, ]+)\}\)", retry)
    tree = re.search(r"```\n(APIError.*?)```", errors, re.DOTALL)
    return {
        "timeout": timeout.group(1).rstrip("0").rstrip(".") if timeout else "",
        "max_retries": retries.group(1) if retries else "",
        "retry_statuses": ", ".join(s.strip() for s in statuses.group(1).split(",")) if statuses else "",
        "error_tree": tree.group(1).rstrip() if tree else "",
    }


@dataclass
class WebhookDoc:
    name: str
    kind: str  # webhook / callback
    method: str
    expression: str
    event: str  # the discriminator value ("" when the union has none)
    description: str
    type: ir.TypeRef  # the payload's type (linked to its entry in the model reference)


@dataclass
class WebhooksDoc:
    hooks: list[WebhookDoc]
    event_test: str  # the example's test of the first event's type; "" for none


def webhooks_view(api: ir.Api) -> WebhooksDoc:
    """What docs/webhooks.md lists: every webhook and callback with its payload type, and the
    test of the first event's type the page's example shows (``event.type == "batch.completed"``),
    or "" when the events have no type to tell them apart (or one too odd to show).  The payload
    models themselves are entries of the model reference (``Reference``)."""
    hooks = [WebhookDoc(h.name, h.kind, h.method, h.expression, h.event, h.description or h.summary, h.type)
             for h in api.webhooks]
    union = api.definitions.get(api.webhook_event)
    first = api.webhooks[0] if api.webhooks else None
    test = ""
    if isinstance(union, ir.UnionDef) and union.discriminator and first and isinstance(first.type, ir.Ref) \
            and re.fullmatch(r"[\w.:/-]{1,60}", first.event):
        model = api.definitions.get(first.type.name)
        attr = next((f.name for f in model.fields if f.wire == union.discriminator.property), None) \
            if isinstance(model, ir.ModelDef) else None
        if attr is not None:
            test = f"event.{attr} == {pyrepr(first.event)}"
    return WebhooksDoc(hooks, test)
