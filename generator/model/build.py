"""Spec document -> ``ir.Api``.  No I/O beyond the loader's cache, no Jinja.

Problems with one operation or schema become WARNING diagnostics that name its pointer; the
rest still generates.  Every name is decided here (through ``generator.model.naming``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal, cast

from generator.diagnostics import Diagnostic, DiagnosticError, error, note, warning
from generator.load import swagger2
from generator.load.loader import Location, Spec, mapping, sequence
from generator.model import events, ignored, ir, naming
from generator.model.context import (
    HTTP_METHODS,
    JSON_RE,
    RawOp,
    as_warnings,
    pick_request_media,
    pick_response_media,
    spec_text,
)
from generator.model.schemas import SchemaConverter

CLIENT_RESERVED = frozenset({
    "base_url", "close", "aclose", "with_options", "with_raw_response", "copy", "request", "timeout",
    "max_retries", "api_key", "default_headers", "default_query", "http_client",
    # the runtime client's own attributes, and the decorator the client class applies to groups
    "download", "stream", "user_agent", "cached_property",
})
# names the client constructor (and its helpers ``_base_url``/``_credentials``) already uses:
# credentials and server variables must not take them
CTOR_RESERVED = naming.RESERVED_PARAM_NAMES | frozenset({
    "base_url", "server", "default_headers", "default_query", "http_client", "url", "names", "key", "os", "httpx",
})
# OpenAPI 3.x "Style Values": where each style is defined (tabDelimited: Swagger 2.0's tsv)
_STYLES_BY_LOCATION = {
    "path": ("simple", "label", "matrix"),
    "header": ("simple",),
    "query": ("form", "spaceDelimited", "pipeDelimited", "deepObject", "tabDelimited"),
    "cookie": ("form",),
}
_DELIMITED = ("spaceDelimited", "pipeDelimited", "tabDelimited")
SECURITY_HEADERS = frozenset({"authorization", "proxy-authorization"})
MANAGED_HEADERS = frozenset({"content-type", "accept", "content-length", "user-agent"})


@dataclass
class BuildResult:
    api: ir.Api | None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    operations_total: int = 0
    types: dict[Location, ir.TypeRef] = field(default_factory=dict)  # schema location -> its type


def build_api(spec: Spec, package: str | None, spec_path: str, env_prefix: str | None = None,
              distribution: str | None = None, pagination: Mapping[str, Any] | None = None) -> BuildResult:
    """``pagination``: the target's overrides, by operationId or "METHOD /path" (they win over
    ``x-codegen-pagination``).  A Swagger 2.0 document is converted to OpenAPI 3.0 first
    (``generator.load.swagger2``); the diagnostics name the 2.0 document's places."""
    converted = swagger2.convert(spec)
    builder = _Builder(spec, pagination or {})
    try:
        api = builder.build(package, spec_path, env_prefix, distribution)
    except DiagnosticError as exc:
        return BuildResult(None, converted + swagger2.relocated(spec, builder.diagnostics + exc.diagnostics),
                           builder.operations_total)
    return BuildResult(api, converted + swagger2.relocated(spec, builder.diagnostics), builder.operations_total,
                       builder.schemas.types())


