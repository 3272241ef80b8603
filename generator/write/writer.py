"""The only stage that touches the output folder.

``write_tree(out, files)`` makes ``out`` hold exactly ``files`` (relative POSIX path -> text) plus
whatever it holds that codegen does not own, or leaves it untouched when anything fails:

1. the new tree is staged in a sibling temporary folder (same file system); a file whose content
   is unchanged is hard-linked, not rewritten, so only changed files get a new inode and mtime;
2. files in ``out`` that codegen does not own (not listed in its manifest) are carried over;
3. the two folders are swapped in one ``renameat2(RENAME_EXCHANGE)`` where the kernel offers it,
   else by two renames guarded by a recovery marker that the next run rolls back;
4. the old tree is removed.

``diff_tree`` is the read-only twin used by ``codegen check``; ``diff_digests`` does the same for
files known only by their sha256 (from a lock file).

Two variations serve hand edits (``handedits``): ``keep`` names owned files that are carried over
untouched and no longer owned (files listed in ``.codegenignore``, edited files no longer
generated), ``drop`` names files of ``out`` that go although codegen does not own them (the state
of a merge once it is done), and ``partial=True`` writes ``files`` and leaves everything else in
``out`` as it is, the manifest included (a build stopped by merge conflicts writes just the
conflicted files that way).  A file's text may
carry lone surrogates (bytes of a hand edit that are not UTF-8, kept as they were) or be bytes.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import hashlib
import os
import shutil
import tempfile
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

MANIFEST = ".codegen-manifest"


class UnsafePathError(ValueError):
    pass


def check_relpath(rel: str) -> str:
    """Refuse any path that could land outside the target folder."""
    if not rel or "\x00" in rel or "\\" in rel:
        raise UnsafePathError(f"refusing to write unsafe path {rel!r}")
    p = PurePosixPath(rel)
    if p.is_absolute() or any(part in ("..", ".", "") for part in rel.split("/")):
        raise UnsafePathError(f"refusing to write unsafe path {rel!r}")
    return str(p)


@dataclass
class TreeDiff:
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    edited: list[str] = field(default_factory=list)  # generated files that carry hand edits (not stale)

    @property
    def clean(self) -> bool:
        return not (self.added or self.removed or self.changed)

    def summary(self) -> str:
        return f"{len(self.added)} added, {len(self.removed)} removed, {len(self.changed)} changed"


def read_manifest(out: Path) -> list[str]:
    try:
        text = (out / MANIFEST).read_text(encoding="utf-8")
    except (FileNotFoundError, NotADirectoryError):
        return []
    owned = []
    for line in text.splitlines():
        line = line.strip()
        if line:
            try:
                owned.append(check_relpath(line))
            except UnsafePathError:
                continue  # a tampered manifest never makes us delete outside `out`
    return owned


def diff_tree(out: Path, files: Mapping[str, str | bytes], keep: Collection[str] = (),
              partial: bool = False, drop: Collection[str] = ()) -> TreeDiff:
    """What ``write_tree(out, files, keep, partial, drop)`` would change, computed without writing."""
    return diff_digests(out, {rel: _digest(_encode(text)) for rel, text in files.items()}, keep, partial=partial,
                        drop=drop)


def diff_digests(out: Path, digests: Mapping[str, str], keep: Collection[str] = (), editable: Collection[str] = (),
                 partial: bool = False, drop: Collection[str] = ()) -> TreeDiff:
    """``diff_tree`` for files known by their sha256 only (as a lock file records them).  A regular
    file in ``editable`` whose content differs is reported as ``edited``, not ``changed``."""
    diff = TreeDiff()
    wanted = dict(digests)
    owned = read_manifest(out)
    wanted[MANIFEST] = _digest(manifest_text(_manifest_names(owned, digests, keep, partial)).encode("utf-8"))
    for rel in sorted(wanted):
        try:
            current = (out / rel).read_bytes()
        except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
            diff.added.append(rel)
            continue
        if _digest(current) != wanted[rel]:
            edited = rel in editable and not (out / rel).is_symlink()
            (diff.edited if edited else diff.changed).append(rel)
    if not partial:
        for rel in sorted(set(owned) | set(drop)):
            if rel not in wanted and rel not in keep and (out / rel).exists():
                diff.removed.append(rel)
    return diff


def _manifest_names(owned: Collection[str], files: Collection[str], keep: Collection[str],
                    partial: bool) -> dict[str, None]:
    """The paths the new manifest lists: the files written (in a partial write, those owned before)."""
    names = set(owned) if partial else set(files)
    return dict.fromkeys(sorted(names - (set(keep) - set(files))))


def _encode(text: str | bytes) -> bytes:
    return text if isinstance(text, bytes) else text.encode("utf-8", "surrogateescape")


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def manifest_text(files: Collection[str]) -> str:
    return "".join(f"{rel}\n" for rel in sorted(files))


def write_tree(out: Path, files: Mapping[str, str | bytes], keep: Collection[str] = (),
               partial: bool = False, drop: Collection[str] = ()) -> TreeDiff:
    """Atomically replace the codegen-owned content of ``out`` with ``files`` (with ``partial``,
    only the files named; with ``keep``, carrying those owned files over untouched)."""
    for rel in files:
        check_relpath(rel)
    out = out.absolute()
    recover(out)
    _remove_stale_stages(out)
    diff = diff_tree(out, files, keep, partial, drop)
    if diff.clean:
        return diff
    out.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f"{_stage_prefix(out)}{os.getpid()}-", dir=out.parent))
    try:
        os.chmod(stage, _folder_mode(out))
        _stage(stage, out, files, set(diff.added) | set(diff.changed), set(keep), partial, set(drop))
        if out.exists():
            _swap(stage, out)
            shutil.rmtree(stage)  # `stage` now holds the old tree
        else:
            os.rename(stage, out)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    return diff


def _folder_mode(out: Path) -> int:
    """The mode the output folder has (or a fresh folder would get), not mkdtemp's 0700."""
    try:
        return out.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o777 & ~umask


