"""Every real spec in ../shared/corpus: generated completely, importable, every example round-trips."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))

import corpus_report  # noqa: E402

from generator.diagnostics import Severity  # noqa: E402
from generator.emit.render import render_package  # noqa: E402
from generator.load.loader import Spec  # noqa: E402
from generator.model.build import build_api  # noqa: E402
from generator.write.writer import write_tree  # noqa: E402

SPECS = corpus_report.corpus_specs()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Any:
    cache: dict[str, Any] = {}

    def get(name: str) -> Any:
        if name not in cache:
            path = dict(SPECS)[name]
            package = "corpus_" + name.replace("-", "_")
            spec = Spec(path)
            result = build_api(spec, package, path.name)
            out = tmp_path_factory.mktemp(name)
            if result.api is not None:
                write_tree(out, render_package(result.api))
            cache[name] = (spec, result, out, package)
        return cache[name]

    return get


@pytest.mark.parametrize("name", [n for n, _ in SPECS])
def test_every_operation_generated_and_every_example_round_trips(name: str, built: Any) -> None:
    spec, result, out, package = built(name)
    assert result.api is not None
    assert not [d for d in result.diagnostics if d.severity == Severity.ERROR]
    generated = sum(len(g.operations) for g in result.api.groups)
    assert generated == result.operations_total, f"{generated}/{result.operations_total} operations generated"
    sys.path.insert(0, str(out))
    models = importlib.import_module(f"{package}.models")
    serde = importlib.import_module(f"{package}._serde")
    models._serde_parse = lambda kind, v: serde.parse_datetime(v) if kind == "datetime" else serde.parse_date(v)
    failures, total = [], 0
    for where, t, example in corpus_report.examples(spec, result.types):
        total += 1
        back = json.loads(json.dumps(serde.encode(corpus_report.decode(models, result.api, t, example))))
        if not corpus_report.same_json(back, example):
            failures.append(where)
    assert not failures, f"{len(failures)}/{total} examples did not round-trip: {failures[:5]}"


@pytest.mark.parametrize("name", ["openai", "digitalocean"])
def test_import_is_lazy(name: str, built: Any) -> None:
    """Importing the package and making a client loads no model and no resource module; using
    one resource loads that resource's models only."""
    _, result, out, package = built(name)
    group = result.api.groups[0].name
    code = f"""
import sys, json
import {package}
client = {package}.Client()
before = sorted(m for m in sys.modules if m.startswith("{package}.models.") or m.startswith("{package}.resources."))
getattr(client, {group!r})
after = [m for m in sys.modules if m.startswith("{package}.models.")]
print(json.dumps([before, len(after), "httpx" in sys.modules]))
"""
    r = subprocess.run([sys.executable, "-c", code], cwd=out, capture_output=True, text=True,
                       env={**os.environ, "PYTHONPATH": str(out)})
    assert r.returncode == 0, r.stderr
    before, models_after, _ = json.loads(r.stdout)
    assert before == []
    assert 0 < models_after < len(result.api.modules)


@pytest.mark.parametrize("name", ["openrouter", "openai"])
def test_big_packages_pass_mypy_strict(name: str, built: Any, tmp_path: Path) -> None:
    _, _, out, package = built(name)
    r = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path / "cache"),
                        "-p", package],
                       cwd=out, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout[-3000:]
