"""black over every generated ``*.py`` (pinned black, in memory, in parallel for big packages).

black is the most expensive stage (a few thousand lines a second), so:

* a file whose unformatted text was formatted before is not formatted again: black's output is
  kept in the on-disk cache (``generator.cache``) under the sha256 of black's version, the mode
  and the input text.  The output is the same with or without the cache;
* what is left is formatted in worker processes when there is enough of it to pay for them.
"""

from __future__ import annotations

import functools
import gc
import multiprocessing
import os
import threading
from collections import deque
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from typing import Any, Callable

import black

from generator.cache import digest, open_cache
from generator.diagnostics import Diagnostic, DiagnosticError, error

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
                                     "please report this as a codegen bug", path)])


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
    """The runtime modules codegen copies into every package as they are: kept black-formatted
    in the repository (tests/runtime/test_static.py checks it), so never formatted again."""
    from generator.render import runtime_sources

    return frozenset(runtime_sources().values())


def format_files(files: dict[str, str], workers: int | None = None,
                 busy: Callable[[], bool] | None = None) -> dict[str, str]:
    """``files`` with every generated ``*.py`` black-formatted.  ``busy``: whether another process
    of ours (the spec's validation) is still at work; while it is, this process formats alone
    and starts its helper processes only when that one is done, so that no more processes run
    than there are cores, and the peak memory is no higher than with the steps one after the
    other."""
    out = dict(files)
    cache = open_cache("black")
    todo: dict[str, str] = {}  # input text -> a path it appears at (identical files are formatted once)
    keys: dict[str, str] = {}
    verbatim = _verbatim()
    for path, text in sorted(files.items()):
        if not path.endswith(".py") or text in verbatim:
            continue
        if cache is not None:
            key = keys[text] = digest(_SALT, text)
            hit = cache.get(key)
            if hit is not None:
                try:
                    out[path] = hit.decode("utf-8")
                    continue
                except UnicodeDecodeError:
                    pass
        todo.setdefault(text, path)
    done = {files[path]: result for path, result in _format_all([(p, t) for t, p in todo.items()], workers, busy)}
    for path, text in files.items():
        if path.endswith(".py") and text in done:
            out[path] = done[text]
    if cache is not None and done:
        for text, result in done.items():
            cache.put(keys[text], result.encode("utf-8"))
        cache.prune()
    return out


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
                        raise DiagnosticError(result)  # type: ignore[arg-type]
                    results.extend(result)  # type: ignore[arg-type]
    finally:
        gc.unfreeze()
    return results


def _context() -> multiprocessing.context.BaseContext | None:
    """fork where it is safe (no other threads): the workers start in milliseconds, with black
    already imported; else the platform's default."""
    if "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return None