def _stage(stage: Path, out: Path, files: Mapping[str, str | bytes], new: set[str], keep: set[str],
           partial: bool, drop: set[str]) -> None:
    """The new tree in ``stage``: ``files`` (written where in ``new``, else hard-linked from
    ``out``, whose file ``diff_tree`` found to hold the same bytes) and what the user put in ``out``
    (with ``partial``, everything else in ``out``)."""
    previous = read_manifest(out)
    owned = ({MANIFEST} if partial else (set(previous) - keep) | drop) | {MANIFEST}
    if out.is_dir():
        # carry over what the user put there; hard links keep it cheap
        for root, _dirs, names in os.walk(out):
            for name in names:
                src = Path(root) / name
                rel = src.relative_to(out).as_posix()
                if rel in owned or rel in files:
                    continue
                dst = stage / rel
                dst.parent.mkdir(parents=True, exist_ok=True)
                try:
                    os.link(src, dst, follow_symlinks=False)
                except OSError:
                    shutil.copy2(src, dst, follow_symlinks=False)
    for rel, text in sorted(files.items()):
        dst = stage / rel
        dst.parent.mkdir(parents=True, exist_ok=True, mode=_folder_mode(out))
        if rel not in new and _link(out / rel, dst):
            continue  # unchanged: the same file (inode, mtime) moves to the new tree
        with open(dst, "wb") as fh:
            fh.write(_encode(text))
    if MANIFEST in new or not _link(out / MANIFEST, stage / MANIFEST):
        listed = _manifest_names(previous, files, keep, partial)
        (stage / MANIFEST).write_bytes(manifest_text(listed).encode("utf-8"))


def _link(src: Path, dst: Path) -> bool:
    """Hard-link ``src`` (a regular file, not a symbolic link) as ``dst``; False if it cannot be."""
    try:
        if src.is_symlink():
            return False
        os.link(src, dst, follow_symlinks=False)
    except OSError:
        return False
    return True


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _renameat2_exchange(a: Path, b: Path) -> bool:
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    try:
        libc = ctypes.CDLL(libc_name, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    rc = fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return bool(rc == 0)


def _marker(out: Path) -> Path:
    return out.parent / f".{out.name}.codegen-swap"


def _swap(stage: Path, out: Path) -> None:
    """Exchange ``stage`` and ``out``; afterwards ``stage`` holds the old tree."""
    if _renameat2_exchange(stage, out):
        return
    # Fallback: two renames.  The marker names the old tree so that `recover` can undo a
    # half-done swap if the process dies between the renames.
    old = stage.with_name(stage.name + "-old")
    marker = _marker(out)
    marker.write_text(str(old), encoding="utf-8")
    os.rename(out, old)
    os.rename(stage, out)
    os.rename(old, stage)
    marker.unlink()


def _stage_prefix(out: Path) -> str:
    return f".{out.name}.codegen-tmp-"


def _remove_stale_stages(out: Path) -> None:
    """Staging folders left beside ``out`` by a build that was killed: their process is gone.
    (A live build's folder, and one named by a pending recovery marker, are left alone.)"""
    prefix = _stage_prefix(out)
    try:
        candidates = [p for p in out.parent.iterdir() if p.name.startswith(prefix) and p.is_dir()]
    except OSError:
        return
    for folder in candidates:
        pid_text = folder.name[len(prefix):].split("-", 1)[0]
        if not pid_text.isdigit() or int(pid_text) == os.getpid() or _alive(int(pid_text)):
            continue
        shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, but not ours to signal
        return True
    return True


def recover(out: Path) -> None:
    """Undo a swap that was interrupted between its two renames."""
    marker = _marker(out)
    if not marker.exists():
        return
    old = Path(marker.read_text(encoding="utf-8").strip())
    if old.parent == out.parent and old.is_dir() and not out.exists():
        os.rename(old, out)
    marker.unlink()
