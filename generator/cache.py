"""Results of pure, slow steps kept on disk by content hash, so unchanged input is not redone.

Used by ``format`` (black's output per generated file) and ``validator`` (the diagnostics of a
spec).  The rules that keep it harmless:

* **Output never depends on it.**  A key is the sha256 of *everything* the value depends on (the
  input bytes plus the tool's version and options, which callers pass in); a hit returns exactly
  what the work would have produced, a miss does the work.
* **Corruption is a miss.**  Every entry carries the sha256 of its payload; an entry that is
  truncated, edited or unreadable is ignored and removed.
* **Safe with concurrent runs.**  Entries are written to a temporary file in the same folder and
  renamed into place (atomic); two runs writing one key write the same bytes.  An entry removed
  by another run's pruning between "exists" and "read" is just a miss.
* **Bounded.**  Past ``max_bytes`` per namespace, the least recently used entries are removed.
* **Optional.**  Any file-system problem turns the cache off for that call, never the run.

Location: ``$CODEGEN_CACHE_DIR``, else ``$XDG_CACHE_HOME/codegen``, else ``~/.cache/codegen``.
``CODEGEN_NO_CACHE=1`` turns it off.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
from pathlib import Path

FORMAT_VERSION = b"codegen-cache 1\n"
DEFAULT_MAX_BYTES = 256 * 1024 * 1024
_TOUCH_AFTER = 24 * 3600  # a hit refreshes an entry's age at most once a day (one syscall saved per hit)


def cache_root() -> Path | None:
    """The cache folder (not created here), or None when caching is turned off."""
    if os.environ.get("CODEGEN_NO_CACHE", "").strip() not in ("", "0"):
        return None
    explicit = os.environ.get("CODEGEN_CACHE_DIR")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg and os.path.isabs(xdg) else Path.home() / ".cache"
    return base / "codegen"


def digest(*parts: str | bytes) -> str:
    """sha256 over ``parts``, each length-prefixed so that ("ab", "c") and ("a", "bc") differ."""
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


class Cache:
    """One namespace of entries (``<root>/<namespace>/<key>``)."""

    def __init__(self, folder: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.folder = folder
        self.max_bytes = max_bytes
        self._ready = False

    def _path(self, key: str) -> Path:
        if len(key) != 64 or not all(c in "0123456789abcdef" for c in key):
            raise ValueError(f"cache keys are sha256 hex digests, not {key!r}")
        return self.folder / key

    def get(self, key: str) -> bytes | None:
        path = self._path(key)
        try:
            with open(path, "rb") as fh:
                data = fh.read()
                mtime = os.fstat(fh.fileno()).st_mtime
        except OSError:
            return None
        payload = _unwrap(data)
        if payload is None:
            _remove(path)
            return None
        if time.time() - mtime > _TOUCH_AFTER:
            try:
                os.utime(path)
            except OSError:
                pass
        return payload

    def put(self, key: str, payload: bytes) -> None:
        path = self._path(key)
        try:
            if not self._ready:
                self.folder.mkdir(parents=True, exist_ok=True)
                self._ready = True
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=self.folder)
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(_wrap(payload))
                os.replace(tmp, path)
            except BaseException:
                _remove(Path(tmp))
                raise
        except OSError:
            return

    def prune(self) -> None:
        """Remove the least recently used entries while the namespace holds more than max_bytes."""
        entries = []
        total = 0
        now = time.time()
        try:
            with os.scandir(self.folder) as it:
                for entry in it:
                    try:
                        st = entry.stat(follow_symlinks=False)
                    except OSError:
                        continue
                    if entry.name.startswith(".tmp-"):
                        if now - st.st_mtime > 3600:  # left behind by a killed run
                            _remove(Path(entry.path))
                        continue
                    entries.append((st.st_mtime, st.st_size, entry.path))
                    total += st.st_size
        except OSError:
            return
        if total <= self.max_bytes:
            return
        target = self.max_bytes * 3 // 4  # some headroom, so pruning is not needed on every run
        for _, size, path in sorted(entries):
            if total <= target:
                break
            _remove(Path(path))
            total -= size


def open_cache(namespace: str, max_bytes: int = DEFAULT_MAX_BYTES) -> Cache | None:
    root = cache_root()
    if root is None:
        return None
    return Cache(root / namespace, max_bytes)


def _wrap(payload: bytes) -> bytes:
    return FORMAT_VERSION + hashlib.sha256(payload).hexdigest().encode("ascii") + b"\n" + payload


def _unwrap(data: bytes) -> bytes | None:
    head = len(FORMAT_VERSION)
    if not data.startswith(FORMAT_VERSION) or len(data) < head + 65 or data[head + 64:head + 65] != b"\n":
        return None
    payload = data[head + 65:]
    if hashlib.sha256(payload).hexdigest().encode("ascii") != data[head:head + 64]:
        return None
    return payload


def _remove(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass
