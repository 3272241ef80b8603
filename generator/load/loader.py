"""Load YAML/JSON spec files and follow ``$ref`` across them.

* YAML is read with PyYAML's C loader when present, with YAML 1.2-ish scalars: timestamps stay
  strings, only ``true``/``false`` are booleans, mapping keys are always strings.
* Files are loaded on first use and cached; ``$ref`` values are resolved relative to the file
  that holds them; cycles are detected.
* Plain documents are built straight from libyaml's events (``generator.load.yamlevents``); anything
  else goes through PyYAML's loader.
* Line numbers are found only when a diagnostic needs one (a second pass over the events).
"""

from __future__ import annotations

import json
import os
import re
import stat
import urllib.parse
from collections.abc import Hashable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from generator.diagnostics import Diagnostic, DiagnosticError, error, is_index, join_pointer, split_pointer
from generator.load import yamlevents

if TYPE_CHECKING:  # libyaml's loader when present; both have SafeLoader's interface
    _BaseLoader = yaml.SafeLoader
else:
    try:
        _BaseLoader = yaml.CSafeLoader
    except AttributeError:  # pragma: no cover - pure-Python fallback
        _BaseLoader = yaml.SafeLoader

MAX_ALIAS_EXPANSION = 100_000  # YAML alias bombs are refused past this many aliased nodes
MAX_ALIAS_CHARS = 10_000_000  # ... or this many characters of aliased scalars
MAX_NESTING = 200  # real specs nest about 25 levels; deeper is refused (stacks and recursion are finite)
C_NESTING_GUARD = 4_000  # past this bound the parser's events are checked before the C composer recurses
MAX_SPEC_BYTES = 64 * 1024 * 1024  # a larger file is refused unread


_BOOL = "tag:yaml.org,2002:bool"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"


def walk(node: Any, pointer: str) -> Any:
    """The value at a JSON pointer inside ``node``; LookupError when there is none."""
    for token in split_pointer(pointer):
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and is_index(token) and int(token) < len(node):
            node = node[int(token)]
        else:
            raise LookupError(pointer)
    return node


class SpecLoader(_BaseLoader):
    """Safe loader with JSON-compatible, YAML 1.2-style scalars.

    Only ``true``/``false`` are booleans; timestamps, ``yes``/``no`` and ``010`` stay strings;
    mapping keys are always strings (``200:`` is ``"200"``).  A repeated key keeps its last value
    unless ``strict_keys`` is set, as in the importer, which refuses it.
    """

    strict_keys = False
    # PyYAML reads this table from the class; its stubs declare it an instance attribute
    yaml_implicit_resolvers = {  # noqa: RUF012
        first: [(tag, rx) for tag, rx in resolvers if tag not in (_BOOL, _INT, _FLOAT, _TIMESTAMP)]
        for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
    }

    def construct_mapping(self, node: Any, deep: bool = False) -> dict[Hashable, Any]:
        if isinstance(node, yaml.MappingNode):
            self.flatten_mapping(node)
        mapping: dict[Hashable, Any] = {}  # keys are all strings; the supertype's signature says Hashable
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
# the stubs want a constructor defined on SpecLoader itself; SafeConstructor's inherited one is what is meant
SpecLoader.add_constructor("tag:yaml.org,2002:map", SpecLoader.construct_yaml_map)  # type: ignore[type-var]


def parse_text(text: str, file: str) -> Any:
    """Parse YAML or JSON text; raise DiagnosticError with line and column on failure.

    Hostile documents are refused before they can cost more than their size: alias bombs and
    self-referencing aliases (``_scan_events``), nesting deeper than ``MAX_NESTING`` (which would
    overflow the C parser's stack or Python's recursion further on), lone surrogates.
    """
    json_error: json.JSONDecodeError | None = None
    if text.lstrip()[:1] in ("{", "["):
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as exc:
            json_error = exc  # JSON is YAML too: a YAML flow document may still parse
        except RecursionError as exc:
            raise _nesting_error(text, file) from exc
        else:
            if text.count("[") + text.count("{") > MAX_NESTING and _too_deep(doc):
                raise _nesting_error(text, file)
            _check_surrogates(text, doc, file)
            return doc
    try:
        return yamlevents.document(text, SpecLoader, MAX_NESTING)
    except yamlevents.NotPlain:
        pass  # anchors, tags, several documents, an error...: PyYAML's loader, with the checks below
    try:
        bound = _nesting_bound(text)
        scanned = bound > C_NESTING_GUARD or _ANCHOR_RE.search(text) is not None
        if scanned:
            _scan_events(text, file)
        doc = yaml.load(text, Loader=SpecLoader)  # noqa: S506 - SpecLoader is a SafeLoader (builds no objects)
        if not scanned and bound > MAX_NESTING and _too_deep(doc):
            raise _nesting_error(text, file)
        return doc
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        col = mark.column + 1 if mark else None
        problem = exc.problem or exc.context or "invalid YAML"
        if problem.startswith(_LIBYAML_NESTING):
            raise _nesting_at(file, line, col) from exc
        raise DiagnosticError([error("parse", f"cannot parse: {problem}", file, "", line, col)]) from exc
    except yaml.YAMLError as exc:
        if json_error is not None:
            raise DiagnosticError([error("parse", f"cannot parse JSON: {json_error.msg}", file, "",
                                         json_error.lineno, json_error.colno)]) from exc
        raise DiagnosticError([error("parse", f"cannot parse: {exc}", file)]) from exc


