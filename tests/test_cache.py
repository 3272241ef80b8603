"""The on-disk caches of black's output and of validation: never change a result, only skip work."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import black
import pytest

from generator import cache as cache_mod
from generator.diagnostics import DiagnosticError
from generator.emit import format as fmt
from generator.load.loader import Spec
from generator.validate import validator

REPO = Path(__file__).resolve().parent.parent
MULTI = REPO / "tests" / "data" / "specs" / "multi"

# modules with long statements, which black formats (codegen's output is otherwise left as it is)
LONG_A = "x = {" + ", ".join(f"'key{i}': {i}" for i in range(12)) + "}\n"
LONG_B = "def f(a, b):\n    return some_function(" + ", ".join(["a + b"] * 14) + ")\n"
WHOLE = "if a:\n    pass\nelif " + " and ".join(["condition"] * 10) + ":\n    pass\n"  # black formats it whole
SOURCES = {
    "pkg/a.py": LONG_A,
    "pkg/b.py": LONG_B,
    "pkg/same_as_a.py": LONG_A,
    "pkg/whole.py": WHOLE,
    "pkg/short.py": "x = 1\n",
    "README.md": LONG_A,  # not Python: never formatted
}
BAD_SPEC = """openapi: 3.1.0
info: {title: T, version: "1"}
paths:
  /x:
    get:
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "parts.yaml#/Thing"}
"""


@pytest.fixture(autouse=True)
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("CODEGEN_CACHE_DIR", str(folder))
    monkeypatch.delenv("CODEGEN_NO_CACHE", raising=False)
    return folder


def _entries(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if not p.name.startswith(".")) if folder.is_dir() else []


def _count_calls(monkeypatch: pytest.MonkeyPatch, module: object, name: str) -> list[object]:
    calls: list[object] = []
    real = getattr(module, name)

    def counting(*args: object, **kwargs: object) -> object:
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, counting)
    return calls


# -- the store itself ------------------------------------------------------------------------

def test_store_round_trip_and_corruption_is_a_miss(cache_dir: Path) -> None:
    c = cache_mod.open_cache("t")
    assert c is not None
    key = cache_mod.digest("k")
    assert c.get(key) is None
    c.put(key, b"value")
    assert c.get(key) == b"value"
    path = cache_dir / "t" / key
    for broken in (path.read_bytes()[:-1], path.read_bytes()[:-5] + b"VALUE", b"", b"garbage\n"):
        path.write_bytes(broken)
        assert c.get(key) is None
        assert not path.exists()  # a bad entry is removed
        c.put(key, b"value")


def test_digest_parts_are_delimited() -> None:
    assert cache_mod.digest("ab", "c") != cache_mod.digest("a", "bc")
    assert cache_mod.digest("a") == cache_mod.digest(b"a")


def test_location_and_switch(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("CODEGEN_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_mod.cache_root() == tmp_path / "xdg" / "codegen"
    monkeypatch.setenv("CODEGEN_NO_CACHE", "1")
    assert cache_mod.cache_root() is None and cache_mod.open_cache("black") is None


def test_prune_removes_oldest_past_the_cap(cache_dir: Path) -> None:
    c = cache_mod.Cache(cache_dir / "t", max_bytes=1000)
    keys = [cache_mod.digest(str(i)) for i in range(10)]
    for i, key in enumerate(keys):
        c.put(key, b"x" * 200)
        os.utime(cache_dir / "t" / key, (1_000_000 + i, 1_000_000 + i))
    c.prune()
    left = {p.name for p in _entries(cache_dir / "t")}
    assert sum(p.stat().st_size for p in _entries(cache_dir / "t")) <= 1000
    assert keys[-1] in left and keys[0] not in left


def test_unwritable_cache_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("CODEGEN_CACHE_DIR", str(blocker / "cache"))
    assert fmt.format_files(SOURCES) == _formatted_without_cache(monkeypatch)


# -- black's output --------------------------------------------------------------------------

def _formatted_without_cache(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    with monkeypatch.context() as m:
        m.setenv("CODEGEN_NO_CACHE", "1")
        return fmt.format_files(SOURCES)


def test_format_same_output_with_and_without_cache(monkeypatch: pytest.MonkeyPatch, cache_dir: Path) -> None:
    plain = _formatted_without_cache(monkeypatch)
    for path in ("pkg/a.py", "pkg/b.py", "pkg/whole.py", "pkg/short.py"):
        assert plain[path] == black.format_str(SOURCES[path], mode=fmt.MODE)
    assert plain["pkg/a.py"] != LONG_A
    assert plain["README.md"] == SOURCES["README.md"]
    assert not _entries(cache_dir / "black")
    calls = _count_calls(monkeypatch, fmt, "format_python")
    assert fmt.format_files(SOURCES) == plain  # cold: fills the cache
    assert len(calls) == 2  # the long statements (identical ones once) in one call, the whole module in another
    assert len(_entries(cache_dir / "black")) == 3  # two statements, one module
    assert fmt.format_files(SOURCES) == plain  # warm: black is not run at all
    assert len(calls) == 2


def test_format_changed_input_is_formatted_again(monkeypatch: pytest.MonkeyPatch) -> None:
    fmt.format_files(SOURCES)
    calls = _count_calls(monkeypatch, fmt, "format_python")
    changed_b = LONG_B.replace("a + b", "a - b")
    out = fmt.format_files(dict(SOURCES, **{"pkg/b.py": changed_b}))
    assert len(calls) == 1 and "a - b" in calls[0][1]  # only the changed statement
    assert out["pkg/b.py"] == black.format_str(changed_b, mode=fmt.MODE)


def test_format_corrupted_entries_are_ignored(monkeypatch: pytest.MonkeyPatch, cache_dir: Path) -> None:
    plain = fmt.format_files(SOURCES)
    for entry in _entries(cache_dir / "black"):
        entry.write_bytes(entry.read_bytes() + b"import os\n")  # edited after it was written
    calls = _count_calls(monkeypatch, fmt, "format_python")
    assert fmt.format_files(SOURCES) == plain
    assert len(calls) == 2


def test_format_in_workers_same_output_and_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    many = {f"pkg/m{i}.py": LONG_B.replace("a + b", f"a + {i}") + WHOLE * (i % 2) for i in range(40)}
    monkeypatch.setenv("CODEGEN_NO_CACHE", "1")
    serial = fmt.format_files(many, workers=1)
    monkeypatch.setattr(fmt, "PARALLEL_MIN_BYTES", 0)
    assert fmt.format_files(many, workers=2) == serial
    assert serial["pkg/m3.py"] == black.format_str(many["pkg/m3.py"], mode=fmt.MODE)
    # a module black cannot read (a bug in codegen, never in a spec) is named
    with pytest.raises(DiagnosticError) as exc:
        fmt.format_files(dict(many, **{"pkg/bad.py": "def (:\n" + LONG_B}), workers=2)
    assert [d.file for d in exc.value.diagnostics] == ["pkg/bad.py"]


# -- validation ------------------------------------------------------------------------------

def _validate(folder: Path) -> list[str]:
    return [d.format() for d in validator.validate_spec(Spec(folder / "openapi.yaml"))]


@pytest.fixture
def bad_spec(tmp_path: Path) -> Path:
    folder = tmp_path / "spec"
    folder.mkdir()
    (folder / "openapi.yaml").write_text(BAD_SPEC)
    (folder / "parts.yaml").write_text("Thing: {type: object, required: name}\n")
    return folder


def test_validation_same_output_with_and_without_cache(bad_spec: Path, monkeypatch: pytest.MonkeyPatch,
                                                       tmp_path: Path) -> None:
    with monkeypatch.context() as m:
        m.setenv("CODEGEN_NO_CACHE", "1")
        plain = _validate(bad_spec)
    assert any("parts.yaml:1: warning[spec]" in line for line in plain), plain
    runs = _count_calls(monkeypatch, validator, "_validate_isolated")
    assert _validate(bad_spec) == plain
    assert _validate(bad_spec) == plain
    assert len(runs) == 1
    monkeypatch.chdir(tmp_path)  # file names are shown relative to the working folder, cached or not
    assert _validate(bad_spec) == [line.replace(str(tmp_path) + "/", "") for line in plain]
    assert len(runs) == 1


def test_validation_reruns_when_any_spec_file_changes(bad_spec: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _validate(bad_spec)
    runs = _count_calls(monkeypatch, validator, "_validate_isolated")
    (bad_spec / "parts.yaml").write_text("Thing: {type: object, required: [name]}\n")  # a $ref'd file
    assert _validate(bad_spec) == []
    (bad_spec / "openapi.yaml").write_text(BAD_SPEC + "# a comment moves no value but may move lines\n")
    _validate(bad_spec)
    assert len(runs) == 2


def test_validation_reruns_when_the_document_changes_in_memory(bad_spec: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    _validate(bad_spec)
    runs = _count_calls(monkeypatch, validator, "_validate_isolated")
    spec = Spec(bad_spec / "openapi.yaml")
    spec.document["info"]["version"] = 2  # what an overlay does before validation
    found = [d.message for d in validator.validate_spec(spec)]
    assert len(runs) == 1
    assert any("is not of type 'string'" in m for m in found), found


def test_validation_corrupted_entry_is_ignored(bad_spec: Path, monkeypatch: pytest.MonkeyPatch,
                                               cache_dir: Path) -> None:
    plain = _validate(bad_spec)
    runs = _count_calls(monkeypatch, validator, "_validate_isolated")
    for entry in _entries(cache_dir / "validate"):
        entry.write_bytes(entry.read_bytes()[:-3])
    assert _validate(bad_spec) == plain
    # an intact entry holding something we never write is ignored too
    for entry in _entries(cache_dir / "validate"):
        c = cache_mod.Cache(cache_dir / "validate")
        c.put(entry.name, b'{"not": "a list"}')
    assert _validate(bad_spec) == plain
    assert len(runs) == 2


def test_validation_of_a_multi_file_spec_loads_the_same_files_cached_or_not(tmp_path: Path) -> None:
    folder = tmp_path / "multi"
    shutil.copytree(MULTI, folder)
    cold = Spec(folder / "openapi.yaml")
    first = validator.validate_spec(cold)
    warm = Spec(folder / "openapi.yaml")
    assert validator.validate_spec(warm) == first
    assert warm.files == cold.files and len(cold.files) > 1


def test_validation_in_a_child_process_finds_the_same(bad_spec: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = Spec(bad_spec / "openapi.yaml")
    here = validator._validate(spec)
    assert validator._validate_isolated(spec).wait() == here  # forked where possible
    monkeypatch.setattr(validator.threading, "active_count", lambda: 2)  # as under a threaded host: in process
    assert validator._validate_isolated(spec).wait() == here
    assert here[1] and here[0]
