"""generated/ is the golden record: regenerating every target must reproduce it byte for byte."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator import pipeline
from generator.config import load_config
from generator.write.pristine import STORE_NAME
from generator.write.writer import MANIFEST

REPO = Path(__file__).resolve().parent.parent
UPDATE = "codegen build"
CACHES = {"__pycache__", ".mypy_cache", ".pytest_cache"}  # made by tools run inside generated/, not by codegen
CONFIG = load_config(REPO / "pyproject.toml")


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        # the pristine store holds the generated files compressed: tests/test_hand_edits.py checks it
        if p.is_file() and not CACHES & set(p.parts) and p.name not in (MANIFEST, STORE_NAME)
    }


@pytest.mark.parametrize("name", sorted(CONFIG.targets))
def test_generated_matches_golden(name: str) -> None:
    target = CONFIG.targets[name]
    result = pipeline.generate(target)
    assert result.files, "\n".join(d.format() for d in result.diagnostics)
    expected = {p: t.encode("utf-8") for p, t in result.files.items()}
    actual = _tree(target.out)
    added = sorted(set(expected) - set(actual))
    removed = sorted(set(actual) - set(expected))
    changed = sorted(p for p in set(expected) & set(actual) if expected[p] != actual[p])
    assert not (added or removed or changed), (
        f"generated/{name} is stale: {len(added)} missing, {len(removed)} extra, {len(changed)} changed "
        f"(first: {(added + removed + changed)[:5]}).\nUpdate the goldens with:  {UPDATE}"
    )


def test_output_does_not_depend_on_hash_seed_or_cwd(tmp_path: Path) -> None:
    """Two runs under different PYTHONHASHSEED values and working directories: same bytes."""
    spec = REPO / "specs" / "openrouter" / "openapi.yaml"
    outs = []
    for seed, cwd in (("1", REPO), ("4242", tmp_path)):
        out = tmp_path / f"out-{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-m", "generator.cli", "generate", str(spec), "--out", str(out),
                        "--package", "openrouter"], cwd=cwd, env=env, check=True, capture_output=True)
        outs.append(_tree(out))
    assert outs[0] == outs[1]