class _Builder:
    def __init__(self, spec: Spec, pagination: Mapping[str, Any]) -> None:
        self.spec = spec
        self.pagination_config = pagination
        self.doc: dict[str, Any] = spec.document
        self.root = Location(spec.root, "")
        self.diagnostics: list[Diagnostic] = []
        self.schemas = SchemaConverter(spec, self.diagnostics)
        self.operations_total = 0
        self._ctor = naming.Namer(CTOR_RESERVED)
        self._server_args: dict[str, str] = {}  # server variable -> constructor argument

    def warn(self, code: str, message: str, loc: Location) -> None:
        self.diagnostics.append(warning(code, message, self.spec.display(loc.file), loc.pointer,
                                        self.spec.line_of(loc)))

    # -- top level --------------------------------------------------------------------------

    def build(self, package: str | None, spec_path: str, env_prefix: str | None,
              distribution: str | None) -> ir.Api:
        info = mapping(self.doc.get("info"))
        title = spec_text(info.get("title")) or "API"
        package = package or naming.package_name(title)
        self.schemas.declare_components()
        ctor = naming.Namer(CTOR_RESERVED)  # one namespace: credentials, then server variables
        env_prefix = env_prefix or naming.env_prefix(package, title)
        schemes = self._security_schemes(package, env_prefix, ctor)
        self._ctor = ctor
        servers = self._server_list(self.doc.get("servers"), self.root.child("servers"))
        raw_ops = self._collect_operations()
        hooked = events.declared(self, raw_ops)
        limit = naming.module_limit(package)
        groups = self._groups(raw_ops, {s.name for s in schemes},
                              {"webhooks", events.SECRET_ARG} if hooked else set(), limit)
        hooks = events.collect(self, raw_ops) if hooked else []
        event_union, hooks = events.union(self, hooks) if hooks else ("", hooks)
        secret_arg = ctor.claim(events.SECRET_ARG) if hooks else ""
        definitions = _iterable_lists(self.schemas.finish(), groups)
        ignored.survey(self, raw_ops)
        modules, module_of = _model_modules(definitions, limit)
        # the modules whose names were shortened, for the name lock
        shortened = [(f"resources/{full}", f"resources/{g.module}") for g in groups
                     if len(full := naming.module_name(g.name, "default")) > limit]
        shortened += [(f"models/{full}", f"models/{m.name}") for m in modules
                      if len(full := naming.module_name(naming.snake(m.definitions[0], fallback="model"), "model"))
                      > limit]
        return ir.Api(
            title=title,
            version=spec_text(info.get("version")) or "0.0.0",
            description=spec_text(info.get("description")),
            package=package,
            distribution=distribution or package.replace("_", "-"),
            spec_path=spec_path,
            servers=servers,
            security_schemes=tuple(schemes),
            default_security=_security(self.doc.get("security")) or (),
            groups=tuple(groups),
            definitions=definitions,
            modules=modules,
            module_of=module_of,
            env_prefix=env_prefix or naming.env_prefix(package),
            webhooks=tuple(hooks),
            webhook_event=event_union,
            webhook_secret_arg=secret_arg,
            shortened=tuple(sorted(shortened)),
            docs_url=_docs_url(self.doc),
        )

    def _server_list(self, raw: Any, loc: Location) -> tuple[ir.Server, ...]:
        """A ``servers`` list (the document's, a path item's or an operation's).  A variable
        becomes one constructor argument, whichever servers it appears in (claimed in the
        client's namespace the first time it is met, so the names do not depend on the rest)."""
        servers = []
        for i, s in enumerate(sequence(raw)):
            if not isinstance(s, dict) or not isinstance(s.get("url"), str):
                self.warn("server", "server without a url ignored", loc.child(i))
                continue
            variables = []
            raw_vars = mapping(s.get("variables"))
            for vname in sorted(raw_vars):
                v = mapping(raw_vars[vname])
                raw_enum = sequence(v.get("enum"))
                enum = tuple(str(e) for e in raw_enum if isinstance(e, (str, int, float)))
                default = v.get("default", enum[0] if enum else "")
                arg = self._server_args.get(str(vname))
                if arg is None:
                    arg = self._server_args[str(vname)] = self._ctor.claim(naming.snake(vname))
                variables.append(ir.ServerVariable(str(vname), arg,
                                                   default if isinstance(default, str) else str(default), enum,
                                                   spec_text(v.get("description"))))
            undeclared = sorted(set(re.findall(r"{([^{}]+)}", s["url"])) - {v.name for v in variables})
            if undeclared:
                self.warn("server", f"server URL {s['url']!r} uses {', '.join(undeclared)} without declaring "
                          "it under variables; pass base_url=", loc.child(i))
            servers.append(ir.Server(url=s["url"], description=spec_text(s.get("description")),
                                     name=str(s.get("x-codegen-name") or s.get("x-speakeasy-server-id") or ""),
                                     variables=tuple(variables)))
        return tuple(servers)

    def _security_schemes(self, package: str, env_prefix: str | None, namer: naming.Namer) -> list[ir.SecurityScheme]:
        comps = mapping(self.doc.get("components"))
        raw = mapping(comps.get("securitySchemes"))
        prefix = env_prefix or naming.env_prefix(package)
        schemes: list[ir.SecurityScheme] = []
        resolved: dict[str, tuple[Any, Location]] = {}
        for name in sorted(raw):
            try:
                resolved[name] = self.schemas.resolve(raw[name], self.root.child("components", "securitySchemes", name))
            except DiagnosticError as exc:
                self.diagnostics.extend(as_warnings(exc.diagnostics))
                resolved[name] = ({}, self.root.child("components", "securitySchemes", name))
        usage = self._scheme_usage()
        # the primary scheme of each kind takes the plain names (api_key, username/password,
        # client_id/client_secret): the one the spec's root security names, else the most used
        def rank(n: str) -> tuple[int, int, int, str]:
            says_api_key = _credential_name(n, _scheme_kind(resolved[n][0])) == "api_key"
            return (0 if n in usage[0] else 1, 0 if says_api_key else 1, -usage[1].get(n, 0), n)

        primary: dict[str, str] = {}
        for n in sorted(resolved, key=rank):
            kind = _scheme_kind(resolved[n][0])
            primary.setdefault("token" if kind in ("bearer", "apikey") else kind, n)
        env_names = naming.Namer()
        for name, (value, loc) in resolved.items():
            kind = _scheme_kind(value)
            if not isinstance(value, dict):
                value = {}
            if kind == "unsupported":
                self.warn("security", f"security scheme {name!r} ({value.get('type')}) is not supported; "
                          "set its credentials with default_headers", loc)
            if kind in ("bearer", "apikey"):
                plain = "api_key" if primary.get("token") == name else _credential_name(name, kind)
                arg = _claim_ctor(namer, plain, kind)
                env = env_names.claim(f"{prefix}_{arg.upper()}")
            elif kind in ("basic", "oauth2"):
                primary_arg = "credentials" if kind == "basic" else "client_credentials"
                plain = primary_arg if primary.get(kind) == name else _credential_name(name, kind)
                arg = _claim_ctor(namer, plain, kind)
                env = ""
            else:
                arg = _claim_ctor(namer, naming.snake(name), kind)
                env = ""
            flows = mapping(value.get("flows"))
            cc = mapping(flows.get("clientCredentials"))
            raw_scopes = cc.get("scopes")
            scopes: list[Any] = list(raw_scopes) if isinstance(raw_scopes, (dict, list)) else []
            schemes.append(ir.SecurityScheme(
                name=name, kind=kind, arg=arg,
                location=str(value.get("in", "")) if kind == "apikey" else "",
                param_name=str(value.get("name", "")) if kind == "apikey" else "",
                token_url=str(cc.get("tokenUrl", "")),
                scopes=tuple(sorted(str(s) for s in scopes)),
                description=spec_text(value.get("description")),
                env_var=env,
            ))
        return schemes

    def _scheme_usage(self) -> tuple[set[str], dict[str, int]]:
        """The schemes the root ``security`` names, and how many operations name each."""
        root = {n for req in (_security(self.doc.get("security")) or ()) for n, _ in req}
        counts: dict[str, int] = {}
        for item in mapping(self.doc.get("paths")).values():
            if not isinstance(item, dict):
                continue
            for method in HTTP_METHODS:
                op = item.get(method)
                if isinstance(op, dict):
                    for req in _security(op.get("security")) or ():
                        for n, _ in req:
                            counts[n] = counts.get(n, 0) + 1
        return root, counts

    # -- operations -------------------------------------------------------------------------

    def _collect_operations(self) -> list[RawOp]:
        paths = self.doc.get("paths") or {}
        ops: list[RawOp] = []
        for path, item in paths.items():
            if not isinstance(path, str) or not path.startswith("/"):
                continue
            item_loc = self.root.child("paths", path)
            try:
                item, item_loc = self.schemas.resolve(item, item_loc)
            except DiagnosticError as exc:
                self.diagnostics.extend(as_warnings(exc.diagnostics))
                continue
            if not isinstance(item, dict):
                continue
            for method in HTTP_METHODS:
                op = item.get(method)
                if op is None:
                    continue
                self.operations_total += 1
                loc = item_loc.child(method)
                try:  # an operation-level $ref is not standard, but real specs use it
                    op, loc = self.schemas.resolve(op, loc)
                except DiagnosticError as exc:
                    self.diagnostics.extend(as_warnings(exc.diagnostics))
                    continue
                if not isinstance(op, dict):
                    self.warn("operation", f"{method.upper()} {path}: not an operation object; skipped", loc)
                    continue
                tags = [t for t in op.get("tags", []) if isinstance(t, str)] if isinstance(op.get("tags"), list) else []
                tag = tags[0] if tags else _group_from_path(path)
                op_id = op.get("x-codegen-name") or op.get("operationId")
                if not isinstance(op_id, str) or not op_id.strip():
                    op_id = _operation_id_from(method, path)
                ops.append(RawOp(method, path, op, loc, item, item_loc, tag, op_id))
        return ops

    def _groups(self, raw_ops: list[RawOp], scheme_names: set[str], reserved: set[str],
                limit: int) -> list[ir.Group]:
        """``reserved``: client attributes groups must not take; ``limit``: the longest module
        name (``naming.module_limit``)."""
        by_tag: dict[str, list[RawOp]] = {}
        # tags that name the same group ("Responses", "responses") are one group
        same: dict[str, str] = {}
        for r in raw_ops:
            tag = same.setdefault(naming.attribute(r.group_tag, fallback="group"), r.group_tag)
            by_tag.setdefault(tag, []).append(r)
        tags = sequence(self.doc.get("tags"))
        tag_docs = {t["name"]: t for t in tags if isinstance(t, dict) and isinstance(t.get("name"), str)}
        namer = naming.Namer(CLIENT_RESERVED | reserved)
        class_namer = naming.Namer()
        module_namer = naming.Namer({"__init__"})
        groups = []
        for tag in sorted(by_tag, key=naming.snake):
            attr = namer.claim(naming.attribute(tag, fallback="group"))
            cls = class_namer.claim(naming.pascal(tag, fallback="Default"))
            module = module_namer.claim(naming.shorten(naming.module_name(attr, "default"), limit),
                                        case_insensitive=True)
            rops = by_tag[tag]
            names = naming.method_names(attr, [
                naming.OperationName(r.operation_id, r.method, r.path, spec_text(r.op.get("summary")),
                                     r.op["x-codegen-name"] if isinstance(r.op.get("x-codegen-name"), str) else None)
                for r in rops])
            ops = []
            for r, name in zip(rops, names, strict=True):
                op = self._operation(r, name, attr, scheme_names)
                if op is not None:
                    ops.append(op)
            if not ops:
                continue
            doc = tag_docs.get(tag, {})
            groups.append(ir.Group(attr, cls, module, tag, spec_text(doc.get("description")), tuple(ops)))
        return groups

    def _operation(self, r: RawOp, name: str, group: str, scheme_names: set[str]) -> ir.Operation | None:
        try:
            return self._operation_inner(r, name, group, scheme_names)
        except DiagnosticError as exc:
            self.diagnostics.extend(as_warnings(exc.diagnostics))
            self.warn("operation", f"{r.method.upper()} {r.path}: skipped because of the problem above", r.loc)
            return None

    def _operation_inner(self, r: RawOp, name: str, group: str, scheme_names: set[str]) -> ir.Operation:
        hint = naming.pascal(r.operation_id, fallback="Operation")
        params_namer = naming.Namer(naming.RESERVED_PARAM_NAMES)
        params = self._params(r, hint, params_namer, bool(scheme_names))
        body = self._body(r, hint, params_namer)
        success, errors = self._responses(r, hint)
        security = _security(r.op.get("security")) if "security" in r.op else None
        idem = next((p.wire for p in params if p.location == "header" and p.wire.lower() == "idempotency-key"), None)
        pagination = self._pagination(r, params, success)
        streaming = self._streaming(success, body)
        return ir.Operation(
            name=name,
            operation_id=r.operation_id,
            http_method=r.method.upper(),
            path=r.path,
            group=group,
            params=tuple(params),
            body=body,
            success=success,
            errors=tuple(errors),
            security=security,
            summary=spec_text(r.op.get("summary")),
            description=spec_text(r.op.get("description")),
            deprecated=r.op.get("deprecated") is True,
            source=r.loc.pointer,
            idempotency_header=idem,
            pagination=pagination,
            streaming=streaming,
            servers=self._operation_servers(r),
        )

    def _operation_servers(self, r: RawOp) -> tuple[ir.Server, ...]:
        """The servers an operation lists, else those of its path item (OpenAPI: each overrides
        the level above)."""
        for owner, loc in ((r.op, r.loc), (r.path_item, r.path_loc)):
            if isinstance(owner.get("servers"), list) and owner["servers"]:
                return self._server_list(owner["servers"], loc.child("servers"))
        return ()

    def _params(self, r: RawOp, hint: str, namer: naming.Namer, has_security: bool) -> list[ir.Param]:
        merged: dict[tuple[str, str], tuple[dict[str, Any], Location]] = {}
        for owner, owner_loc in ((r.path_item, r.path_loc), (r.op, r.loc)):
            raw = owner.get("parameters")
            if not isinstance(raw, list):
                continue
            for i, p in enumerate(raw):
                p, ploc = self.schemas.resolve(p, owner_loc.child("parameters", i))
                if not isinstance(p, dict) or not isinstance(p.get("name"), str) or p.get("in") not in (
                        "path", "query", "header", "cookie"):
                    self.warn("parameter", "parameter without a valid name/in ignored", ploc)
                    continue
                merged[(p["in"], p["name"])] = (p, ploc)
        template_names = re.findall(r"{([^{}]+)}", r.path)
        for t in template_names:
            if ("path", t) not in merged:
                self.warn("parameter", f"path template variable {{{t}}} is not declared; it becomes a string "
                          "argument", r.loc)
                merged[("path", t)] = ({"name": t, "in": "path", "required": True, "schema": {"type": "string"}}, r.loc)
        order = {"path": 0, "query": 1, "header": 2, "cookie": 3}
        # path parameters in template order, then the rest in declaration order
        keys = sorted(merged, key=lambda k: (order[k[0]], template_names.index(k[1])
                                             if k[0] == "path" and k[1] in template_names else 0))
        params = []
        for loc_kind, wire in keys:
            p, ploc = merged[(loc_kind, wire)]
            if loc_kind == "path" and wire not in template_names:
                self.warn("parameter", f"path parameter {wire!r} does not appear in {r.path}; ignored", ploc)
                continue
            if loc_kind == "header" and wire.lower() in SECURITY_HEADERS and has_security:
                self.warn("parameter", f"header parameter {wire!r} duplicates the security scheme; the client sends "
                          "credentials itself", ploc)
                continue
            if loc_kind == "header" and wire.lower() in MANAGED_HEADERS:
                self.diagnostics.append(note("ignored.header", f"header parameter {wire!r} is not an argument: the "
                                             "client sets it itself", self.spec.display(ploc.file), ploc.pointer,
                                             self.spec.line_of(ploc)))
                continue
            schema = p.get("schema")
            sloc = ploc.child("schema")
            content_type = None
            if schema is None and isinstance(p.get("content"), dict) and p["content"]:
                mt = sorted(p["content"])[0]
                if len(p["content"]) > 1:
                    self.warn("parameter", f"parameter content has {len(p['content'])} media types (the spec allows "
                              f"one); serialized as {mt}", ploc.child("content"))
                schema = p["content"][mt].get("schema") if isinstance(p["content"][mt], dict) else None
                sloc = ploc.child("content", mt, "schema")
                content_type = str(mt)
            type_ = (self.schemas.convert(schema, sloc, hint + naming.pascal(wire)) if schema is not None
                     else ir.Prim("str"))
            style, explode = self._style(p, loc_kind, type_, ploc) if content_type is None else ("", False)
            required = p.get("required") is True or loc_kind == "path"
            example, has_example = _example_of(p, schema)
            params.append(ir.Param(
                name=_claim_argument(namer, naming.param_name(wire), loc_kind),
                wire=wire,
                location=cast(ir.ParamLocation, loc_kind),
                type=type_,
                required=required,
                description=spec_text(p.get("description"))
                or spec_text(schema.get("description") if isinstance(schema, dict) else ""),
                deprecated=p.get("deprecated") is True,
                explode=explode,
                style=style,
                example=example,
                has_example=has_example,
                allow_reserved=loc_kind == "query" and p.get("allowReserved") is True and content_type is None,
                content_type=content_type,
            ))
        return params

    def _style(self, p: dict[str, Any], where: str, type_: ir.TypeRef, ploc: Location) -> tuple[str, bool]:
        """The parameter's ``style`` and ``explode`` with the spec's defaults; a combination the
        spec leaves undefined is a warning and falls back to what the location does by default."""
        default = "simple" if where in ("path", "header") else "form"
        ext = p.get("x-codegen-style")
        style = ext if ext == "tabDelimited" and where == "query" else p.get("style", default)
        explode = p.get("explode", style == "form")
        if not isinstance(explode, bool):
            explode = style == "form"
        shape = self._shape(type_)
        loc = ploc.child("style") if "style" in p else ploc
        problem = None
        if style not in _STYLES_BY_LOCATION[where]:
            problem = f"style {style!r} is not defined for {where} parameters; sent as {default}"
            style = default
            if "explode" not in p:
                explode = style == "form"
        elif style in _DELIMITED and explode and shape != "scalar":
            problem = f"style {style} with explode: true is undefined; sent as form with explode: true"
            style = "form"
        elif style in _DELIMITED and shape == "scalar":
            problem = f"style {style} is defined for arrays and objects only; sent as form"
            style = "form"
        elif style == "deepObject" and shape in ("scalar", "array"):
            problem = "style deepObject is defined for objects only; sent as form with explode: true"
            style, explode = "form", True
        elif style == "deepObject" and not explode:
            problem = "style deepObject with explode: false is undefined; sent as deepObject"
            explode = True
        elif style == "deepObject" and self._nested_object(type_):
            problem = ("style deepObject does not define how array or object properties are sent; "
                       "they are sent as name[property]=... repeated, or as JSON")
        if problem:
            self.warn("parameter-style", problem, loc)
        return style, explode

    def _shape(self, t: ir.TypeRef) -> str:
        """``scalar``, ``array``, ``object`` or ``any`` (a union or free-form value)."""
        if isinstance(t, ir.Nullable):
            return self._shape(t.inner)
        if isinstance(t, ir.ListOf):
            return "array"
        if isinstance(t, ir.MapOf):
            return "object"
        if isinstance(t, ir.LiteralOf):
            return "scalar"
        if isinstance(t, ir.Prim):
            return "any" if t.kind == "any" else "scalar"
        if isinstance(t, ir.Ref):
            d = self.schemas.definitions.get(t.name)
            return {"enum": "scalar", "model": "object"}.get(getattr(d, "kind", ""), "any")
        if isinstance(t, ir.AnyOf):
            shapes = {self._shape(v) for v in t.variants}
            return shapes.pop() if len(shapes) == 1 else "any"
        return "any"

    def _nested_object(self, t: ir.TypeRef) -> bool:
        model = self.schemas.model_for(t.inner if isinstance(t, ir.Nullable) else t)
        if model is None:
            return False
        return any(self._shape(f.type) in ("array", "object") for f in model.fields)

    def _body(self, r: RawOp, hint: str, namer: naming.Namer) -> ir.Body | None:
        raw = r.op.get("requestBody")
        if raw is None:
            return None
        rb, rloc = self.schemas.resolve(raw, r.loc.child("requestBody"))
        content = rb.get("content") if isinstance(rb, dict) else None
        if not isinstance(content, dict) or not content:
            return None
        media = pick_request_media(content)
        if media is None:
            self.warn("body", f"no supported media type among {', '.join(sorted(content))}", rloc)
            return None
        mt_obj = mapping(content[media])
        schema = mt_obj.get("schema")
        kind = _body_kind(media)
        sloc = rloc.child("content", media, "schema")
        type_ = self.schemas.convert(schema, sloc, hint + "Request") if schema is not None else (
            ir.Prim("binary") if kind == "binary" else ir.ANY)
        required = rb.get("required") is True
        example, has_example = _example_of(mt_obj, schema)
        fields = None
        model = self.schemas.model_for(type_)
        if model is not None and kind in ("json", "multipart", "form"):
            fields = tuple(
                replace(f, name=_claim_argument(namer, naming.param_name(f.wire), "body"))
                for f in model.fields if not f.read_only
            )
        return ir.Body(media_type=media, kind=kind, type=type_, required=required, fields=fields,
                       name=namer.claim("body") if fields is None else "body",
                       description=spec_text(rb.get("description")), example=example, has_example=has_example)

    def _responses(self, r: RawOp, hint: str) -> tuple[ir.Response, list[ir.Response]]:
        raw = r.op.get("responses")
        raw = mapping(raw)
        responses: dict[str, ir.Response] = {}
        for status in sorted(raw, key=_status_order):
            resp, rloc = self.schemas.resolve(raw[status], r.loc.child("responses", status))
            if not isinstance(resp, dict):
                continue
            code = str(status).upper() if str(status).upper().endswith("XX") else str(status)
            suffix = "Response" if code.startswith("2") and not responses else f"Response{code.title()}"
            responses[code] = self._response(code, resp, rloc, hint + suffix)
        success_codes = [c for c in responses if c.startswith("2")]
        if success_codes:
            success = responses[success_codes[0]]
        elif "default" in responses:
            success = responses["default"]
        else:
            success = ir.Response(status="200", kind="empty", type=None)
        errors = [resp for code, resp in responses.items() if not code.startswith("2") and resp is not success
                  and resp.type is not None]
        return success, errors

    def _response(self, code: str, resp: dict[str, Any], rloc: Location, hint: str) -> ir.Response:
        content = resp.get("content")
        desc = spec_text(resp.get("description"))
        if not isinstance(content, dict) or not content:
            return ir.Response(code, "empty", None, "", desc)
        media = pick_response_media(content)
        mt_obj = mapping(content[media])
        schema = mt_obj.get("schema")
        low = media.lower()
        example, has_example = _example_of(mt_obj, schema)
        sse = next((m for m in content if m.lower().startswith("text/event-stream")), None)
        event_type = self._event_type(content[sse], rloc.child("content", sse), hint) if sse else None
        if JSON_RE.match(low):
            schema_loc = rloc.child("content", media, "schema")
            type_ = self.schemas.convert(schema, schema_loc, hint) if schema is not None else ir.ANY
            return ir.Response(code, "json", type_, media, desc, example, has_example, event_type)
        if low.startswith("text/event-stream"):
            return ir.Response(code, "sse", None, media, desc, event_type=event_type)
        wildcard = low.split(";")[0].strip() in ("*/*", "application/*", "text/*")
        if wildcard and isinstance(schema, dict) and schema:
            # the server decides: JSON decodes by the schema, anything else stays bytes/text
            type_ = self.schemas.convert(schema, rloc.child("content", media, "schema"), hint)
            if type_ != ir.Prim("binary"):
                kind: ir.ResponseKind = "any_text" if low.startswith("text/") else "any"
                return ir.Response(code, kind, type_, media, desc, example, has_example)
        if low.startswith("text/"):
            return ir.Response(code, "text", ir.Prim("str"), media, desc, example, has_example)
        return ir.Response(code, "bytes", ir.Prim("binary"), media, desc)

    def _event_type(self, media_obj: Any, mloc: Location, hint: str) -> ir.TypeRef:
        """The payload of one server-sent event.  A schema that describes the event itself
        (an object with ``data`` and maybe ``event``/``id``/``retry``) yields its ``data``."""
        schema = media_obj.get("schema") if isinstance(media_obj, dict) else None
        if schema is None:
            return ir.ANY
        value, vloc = self.schemas.resolve(schema, mloc.child("schema"))
        props = value.get("properties") if isinstance(value, dict) else None
        if isinstance(props, dict) and "data" in props and set(props) <= {"data", "event", "id", "retry"}:
            return self.schemas.convert(props["data"], vloc.child("properties", "data"), hint + "Event")
        return self.schemas.convert(schema, mloc.child("schema"), hint + "Event")

    # -- pagination and streaming -------------------------------------------------------

    def _streaming(self, success: ir.Response, body: ir.Body | None) -> ir.Streaming | None:
        if success.kind == "sse":
            return ir.Streaming(success.event_type or ir.ANY)
        if success.event_type is None or body is None or body.fields is None:
            return None
        flag = next((f for f in body.fields if f.wire == "stream" and _is_bool(f.type)), None)
        return ir.Streaming(success.event_type, flag.name) if flag is not None else None

    def _pagination(self, r: RawOp, params: list[ir.Param], success: ir.Response) -> ir.Pagination | None:
        override = r.op.get("x-codegen-pagination")
        for key in (r.op.get("operationId"), f"{r.method.upper()} {r.path}"):
            if isinstance(key, str) and key in self.pagination_config:
                override = self.pagination_config[key]
        if override is False:
            return None
        model = self.schemas.model_for(success.type) if success.kind == "json" and success.type else None
        if model is None:
            if override is not None:
                self.warn("pagination", "x-codegen-pagination on an operation whose response is not an object "
                          "model; ignored", r.loc)
            return None
        if isinstance(override, dict):
            return self._pagination_override(r, override, model)
        if r.method != "get":
            return None
        return detect_pagination(model, {p.wire for p in params if p.location == "query"})

    def _pagination_override(self, r: RawOp, raw: dict[str, Any], model: ir.ModelDef) -> ir.Pagination | None:
        strategy = raw.get("strategy")
        if strategy not in PAGINATION_KEYS:
            self.warn("pagination", f"x-codegen-pagination: strategy must be one of {', '.join(PAGINATION_KEYS)}",
                      r.loc.child("x-codegen-pagination"))
            return None
        attrs = {f.wire: f.name for f in model.fields}
        items_wire = str(raw.get("items", "data"))
        items = next((f for f in model.fields if f.wire == items_wire and isinstance(f.type, ir.ListOf)), None)
        if items is None:
            self.warn("pagination", f"x-codegen-pagination: {items_wire!r} is not an array field of the response",
                      r.loc.child("x-codegen-pagination"))
            return None
        params = []
        for key in PAGINATION_KEYS[strategy]:
            if key in raw:
                value = str(raw[key])
                # response fields are named as in the spec; the runtime reads Python attributes
                if not key.endswith("_param"):
                    value = ".".join(attrs.get(part, part) for part in value.split("."))
                params.append((key, value))
        return ir.Pagination(strategy, items.name, _item_type(items.type), tuple(params))


