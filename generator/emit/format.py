"""Every generated ``*.py`` exactly as black (pinned) writes it, without running black on most.

black is the most expensive step by far (a few thousand lines a second), so:

* the templates lay code out as black does (``generator.emit.layout``, ``generator.emit.literals``:
  ``layout``, ``docstring``, quotes, blank lines...), so a module whose lines of code all fit in black's line length is
  left as it is: black would not change a character of it;
* in the other modules only the statements with a longer line go to black, each alone at its
  depth (black lays out every statement by itself), many to a call, and the result is put back
  in place; a module that cannot be cut into statements goes through black whole.  A long line
  black leaves as it is does not count (``_black_leaves``): one it has nowhere to break, and the
  lines of the layouts the templates write for long annotated names and assignments of calls
  (``layout.annotated``, ``layout.assignment``), which are black's own;
* tests/test_format.py holds this against black itself: every module generated from every spec
  in the corpus, the hostile spec, docstrings of awkward text (the bench checks GitHub's spec);
* black's output is kept in the on-disk cache (``generator.cache``) under the sha256 of black's
  version, the mode and its input, so unchanged input is not formatted again.  The output is
  the same with or without the cache;
* what black has to do is done in worker processes when there is enough of it to pay for them.
"""

from __future__ import annotations

import functools
import gc
import multiprocessing
import os
import re
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from typing import Any, TypeVar

import black

from generator.cache import Cache, digest, open_cache
from generator.diagnostics import Diagnostic, DiagnosticError, error
from generator.emit.layout import LINE_LENGTH, is_black_annotated, is_black_assignment, is_black_statement, width
from generator.emit.runtime import runtime_sources

MODE = black.Mode(target_versions={black.TargetVersion.PY310}, line_length=88)
# Measured on 2 cores (OpenRouter, 1,300 files): forking the workers costs ~0.1 s, black does
# ~100 kB of generated code a second per core; below this much input one process is as fast.
PARALLEL_MIN_BYTES = 64 * 1024
BATCH_FILES = 8  # files per batch handed out: small enough to balance, big enough to amortise the pickling
_SALT = f"black {black.__version__} {MODE.get_cache_key()}"


def format_python(path: str, source: str) -> str:
    try:
        return black.format_str(source, mode=MODE)
    except black.InvalidInput as exc:
        # a bug in codegen, never in the spec: name the file so it can be reported
        raise DiagnosticError([error("internal", f"generated {path} is not valid Python ({exc}); "
                                     "please report this as a codegen bug", path)]) from exc


_Span = tuple[int, int]  # first and last line (0-based, inclusive) of one statement


def _long_statements(text: str) -> list[_Span] | None:
    """The statements of ``text`` that black would break: those with a line of code wider than
    black's line length that black has a way to break.  [] when there is none (the common case):
    the templates lay everything else out as black does.  None when this cannot tell the
    statements apart (nothing codegen writes; such a file goes through black whole).

    Docstrings and comments do not count: black never breaks them."""
    lines = text.split("\n")
    if text.isascii():
        if max(map(len, lines)) <= LINE_LENGTH:
            return []  # the common case, at C speed
        wide = [i for i, line in enumerate(lines) if len(line) > LINE_LENGTH]
    else:
        wide = [i for i, line in enumerate(lines) if width(line) > LINE_LENGTH]
    # the code alone: strings, docstrings and comments made empty (line breaks kept)
    code = _NOISE.sub(lambda m: "" if m.group().startswith("#") else '""' + "\n" * m.group().count("\n"), text)
    code_lines = code.split("\n")
    if len(code_lines) != len(lines):
        return None
    wide = [i for i in wide if code_lines[i].strip() not in ("", '""') and not _UNBREAKABLE.match(code_lines[i])]
    if not wide:
        return []
    # open brackets before each line
    depth, before = 0, []
    for brackets in _NOT_BRACKET.sub("", code).translate(_BRACKETS).split("\n"):
        before.append(depth)
        depth += 2 * brackets.count("(") - len(brackets)
        if depth < 0:
            return None
    if depth:
        return None
    before.append(0)
    spans: list[_Span] = []
    for i in wide:
        if spans and spans[-1][0] <= i <= spans[-1][1]:
            continue
        first = i
        while before[first]:
            first -= 1
        last = i
        while before[last + 1]:
            last += 1
        if not _black_leaves(lines, code_lines, before, i, first, last):
            spans.append((first, last))
    return spans


