"""Every module of every generated package imports, and mypy --strict accepts it.

Python evaluates some type expressions at import time even under ``from __future__ import
annotations``: the type argument of ``Endpoint[...](...)`` and the bases of a page class.  A union
alias is a string there, and ``"A | B" | None`` raises TypeError at import, although mypy is
content.  The oracle is the interpreter itself (a fresh one per package) and mypy.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))

import corpus_report  # noqa: E402

from generator.emit.render import render_package  # noqa: E402
from generator.load.loader import Spec  # noqa: E402
from generator.model.build import build_api  # noqa: E402
from generator.write.writer import write_tree  # noqa: E402

FORWARD_UNIONS = REPO / "tests" / "data" / "specs" / "forward_unions.yaml"

# imports every module of the package named in argv[1] (walking the folders, so that no module
# is missed because nothing imports it) and prints the failures as JSON
IMPORT_ALL = """
import importlib, json, pathlib, sys
package = sys.argv[1]
root = pathlib.Path(sys.argv[2]) / package
names = sorted(
    ".".join((package, *p.relative_to(root).with_suffix("").parts)).removesuffix(".__init__")
    for p in root.rglob("*.py")
)
failures = {}
for name in names:
    try:
        importlib.import_module(name)
    except BaseException as e:
        failures[name] = f"{type(e).__name__}: {e}"
print(json.dumps({"modules": len(names), "failures": failures}))
"""


def generate(spec_path: Path, package: str, out: Path) -> None:
    result = build_api(Spec(spec_path), package, spec_path.name)
    assert result.api is not None, [str(d) for d in result.diagnostics]
    write_tree(out, render_package(result.api))


def import_every_module(out: Path, package: str) -> tuple[int, dict[str, str]]:
    r = subprocess.run([sys.executable, "-c", IMPORT_ALL, package, str(out)], cwd=out, capture_output=True,
                       text=True, env={"PYTHONPATH": str(out), "PATH": "/usr/bin:/bin"})
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    return data["modules"], data["failures"]


def mypy_strict(out: Path, package: str, cache: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(cache), "-p", package],
                          cwd=out, capture_output=True, text=True)


@pytest.fixture(scope="module")
def forward_unions(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("forward_unions")
    generate(FORWARD_UNIONS, "forward_unions", out)
    return out


def test_union_aliases_beside_none_in_type_arguments_import(forward_unions: Path) -> None:
    """An array of nullable union refs (and a nullable array of them, a page of them, a stream of
    them, a map of them) as responses: every module imports."""
    count, failures = import_every_module(forward_unions, "forward_unions")
    assert failures == {}
    assert count > 10


def test_union_aliases_package_passes_mypy_strict(forward_unions: Path, tmp_path: Path) -> None:
    r = mypy_strict(forward_unions, "forward_unions", tmp_path / "cache")
    assert r.returncode == 0, r.stdout[-3000:]


def test_nullable_union_items_decode_through_the_client(forward_unions: Path) -> None:
    """The quoted type argument changes nothing at run time: the response decodes into the
    variants' classes, nulls kept."""
    sys.path.insert(0, str(forward_unions))
    try:
        import forward_unions as fu  # type: ignore[import-not-found]
        from forward_unions.models import Cat, Dog  # type: ignore[import-not-found]
    finally:
        sys.path.remove(str(forward_unions))

    def handler(request: httpx.Request) -> httpx.Response:
        assert request.url.path == "/items"
        return httpx.Response(200, json=[{"kind": "cat", "friend": {"kind": "dog"}}, None, {"kind": "dog"}])

    client = fu.Client(base_url="http://127.0.0.1:9", http_client=httpx.Client(transport=httpx.MockTransport(handler)))
    items = client.items.list()
    assert items is not None
    assert [type(i) for i in items] == [Cat, type(None), Dog]
    assert isinstance(items[0].friend, Dog)


CORPUS = corpus_report.corpus_specs()


@pytest.fixture(scope="module")
def corpus_package(tmp_path_factory: pytest.TempPathFactory) -> object:
    cache: dict[str, tuple[Path, str]] = {}

    def get(name: str) -> tuple[Path, str]:
        if name not in cache:
            package = "every_" + name.replace("-", "_")
            out = tmp_path_factory.mktemp(name)
            generate(dict(CORPUS)[name], package, out)
            cache[name] = (out, package)
        return cache[name]

    return get


@pytest.mark.parametrize("name", [n for n, _ in CORPUS])
def test_every_module_of_every_corpus_package_imports(name: str, corpus_package: object) -> None:
    out, package = corpus_package(name)  # type: ignore[operator]
    count, failures = import_every_module(out, package)
    assert failures == {}, f"{len(failures)}/{count} modules fail to import: {dict(list(failures.items())[:5])}"


# openrouter and openai: tests/test_corpus.py runs mypy --strict on them already
@pytest.mark.parametrize("name", [n for n, _ in CORPUS if n not in ("openrouter", "openai")])
def test_every_corpus_package_passes_mypy_strict(name: str, corpus_package: object, tmp_path: Path) -> None:
    out, package = corpus_package(name)  # type: ignore[operator]
    r = mypy_strict(out, package, tmp_path / "cache")
    assert r.returncode == 0, r.stdout[-3000:]
