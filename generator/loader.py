"""Load YAML/JSON spec files and follow ``$ref`` across them.

* YAML is read with PyYAML's C loader when present, with YAML 1.2-ish scalars: timestamps stay
  strings, only ``true``/``false`` are booleans, mapping keys are always strings.
* Files are loaded on first use and cached; ``$ref`` values are resolved relative to the file
  that holds them; cycles are detected.
* Line numbers are found only when a diagnostic needs one (a second, node-level parse).
"""

from __future__ import annotations

import json
import re
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import yaml

from generator.diagnostics import DiagnosticError, error, join_pointer, split_pointer

try:
    _BaseLoader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - pure-Python fallback
    _BaseLoader = yaml.SafeLoader

MAX_ALIAS_EXPANSION = 100_000  # YAML alias bombs are refused past this many aliased nodes


_BOOL = "tag:yaml.org,2002:bool"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"


class SpecLoader(_BaseLoader):  # type: ignore[misc,valid-type]
    """Safe loader with JSON-compatible, YAML 1.2-style scalars.

    Only ``true``/``false`` are booleans; timestamps, ``yes``/``no`` and ``010`` stay strings;
    mapping keys are always strings (``200:`` is ``"200"``).  A repeated key keeps its last value
    unless ``strict_keys`` is set, as in the importer, which refuses it.
    """

    strict_keys = False
    yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag not in (_BOOL, _INT, _FLOAT, _TIMESTAMP)]
        for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
    }

    def construct_mapping(self, node: Any, deep: bool = False) -> dict[str, Any]:
        if isinstance(node, yaml.MappingNode):
            self.flatten_mapping(node)
        mapping: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=deep)
            if not isinstance(key, str):
                if not isinstance(key_node, yaml.ScalarNode):
                    raise yaml.constructor.ConstructorError(
                        None, None, "found a mapping key that is not a plain value", key_node.start_mark)
                key = key_node.value
            if self.strict_keys and key in mapping:
                raise yaml.constructor.ConstructorError(
                    None, None, f"found duplicate key {key!r}", key_node.start_mark)
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping


