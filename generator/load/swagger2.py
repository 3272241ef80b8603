"""Swagger 2.0 -> OpenAPI 3.0, in memory: the first step of the build for a 2.0 document.

The root document is replaced by its 3.0 form (``Spec.convert_root``); every other stage sees the
same model as for a 3.x spec.  Everything a 2.0 document can reach is in the converted one: other
files' schemas become components of their own, their parameters, responses and path items are
written in place.  Each converted location remembers where it came from (``Spec.origins``), so a
diagnostic about the converted document names the 2.0 file, pointer and line.

What maps how (the 3.0 specification's own counterparts):

* ``host``/``basePath``/``schemes`` -> ``servers`` (https first); a ``basePath`` alone is a
  relative server.
* ``consumes``/``produces`` (global, per operation) -> the media types of ``content``.
* ``in: body`` -> ``requestBody``; ``in: formData`` -> an object schema under
  ``multipart/form-data`` and/or ``application/x-www-form-urlencoded``; ``type: file`` ->
  ``type: string, format: binary``.
* ``collectionFormat``: csv -> ``form``/``simple`` not exploded, ssv -> ``spaceDelimited``,
  pipes -> ``pipeDelimited``, multi -> ``form`` exploded; tsv has no 3.x counterpart (a warning;
  sent as csv).
* ``securityDefinitions`` -> ``securitySchemes`` (basic -> http basic; oauth2 flows implicit,
  password, application -> clientCredentials, accessCode -> authorizationCode).
* ``x-nullable`` -> ``nullable``; ``x-example`` -> ``example``; a ``discriminator`` property name
  -> a discriminator object whose mapping names the definitions that inherit (``allOf``) it.
* ``#/definitions``, ``#/parameters``, ``#/responses`` -> ``#/components/...``.
"""

from __future__ import annotations

import urllib.parse
from pathlib import Path
from typing import Any, Protocol

from generator.diagnostics import Diagnostic, DiagnosticError, Severity, error, join_pointer, split_pointer, warning
from generator.load.loader import Location, Spec, mapping, sequence, walk

OPENAPI_VERSION = "3.0.3"
_FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")
_METHODS = ("get", "put", "post", "delete", "options", "head", "patch")
# the keywords a 2.0 parameter, items or header object carries for its value's schema
_VALUE_KEYWORDS = ("type", "format", "default", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum",
                   "maxLength", "minLength", "pattern", "maxItems", "minItems", "uniqueItems", "enum", "multipleOf")
_SCHEMA_MAPS = ("properties", "definitions", "patternProperties")
_SCHEMA_ONE = ("additionalProperties", "not", "items")
_SCHEMA_LISTS = ("allOf", "oneOf", "anyOf")
_OAUTH_FLOWS = {"implicit": ("implicit", ("authorizationUrl",)), "password": ("password", ("tokenUrl",)),
                "application": ("clientCredentials", ("tokenUrl",)),
                "accessCode": ("authorizationCode", ("authorizationUrl", "tokenUrl"))}
# collectionFormat -> (style, explode) of a query parameter
_QUERY_STYLES = {"csv": ("form", False), "ssv": ("spaceDelimited", False), "pipes": ("pipeDelimited", False),
                 "multi": ("form", True)}


def is_swagger2(doc: Any) -> bool:
    return isinstance(doc, dict) and str(doc.get("swagger")) == "2.0" and "openapi" not in doc


def convert(spec: Spec) -> list[Diagnostic]:
    """Replace a Swagger 2.0 root document by its OpenAPI 3.0 form; the findings on the way
    (what 3.x cannot say, refs that do not resolve), in the 2.0 document's terms.  Does nothing
    to any other document."""
    if not is_swagger2(spec.document):
        return []
    converter = _Converter(spec)
    document = converter.document()
    spec.convert_root(document, converter.origins)
    return converter.diagnostics


def convert_document(document: dict[str, Any], shown: str, marks: dict[str, tuple[int, int]] | None = None
                     ) -> tuple[dict[str, Any], dict[str, str], list[Diagnostic]]:
    """A Swagger 2.0 document held in memory (the importer's, found on a page) in its OpenAPI 3.0
    form: (the document, its pointers -> the 2.0 pointers they came from, the findings).  Only
    refs inside the document are followed; ``marks`` (pointer -> line, column) place the findings."""
    source = _InMemory(document, shown, marks or {})
    converter = _Converter(source)
    converted = converter.document()
    return converted, {k: v.pointer for k, v in converter.origins.items()}, converter.diagnostics