def _black_leaves(lines: list[str], code: list[str], before: list[int], i: int, first: int, last: int) -> bool:
    """Whether black leaves line ``i`` (wider than its line length) of the statement on lines
    ``first``..``last`` as it is, the statement being otherwise laid out as black does:

    * the head of an exploded ``class`` or ``def`` (``class Name(`` alone on its line): black
      splits the statement at those brackets, and has nowhere to break the head itself;
    * ``name = "string"`` whose string does not fit on a line of its own either
      (``layout.simple_assignment``);
    * a line of an annotated name, a statement of its own or a parameter of an exploded ``def``
      (one a line, directly in its brackets), laid out as ``layout.is_black_annotated`` knows
      black lays it out (long lines included);
    * a line of ``target = call(...)`` that ``layout.is_black_assignment`` knows is black's, or
      of ``return``/``raise`` of a call (``layout.is_black_statement``)."""
    if i == first and _HEAD.fullmatch(code[i]):
        return True
    if i == first == last and (m := _NAME_IS_STRING.fullmatch(code[i])) is not None:
        value = lines[i][lines[i].index(" = ") + 3:]
        return value.startswith('"') and not value.startswith('"""') and \
            width(f"{m.group(1)}    {value}") > LINE_LENGTH
    head = _DEF.fullmatch(code[first])
    if head is None:
        indent = len(lines[first]) - len(lines[first].lstrip(" "))
        block = lines[first:last + 1]
        return indent % 4 == 0 and (is_black_annotated(block, "") or is_black_assignment(block, i - first)
                                    or is_black_statement(block))
    start = i
    while before[start] > 1:
        start -= 1
    end = i
    while before[end + 1] > 1:
        end += 1
    indent = len(head.group(1)) + 4
    block = lines[start:end + 1]
    return (before[start] == 1 and block[0].startswith(" " * indent) and block[0][indent:indent + 1] != " "
            and is_black_annotated(block, ","))


_NAME_IS_STRING = re.compile(r'( *)[^\W\d]\w* = ""')
_HEAD = re.compile(r" *(?:class|(?:async )?def) [^\W\d]\w*\(")
_DEF = re.compile(r"( *)(?:async )?def [^\W\d]\w*\(")


# Strings as codegen writes them (``generator.emit.literals``: ``pyrepr`` literals on one line,
# docstrings with no unescaped quotes inside) and comments.
_NOISE = re.compile(r'''"""(?:[^"\\]|\\[\s\S]|"(?!""))*"""|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|#[^\n]*''')
# brackets and line breaks kept; every opening bracket made "(", every closing one ")"
_NOT_BRACKET = re.compile(r"[^()\[\]{}\n]+")
_BRACKETS = str.maketrans("[{]}", "(())")


# Long lines black leaves as they are, because it has nowhere to break them: an item of an
# exploded bracket (a name, a literal, ``key: value``, ``name as name``; one item, no brackets,
# no operators) and the head of an exploded ``from module import (``.
_UNBREAKABLE = re.compile(r' *(?:(?:""|[\w.]+)(?:: (?:""|[\w.]+)| as \w+)?,|from [\w.]+ import \()\Z')

# How a long statement is formatted on its own: black lays out each statement by itself (its
# depth is all it needs from around it), so the statement goes to black alone, at its depth,
# inside "if _:" blocks, with "pass" as the body of a "def"/"class" header; statements are
# formatted many to a call, with a marker statement between them.
_WRAPPER = "if _:"
_MARKER = "__codegen_statement__"
_NOT_ALONE = ("@", "else", "elif", "except", "finally", "case", "match")  # cannot stand alone