SpecLoader.add_implicit_resolver(_BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
SpecLoader.add_implicit_resolver(_INT, re.compile(r"^(?:[-+]?(?:0|[1-9][0-9]*)|0x[0-9a-fA-F]+)$"),
                                 list("-+0123456789"))
SpecLoader.add_implicit_resolver(
    _FLOAT,
    re.compile(r"^(?:[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)(?:[eE][-+]?[0-9]+)?|[-+]?[0-9]+[eE][-+]?[0-9]+"
               r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"),
    list("-+.0123456789"))
SpecLoader.add_constructor("tag:yaml.org,2002:map", SpecLoader.construct_yaml_map)


def parse_text(text: str, file: str) -> Any:
    """Parse YAML or JSON text; raise DiagnosticError with line and column on failure."""
    json_error: json.JSONDecodeError | None = None
    if text.lstrip()[:1] in ("{", "["):
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as exc:
            json_error = exc  # JSON is YAML too: a YAML flow document may still parse
        except RecursionError:
            raise DiagnosticError([error("parse", "cannot parse JSON: the document nests too deeply", file)])
        else:
            _check_surrogates(text, doc, file)
            return doc
    try:
        _check_aliases(text, file)
        return yaml.load(text, Loader=SpecLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        col = mark.column + 1 if mark else None
        problem = exc.problem or exc.context or "invalid YAML"
        raise DiagnosticError([error("parse", f"cannot parse: {problem}", file, "", line, col)])
    except yaml.YAMLError as exc:
        if json_error is not None:
            raise DiagnosticError([error("parse", f"cannot parse JSON: {json_error.msg}", file, "",
                                         json_error.lineno, json_error.colno)])
        raise DiagnosticError([error("parse", f"cannot parse: {exc}", file)])


_SURROGATE_ESCAPE = re.compile(r"(\\+)u([dD][89a-fA-F][0-9a-fA-F]{2})")


def _check_surrogates(text: str, doc: Any, file: str) -> None:
    """Refuse a ``\\ud800``-style escape that is half of a surrogate pair: it is no character, no
    file can hold it as UTF-8, and YAML refuses it too."""
    if _SURROGATE_ESCAPE.search(text) is None or not _has_surrogate(doc):
        return
    line = None
    pending: re.Match[str] | None = None  # a high half waiting for its low half
    for m in _SURROGATE_ESCAPE.finditer(text):
        if len(m.group(1)) % 2 == 0:
            continue  # an escaped backslash followed by "u...": plain text
        high = int(m.group(2), 16) < 0xDC00
        if pending is not None and not high and m.start() == pending.end():
            pending = None
            continue
        bad = pending if pending is not None else (None if high else m)
        if bad is not None:
            line = text.count("\n", 0, bad.start()) + 1
            break
        pending = m
    if line is None and pending is not None:
        line = text.count("\n", 0, pending.start()) + 1
    raise DiagnosticError([error("parse", "cannot parse JSON: a \\u escape names half of a surrogate pair, "
                                 "not a character", file, "", line)])


def _has_surrogate(doc: Any) -> bool:
    stack = [doc]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            if any(0xD800 <= ord(c) <= 0xDFFF for c in node):
                return True
        elif isinstance(node, dict):
            stack.extend(node.keys())
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return False


_ANCHOR_RE = re.compile(r"(?:^|[\s\[{,])&[^\s\[\]{},]+", re.M)


def _check_aliases(text: str, file: str) -> None:
    """Refuse YAML alias bombs before building the document (billion laughs)."""
    if not _ANCHOR_RE.search(text):
        return
    # cheap exact count of the nodes the aliases would expand to
    sizes: dict[str, int] = {}
    stack: list[list[Any]] = []  # [anchor, size]
    total = 0
    for event in yaml.parse(text, Loader=_BaseLoader):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            stack.append([event.anchor, 1])
            continue
        if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            anchor, size = stack.pop()
            if anchor:
                sizes[anchor] = size
            if stack:
                stack[-1][1] += size
            continue
        if isinstance(event, yaml.AliasEvent):
            size = sizes.get(event.anchor or "", 1)
            total += size
            if total > MAX_ALIAS_EXPANSION:
                raise DiagnosticError([error(
                    "yaml-aliases",
                    f"YAML aliases expand to more than {MAX_ALIAS_EXPANSION} nodes (alias bomb?)",
                    file, "", event.start_mark.line + 1, event.start_mark.column + 1)])
            if stack:
                stack[-1][1] += size
        elif isinstance(event, yaml.ScalarEvent):
            if event.anchor:
                sizes[event.anchor] = 1
            if stack:
                stack[-1][1] += 1


@dataclass(frozen=True)
class Location:
    """Where a value lives: a file and a JSON pointer inside it."""

    file: Path
    pointer: str = ""

    def child(self, *tokens: str | int) -> "Location":
        return Location(self.file, join_pointer(self.pointer, *tokens))

    def __str__(self) -> str:
        return f"{self.file}#{self.pointer}"


class Spec:
    """A root document plus every file reached from it through ``$ref``."""

    def __init__(self, root: Path, allow_outside: bool = False, allow_remote: bool = False) -> None:
        self.root = Path(_normpath(root.absolute()))
        self.base_dir = self.root.parent
        self.allow_outside = allow_outside
        self.allow_remote = allow_remote
        self._docs: dict[Path, Any] = {}
        self._lines: dict[Path, Any] = {}
        self.document = self.load(self.root)

    @property
    def files(self) -> list[Path]:
        return sorted(self._docs)

    def display(self, path: Path) -> str:
        try:
            return path.relative_to(Path.cwd()).as_posix()
        except ValueError:
            return str(path)

    def load(self, path: Path) -> Any:
        path = Path(_normpath(Path(path).absolute()))
        if path in self._docs:
            return self._docs[path]
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            raise DiagnosticError([error("missing-file", "file not found", self.display(path))])
        except IsADirectoryError:
            raise DiagnosticError([error("missing-file", "is a folder, not a spec file", self.display(path))])
        except OSError as exc:
            raise DiagnosticError([error("io", f"cannot read: {exc.strerror}", self.display(path))])
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise DiagnosticError([error("encoding", f"not UTF-8 text ({exc.reason} at byte {exc.start})",
                                         self.display(path))])
        doc = parse_text(text, self.display(path))
        self._docs[path] = doc
        return doc

    # -- references -------------------------------------------------------------------------

    def ref_target(self, ref: str, at: Location) -> Location:
        """The location a ``$ref`` string written at ``at`` points to."""
        if not isinstance(ref, str):
            raise DiagnosticError([error("bad-ref", "$ref must be a string", self.display(at.file), at.pointer)])
        file_part, _, fragment = ref.partition("#")
        fragment = urllib.parse.unquote(fragment)
        if fragment and not fragment.startswith("/"):
            raise DiagnosticError([error("bad-ref", f"$ref {ref!r}: only JSON-pointer fragments are supported",
                                         self.display(at.file), at.pointer)])
        if not file_part:
            return Location(at.file, fragment)
        parsed = urllib.parse.urlparse(file_part)
        if parsed.scheme and len(parsed.scheme) > 1:  # a one-letter scheme is a Windows drive
            if parsed.scheme == "file":
                target = Path(urllib.parse.unquote(parsed.path))
            elif not self.allow_remote:
                raise DiagnosticError([error("remote-ref", f"$ref {ref!r} points to a remote URL; remote refs are "
                                             "never fetched", self.display(at.file), at.pointer)])
            else:  # pragma: no cover - remote fetching is not offered yet
                raise DiagnosticError([error("remote-ref", f"$ref {ref!r}: remote refs are not supported",
                                             self.display(at.file), at.pointer)])
        else:
            target = (at.file.parent / urllib.parse.unquote(file_part))
        target = Path(_normpath(target))
        if not self.allow_outside and not _is_within(target, self.base_dir):
            raise DiagnosticError([error("ref-outside", f"$ref {ref!r} leaves the spec's folder {self.base_dir}",
                                         self.display(at.file), at.pointer)])
        return Location(target, fragment)

    def get(self, loc: Location) -> Any:
        node = self.load(loc.file)
        for token in split_pointer(loc.pointer):
            if isinstance(node, dict) and token in node:
                node = node[token]
            elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
                node = node[int(token)]
            else:
                raise DiagnosticError([error("bad-ref", f"nothing at #{loc.pointer}", self.display(loc.file))])
        return node

    def resolve(self, value: Any, at: Location) -> tuple[Any, Location]:
        """Follow a chain of ``$ref`` from ``value`` (found at ``at``) to a value that is not one."""
        seen: set[Location] = set()
        while isinstance(value, dict) and "$ref" in value and isinstance(value["$ref"], str):
            target = self.ref_target(value["$ref"], at)
            if target in seen:
                raise DiagnosticError([error("ref-cycle", f"$ref cycle through {value['$ref']!r}",
                                             self.display(at.file), at.pointer)])
            seen.add(target)
            try:
                value = self.get(target)
            except DiagnosticError as exc:
                raise DiagnosticError([error("bad-ref", f"$ref {value['$ref']!r} does not resolve: "
                                             f"{exc.diagnostics[0].message}", self.display(at.file), at.pointer)])
            at = target
        return value, at

    # -- line numbers ---------------------------------------------------------------------

    def line_of(self, loc: Location) -> int | None:
        """1-based line of the value at ``loc``, or None when unknown."""
        try:
            node = self._lines.get(loc.file)
            if node is None:
                text = loc.file.read_text(encoding="utf-8-sig")
                node = yaml.compose(text, Loader=_BaseLoader)
                self._lines[loc.file] = node
            for token in split_pointer(loc.pointer):
                if isinstance(node, yaml.MappingNode):
                    for k, v in node.value:
                        if str(k.value) == token:
                            node = v
                            break
                    else:
                        return None
                elif isinstance(node, yaml.SequenceNode) and token.isdigit() and int(token) < len(node.value):
                    node = node.value[int(token)]
                else:
                    return None
            return int(node.start_mark.line) + 1 if node is not None else None
        except (OSError, yaml.YAMLError, RecursionError):
            return None


def _normpath(p: Path) -> str:
    import os.path

    return os.path.normpath(str(p))


def _is_within(path: Path, folder: Path) -> bool:
    try:
        path.relative_to(folder)
        return True
    except ValueError:
        return False


def walk_refs(value: Any, pointer: str = "") -> Iterator[tuple[str, str]]:
    """Every ``$ref`` string in a document, with the pointer of the object that holds it."""
    stack = [(value, pointer)]
    while stack:
        node, ptr = stack.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                yield ptr, ref
            for k, v in node.items():
                if isinstance(v, (dict, list)):
                    stack.append((v, join_pointer(ptr, k)))
        elif isinstance(node, list):
            for i, v in enumerate(node):
                if isinstance(v, (dict, list)):
                    stack.append((v, join_pointer(ptr, i)))
