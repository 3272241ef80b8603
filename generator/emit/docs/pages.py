"""The docs pages of a generated package: README.md, docs/<group>.md, docs/models/<group>.md,
docs/index.md and mkdocs.yml.  ``render_docs`` is pure (returns {path: text}), like the rest of
rendering."""

from __future__ import annotations

import posixpath
from typing import Any

import jinja2

from generator.emit.docs import markdown as md
from generator.emit.docs.examples import NoExample, Values
from generator.emit.docs.view import (
    DocGroup,
    DocOp,
    DocsBuilder,
    _call,
    indent,
    runtime_defaults,
    webhooks_view,
)
from generator.emit.literals import escape_unprintable, pyrepr
from generator.emit.views import ClientView, GroupView
from generator.model import ir

__all__ = ["render_docs"]


def render_docs(api: ir.Api, groups: list[GroupView], client: ClientView, env: jinja2.Environment,
                ctx: dict[str, Any]) -> dict[str, str]:
    links = md.Links(api.docs_url)
    builder = DocsBuilder(api, groups, client, links)
    docs = builder.group_docs()
    files: dict[str, str] = {}
    facts = _facts(api, builder, docs, client)

    def rel_from(here: str) -> Any:
        def rel(path: str) -> str:
            anchor = ""
            if "#" in path:
                path, anchor = path.split("#", 1)
                anchor = "#" + anchor
            if path == here:
                return anchor or posixpath.basename(path)
            return posixpath.relpath(path, posixpath.dirname(here) or ".") + anchor
        return rel

    base = {**ctx, "md": md, "docs": docs, "ref": builder.ref, "client": client, "facts": facts, "indent": indent,
            "links": links}
    overview = env.get_template("docs/README.md.jinja")
    files["README.md"] = overview.render(here="README.md", rel=rel_from("README.md"), site=False, **base)
    files["docs/index.md"] = overview.render(here="docs/index.md", rel=rel_from("docs/index.md"), site=True, **base)
    group_t = env.get_template("docs/group.md.jinja")
    for g in docs:
        files[g.page] = group_t.render(g=g, here=g.page, rel=rel_from(g.page), **base)
    models_t = env.get_template("docs/models.md.jinja")
    for path, title, names in builder.ref.pages:
        files[path] = models_t.render(title=title, entries=[builder.ref.entries[n] for n in names], here=path,
                                      rel=rel_from(path), **base)
    if api.webhook_event:
        files["docs/webhooks.md"] = env.get_template("docs/webhooks.md.jinja").render(
            view=webhooks_view(api), here="docs/webhooks.md", rel=rel_from("docs/webhooks.md"), **base)
    files["mkdocs.yml"] = env.get_template("docs/mkdocs.yml.jinja").render(
        site_name=_yaml_str(_display_title(api.title) + " Python client"),
        nav=[(_yaml_str(g.title), g.page[len("docs/"):]) for g in docs],
        models=[(_yaml_str(t), p[len("docs/"):]) for p, t, _ in builder.ref.pages], **base)
    return files


def _display_title(title: str) -> str:
    return " ".join(title.split()) or "API"


def _yaml_str(text: str) -> str:
    import json

    return json.dumps(" ".join(escape_unprintable(str(text), keep="").split()), ensure_ascii=True)