_BLOCK_PREFIX = re.compile(r"^[ \t]*(?:[-?:][ \t]+)*", re.M)


def _nesting_bound(text: str) -> int:
    """An upper bound of a YAML text's nesting, cheap to compute: every flow level opens with ``[``
    or ``{``; every two block levels need one more column of indentation or an indicator
    (``- ``, ``? ``) on the line."""
    block = max((len(m.group()) for m in _BLOCK_PREFIX.finditer(text)), default=0)
    return text.count("[") + text.count("{") + 2 * block + 2


# libyaml 0.2.6 and later (in PyYAML's 6.0.3+ wheels) stop scanning at depth 1,000, which the
# scanner's read-ahead can reach before the parser's events show our own, lower limit
_LIBYAML_NESTING = "exceeded maximum nesting depth"


def _nesting_at(file: str, line: int | None = None, col: int | None = None) -> DiagnosticError:
    return DiagnosticError([error("nesting", f"the document nests deeper than {MAX_NESTING} levels",
                                  file, "", line, col)])


def _nesting_error(text: str, file: str) -> DiagnosticError:
    """The error for a document known to nest too deeply, with the line where it does."""
    try:
        _scan_events(text, file)
    except DiagnosticError as exc:
        return exc
    except yaml.MarkedYAMLError as exc:
        if (exc.problem or "").startswith(_LIBYAML_NESTING) and exc.problem_mark is not None:
            return _nesting_at(file, exc.problem_mark.line + 1, exc.problem_mark.column + 1)
    except yaml.YAMLError:
        pass
    return _nesting_at(file)