PAGINATION_KEYS: dict[str, tuple[str, ...]] = {
    "offset": ("offset_param", "limit_param", "total", "has_more"),
    "page": ("page_param", "per_page_param", "total_pages", "has_more"),
    "cursor": ("cursor_param", "next_cursor", "has_more"),
    "next_link": ("next_link",),
}
_ITEMS = ("data", "items", "results", "entries", "records", "values", "objects")
_OFFSET = ("offset", "skip", "start")
_LIMIT = ("limit", "page_size", "per_page", "pagesize", "size", "max_results", "top", "count")
_PAGE = ("page", "page_number", "pagenumber", "page_num")
_CURSOR = ("cursor", "after", "starting_after", "page_token", "pagetoken", "next_token", "continuation_token")
_TOTAL = ("total", "total_count", "totalcount", "count", "total_results", "total_items")
_TOTAL_PAGES = ("total_pages", "totalpages", "pages", "page_count")
_HAS_MORE = ("has_more", "hasmore", "has_next", "has_next_page", "more")
_NEXT_CURSOR = ("next_cursor", "nextcursor", "next_page_token", "nextpagetoken", "next_token", "last_id", "cursor")
_NEXT_LINK = ("next", "next_url", "next_link", "next_page_url", "nextlink")


def detect_pagination(model: ir.ModelDef, query: set[str]) -> ir.Pagination | None:
    """The pagination strategy a list response and its query parameters imply, if any."""
    lists = [f for f in model.fields if isinstance(f.type, ir.ListOf)]
    if not lists:
        return None
    items = next((f for name in _ITEMS for f in lists if f.wire.lower() == name), lists[0] if len(lists) == 1 else None)
    if items is None:
        return None
    by_wire = {f.wire.lower(): f for f in model.fields}
    lower = {q.lower(): q for q in query}

    def field(names: tuple[str, ...]) -> str | None:
        return next((by_wire[n].name for n in names if n in by_wire), None)

    def param(names: tuple[str, ...]) -> str | None:
        return next((lower[n] for n in names if n in lower), None)

    item_type = _item_type(items.type)
    has_more = field(_HAS_MORE)
    cursor_param, next_cursor = param(_CURSOR), field(_NEXT_CURSOR)
    if cursor_param and next_cursor:
        params = [("cursor_param", cursor_param), ("next_cursor", next_cursor),
                  *([("has_more", has_more)] if has_more else [])]
        return ir.Pagination("cursor", items.name, item_type, tuple(params))
    offset_param = param(_OFFSET)
    if offset_param:
        params = [("offset_param", offset_param), ("limit_param", param(_LIMIT) or "")]
        params = [(k, v) for k, v in params if v]
        total = field(_TOTAL)
        params += ([("total", total)] if total else []) + ([("has_more", has_more)] if has_more else [])
        if not params[1:] and not (total or has_more):
            params.append(("limit_param", ""))
        return ir.Pagination("offset", items.name, item_type, tuple(p for p in params if p[1]))
    page_param = param(_PAGE)
    if page_param:
        params = [("page_param", page_param)]
        per_page = param(_LIMIT)
        if per_page:
            params.append(("per_page_param", per_page))
        total_pages = field(_TOTAL_PAGES)
        if total_pages:
            params.append(("total_pages", total_pages))
        if has_more:
            params.append(("has_more", has_more))
        return ir.Pagination("page", items.name, item_type, tuple(params))
    next_link = next((f for n in _NEXT_LINK for f in model.fields
                      if f.wire.lower() == n and _is_str(f.type)), None)
    if next_link is not None:
        return ir.Pagination("next_link", items.name, item_type, (("next_link", next_link.name),))
    return None


