"""The runtime as shipped: mypy --strict, black, and only stdlib + httpx imports."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from .conftest import HERE, RUNTIME

REPO = HERE.parent.parent
OWNED = sorted(p for p in RUNTIME.glob("*.py") if p.name != "_serde.py")


def test_mypy_strict_on_the_stand_in_package_and_its_users(fakeapi_dir: Path) -> None:
    usage = fakeapi_dir.parent / "typing_usage.py"
    source = (HERE / "typing_usage.py").read_text()
    usage.write_text(source.replace("fakeapi", fakeapi_dir.name))
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--python-version",
            "3.10",
            "--no-error-summary",
            "--cache-dir",
            str(REPO / ".mypy_cache" / "runtime-tests"),
            fakeapi_dir.name,
            usage.name,
        ],
        cwd=fakeapi_dir.parent,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_black_formatted() -> None:
    paths = [*map(str, OWNED), str(HERE)]
    result = subprocess.run(
        [sys.executable, "-m", "black", "--check", "--quiet", *paths],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def test_runtime_imports_only_stdlib_httpx_and_itself() -> None:
    allowed = set(sys.stdlib_module_names) | {"httpx"}
    for path in OWNED:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            else:
                continue
            for name in names:
                assert name.split(".")[0] in allowed, f"{path.name} imports {name}"


def test_runtime_names_no_package() -> None:
    for path in OWNED:
        text = path.read_text().lower()
        for word in ("openrouter", "modelgates", "fakeapi"):
            assert word not in text, f"{path.name} mentions {word}"


def test_every_runtime_module_is_as_codegen_formats_it() -> None:
    """codegen copies these into each package without running black on them again."""
    import black

    from generator.emit.format import MODE

    for path in sorted(RUNTIME.glob("*.py")):
        text = path.read_text(encoding="utf-8")
        assert (
            black.format_str(text, mode=MODE) == text
        ), f"{path.name}: run black on it"
