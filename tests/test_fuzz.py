"""Issue 7: mutated specs never crash codegen.

Each seed and corpus spec is mutated deterministically (seeded ``random.Random``): keys dropped
and renamed, values of the wrong type, nulls, lists for mappings and mappings for lists, broken,
outside, remote and cyclic ``$ref``s, swapped and duplicated subtrees, hostile strings.  Every
mutant goes through the pipeline (load -> version check -> validate (a sample) -> build ->
render), and every rendered Python file must compile.  Every run either succeeds or ends with
diagnostics; an exception of any other kind is a bug, and the failure names the seed that
reproduces it.  A sample also goes through the command line: exit code 0 or 1, never a traceback.

Budget: 2,000 small-spec mutants and one mutant of each big spec, well under a minute on
two cores (``pytest -n 2``).
"""

from __future__ import annotations

import copy
import json
import os
import random
import subprocess
import sys
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from generator import pipeline
from generator.config import Target
from generator.diagnostics import Severity
from generator.emit.render import make_environment, render_package
from generator.emit.runtime import runtime_sources

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus"
SMALL = [
    REPO / "specs" / "openrouter" / "openapi.yaml",
    REPO / "specs" / "modelgates" / "openapi.yaml",
    CORPUS / "petstore30" / "openapi.yaml",
    CORPUS / "petstore31" / "openapi.yaml",
    CORPUS / "petstore-oai30" / "petstore.yaml",
    REPO / "tests" / "data" / "specs" / "auth.yaml",
    REPO / "tests" / "data" / "specs" / "schemas.yaml",
    REPO / "tests" / "data" / "specs" / "oddpager.yaml",
    REPO / "tests" / "data" / "specs" / "multi" / "openapi.yaml",
    REPO / "tests" / "data" / "hostile" / "hostile.yaml",
]
BIG = [
    CORPUS / "mistral" / "openapi.yaml",
    CORPUS / "openrouter" / "openapi.yaml",
    CORPUS / "openai" / "openapi.yaml",
    CORPUS / "digitalocean" / "DigitalOcean-public.v2.yaml",
]
CASES_PER_SMALL_SPEC = 200
CHUNK = 50
VALIDATE_EVERY = 50  # openapi-spec-validator is the slow stage: a deterministic sample runs it
BIG_CASES = 1

HOSTILE_STRINGS = [
    "", " ", '"""', "'''", "\\", "\x00", "\r\n", "\u2028", "\u202e", "{{ x }}", "{% if %}", "{#", "__init__",
    "class", "self", "timeout", "../../x", "/etc/passwd", "#/components/schemas/Nope", "#/", "#",
    "http://127.0.0.1:9/x.yaml", "file:///etc/passwd", "名前", "🙂", "a" * 300, "-1", "null", "true", "1e309",
    "$ref", "application/json", "text/event-stream", "multipart/form-data", "{id}", "/{x}/{x}", "4XX", "default",
    "string", "object", "array", "integer", "date-time", "binary", "header", "path", "query", "cookie",
    "²", "٢٠٠", "2\u0663X", "chat_stream", "async_list",
]
SCALARS: list[Any] = [None, True, False, 0, -1, 7, 1.5, 2**70, -2**70, float("inf"), "", "x", 3.0]
SHAPES: list[Any] = [
    [], {}, [None], [[]], {"": None}, {"$ref": "#/"}, {"$ref": "#/components/schemas"}, {"$ref": 7},
    {"type": "object"}, {"type": ["null"]}, {"type": "array"}, {"enum": []}, {"enum": [None]}, {"allOf": []},
    {"oneOf": [{}]}, {"anyOf": [None]}, {"properties": None}, {"items": []}, {"additionalProperties": []},
    {"discriminator": {"propertyName": 1}}, {"schema": []}, {"content": {"": {}}}, {"required": "x"},
]
REFS = ["#/components/schemas/Nope", "#/paths", "#", "#/", "#/components/schemas/~2", "nope.yaml#/X",
        "../outside.yaml#/X", "http://127.0.0.1:9/x.yaml", "#anchor", "%", "#/info/title", "/abs#/x",
        "openapi.yaml#/components", ""]


# -- mutations ------------------------------------------------------------------------------------

Slot = tuple[Any, Any]  # (container, key or index)


def slots(doc: Any) -> list[tuple[Slot, str]]:
    """Every place in the document that holds a value, with its JSON pointer."""
    out: list[tuple[Slot, str]] = []
    stack: list[tuple[Any, str]] = [(doc, "")]
    while stack:
        node, ptr = stack.pop()
        items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, value in items:
            here = f"{ptr}/{str(key).replace('~', '~0').replace('/', '~1')}"
            out.append(((node, key), here))
            if isinstance(value, (dict, list)):
                stack.append((value, here))
    return out