def _item_type(t: ir.TypeRef) -> ir.TypeRef:
    return t.item if isinstance(t, ir.ListOf) else ir.ANY


def _is_bool(t: ir.TypeRef) -> bool:
    inner = t.inner if isinstance(t, ir.Nullable) else t
    return inner == ir.Prim("bool")


def _is_str(t: ir.TypeRef) -> bool:
    inner = t.inner if isinstance(t, ir.Nullable) else t
    return inner == ir.Prim("str")


# -- helpers -------------------------------------------------------------------------------


def _docs_url(doc: dict[str, Any]) -> str:
    """Where the vendor's documentation lives, as far as the spec says: ``externalDocs.url``
    (site-relative links in descriptions resolve against it).  ``info.contact.url`` is not used:
    it is often a support site (OpenAI's is help.openai.com, its guides live elsewhere), and a
    guessed base makes links to nowhere; the target's ``docs_url`` setting says it instead."""
    from urllib.parse import urlsplit

    external = mapping(doc.get("externalDocs")).get("url")
    if isinstance(external, str) and urlsplit(external.strip()).scheme in ("http", "https"):
        return external.strip()
    return ""






def _claim_argument(namer: naming.Namer, preferred: str, where: str) -> str:
    """An argument name; one a parameter of another kind took says which it is (a body field
    ``name`` beside the path parameter ``name`` is ``body_name``; a query ``id`` beside a path
    ``id`` is ``query_id``), never a number."""
    if preferred not in namer:
        return namer.claim(preferred)
    named = naming.param_name(f"{where}_{preferred.rstrip('_')}")
    return namer.claim(named)


