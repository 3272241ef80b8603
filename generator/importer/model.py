"""Values shared by the import stages: a documentation page and the OpenAPI fragments found on it."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.diagnostics import Diagnostic, Severity

JSON = Any  # a JSON-compatible value: dict / list / str / int / float / bool / None


@dataclass(frozen=True)
class Page:
    """One input file, read as text with ``\\n`` line endings."""

    path: Path
    text: str

    @property
    def display(self) -> str:
        """How diagnostics name the page: the path as the user gave it."""
        return str(self.path)

    @property
    def name(self) -> str:
        """How the output names the page: its basename, so specs do not depend on the cwd."""
        return self.path.name


@dataclass
class Fragment:
    """One OpenAPI document found on a page (a page may hold several).

    ``marks`` maps JSON pointers of the document as found to 1-based ``(line, column)`` positions
    in the page, so diagnostics point at the page text even after repairs moved things around.
    """

    page: Page
    index: int
    doc: dict[str, JSON]
    marks: dict[str, tuple[int, int]] = field(default_factory=dict)

    @property
    def label(self) -> str:
        """Short name used inside messages: the page's basename, and which document when it has several."""
        return self.page.name if self.index == 0 else f"{self.page.name} (document {self.index + 1})"

    def sort_key(self) -> tuple[str, int, str]:
        """Canonical order, independent of the command-line order and of the cwd."""
        return (self.page.name, self.index, json.dumps(self.doc, sort_keys=True, default=str))

    def locate(self, pointer: str) -> tuple[int | None, int | None]:
        """Page position of ``pointer``, or of its nearest located ancestor."""
        probe = pointer
        while True:
            if probe in self.marks:
                return self.marks[probe]
            if not probe:
                return (None, None)
            probe = probe.rsplit("/", 1)[0]

    def diag(self, severity: Severity, code: str, message: str, pointer: str,
             mark_pointer: str | None = None) -> Diagnostic:
        """A diagnostic about this fragment; ``mark_pointer`` is the pointer as found on the page."""
        line, column = self.locate(pointer if mark_pointer is None else mark_pointer)
        return Diagnostic(severity, code, message, self.page.display, pointer, line, column)
