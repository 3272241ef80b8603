"""Documentation pages -> clean spec files: extract, merge, repair.

Entry point: ``import_pages(pages) -> ImportResult``.  Pure: reads the pages, returns the
files to write (``<vendor>/openapi.yaml`` -> text) and diagnostics; the CLI writes them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from generator.diagnostics import Diagnostic


@dataclass
class ImportResult:
    files: dict[str, str] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)


def import_pages(pages: Sequence[Path]) -> ImportResult:
    raise NotImplementedError("codegen import is being built")