_CTOR_DERIVED = {"basic": ("username", "password"), "oauth2": ("client_id", "client_secret")}
_SCHEME_FILLER = frozenset({"auth", "authentication", "authorization", "scheme", "security", "http"})
_CREDENTIAL_NOUNS = frozenset({"key", "token", "secret", "password", "credentials"})


def _credential_name(scheme: str, kind: str) -> str:
    """A plain argument name for a further scheme: its name without "auth"/"scheme" words, ending
    in what it is (``AdminApiKeyAuth`` -> ``admin_api_key``, ``petstore_auth`` ->
    ``petstore_token``); basic and OAuth2 schemes name the pair their arguments share a prefix of."""
    ws = [w for w in naming.words(scheme) if w not in _SCHEME_FILLER] or ["extra"]
    if kind in ("bearer", "apikey") and ws[-1] not in _CREDENTIAL_NOUNS:
        ws += ["api", "key"] if kind == "apikey" else ["token"]
    return naming.snake("_".join(ws))


def _claim_ctor(namer: naming.Namer, preferred: str, kind: str) -> str:
    """A credential argument, with the names the client derives from it (``<arg>_username``...)
    free too; ``credentials`` (the only scheme, basic) derives plain ``username``/``password``."""
    suffixes = _CTOR_DERIVED.get(kind, ())
    n = 1
    while True:
        arg = preferred if n == 1 else f"{preferred}_{n}"
        derived = [s if arg in ("credentials", "client_credentials") else f"{arg}_{s}" for s in suffixes]
        if arg not in namer and not any(d in namer for d in derived):
            for name in [arg, *derived]:
                namer.claim(name)
            return arg
        n += 1