@dataclass(frozen=True)
class _Snippet:
    """One long statement as black is given it alone."""

    text: str  # the wrapped statement
    depth: int  # "if _:" lines before it
    header: bool  # "pass" after it

    @classmethod
    def of(cls, lines: list[str]) -> _Snippet | None:
        """``lines`` (a statement as in its module) ready to be formatted alone; None when the
        statement cannot stand alone."""
        head = lines[0]
        indent = len(head) - len(head.lstrip(" "))
        if indent % 4 or head.lstrip(" ").startswith(_NOT_ALONE):
            return None
        depth = indent // 4
        header = _NOISE.sub('""', lines[-1]).rstrip().endswith(":")
        wrapped = [" " * (4 * d) + _WRAPPER for d in range(depth)] + lines
        if header:
            wrapped.append(" " * (indent + 4) + "pass")
        return cls("\n".join(wrapped), depth, header)

    def unwrap(self, formatted: str) -> str | None:
        """The statement's own lines from black's output for ``text``; None when that output
        does not have the expected shape."""
        source = self.text.split("\n")
        lines = [line for line in formatted.split("\n") if line]
        if lines[: self.depth] != source[: self.depth]:
            return None
        lines = lines[self.depth :]
        if self.header:
            if not lines or lines[-1] != source[-1]:
                return None
            lines.pop()
        return "\n".join(lines) if lines else None


STATEMENTS_PER_CALL = 64


def _format_statements(snippets: list[_Snippet], workers: int | None,
                       busy: Callable[[], bool] | None) -> dict[_Snippet, str]:
    """black's layout of each statement; a statement black's output does not account for is
    left out (its module then goes through black whole)."""
    calls = [snippets[i:i + STATEMENTS_PER_CALL] for i in range(0, len(snippets), STATEMENTS_PER_CALL)]
    marker = f"\n{_MARKER}\n"
    sources = [(f"<statements {n}>", marker.join(s.text for s in call)) for n, call in enumerate(calls)]
    try:
        results = dict(_format_all(list(sources), workers, busy))
    except DiagnosticError:
        return {}  # a statement black could not read alone: its module goes through black whole
    done: dict[_Snippet, str] = {}
    for (name, _), call in zip(sources, calls, strict=False):
        parts = results[name].split(marker)
        if len(parts) != len(call):
            continue
        for snippet, part in zip(call, parts, strict=True):
            statement = snippet.unwrap(part)
            if statement is not None:
                done[snippet] = statement
    return done


def _format_batch(batch: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(p, format_python(p, t)) for p, t in batch]


def _format_batch_in_worker(batch: list[tuple[str, str]]) -> list[tuple[str, str]] | list[Diagnostic]:
    """_format_batch for a worker process: a DiagnosticError comes back as a value, since the
    exception itself does not survive pickling with its diagnostics."""
    try:
        return _format_batch(batch)
    except DiagnosticError as exc:
        return exc.diagnostics


@functools.lru_cache(maxsize=1)
def _verbatim() -> frozenset[str]:
    """The runtime modules codegen copies into every package as they are: black-formatted already
    (tests/runtime/test_static.py and, for the derived sync modules, tests/test_unasync.py check
    it), so never formatted again."""
    return frozenset(runtime_sources().values())


