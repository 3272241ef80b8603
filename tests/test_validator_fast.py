"""The faster validation finds exactly what openapi-spec-validator finds, and runs beside the build.

``validator._validate(spec, stock=True)`` is openapi-spec-validator's own code; without
``stock`` the shortcuts of ``generator.validate.fastvalidate`` and ``generator.validate.schemacheck`` are used.
Speed is not asserted here (``scripts/validate_equivalence.py`` prints both times); equality is.
"""

from __future__ import annotations

import copy
import os
import random
import sys
from pathlib import Path
from typing import Any

import pytest

from generator import pipeline
from generator.config import Target
from generator.load.loader import Spec
from generator.validate import fastvalidate, schemacheck, validator

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "tests" / "data"
sys.path.insert(0, str(REPO / "scripts"))

import corpus_report  # noqa: E402

CORPUS = dict(corpus_report.corpus_specs())
BROKEN = sorted(p.name for p in (DATA / "validate").iterdir() if p.suffix in (".yaml", ".json"))
SPECS = ["specs/cycle.yaml", "specs/multi/openapi.yaml", "specs/inherit.yaml", "hostile/hostile.yaml"]


def _both(path: Path) -> tuple[Any, Any]:
    stock = validator._validate(Spec(path, allow_outside=True), stock=True)
    fast = validator._validate(Spec(path, allow_outside=True))
    return stock, fast


@pytest.mark.parametrize("name", BROKEN)
def test_broken_specs_same_findings(name: str) -> None:
    stock, fast = _both(DATA / "validate" / name)
    assert fast == stock


@pytest.mark.parametrize("name", SPECS)
def test_test_specs_same_findings(name: str) -> None:
    stock, fast = _both(DATA / name)
    assert fast == stock


@pytest.mark.parametrize("name", ["petstore30", "petstore31", "petstore-oai30", "digitalocean", "mistral",
                                  "petstore-v2", "jupyter-server", "docker-engine", "gitea", "minio-console"])
def test_corpus_specs_same_findings(name: str) -> None:
    if name not in CORPUS:
        pytest.skip(f"{name} is not in the corpus")
    stock, fast = _both(CORPUS[name])
    assert fast == stock


def test_the_broken_specs_break_what_they_should() -> None:
    """The broken specs reach the checks the shortcuts replace (else the tests above prove little)."""
    found = {name: validator._validate(Spec(DATA / "validate" / name, allow_outside=True)) for name in BROKEN}
    messages = {name: " | ".join(f.message for f in findings) for name, (findings, _) in found.items()}
    assert "is not valid under any of the given schemas" in messages["broken30.yaml"]  # meta-schema, 3.0
    assert "Duplicate parameter" in messages["broken30.yaml"]
    assert "'url' is a required property" in messages["broken31.yaml"]  # meta-schema, 3.1 (OAS vocabulary)
    assert "Unknown JSON Schema dialect" in messages["broken31.yaml"]
    assert "is not of type 'string'" in messages["broken31.yaml"]  # the whole-document check
    assert "could not finish" in messages["missing31.yaml"]
    assert not found["stops.yaml"][1]
    assert "DeepBad" in found["deep31.json"][0][0].pointer


def test_shortcuts_are_in_use() -> None:
    """A jsonschema the compiler does not recognise silently turns the shortcuts off (results
    stay right, validation gets slow): this notices."""
    from openapi_schema_validator import OAS30Validator, OAS31Validator, oas31_format_checker
    from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator

    assert fastvalidate._compiled(OAS30Validator, OAS30Validator.FORMAT_CHECKER) is not None
    assert fastvalidate._compiled(OAS31Validator, oas31_format_checker) is not None
    for base in (OpenAPIV30SpecValidator, OpenAPIV31SpecValidator):
        assert isinstance(fastvalidate._whole_document_validator(base), fastvalidate._QuickFirst)
    spec = Spec(DATA / "validate" / "broken31.yaml")
    assert isinstance(validator._validator_for(spec).schema_path, fastvalidate.FastSchemaPath)


# -- the compiled meta-schema check: never a yes where jsonschema finds an error ---------------

_VALUES: list[Any] = [None, True, False, 0, -1, 1.5, "", "x", "1bad", "(", "string", "integer", [], ["a", "a"],
                      [1], {}, {"a": 1}, {"type": 5}, {"propertyName": 1}, {"url": 3}, {"x-a": 1, "b": 2}]
_KEYWORDS = ["type", "properties", "items", "required", "enum", "format", "pattern", "minimum", "exclusiveMinimum",
             "maximum", "minLength", "uniqueItems", "additionalProperties", "allOf", "anyOf", "oneOf", "not", "$ref",
             "discriminator", "xml", "externalDocs", "example", "nullable", "$anchor", "$id", "$schema", "const",
             "default", "prefixItems", "dependentSchemas", "propertyNames", "if", "then", "else",
             "unevaluatedProperties", "$defs", "multipleOf", "patternProperties", "$dynamicRef", "dependencies"]


