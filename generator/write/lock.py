"""The lock file: what a target's output was generated from, what it holds, and the names it gave.

``<out>/codegen.lock`` is JSON (sorted keys, two-space indent, ``\\n`` endings), written with the
output and committed with it:

* ``generator``: codegen's version, a digest of its output-shaping code, black's version;
* ``config``: the target's settings that shape the output (paths relative to the project);
* ``inputs``: sha256 of every spec file read (the root spec and every file reached by ``$ref``),
  every overlay and every template and runtime file;
* ``outputs``: sha256 of every generated file;
* ``names``: the name lock, spec location -> the Python name it got (a class, a field, a method
  or an argument), so that a spec change which would rename public API is reported.

``outputs`` are the files as generated, before any hand edit; their text is kept beside the lock in
``codegen.pristine`` (see ``pristine``), the base of the merge that keeps hand edits.

``status(target)`` answers "is the output up to date?" by hashing files only: no spec parsing,
no Jinja, no black.  It is what makes a no-op ``codegen build`` and ``codegen check`` fast.  While
the inputs match the lock, a build would merge every hand edit with an unchanged generation, which
keeps the edit as it is: so an edited generated file is reported as ``edited``, not stale.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import generator
from generator.config import Target, relpath
from generator.write.ignorefile import IgnoreFile
from generator.write.pristine import MERGING_NAME, STORE_NAME, header_digest, outputs_digest
from generator.write.writer import TreeDiff, diff_digests

LOCK_NAME = "codegen.lock"
LOCK_VERSION = 1
_PACKAGE_DIR = Path(generator.__file__).resolve().parent
# modules that cannot change what a build writes: their edits must not invalidate every lock
_NOT_OUTPUT_SHAPING = ("cli.py", "diff/revision.py", "importer/")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _file_digest(path: Path) -> str | None:
    try:
        return sha256(path.read_bytes())
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError, PermissionError):
        return None


def templates_dir() -> Path:
    """Where the templates are: the same rule as ``emit.runtime.templates_dir`` (checked by a test),
    kept here so the fast path never imports Jinja."""
    packaged = _PACKAGE_DIR / "templates"
    return packaged if packaged.is_dir() else _PACKAGE_DIR.parent / "templates"


@lru_cache(maxsize=1)
def generator_fingerprint() -> tuple[tuple[str, str], ...]:
    """codegen's version, a digest of its output-shaping code, and black's version."""
    lines = []
    for path in sorted(_PACKAGE_DIR.rglob("*.py")):
        rel = path.relative_to(_PACKAGE_DIR).as_posix()
        if rel.startswith("templates/") or any(rel == x or rel.startswith(x) for x in _NOT_OUTPUT_SHAPING):
            continue
        lines.append(f"{rel}\0{sha256(path.read_bytes())}\n")
    try:
        black = importlib.metadata.version("black")
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover - black is a dependency
        black = "unknown"
    return (("black", black), ("code", sha256("".join(lines).encode())), ("codegen", generator.__version__))


@lru_cache(maxsize=1)
def template_digests() -> tuple[tuple[str, str], ...]:
    root = templates_dir()
    return tuple((f"templates/{path.relative_to(root).as_posix()}", sha256(path.read_bytes()))
                 for path in sorted(root.rglob("*"))
                 if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc")


@dataclass(frozen=True)
class Lock:
    generator: dict[str, str]
    config: dict[str, Any]
    inputs: dict[str, dict[str, str]]  # "spec" / "overlays" / "templates" -> {path: sha256}
    outputs: dict[str, str]  # generated path -> sha256
    names: dict[str, str] = field(default_factory=dict)  # spec location -> Python name

    def text(self) -> str:
        data = {"lock_version": LOCK_VERSION, "generator": self.generator, "config": self.config,
                "inputs": self.inputs, "outputs": self.outputs, "names": self.names}
        return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"

    @classmethod
    def parse(cls, text: str) -> Lock | None:
        try:
            data = json.loads(text)
        except ValueError:
            return None
        if not isinstance(data, dict) or data.get("lock_version") != LOCK_VERSION:
            return None
        gen, config, inputs, outputs, names = (data.get(k) for k in ("generator", "config", "inputs", "outputs",
                                                                     "names"))
        if not (isinstance(gen, dict) and isinstance(config, dict) and isinstance(inputs, dict)
                and isinstance(outputs, dict) and isinstance(names, dict)):
            return None
        return cls(gen, config, inputs, outputs, names)


def make(target: Target, spec_files: Iterable[Path], files: Mapping[str, str], names: Mapping[str, str]) -> Lock:
    """The lock for ``files`` generated from ``spec_files`` (every file the loader read)."""
    return Lock(
        generator=dict(generator_fingerprint()),
        config=target.table(),
        inputs={
            "spec": {relpath(p, target.root): sha256(Path(p).read_bytes()) for p in spec_files},
            "overlays": {relpath(p, target.root): sha256(Path(p).read_bytes()) for p in target.overlays},
            "templates": dict(template_digests()),
        },
        outputs={rel: sha256(text.encode("utf-8")) for rel, text in files.items() if rel != LOCK_NAME},
        names=dict(names),
    )


def read(out: Path) -> Lock | None:
    try:
        return Lock.parse((out / LOCK_NAME).read_text(encoding="utf-8"))
    except (FileNotFoundError, NotADirectoryError, UnicodeDecodeError):
        return None


@dataclass
class Status:
    """Whether a target's output is up to date, found by hashing files only."""

    lock: Lock | None
    stale_inputs: list[str]  # why the inputs no longer match the lock; empty when they do
    outputs: TreeDiff  # the output folder against the lock (meaningful when the inputs match)

    @property
    def inputs_match(self) -> bool:
        return not self.stale_inputs

    @property
    def fresh(self) -> bool:
        return self.inputs_match and self.outputs.clean


