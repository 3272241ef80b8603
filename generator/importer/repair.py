"""Repairs of known documentation-rendering defects; each one is a warning naming page and pointer.

* ``path_templates``: a path that lost its template variable (``/workspaces/`` declaring path
  parameter ``id``) gets it back, from the page's own code samples (``/workspaces/production``)
  or, failing those, from the empty segment it left behind;
* ``auth_headers``: an ``Authorization`` header parameter that duplicates an HTTP security scheme,
  or a header parameter that duplicates an ``apiKey`` scheme sent in that header (declared on the
  page or on another page of the vendor), becomes a security requirement;
* ``fern_tags``: Fern's ``subpackage_apiKeys`` tags become the vendor's tag names (``API Keys``);
* ``component_names``: component names the OpenAPI spec forbids become valid, every ``$ref``
  rewritten.
"""

from __future__ import annotations

import copy
import re
import urllib.parse
from dataclasses import dataclass, field

from generator.diagnostics import Diagnostic, Severity, escape_pointer_token, join_pointer, split_pointer
from generator.importer.model import JSON, Fragment
from generator.importer.walk import COMPONENT_SECTIONS, HTTP_METHODS, objects, op_pointer, operations


@dataclass
class RepairContext:
    """Evidence from the other pages: tag names the vendor (and anyone in this import) declares."""

    vendor_tags: list[str] = field(default_factory=list)
    other_tags: list[str] = field(default_factory=list)
    # header name (lower case) -> (scheme name, scheme, page label): the vendor's apiKey-in-header schemes
    key_headers: dict[str, tuple[str, dict[str, JSON], str]] = field(default_factory=dict)


def key_headers(fragments: list[Fragment]) -> dict[str, tuple[str, dict[str, JSON], str]]:
    """Every ``apiKey`` scheme sent in a header that these fragments declare, by the header's name
    (lower case); the first in canonical fragment order wins."""
    found: dict[str, tuple[str, dict[str, JSON], str]] = {}
    for fragment in sorted(fragments, key=Fragment.sort_key):
        for name, scheme in _schemes(fragment.doc).items():
            scheme = _resolve(fragment.doc, scheme)
            header = _key_header(scheme)
            if header is not None:
                found.setdefault(header, (str(name), scheme, fragment.label))
    return found


def _mapping(value: JSON) -> dict[str, JSON]:
    """``value`` if it is a mapping, else an empty one (as ``generator.load.loader.mapping``)."""
    return value if isinstance(value, dict) else {}


def _schemes(doc: dict[str, JSON]) -> dict[str, JSON]:
    components = doc.get("components")
    schemes = components.get("securitySchemes") if isinstance(components, dict) else None
    return _mapping(schemes)


def _key_header(scheme: JSON) -> str | None:
    """The header an ``apiKey`` scheme is sent in (lower case), if it is one."""
    if isinstance(scheme, dict) and scheme.get("type") == "apiKey" and scheme.get("in") == "header" \
            and isinstance(scheme.get("name"), str) and scheme["name"]:
        return str(scheme["name"]).lower()
    return None


def repair(fragment: Fragment, context: RepairContext) -> list[Diagnostic]:
    """All repairs, in an order that keeps the pointers in earlier warnings true to the page."""
    out = auth_headers(fragment, context)
    out += fern_tags(fragment, context)
    out += path_templates(fragment)
    out += component_names(fragment)
    return out


def _warn(fragment: Fragment, code: str, message: str, pointer: str) -> Diagnostic:
    return fragment.diag(Severity.WARNING, code, message, pointer)


def _resolve(doc: dict[str, JSON], value: JSON) -> JSON:
    """Follow a local ``$ref`` (one level at a time, cycle safe)."""
    seen: set[str] = set()
    while isinstance(value, dict) and isinstance(value.get("$ref"), str) and value["$ref"].startswith("#"):
        ref = value["$ref"]
        if ref in seen:
            return value
        seen.add(ref)
        target: JSON = doc
        for token in split_pointer(urllib.parse.unquote(ref[1:])):
            target = target.get(token) if isinstance(target, dict) else None
        if target is None:
            return value
        value = target
    return value


# -- path templates -------------------------------------------------------------------------------

_URL = re.compile(r"https?://[^\s\"'<>`)\]}]+")
_TEMPLATE = re.compile(r"\{([^}/]+)\}")