def _pick(rng: random.Random, doc: Any,
          want: Callable[[Any, Any], bool] = lambda c, k: True) -> tuple[Slot, str] | None:
    choices = [s for s in slots(doc) if want(*s[0])]
    return rng.choice(choices) if choices else None


def _clone(value: Any) -> Any:
    return copy.deepcopy(value)


def m_drop(rng: random.Random, doc: Any) -> str:
    hit = _pick(rng, doc)
    if hit is None:
        return "nothing to drop"
    (container, key), ptr = hit
    del container[key]
    return f"drop {ptr}"


def m_retype(rng: random.Random, doc: Any) -> str:
    hit = _pick(rng, doc)
    if hit is None:
        return "nothing to retype"
    (container, key), ptr = hit
    value = rng.choice(SCALARS + SHAPES + HOSTILE_STRINGS)
    container[key] = _clone(value)
    return f"retype {ptr} = {value!r}"


def m_null(rng: random.Random, doc: Any) -> str:
    hit = _pick(rng, doc)
    if hit is None:
        return "nothing to null"
    (container, key), ptr = hit
    container[key] = None
    return f"null {ptr}"


def m_flip_container(rng: random.Random, doc: Any) -> str:
    hit = _pick(rng, doc, lambda c, k: isinstance(c[k], (dict, list)))
    if hit is None:
        return "no container"
    (container, key), ptr = hit
    value = container[key]
    container[key] = list(value.values()) if isinstance(value, dict) else {str(i): v for i, v in enumerate(value)}
    return f"flip {ptr}"


def m_break_ref(rng: random.Random, doc: Any) -> str:
    hit = _pick(rng, doc, lambda c, k: k == "$ref")
    ref = rng.choice(REFS)
    if hit is None:
        hit = _pick(rng, doc, lambda c, k: isinstance(c[k], dict))
        if hit is None:
            return "no ref"
        (container, key), ptr = hit
        container[key] = {"$ref": ref}
        return f"ref {ptr} = {ref!r}"
    (container, key), ptr = hit
    container[key] = ref
    return f"break {ptr} = {ref!r}"


def m_cycle(rng: random.Random, doc: Any) -> str:
    """A $ref to the place itself or one of its ancestors."""
    hit = _pick(rng, doc, lambda c, k: isinstance(c[k], dict))
    if hit is None:
        return "no mapping"
    (container, key), ptr = hit
    parts = ptr.split("/")
    target = "/".join(parts[: rng.randint(1, len(parts))])
    container[key] = {"$ref": "#" + target} if rng.random() < 0.5 else {**container[key], "$ref": "#" + target}
    return f"cycle {ptr} -> #{target}"


def m_swap(rng: random.Random, doc: Any) -> str:
    all_slots = slots(doc)
    if len(all_slots) < 2:
        return "nothing to swap"
    (c1, k1), p1 = rng.choice(all_slots)
    (c2, k2), p2 = rng.choice(all_slots)
    if p1.startswith(p2 + "/") or p2.startswith(p1 + "/") or p1 == p2:
        return "swap skipped"
    c1[k1], c2[k2] = _clone(c2[k2]), _clone(c1[k1])
    return f"swap {p1} <-> {p2}"


def m_duplicate(rng: random.Random, doc: Any) -> str:
    """Copy a subtree somewhere else (names collide, shapes appear where they do not belong)."""
    all_slots = slots(doc)
    if not all_slots:
        return "nothing to copy"
    (c1, k1), p1 = rng.choice(all_slots)
    hit = _pick(rng, doc, lambda c, k: isinstance(c[k], (dict, list)))
    if hit is None:
        return "no container"
    (c2, k2), p2 = hit
    target = c2[k2]
    value = _clone(c1[k1])
    if isinstance(target, dict):
        target[rng.choice([str(k1), rng.choice(HOSTILE_STRINGS)])] = value
    else:
        target.append(value)
    return f"copy {p1} into {p2}"


def m_rename(rng: random.Random, doc: Any) -> str:
    hit = _pick(rng, doc, lambda c, k: isinstance(c, dict))
    if hit is None:
        return "no key"
    (container, key), ptr = hit
    new = rng.choice([*HOSTILE_STRINGS, key.upper() if isinstance(key, str) else "X", f"{key}_", f"{key}Id"])
    container[new] = container.pop(key)
    return f"rename {ptr} -> {new!r}"


