"""Find the OpenAPI documents on a page.

Forms understood:

* fenced code blocks of any fence length (three or more backticks or tildes), with or without a
  language tag, YAML or JSON; a page may hold several, and only OpenAPI documents are kept;
* an unfenced document that starts with ``openapi:`` at the start of a line (Fern-style pages that
  print the language as a plain ``yaml`` line), also when flattened onto one line (see ``flat``);
* plain ``.yaml`` / ``.yml`` / ``.json`` spec files, passed through whole.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import yaml

from generator.diagnostics import Diagnostic, error, note
from generator.importer.flat import Reconstruction, looks_flattened, unflatten
from generator.importer.model import JSON, Fragment, Page
from generator.importer.yamlio import load_yaml, node_marks
from generator.load import swagger2

SPEC_SUFFIXES = (".yaml", ".yml", ".json")

_FENCE_OPEN = re.compile(r"^( {0,3})(`{3,}|~{3,})(.*)$")
_MENTIONS_OPENAPI = re.compile(r"""^(["']?)(?:openapi|swagger)\1\s*:|"(?:openapi|swagger)"\s*:""", re.M)
_BARE_START = re.compile(r"""^openapi\s*:\s*['"]?\d""")
_BARE_CONTINUES = re.compile(r"""^(?:\s|$|- |-$|#|[\w$'"./-][^:]*:(?:\s|$))""")


@dataclass(frozen=True)
class Block:
    """A piece of page text that may hold a spec; ``first_line`` is its 0-based line on the page."""

    text: str
    first_line: int
    lang: str


class ParseFailure(Exception):
    def __init__(self, message: str, line: int | None, column: int | None) -> None:
        super().__init__(message)
        self.message, self.line, self.column = message, line, column


Scorer = Callable[[dict[str, JSON]], int]  # lower is better: validation errors of a candidate


def fenced_blocks(text: str) -> list[tuple[Block, range]]:
    """CommonMark fenced code blocks with the page lines they cover (fences included)."""
    lines = text.split("\n")
    out: list[tuple[Block, range]] = []
    i = 0
    while i < len(lines):
        m = _FENCE_OPEN.match(lines[i])
        if not m or (m.group(2)[0] == "`" and "`" in m.group(3)):
            i += 1
            continue
        indent, fence, info = len(m.group(1)), m.group(2), m.group(3).strip()
        close = re.compile(rf"^ {{0,3}}{re.escape(fence[0])}{{{len(fence)},}}\s*$")
        j = i + 1
        while j < len(lines) and not close.match(lines[j]):
            j += 1
        body = [ln[min(indent, len(ln) - len(ln.lstrip(" "))):] for ln in lines[i + 1:j]]
        lang = info.split()[0].lower() if info else ""
        out.append((Block("\n".join(body), i + 1, lang), range(i, min(j, len(lines) - 1) + 1)))
        i = j + 1
    return out


def bare_blocks(text: str, covered: set[int]) -> list[Block]:
    """Unfenced documents: from an ``openapi:`` (or ``{ ... "openapi"``) line to the end of the YAML."""
    lines = text.split("\n")
    out: list[Block] = []
    i = 0
    while i < len(lines):
        if i in covered:
            i += 1
            continue
        if _BARE_START.match(lines[i]):
            j = i + 1
            while j < len(lines) and j not in covered and _BARE_CONTINUES.match(lines[j]):
                j += 1
            while j > i + 1 and not lines[j - 1].strip():
                j -= 1
            out.append(Block("\n".join(lines[i:j]), i, "yaml"))
            i = j
        elif lines[i].startswith("{") and '"openapi"' in "\n".join(lines[i:i + 50]):
            rest = "\n".join(lines[i:])
            try:
                _, end = json.JSONDecoder().raw_decode(rest)
            except json.JSONDecodeError:
                end = len(rest)
            chunk = rest[:end]
            out.append(Block(chunk, i, "json"))
            i += chunk.count("\n") + 1
        else:
            i += 1
    return out


def _yaml_failure(exc: yaml.YAMLError, origin: Callable[[int, int], tuple[int, int]], first_line: int,
                  prefix: str = "") -> ParseFailure:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    parts = [getattr(exc, "context", None), getattr(exc, "problem", None)]
    reason = "; ".join(p for p in parts if p) or str(exc).split("\n")[0]
    if mark is None:
        return ParseFailure(f"{prefix}YAML does not parse: {reason}", first_line + 1, None)
    line, col = origin(mark.line, mark.column)
    return ParseFailure(f"{prefix}YAML does not parse: {reason}", first_line + line + 1, col + 1)


def _from_swagger2(doc: dict[str, Any], marks: dict[str, tuple[int, int]], shown: str
                   ) -> tuple[dict[str, Any], dict[str, tuple[int, int]], list[Diagnostic]]:
    """A Swagger 2.0 document in its OpenAPI 3 form, its marks moved to where each part went."""
    converted, origins, found = swagger2.convert_document(doc, shown, marks)
    went: dict[str, list[str]] = {}
    for new, old in origins.items():
        went.setdefault(old, []).append(new)
    moved: dict[str, tuple[int, int]] = {}
    for pointer, mark in marks.items():
        probe, tail = pointer, ""
        while probe not in went and probe:
            cut = probe.rfind("/")
            probe, tail = probe[:cut], probe[cut:] + tail
        for new in went.get(probe, []):
            moved.setdefault(new + tail, mark)
    return converted, moved, found


def _is_spec(doc: Any) -> bool:
    return isinstance(doc, dict) and ("openapi" in doc or "swagger" in doc)


def _shift(marks: dict[str, tuple[int, int]], origin: Callable[[int, int], tuple[int, int]],
           first_line: int) -> dict[str, tuple[int, int]]:
    out = {}
    for pointer, (line, col) in marks.items():
        ol, oc = origin(line, col)
        out[pointer] = (first_line + ol + 1, oc + 1)
    return out


def _identity(line: int, col: int) -> tuple[int, int]:
    return (line, col)


def parse_block(block: Block, score: Scorer) -> tuple[Any, dict[str, tuple[int, int]]]:
    """The value in ``block`` and the page position of each pointer; raises ``ParseFailure``."""
    text = block.text
    if block.lang in ("json", "jsonc") or text.lstrip().startswith("{"):
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ParseFailure(f"JSON does not parse: {exc.msg}", block.first_line + exc.lineno, exc.colno) from None
        return value, _shift(node_marks(text), _identity, block.first_line)
    try:
        value = load_yaml(text)
        if (_is_spec(value) and len(value) > 1) or not looks_flattened(text):
            return value, _shift(node_marks(text), _identity, block.first_line)
        first_failure: ParseFailure | None = None
    except yaml.YAMLError as exc:
        if not looks_flattened(text):
            raise _yaml_failure(exc, _identity, block.first_line) from None
        first_failure = _yaml_failure(exc, _identity, block.first_line)
    return _parse_flattened(block, score, first_failure)


def _parse_flattened(block: Block, score: Scorer,
                     first_failure: ParseFailure | None) -> tuple[Any, dict[str, tuple[int, int]]]:
    best: tuple[int, int, Any, Reconstruction] | None = None
    failure: ParseFailure | None = None
    candidates = unflatten(block.text)
    parsed: list[tuple[int, Any, Reconstruction]] = []
    for rank, rec in enumerate(candidates):
        try:
            value = load_yaml(rec.text)
        except yaml.YAMLError as exc:
            failure = failure or _yaml_failure(exc, rec.origin, block.first_line,
                                               "after restoring the line breaks of a flattened spec, ")
            continue
        if _is_spec(value):
            parsed.append((rank, value, rec))
    distinct = {json.dumps(v, sort_keys=True) for _, v, _ in parsed}
    for rank, value, rec in parsed:
        errors = score(value) if len(distinct) > 1 else 0
        if best is None or (errors, rank) < (best[0], best[1]):
            best = (errors, rank, value, rec)
    if best is None:
        raise failure or first_failure or ParseFailure("no OpenAPI document after restoring line breaks",
                                                       block.first_line + 1, None)
    _, _, value, rec = best
    return value, _shift(node_marks(rec.text), rec.origin, block.first_line)


def extract(page: Page, score: Scorer) -> tuple[list[Fragment], list[Diagnostic]]:
    """The OpenAPI documents on ``page``; an error diagnostic for each one that does not parse."""
    diagnostics: list[Diagnostic] = []
    whole_file = page.path.suffix.lower() in SPEC_SUFFIXES
    if whole_file:
        lang = "json" if page.path.suffix.lower() == ".json" else "yaml"
        blocks = [Block(page.text, 0, lang)]
    else:
        fenced = fenced_blocks(page.text)
        covered = {line for _, lines in fenced for line in lines}
        blocks = [b for b, _ in fenced if _MENTIONS_OPENAPI.search(b.text)] + bare_blocks(page.text, covered)
        blocks.sort(key=lambda b: b.first_line)
    fragments: list[Fragment] = []
    seen: set[str] = set()
    for block in blocks:
        try:
            value, marks = parse_block(block, score)
        except ParseFailure as exc:
            diagnostics.append(error("import.parse", exc.message, page.display, "", exc.line, exc.column))
            continue
        if not _is_spec(value):
            if whole_file:
                diagnostics.append(error("import.no-openapi", "not an OpenAPI document (it has no `openapi` field)",
                                         page.display, "", 1))
            continue
        line = block.first_line + 1
        if "openapi" not in value:
            if not swagger2.is_swagger2(value):
                diagnostics.append(error("import.version", f"Swagger {value.get('swagger')!r} is not supported "
                                         "(Swagger 2.0 and OpenAPI 3.0 and 3.1 are)", page.display, "/swagger", line))
                continue
            value, marks, found = _from_swagger2(value, marks, page.display)
            diagnostics += found
            diagnostics.append(note("import.swagger2", "a Swagger 2.0 document: converted to OpenAPI 3",
                                    page.display, "", line))
        if not str(value["openapi"]).startswith("3."):
            diagnostics.append(error("import.version", f"OpenAPI version {value['openapi']!r} is not supported "
                                     "(3.0 and 3.1 are)", page.display, "/openapi", line))
            continue
        key = json.dumps(value, sort_keys=True)
        if key in seen:
            diagnostics.append(note("import.duplicate", "the page repeats an OpenAPI document; the copy is ignored",
                                    page.display, "", line))
            continue
        seen.add(key)
        fragments.append(Fragment(page, len(fragments), value, marks))
    if not fragments and not diagnostics:
        diagnostics.append(error("import.no-openapi", "no OpenAPI document found on the page (looked for fenced "
                                 "YAML/JSON blocks and for an unfenced or flattened `openapi:` document)",
                                 page.display, "", None))
    return fragments, diagnostics