def _nodes(value: Any) -> list[dict[str, Any]]:
    found, stack = [], [value]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            found.append(node)
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return found


def _mutants(seeds: list[Any], count: int) -> list[Any]:
    rng = random.Random(20240601)
    out = []
    for _ in range(count):
        value = copy.deepcopy(rng.choice(seeds))
        for _ in range(rng.randint(1, 3)):
            node = rng.choice(_nodes(value) or [{}])
            if rng.random() < 0.6 or not node:
                node[rng.choice(_KEYWORDS)] = copy.deepcopy(rng.choice(_VALUES))
            else:
                del node[rng.choice(list(node))]
        out.append(value)
    return out


def _stock_says_valid(check: Any, value: Any) -> bool:
    try:
        check(value)
    except Exception:
        return False
    return True


@pytest.mark.parametrize("version", ["3.0", "3.1"])
def test_meta_schema_shortcut_is_never_wrong(version: str) -> None:
    from openapi_schema_validator import OAS30Validator, OAS31Validator, oas31_format_checker

    if version == "3.0":
        quick = fastvalidate._compiled(OAS30Validator, OAS30Validator.FORMAT_CHECKER)
        stock: Any = OAS30Validator.check_schema
        source = DATA / "validate" / "broken30.yaml"
    else:
        quick = fastvalidate._compiled(OAS31Validator, oas31_format_checker)
        stock = lambda value: OAS31Validator.check_schema(value, format_checker=oas31_format_checker)  # noqa: E731
        source = DATA / "validate" / "broken31.yaml"
    assert quick is not None
    seeds = list(Spec(source).document["components"]["schemas"].values())
    seeds += [{"type": "object", "properties": {"a": {"type": "string", "enum": ["x"]}}, "required": ["a"]},
              {"allOf": [{"$ref": "#/components/schemas/X"}], "discriminator": {"propertyName": "k"}}]
    yes = 0
    for value in seeds + _mutants(seeds, 400):
        if quick(value):
            yes += 1
            assert _stock_says_valid(stock, value), value
    assert yes > 50  # mostly certain yes answers: the shortcut does its job