def _sample_paths(fragment: Fragment) -> list[str]:
    """Request paths that the page's text (code samples, request lines) calls, server base removed."""
    servers = fragment.doc.get("servers")
    bases = [str(s.get("url", "")).rstrip("/") for s in servers if isinstance(s, dict)] if isinstance(servers, list) \
        else []
    out: set[str] = set()
    for url in _URL.findall(fragment.page.text):
        url = re.split(r"[?#]", url)[0]
        matched = False
        for base in bases:
            if base.startswith(("http://", "https://")) and (url == base or url.startswith(base + "/")):
                out.add(url[len(base):] or "/")
                matched = True
            elif base.startswith("/") and base in url:
                out.add(urllib.parse.urlsplit(url).path.split(base, 1)[1] or "/")
                matched = True
        if not matched and not any(b.startswith(("http://", "https://")) for b in bases):
            out.add(urllib.parse.urlsplit(url).path or "/")
    return sorted(out)


def _path_params(doc: dict[str, JSON], item: dict[str, JSON]) -> list[dict[str, JSON]]:
    found: dict[str, dict[str, JSON]] = {}
    containers = [item] + [item[m] for m in HTTP_METHODS if isinstance(item.get(m), dict)]
    for container in containers:
        params = container.get("parameters")
        if not isinstance(params, list):
            continue
        for raw in params:
            param = _resolve(doc, raw)
            if isinstance(param, dict) and param.get("in") == "path" and isinstance(param.get("name"), str):
                found.setdefault(param["name"], param)
    return list(found.values())


def _examples(param: dict[str, JSON]) -> set[str]:
    values = [param.get("example")]
    schema = param.get("schema")
    if isinstance(schema, dict):
        values += [schema.get("example"), schema.get("default")]
        if isinstance(schema.get("examples"), list):
            values += list(schema["examples"])
    if isinstance(param.get("examples"), dict):
        values += [e.get("value") for e in param["examples"].values() if isinstance(e, dict)]
    return {str(v) for v in values if v is not None}


def _segment_pattern(segment: str) -> str:
    parts = _TEMPLATE.split(segment)
    return "".join("[^/]+" if i % 2 else re.escape(part) for i, part in enumerate(parts))


def _infer_template(path: str, missing: list[dict[str, JSON]], samples: list[str]) -> tuple[str, str] | None:
    """The repaired path and the evidence for it, or None when the page gives no evidence."""
    segments = path.split("/")
    holes = [i for i, seg in enumerate(segments) if i > 0 and seg == ""]
    empty_segments = bool(holes)
    if empty_segments:
        if len(holes) != len(missing):
            return None
        pattern = "/".join("([^/]+)" if i in holes else _segment_pattern(s) for i, s in enumerate(segments))
    else:  # the whole segment went missing: look for samples with more segments
        pattern = "/".join(_segment_pattern(s) for s in segments) + r"/([^/]+)" * len(missing)
        holes = list(range(len(segments), len(segments) + len(missing)))
        segments = segments + [""] * len(missing)
    calls = [(s, m.groups()) for s in samples if (m := re.fullmatch(pattern, s))]
    if calls:
        sample, values = calls[0]
        evidence = f"the page's code samples call {sample!r}"
    elif empty_segments:
        values = tuple("" for _ in holes)
        evidence = "the path has an empty segment where the parameter belongs"
    else:
        return None
    remaining = list(missing)
    chosen: list[str] = []
    for value in values:
        match = next((p for p in remaining if value in _examples(p)), remaining[0])
        remaining.remove(match)
        chosen.append(str(match["name"]))
    for hole, name in zip(holes, chosen, strict=False):
        segments[hole] = "{" + name + "}"
    return "/".join(segments), evidence


def path_templates(fragment: Fragment) -> list[Diagnostic]:
    doc = fragment.doc
    paths = doc.get("paths")
    if not isinstance(paths, dict):
        return []
    out: list[Diagnostic] = []
    renamed: dict[str, str] = {}
    samples: list[str] | None = None
    for path, item in paths.items():
        if not isinstance(item, dict):
            continue
        declared = set(_TEMPLATE.findall(path))
        missing = [p for p in _path_params(doc, item) if p["name"] not in declared]
        if not missing:
            continue
        samples = _sample_paths(fragment) if samples is None else samples
        inferred = _infer_template(path, missing, samples)
        if inferred is None or inferred[0] in paths or inferred[0] in renamed.values():
            continue
        new_path, evidence = inferred
        names = ", ".join(repr(p["name"]) for p in missing)
        out.append(_warn(fragment, "import.repair.path-template",
                         f"path {path!r} declares path parameter {names} but does not contain it; {evidence}, "
                         f"so the path becomes {new_path!r}", join_pointer("", "paths", path)))
        renamed[path] = new_path
    if renamed:
        doc["paths"] = {renamed.get(p, p): item for p, item in paths.items()}
    return out


# -- Authorization header -------------------------------------------------------------------------

