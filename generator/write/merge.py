"""A line-based three-way merge (diff3), for hand edits in generated files.

``merge3(base, ours, theirs)`` combines the user's changes (``base`` -> ``ours``) with the
generator's (``base`` -> ``theirs``).  Both sides are aligned to the base with
``difflib.SequenceMatcher`` (no autojunk, so blank lines and brackets align as well as anything);
base lines that both sides kept unchanged are the stable points, and each stretch between two of
them is taken from the side that changed it, or from either when both made the same change.  A
stretch that both changed differently is a conflict, written as git writes one with
``merge.conflictStyle=diff3``::

    <<<<<<< hand edit
    the user's lines
    ||||||| previous generation
    the base lines
    =======
    the new generation's lines
    >>>>>>> new generation

As in git, two changes that touch adjacent lines with no unchanged line between them conflict.

One exception knows Python: in a ``.py`` file, when both sides only *inserted* lines at the same
place (the user a helper method at the end of a class, the generator a new operation's method
there too) and each insertion is whole definitions or imports (``def``, ``class``, ``import``),
the two defining different names, both are kept, the generator's first (the user's code stays
last, where it was written), provided the merged file still parses.  Anything less certain (two
assignments, say, where one would silently win) stays a conflict.
Lines end at ``\\n`` only (a ``\\r`` or form feed stays inside its line), so a merge of texts
that agree reproduces them byte for byte.
"""

from __future__ import annotations

import ast
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher

OURS_MARKER = "<<<<<<< hand edit"
BASE_MARKER = "||||||| previous generation"
SEPARATOR = "======="
THEIRS_MARKER = ">>>>>>> new generation"


@dataclass
class Merged:
    text: str
    conflicts: list[tuple[int, int]] = field(default_factory=list)  # 1-based line ranges, markers included


def lines(text: str) -> list[str]:
    """``text`` split after each ``\\n`` (the last line may have none)."""
    parts = text.split("\n")
    out = [p + "\n" for p in parts[:-1]]
    if parts[-1]:
        out.append(parts[-1])
    return out


def _matches(base: Sequence[str], other: Sequence[str]) -> dict[int, int]:
    """base line index -> the index of the same line in ``other``, for the aligned lines."""
    found: dict[int, int] = {}
    for a, b, size in SequenceMatcher(None, base, other, autojunk=False).get_matching_blocks():
        for k in range(size):
            found[a + k] = b + k
    return found


def merge3(base: str | None, ours: str, theirs: str, python: bool = False) -> Merged:
    """Merge ``ours`` and ``theirs``, two descendants of ``base``.

    Without a base (the previous generation is not known), every stretch where the two differ
    is a conflict: nothing tells which side wrote it.  With ``python``, insertions of whole
    statements at the same place are both kept when the result parses (see the module's doc)."""
    merged = _merge3(base, ours, theirs, python)
    if python and merged.united:
        try:
            ast.parse(merged.text)
        except (SyntaxError, ValueError):
            merged = _merge3(base, ours, theirs, False)
    return Merged(merged.text, merged.conflicts)


@dataclass
class _Result(Merged):
    united: bool = False  # insertions of both sides were kept side by side


def _merge3(base: str | None, ours: str, theirs: str, python: bool) -> _Result:
    if ours == theirs:
        return _Result(ours)
    if base is not None:
        if ours == base:
            return _Result(theirs)
        if theirs == base:
            return _Result(ours)
    o, t = lines(ours), lines(theirs)
    a = lines(base) if base is not None else []
    chunks = _chunks(a, o, t) if base is not None else _two_way(o, t)
    out: list[str] = []
    conflicts: list[tuple[int, int]] = []
    united = False
    for chunk_a, chunk_o, chunk_t in chunks:
        if chunk_o == chunk_t:
            out += chunk_o
        elif base is not None and chunk_o == chunk_a:
            out += chunk_t
        elif base is not None and chunk_t == chunk_a:
            out += chunk_o
        elif python and base is not None and not chunk_a and _side_by_side(chunk_o, chunk_t):
            out += chunk_t + chunk_o
            united = True
        else:
            start = len(out) + 1
            out += _conflict(chunk_a if base is not None else None, chunk_o, chunk_t)
            conflicts.append((start, len(out)))
    return _Result("".join(out), conflicts, united)


_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def _side_by_side(ours: list[str], theirs: list[str]) -> bool:
    """Whether two insertions at one place are definitions and imports that can both stay."""
    names = [_defined(ours), _defined(theirs)]
    return names[0] is not None and names[1] is not None and not names[0] & names[1]


def _defined(part: list[str]) -> set[str] | None:
    """The names ``part`` defines, if it is whole definitions and imports (dedented); else None."""
    text = textwrap.dedent("".join(part))
    if not text.strip() or text[:1] in (" ", "\t"):
        return None
    try:
        statements = ast.parse(text).body
    except (SyntaxError, ValueError):
        return None
    names: set[str] = set()
    for node in statements:
        if isinstance(node, _DEFINITIONS):
            names.add(node.name)
        elif not isinstance(node, (ast.Import, ast.ImportFrom)):
            return None
    return names


_Chunk = tuple[list[str], list[str], list[str]]


def _chunks(a: list[str], o: list[str], t: list[str]) -> list[_Chunk]:
    """The three texts cut at the base lines both sides kept: stable lines come as one-line
    chunks equal on every side, the stretches between them as they are on each side."""
    mo, mt = _matches(a, o), _matches(a, t)
    stable = [i for i in range(len(a)) if i in mo and i in mt]  # increasing in o and t as well
    chunks: list[_Chunk] = []
    i = j = k = 0
    for s in [*stable, len(a)]:
        so, st = (mo[s], mt[s]) if s < len(a) else (len(o), len(t))
        if (i, j, k) != (s, so, st):
            chunks.append((a[i:s], o[j:so], t[k:st]))
        if s < len(a):
            chunks.append(([a[s]], [o[so]], [t[st]]))
        i, j, k = s + 1, so + 1, st + 1
    return chunks


def _two_way(o: list[str], t: list[str]) -> list[_Chunk]:
    chunks: list[_Chunk] = []
    for _tag, o1, o2, t1, t2 in SequenceMatcher(None, o, t, autojunk=False).get_opcodes():
        chunks.append(([], o[o1:o2], t[t1:t2]))
    return chunks


def _conflict(base: list[str] | None, ours: list[str], theirs: list[str]) -> list[str]:
    def block(part: list[str]) -> list[str]:
        return [*part[:-1], part[-1] + "\n"] if part and not part[-1].endswith("\n") else part

    out = [OURS_MARKER + "\n", *block(ours)]
    if base is not None:
        out += [BASE_MARKER + "\n", *block(base)]
    return [*out, SEPARATOR + "\n", *block(theirs), THEIRS_MARKER + "\n"]


def unresolved(text: str) -> list[tuple[int, int]]:
    """Line ranges of conflict blocks still in ``text`` (from a ``<<<<<<<`` line to the next
    ``>>>>>>>`` line, or to the end)."""
    found: list[tuple[int, int]] = []
    start: int | None = None
    for number, line in enumerate(lines(text), 1):
        if line.startswith("<<<<<<<") and start is None:
            start = number
        elif line.startswith(">>>>>>>") and start is not None:
            found.append((start, number))
            start = None
    if start is not None:
        found.append((start, len(lines(text))))
    return found