def test_deep_and_cyclic_values_are_left_to_jsonschema() -> None:
    deep: dict[str, Any] = {"type": "string"}
    for _ in range(schemacheck.MAX_DEPTH // 2):  # two containers a level: the schema, its properties
        deep = {"type": "object", "properties": {"p": deep}}
    cyclic: dict[str, Any] = {"type": "object"}
    cyclic["not"] = {"x": cyclic}
    from openapi_schema_validator import OAS31Validator, oas31_format_checker

    quick = fastvalidate._compiled(OAS31Validator, oas31_format_checker)
    assert quick is not None
    assert quick(deep["properties"]["p"])
    assert not quick(deep)
    assert not quick(cyclic)


# -- the document accessor ---------------------------------------------------------------------

def test_fast_schema_path_reads_what_schema_path_reads() -> None:
    from jsonschema_path import SchemaPath

    spec = Spec(DATA / "validate" / "broken30.yaml")
    base_uri = spec.root.as_uri()
    stock = SchemaPath.from_dict(spec.document, base_uri=base_uri)
    fast = fastvalidate.FastSchemaPath.over(SchemaPath.from_dict(spec.document, base_uri=base_uri))
    assert isinstance(fast, fastvalidate.FastSchemaPath)

    def outcome(call: Any) -> Any:
        try:
            return ("ok", call())
        except Exception as exc:
            return ("raised", type(exc).__name__)

    def same(a: Any, b: Any, depth: int) -> None:
        assert a.parts == b.parts
        assert outcome(lambda: list(a.keys())) == outcome(lambda: list(b.keys()))
        for key in ["type", "$ref", "name", "schema", "missing", 0, 7, ""]:
            assert (key in a) == (key in b), (a.parts, key)
            got_a, got_b = outcome(lambda: a[key]), outcome(lambda: b[key])  # noqa: B023 - called at once
            if got_a[0] == "ok" and isinstance(got_a[1], (SchemaPath, fastvalidate.FastSchemaPath)):
                assert got_a[1].parts == got_b[1].parts
            else:
                assert got_a == got_b
        value_a, value_b = outcome(a.read_value), outcome(b.read_value)
        assert value_a == value_b, a.parts
        if value_a[0] == "ok":
            with a.resolve() as ra, b.resolve() as rb:
                assert ra.contents == rb.contents
                assert ra.resolver._base_uri == rb.resolver._base_uri
        if depth and value_a[0] == "ok" and isinstance(value_a[1], (dict, list)):
            for (ka, ca), (kb, cb) in zip(a.items(), b.items(), strict=True):
                assert ka == kb
                same(ca, cb, depth - 1)

    same(stock, fast, 12)
    assert (fast / "paths" / "a#b").parts == (stock / "paths" / "a#b").parts
    assert (fast / "info" / "title").read_str() == (stock / "info" / "title").read_str()
    assert (fast / "nothing").read_str(default="d") == (stock / "nothing").read_str(default="d")


# -- validation beside the build ---------------------------------------------------------------

def _forks(monkeypatch: pytest.MonkeyPatch) -> list[int | None]:
    """The children the validations fork (None: validated in this process)."""
    pids: list[int | None] = []
    real = validator._Job.__init__

    def init(self: Any, spec: Spec) -> None:
        real(self, spec)
        pids.append(self.pid)

    monkeypatch.setattr(validator._Job, "__init__", init)
    return pids


def _reaped(pid: int | None) -> bool:
    """Gone and waited for (None: there was no child)."""
    if pid is None:
        return True
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def _target(tmp_path: Path, spec: Path) -> Target:
    return Target.adhoc(spec=spec, out=tmp_path / "out", package="vpkg")


def test_generate_reports_validation_in_place_and_leaves_no_child(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CODEGEN_NO_CACHE", "1")
    spec = DATA / "validate" / "broken31.yaml"
    expected = validator.validate_spec(Spec(spec))
    forks = _forks(monkeypatch)
    result = pipeline.generate(_target(tmp_path, spec))
    spec_warnings = [d for d in result.diagnostics if d.code == "spec"]
    assert spec_warnings == expected
    assert result.diagnostics[:len(expected)] == expected  # before the build's own
    assert result.files and result.api is not None
    assert len(forks) == 1 and _reaped(forks[0])  # (under pytest-xdist's threads: validated inline)


def test_strict_stops_before_anything_is_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CODEGEN_NO_CACHE", "1")
    spec = DATA / "validate" / "broken31.yaml"
    expected = validator.validate_spec(Spec(spec))
    forks = _forks(monkeypatch)
    for result in (pipeline.run(_target(tmp_path, spec), strict=True),
                   pipeline.analyse(_target(tmp_path, spec), strict=True)):
        assert result.diagnostics == expected
        assert result.api is None and not result.files and not result.spec_files
    assert not (tmp_path / "out").exists()
    assert len(forks) == 2 and all(_reaped(pid) for pid in forks)


def test_validation_inline_when_fork_is_not_safe(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CODEGEN_NO_CACHE", "1")
    spec = DATA / "validate" / "broken30.yaml"
    forked = pipeline.generate(_target(tmp_path, spec))
    monkeypatch.setattr(validator.threading, "active_count", lambda: 2)
    inline = pipeline.generate(_target(tmp_path, spec))
    assert inline.diagnostics == forked.diagnostics and inline.files == forked.files


def test_a_failing_build_still_reaps_the_validation(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CODEGEN_NO_CACHE", "1")

    def boom(*args: Any, **kwargs: Any) -> Any:
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline, "render_package", boom)
    forks = _forks(monkeypatch)
    with pytest.raises(KeyboardInterrupt):
        pipeline.generate(_target(tmp_path, DATA / "validate" / "broken30.yaml"))
    assert len(forks) == 1 and _reaped(forks[0])


_IN_A_FRESH_PROCESS = """
import os, sys
from pathlib import Path
from generator import pipeline
from generator.validate import validator
from generator.config import Target

pids = []
real = validator._Job.__init__
def init(self, spec):
    real(self, spec)
    pids.append(self.pid)
validator._Job.__init__ = init

def reaped(pid):
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return False

spec, out = Path(sys.argv[1]), Path(sys.argv[2])
target = Target.adhoc(spec=spec, out=out, package="vpkg")
result = pipeline.generate(target)
assert result.files and any(d.code == "spec" for d in result.diagnostics)
result = pipeline.run(target, strict=True)
assert not result.files and not out.exists()
def boom(*args, **kwargs):
    raise KeyboardInterrupt
pipeline.render_package = boom
try:
    pipeline.generate(target)
except KeyboardInterrupt:
    pass
assert len(pids) == 3 and None not in pids, pids  # forked each time
assert all(reaped(pid) for pid in pids), pids
print("ok")
"""


def test_forked_validation_is_always_reaped(tmp_path: Path) -> None:
    """In a process without other threads (pytest-xdist's workers have some), the validation is
    forked; its child is waited for on success, under --strict and when the run is interrupted."""
    import subprocess

    env = dict(os.environ, PYTHONPATH=str(REPO), CODEGEN_NO_CACHE="1")
    done = subprocess.run([sys.executable, "-c", _IN_A_FRESH_PROCESS, str(DATA / "validate" / "broken30.yaml"),
                           str(tmp_path / "out")], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr
