"""Issue 7: a build that fails or is killed halfway leaves the output folder exactly as it was.

Each test runs ``codegen build`` in a child process with a fault planted in that process only: a
SIGKILL or a full disk after half of the new tree's files are written, a SIGKILL between the two
renames of the fallback swap or right after the atomic exchange, a template that fails to render.
The output folder is then compared byte for byte (and mode for mode) with what it held before.
"""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from ciproject import edit, make_project

REPO = Path(__file__).resolve().parent.parent

# Runs in the child: plants the fault named by $CODEGEN_FAULT, then runs the command line.
CHILD = r"""
import os, signal, sys
fault = os.environ["CODEGEN_FAULT"]
kind, _, arg = fault.partition(":")
import generator.write.writer as writer

def die():
    os.kill(os.getpid(), signal.SIGKILL)

if kind in ("kill-after-files", "enospc-after-files"):
    count = [0]
    def tick():
        count[0] += 1
        if count[0] == int(arg):
            if kind == "kill-after-files":
                die()
            raise OSError(28, "No space left on device")
    real_open, real_link = open, os.link
    def counted_open(file, mode="r", *a, **k):
        if "w" in mode and ".codegen-tmp-" in str(file):
            tick()
        return real_open(file, mode, *a, **k)
    def counted_link(src, dst, *a, **k):
        if ".codegen-tmp-" in str(dst):
            tick()
        return real_link(src, dst, *a, **k)
    writer.open = counted_open  # the writer's own file writes and links, nothing else
    writer.os.link = counted_link
elif kind == "kill-between-renames":  # the fallback swap (no renameat2): die after the first rename
    writer._renameat2_exchange = lambda a, b: False
    real_rename = os.rename
    def rename(src, dst):
        real_rename(src, dst)
        if str(dst).endswith("-old"):
            die()
    writer.os.rename = rename
elif kind == "kill-after-exchange":  # the new tree is in place, the old one not yet removed
    real_exchange = writer._renameat2_exchange
    def exchange(a, b):
        if not real_exchange(a, b):
            raise SystemExit("renameat2 is not available here")
        die()
    writer._renameat2_exchange = exchange
elif kind == "none":
    pass
elif kind == "broken-template":
    import generator.emit.render as render
    render.templates_dir = lambda: __import__("pathlib").Path(arg)
else:
    raise SystemExit(f"unknown fault {fault}")

import generator.cli
sys.argv = ["codegen", *sys.argv[1:]]
generator.cli.main()
"""


def snapshot(folder: Path) -> dict[str, tuple[str, int, bytes]]:
    """Every entry under ``folder``: kind, mode and content (a link's target)."""
    out: dict[str, tuple[str, int, bytes]] = {}
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            p = Path(root) / name
            info = p.lstat()
            rel = p.relative_to(folder).as_posix()
            if stat.S_ISLNK(info.st_mode):
                out[rel] = ("link", 0, os.readlink(p).encode())
            elif stat.S_ISDIR(info.st_mode):
                out[rel] = ("dir", stat.S_IMODE(info.st_mode), b"")
            else:
                out[rel] = ("file", stat.S_IMODE(info.st_mode), p.read_bytes())
    return out


_FROZEN: list[Path] = []


def frozen_codegen(root: Path) -> Path:
    """A copy of the generator and its templates, taken once: every build in these tests runs the
    same code, whatever is edited meanwhile in the working tree."""
    if not _FROZEN:
        for name in ("generator", "templates"):
            shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
        _FROZEN.append(root)
    return _FROZEN[0]


@pytest.fixture(autouse=True)
def _frozen(tmp_path_factory: pytest.TempPathFactory) -> None:
    if not _FROZEN:
        frozen_codegen(tmp_path_factory.mktemp("codegen"))


def child(project: Path, fault: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CODEGEN_FAULT": fault, "PYTHONPATH": str(_FROZEN[0]),
           "CODEGEN_CACHE_DIR": str(project / ".cache")}
    return subprocess.run([sys.executable, "-c", CHILD, *args], cwd=project, env=env, capture_output=True,
                          text=True, timeout=300)


