"""Recover the line structure of a YAML document whose line breaks were lost.

Some documentation renderers print a spec on one line: every line break is gone, the indentation
survives as a run of spaces, and a top-level key ends up glued to the previous value
(``version: 1.0.0paths:``).  ``unflatten`` cuts the text into pieces

* after every run of two or more spaces (the run is the indentation of the line that follows),
* before a top-level OpenAPI keyword or ``x-`` extension glued to a previous token,
* before a top-level ``- key:`` item glued to a previous token or to its own key (``tags:- name``),

then decides piece by piece whether it starts a line.  A ``key:`` or ``- `` item does when its
indentation is a level that is open at that point; the continuation lines of a block scalar
(``>-``, ``|``) and of a plain multi-line scalar come back as lines of text; a piece inside an
open quote, or one that cannot start a line, is joined back exactly as it was.  Where a rule can
go either way, ``unflatten`` returns one reconstruction per choice, most likely first; the caller
keeps the one that parses into the best OpenAPI document.

Not recoverable: blank lines inside block scalars, and trailing spaces before a lost line break
(they are indistinguishable from indentation).
"""

from __future__ import annotations

import enum
import itertools
import re
from dataclasses import dataclass, field

TOP_LEVEL_KEYWORDS = ("openapi", "info", "jsonSchemaDialect", "servers", "paths", "webhooks", "components",
                      "security", "tags", "externalDocs")

_PLAIN_KEY = r"""(?:[\w$/.<(+~=^]|[-?:](?=\S))(?:[^\s:#]|:(?!\s|$)|(?<=\S)\#|[ \t]+(?=[^\s#:]))*"""
_KEY = re.compile(rf"""^(?:-[ ]+)*(?:'(?:[^']|'')*'|"(?:[^"\\]|\\.)*"|{_PLAIN_KEY})[ ]*:(?=[ ]|$)""")
_ITEMS = re.compile(r"^(?:-(?: +|$))+")
_RUN = re.compile(r" {2,}")
_GLUED_KEY = re.compile(r"(?<=\S)(?:{}|x-[\w.-]+)(?=:(?:\s|$|-\s))".format("|".join(TOP_LEVEL_KEYWORDS)))
_GLUED_ITEM = re.compile(r"(?<=[^\s:-])(?=- [\w$]+(?:[ -][\w$.-]+)*:(?: |$))")
_KEY_THEN_ITEM = re.compile(r"^[\w$][\w.$-]*:(?=- )")
_BLOCK_HEADER = re.compile(r"(?:^|[:-])[ ]+[|>](?:[1-9][-+]?|[-+][1-9]?)?$|^[|>](?:[1-9][-+]?|[-+][1-9]?)?$")
_FLATTENED_HINT = re.compile(r"\S {{2,}}(?:- |[^\s:]+:(?: |$))|(?<=\S)(?:{}):(?: |$)"
                             .format("|".join(TOP_LEVEL_KEYWORDS[1:])))


def looks_flattened(text: str) -> bool:
    """True when the first line of ``text`` holds more than one line's worth of YAML."""
    first = text.lstrip("\n").split("\n", 1)[0]
    return bool(_FLATTENED_HINT.search(first))


class _Cut(enum.Enum):
    HARD = "line"  # first piece of an original line
    RUN = "run"  # after a run of spaces
    KEY = "key"  # a glued top-level key
    ITEM = "item"  # a glued top-level ``- key:`` item
    FIRST_ITEM = "first-item"  # an indentless item glued to its key: ``servers:- url``


@dataclass
class _Piece:
    text: str
    indent: int  # spaces before the piece: its indentation if it starts a line
    sep: str  # the exact text that separated it from the previous piece
    line: int  # 0-based line of the original text
    col: int  # 0-based column of ``text`` in that line
    cut: _Cut
    keyed: bool = False  # the piece as first cut (before glued cuts) started with ``key:``
    weak: bool = False  # a glued cut inside that leading key: kept only after a line of text


@dataclass
class _Line:
    indent: int
    text: str
    line: int
    col: int
    content: bool = False  # a line of scalar text rather than structure


