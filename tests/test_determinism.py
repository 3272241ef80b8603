"""The same inputs give the same bytes (generated files, manifest and lock file) whatever the
PYTHONHASHSEED, the working directory, the folder the project sits in, the order targets are
declared in and the order they are named on the command line."""

from __future__ import annotations

import shutil
from pathlib import Path

from ciproject import CI_DATA, codegen, tree

TARGETS = {
    "shop": 'spec = "specs/shop/openapi.yaml"\nout = "generated/shop"\noverlays = ["overlays/internal.overlay.yaml"]\n',
    "plain": 'spec = "specs/shop/openapi.yaml"\nout = "generated/plain"\npackage = "plain_shop"\n',
}


def _project(root: Path, order: list[str]) -> Path:
    shutil.copytree(CI_DATA / "shop", root / "specs" / "shop")
    shutil.copytree(CI_DATA / "overlays", root / "overlays")
    (root / "pyproject.toml").write_text("".join(f"[tool.codegen.targets.{n}]\n{TARGETS[n]}\n" for n in order))
    return root


def test_output_is_the_same_under_any_seed_cwd_location_and_order(tmp_path: Path) -> None:
    first = _project(tmp_path / "one", ["shop", "plain"])
    second = _project(tmp_path / "elsewhere" / "two", ["plain", "shop"])
    r1 = codegen("build", cwd=first, env={"PYTHONHASHSEED": "1"})
    r2 = codegen("build", "plain", "shop", "--config", str(second / "pyproject.toml"), cwd=tmp_path,
                 env={"PYTHONHASHSEED": "4242"})
    assert r1.returncode == 0 and r2.returncode == 0, r1.stderr + r2.stderr
    one, two = tree(first / "generated"), tree(second / "generated")
    assert {"shop/codegen.lock", "plain/codegen.lock", "shop/.codegen-manifest"} <= set(one)
    assert sorted(one) == sorted(two)
    assert [p for p in one if one[p] != two[p]] == []
    # and each build agrees the other's output is up to date
    r = codegen("check", "--config", str(second / "pyproject.toml"), cwd=first, env={"PYTHONHASHSEED": "7"})
    assert r.returncode == 0 and r.stdout == "plain: up to date\nshop: up to date\n"
