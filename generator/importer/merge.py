"""Group fragments by vendor and merge each vendor's fragments into one document.

Rules, applied to every operation, component, server, tag and info field:

* the same thing said twice (equal after ``normalise.canonical``) is kept once, the fuller
  spelling winning (more nodes: examples, titles);
* when one says everything the other says and more, the richer one is kept, with a note;
* anything else is a conflict: an error naming both pages and the JSON pointer where they differ.

Fragments are merged in a canonical order (``Fragment.sort_key``), so the result does not depend
on the order of the pages on the command line.
"""

from __future__ import annotations

import copy
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from generator.diagnostics import Diagnostic, Severity, join_pointer
from generator.importer.model import JSON, Fragment
from generator.importer.normalise import ANNOTATIONS, canonical, first_difference, is_superset
from generator.importer.walk import COMPONENT_SECTIONS, HTTP_METHODS, count_nodes, operations

_TRAILING_WORDS = frozenset({"api", "apis", "openapi", "rest", "http", "spec", "specification", "reference", "docs"})


def vendor_slug(title: str) -> str:
    """``OpenRouter API`` -> ``openrouter``: the words of the title without trailing generic words."""
    words = re.findall(r"[a-z0-9]+", title.lower())
    while len(words) > 1 and (words[-1] in _TRAILING_WORDS or re.fullmatch(r"v?\d+", words[-1])):
        words.pop()
    return "-".join(words)


def _server_urls(doc: dict[str, JSON]) -> list[str]:
    servers = doc.get("servers")
    urls = [str(s.get("url", "")) for s in servers if isinstance(s, dict)] if isinstance(servers, list) else []
    return [u.lower().rstrip("/") for u in urls if u.startswith(("http://", "https://"))]


def _host_slug(doc: dict[str, JSON]) -> str:
    for url in _server_urls(doc):
        host = url.split("://", 1)[1].split("/", 1)[0].split(":", 1)[0].split(".")
        if len(host) >= 2:
            return host[-2]
    return "api"


@dataclass
class Vendor:
    slug: str
    fragments: list[Fragment]
    diagnostics: list[Diagnostic] = field(default_factory=list)


def _title(fragment: Fragment) -> str:
    info = fragment.doc.get("info")
    return str(info.get("title", "")) if isinstance(info, dict) else ""