def _facts(api: ir.Api, builder: DocsBuilder, docs: list[DocGroup], client: ClientView) -> dict[str, Any]:
    title = _display_title(api.title)
    api_name = title if title.lower().endswith((" api", " apis")) or title.lower() == "api" else title + " API"
    ops = [(g, op) for g in docs for op in g.operations]
    paged = [(g, op) for g, op in ops if op.page and op.example]
    streamed = [(g, op) for g, op in ops if op.stream and (op.stream_example or op.stream == "always")]
    uploads = [(g, op) for g, op in ops if op.uploads and op.example]
    downloads = [(g, op) for g, op in ops if op.binary and op.example]
    with_example = [(g, op) for g, op in ops if op.example]
    flagship = _flagship(with_example)
    facts: dict[str, Any] = {
        "title": title,
        "api_name": api_name,
        "paged": paged[:1],
        "streamed": streamed[:1],
        "uploads": uploads[:1],
        "downloads": downloads[:1],
        "has_paged": bool([1 for _, op in ops if op.page]),
        "has_streams": bool([1 for _, op in ops if op.stream]),
        "has_uploads": bool([1 for _, op in ops if op.uploads]),
        "has_downloads": bool([1 for _, op in ops if op.binary]),
        "flagship": flagship,
        "first": with_example[0] if with_example else None,
        **runtime_defaults(),
    }
    facts["usage"] = _usage(api, builder, client, flagship, asynchronous=False)
    facts["async_usage"] = _usage(api, builder, client, flagship[:1], asynchronous=True)
    return facts


def _flagship(ops: list[tuple[DocGroup, DocOp]]) -> list[tuple[DocGroup, DocOp]]:
    """One or two calls that show the API: a read (a list first) and a write."""
    reads = [x for x in ops if x[1].method == "GET"]
    reads.sort(key=lambda x: (not x[1].page, "{" in x[1].path))
    writes = [x for x in ops if x[1].method == "POST" and not x[1].binary]
    picked = reads[:1] + writes[:1]
    return picked or ops[:1]


def _usage(api: ir.Api, builder: DocsBuilder, client: ClientView, calls: list[tuple[DocGroup, DocOp]],
           asynchronous: bool) -> str:
    values = Values(api)
    bodies: list[str] = []
    used: dict[str, int] = {}
    by_name = {(g.name, ov.name): o for g, gv in zip(api.groups, builder.groups, strict=True)
               for o, ov in zip(g.operations, gv.operations, strict=True)}
    for g, op in calls:
        kind = "stream" if op.stream == "always" else "page" if op.page else "result"
        used[kind] = used.get(kind, 0) + 1
        n = f"_{used[kind]}" if used[kind] > 1 else ""
        ir_op = by_name.get((g.name, op.name))
        if ir_op is None:
            continue
        try:
            args = builder.call_args(ir_op, values)
        except NoExample:
            continue
        aw = "await " if asynchronous else ""
        a_for = "async " if asynchronous else ""
        call = _call(f"client.{g.name}.{op.name}", args)
        if op.stream == "always":
            bodies.append(f"stream{n} = {aw}{call}\n{a_for}for event in stream{n}:\n    print(event)")
        elif op.page:
            bodies.append(f"page{n} = {aw}{call}\n{a_for}for item in page{n}:\n    print(item)")
        elif op.returns == "Returns `None`.":
            bodies.append(f"{aw}{call}")
        else:
            bodies.append(f"result{n} = {aw}{call}\nprint(result{n})")
    env_args = [(a, e) for a, e in client.env_reads]
    if env_args:
        values.stdlib.add("os")
    if asynchronous:
        values.stdlib.add("asyncio")
    head = builder.head(values)
    cls = "AsyncClient" if asynchronous else "Client"
    head = [line.replace(" import Client", f" import {cls}") for line in head]
    ctor = ", ".join(f"{a}=os.environ.get({pyrepr(e)})" for a, e in env_args)
    if asynchronous:
        opening = _call("async with AsyncClient", [c for c in ctor.split(", ") if c]) + " as client:"
        lines = [*head, "", "", "async def main() -> None:", indent(opening, 4)]
        lines.extend(indent(b, 8) for b in bodies)
        if not bodies:
            lines.append("        print(client.base_url)")
        lines += ["", "", "asyncio.run(main())"]
        return "\n".join(lines)
    lines = [*head, "", _call("client = Client", [c for c in ctor.split(", ") if c])]
    for b in bodies:
        lines += ["", b]
    return "\n".join(lines)

