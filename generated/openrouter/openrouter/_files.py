"""Multipart uploads: files from bytes, a path or a binary file object.

``Uploads`` turns the user's ``files=`` mapping into httpx's file tuples, opening
paths and closing what it opened when the call is over; ``NOT_GIVEN`` and
``None`` values are left out. File objects are
rewound by httpx before each attempt, so retries send the same bytes.
"""

from __future__ import annotations

import io
import os
from typing import IO, Sequence

from ._types import FileContent, Files, FileTypes, NotGiven

__all__ = ["Uploads", "HttpxFile"]

HttpxFile = tuple[str, tuple[str | None, bytes | IO[bytes], str | None]]
"""One multipart file field as httpx takes it: (field, (filename, content, type))."""


class Uploads:
    """The files of one call; ``close()`` closes the files opened from paths."""

    def __init__(self, files: Files | None) -> None:
        self._opened: list[IO[bytes]] = []
        self.fields: list[HttpxFile] = []
        try:
            for name, value in (files or {}).items():
                if value is None or isinstance(value, NotGiven):
                    continue  # an optional upload left out
                for item in _items(value):
                    self.fields.append((name, self._convert(item)))
        except BaseException:
            self.close()
            raise

    def _convert(
        self, item: FileTypes
    ) -> tuple[str | None, bytes | IO[bytes], str | None]:
        if isinstance(item, tuple):
            filename = item[0]
            content = self._content(item[1])
            content_type = item[2] if len(item) == 3 else None
            return (filename, content, content_type)
        content = self._content(item)
        return (_default_filename(item), content, None)

    def _content(self, content: FileContent) -> bytes | IO[bytes]:
        if isinstance(content, os.PathLike):
            opened = open(os.fspath(content), "rb")
            self._opened.append(opened)
            return opened
        if isinstance(content, (io.TextIOBase, str)):
            raise TypeError("uploads must be bytes, a path, or a binary file object")
        return content

    def close(self) -> None:
        for opened in self._opened:
            opened.close()
        self._opened.clear()


def _items(value: FileTypes | Sequence[FileTypes]) -> list[FileTypes]:
    if isinstance(value, list):
        return list(value)
    if isinstance(value, tuple) and value and isinstance(value[0], (tuple, list)):
        return list(value)
    return [value]  # type: ignore[list-item]


def _default_filename(content: FileContent) -> str:
    if isinstance(content, os.PathLike):
        return os.path.basename(os.fspath(content))
    name = getattr(content, "name", None)
    if isinstance(name, str) and name:
        return os.path.basename(name)
    return "upload"