def status(target: Target) -> Status:
    lock = read(target.out)
    if lock is None:
        return Status(None, [f"no readable {LOCK_NAME}"], TreeDiff())
    stale: list[str] = []
    if lock.generator != dict(generator_fingerprint()):
        stale.append("the generator changed")
    if lock.config != target.table():
        stale.append("the target's configuration changed")
    for kind in ("spec", "overlays"):
        recorded = lock.inputs.get(kind)
        if not isinstance(recorded, dict):
            stale.append(f"the lock has no {kind} inputs")
            continue
        for rel, digest in sorted(recorded.items()):
            if _file_digest(target.root / rel) != digest:
                stale.append(f"{rel} changed")
    if lock.inputs.get("templates") != dict(template_digests()):
        stale.append("the templates changed")
    if (target.out / MERGING_NAME).exists():
        stale.append("the last build stopped at merge conflicts")
    ignore = IgnoreFile.load(target.out)
    wanted = {rel: digest for rel, digest in lock.outputs.items() if not ignore.matches(rel)}
    wanted[LOCK_NAME] = sha256((target.out / LOCK_NAME).read_bytes())
    # the pristine store must hold the generation the lock describes (its first line says which)
    store = target.out / STORE_NAME
    matches = header_digest(store) == outputs_digest(lock.outputs)
    wanted[STORE_NAME] = (_file_digest(store) or "") if matches else ""
    keep = [rel for rel in lock.outputs if rel not in wanted]
    return Status(lock, stale, diff_digests(target.out, wanted, keep=keep, editable=lock.outputs))


@dataclass(frozen=True)
class Rename:
    location: str
    old: str
    new: str


def renames(old: Mapping[str, str], new: Mapping[str, str]) -> list[Rename]:
    """Spec locations whose Python name changed."""
    return [Rename(loc, old[loc], new[loc]) for loc in sorted(old.keys() & new.keys()) if old[loc] != new[loc]]