@dataclass
class Reconstruction:
    """Text with line breaks restored; ``origin(line, col)`` maps a 0-based position back to the input."""

    text: str
    lines: list[tuple[int, int, int]] = field(default_factory=list)  # (indent, orig line, orig col)

    def origin(self, line: int, col: int) -> tuple[int, int]:
        if not self.lines:
            return (line, col)
        indent, orig_line, orig_col = self.lines[min(max(line, 0), len(self.lines) - 1)]
        return (orig_line, orig_col + max(col - indent, 0))


def _pieces(text: str) -> list[_Piece]:
    pieces: list[_Piece] = []
    for number, raw in enumerate(text.split("\n")):
        body = raw.lstrip(" ")
        if not body.strip():
            pieces.append(_Piece("", 0, "", number, 0, _Cut.HARD))
            continue
        start = len(raw) - len(body)
        end_of_line = len(raw.rstrip(" "))
        cuts = [(start, start, _Cut.HARD)] + [(m.end(), m.start(), _Cut.RUN) for m in _RUN.finditer(raw, start)
                                              if m.end() < end_of_line]
        for i, (begin, sep_start, kind) in enumerate(cuts):
            chunk = raw[begin:cuts[i + 1][1] if i + 1 < len(cuts) else end_of_line]
            indent = start if kind is _Cut.HARD else begin - sep_start
            pieces.extend(_split_glued(_Piece(chunk, indent, raw[sep_start:begin], number, begin, kind)))
    return pieces


def _split_glued(piece: _Piece) -> list[_Piece]:
    """Cut ``piece`` before glued top-level keys and items (never inside its own leading key)."""
    key = _KEY.match(piece.text)
    low = key.end() if key else 0
    glued = sorted([(m.start(), _Cut.KEY) for m in _GLUED_KEY.finditer(piece.text)]
                   + [(m.start(), _Cut.ITEM) for m in _GLUED_ITEM.finditer(piece.text)])
    bounds = [(0, piece.cut), *glued, (len(piece.text), piece.cut)]
    out: list[_Piece] = []
    for (begin, kind), (end, _) in itertools.pairwise(bounds):
        if begin == end:
            continue
        part = piece.text[begin:end]
        indent, sep = (piece.indent, piece.sep) if begin == 0 else (0, "")
        first = begin == 0
        head = _KEY_THEN_ITEM.match(part) if indent == 0 else None
        if head:
            out.append(_Piece(part[:head.end()], indent, sep, piece.line, piece.col + begin, kind, first and bool(key),
                              0 < begin < low))
            out.append(_Piece(part[head.end():], 0, "", piece.line, piece.col + begin + head.end(), _Cut.FIRST_ITEM))
        else:
            out.append(_Piece(part, indent, sep, piece.line, piece.col + begin, kind, first and bool(key),
                              0 < begin < low))
    return out


def _is_line_start(text: str) -> bool:
    return bool(_ITEMS.match(text) or _KEY.match(text) or text.startswith("#") or text in ("---", "..."))


def _starts_line(p: _Piece) -> bool:
    return p.keyed or _is_line_start(p.text)


def _value_part(text: str) -> str:
    key = _KEY.match(text)
    if key:
        return text[key.end():].lstrip()
    items = _ITEMS.match(text)
    return text[items.end():] if items else ""


def _owner_indent(line: _Line) -> int:
    """Indentation of the node that owns the line's value (``- key:`` owns at the key's column)."""
    items = _ITEMS.match(line.text)
    return line.indent + (items.end() if items and _KEY.match(line.text) else 0)


def _open_quote(value: str, quote: str | None = None) -> str | None:
    """The quote still open at the end of ``value``, given the one open before it."""
    i = 0
    if quote is None:
        if not value or value[0] not in "'\"":
            return None
        quote, i = value[0], 1
    while i < len(value):
        ch = value[i]
        if quote == '"' and ch == "\\":
            i += 2
            continue
        if ch == quote:
            if quote == "'" and value[i + 1:i + 2] == "'":
                i += 2
                continue
            return None
        i += 1
    return quote


def _has_value(line: _Line) -> bool:
    """The line is complete, so a glued top-level key may follow it."""
    return line.content or bool(_value_part(line.text).strip())


