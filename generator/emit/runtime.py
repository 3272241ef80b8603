"""Where the templates live and the runtime modules that every generated package carries.

The runtime (``templates/runtime/*.py``) is copied verbatim into each package, so it is linted
and type-checked as it is; a wheel ships the templates inside the package (``generator/templates``),
a checkout keeps them at the top of the repository.
"""

from __future__ import annotations

import functools
from importlib import resources as importlib_resources
from pathlib import Path

RUNTIME_DIR = "runtime"


def templates_dir() -> Path:
    """Templates ship inside the wheel (generator/templates); a checkout keeps them at the top."""
    packaged = Path(str(importlib_resources.files("generator"))) / "templates"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "templates"


@functools.lru_cache(maxsize=1)
def runtime_sources() -> dict[str, str]:
    """The hand-written runtime modules (file name -> text), read once per process."""
    return {path.name: path.read_text(encoding="utf-8")
            for path in sorted((templates_dir() / RUNTIME_DIR).glob("*.py"))}


def runtime_files(pkg: str) -> dict[str, str]:
    """The hand-written runtime, copied verbatim (so it is linted and type-checked as is)."""
    return {f"{pkg}/{name}": text for name, text in runtime_sources().items()}