def _auth_scheme(doc: dict[str, JSON], param: dict[str, JSON], page_text: str) -> tuple[str, bool] | None:
    """The security scheme an ``Authorization`` header stands for, and whether it must be created."""
    schemes = _schemes(doc)
    ranked = []
    for name, scheme in schemes.items():
        scheme = _resolve(doc, scheme)
        if not isinstance(scheme, dict):
            continue
        kind, http = scheme.get("type"), str(scheme.get("scheme", "")).lower()
        if kind == "http":
            ranked.append((0 if http == "bearer" else 1, name))
        elif (kind == "apiKey" and scheme.get("in") == "header"
              and str(scheme.get("name", "")).lower() == "authorization"):
            ranked.append((2, name))
    if ranked:
        return sorted(ranked)[0][1], False
    said = f"{param.get('description', '')} {page_text}"
    if re.search(r"\bbearer\b", said, re.I):
        name = "bearerAuth"
        while name in schemes:
            name += "_"
        return name, True
    return None


def _require(op: dict[str, JSON], doc: dict[str, JSON], scheme: str, optional: bool) -> None:
    requirement: dict[str, JSON] = {scheme: []}
    security = op.get("security")
    if isinstance(security, list):
        if not any(isinstance(r, dict) and scheme in r for r in security):
            security.append(requirement)
        return
    top = doc.get("security")
    if isinstance(top, list) and any(isinstance(r, dict) and scheme in r for r in top):
        return
    op["security"] = [requirement, {}] if optional else [requirement]


def _api_key_scheme(doc: dict[str, JSON], header: str, context: RepairContext | None,
                    ) -> tuple[str, dict[str, JSON] | None, str] | None:
    """The ``apiKey`` scheme sent in ``header``: the page's own (nothing to add), else one another
    page of the vendor declares (the scheme to add to this page, and that page's label)."""
    for name, scheme in _schemes(doc).items():
        if _key_header(_resolve(doc, scheme)) == header.lower():
            return str(name), None, ""
    found = context.key_headers.get(header.lower()) if context is not None else None
    if found is None:
        return None
    name, scheme, label = found
    return name, scheme, label


def auth_headers(fragment: Fragment, context: RepairContext | None = None) -> list[Diagnostic]:
    doc = fragment.doc
    out: list[Diagnostic] = []
    paths = _mapping(doc.get("paths"))
    for path, item in paths.items():
        if not isinstance(item, dict):
            continue
        containers = [("", item)] + [(m, item[m]) for m in HTTP_METHODS if isinstance(item.get(m), dict)]
        for method, container in containers:
            params = container.get("parameters")
            if not isinstance(params, list):
                continue
            for index in reversed(range(len(params))):
                param = _resolve(doc, params[index])
                if not (isinstance(param, dict) and param.get("in") == "header" and isinstance(param.get("name"), str)):
                    continue
                made = ""
                if param["name"].lower() == "authorization":
                    found = _auth_scheme(doc, param, fragment.page.text)
                    if found is None:
                        continue
                    scheme, create = found
                    if create:
                        _add_scheme(doc, scheme, {"type": "http", "scheme": "bearer"})
                        made = " (a new bearer scheme, as the page describes a Bearer token)"
                else:
                    key = _api_key_scheme(doc, param["name"], context)
                    if key is None:
                        continue
                    scheme, copied, label = key
                    if copied is not None:
                        if scheme in _schemes(doc):
                            continue  # the page declares another scheme of that name: not ours to change
                        _add_scheme(doc, scheme, copy.deepcopy(copied))
                        made = f" (an apiKey scheme declared on {label})"
                del params[index]
                if not params:
                    del container["parameters"]
                ops = [container] if method else [item[m] for m in HTTP_METHODS if isinstance(item.get(m), dict)]
                for op in ops:
                    _require(op, doc, scheme, optional=not param.get("required", False))
                where = join_pointer("", "paths", path, *([method] if method else []), "parameters", index)
                out.append(_warn(fragment, "import.repair.auth-header",
                                 f"header parameter {param.get('name')!r} duplicates security scheme {scheme!r}"
                                 f"{made}; it becomes a security requirement", where))
    return out


def _add_scheme(doc: dict[str, JSON], name: str, scheme: dict[str, JSON]) -> None:
    components = doc.setdefault("components", {})
    if not isinstance(components, dict):
        raise AssertionError("components is not a mapping")
    components.setdefault("securitySchemes", {})[name] = scheme


# -- Fern tags ------------------------------------------------------------------------------------

_ACRONYMS = {"api": "API", "id": "ID", "url": "URL", "http": "HTTP", "json": "JSON", "sdk": "SDK", "oauth": "OAuth",
             "ai": "AI", "llm": "LLM", "byok": "BYOK", "tts": "TTS", "stt": "STT"}


def fern_base(tag: str) -> str | None:
    """``subpackage_apiKeys`` -> ``apiKeys``; None for a tag that is not Fern's."""
    if not tag.startswith("subpackage_"):
        return None
    last = tag.split(".")[-1]
    return last[len("subpackage_"):] if last.startswith("subpackage_") else last


