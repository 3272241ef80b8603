"""The sync runtime, derived from its async source: one request loop, stream and page, two APIs.

``templates/runtime/_async_*.py`` are written by hand; every generated package also gets the
``_sync_*.py`` module each of them derives, made mechanically when the runtime is read
(``generator.emit.runtime``), as httpcore makes its sync connection pool from the async one.
Nothing sync is written twice, and nothing derived is committed beside its source.

The rewrite works on Python tokens, so it never touches part of a name:

- the keywords ``async`` (before ``def``, ``with``, ``for``) and ``await`` are dropped;
- names are renamed by ``RENAMES`` (``AsyncIterator`` -> ``Iterator``, ``__aenter__`` ->
  ``__enter__``, ``aclose`` -> ``close``, ``asyncio.sleep`` -> ``time.sleep``, ``_aread`` ->
  ``_read``, ``AsyncAPIClient`` -> ``SyncAPIClient``, ...), then by two rules: an ``Async``
  prefix before a capital is dropped (``AsyncStream`` -> ``Stream``, ``httpx.AsyncClient`` ->
  ``httpx.Client``) and ``_async_`` becomes ``_sync_`` (``_async_streaming`` ->
  ``_sync_streaming``);
- the same renames apply to the words of strings and comments (``cast("AsyncStream[T]", ...)``,
  error messages, docstrings), so write prose that reads right either way;
- ``AsyncGenerator[Y, S]`` becomes ``Generator[Y, S, None]``;
- lines from ``# unasync: async only`` to ``# unasync: end`` (both included) are left out: code
  with no sync counterpart, such as ``AsyncAPIClient.close()``, the alias of ``aclose()``.

No black pass: the async source is written so that its derived text is already what black
writes (a bracket that the shorter sync names would let black join keeps a magic trailing
comma); the test suite checks that black leaves every derived module as it is.
"""

from __future__ import annotations

import io
import re
import tokenize

SOURCE_PREFIX = "_async_"
DERIVED_PREFIX = "_sync_"

BLOCK_START = "# unasync: async only"
BLOCK_END = "# unasync: end"

# Names whose sync counterpart is not the name without "Async" (checked before the rules).
RENAMES = {
    # typing, and the protocols' special methods
    "AsyncIterator": "Iterator",
    "AsyncIterable": "Iterable",
    "AsyncGenerator": "Generator",
    "__aenter__": "__enter__",
    "__aexit__": "__exit__",
    "__aiter__": "__iter__",
    "__anext__": "__next__",
    # httpx's and asyncio's I/O
    "aclose": "close",
    "aread": "read",
    "aiter_bytes": "iter_bytes",
    "asyncio": "time",  # only asyncio.sleep has a counterpart (time.sleep): see _check_asyncio
    # the runtime's own names
    "AsyncAPIClient": "SyncAPIClient",
    "AsyncAPIResource": "SyncAPIResource",
    "AsyncPage": "SyncPage",
    "_aread": "_read",
    "_akeep_tail": "_keep_tail",
    "aiter_events": "iter_events",
    # prose
    "asynchronous": "synchronous",
}

_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# token types whose text is prose or a literal: their words are renamed, nothing else
_TEXT_TOKENS = {tokenize.STRING, tokenize.COMMENT} | (
    {tokenize.FSTRING_MIDDLE} if hasattr(tokenize, "FSTRING_MIDDLE") else set()
)


class UnasyncError(Exception):
    """The async source uses something that has no sync counterpart."""


def rename(name: str) -> str:
    """The sync counterpart of one name (a name without one is returned as it is)."""
    if name in RENAMES:
        return RENAMES[name]
    if name.startswith("Async") and name[5:6].isupper():
        return name[5:]
    if name.startswith(SOURCE_PREFIX):
        return DERIVED_PREFIX + name[len(SOURCE_PREFIX) :]
    return name


def _rename_words(text: str) -> str:
    return _WORD.sub(lambda m: rename(m.group()), text)


def _drop_async_only(source: str) -> str:
    """The source without its ``# unasync: async only`` ... ``# unasync: end`` blocks.  A blank
    line on both sides of a block is kept once, as black would write the code without it."""
    kept: list[str] = []
    inside = False
    dropped = False  # a block was just left out: a blank line after it may be one too many
    for number, line in enumerate(source.splitlines(keepends=True), start=1):
        marker = line.strip()
        if marker == BLOCK_START:
            if inside:
                raise UnasyncError(f"line {number}: {BLOCK_START!r} inside another block")
            inside = True
        elif marker == BLOCK_END:
            if not inside:
                raise UnasyncError(f"line {number}: {BLOCK_END!r} without {BLOCK_START!r}")
            inside, dropped = False, True
        elif not inside:
            if not (dropped and not marker and kept and not kept[-1].strip()):
                kept.append(line)
            dropped = False
    if inside:
        raise UnasyncError(f"{BLOCK_START!r} without {BLOCK_END!r}")
    return "".join(kept)


def unasync_tokens(source: str) -> str:
    """The token rewrite alone (no header, no black): ``source`` with its async parts made sync."""
    source = _drop_async_only(source)
    lines = source.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))

    def offset(position: tuple[int, int]) -> int:
        row, column = position
        return starts[row - 1] + column

    tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    out: list[str] = []
    copied = 0  # source offset up to which the output is written
    closers: list[int] = []  # bracket depths at which an AsyncGenerator[...] gets ", None"
    depth = 0
    for index, token in enumerate(tokens):
        start, end = offset(token.start), offset(token.end)
        out.append(source[copied:start])
        copied = end
        text = token.string
        if token.type == tokenize.NAME and text in ("async", "await"):
            following = tokens[index + 1]
            if text == "async" and following.string not in ("def", "with", "for"):
                raise UnasyncError(f"line {token.start[0]}: 'async' before {following.string!r}")
            copied = offset(following.start)  # the keyword and the space after it
            continue
        if token.type == tokenize.NAME:
            if text == "asyncio":
                _check_asyncio(tokens, index)
            if text == "AsyncGenerator" and tokens[index + 1].string == "[":
                closers.append(depth + 1)
            text = rename(text)
        elif token.type in _TEXT_TOKENS:
            text = _rename_words(text)
        elif token.type == tokenize.OP and text in "([{":
            depth += 1
        elif token.type == tokenize.OP and text in ")]}":
            if closers and closers[-1] == depth:
                closers.pop()
                text = ", None" + text
            depth -= 1
        out.append(text)
    out.append(source[copied:])
    return "".join(out)


def _check_asyncio(tokens: list[tokenize.TokenInfo], index: int) -> None:
    """``import asyncio`` and ``asyncio.sleep`` have sync counterparts; nothing else does."""
    previous = tokens[index - 1].string if index else ""
    following = [t.string for t in tokens[index + 1 : index + 3]]
    if previous == "import" or following == [".", "sleep"]:
        return
    raise UnasyncError(
        f"line {tokens[index].start[0]}: asyncio.{following[-1]} has no sync counterpart"
    )


def header(source_name: str) -> str:
    return f"# Code generated by codegen from {source_name}; DO NOT EDIT.\n"


def derive(source: str, source_name: str) -> str:
    """The derived sync module for the async module ``source`` (named ``source_name``)."""
    try:
        return header(source_name) + unasync_tokens(source)
    except (UnasyncError, tokenize.TokenError, SyntaxError) as exc:
        raise UnasyncError(f"{source_name}: {exc}") from exc


def derived_name(source_name: str) -> str:
    """``_async_client.py`` -> ``_sync_client.py``."""
    return rename(source_name)