SchemeKind = Literal["bearer", "basic", "apikey", "oauth2", "unsupported"]


def _scheme_kind(value: Any) -> SchemeKind:
    if not isinstance(value, dict):
        return "unsupported"
    t = str(value.get("type", "")).lower()
    if t == "http":
        scheme = str(value.get("scheme", "")).lower()
        if scheme == "bearer":
            return "bearer"
        return "basic" if scheme == "basic" else "unsupported"
    if t == "apikey":
        usable = value.get("in") in ("header", "query", "cookie") and isinstance(value.get("name"), str)
        return "apikey" if usable else "unsupported"
    if t == "oauth2":
        flows = value.get("flows")
        return "oauth2" if isinstance(flows, dict) and "clientCredentials" in flows else "bearer"
    if t == "openidconnect":
        return "bearer"
    return "unsupported"


def _security(value: Any) -> tuple[tuple[tuple[str, tuple[str, ...]], ...], ...] | None:
    if not isinstance(value, list):
        return None
    return tuple(tuple((str(k), tuple(str(s) for s in (v if isinstance(v, list) else [])))
                       for k, v in sorted(req.items()))
                 for req in value if isinstance(req, dict))


def _group_from_path(path: str) -> str:
    for seg in path.strip("/").split("/"):
        if seg and not seg.startswith("{") and not re.fullmatch(r"v\d+(\.\d+)*|api", seg):
            return seg
    return "default"