def m_string(rng: random.Random, doc: Any) -> str:
    hit = _pick(rng, doc, lambda c, k: isinstance(c[k], str))
    if hit is None:
        return "no string"
    (container, key), ptr = hit
    value = rng.choice(HOSTILE_STRINGS)
    container[key] = value if rng.random() < 0.5 else container[key] + value
    return f"string {ptr} = {container[key]!r}"


def m_wrap(rng: random.Random, doc: Any) -> str:
    hit = _pick(rng, doc)
    if hit is None:
        return "nothing to wrap"
    (container, key), ptr = hit
    value = container[key]
    wrapper = rng.choice(["allOf", "oneOf", "anyOf", "list", "items", "not"])
    container[key] = ([value] if wrapper == "list"
                      else {wrapper: value if wrapper in ("items", "not") else [value, _clone(value)]})
    return f"wrap {ptr} in {wrapper}"


def m_codegen_name(rng: random.Random, doc: Any) -> str:
    """``x-codegen-name`` (an operation's or a schema's Python name) set to a hostile or colliding
    name: the names the spec does not choose must still be unique and valid."""
    hit = _pick(rng, doc, lambda c, k: isinstance(c[k], dict) and ("responses" in c[k] or "type" in c[k]
                                                                   or "properties" in c[k]))
    if hit is None:
        return "no operation or schema"
    (container, key), ptr = hit
    name = rng.choice([*HOSTILE_STRINGS, "list", "list_", "create", "Client", "Any", "with_raw_response", "stream"])
    container[key]["x-codegen-name"] = name
    return f"x-codegen-name {ptr} = {name!r}"


MUTATIONS = [m_codegen_name, m_drop, m_retype, m_null, m_flip_container, m_break_ref, m_cycle, m_swap, m_duplicate,
             m_rename,
             m_string, m_wrap]


def mutate(doc: Any, rng: random.Random) -> list[str]:
    return [rng.choice(MUTATIONS)(rng, doc) for _ in range(rng.choice([1, 1, 2, 3]))]


# -- the pipeline ---------------------------------------------------------------------------------


class Crash(Exception):
    pass


def run_pipeline(spec: Path, out: Path, validate: bool, env: Any,
                 compile_sample: int | None = None) -> tuple[str, list[str]]:
    """load -> version -> validate -> build -> render -> compile the generated modules (all, or
    ``compile_sample`` of them): 'ok', 'diagnostics', or an exception: the crash."""
    target = Target.adhoc(spec=spec, out=out, package="fuzzed")
    result = pipeline.analyse(target, validate=validate)
    errors = [d.format() for d in result.diagnostics if d.severity is Severity.ERROR]
    if result.api is None:
        if not errors:
            raise Crash("nothing generated, and no error says why:\n"
                        + "\n".join(d.format() for d in result.diagnostics))
        return "diagnostics", errors
    files = render_package(result.api, env)
    runtime = set(runtime_sources())  # copied verbatim (the derived sync modules too)
    modules = sorted(rel for rel in files if rel.endswith(".py") and rel.rsplit("/", 1)[-1] not in runtime)
    if compile_sample is not None:
        modules = random.Random(str(spec)).sample(modules, min(compile_sample, len(modules)))
    for rel in modules:
        compile(files[rel], rel, "exec")
    for d in result.diagnostics:  # every diagnostic is one line that names a place
        line = d.format()
        assert "\n" not in line
    return "ok", errors


def write_mutant(base: Path, doc: Any, case_dir: Path) -> Path:
    """The mutated root document beside copies of the files it references (multi-file specs)."""
    for path in base.parent.rglob("*"):
        if path.is_file() and path.suffix in (".yaml", ".yml", ".json"):
            rel = path.relative_to(base.parent)
            (case_dir / rel).parent.mkdir(parents=True, exist_ok=True)
            if not (case_dir / rel).exists():
                os.link(path, case_dir / rel) if path.stat().st_dev == case_dir.stat().st_dev else \
                    (case_dir / rel).write_bytes(path.read_bytes())
    mutant = case_dir / (base.stem + ".json")
    mutant.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return mutant


def _load(spec: Path) -> Any:
    from generator.load.loader import Spec

    return Spec(spec).document


_DOCS: dict[Path, Any] = {}


def document(spec: Path) -> Any:
    if spec not in _DOCS:
        _DOCS[spec] = _load(spec)
    return _DOCS[spec]


def cases(spec: Path, start: int, count: int) -> Iterator[tuple[str, Any, list[str]]]:
    base = json.dumps(document(spec))
    for i in range(start, start + count):
        seed = f"{spec.relative_to(spec.parents[1])}#{i}"
        rng = random.Random(seed)
        doc = json.loads(base)
        yield seed, doc, mutate(doc, rng)


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CODEGEN_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "fuzz-cache"))


