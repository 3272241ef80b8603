"""A throwaway project for the CI-loop tests: a multi-file spec, overlays and a pyproject.toml
that declares one target, driven through the codegen command line."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
CI_DATA = REPO / "tests" / "data" / "ci"
CACHES = {"__pycache__", ".mypy_cache", ".pytest_cache"}


def codegen(*args: str, cwd: Path, env: dict[str, str] | None = None,
            python_flags: Sequence[str] = ()) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *python_flags, "-m", "generator.cli", *args], cwd=cwd,
                          capture_output=True, text=True, env={**os.environ, **(env or {})})


def make_project(root: Path, overlays: Sequence[str] = (), **settings: Any) -> Path:
    """``root`` with specs/shop (the multi-file spec), overlays/ and a pyproject.toml declaring
    the target ``shop`` (generated/shop).  ``settings`` add keys to the target's table."""
    shutil.copytree(CI_DATA / "shop", root / "specs" / "shop")
    shutil.copytree(CI_DATA / "overlays", root / "overlays")
    write_config(root, overlays, **settings)
    return root


def write_config(root: Path, overlays: Sequence[str] = (), **settings: Any) -> None:
    lines = ["[tool.codegen.targets.shop]", 'spec = "specs/shop/openapi.yaml"', 'out = "generated/shop"',
             'package = "shop"', "overlays = [" + ", ".join(f'"overlays/{o}"' for o in overlays) + "]"]
    lines += [f"{k} = {v!r}".replace("'", '"') for k, v in settings.items()]
    (root / "pyproject.toml").write_text("\n".join(lines) + "\n")


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and not CACHES & set(p.parts)}


def stats(folder: Path) -> dict[str, tuple[int, int]]:
    """path -> (inode, mtime in ns): changes when a file is rewritten, even with the same bytes."""
    return {p.relative_to(folder).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file() and not CACHES & set(p.parts)}


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))