def _operation_id_from(method: str, path: str) -> str:
    segs = [s for s in path.strip("/").split("/") if s and not s.startswith("{")]
    return "_".join([method, *segs]) if segs else method


def _status_order(status: Any) -> tuple[int, str]:
    s = str(status)
    if s.isascii() and s.isdigit():
        return (int(s), s)
    if s.upper().endswith("XX") and s[0].isascii() and s[0].isdigit():
        return (int(s[0]) * 100 + 99, s)
    return (1000, s)





def _body_kind(media: str) -> ir.BodyKind:
    m = media.lower()
    if JSON_RE.match(m):
        return "json"
    if m.startswith("multipart/"):
        return "multipart"
    if m.startswith("application/x-www-form-urlencoded"):
        return "form"
    if m.startswith("text/"):
        return "text"
    return "binary"


def _example_of(obj: Any, schema: Any) -> tuple[Any, bool]:
    if isinstance(obj, dict):
        if "example" in obj:
            return obj["example"], True
        ex = obj.get("examples")
        if isinstance(ex, dict):
            for key in ex:
                item = ex[key]
                if isinstance(item, dict) and "value" in item:
                    return item["value"], True
    if isinstance(schema, dict):
        if "example" in schema:
            return schema["example"], True
        ex = schema.get("examples")
        if isinstance(ex, list) and ex:
            return ex[0], True
    return None, False