def group_by_vendor(fragments: list[Fragment]) -> list[Vendor]:
    """Fragments with the same title slug or a common server URL belong to one vendor."""
    ordered = sorted(fragments, key=Fragment.sort_key)
    parent = list(range(len(ordered)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    slugs = [vendor_slug(_title(f)) or _host_slug(f.doc) for f in ordered]
    first_by_key: dict[str, int] = {}
    for i, fragment in enumerate(ordered):
        for key in [f"slug:{slugs[i]}"] + [f"url:{u}" for u in _server_urls(fragment.doc)]:
            if key in first_by_key:
                parent[find(i)] = find(first_by_key[key])
            else:
                first_by_key[key] = i
    groups: dict[int, list[int]] = {}
    for i in range(len(ordered)):
        groups.setdefault(find(i), []).append(i)
    vendors = []
    for members in groups.values():
        counts = Counter(slugs[i] for i in members)
        slug = sorted(counts, key=lambda s: (-counts[s], len(s), s))[0]
        vendor = Vendor(slug, [ordered[i] for i in members])
        for i in members:
            if slugs[i] != slug:
                vendor.diagnostics.append(ordered[i].diag(
                    Severity.NOTE, "import.vendor", f"titled {_title(ordered[i])!r} but shares a server URL with "
                    f"vendor {slug!r}; merged into it", "/info/title"))
        vendors.append(vendor)
    return sorted(vendors, key=lambda v: v.slug)


@dataclass
class _Entry:
    value: JSON
    source: Fragment
    pointer: str  # where the value sits in its source document, for line numbers
    canon: Any = None

    def __post_init__(self) -> None:
        self.canon = canonical(self.value)


class Merger:
    """Accumulates one vendor's fragments; ``result()`` gives the merged document."""

    def __init__(self, vendor: Vendor) -> None:
        self.vendor = vendor
        self.diagnostics: list[Diagnostic] = []
        self.info: dict[str, _Entry] = {}
        self.servers: dict[str, _Entry] = {}
        self.tags: dict[str, _Entry] = {}
        self.top: dict[str, _Entry] = {}  # other top-level keys (externalDocs, x-*, ...)
        self.path_fields: dict[tuple[str, str, str], _Entry] = {}  # (section, path, key)
        self.components: dict[tuple[str, str], _Entry] = {}
        self.security_unspecified: list[tuple[str, str, Fragment]] = []

    # -- the three rules --------------------------------------------------------------------------
    def _merge(self, table: dict[Any, _Entry], key: Any, incoming: _Entry, what: str, notes: bool) -> None:
        current = table.get(key)
        if current is None:
            table[key] = incoming
            return
        if current.canon == incoming.canon:
            if count_nodes(incoming.value) > count_nodes(current.value):
                table[key] = incoming
            if notes and current.value != incoming.value:
                kept = table[key].source.label
                self._note(incoming, f"{what} is defined on {current.source.label} and {incoming.source.label}; "
                           f"equivalent after normalisation, kept once (the fuller one, from {kept})")
            return
        if is_superset(current.canon, incoming.canon) or is_superset(incoming.canon, current.canon):
            richer, poorer = (current, incoming) if is_superset(current.canon, incoming.canon) else (incoming, current)
            table[key] = richer
            if notes:
                extra = first_difference(richer.canon, poorer.canon)
                self._note(incoming, f"{what} on {richer.source.label} says everything the one on "
                           f"{poorer.source.label} says and more (e.g. at {extra or '/'}); kept the richer one")
            return
        where = first_difference(current.canon, incoming.canon)
        line, _ = current.source.locate(current.pointer + where)
        at = f"{current.source.page.display}:{line}" if line else current.source.label
        self.diagnostics.append(incoming.source.diag(
            Severity.ERROR, "import.conflict",
            f"{what} differs between {current.source.label} and {incoming.source.label} at {where or '/'} "
            f"(first defined at {at}); fix or drop one of the pages", incoming.pointer + where))

    def _note(self, entry: _Entry, message: str) -> None:
        self.diagnostics.append(entry.source.diag(Severity.NOTE, "import.merge", message, entry.pointer))

    def _merge_annotation(self, table: dict[Any, _Entry], key: Any, incoming: _Entry) -> None:
        """Descriptions and summaries: wording differs freely; the longer text is kept."""
        current = table.get(key)
        if current is None or len(str(incoming.value)) > len(str(current.value)):
            table[key] = incoming

    # -- adding one fragment ----------------------------------------------------------------------
    def add(self, fragment: Fragment) -> None:
        doc = copy.deepcopy(fragment.doc)
        _push_down_security(doc)
        for key, value in doc.items():
            pointer = join_pointer("", key)
            if key == "openapi":
                continue
            if key == "info" and isinstance(value, dict):
                self._add_info(fragment, value)
            elif key == "servers" and isinstance(value, list):
                for i, server in enumerate(value):
                    if isinstance(server, dict) and isinstance(server.get("url"), str) and server["url"] != "/":
                        server["url"] = server["url"].rstrip("/")  # paths start with '/': no double slash
                    url = str(server.get("url", "")) if isinstance(server, dict) else str(server)
                    self._merge(self.servers, url, _Entry(server, fragment, join_pointer(pointer, i)),
                                f"server {url!r}", notes=False)
            elif key == "tags" and isinstance(value, list):
                for i, tag in enumerate(value):
                    name = str(tag.get("name")) if isinstance(tag, dict) else str(tag)
                    self._merge(self.tags, name, _Entry(tag, fragment, join_pointer(pointer, i)),
                                f"tag {name!r}", notes=False)
            elif key in ("paths", "webhooks") and isinstance(value, dict):
                self._add_paths(fragment, key, value)
            elif key == "components" and isinstance(value, dict):
                self._add_components(fragment, value)
            else:
                self._merge(self.top, key, _Entry(value, fragment, pointer), f"top-level {key!r}", notes=False)

    def _add_info(self, fragment: Fragment, info: dict[str, JSON]) -> None:
        for key, value in info.items():
            entry = _Entry(value, fragment, join_pointer("", "info", key))
            if key in ANNOTATIONS or key == "title":
                self._merge_annotation(self.info, key, entry)
            elif key == "version" and key in self.info and self.info[key].value != value:
                current = self.info[key]
                newer = max((current, entry), key=lambda e: _version_key(e.value))
                self.info[key] = newer
                self.diagnostics.append(entry.source.diag(
                    Severity.WARNING, "import.version-mismatch",
                    f"info.version is {current.value!r} on {current.source.label} but {value!r} on "
                    f"{entry.source.label}; kept {newer.value!r}", entry.pointer))
            else:
                self._merge(self.info, key, entry, f"info.{key}", notes=False)

    def _add_paths(self, fragment: Fragment, section: str, paths: dict[str, JSON]) -> None:
        for path, item in paths.items():
            if not isinstance(item, dict):
                continue
            for key, value in item.items():
                pointer = join_pointer("", section, path, key)
                entry = _Entry(value, fragment, pointer)
                if key in HTTP_METHODS:
                    if isinstance(value, dict) and "security" not in value:
                        self.security_unspecified.append((path, key, fragment))
                    self._merge(self.path_fields, (section, path, key), entry,
                                f"operation {key.upper()} {path}", notes=True)
                elif key in ANNOTATIONS:
                    self._merge_annotation(self.path_fields, (section, path, key), entry)
                else:
                    self._merge(self.path_fields, (section, path, key), entry, f"{path} {key}", notes=True)

    def _add_components(self, fragment: Fragment, components: dict[str, JSON]) -> None:
        for section, entries in components.items():
            if section not in COMPONENT_SECTIONS or not isinstance(entries, dict):
                self._merge(self.top, f"components/{section}",
                            _Entry(entries, fragment, join_pointer("", "components", section)),
                            f"components {section!r}", notes=False)
                continue
            for name, value in entries.items():
                entry = _Entry(value, fragment, join_pointer("", "components", section, name))
                singular = section[:-1] if section.endswith("s") else section
                self._merge(self.components, (section, name), entry, f"{singular} {name!r}", notes=True)

    # -- the merged document ----------------------------------------------------------------------
    def result(self) -> dict[str, JSON]:
        doc: dict[str, JSON] = {"openapi": "3.1.0"}
        doc["info"] = {k: e.value for k, e in self.info.items()}
        titles = [_title(f) for f in sorted(self.vendor.fragments, key=Fragment.sort_key)
                  if vendor_slug(_title(f)) == self.vendor.slug]
        if titles:
            doc["info"]["title"] = titles[0]
        if self.servers:
            doc["servers"] = [self.servers[u].value for u in self.servers]
        for key, entry in self.top.items():
            if not key.startswith("components/"):
                doc[key] = entry.value
        for (section, path, key), entry in self.path_fields.items():
            bucket = doc.setdefault(section, {})
            if not isinstance(bucket, dict):
                raise AssertionError(f"{section} is not a mapping")
            bucket.setdefault(path, {})[key] = entry.value
        doc.setdefault("paths", {})
        components: dict[str, JSON] = {}
        for (section, name), entry in self.components.items():
            components.setdefault(section, {})[name] = entry.value
        for key, entry in self.top.items():
            if key.startswith("components/"):
                components[key.split("/", 1)[1]] = entry.value
        if components:
            doc["components"] = components
        self._hoist_security(doc)
        self._used_tags(doc)
        doc["x-codegen-sources"] = sorted({f.page.name for f in self.vendor.fragments})
        return doc

    def _hoist_security(self, doc: dict[str, JSON]) -> None:
        ops = [op for _, _, op in operations(doc)]
        specified = {json.dumps(op["security"], sort_keys=True): op["security"] for op in ops if "security" in op}
        if len(specified) != 1:
            return
        doc["security"] = next(iter(specified.values()))
        for op in ops:
            op.pop("security", None)
        for path, method, fragment in self.security_unspecified:
            self.diagnostics.append(fragment.diag(
                Severity.NOTE, "import.security", f"{method.upper()} {path} states no security requirement on its "
                "page; it now inherits the vendor-wide one", join_pointer("", "paths", path, method)))

    def _used_tags(self, doc: dict[str, JSON]) -> None:
        used = sorted({t for _, _, op in operations(doc) for t in op.get("tags", []) if isinstance(t, str)})
        declared = {name: entry.value for name, entry in self.tags.items()}
        dropped = sorted(set(declared) - set(used))
        if used:
            doc["tags"] = [declared.get(name, {"name": name}) for name in used]
        if dropped and self.tags:
            entry = self.tags[dropped[0]]
            self.diagnostics.append(entry.source.diag(
                Severity.NOTE, "import.unused-tags", f"{len(dropped)} declared tag(s) that no imported operation "
                f"uses are left out ({', '.join(dropped[:5])}{', ...' if len(dropped) > 5 else ''})", "/tags"))


def _push_down_security(doc: dict[str, JSON]) -> None:
    """Make each operation state its security, so fragments with different defaults merge correctly."""
    top = doc.pop("security", None)
    if top is None:
        return
    for _, _, op in operations(doc):
        op.setdefault("security", copy.deepcopy(top))


def _version_key(version: JSON) -> tuple[tuple[int, ...], str]:
    text = str(version)
    return (tuple(int(n) for n in re.findall(r"\d+", text)), text)


def merge_vendor(vendor: Vendor) -> tuple[dict[str, JSON], list[Diagnostic]]:
    merger = Merger(vendor)
    for fragment in sorted(vendor.fragments, key=Fragment.sort_key):
        merger.add(fragment)
    doc = merger.result()
    return doc, vendor.diagnostics + merger.diagnostics