class _Builder:
    """Lays pieces out as lines, tracking open levels, block scalars and quotes."""

    def __init__(self, glue_in_blocks: bool, continuation_lines: bool) -> None:
        self.glue_in_blocks = glue_in_blocks
        self.continuation_lines = continuation_lines
        self.lines: list[_Line] = []
        self.levels: list[int] = []  # indentations a structural line may take now (besides deeper)
        self.block: int | None = None  # lines indented deeper than this belong to an open block scalar
        self.quote: str | None = None
        self.parent = 0  # indentation of the last structural line
        self.top_sequence = False  # the current top-level key holds an indentless sequence

    def valid_level(self, indent: int) -> bool:
        return not self.levels or indent in self.levels or indent > self.levels[-1]

    def add(self, p: _Piece) -> None:
        last = self.lines[-1] if self.lines else None
        if last is None:
            return self.structural(p, p.indent)
        if not p.text:
            self.lines.append(_Line(0, "", p.line, p.col, content=True))
            return None
        if p.cut in (_Cut.KEY, _Cut.ITEM):
            allowed = (self.quote is None and (self.block is None or self.glue_in_blocks) and _has_value(last)
                       and (p.cut is _Cut.KEY or self.top_sequence) and (last.content or not p.weak))
            return self.structural(p, 0) if allowed else self.join(p)
        if p.cut is _Cut.FIRST_ITEM:
            bare_key = not last.content and _KEY.fullmatch(last.text.rstrip()) is not None
            return self.structural(p, last.indent) if bare_key else self.join(p)
        if self.quote is not None:
            if self.continuation_lines and p.indent > self.parent:
                self.lines.append(_Line(p.indent, p.text, p.line, p.col, content=True))
                self.quote = _open_quote(p.text, self.quote)
                return None
            return self.join(p)
        starts = p.cut is _Cut.HARD or (_starts_line(p) and self.valid_level(p.indent))
        if self.block is not None:
            if p.indent > self.block:
                self.lines.append(_Line(p.indent, p.text, p.line, p.col, content=True))
                return None
            return self.structural(p, p.indent) if starts else self.join(p)
        if starts:
            return self.structural(p, p.indent)
        if self.continuation_lines and p.indent > self.parent:
            self.lines.append(_Line(p.indent, p.text, p.line, p.col, content=True))
            return None
        return self.join(p)

    def join(self, p: _Piece) -> None:
        line = self.lines[-1]
        line.text += p.sep + p.text
        if self.quote is not None:
            self.quote = _open_quote(p.sep + p.text, self.quote)
        elif not line.content:
            self.after_structural(line)

    def structural(self, p: _Piece, indent: int) -> None:
        line = _Line(indent, p.text, p.line, p.col)
        self.lines.append(line)
        while self.levels and self.levels[-1] >= indent:
            self.levels.pop()
        self.levels.append(indent)
        owner = _owner_indent(line)
        if owner > indent:
            self.levels.append(owner)
        self.parent = indent
        if indent == 0:
            self.top_sequence = bool(_ITEMS.match(line.text)) or (self.top_sequence and line.text.startswith("#"))
        self.after_structural(line)

    def after_structural(self, line: _Line) -> None:
        self.quote = _open_quote(_value_part(line.text))
        header = self.quote is None and _BLOCK_HEADER.search(line.text) is not None
        self.block = _owner_indent(line) if header else None

    def reconstruction(self) -> Reconstruction:
        text = "\n".join(" " * ln.indent + ln.text if ln.text else "" for ln in self.lines) + "\n"
        return Reconstruction(text, [(ln.indent, ln.line, ln.col) for ln in self.lines])


def unflatten(text: str) -> list[Reconstruction]:
    """Candidate reconstructions of ``text``, most likely first, without duplicates."""
    pieces = _pieces(text)
    out: list[Reconstruction] = []
    for glue_in_blocks, continuation_lines in ((True, True), (False, True), (True, False), (False, False)):
        builder = _Builder(glue_in_blocks, continuation_lines)
        for piece in pieces:
            builder.add(piece)
        rec = builder.reconstruction()
        if all(rec.text != seen.text for seen in out):
            out.append(rec)
    return out
