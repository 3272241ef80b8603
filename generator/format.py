"""black over every generated ``*.py`` (pinned black, in memory, in parallel for big packages)."""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor

import black

from generator.diagnostics import DiagnosticError, error

MODE = black.Mode(target_versions={black.TargetVersion.PY310}, line_length=88)
PARALLEL_THRESHOLD = 64  # below this many files, worker start-up costs more than it saves


def format_python(path: str, source: str) -> str:
    try:
        return black.format_str(source, mode=MODE)
    except black.InvalidInput as exc:
        # a bug in codegen, never in the spec: name the file so it can be reported
        raise DiagnosticError([error("internal", f"generated {path} is not valid Python ({exc}); "
                                     "please report this as a codegen bug", path)])


def _format_batch(batch: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(p, format_python(p, t)) for p, t in batch]


def format_files(files: dict[str, str], workers: int | None = None) -> dict[str, str]:
    py = sorted((p, t) for p, t in files.items() if p.endswith(".py"))
    out = dict(files)
    workers = workers or os.cpu_count() or 1
    if workers < 2 or len(py) < PARALLEL_THRESHOLD:
        out.update(_format_batch(py))
        return out
    # big files first, dealt round-robin, so the batches take about the same time
    py.sort(key=lambda pt: -len(pt[1]))
    batches = [py[i::workers * 4] for i in range(workers * 4)]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for result in pool.map(_format_batch, batches):
            out.update(result)
    return out
