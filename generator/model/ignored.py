"""The parts of a spec that do not become code, each reported once where it is.

Nothing is dropped silently: what the client does not carry out (``links``, ``xml``, a media
type it does not send or decode, ``servers`` on one path or operation, an extension from another
dialect that would change the meaning, ...) is a note, or a warning where the client behaves
differently from what the spec says, naming its file, JSON pointer and line.  The build runs
this survey once at its end, over the operations it collected and the schemas it converted: a
part the client never reaches (an unused file) is not code either way and is not reported.
No I/O, no Jinja.
"""

from __future__ import annotations

from typing import Any

from generator.diagnostics import DiagnosticError, Severity, note, warning
from generator.load.loader import Location, mapping
from generator.model import ir
from generator.model.context import JSON_RE, BuildState, RawOp, pick_request_media, pick_response_media

# the dialect OpenAPI 3.1 documents use unless they say otherwise
OAS_DIALECT = "https://spec.openapis.org/oas/3.1/dialect/base"


def survey(b: BuildState, raw_ops: list[RawOp]) -> None:
    """Append a diagnostic to ``b.diagnostics`` for every ignored part."""
    _Survey(b).run(raw_ops)


class _Survey:
    def __init__(self, b: BuildState) -> None:
        self.b = b
        self.seen: set[tuple[str, Location]] = set()

    def report(self, severity: Severity, code: str, message: str, loc: Location) -> None:
        if (code, loc) in self.seen:
            return
        self.seen.add((code, loc))
        make = note if severity is Severity.NOTE else warning
        self.b.diagnostics.append(make(code, message, self.b.spec.display(loc.file), loc.pointer,
                                       self.b.spec.line_of(loc)))

    def resolve(self, value: Any, loc: Location) -> tuple[Any, Location]:
        try:
            return self.b.schemas.resolve(value, loc)
        except DiagnosticError:  # reported where the build met it
            return None, loc

    def run(self, raw_ops: list[RawOp]) -> None:
        doc = self.b.doc
        dialect = doc.get("jsonSchemaDialect")
        if isinstance(dialect, str) and dialect.rstrip("/") != OAS_DIALECT:
            self.report(Severity.NOTE, "ignored.dialect", f"jsonSchemaDialect {dialect!r} is not applied: schemas "
                        "are read as OpenAPI's own dialect", self.b.root.child("jsonSchemaDialect"))
        for path in mapping(doc.get("paths")):
            if isinstance(path, str) and not path.startswith("/") and not path.startswith("x-"):
                self.report(Severity.WARNING, "ignored.path", f"path {path!r} does not start with '/'; its "
                            "operations are not generated", self.b.root.child("paths", path))
        for r in raw_ops:
            self.operation(r)
        self.schemas()

    # -- operations ------------------------------------------------------------------------

    def operation(self, r: RawOp) -> None:
        for owner, loc, what in ((r.path_item, r.path_loc, "path"), (r.op, r.loc, "operation")):
            if isinstance(owner.get("servers"), list) and owner["servers"]:
                self.report(Severity.WARNING, "ignored.servers", f"servers declared on this {what} are not used: "
                            "the client sends its requests to the client's base URL", loc.child("servers"))
        self.request_body(r)
        for status, raw in mapping(r.op.get("responses")).items():
            resp, rloc = self.resolve(raw, r.loc.child("responses", status))
            if isinstance(resp, dict):
                self.response(resp, rloc)

    def request_body(self, r: RawOp) -> None:

        rb, rloc = self.resolve(r.op.get("requestBody"), r.loc.child("requestBody"))
        content = mapping(rb.get("content")) if isinstance(rb, dict) else {}
        chosen = pick_request_media(content) if content else None
        if chosen is None:
            return
        others = sorted(str(m) for m in content if m != chosen)
        if others:
            self.report(Severity.NOTE, "ignored.media-type", f"request body media type(s) {', '.join(others)} not "
                        f"offered: the client sends {chosen}", rloc.child("content"))
        media = mapping(content[chosen])
        if mapping(media.get("encoding")):
            self.report(Severity.NOTE, "ignored.encoding", "encoding (content types and headers of single parts) "
                        "is not applied: each part is sent with its default encoding",
                        rloc.child("content", chosen, "encoding"))

    def response(self, resp: dict[str, Any], rloc: Location) -> None:

        if mapping(resp.get("links")):
            self.report(Severity.NOTE, "ignored.links", "links are not generated: follow-up calls are made by "
                        "hand", rloc.child("links"))
        content = mapping(resp.get("content"))
        if len(content) < 2:
            return
        chosen = pick_response_media(content)
        used = {chosen}
        if JSON_RE.match(str(chosen).lower()):  # an event stream beside JSON is the streaming variant
            used |= {m for m in content if str(m).lower().startswith("text/event-stream")}
        others = sorted(str(m) for m in content if m not in used)
        if others:
            self.report(Severity.NOTE, "ignored.media-type", f"response media type(s) {', '.join(others)} not "
                        f"decoded: the client reads {chosen}", rloc.child("content"))

    # -- schemas ---------------------------------------------------------------------------

    def schemas(self) -> None:
        doc = self.b.doc
        version = doc.get("openapi")
        is_3x = isinstance(version, str) and version.startswith("3") and "swagger" not in doc
        definitions = self.b.schemas.definitions
        for loc, t in sorted(self.b.schemas.types().items(), key=lambda kv: (str(kv[0].file), kv[0].pointer)):
            try:
                schema = self.b.spec.get(loc)
            except DiagnosticError:
                continue
            if not isinstance(schema, dict):
                continue
            if "xml" in schema:
                self.report(Severity.NOTE, "ignored.xml", "xml is not applied: the client reads and writes JSON",
                            loc.child("xml"))
            if is_3x and schema.get("x-nullable") is True and not _is_nullable(t):
                self.report(Severity.WARNING, "ignored.x-nullable", "x-nullable is Swagger 2.0's extension, not "
                            "OpenAPI 3's (nullable: true in 3.0, type: [..., 'null'] in 3.1): the value is typed "
                            "as never null", loc.child("x-nullable"))
            if "prefixItems" in schema and "items" not in schema:
                self.report(Severity.NOTE, "ignored.prefix-items", "prefixItems (a tuple) is typed as a list of "
                            "Any", loc.child("prefixItems"))
            for key, code in (("contentEncoding", "ignored.content-encoding"),
                              ("contentMediaType", "ignored.content-media-type")):
                if key in schema:
                    self.report(Severity.NOTE, code,
                                f"{key} is not applied: the value stays the string on the wire", loc.child(key))
            if isinstance(schema.get("discriminator"), dict) and isinstance(t, (ir.Ref, ir.Nullable)):
                ref = t.inner if isinstance(t, ir.Nullable) else t
                if isinstance(ref, ir.Ref) and isinstance(definitions.get(ref.name), ir.ModelDef):
                    self.report(Severity.NOTE, "ignored.discriminator", "discriminator on a schema that is not a "
                                "oneOf/anyOf: a value decodes as this model, not as the schema its "
                                f"{schema['discriminator'].get('propertyName')!r} names", loc.child("discriminator"))


def _is_nullable(t: ir.TypeRef) -> bool:
    return isinstance(t, ir.Nullable) or t == ir.ANY or t == ir.Prim("none")
