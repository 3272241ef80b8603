"""Shared types of the client runtime and the ``NOT_GIVEN`` sentinel.

``NOT_GIVEN`` tells "the caller did not pass this argument" apart from ``None``
(which is a value: JSON ``null``, or "no timeout"). It is falsy, a singleton that
survives ``copy`` and ``pickle``, and its repr is ``NOT_GIVEN``.
"""

from __future__ import annotations

import os
from typing import (
    IO,
    TYPE_CHECKING,
    Any,
    ForwardRef,
    Mapping,
    Sequence,
    Tuple,
    TypedDict,
    Union,
)

if TYPE_CHECKING:
    import httpx

__all__ = [
    "NOT_GIVEN",
    "NotGiven",
    "Timeout",
    "Headers",
    "Query",
    "Body",
    "FileContent",
    "FileTypes",
    "Files",
    "RequestOptions",
    "is_given",
]


class NotGiven:
    """The type of ``NOT_GIVEN``: an argument that was not passed at all.

    ```python
    def update(name: str | None | NotGiven = NOT_GIVEN) -> None: ...

    update()            # sends nothing for "name"
    update(name=None)   # sends {"name": null}
    ```
    """

    __slots__ = ()
    _instance: NotGiven | None = None

    def __new__(cls) -> NotGiven:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"

    def __copy__(self) -> NotGiven:
        return self

    def __deepcopy__(self, memo: object) -> NotGiven:
        return self

    def __reduce__(self) -> str:
        # Pickled by name: unpickling looks up this module's NOT_GIVEN.
        return "NOT_GIVEN"


NOT_GIVEN = NotGiven()

if TYPE_CHECKING:
    Timeout = Union[float, httpx.Timeout, None]
else:  # httpx is imported by the first request, not by this alias; run-time
    # introspection (typing.get_type_hints) imports it when it resolves the name
    Timeout = Union[float, ForwardRef("__import__('httpx').Timeout"), None]
"""Seconds, an ``httpx.Timeout``, or ``None`` for no timeout at all."""

Headers = Mapping[str, Union[str, int, float, bool, None, NotGiven]]
"""Header values; ``NOT_GIVEN`` is skipped, ``None`` removes a default header."""

Query = Mapping[str, object]
"""Query values: scalars, sequences (repeated keys), mappings (``key[sub]=v``).

``NOT_GIVEN`` and ``None`` are skipped; ``True``/``False`` are sent as
``true``/``false``.
"""

Body = Mapping[str, object]
"""A JSON object body, or form fields."""

FileContent = Union[bytes, IO[bytes], os.PathLike[str]]
"""The content of an upload: bytes, a binary file object, or a path to open."""

FileTypes = Union[
    FileContent,
    Tuple[Union[str, None], FileContent],
    Tuple[Union[str, None], FileContent, Union[str, None]],
]
"""An upload: content, or ``(filename, content)``, or
``(filename, content, content_type)``. Without a filename, the path's or file
object's name is used (``"upload"`` for bytes); without a content type, it is
guessed from the filename."""

Files = Mapping[str, Union[FileTypes, Sequence[FileTypes], None, NotGiven]]
"""Multipart file fields; a sequence sends the field once per file;
``NOT_GIVEN``/``None`` leave the field out."""


class RequestOptions(TypedDict, total=False):
    """Per-call options that every generated method accepts and passes on."""

    extra_headers: Headers | None
    extra_query: Query | None
    extra_body: Body | None
    timeout: Timeout | NotGiven
    max_retries: int | NotGiven
    idempotency_key: str | NotGiven


def is_given(value: Any) -> bool:
    """True unless ``value`` is ``NOT_GIVEN``."""
    return not isinstance(value, NotGiven)
