"""The bench's pure helpers (the bench itself never runs in the test suite: `python bench/run.py`)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import yaml

RUN = Path(__file__).resolve().parent.parent / "bench" / "run.py"
_spec = importlib.util.spec_from_file_location("bench_run", RUN)
assert _spec and _spec.loader
bench = importlib.util.module_from_spec(_spec)
sys.modules["bench_run"] = bench  # dataclasses look their module up there
_spec.loader.exec_module(bench)


def test_formatting_helpers() -> None:
    assert bench.ratio(1.0, 4.0) == "0.25×" and bench.ratio(None, 1.0) == "–" and bench.ratio(1.0, 0) == "–"
    assert bench.secs(0.0123) == "12 ms" and bench.secs(12.34) == "12.3 s" and bench.secs(None) == "–"
    assert bench.mib(2048) == "2 MiB" and bench.mib(0) == "–"


def test_median_run_prefers_successful_runs() -> None:
    runs = [bench.Run(1.0, 0, 10, 5, 0.5), bench.Run(3.0, 0, 30, 7, 1.5), bench.Run(9.0, 1, 1, 1, 0.1, "boom")]
    m = bench.median_run(runs)
    assert (m.wall, m.tree_pss_kib, m.ok) == (2.0, 20, True)
    assert not bench.median_run([runs[2]]).ok


def test_measure_reports_exit_code_time_and_memory() -> None:
    r = bench.measure([sys.executable, "-c", "import sys; print('hello'); sys.exit(3)"])
    assert r.rc == 3 and r.tail == "hello" and r.wall > 0 and r.max_rss_kib > 0


def test_one_operation_changes_and_nothing_else(tmp_path: Path) -> None:
    spec = tmp_path / "openapi.yaml"
    spec.write_text("openapi: 3.1.0\npaths:\n  /workspaces/{id}:\n    get:\n      summary: Get\n"
                    "      operationId: getWorkspace\n    delete:\n      summary: Gone\n")
    bench._change_one_operation(spec, "Get (edit 1)")
    doc = yaml.safe_load(spec.read_text())
    assert doc["paths"]["/workspaces/{id}"] == {"get": {"summary": "Get (edit 1)", "operationId": "getWorkspace"},
                                               "delete": {"summary": "Gone"}}