def relocated(spec: Spec, diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """``diagnostics`` about a converted root document, named by the file, pointer and line the
    converted part came from."""
    if not spec.origins:
        return diagnostics
    shown = spec.display(spec.root)
    out = []
    for d in diagnostics:
        if d.file == shown:
            loc = spec.original(Location(spec.root, d.pointer))
            d = Diagnostic(d.severity, d.code, d.message, spec.display(loc.file), loc.pointer, spec.line_of(loc))
        out.append(d)
    return out


class _Source(Protocol):
    """What the conversion reads: a loaded spec (``generator.load.loader.Spec``) or a document in memory."""

    document: Any
    root: Path

    def display(self, path: Path) -> str: ...
    def line_of(self, loc: Location) -> int | None: ...
    def ref_target(self, ref: str, at: Location) -> Location: ...
    def get(self, loc: Location) -> Any: ...
    def resolve(self, value: Any, at: Location) -> tuple[Any, Location]: ...


class _InMemory:
    """A document that is no file: refs inside it only."""

    def __init__(self, document: dict[str, Any], shown: str, marks: dict[str, tuple[int, int]]) -> None:
        self.document = document
        self.root = Path(shown)
        self.shown = shown
        self.marks = marks

    def display(self, path: Path) -> str:
        return self.shown

    def line_of(self, loc: Location) -> int | None:
        pointer = loc.pointer
        while pointer not in self.marks and pointer:
            pointer = pointer.rsplit("/", 1)[0]
        return self.marks[pointer][0] if pointer in self.marks else None

    def _fail(self, code: str, message: str, at: Location) -> DiagnosticError:
        return DiagnosticError([error(code, message, self.shown, at.pointer, self.line_of(at))])

    def ref_target(self, ref: str, at: Location) -> Location:
        if not isinstance(ref, str) or not ref.startswith("#"):
            raise self._fail("bad-ref", f"$ref {ref!r}: only refs inside the document are followed here", at)
        return Location(self.root, ref[1:])

    def get(self, loc: Location) -> Any:
        try:
            return walk(self.document, loc.pointer)
        except LookupError as exc:
            raise self._fail("bad-ref", f"nothing at #{loc.pointer}", loc) from exc

    def resolve(self, value: Any, at: Location) -> tuple[Any, Location]:
        seen: set[str] = set()
        while isinstance(value, dict) and isinstance(value.get("$ref"), str):
            target = self.ref_target(value["$ref"], at)
            if target.pointer in seen:
                raise self._fail("ref-cycle", f"$ref cycle through {value['$ref']!r}", at)
            seen.add(target.pointer)
            try:
                value = self.get(target)
            except DiagnosticError as exc:
                raise self._fail("bad-ref", f"$ref {value['$ref']!r} does not resolve", at) from exc
            at = target
        return value, at


class _Converter:
    def __init__(self, spec: _Source) -> None:
        self.spec = spec
        self.src: dict[str, Any] = spec.document
        self.root = Location(spec.root, "")
        self.origins: dict[str, Location] = {"": self.root}
        self.diagnostics: list[Diagnostic] = []
        self.consumes = _media_types(self.src.get("consumes"))
        self.produces = _media_types(self.src.get("produces"))
        self.definitions = mapping(self.src.get("definitions"))
        self.schema_names: set[str] = {str(k) for k in self.definitions}
        self.hoisted: dict[Location, str] = {}  # a schema outside #/definitions -> its component name
        self.extra_schemas: dict[str, Any] = {}
        self.pending: list[tuple[Location, str]] = []  # hoisted schemas not converted yet

    # -- helpers ----------------------------------------------------------------------------

    def mark(self, out: str, at: Location) -> None:
        self.origins[out] = at

    def warn(self, code: str, message: str, at: Location) -> None:
        self.diagnostics.append(warning(code, message, self.spec.display(at.file), at.pointer, self.spec.line_of(at)))

    def resolve(self, value: Any, at: Location) -> tuple[Any, Location] | None:
        """``value`` with its ``$ref`` chain followed; None (and a warning) when it does not resolve."""
        try:
            return self.spec.resolve(value, at)
        except DiagnosticError as exc:
            for d in exc.diagnostics:
                self.diagnostics.append(Diagnostic(Severity.WARNING, d.code, d.message + "; ignored", d.file,
                                                   d.pointer, d.line, d.column))
            return None

    # -- the document -----------------------------------------------------------------------

    def document(self) -> dict[str, Any]:
        src = self.src
        out: dict[str, Any] = {"openapi": OPENAPI_VERSION}
        self.mark("/openapi", self.root.child("swagger"))
        out["info"] = src.get("info") if isinstance(src.get("info"), dict) else {}
        servers = self.servers()
        if servers:
            out["servers"] = servers
        for key in ("security", "tags", "externalDocs"):
            if key in src:
                out[key] = src[key]
        out.update(_extensions(src))
        schemas: dict[str, Any] = {}
        for name, schema in self.definitions.items():
            schemas[str(name)] = self.schema(schema, self.root.child("definitions", name),
                                             join_pointer("/components/schemas", str(name)))
        parameters: dict[str, Any] = {}
        for name, param in mapping(src.get("parameters")).items():
            if isinstance(param, dict) and param.get("in") not in ("body", "formData"):
                out_ptr = join_pointer("/components/parameters", str(name))
                parameters[str(name)] = self.parameter(param, self.root.child("parameters", name), out_ptr)
        responses: dict[str, Any] = {}
        for name, resp in mapping(src.get("responses")).items():
            out_ptr = join_pointer("/components/responses", str(name))
            responses[str(name)] = self.response(resp, self.root.child("responses", name), out_ptr, self.produces)
        security = self.security_schemes()
        out["paths"] = self.paths()
        self.mark("/paths", self.root.child("paths"))
        self.hoist_pending()
        schemas.update(self.extra_schemas)  # hoisted while converting anything above
        self.add_mappings(schemas)
        components: dict[str, Any] = {}
        for key, value, source in (("schemas", schemas, "definitions"), ("parameters", parameters, "parameters"),
                                   ("responses", responses, "responses"),
                                   ("securitySchemes", security, "securityDefinitions")):
            if value:
                components[key] = value
                self.mark(f"/components/{key}", self.root.child(source))
        if components:
            out["components"] = components
        return out

    def servers(self, schemes_given: Any = None) -> list[dict[str, Any]]:
        """The servers of the document, or, with ``schemes_given``, of an operation's ``schemes``."""
        host = self.src.get("host")
        base = self.src.get("basePath")
        base = base.strip() if isinstance(base, str) else ""
        if base and not base.startswith("/"):
            base = "/" + base
        base = base.rstrip("/")
        if not isinstance(host, str) or not host.strip():
            if not base:  # no host, basePath "/" or none: 3.0's own default (the document's origin)
                return []
            self.mark("/servers/0", self.root.child("basePath"))
            return [{"url": base}]  # relative to where the document is served
        host = host.strip().rstrip("/")
        given = self.src.get("schemes") if schemes_given is None else schemes_given
        if "://" in host:  # not 2.0 (a host has no scheme), but written so by some: the scheme is taken
            scheme, _, host = host.partition("://")
            given = given if isinstance(given, list) and given else [scheme.lower()]
        schemes = [s for s in sequence(given) if s in ("https", "http", "wss", "ws")]
        schemes = sorted(dict.fromkeys(schemes or ["https"]), key=lambda s: s not in ("https", "wss"))
        if schemes_given is None:
            for i in range(len(schemes)):
                self.mark(f"/servers/{i}", self.root.child("host"))
        return [{"url": f"{s}://{host}{base}"} for s in schemes]

    def security_schemes(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, raw in mapping(self.src.get("securityDefinitions")).items():
            at = self.root.child("securityDefinitions", name)
            if not isinstance(raw, dict):
                continue
            kind = raw.get("type")
            scheme: dict[str, Any]
            if kind == "basic":
                scheme = {"type": "http", "scheme": "basic"}
            elif kind == "apiKey":
                scheme = {"type": "apiKey", "name": raw.get("name"), "in": raw.get("in")}
            elif kind == "oauth2" and raw.get("flow") in _OAUTH_FLOWS:
                flow_name, urls = _OAUTH_FLOWS[raw["flow"]]
                flow: dict[str, Any] = {u: raw[u] for u in urls if u in raw}
                flow["scopes"] = mapping(raw.get("scopes"))
                scheme = {"type": "oauth2", "flows": {flow_name: flow}}
            else:
                self.warn("swagger2", f"security definition of type {kind!r} (flow {raw.get('flow')!r}) is not "
                          "Swagger 2.0; ignored", at)
                continue
            if isinstance(raw.get("description"), str):
                scheme["description"] = raw["description"]
            scheme.update(_extensions(raw))
            out[str(name)] = scheme
            self.mark(join_pointer("/components/securitySchemes", str(name)), at)
        return out

    # -- schemas ----------------------------------------------------------------------------

    def schema(self, node: Any, at: Location, out: str) -> Any:
        """A 2.0 schema in 3.0 terms, recorded at ``out`` (the same shape below it)."""
        self.mark(out, at)
        return self._schema(node, at)

    def _schema(self, node: Any, at: Location) -> Any:
        if not isinstance(node, dict):
            return node
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                ref = self.schema_ref(value, at)
                if ref is None:
                    return {k: v for k, v in out.items() if k != "$ref"}
                out["$ref"] = ref
            elif key == "x-nullable":
                if value is True:
                    out["nullable"] = True
            elif key == "x-example":
                out.setdefault("example", value)
            elif key == "discriminator" and isinstance(value, str):
                out["discriminator"] = {"propertyName": value}
            elif key in _SCHEMA_MAPS and isinstance(value, dict):
                out[key] = {k: self._schema(v, at.child(key, k)) for k, v in value.items()}
            elif key in _SCHEMA_ONE and isinstance(value, dict):
                out[key] = self._schema(value, at.child(key))
            elif key in (*_SCHEMA_LISTS, "items") and isinstance(value, list):
                out[key] = [self._schema(v, at.child(key, i)) for i, v in enumerate(value)]
            else:
                out[key] = value
        if node.get("type") == "file":
            out["type"], out["format"] = "string", "binary"
        return out

    def schema_ref(self, ref: str, at: Location) -> str | None:
        """Where a 2.0 schema ``$ref`` points in the converted document: ``#/definitions/X`` of the
        root is ``#/components/schemas/X``; a schema anywhere else becomes a component of its own."""
        try:
            target = self.spec.ref_target(ref, at)
            self.spec.get(target)
        except DiagnosticError as exc:
            d = exc.diagnostics[0]
            self.warn(d.code, f"$ref {ref!r} does not resolve: {d.message}; typed as Any", at)
            return None
        tokens = split_pointer(target.pointer)
        if target.file == self.spec.root and len(tokens) >= 2 and tokens[0] == "definitions":
            return _ref("schemas", *tokens[1:])
        name = self.hoisted.get(target)
        if name is None:
            stem = tokens[-1] if tokens else target.file.stem.split(".")[0] or "Schema"
            name, n = stem, 1
            while name in self.schema_names:
                n += 1
                name = f"{stem}{n}"
            self.schema_names.add(name)
            self.hoisted[target] = name
            self.extra_schemas[name] = {}  # its place, in order of discovery; converted by hoist_pending
            self.pending.append((target, name))
        return _ref("schemas", name)

    def hoist_pending(self) -> None:
        """Convert the schemas met outside ``#/definitions`` (one after the other, not nested: a
        chain of files that refer to each other costs no stack)."""
        done = 0
        while done < len(self.pending):
            target, name = self.pending[done]
            done += 1
            self.extra_schemas[name] = self.schema(self.spec.get(target), target,
                                                   join_pointer("/components/schemas", name))

    def add_mappings(self, schemas: dict[str, Any]) -> None:
        """2.0's discriminator values are definition names: the base's and those that inherit it
        through ``allOf``.  Written out as the 3.0 discriminator's mapping."""
        children: dict[str, list[str]] = {}
        for name, schema in schemas.items():
            for part in sequence(mapping(schema).get("allOf")):
                ref = mapping(part).get("$ref")
                if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
                    parent = split_pointer(urllib.parse.unquote(ref[1:]))[-1]
                    children.setdefault(parent, []).append(name)
        for name, schema in schemas.items():
            disc = mapping(schema).get("discriminator")
            if not isinstance(disc, dict) or "mapping" in disc:
                continue
            names = [name]
            seen = {name}
            i = 0
            while i < len(names):  # grandchildren too: each is a kind of the base
                for child in children.get(names[i], []):
                    if child not in seen:
                        seen.add(child)
                        names.append(child)
                i += 1
            if len(names) > 1:
                disc["mapping"] = {n: _ref("schemas", n) for n in names}

    # -- parameters -------------------------------------------------------------------------

    def value_schema(self, node: dict[str, Any], at: Location) -> dict[str, Any]:
        """The schema of a 2.0 parameter, items or header object (its keywords sit on the object)."""
        if isinstance(node.get("schema"), dict):  # not 2.0, but written by some
            return dict(self._schema(node["schema"], at.child("schema")))
        schema: dict[str, Any] = {k: node[k] for k in _VALUE_KEYWORDS if k in node}
        if node.get("type") == "file":
            schema = {"type": "string", "format": "binary"}
        if isinstance(node.get("items"), dict):
            items = dict(self._schema(node["items"], at.child("items")))
            items.pop("collectionFormat", None)
            schema["items"] = items
        if node.get("x-nullable") is True:
            schema["nullable"] = True
        if "description" in node and isinstance(node.get("description"), str):
            schema.setdefault("description", node["description"])
        return schema

    def parameter(self, node: dict[str, Any], at: Location, out: str) -> dict[str, Any]:
        """A 2.0 query, path, header (or cookie) parameter."""
        self.mark(out, at)
        where = node.get("in")
        p: dict[str, Any] = {k: node[k] for k in ("name", "in", "description", "required", "deprecated",
                                                   "allowEmptyValue") if k in node}
        p.update(_extensions(node))
        if "x-example" in node:
            p["example"] = node["x-example"]
        schema = self.value_schema(node, at)
        schema.pop("description", None)
        p["schema"] = schema
        self.mark(out + "/schema", at)
        if node.get("type") == "array":
            fmt = node.get("collectionFormat", "csv")
            if fmt == "tsv":
                self.warn("swagger2", "collectionFormat tsv has no OpenAPI 3 counterpart; the values are sent "
                          "comma-separated (csv)", at.child("collectionFormat"))
                fmt = "csv"
            if where == "query" and fmt in _QUERY_STYLES:
                p["style"], p["explode"] = _QUERY_STYLES[fmt]
            elif where in ("path", "header") and fmt in ("csv", "multi"):
                p["style"], p["explode"] = "simple", False
            elif fmt not in _QUERY_STYLES:
                self.warn("swagger2", f"unknown collectionFormat {fmt!r}; sent as csv", at.child("collectionFormat"))
                p["style"], p["explode"] = ("form" if where == "query" else "simple"), False
            else:
                self.warn("swagger2", f"collectionFormat {fmt} is not allowed in {where}; sent as csv",
                          at.child("collectionFormat"))
                p["style"], p["explode"] = "simple", False
        if node.get("type") == "file":
            self.warn("swagger2", "type: file is only allowed in formData parameters; sent as bytes", at)
        return p

    def parameters(self, raw: Any, at: Location, out: str) -> tuple[list[Any], list[tuple[dict[str, Any], Location]],
                                                                     dict[str, tuple[dict[str, Any], Location]]]:
        """(3.0 parameters, the body parameters, the formData parameters by name) of a list."""
        params: list[Any] = []
        body: list[tuple[dict[str, Any], Location]] = []
        form: dict[str, tuple[dict[str, Any], Location]] = {}
        for i, entry in enumerate(sequence(raw)):
            eat = at.child(i)
            found = self.resolve(entry, eat)
            if found is None:
                continue
            node, nat = found
            if not isinstance(node, dict):
                continue
            where = node.get("in")
            if where == "body":
                body.append((node, nat))
            elif where == "formData":
                form[str(node.get("name"))] = (node, nat)
            else:
                ptr = f"{out}/{len(params)}"
                ref = entry.get("$ref") if isinstance(entry, dict) else None
                tokens = split_pointer(nat.pointer)
                if (isinstance(ref, str) and nat.file == self.spec.root and len(tokens) == 2
                        and tokens[0] == "parameters"):
                    params.append({"$ref": _ref("parameters", tokens[1])})
                    self.mark(ptr, eat)
                else:
                    params.append(self.parameter(node, nat, ptr))
        return params, body, form

    # -- paths and operations ---------------------------------------------------------------

    def paths(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        raw_paths = mapping(self.src.get("paths"))
        for path, raw in raw_paths.items():
            path = str(path)
            at = self.root.child("paths", path)
            ptr = join_pointer("/paths", path)
            if path.startswith("x-"):
                out[path] = raw
                continue
            found = self.resolve(raw, at)
            if found is None or not isinstance(found[0], dict):
                continue
            item, iat = found
            self.mark(ptr, iat)
            converted: dict[str, Any] = {k: item[k] for k in ("summary", "description") if k in item}
            converted.update(_extensions(item))
            params, body, form = self.parameters(item.get("parameters"), iat.child("parameters"), ptr + "/parameters")
            if params:
                converted["parameters"] = params
                self.mark(ptr + "/parameters", iat.child("parameters"))
            for method in _METHODS:
                if isinstance(item.get(method), dict):
                    converted[method] = self.operation(item[method], iat.child(method), join_pointer(ptr, method),
                                                       body, form)
            out[path] = converted
        return out

    def operation(self, op: dict[str, Any], at: Location, out: str, path_body: list[tuple[dict[str, Any], Location]],
                  path_form: dict[str, tuple[dict[str, Any], Location]]) -> dict[str, Any]:
        self.mark(out, at)
        converted: dict[str, Any] = {k: op[k] for k in ("tags", "summary", "description", "externalDocs",
                                                         "operationId", "deprecated", "security") if k in op}
        converted.update(_extensions(op))
        params, body, form = self.parameters(op.get("parameters"), at.child("parameters"), out + "/parameters")
        if params:
            converted["parameters"] = params
            self.mark(out + "/parameters", at.child("parameters"))
        if isinstance(op.get("schemes"), list) and isinstance(self.src.get("host"), str):
            servers = self.servers(op["schemes"])
            if servers != self.servers():
                converted["servers"] = servers
                self.mark(out + "/servers", at.child("schemes"))
        consumes = _media_types(op["consumes"]) if "consumes" in op else self.consumes
        produces = _media_types(op["produces"]) if "produces" in op else self.produces
        body = body or path_body
        form = {**path_form, **form}
        if body and form:
            self.warn("swagger2", "an operation cannot have both body and formData parameters; the formData "
                      "parameters are ignored", at.child("parameters"))
        if len(body) > 1:
            self.warn("swagger2", "more than one body parameter; the first is used", body[1][1])
        if body:
            converted["requestBody"] = self.body(body[0][0], body[0][1], out + "/requestBody", consumes)
        elif form:
            converted["requestBody"] = self.form(form, out + "/requestBody", consumes)
        responses: dict[str, Any] = {}
        for code, raw in mapping(op.get("responses")).items():
            code = str(code)
            rat = at.child("responses", code)
            ptr = join_pointer(out + "/responses", code)
            if code.startswith("x-"):
                responses[code] = raw
                continue
            ref = raw.get("$ref") if isinstance(raw, dict) else None
            found = self.resolve(raw, rat)
            if found is None:
                continue
            node, nat = found
            tokens = split_pointer(nat.pointer)
            if (isinstance(ref, str) and nat.file == self.spec.root and len(tokens) == 2 and tokens[0] == "responses"
                    and produces == self.produces):
                responses[code] = {"$ref": _ref("responses", tokens[1])}
                self.mark(ptr, rat)
            else:
                responses[code] = self.response(node, nat, ptr, produces)
        converted["responses"] = responses
        self.mark(out + "/responses", at.child("responses"))
        return converted

    def body(self, node: dict[str, Any], at: Location, out: str, consumes: list[str]) -> dict[str, Any]:
        self.mark(out, at)
        self.mark(out + "/properties", at.child("schema", "properties"))  # the name lock's body fields
        media = [m for m in consumes if m not in _FORM_TYPES] or consumes or ["application/json"]
        rb: dict[str, Any] = {k: node[k] for k in ("description", "required") if k in node}
        rb.update(_extensions(node))
        examples = mapping(node.get("x-examples"))
        content: dict[str, Any] = {}
        for m in media:
            ptr = join_pointer(out + "/content", m)
            self.mark(ptr, at)
            entry: dict[str, Any] = {"schema": self.schema(node.get("schema", {}), at.child("schema"), ptr + "/schema")}
            if m in examples:
                entry["example"] = examples[m]
            content[m] = entry
        rb["content"] = content
        return rb

    def form(self, params: dict[str, tuple[dict[str, Any], Location]], out: str, consumes: list[str]) -> dict[str, Any]:
        first = next(iter(params.values()))[1]
        self.mark(out, first)
        has_file = any(p.get("type") == "file" for p, _ in params.values())
        media = [m for m in consumes if m in _FORM_TYPES]
        if not media:
            media = ["multipart/form-data" if has_file else "application/x-www-form-urlencoded"]
        properties: dict[str, Any] = {}
        required: list[str] = []
        encoding: dict[str, Any] = {}
        for name, (p, pat) in params.items():
            self.mark(join_pointer(out + "/properties", name), pat)  # the name lock's body fields
            schema = self.value_schema(p, pat)
            if "x-example" in p:
                schema.setdefault("example", p["x-example"])
            properties[name] = schema
            if p.get("required") is True:
                required.append(name)
            if p.get("type") == "array":
                fmt = p.get("collectionFormat", "csv")
                if fmt == "tsv":
                    self.warn("swagger2", "collectionFormat tsv has no OpenAPI 3 counterpart; the values are sent "
                              "comma-separated (csv)", pat.child("collectionFormat"))
                style, explode = _QUERY_STYLES.get(fmt, ("form", False))
                encoding[name] = {"style": style, "explode": explode}
        schema_out: dict[str, Any] = {"type": "object", "properties": properties}
        if required:
            schema_out["required"] = required
        content: dict[str, Any] = {}
        for m in media:
            ptr = join_pointer(out + "/content", m)
            self.mark(ptr, first)
            self.mark(ptr + "/schema", first)
            for name, (_, pat) in params.items():
                self.mark(join_pointer(ptr + "/schema/properties", name), pat)
            entry: dict[str, Any] = {"schema": schema_out}
            if encoding and m == "application/x-www-form-urlencoded":
                entry["encoding"] = encoding
            content[m] = entry
        rb: dict[str, Any] = {"content": content}
        if required:
            rb["required"] = True
        return rb

    # -- responses --------------------------------------------------------------------------

    def response(self, node: Any, at: Location, out: str, produces: list[str]) -> dict[str, Any]:
        self.mark(out, at)
        if not isinstance(node, dict):
            return {"description": ""}
        resp: dict[str, Any] = {"description": node.get("description") if isinstance(node.get("description"), str)
                                else ""}
        resp.update(_extensions(node))
        headers: dict[str, Any] = {}
        for name, h in mapping(node.get("headers")).items():
            hat = at.child("headers", name)
            ptr = join_pointer(out + "/headers", str(name))
            if not isinstance(h, dict):
                continue
            self.mark(ptr, hat)
            self.mark(ptr + "/schema", hat)
            header: dict[str, Any] = {"schema": self.value_schema(h, hat)}
            header["schema"].pop("description", None)
            if isinstance(h.get("description"), str):
                header["description"] = h["description"]
            headers[str(name)] = header
        if headers:
            resp["headers"] = headers
        if "schema" in node:
            schema = node["schema"]
            is_file = isinstance(schema, dict) and schema.get("type") == "file"
            media = produces or ["application/json"]
            if is_file:
                media = [m for m in media if "json" not in m.lower()] or ["application/octet-stream"]
            examples = mapping(node.get("examples"))
            content: dict[str, Any] = {}
            for m in media:
                ptr = join_pointer(out + "/content", m)
                self.mark(ptr, at)
                entry: dict[str, Any] = {"schema": self.schema(schema, at.child("schema"), ptr + "/schema")}
                if m in examples:
                    entry["example"] = examples[m]
                content[m] = entry
            resp["content"] = content
        return resp


def _ref(section: str, *tokens: str) -> str:
    """A ``$ref`` to a component: a URI fragment, so a ``%`` in a name is escaped."""
    return "#" + join_pointer(f"/components/{section}", *tokens).replace("%", "%25")


def _media_types(value: Any) -> list[str]:
    return [m for m in sequence(value) if isinstance(m, str) and m.strip()]


def _extensions(node: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in node.items() if isinstance(k, str) and k.startswith("x-")
            and k not in ("x-nullable", "x-example", "x-examples")}