def _too_deep(doc: Any) -> bool:
    stack = [(doc, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_NESTING:
            return True
        if type(node) is dict:
            stack.extend((v, depth + 1) for v in node.values() if type(v) is dict or type(v) is list)
        elif type(node) is list:
            stack.extend((v, depth + 1) for v in node if type(v) is dict or type(v) is list)
    return False


def _scan_events(text: str, file: str) -> None:
    """One pass over the parser's events (no document built): refuse nesting deeper than
    ``MAX_NESTING``, aliases that refer to a node that contains them, and aliases that would
    expand past ``MAX_ALIAS_EXPANSION`` nodes or ``MAX_ALIAS_CHARS`` characters (billion laughs)."""
    sizes: dict[str, tuple[int, int]] = {}  # anchor -> (nodes, characters) of its node
    stack: list[list[Any]] = []  # open collections: [anchor, nodes, characters]
    nodes = chars = 0

    def fail(code: str, message: str, event: Any) -> DiagnosticError:
        mark = event.start_mark
        return DiagnosticError([error(code, message, file, "", mark.line + 1, mark.column + 1)])

    event: Any  # told apart by class (``is``), which mypy does not narrow
    for event in yaml.parse(text, Loader=_BaseLoader):
        kind = event.__class__
        if kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
            if len(stack) >= MAX_NESTING:
                mark = event.start_mark
                raise _nesting_at(file, mark.line + 1, mark.column + 1)
            stack.append([event.anchor, 1, 0])
        elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            anchor, n, c = stack.pop()
            if anchor:
                sizes[anchor] = (n, c)
            if stack:
                stack[-1][1] += n
                stack[-1][2] += c
        elif kind is yaml.AliasEvent:
            if any(frame[0] == event.anchor for frame in stack):
                raise fail("yaml-aliases", f"YAML alias *{event.anchor} refers to a node that contains it", event)
            n, c = sizes.get(event.anchor or "", (1, 0))
            nodes += n
            chars += c
            if nodes > MAX_ALIAS_EXPANSION or chars > MAX_ALIAS_CHARS:
                raise fail("yaml-aliases", f"YAML aliases expand to more than {MAX_ALIAS_EXPANSION} nodes or "
                           f"{MAX_ALIAS_CHARS} characters (alias bomb?)", event)
            if stack:
                stack[-1][1] += n
                stack[-1][2] += c
        elif kind is yaml.ScalarEvent:
            c = len(event.value)
            if event.anchor:
                sizes[event.anchor] = (1, c)
            if stack:
                stack[-1][1] += 1
                stack[-1][2] += c


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


@dataclass(frozen=True)
class Location:
    """Where a value lives: a file and a JSON pointer inside it."""

    file: Path
    pointer: str = ""

    def child(self, *tokens: str | int) -> Location:
        return Location(self.file, join_pointer(self.pointer, *tokens))

    def __str__(self) -> str:
        return f"{self.file}#{self.pointer}"


class Spec:
    """A root document plus every file reached from it through ``$ref``.

    Loading checks every ``$ref`` in every file it reaches, used or not, before anything else
    sees the document (the validator follows refs on its own): one that leaves the spec's folder
    (symbolic links followed) or names a remote URL is an error unless allowed, and a referenced
    file that is too large, not a regular file, an alias bomb or nested too deeply is refused.
    """

    def __init__(self, root: Path, allow_outside: bool = False, allow_remote: bool = False) -> None:
        self.root = Path(_normpath(root.absolute()))
        self.base_dir = self.root.parent
        self.allow_outside = allow_outside
        self.allow_remote = allow_remote
        self._docs: dict[Path, Any] = {}
        self._lines: dict[Path, yamlevents.LineEntry | None] = {}
        self._ids: dict[Path, dict[str, Location]] = {}
        # a converted root document (Swagger 2.0, ``generator.load.swagger2``): its pointers -> where
        # each part came from
        self.origins: dict[str, Location] = {}
        self.document = self.load(self.root)
        self.check_refs()

    @property
    def files(self) -> list[Path]:
        return sorted(self._docs)

    def display(self, path: Path) -> str:
        try:
            return path.relative_to(Path.cwd()).as_posix()
        except ValueError:
            return str(path)

    def load(self, path: Path) -> Any:
        if path in self._docs:  # the common case: a file already loaded, named as it is keyed
            return self._docs[path]
        path = Path(_normpath(Path(path).absolute()))
        if path in self._docs:
            return self._docs[path]
        raw = _read_spec_file(path, self.display(path))
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise DiagnosticError([error("encoding", f"not UTF-8 text ({exc.reason} at byte {exc.start})",
                                         self.display(path))]) from exc
        doc = parse_text(text, self.display(path))
        self._docs[path] = doc
        return doc

    def convert_root(self, document: Any, origins: dict[str, Location]) -> None:
        """Replace the root document by a converted form of it (self-contained: its refs stay in
        it); ``origins`` maps its pointers to the places they came from."""
        self.document = self._docs[self.root] = document
        self._ids.pop(self.root, None)
        self.origins = origins

    def original(self, loc: Location) -> Location:
        """Where a location of a converted root document came from (itself otherwise): the
        nearest recorded ancestor's origin, with the rest of the pointer."""
        if not self.origins or loc.file != self.root:
            return loc
        tokens = split_pointer(loc.pointer)
        rest: list[str] = []
        while True:
            found = self.origins.get(join_pointer("", *tokens))
            if found is not None:
                return found.child(*reversed(rest))
            if not tokens:
                return loc
            rest.append(tokens.pop())

    # -- references -------------------------------------------------------------------------

    def check_refs(self) -> None:
        """Refuse, all at once, every ``$ref`` in the loaded documents (and the files they reach)
        that leaves the spec's folder or names a remote URL, and every reached file that cannot be
        read safely.  Broken refs (a missing file, nothing at a pointer) are left to where they are
        used.  Call again after changing a document in memory (overlays)."""
        problems: list[Diagnostic] = []
        todo = sorted(self._docs, reverse=True)
        seen: set[Path] = set()
        while todo:
            file = todo.pop()
            if file in seen:
                continue
            seen.add(file)
            try:
                doc = self.load(file)
            except DiagnosticError as exc:
                problems += [d for d in exc.diagnostics if d.code in _UNSAFE_FILE]
                continue
            for ptr, ref in sorted(walk_refs(doc)):
                at = Location(file, ptr)
                try:
                    target = self.ref_target(ref, at)
                except DiagnosticError as exc:
                    problems += [d for d in exc.diagnostics if d.code in ("ref-outside", "remote-ref")]
                    continue
                if target.file not in seen:
                    todo.append(target.file)
        if problems:
            raise DiagnosticError(problems)

    def ref_target(self, ref: str, at: Location) -> Location:
        """The location a ``$ref`` string written at ``at`` points to."""
        if not isinstance(ref, str):
            raise self._ref_error("bad-ref", "$ref must be a string", at)
        if "\x00" in ref:
            raise self._ref_error("bad-ref", f"$ref {ref!r} holds a NUL character", at)
        file_part, _, fragment = ref.partition("#")
        fragment = urllib.parse.unquote(fragment)
        if file_part or (fragment and not fragment.startswith("/")):
            by_id = self._by_id(file_part, fragment, at)
            if by_id is not None:
                return by_id
        if fragment and not fragment.startswith("/"):
            raise self._ref_error("bad-ref", f"$ref {ref!r}: only JSON-pointer fragments and $anchor names in "
                                  "this file are supported", at)
        if not file_part:
            return Location(at.file, fragment)
        parsed = urllib.parse.urlparse(file_part)
        if parsed.scheme and len(parsed.scheme) > 1:  # a one-letter scheme is a Windows drive
            if parsed.scheme == "file":
                target = Path(urllib.parse.unquote(parsed.path))
            elif not self.allow_remote:
                raise self._ref_error("remote-ref", f"$ref {ref!r} points to a remote URL; remote refs are never "
                                      "fetched", at)
            else:  # pragma: no cover - remote fetching is not offered yet
                raise self._ref_error("remote-ref", f"$ref {ref!r}: remote refs are not supported", at)
        else:
            target = (at.file.parent / urllib.parse.unquote(file_part))
        target = Path(_normpath(target))
        if not self.allow_outside and not (_is_within(target, self.base_dir) and _is_within(
                Path(os.path.realpath(target)), Path(os.path.realpath(self.base_dir)))):
            raise self._ref_error("ref-outside", f"$ref {ref!r} leaves the spec's folder {self.base_dir}; refs "
                                  "outside it are refused", at)
        return Location(target, fragment)

    def _ref_error(self, code: str, message: str, at: Location) -> DiagnosticError:
        return DiagnosticError([error(code, message, self.display(at.file), at.pointer, self.line_of(at))])

    # JSON Schema 2020-12 identifiers: ``$ref: /schemas/pet`` may name a schema by its ``$id``, and
    # ``$ref: pet#name`` one by its ``$anchor``, inside the same file.

    def _by_id(self, file_part: str, fragment: str, at: Location) -> Location | None:
        ids = self._ids.get(at.file)
        if ids is None:
            ids = self._ids[at.file] = _index_ids(self.load(at.file), at.file)
        if not ids:
            return None
        base = _base_uri(self.load(at.file), at)
        resource = urllib.parse.urljoin(base, file_part) if file_part else base
        if fragment and not fragment.startswith("/"):
            return ids.get(f"{resource}#{fragment}")
        found = ids.get(resource) if file_part else None
        return Location(found.file, found.pointer + fragment) if found is not None else None

    def get(self, loc: Location) -> Any:
        try:
            node = self.load(loc.file)
        except DiagnosticError as exc:  # say which file: the diagnostic is shown where the $ref is
            raise DiagnosticError([replace(d, message=f"{_where(d)}: {d.message}") for d in exc.diagnostics]) from exc
        try:
            return walk(node, loc.pointer)
        except LookupError as exc:
            raise DiagnosticError([error("bad-ref", f"nothing at #{loc.pointer}", self.display(loc.file))]) from exc

    def resolve(self, value: Any, at: Location) -> tuple[Any, Location]:
        """Follow a chain of ``$ref`` from ``value`` (found at ``at``) to a value that is not one."""
        seen: set[Location] = set()
        while isinstance(value, dict) and "$ref" in value and isinstance(value["$ref"], str):
            target = self.ref_target(value["$ref"], at)
            if target in seen:
                raise DiagnosticError([error("ref-cycle", f"$ref cycle through {value['$ref']!r}",
                                             self.display(at.file), at.pointer, self.line_of(at))])
            seen.add(target)
            try:
                value = self.get(target)
            except DiagnosticError as exc:
                raise DiagnosticError([error(exc.diagnostics[0].code, f"$ref {value['$ref']!r} does not resolve: "
                                             f"{exc.diagnostics[0].message}", self.display(at.file), at.pointer,
                                             self.line_of(at))]) from exc
            at = target
        return value, at

    # -- line numbers ---------------------------------------------------------------------

    def line_of(self, loc: Location) -> int | None:
        """1-based line of the value at ``loc``, or None when unknown."""
        loc = self.original(loc)
        if loc.file not in self._lines:
            try:
                text = loc.file.read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError):
                text = None
            self._lines[loc.file] = yamlevents.line_table(text) if text is not None else None
        table = self._lines[loc.file]
        return yamlevents.line_at(table, split_pointer(loc.pointer)) if table is not None else None


def _where(d: Diagnostic) -> str:
    return d.file + "".join(f":{n}" for n in (d.line, d.column) if n is not None)


_UNSAFE_FILE = frozenset({"yaml-aliases", "nesting", "too-large", "not-a-file"})


def _read_spec_file(path: Path, shown: str) -> bytes:
    """The bytes of a regular file no larger than ``MAX_SPEC_BYTES`` (a device, a pipe or a
    huge file is refused before it is read)."""
    try:
        info = os.stat(path)
        if stat.S_ISDIR(info.st_mode):
            raise DiagnosticError([error("missing-file", "is a folder, not a spec file", shown)])
        if not stat.S_ISREG(info.st_mode):
            raise DiagnosticError([error("not-a-file", "not a regular file (a device, pipe or socket)", shown)])
        if info.st_size > MAX_SPEC_BYTES:
            raise DiagnosticError([error("too-large", f"file is {info.st_size / 2**20:.0f} MiB; spec files larger "
                                         f"than {MAX_SPEC_BYTES // 2**20} MiB are refused", shown)])
        with open(path, "rb") as fh:
            raw = fh.read(MAX_SPEC_BYTES + 1)
    except (FileNotFoundError, NotADirectoryError) as exc:
        raise DiagnosticError([error("missing-file", "file not found", shown)]) from exc
    except OSError as exc:
        raise DiagnosticError([error("io", f"cannot read: {exc.strerror or exc}", shown)]) from exc
    except ValueError as exc:  # a NUL in the path
        raise DiagnosticError([error("io", f"cannot read: {exc}", shown)]) from exc
    if len(raw) > MAX_SPEC_BYTES:
        raise DiagnosticError([error("too-large", f"spec files larger than {MAX_SPEC_BYTES // 2**20} MiB are refused",
                                     shown)])
    return raw


def _index_ids(doc: Any, file: Path) -> dict[str, Location]:
    """``$id`` (absolute, against the file's URI) and ``$id#$anchor`` -> where they are."""
    ids: dict[str, Location] = {}
    stack: list[tuple[Any, str, str]] = [(doc, "", file.as_uri())]
    while stack:
        node, ptr, base = stack.pop()
        if isinstance(node, dict):
            if isinstance(node.get("$id"), str):
                base = urllib.parse.urljoin(base, node["$id"]).partition("#")[0]
                ids.setdefault(base, Location(file, ptr))
            if isinstance(node.get("$anchor"), str):
                ids.setdefault(f"{base}#{node['$anchor']}", Location(file, ptr))
            stack.extend((v, join_pointer(ptr, k), base) for k, v in node.items() if isinstance(v, (dict, list)))
        elif isinstance(node, list):
            stack.extend((v, join_pointer(ptr, i), base) for i, v in enumerate(node) if isinstance(v, (dict, list)))
    return ids


def _base_uri(doc: Any, at: Location) -> str:
    """The base URI in force at ``at``: the file's, changed by every ``$id`` on the way down."""
    base = at.file.as_uri()
    node = doc
    for token in [None, *split_pointer(at.pointer)]:
        if token is not None:
            if isinstance(node, dict) and token in node:
                node = node[token]
            elif isinstance(node, list) and is_index(token) and int(token) < len(node):
                node = node[int(token)]
            else:
                break
        if isinstance(node, dict) and isinstance(node.get("$id"), str):
            base = urllib.parse.urljoin(base, node["$id"]).partition("#")[0]
    return base


def _normpath(p: Path) -> str:
    return os.path.normpath(str(p))


def _is_within(path: Path, folder: Path) -> bool:
    try:
        path.relative_to(folder)
        return True
    except ValueError:
        return False


def mapping(value: Any) -> dict[str, Any]:
    """``value`` if it is a mapping, else an empty one: specs put anything anywhere."""
    return value if isinstance(value, dict) else {}


def sequence(value: Any) -> list[Any]:
    """``value`` if it is a list, else an empty one."""
    return value if isinstance(value, list) else []


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
