"""Where the templates live and the runtime modules that every generated package carries.

The runtime (``templates/runtime/*.py``) is copied verbatim into each package, so it is linted
and type-checked as it is, with the sync modules derived from their async source (``unasync``).
A wheel ships the templates inside the package (``generator/templates``), a checkout keeps them
at the top of the repository.
"""

from __future__ import annotations

import functools
from importlib import resources as importlib_resources
from pathlib import Path

from generator.emit import unasync

RUNTIME_DIR = "runtime"


def templates_dir() -> Path:
    """Templates ship inside the wheel (generator/templates); a checkout keeps them at the top."""
    packaged = Path(str(importlib_resources.files("generator"))) / "templates"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "templates"


@functools.lru_cache(maxsize=1)
def runtime_sources() -> dict[str, str]:
    """The runtime modules (file name -> text), read once per process: the hand-written ones and
    the sync module each ``_async_*.py`` derives (``generator.emit.unasync``)."""
    sources = {path.name: path.read_text(encoding="utf-8")
               for path in sorted((templates_dir() / RUNTIME_DIR).glob("*.py"))}
    for name, text in list(sources.items()):
        if name.startswith(unasync.SOURCE_PREFIX):
            derived = unasync.derived_name(name)
            if derived in sources:
                raise unasync.UnasyncError(f"{RUNTIME_DIR}/{derived} is derived from {name}: remove it")
            sources[derived] = unasync.derive(text, name)
    return dict(sorted(sources.items()))


def runtime_files(pkg: str) -> dict[str, str]:
    """The runtime modules as ``runtime_sources`` has them, at their place in the package."""
    return {f"{pkg}/{name}": text for name, text in runtime_sources().items()}
