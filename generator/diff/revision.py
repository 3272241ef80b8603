"""A target's inputs as they were at a git revision, copied into a folder (for ``codegen diff --rev``).

The target's declaration is read from the config file at that revision when it has one there,
else from the working tree; then its spec folder (``$ref`` never leaves it) and its overlays are
exported from git into ``dest`` at the same paths relative to the repository's top level.
"""

from __future__ import annotations

import io
import subprocess
import tarfile
from dataclasses import replace
from pathlib import Path

from generator.config import ConfigError, Target, load_config


def target_at(target: Target, config_path: Path, rev: str, dest: Path) -> Target:
    """``target`` as declared and written at ``rev``, with its files under ``dest``."""
    dest = dest.resolve()
    top = Path(_git(config_path.resolve().parent, "rev-parse", "--show-toplevel").decode().strip())
    _git(top, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    config_rel = _rel(config_path.resolve(), top)
    old: Target | None = None
    if _exists(top, rev, config_rel):
        _export(top, rev, [config_rel], dest)
        try:
            old = load_config(dest / config_rel).targets.get(target.name)
        except ConfigError:
            old = None
    if old is None:  # not declared at the revision: today's declaration, on the revision's files
        old = _reroot(target, top, dest)
    paths = [_rel(old.spec.parent, dest), *(_rel(o, dest) for o in old.overlays)]
    spec_rel = _rel(old.spec, dest)
    if not _exists(top, rev, spec_rel):
        raise ConfigError(f"{spec_rel} does not exist at {rev}")
    _export(top, rev, [p for p in paths if _exists(top, rev, p)], dest)
    return old


def _reroot(target: Target, top: Path, dest: Path) -> Target:
    def move(p: Path) -> Path:
        return dest / _rel(p.resolve(), top)

    return replace(target, spec=move(target.spec), overlays=tuple(move(o) for o in target.overlays),
                   root=move(target.root))


def _rel(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        raise ConfigError(f"{path} is outside the git repository {root}") from None


def _git(cwd: Path, *args: str) -> bytes:
    proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    if proc.returncode != 0:
        message = proc.stderr.decode(errors="replace").strip().splitlines()
        raise ConfigError(f"git {' '.join(args)}: {message[-1] if message else 'failed'}")
    return proc.stdout


def _exists(top: Path, rev: str, path: str) -> bool:
    return subprocess.run(["git", "cat-file", "-e", f"{rev}:{path}"], cwd=top, capture_output=True,
                          check=False).returncode == 0


def _export(top: Path, rev: str, paths: list[str], dest: Path) -> None:
    if not paths:
        return
    data = _git(top, "archive", "--format=tar", rev, "--", *paths)
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        tar.extractall(dest, filter="data")
