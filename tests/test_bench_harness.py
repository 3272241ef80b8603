"""The bench's pure helpers (the bench itself never runs in the test suite: `python bench/run.py`)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

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


def test_failure_line_names_the_exception_in_one_line() -> None:
    java = ("[main] WARN  o.o.codegen.DefaultCodegen - ErrorResponse: an unused warning\n"
            'Exception in thread "main" org.openapitools.codegen.SpecValidationException: the spec has issues\n'
            " | Error count: 2, Warning count: 5\n\tat org.openapitools.codegen.Generate.run(Generate.java:1)\n")
    assert bench.failure_line(java) == "SpecValidationException: the spec has issues"
    python = ('Traceback (most recent call last):\n  File "x.py", line 1, in <module>\n    raise KeyError(1)\n'
              "ValueError: first\n\nDuring handling of the above exception, another exception occurred:\n"
              "FileNotFoundError: [Errno 2] No such file or directory: 'java'\n")
    assert bench.failure_line(python) == "FileNotFoundError: [Errno 2] No such file or directory: 'java'"
    assert bench.failure_line("working\nit stopped here\n") == "it stopped here"
    assert bench.failure_line("") == "no output"
    long = bench.failure_line("x" * 500, limit=20)
    assert len(long) == 20 and long.endswith("…") and "\n" not in bench.failure_line(java + python)


def test_without_webhooks_cuts_that_block_only() -> None:
    head = "openapi: 3.1.0\npaths:\n  /a:\n    get: {}\n"
    tail = "components:\n  schemas:\n    A: {type: string}\n"
    hooks = "webhooks:\n  done:\n\n    post:\n# a comment at the margin\n      requestBody: {}\n"
    assert bench.without_webhooks(head + hooks + tail) == head + tail
    assert bench.without_webhooks(head + tail + hooks) == head + tail
    assert bench.without_webhooks(head + tail) == head + tail


def test_openapi_generator_failure_becomes_one_line_and_is_kept(tmp_path: Path, monkeypatch: Any) -> None:
    """A generator that fails leaves a reason for the row, and a second ask in the same run reuses it."""
    cli = tmp_path / "openapi-generator-cli"
    calls = tmp_path / "calls"
    cli.write_text(f'#!/bin/sh\necho "$1" >> {calls}\nif [ "$1" = version ]; then echo 9.9.9; exit 0; fi\n'
                   'echo "[main] INFO reading"\necho \'Exception in thread "main" java.lang.OutOfMemoryError: '
                   "Java heap space'\necho '\tat org.example.Main.main(Main.java:1)'\nexit 1\n")
    cli.chmod(0o755)
    spec = tmp_path / "openapi.yaml"
    spec.write_text("openapi: 3.1.0\npaths: {}\nwebhooks:\n  a: {}\n")
    monkeypatch.setattr(bench, "OAG_CLI", cli)
    monkeypatch.setattr(bench, "WORK", tmp_path / "work")
    monkeypatch.setattr(bench, "SPECS", {**bench.SPECS, bench.OAG_SPEC: spec})
    (tmp_path / "work").mkdir()
    assert bench.oag_package() == (None, "generation failed (exit 1: OutOfMemoryError: Java heap space)")
    assert bench.oag_package() == (None, "generation failed (exit 1: OutOfMemoryError: Java heap space)")
    assert calls.read_text().split() == ["version", "generate", "version"]  # generated once
    folder = bench.oag_folder("9.9.9")
    assert (folder / "openapi-without-webhooks.yaml").read_text() == "openapi: 3.1.0\npaths: {}\n"
    monkeypatch.setattr(bench, "OAG_CLI", tmp_path / "missing")
    folder_missing, why = bench.oag_package()
    assert folder_missing is None and why.startswith("FileNotFoundError: ")
