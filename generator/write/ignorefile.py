"""``.codegenignore``: generated files the user has taken over.

The file sits in a target's output folder and uses gitignore syntax, paths relative to that
folder: ``#`` comments, ``!`` re-includes, ``*`` / ``?`` / ``[...]`` within a path segment,
``**`` across segments, a leading or inner ``/`` anchors a pattern to the folder, a trailing
``/`` matches folders only (so everything under them), the last matching line wins, and a file
inside an ignored folder cannot be re-included (as in git).  A matched path is never created,
rewritten or deleted by codegen.

Patterns only ever decide whether a path that codegen generates is written; they never name a
path to write or read, so no pattern can reach outside the folder.  codegen's own bookkeeping
files (the lock, the pristine store, the manifest) cannot be ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

IGNORE_NAME = ".codegenignore"
_MAX_BYTES = 1024 * 1024


@dataclass(frozen=True)
class _Rule:
    regex: re.Pattern[str]
    negate: bool
    folders_only: bool


class IgnoreFile:
    def __init__(self, text: str = "") -> None:
        self.rules = [rule for line in text.splitlines() if (rule := _rule(line)) is not None]

    @classmethod
    def load(cls, out: Path) -> IgnoreFile:
        """The output folder's ``.codegenignore``; empty when there is none (or it is no regular
        file, or too large to be one a person wrote)."""
        path = out / IGNORE_NAME
        try:
            if path.is_symlink() or not path.is_file() or path.stat().st_size > _MAX_BYTES:
                return cls()
            return cls(path.read_text(encoding="utf-8", errors="replace"))
        except OSError:
            return cls()

    def __bool__(self) -> bool:
        return bool(self.rules)

    def matches(self, rel: str) -> bool:
        """Whether the file ``rel`` (POSIX, relative to the output folder) is ignored."""
        if not self.rules:
            return False
        parts = rel.split("/")
        for depth in range(1, len(parts)):  # a folder that is ignored takes everything in it
            if self._decide("/".join(parts[:depth]), folder=True):
                return True
        return self._decide(rel, folder=False)

    def _decide(self, rel: str, folder: bool) -> bool:
        ignored = False
        for rule in self.rules:
            if (folder or not rule.folders_only) and rule.regex.fullmatch(rel):
                ignored = not rule.negate
        return ignored


def _rule(line: str) -> _Rule | None:
    line = line.rstrip("\n\r")
    if not line or line.startswith("#"):
        return None
    # trailing spaces are dropped unless escaped with a backslash
    stripped = line.rstrip(" ")
    if stripped.endswith("\\") and len(stripped) < len(line):
        stripped += " "
    line = stripped
    negate = line.startswith("!")
    if negate or line.startswith(("\\!", "\\#")):
        line = line[1:]
    folders_only = line.endswith("/") and not line.endswith("\\/")
    line = line.rstrip("/") if folders_only else line
    if not line:
        return None
    anchored = "/" in line
    line = line.lstrip("/")
    body = _translate(line)
    if not anchored:
        body = "(?:.*/)?" + body
    try:
        regex = re.compile(body, re.DOTALL)
    except re.error:  # a malformed class: the pattern stands for itself
        regex = re.compile(("(?:.*/)?" if not anchored else "") + re.escape(line), re.DOTALL)
    return _Rule(regex, negate, folders_only)


def _translate(pattern: str) -> str:
    """A gitignore pattern (without its anchoring and trailing ``/``) as a regular expression."""
    out = []
    segments = pattern.split("/")
    for index, segment in enumerate(segments):
        last = index == len(segments) - 1
        if segment == "**":
            out.append(".*" if last else "(?:.*/)?")
            continue
        out.append(_segment(segment))
        if not last:
            out.append("/")
    return "".join(out)


def _segment(segment: str) -> str:
    out = []
    i = 0
    while i < len(segment):
        c = segment[i]
        if c == "\\" and i + 1 < len(segment):
            out.append(re.escape(segment[i + 1]))
            i += 2
            continue
        if c == "*":
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "[":
            first = i + 2 if segment[i + 1:i + 2] in ("!", "^") else i + 1
            end = segment.find("]", first + 1 if segment[first:first + 1] == "]" else first)
            if end == -1:
                out.append(re.escape(c))
            else:
                body = segment[i + 1:end]
                if body[:1] in ("!", "^"):
                    body = "^" + body[1:]
                out.append("[" + body.replace("\\", "\\\\").replace("[", "\\[") + "]")
                out.append("(?<!/)")
                i = end + 1
                continue
        else:
            out.append(re.escape(c))
        i += 1
    return "".join(out)