def _fuzz(spec: Path, start: int, count: int, tmp_path: Path, validate_every: int | None,
          compile_sample: int | None = None) -> None:
    env = make_environment()
    outcomes: dict[str, int] = {}
    for n, (seed, doc, what) in enumerate(cases(spec, start, count)):
        case_dir = tmp_path / str(start + n)
        case_dir.mkdir()
        mutant = write_mutant(spec, doc, case_dir)
        try:
            validate = validate_every is not None and (start + n) % validate_every == 0
            outcome, _ = run_pipeline(mutant, case_dir / "out", validate, env, compile_sample)
        except Exception as exc:  # any exception is the finding
            pytest.fail(f"codegen crashed on seed {seed!r} ({'; '.join(what)}):\n"
                        f"{''.join(traceback.format_exception(exc))[-4000:]}", pytrace=False)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    assert sum(outcomes.values()) == count


@pytest.mark.parametrize(("spec", "start"), [(s, i) for s in SMALL for i in range(0, CASES_PER_SMALL_SPEC, CHUNK)],
                         ids=lambda v: v.parent.name if isinstance(v, Path) else str(v))
def test_mutated_small_specs(spec: Path, start: int, tmp_path: Path) -> None:
    _fuzz(spec, start, CHUNK, tmp_path, VALIDATE_EVERY)


@pytest.mark.parametrize("spec", BIG, ids=lambda p: p.parent.name)
def test_mutated_big_specs(spec: Path, tmp_path: Path) -> None:
    """A sample: each big mutant is seconds of work (not validated; 40 of its modules compiled)."""
    _fuzz(spec, 0, BIG_CASES, tmp_path, validate_every=None, compile_sample=40)


# mutants that once crashed codegen, written out (seeds would change with the mutation lists):
# (spec, JSON pointer, value set there)
REGRESSIONS = [
    (SMALL[0], "/components/securitySchemes/\r\n", "x"),  # a control character in a diagnostic's pointer
    (SMALL[2], "/paths/~1store~1inventory/get/security/0/api_key", 2**70),  # scopes that are not a list
    (SMALL[9], "/tags", None),  # tags that are not a list
    (SMALL[2], "/components/schemas/Pet/properties/tags/items/$ref", "\x00"),  # NUL in a $ref
    (SMALL[6], "/components/schemas/Pet/properties/owner/discriminator/propertyName", {"type": "string"}),
    (SMALL[0], "/paths/~1workspaces/get/responses/\u00b2", {"description": "superscript two"}),  # "²".isdigit()
    (SMALL[0], "/servers/0/variables", {"v": {"enum": 5}}),  # a server enum that is not a list
]


@pytest.mark.parametrize(("spec", "pointer", "value"), REGRESSIONS,
                         ids=[f"{s.parent.name}:{p}" for s, p, _ in REGRESSIONS])
def test_mutants_that_once_crashed(spec: Path, pointer: str, value: Any, tmp_path: Path) -> None:
    doc = json.loads(json.dumps(document(spec)))
    node = doc
    *parents, last = [t.replace("~1", "/").replace("~0", "~") for t in pointer.split("/")[1:]]
    for token in parents:
        node = node[int(token)] if isinstance(node, list) else node.setdefault(token, {})
    if isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value
    mutant = write_mutant(spec, doc, tmp_path)
    run_pipeline(mutant, tmp_path / "out", True, make_environment())


CLI_CASES = [(SMALL[i % len(SMALL)], 1000 + i) for i in range(6)]


@pytest.mark.parametrize(("spec", "seed"), CLI_CASES, ids=lambda v: v.parent.name if isinstance(v, Path) else str(v))
def test_mutants_through_the_command_line(spec: Path, seed: int, tmp_path: Path) -> None:
    """The user's view: exit 0 with output, or exit 1 with one-line errors; never a traceback."""
    _, doc, what = next(cases(spec, seed, 1))
    mutant = write_mutant(spec, doc, tmp_path)
    out = tmp_path / "out"
    r = subprocess.run([sys.executable, "-m", "generator.cli", "generate", str(mutant), "--out", str(out),
                        "--package", "fuzzed"], cwd=tmp_path, capture_output=True, text=True, timeout=120,
                       env={**os.environ, "CODEGEN_CACHE_DIR": str(tmp_path / "cache")})
    assert "Traceback" not in r.stderr, f"{'; '.join(what)}\n{r.stderr[-3000:]}"
    assert r.returncode in (0, 1), r.stderr
    if r.returncode == 1:
        assert any("error[" in line for line in r.stderr.splitlines()), r.stderr
        assert not out.exists()
    else:
        assert (out / "fuzzed" / "__init__.py").is_file()