def _tag_key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def _humanise(base: str) -> str:
    words = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", base).replace("_", " ").replace("-", " ").split()
    return " ".join(_ACRONYMS.get(w.lower(), w[:1].upper() + w[1:]) for w in words) or base


def _vendor_tag(base: str, context: RepairContext) -> tuple[str, str]:
    key = _tag_key(base)
    for names, where in ((context.vendor_tags, "the vendor's other pages"), (context.other_tags, "another page")):
        for name in names:
            if _tag_key(name) == key:
                return name, f"as declared by {where}"
    return _humanise(base), "derived from the Fern name, as no page declares a matching tag"


def fern_tags(fragment: Fragment, context: RepairContext) -> list[Diagnostic]:
    doc = fragment.doc
    out: list[Diagnostic] = []
    renamed: dict[str, str] = {}
    for path, method, op in operations(doc):
        tags = op.get("tags")
        if not isinstance(tags, list):
            continue
        for i, tag in enumerate(list(tags)):
            base = fern_base(tag) if isinstance(tag, str) else None
            if base is None:
                continue
            if tag not in renamed:
                new, evidence = _vendor_tag(base, context)
                renamed[tag] = new
                out.append(_warn(fragment, "import.repair.fern-tag",
                                 f"Fern tag {tag!r} becomes the vendor's tag {new!r} ({evidence})",
                                 op_pointer(path, method, "tags", i)))
            tags[i] = renamed[tag]
        op["tags"] = list(dict.fromkeys(tags))
    declared = doc.get("tags")
    if renamed and isinstance(declared, list):
        kept: dict[str, JSON] = {}
        for entry in declared:
            if isinstance(entry, dict) and isinstance(entry.get("name"), str):
                entry["name"] = renamed.get(entry["name"], entry["name"])
                kept.setdefault(entry["name"], entry)
        doc["tags"] = list(kept.values())
    return out


# -- component names ------------------------------------------------------------------------------

_VALID_NAME = re.compile(r"^[a-zA-Z0-9._-]+$")


def _valid_name(name: str, taken: set[str]) -> str:
    base = re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("_") or "Component"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}_{n}", n + 1
    return candidate


def _ref_target(ref: str) -> tuple[str, str] | None:
    if not ref.startswith("#/components/"):
        return None
    tokens = split_pointer(urllib.parse.unquote(ref[1:]))
    return (tokens[1], tokens[2]) if len(tokens) == 3 else None


def component_names(fragment: Fragment) -> list[Diagnostic]:
    doc = fragment.doc
    components = doc.get("components")
    if not isinstance(components, dict):
        return []
    out: list[Diagnostic] = []
    renames: dict[tuple[str, str], str] = {}
    for section in COMPONENT_SECTIONS:
        entries = components.get(section)
        if not isinstance(entries, dict) or all(_VALID_NAME.match(n) for n in entries):
            continue
        taken = set(entries)
        for name in entries:
            if not _VALID_NAME.match(name):
                new = _valid_name(name, taken)
                taken.add(new)
                renames[(section, name)] = new
                out.append(_warn(fragment, "import.repair.component-name",
                                 f"component name {name!r} is not allowed by OpenAPI (only letters, digits, '.', '-' "
                                 f"and '_'); renamed {new!r} and every $ref to it rewritten",
                                 join_pointer("", "components", section, name)))
        components[section] = {renames.get((section, n), n): v for n, v in entries.items()}
    if not renames:
        return out
    for _, obj in objects(doc):
        ref = obj.get("$ref")
        target = _ref_target(ref) if isinstance(ref, str) else None
        if target in renames:
            obj["$ref"] = f"#/components/{target[0]}/{escape_pointer_token(renames[target])}"
        if isinstance(obj.get("propertyName"), str) and isinstance(obj.get("mapping"), dict):
            mapping = obj["mapping"]
            for key, value in mapping.items():
                target = _ref_target(value) if isinstance(value, str) else None
                if target in renames:
                    mapping[key] = f"#/components/{target[0]}/{escape_pointer_token(renames[target])}"
    for (section, old), new in renames.items():
        entry = components[section].get(new)
        if isinstance(entry, dict) and entry.get("title") == old:
            entry["title"] = new
    schemes = {old: new for (section, old), new in renames.items() if section == "securitySchemes"}
    if schemes:
        requirements = [doc.get("security")] + [op.get("security") for _, _, op in operations(doc)]
        for security in requirements:
            if not isinstance(security, list):
                continue
            for i, req in enumerate(security):
                if isinstance(req, dict):
                    security[i] = {schemes.get(k, k): v for k, v in req.items()}
    return out
