"""Derive the sync runtime from its async source: one request loop, stream and page, two APIs.

``templates/runtime/_async_*.py`` are written by hand. Each ``_sync_*.py`` beside its source is
made from it mechanically, as httpcore makes its sync connection pool (httpcore's own
``scripts/unasync.py``), and committed with a header saying so:

    python scripts/unasync.py          # rewrite the derived files
    python scripts/unasync.py --check  # exit 1, naming each derived file that is out of date

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

The result is formatted by black as codegen formats generated code, so the derived files are
plain, readable, type-checked runtime modules like the rest.
"""

from __future__ import annotations

import argparse
import io
import re
import sys
import tokenize
from pathlib import Path

RUNTIME = Path(__file__).resolve().parent.parent / "templates" / "runtime"
SOURCE_PREFIX = "_async_"
DERIVED_PREFIX = "_sync_"
COMMAND = "python scripts/unasync.py"

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
    "_page_aiter": "_page_iter",
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
    """The source without its ``# unasync: async only`` ... ``# unasync: end`` blocks."""
    kept: list[str] = []
    inside = False
    for number, line in enumerate(source.splitlines(keepends=True), start=1):
        marker = line.strip()
        if marker == BLOCK_START:
            if inside:
                raise UnasyncError(f"line {number}: {BLOCK_START!r} inside another block")
            inside = True
        elif marker == BLOCK_END:
            if not inside:
                raise UnasyncError(f"line {number}: {BLOCK_END!r} without {BLOCK_START!r}")
            inside = False
        elif not inside:
            kept.append(line)
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
    return f"# Code generated by scripts/unasync.py from {source_name}; DO NOT EDIT.\n"


def derive(source: str, source_name: str) -> str:
    """The derived sync module for the async module ``source`` (named ``source_name``)."""
    import black

    from generator.emit.format import MODE  # the black settings of all generated code

    try:
        text = unasync_tokens(source)
    except UnasyncError as exc:
        raise UnasyncError(f"{source_name}: {exc}") from exc
    return black.format_str(header(source_name) + text, mode=MODE)


def derived_name(source_name: str) -> str:
    return DERIVED_PREFIX + source_name[len(SOURCE_PREFIX) :]


def pairs(runtime: Path = RUNTIME) -> list[tuple[Path, Path]]:
    """(async source, derived sync file) for every ``_async_*.py`` in ``runtime``."""
    return [
        (source, source.with_name(derived_name(source.name)))
        for source in sorted(runtime.glob(f"{SOURCE_PREFIX}*.py"))
    ]


def stale(runtime: Path = RUNTIME) -> list[Path]:
    """The derived files that are missing or differ from what their source derives."""
    found = []
    for source, target in pairs(runtime):
        wanted = derive(source.read_text(encoding="utf-8"), source.name)
        if not target.is_file() or target.read_text(encoding="utf-8") != wanted:
            found.append(target)
    return found


def orphans(runtime: Path = RUNTIME) -> list[Path]:
    """``_sync_*.py`` files that no ``_async_*.py`` derives (a hand-written or leftover file)."""
    derived = {target for _, target in pairs(runtime)}
    return [p for p in sorted(runtime.glob(f"{DERIVED_PREFIX}*.py")) if p not in derived]


def write(runtime: Path = RUNTIME) -> list[Path]:
    """Rewrite the derived files that are out of date; return them."""
    written = []
    for source, target in pairs(runtime):
        wanted = derive(source.read_text(encoding="utf-8"), source.name)
        if not target.is_file() or target.read_text(encoding="utf-8") != wanted:
            target.write_text(wanted, encoding="utf-8", newline="\n")
            written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if a derived file is out of date"
    )
    parser.add_argument("--runtime", type=Path, default=RUNTIME, help="the runtime folder")
    args = parser.parse_args(argv)
    try:
        if args.check:
            problems = [f"{p}: out of date" for p in stale(args.runtime)]
            problems += [f"{p}: no {SOURCE_PREFIX}*.py derives it" for p in orphans(args.runtime)]
            for problem in problems:
                print(problem)
            if problems:
                print(f"run `{COMMAND}` to derive the sync runtime from its async source")
                return 1
            return 0
        for path in write(args.runtime):
            print(f"wrote {path}")
        for path in orphans(args.runtime):
            print(f"{path}: no {SOURCE_PREFIX}*.py derives it (remove it or add its source)")
        return 0
    except (UnasyncError, tokenize.TokenError, SyntaxError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
