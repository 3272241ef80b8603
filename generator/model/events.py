"""Webhooks and callbacks -> ``ir.Webhook`` payload types and one event union.

A 3.1 ``webhooks`` entry and an operation's ``callbacks`` entry describe a request the API
sends to the user's server.  Its JSON request body becomes a typed payload; every payload
together becomes one union (``WebhookEvent``), discriminated by a property that holds one
constant per payload (``type: batch.completed``) when all payloads have one.  What cannot be
typed (no body, no JSON body) is a note naming its pointer.  No I/O, no Jinja.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Literal

from generator.diagnostics import DiagnosticError, note
from generator.load.loader import Location, mapping
from generator.model import ir, naming
from generator.model.context import HTTP_METHODS, JSON_RE, BuildState, RawOp, as_warnings, spec_text

# a property that tells events apart, in the order one is preferred when several would do
_TAGS = ("type", "event", "event_type", "eventType", "kind", "name")
UNION_NAME = "WebhookEvent"
SECRET_ARG = "webhook_secret"  # noqa: S105 - the name of the constructor argument, not a secret


def declared(b: BuildState, raw_ops: list[RawOp]) -> bool:
    """Whether the spec declares any webhook or callback (so the client's ``webhooks``
    attribute must be kept free before groups are named)."""
    return bool(mapping(b.doc.get("webhooks"))) or any(mapping(r.op.get("callbacks")) for r in raw_ops)


def collect(b: BuildState, raw_ops: list[RawOp]) -> list[ir.Webhook]:
    """Every webhook (document order), then every callback (operation order)."""
    out: list[ir.Webhook] = []
    hooks = mapping(b.doc.get("webhooks"))
    for name in hooks:
        loc = b.root.child("webhooks", name)
        item, iloc = _resolve(b, hooks[name], loc)
        for method in HTTP_METHODS:
            if isinstance(item, dict) and method in item:
                hook = _payload(b, item[method], iloc.child(method), str(name), "webhook", method, "",
                                naming.pascal(str(name), fallback="Event") + "Webhook")
                if hook is not None:
                    out.append(hook)
    for r in raw_ops:
        callbacks = mapping(r.op.get("callbacks"))
        for cname in callbacks:
            cb, cloc = _resolve(b, callbacks[cname], r.loc.child("callbacks", cname))
            for expression, raw_item in mapping(cb).items():
                item, iloc = _resolve(b, raw_item, cloc.child(expression))
                for method in HTTP_METHODS:
                    if isinstance(item, dict) and method in item:
                        hint = naming.pascal(r.operation_id, fallback="Operation") + naming.pascal(
                            str(cname), fallback="Event") + "Callback"
                        hook = _payload(b, item[method], iloc.child(method), f"{r.operation_id}.{cname}",
                                        "callback", method, str(expression), hint)
                        if hook is not None:
                            out.append(hook)
    return out


def union(b: BuildState, hooks: list[ir.Webhook]) -> tuple[str, list[ir.Webhook]]:
    """Declare the union of every payload; the hooks with their discriminator value set."""
    variants: list[ir.TypeRef] = []
    for h in hooks:
        if h.type not in variants:
            variants.append(h.type)
    tags = _discriminator(b, variants)
    name = b.schemas.namer.claim(UNION_NAME)
    disc = None
    if tags is not None:
        prop, values = tags
        disc = ir.Discriminator(prop, tuple(sorted((values[v], v.name) for v in variants
                                                   if isinstance(v, ir.Ref))))
        hooks = [replace(h, event=values[h.type]) if isinstance(h.type, ir.Ref) else h for h in hooks]
    where = "/webhooks" if any(h.kind == "webhook" for h in hooks) else ""
    b.schemas.definitions[name] = ir.UnionDef(
        name, tuple(variants), disc, "An event the API sends to your server (a webhook or callback payload).", where)
    return name, hooks


def _discriminator(b: BuildState, variants: list[ir.TypeRef]) -> tuple[str, dict[ir.Ref, str]] | None:
    """A property every payload model holds as one distinct string constant, if there is one."""
    constants: list[dict[str, str]] = []
    for v in variants:
        model = b.schemas.model_for(v)
        if model is None:
            return None
        constants.append({f.wire: f.type.values[0] for f in model.fields
                          if isinstance(f.type, ir.LiteralOf) and len(f.type.values) == 1
                          and isinstance(f.type.values[0], str)})
    if not constants:
        return None
    common = set.intersection(*(set(c) for c in constants))
    usable = sorted((p for p in common if len({c[p] for c in constants}) == len(constants)),
                    key=lambda p: (_TAGS.index(p) if p in _TAGS else len(_TAGS), p))
    if not usable:
        return None
    prop = usable[0]
    return prop, {v: c[prop] for v, c in zip(variants, constants, strict=True) if isinstance(v, ir.Ref)}


def _resolve(b: BuildState, value: Any, loc: Location) -> tuple[Any, Location]:
    try:
        return b.schemas.resolve(value, loc)
    except DiagnosticError as exc:

        b.diagnostics.extend(as_warnings(exc.diagnostics))
        return None, loc


def _payload(b: BuildState, op: Any, loc: Location, name: str, kind: Literal["webhook", "callback"], method: str,
             expression: str, hint: str) -> ir.Webhook | None:

    op, loc = _resolve(b, op, loc)
    if not isinstance(op, dict):
        return None
    what = f"{kind} {name!r} ({method.upper()})"
    rb, rloc = _resolve(b, op.get("requestBody"), loc.child("requestBody"))
    content = mapping(rb.get("content")) if isinstance(rb, dict) else {}
    media = next((m for m in content if isinstance(m, str) and JSON_RE.match(m.lower())), None)
    if media is None:
        said = f"its media types ({', '.join(sorted(map(str, content)))}) are not JSON" if content else \
            "it declares no request body"
        _note(b, "webhook", f"{what}: no typed payload, as {said}; client.webhooks.unwrap does not decode it",
              rloc if rb is not None else loc)
        return None
    schema = mapping(content[media]).get("schema")
    try:
        t = b.schemas.convert(schema, rloc.child("content", media, "schema"), hint) if schema is not None else ir.ANY
    except DiagnosticError as exc:
        b.diagnostics.extend(as_warnings(exc.diagnostics))
        return None
    return ir.Webhook(name=name, kind=kind, method=method.upper(), type=t, expression=expression,
                      summary=spec_text(op.get("summary")),
                      description=spec_text(op.get("description")) or spec_text(rb.get("description")),
                      source=loc.pointer)


def _note(b: BuildState, code: str, message: str, loc: Location) -> None:
    b.diagnostics.append(note(code, message, b.spec.display(loc.file), loc.pointer, b.spec.line_of(loc)))