def format_files(files: dict[str, str], workers: int | None = None,
                 busy: Callable[[], bool] | None = None) -> dict[str, str]:
    """``files`` with every generated ``*.py`` as black writes it.

    Most modules already are.  In the others black formats only the statements it would break,
    each alone (``_long_statements``); a module this cannot be done for goes through black
    whole.  ``busy``: whether another process of ours (the spec's validation) is
    still at work; while it is, this process formats alone and starts its helper processes
    only when that one is done, so that no more processes run than there are cores, and the
    peak memory is no higher than with the steps one after the other."""
    out = dict(files)
    cache = open_cache("black")
    verbatim = _verbatim()
    plans: dict[str, tuple[list[str], list[_Span], list[_Snippet]]] = {}
    whole: list[str] = []
    for path, text in sorted(files.items()):
        if not path.endswith(".py") or text in verbatim:
            continue
        spans = _long_statements(text)
        if spans == []:
            continue
        if spans is not None:
            lines = text.split("\n")
            maybe = [_Snippet.of(lines[a:b + 1]) for a, b in spans]
            snippets = [s for s in maybe if s is not None]
            if len(snippets) == len(maybe):
                plans[path] = (lines, spans, snippets)
                continue
        whole.append(path)
    formatted = _cached(cache, "statement", {s.text: s for _, _, snippets in plans.values() for s in snippets},
                        lambda todo: _format_statements(todo, workers, busy))
    for path, (lines, spans, snippets) in plans.items():
        if not all(s in formatted for s in snippets):
            whole.append(path)
            continue
        new: list[str] = []
        at = 0
        for (a, b), snippet in zip(spans, snippets, strict=False):
            new += lines[at:a]
            new.append(formatted[snippet])
            at = b + 1
        out[path] = "\n".join(new + lines[at:])
    first: dict[str, str] = {}  # text -> the first path it is at (identical modules are formatted once)
    for path in whole:
        first.setdefault(files[path], path)
    texts = _cached(cache, "module", {t: t for t in first},
                    lambda todo: {files[p]: r for p, r in _format_all([(first[t], t) for t in todo], workers, busy)})
    for path in whole:
        out[path] = texts[files[path]]
    if cache is not None:
        cache.prune()
    return out


_K = TypeVar("_K", str, "_Snippet")


def _cached(cache: Cache | None, kind: str, items: dict[str, _K],
            work: Callable[[list[_K]], dict[_K, str]]) -> dict[_K, str]:
    """``work``'s black output for each of ``items`` (keyed by the text black is given), from
    the cache where it has them; new results are added to the cache."""
    done: dict[_K, str] = {}
    keys = {text: digest(_SALT, kind, text) for text in items} if cache is not None else {}
    todo: list[_K] = []
    for text, item in items.items():
        hit = cache.get(keys[text]) if cache is not None else None
        if hit is not None:
            try:
                done[item] = hit.decode("utf-8")
                continue
            except UnicodeDecodeError:
                pass
        todo.append(item)
    if todo:
        new = work(todo)
        done.update(new)
        if cache is not None:
            texts = {item: text for text, item in items.items()}
            for item, result in new.items():
                cache.put(keys[texts[item]], result.encode("utf-8"))
    return done


def _format_all(py: list[tuple[str, str]], workers: int | None,
                busy: Callable[[], bool] | None = None) -> list[tuple[str, str]]:
    workers = min(workers or os.cpu_count() or 1, len(py))
    if workers < 2 or sum(len(t) for _, t in py) < PARALLEL_MIN_BYTES:
        return _format_batch(py)
    # Small batches, longest first.  This process formats too, from the short end of the queue,
    # while workers - 1 helper processes take batches from the long end: every core is busy,
    # one process fewer is resident, and both ends meet so that all finish together.
    py.sort(key=lambda pt: -len(pt[1]))
    batches = deque(py[i:i + BATCH_FILES] for i in range(0, len(py), BATCH_FILES))
    results: list[tuple[str, str]] = []
    while busy is not None and batches and busy():  # one core is taken: format here, from the short end
        results.extend(_format_batch(batches.pop()))
    if not batches:
        return results
    helpers = workers - 1
    # gc.freeze(): the collector (here and in the forked helpers) skips the objects that exist
    # now (the spec, the IR), and the helpers' inherited pages stay shared, not copied on write.
    gc.freeze()
    try:
        with ProcessPoolExecutor(max_workers=helpers, mp_context=_context()) as pool:
            pending: set[Future[Any]] = set()
            while batches or pending:
                while batches and len(pending) < 2 * helpers:  # one batch queued ahead per helper
                    pending.add(pool.submit(_format_batch_in_worker, batches.popleft()))
                if batches:
                    results.extend(_format_batch(batches.pop()))
                    finished = {f for f in pending if f.done()}
                else:
                    finished, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in finished:
                    pending.discard(future)
                    result = future.result()
                    if result and isinstance(result[0], Diagnostic):
                        raise DiagnosticError(result)
                    results.extend(result)
    finally:
        gc.unfreeze()
    return results


def _context() -> multiprocessing.context.BaseContext | None:
    """fork where it is safe (no other threads): the workers start in milliseconds, with black
    already imported; else the platform's default."""
    if "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return None
