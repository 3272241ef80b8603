"""The pristine store: the text of every file as codegen generated it, before any hand edit.

``<out>/codegen.pristine`` is written with the output and committed with it.  It is the base of
the three-way merge that keeps hand edits through regeneration, so it has to be there without
network and without any particular git history.  Its format::

    codegen pristine 1 <sha256 of the lock's outputs table>\\n
    <compressed size> <path>\\n            one line per file, sorted by path
    \\n
    <the files' zlib streams, in the same order>

Each file is compressed on its own (zlib level 9, deterministic for a given text), so a
regeneration that changes a few files leaves the other files' bytes as they were: git's delta
compression stores little more than the changed files' streams.  The first line ties the store
to the lock: :func:`outputs_digest` of ``codegen.lock``'s ``outputs``, readable without
decompressing anything (the no-op build reads only that line); each file taken out is checked
against the sha256 the lock records for it before it is trusted as a merge base.

``codegen.merging`` has the same format: while a merge has conflicts, it holds the new
generation of the conflicted files, the base of the next merge once the user has resolved them.
"""

from __future__ import annotations

import hashlib
import os
import stat
import zlib
from collections.abc import Mapping
from pathlib import Path

STORE_NAME = "codegen.pristine"
MERGING_NAME = "codegen.merging"
_MAGIC = b"codegen pristine 1 "
_MAX_BYTES = 64 * 1024 * 1024  # no store is larger
_MAX_FILE = 16 * 1024 * 1024  # and no file taken out of it (codegen writes none that large)


def outputs_digest(outputs: Mapping[str, str]) -> str:
    """One digest of a lock's ``outputs`` table (path -> sha256)."""
    return hashlib.sha256("".join(f"{rel}\0{outputs[rel]}\n" for rel in sorted(outputs)).encode()).hexdigest()


def pack(files: Mapping[str, str], previous: Store | None = None, previous_digests: Mapping[str, str] = {}) -> bytes:
    """The store of ``files`` (path -> text).  A file whose sha256 is the one ``previous_digests``
    gives it keeps its stream from ``previous`` (the store those digests describe): no work, and
    the same bytes whatever zlib would make of it today."""
    digests = {rel: hashlib.sha256(text.encode("utf-8")).hexdigest() for rel, text in files.items()}
    streams = []
    index = [_MAGIC + outputs_digest(digests).encode() + b"\n"]
    for rel in sorted(files):
        if "\n" in rel or "\r" in rel:
            raise ValueError(f"cannot store the path {rel!r}")
        stream = None
        unchanged = previous is not None and previous_digests.get(rel) == digests[rel]
        if unchanged and previous is not None and previous.get(rel, digests[rel]) is not None:
            stream = previous._streams[rel]  # checked: it inflates to this very text
        if stream is None:
            stream = zlib.compress(files[rel].encode("utf-8"), 9)
        streams.append(stream)
        index.append(f"{len(stream)} {rel}\n".encode())
    return b"".join(index) + b"\n" + b"".join(streams)


def header_digest(path: Path) -> str | None:
    """The digest on the store's first line, reading only that line (None if unreadable, or not
    a regular file: a pipe put there is never opened)."""
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            return None
        with open(path, "rb") as fh:
            first = fh.readline(len(_MAGIC) + 70)
    except OSError:
        return None
    if not first.startswith(_MAGIC) or not first.endswith(b"\n"):
        return None
    return first[len(_MAGIC):-1].decode("ascii", "replace")


class Store:
    """A store read back: ``get(rel, sha256)`` gives a file's text when the store holds it and it
    has that digest; anything damaged or missing reads as absent, never as an error."""

    def __init__(self, data: bytes = b"") -> None:
        self.digest: str | None = None
        self._streams: dict[str, bytes] = {}
        if not data.startswith(_MAGIC):
            return
        head, sep, body = data.partition(b"\n\n")
        if not sep:
            return
        first, *rows = head.split(b"\n")
        offset = 0
        for row in rows:
            size_text, _, rel_bytes = row.partition(b" ")
            if not size_text.isdigit():
                return
            size = int(size_text)
            self._streams[rel_bytes.decode("utf-8", "replace")] = body[offset:offset + size]
            offset += size
        self.digest = first[len(_MAGIC):].decode("ascii", "replace")

    @classmethod
    def read(cls, path: Path) -> Store:
        try:
            if not path.is_file() or path.is_symlink() or path.stat().st_size > _MAX_BYTES:
                return cls()
            return cls(path.read_bytes())
        except OSError:
            return cls()

    def paths(self) -> list[str]:
        return sorted(self._streams)

    def digests(self) -> dict[str, str] | None:
        """path -> sha256 of every file, if every file inflates and they are the files the first
        line describes (a store that vouches for itself, when no lock can); else None."""
        found = {}
        for rel in self._streams:
            text = self.get(rel)
            if text is None:
                return None
            found[rel] = hashlib.sha256(text.encode("utf-8")).hexdigest()
        return found if self.digest is not None and outputs_digest(found) == self.digest else None

    def get(self, rel: str, sha256: str | None = None) -> str | None:
        stream = self._streams.get(rel)
        if stream is None:
            return None
        try:
            inflater = zlib.decompressobj()
            data = inflater.decompress(stream, _MAX_FILE)
            if inflater.unconsumed_tail or not inflater.eof:
                return None  # larger than any file codegen writes, or cut short
            text = data.decode("utf-8")
        except (zlib.error, UnicodeDecodeError):
            return None
        if sha256 is not None and hashlib.sha256(data).hexdigest() != sha256:
            return None
        return text
