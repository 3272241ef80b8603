"""Names that fit every file system: a spec whose schema names, tags, operationIds and title run to
hundreds of characters (ASCII and not) generates files whose names have at most 100 characters
and whose paths inside the output folder have at most 180, stable when unrelated parts of the
spec change, recorded in the name lock; the package imports and passes mypy --strict.

Microsoft Graph beta used to end in ``OSError: [Errno 36] File name too long``: a model module's
file name passed the file system's 255-byte limit.  The oracles are the file system (the files
are written and read back), the interpreter and mypy.
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from test_every_module_imports import import_every_module, mypy_strict

from generator.load.loader import Spec
from generator.model.build import build_api

REPO = Path(__file__).resolve().parent.parent
LONG = REPO / "tests" / "data" / "specs" / "long_names.yaml"


def codegen(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator.cli", *args], cwd=cwd, capture_output=True, text=True)


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("long") / "out"
    r = codegen("generate", str(LONG), "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr
    return out


def package_of(out: Path) -> str:
    (package,) = [p.parent.name for p in out.glob("*/__init__.py")]
    return package


def test_the_spec_is_absurd() -> None:
    """The spec itself: names far past every limit, some of them not ASCII."""
    doc = yaml.safe_load(LONG.read_text(encoding="utf-8"))
    schemas = list(doc["components"]["schemas"])
    tags = {t for item in doc["paths"].values() for op in item.values() for t in op["tags"]}
    ops = [op["operationId"] for item in doc["paths"].values() for op in item.values()]
    assert max(len(n) for n in schemas) > 300 and max(len(t) for t in tags) > 300 and max(map(len, ops)) > 300
    assert any(not n.isascii() for n in schemas) and any(not t.isascii() for t in tags)
    assert len(doc["info"]["title"]) > 300


def test_every_file_name_and_path_fits(out: Path) -> None:
    files = [p for p in out.rglob("*") if p.is_file()]
    assert len(files) > 20
    for p in files:
        rel = p.relative_to(out).as_posix()
        assert len(p.name) <= 100 and len(p.name.encode()) <= 100, rel
        assert len(rel) <= 180, rel
    # the long names reached the file system, shortened: nothing was dropped
    package = package_of(out)
    assert len(list((out / package / "models").glob("*.py"))) > 8
    assert len(list((out / package / "resources").glob("*.py"))) == 4  # three groups and __init__


def test_every_module_imports_and_passes_mypy_strict(out: Path, tmp_path: Path) -> None:
    package = package_of(out)
    count, failures = import_every_module(out, package)
    assert failures == {}
    assert count > 25
    r = mypy_strict(out, package, tmp_path / "cache")
    assert r.returncode == 0, r.stdout[-3000:]


def test_the_name_lock_records_every_shortened_module(out: Path) -> None:
    package = package_of(out)
    names = json.loads((out / "codegen.lock").read_text(encoding="utf-8"))["names"]
    shortened = {k.removeprefix("module "): v for k, v in names.items() if k.startswith("module ")}
    on_disk = {p.relative_to(out / package).with_suffix("").as_posix()
               for p in (out / package).glob("*/*.py")}
    assert shortened, "no shortened module recorded"
    for full, short in shortened.items():
        assert len(full) > len(short)
        assert short in on_disk
    # every module with a long name is among them
    assert {s for s in on_disk if len(s) > 60} <= set(shortened.values())


def _modules(doc: dict[str, Any], tmp: Path) -> dict[str, str]:
    path = tmp / "spec.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    result = build_api(Spec(path), "long", path.name)
    assert result.api is not None
    groups = {g.tag: g.module for g in result.api.groups}
    return {**result.api.module_of, **{f"tag {t}": m for t, m in groups.items()}}


def test_short_names_do_not_move_when_unrelated_parts_change(tmp_path: Path) -> None:
    doc = yaml.safe_load(LONG.read_text(encoding="utf-8"))
    before = _modules(doc, tmp_path)
    changed = copy.deepcopy(doc)
    schemas = changed["components"]["schemas"]
    # another long schema sorted first, another long tag, and one schema less
    schemas["Aaaa" + "Unrelated" * 40] = {"type": "object", "properties": {"z": {"type": "string"}}}
    # one that shares its first 200 characters with a schema above and sorts before it: a name
    # cut short and numbered in order would take that schema's module name
    graph = next(n for n in schemas if n.startswith("Microsoft.Graph."))
    schemas[graph[:200] + "Aaaa"] = {"type": "object", "properties": {"y": {"type": "string"}}}
    changed["paths"]["/a/{id}"]["get"]["responses"]["201"] = {"description": "ok", "content": {
        "application/json": {"schema": {"$ref": "#/components/schemas/" + graph[:200] + "Aaaa"}}}}
    changed["paths"]["/z"] = {"get": {"operationId": "zzz", "tags": ["Another long tag " * 20], "responses": {
        "200": {"description": "ok", "content": {"application/json": {"schema": {
            "$ref": "#/components/schemas/" + "Aaaa" + "Unrelated" * 40}}}}}}}
    removed = next(n for n in schemas if n.endswith("二"))
    del schemas[removed]
    after = _modules(changed, tmp_path)
    kept = {k: v for k, v in before.items() if k in after and len(v) > 60}
    assert len(kept) >= 5
    assert {k: after[k] for k in kept} == kept


def test_a_package_name_too_long_for_file_systems_is_refused_in_one_line(tmp_path: Path) -> None:
    out = tmp_path / "out"
    r = codegen("generate", str(LONG), "--out", str(out), "--package", "p" * 65)
    assert r.returncode != 0
    assert "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and "64 characters" in r.stderr
    assert not out.exists()
    r = codegen("generate", str(LONG), "--out", str(out), "--package", "p" * 64)
    assert r.returncode == 0, r.stderr
    for p in out.rglob("*"):
        assert len(p.name) <= 100 and len(p.relative_to(out).as_posix()) <= 180