def _model_modules(definitions: dict[str, ir.Definition],
                   limit: int) -> tuple[tuple[ir.ModelModule, ...], dict[str, str]]:
    """Group definitions into modules: one per strongly connected component of the reference
    graph, so that imports between model modules never form a cycle.  A module name has at most
    ``limit`` characters (``naming.shorten``)."""
    graph = {name: sorted(_refs_of(d) & definitions.keys()) for name, d in definitions.items()}
    sccs = _tarjan(graph)
    namer = naming.Namer({"__init__"})
    module_of: dict[str, str] = {}
    members: dict[str, list[str]] = {}
    for comp in sorted(sccs, key=min):
        comp = sorted(comp)
        full = naming.module_name(naming.snake(comp[0], fallback="model"), "model")
        mod = namer.claim(naming.shorten(full, limit), case_insensitive=True)
        members[mod] = comp
        for n in comp:
            module_of[n] = mod
    modules = []
    for mod, names in sorted(members.items()):
        deps: dict[str, set[str]] = {}
        for n in names:
            for dep in graph[n]:
                dm = module_of[dep]
                if dm != mod:
                    deps.setdefault(dm, set()).add(dep)
        modules.append(ir.ModelModule(mod, tuple(names), tuple((m, tuple(sorted(v))) for m, v in sorted(deps.items()))))
    return tuple(modules), module_of


def _iterable_lists(definitions: dict[str, ir.Definition], groups: list[ir.Group]) -> dict[str, ir.Definition]:
    """Response models whose items sit in their one array field iterate over them (and have a
    ``len``), as pages do; a model some operation pages through is left to its page classes."""
    paged = {op.success.type.name for g in groups for op in g.operations
             if op.pagination is not None and isinstance(op.success.type, ir.Ref)}
    out = dict(definitions)
    for g in groups:
        for op in g.operations:
            t = op.success.type
            if op.success.kind != "json" or not isinstance(t, ir.Ref) or t.name in paged:
                continue
            d = out.get(t.name)
            if not isinstance(d, ir.ModelDef) or d.items:
                continue
            arrays = [f for f in d.fields if isinstance(f.type, ir.ListOf)
                      or (isinstance(f.type, ir.Nullable) and isinstance(f.type.inner, ir.ListOf))]
            if len(arrays) == 1:
                out[t.name] = replace(d, items=arrays[0].name)
    return out


def refs_in_type(t: ir.TypeRef | None) -> set[str]:
    """The definitions a type names."""
    return {x.name for x in ir.parts(t) if isinstance(x, ir.Ref)}


def _refs_of(d: ir.Definition) -> set[str]:
    if isinstance(d, ir.ModelDef):
        types = [f.type for f in d.fields] + [d.additional]
    elif isinstance(d, ir.UnionDef):
        types = list(d.variants)
    else:
        return set()
    refs = {x.name for t in types for x in ir.parts(t) if isinstance(x, ir.Ref)}
    if isinstance(d, ir.ModelDef) and d.base:
        refs.add(d.base)
    if isinstance(d, ir.ModelDef) and d.discriminator:  # the base decodes its subclasses
        refs.update(name for _, name in d.discriminator.mapping)
    return refs


def _tarjan(graph: dict[str, list[str]]) -> list[list[str]]:
    """Strongly connected components, iteratively (specs can be deep)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    result: list[list[str]] = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, 0)]
        while work:
            node, i = work.pop()
            if i == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            recurse = False
            edges = graph[node]
            while i < len(edges):
                nxt = edges[i]
                i += 1
                if nxt not in index:
                    work.append((node, i))
                    work.append((nxt, 0))
                    recurse = True
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            if recurse:
                continue
            if low[node] == index[node]:
                comp = []
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    comp.append(w)
                    if w == node:
                        break
                result.append(comp)
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return result


__all__ = ["BuildResult", "build_api", "error", "refs_in_type"]
