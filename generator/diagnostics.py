"""Errors are values: every stage reports problems as Diagnostic objects.

A diagnostic names the file, the JSON pointer inside it and, where known, the line, so a user
can go straight to the problem.  Stages collect diagnostics and go on where they can; the CLI
decides what is fatal (errors always; warnings too under ``--strict``).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


class Severity(enum.IntEnum):
    NOTE = 0
    WARNING = 1
    ERROR = 2

    def __str__(self) -> str:
        return self.name.lower()


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One finding about an input.

    ``pointer`` is an RFC 6901 JSON pointer into ``file`` ('' for the whole document).
    ``line`` and ``column`` are 1-based and optional.
    """

    severity: Severity
    code: str
    message: str
    file: str = ""
    pointer: str = ""
    line: int | None = None
    column: int | None = None

    def format(self) -> str:
        """The one-line form printed by the CLI: ``file:line:col: severity[code]: message (at #/ptr)``."""
        where = _printable(self.file) or "<input>"
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        text = _printable(" ".join(self.message.split()))  # always one line
        at = f" (at #{_printable(self.pointer)})" if self.pointer or self.file else ""
        return f"{where}: {self.severity}[{self.code}]: {text}{at}"

    def __str__(self) -> str:
        return self.format()


def _printable(text: str) -> str:
    """Spec text in a diagnostic (a key in a pointer, a value in a message) shows control and
    other unprintable characters as escapes: one line on the terminal, nothing that moves it."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] if ord(c) < 0xD800 or ord(c) > 0xDFFF else f"\\u{ord(c):04x}"
                   for c in text)


class DiagnosticError(Exception):
    """Raised by a stage that cannot go on; carries the diagnostics gathered so far."""

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics = list(diagnostics)
        super().__init__("\n".join(d.format() for d in self.diagnostics))


def error(code: str, message: str, file: str | Path = "", pointer: str = "", line: int | None = None,
          column: int | None = None) -> Diagnostic:
    return Diagnostic(Severity.ERROR, code, message, str(file), pointer, line, column)


def warning(code: str, message: str, file: str | Path = "", pointer: str = "", line: int | None = None,
            column: int | None = None) -> Diagnostic:
    return Diagnostic(Severity.WARNING, code, message, str(file), pointer, line, column)


def note(code: str, message: str, file: str | Path = "", pointer: str = "", line: int | None = None,
         column: int | None = None) -> Diagnostic:
    return Diagnostic(Severity.NOTE, code, message, str(file), pointer, line, column)


def has_errors(diagnostics: Iterable[Diagnostic], strict: bool = False) -> bool:
    limit = Severity.WARNING if strict else Severity.ERROR
    return any(d.severity >= limit for d in diagnostics)


def escape_pointer_token(token: str | int) -> str:
    return str(token).replace("~", "~0").replace("/", "~1")


def join_pointer(pointer: str, *tokens: str | int) -> str:
    return pointer + "".join("/" + escape_pointer_token(t) for t in tokens)


def is_index(token: str) -> bool:
    """A JSON-pointer token that indexes an array: ASCII digits only ("²".isdigit() is true too)."""
    return token.isascii() and token.isdigit()


def split_pointer(pointer: str) -> list[str]:
    if not pointer:
        return []
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer.lstrip("/").split("/")]