def codegen(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return child(project, "none", *args)


def clean_build(root: Path) -> dict[str, tuple[str, int, bytes]]:
    """The tree a clean build of the changed project writes (package ``store``).  Made by each
    test when it needs it, so that templates edited meanwhile in the working tree cannot differ."""
    project = make_project(root)
    edit(project / "pyproject.toml", 'package = "shop"', 'package = "store"')
    r = codegen(project, "build")
    assert r.returncode == 0, r.stderr
    return snapshot(project / "generated" / "shop")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A built project (package ``shop``, a file of the user's in the output folder), then changed
    so that the next build rewrites every file (package ``store``)."""
    project = make_project(tmp_path / "project")
    r = codegen(project, "build")
    assert r.returncode == 0, r.stderr
    (project / "generated" / "shop" / "NOTES.md").write_text("mine, not codegen's\n")
    edit(project / "pyproject.toml", 'package = "shop"', 'package = "store"')
    return project


def _staging_leftovers(generated: Path) -> list[str]:
    return sorted(p.name for p in generated.iterdir() if p.name != "shop")


@pytest.mark.parametrize("fault", ["kill-after-files", "enospc-after-files"])
def test_killed_or_failing_halfway_through_the_files(fault: str, project: Path, tmp_path: Path) -> None:
    out = project / "generated" / "shop"
    before = snapshot(out)
    reference = clean_build(tmp_path / "reference")
    half = sum(kind == "file" for kind, _, _ in reference.values()) // 2
    r = child(project, f"{fault}:{half}", "build")
    if fault == "kill-after-files":
        assert r.returncode == -signal.SIGKILL, r.stderr
    else:
        assert r.returncode != 0 and "No space left on device" in r.stderr
    assert snapshot(out) == before
    leftovers = _staging_leftovers(project / "generated")
    if fault == "enospc-after-files":
        assert leftovers == []  # a failure cleans up after itself
    else:  # a SIGKILL leaves the half-written staging folder beside the output, never in it
        assert all(name.startswith(".shop.codegen-tmp-") for name in leftovers), leftovers
        assert len(leftovers) == 1
    # the next build goes through and writes exactly what a clean build writes
    r = codegen(project, "build")
    assert r.returncode == 0, r.stderr
    after = snapshot(out)
    assert after.pop("NOTES.md")[2] == b"mine, not codegen's\n"
    assert after == reference


def test_killed_between_the_two_renames_of_the_fallback_swap(project: Path) -> None:
    out = project / "generated" / "shop"
    before = snapshot(out)
    r = child(project, "kill-between-renames", "build")
    assert r.returncode == -signal.SIGKILL, r.stderr
    marker = project / "generated" / ".shop.codegen-swap"
    assert marker.exists() and not out.exists()  # the moment the marker exists for
    # the next run rolls the swap back first: with the old configuration nothing needs writing
    edit(project / "pyproject.toml", 'package = "store"', 'package = "shop"')
    r = codegen(project, "build", "--force")
    assert r.returncode == 0, r.stderr
    assert snapshot(out) == before
    assert not marker.exists()


def test_killed_right_after_the_atomic_exchange(project: Path, tmp_path: Path) -> None:
    r = child(project, "kill-after-exchange", "build")
    reference = clean_build(tmp_path / "reference")
    if "renameat2 is not available" in r.stderr:
        pytest.skip("this kernel has no renameat2(RENAME_EXCHANGE)")
    assert r.returncode == -signal.SIGKILL, r.stderr
    after = snapshot(project / "generated" / "shop")  # all of the new tree, nothing of the old
    assert after.pop("NOTES.md")[2] == b"mine, not codegen's\n"
    assert after == reference


def test_a_render_error_leaves_the_folder_untouched(project: Path, tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(_FROZEN[0] / "templates", templates)
    resource = templates / "client" / "resource.py.jinja"
    resource.write_text(resource.read_text() + "\n{{ no_such_variable.attribute }}\n")
    out = project / "generated" / "shop"
    before = snapshot(out)
    r = child(project, f"broken-template:{templates}", "build")
    assert r.returncode != 0
    assert "no_such_variable" in r.stderr
    assert snapshot(out) == before
    assert _staging_leftovers(project / "generated") == []


def test_a_spec_with_errors_leaves_the_folder_untouched(project: Path) -> None:
    out = project / "generated" / "shop"
    before = snapshot(out)
    edit(project / "specs" / "shop" / "openapi.yaml", "openapi:", "swagger: '2.0'\nopenapi:")
    r = codegen(project, "build")
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert snapshot(out) == before
    assert _staging_leftovers(project / "generated") == []
