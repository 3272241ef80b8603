"""Hand edits in the output folder, reconciled with a new generation before it is written.

``reconcile(out, files)`` takes the files a build generated (the lock among them) and decides,
file by file, what the writer puts in ``out``:

* a file nobody touched since the last build (its sha256 is the one ``codegen.lock`` records)
  gets the new generation;
* a file edited by hand gets the three-way merge (``merge.merge3``) of the previous generation
  (from ``codegen.pristine``, checked against the lock's digest), the file as it is, and the new
  generation;
* a file listed in ``.codegenignore`` is left alone: not created, rewritten or deleted;
* a file edited by hand that the new generation no longer has is kept, and no longer owned;
* a file codegen did not write that sits where it now generates one is merged without a base:
  every difference is a conflict.

When any merge conflicts, the build writes only the conflicted files (with git's conflict
markers) and ``codegen.merging``, the new generation of those files: once the user has resolved
the markers, the next build merges the resolved file against that, so a resolution is never
undone or asked for twice.  Every other file stays as it was.

Reading is careful: only regular files are read as hand edits (a symbolic link is replaced, as
before), at most ``_MAX_BYTES`` each; nothing read here ever names a path that is written.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from generator.write import lock
from generator.write.ignorefile import IgnoreFile
from generator.write.merge import merge3, unresolved
from generator.write.pristine import MERGING_NAME, STORE_NAME, Store, header_digest, outputs_digest, pack
from generator.write.writer import MANIFEST, read_manifest

BOOKKEEPING = frozenset({lock.LOCK_NAME, STORE_NAME, MERGING_NAME, MANIFEST})
DROP = frozenset({MERGING_NAME})  # what a build that merged everything removes
_MAX_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class Conflict:
    path: str  # relative to the output folder
    start: int  # 1-based line range of the conflict block in the file, markers included
    end: int
    unresolved: bool = False  # markers left from an earlier build, not yet resolved

    def describe(self) -> str:
        if self.unresolved:
            return "conflict markers from the last build are still there"
        return "the hand edit and the new generation change the same lines"


@dataclass
class Plan:
    files: dict[str, str | bytes] = field(default_factory=dict)  # what a successful build writes
    keep: set[str] = field(default_factory=set)  # owned paths carried over untouched
    edited: list[str] = field(default_factory=list)  # generated files written with hand edits kept
    ignored: list[str] = field(default_factory=list)  # generated paths .codegenignore keeps out of reach
    orphaned: list[str] = field(default_factory=list)  # edited files no longer generated: kept, now the user's
    conflicts: list[Conflict] = field(default_factory=list)
    conflict_files: dict[str, str | bytes] = field(default_factory=dict)  # what a conflicted build writes


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_regular(path: Path) -> bytes | None:
    """The bytes of ``path`` if it is a regular file (not a link, device or pipe) of sane size."""
    try:
        info = os.lstat(path)
        if not stat.S_ISREG(info.st_mode) or info.st_size > _MAX_BYTES:
            return None
        with open(path, "rb") as fh:
            return fh.read(_MAX_BYTES + 1)[:_MAX_BYTES]
    except OSError:
        return None


def reconcile(out: Path, files: Mapping[str, str], discard: bool = False) -> Plan:
    """What to write for the generated ``files`` (path -> text, the lock among them).  With
    ``discard``, hand edits are not merged: every generated file is written as generated (the
    files ``.codegenignore`` lists still are not)."""
    plan = Plan()
    generated = {rel: text for rel, text in files.items() if rel not in BOOKKEEPING}
    ignore = IgnoreFile.load(out)
    if discard:
        plan.ignored = sorted(rel for rel in generated if ignore.matches(rel))
        plan.keep = set(plan.ignored)
        plan.files = {rel: text for rel, text in files.items() if rel not in plan.keep}
        plan.files[STORE_NAME] = _store_bytes(out, generated, Store(), {})
        return plan
    previous = lock.read(out)
    store = Store.read(out / STORE_NAME)
    if previous is not None:
        old_outputs = previous.outputs
        if store.digest != outputs_digest(old_outputs):
            store = Store()  # not the generation the lock describes: no base is taken from it
    else:  # no readable lock (another version's, say): the store alone says what was generated
        old_outputs = store.digests() or {}
    owned = set(read_manifest(out))
    merging = Store.read(out / MERGING_NAME) if (out / MERGING_NAME).exists() else Store()
    pending: dict[str, str] = {}  # the new generation of each conflicted file
    for rel in merging.paths():
        text = merging.get(rel)
        if text is not None and rel in generated:
            pending[rel] = text

    for rel, theirs in sorted(generated.items()):
        if ignore.matches(rel):
            plan.ignored.append(rel)
            plan.keep.add(rel)
            continue
        current = read_regular(out / rel)
        if current is None:
            plan.files[rel] = theirs
            continue
        ours = current.decode("utf-8", "surrogateescape")
        if ours == theirs:
            plan.files[rel] = theirs
            continue
        if rel in pending:
            left = unresolved(ours)
            if left:
                plan.conflicts += [Conflict(rel, a, b, unresolved=True) for a, b in left]
                continue
            base: str | None = pending[rel]
        else:
            old_digest = old_outputs.get(rel)
            if old_digest is not None and sha256(current) == old_digest:
                plan.files[rel] = theirs  # untouched since the last build
                continue
            if old_digest is None and rel in owned and previous is None:
                plan.files[rel] = theirs  # no record of what was generated: written as before
                continue
            if old_digest is None:
                base = None  # not generated before (a file of the user's where codegen now writes one)
            elif sha256(theirs.encode("utf-8")) == old_digest:
                base = theirs  # the generation did not change: the hand edit is all there is
            else:
                base = store.get(rel, old_digest)
        merged = merge3(base, ours, theirs, python=rel.endswith(".py"))
        if merged.conflicts:
            plan.conflicts += [Conflict(rel, a, b) for a, b in merged.conflicts]
            plan.conflict_files[rel] = merged.text
            pending[rel] = theirs
            continue
        plan.files[rel] = merged.text
        if merged.text != theirs:
            plan.edited.append(rel)

    # edited by hand, generated no more: the user's now (carried over, dropped from the manifest)
    for rel in sorted(set(old_outputs) - set(generated) - BOOKKEEPING):
        if rel not in owned or ignore.matches(rel):
            continue
        current = read_regular(out / rel)
        if current is not None and sha256(current) != old_outputs[rel]:
            plan.orphaned.append(rel)
            plan.keep.add(rel)

    plan.files.update({rel: files[rel] for rel in files if rel == lock.LOCK_NAME})
    plan.files[STORE_NAME] = _store_bytes(out, generated, store, old_outputs)
    if plan.conflicts:
        if pending:
            plan.conflict_files[MERGING_NAME] = pack(pending)
        plan.files = {}
    return plan


def _store_bytes(out: Path, generated: Mapping[str, str], previous: Store,
                 previous_digests: Mapping[str, str]) -> bytes:
    """The pristine store of ``generated``: the bytes already there when they hold the same
    files (so that a zlib of another version never makes a store differ), else a new one that
    takes the unchanged files' streams from the ``previous`` one."""
    digest = outputs_digest({rel: sha256(text.encode("utf-8")) for rel, text in generated.items()})
    existing = out / STORE_NAME
    if header_digest(existing) == digest:
        data = read_regular(existing)
        if data is not None:
            return data
    return pack(generated, previous, previous_digests)
