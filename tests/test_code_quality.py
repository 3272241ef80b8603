"""The tools that keep the generator readable: ``mypy --strict`` on ``generator/``, ``ruff check``
on generator, tests, scripts and bench (both configured in ``pyproject.toml``), and no import
cycle among the ``generator`` modules.

Each tool runs as the README says to run it by hand, from the repository root, and its output is
printed when it finds something.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
GENERATOR = REPO / "generator"

def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=REPO, capture_output=True, text=True, check=False,
                          timeout=600)


def _check(tool: str, r: subprocess.CompletedProcess[str]) -> None:
    assert r.returncode == 0, f"{tool} exited {r.returncode}:\n{r.stdout}{r.stderr}"


def test_mypy_strict_generator(tmp_path: Path) -> None:
    """``python -m mypy --strict generator``; files, strictness and Python version come from pyproject."""
    r = _run("mypy", "--strict", "--cache-dir", str(tmp_path / "mypy-cache"), "generator")
    _check("mypy", r)


def test_ruff_check() -> None:
    """``python -m ruff check generator tests scripts bench`` with the rule set in pyproject.toml."""
    r = _run("ruff", "check", "--no-cache", "--output-format", "concise", "generator", "tests", "scripts", "bench")
    _check("ruff", r)


# -- import cycles ---------------------------------------------------------------------------------


def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _import_statements(body: list[ast.stmt], deferred: bool) -> list[ast.Import | ast.ImportFrom]:
    """The import statements a module runs when it is imported: at module level (inside ``if``,
    ``try`` and ``with`` blocks and class bodies too), never those under ``if TYPE_CHECKING:``; with
    ``deferred``, also those inside functions (run when the function is first called)."""
    found: list[ast.Import | ast.ImportFrom] = []
    for stmt in body:
        if deferred and isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef):
            found += _import_statements(stmt.body, deferred)
            continue
        for block in _blocks(stmt):
            found += _import_statements(block, deferred)
        if isinstance(stmt, ast.Import | ast.ImportFrom):
            found.append(stmt)
    return found


def _blocks(stmt: ast.stmt) -> list[list[ast.stmt]]:
    """The statement lists inside ``stmt`` that run when ``stmt`` runs (or may: both branches)."""
    if isinstance(stmt, ast.If):
        test = stmt.test
        type_checking = (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
            isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")
        return [stmt.orelse] if type_checking else [stmt.body, stmt.orelse]
    if isinstance(stmt, ast.Try | ast.TryStar):
        return [stmt.body, *(h.body for h in stmt.handlers), stmt.orelse, stmt.finalbody]
    if isinstance(stmt, ast.With | ast.ClassDef | ast.For | ast.While):
        return [stmt.body, *([stmt.orelse] if isinstance(stmt, ast.For | ast.While) else [])]
    if isinstance(stmt, ast.Match):
        return [case.body for case in stmt.cases]
    return []


def import_graph(root: Path = GENERATOR, deferred: bool = False) -> dict[str, set[str]]:
    """Module of the package at ``root`` -> the package's modules it imports when it is imported.
    ``import a.b`` and ``from a import b`` (``b`` a submodule) are edges to ``a.b``; ``from a.b
    import X`` is an edge to ``a.b``.  ``deferred``: imports inside functions count too."""
    modules = {_module_name(p, root): p for p in sorted(root.rglob("*.py"))}
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for stmt in _import_statements(ast.parse(path.read_text(encoding="utf-8")).body, deferred):
            if isinstance(stmt, ast.Import):
                targets = [alias.name for alias in stmt.names]
            else:
                base = stmt.module or ""
                if stmt.level:
                    anchor = package.split(".")
                    anchor = anchor[: len(anchor) - (stmt.level - 1)]
                    base = ".".join([*anchor, base] if base else anchor)
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in stmt.names]
            graph[name].update(t for t in targets if t in modules and t != name)
    return graph


def with_packages(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    """``graph`` with the package ``__init__`` modules Python runs first: importing ``a.b.c``
    from outside ``a.b`` runs ``a/__init__`` and ``a/b/__init__`` before ``a.b.c``."""
    out = {name: set(targets) for name, targets in graph.items()}
    for name, targets in graph.items():
        own = {name.rsplit(".", n)[0] for n in range(name.count(".") + 1)}  # name and its packages
        for target in targets:
            parts = target.split(".")
            out[name].update(p for p in (".".join(parts[:n]) for n in range(1, len(parts)))
                             if p in graph and p not in own)
    return out


def find_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle (a -> b -> ... -> a) through each group of modules that import each other."""
    return [_cycle_in(graph, group) for group in import_groups(graph)]


def import_groups(graph: dict[str, set[str]]) -> list[list[str]]:
    """The groups of two or more modules that each reach all the others (Tarjan's strongly
    connected components, iteratively), sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    groups.append(sorted(group))
    return sorted(groups)


def _cycle_in(graph: dict[str, set[str]], group: list[str]) -> list[str]:
    """A shortest path from the group's first module back to itself, within the group."""
    start, members = group[0], set(group)
    previous: dict[str, str] = {}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for child in sorted(graph[node] & members):
                if child == start:
                    path = [node]
                    while path[-1] != start:
                        path.append(previous[path[-1]])
                    return [start, *reversed(path[:-1]), start]
                if child not in previous:
                    previous[child] = node
                    following.append(child)
        frontier = following
    raise AssertionError(f"no cycle in {group}")


def test_the_cycle_finder_finds_cycles_and_only_cycles() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set(), "e": {"d", "f"}, "f": {"e"}}
    assert find_cycles(graph) == [["a", "b", "c", "a"], ["e", "f", "e"]]
    assert find_cycles({"a": {"b"}, "b": set()}) == []


def test_the_import_graph_counts_what_runs_at_import_time(tmp_path: Path) -> None:
    files = {
        "__init__.py": "",
        "a.py": "import os\nfrom pkg import b\nfrom pkg.c import X\nimport pkg.d.e\n",
        "b.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg import a\n"
                "def f():\n    from pkg import a\n",
        "c.py": "try:\n    from . import b\nexcept ImportError:\n    pass\nX = 1\n",
        "d/__init__.py": "from .e import Y\n",
        "d/e.py": "from .. import c\nY = 1\nclass K:\n    def m(self):\n        import pkg.d\n",
    }
    for name, text in files.items():
        (tmp_path / "pkg" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "pkg" / name).write_text(text)
    at_import = {"pkg": set(), "pkg.a": {"pkg.b", "pkg.c", "pkg.d.e"}, "pkg.b": set(), "pkg.c": {"pkg.b"},
                 "pkg.d": {"pkg.d.e"}, "pkg.d.e": {"pkg.c"}}
    assert import_graph(tmp_path / "pkg") == at_import
    deferred = import_graph(tmp_path / "pkg", deferred=True)
    assert deferred == {**at_import, "pkg.b": {"pkg.a"}, "pkg.d.e": {"pkg.c", "pkg.d"}}
    assert find_cycles(import_graph(tmp_path / "pkg")) == []
    assert import_groups(deferred) == [["pkg.a", "pkg.b", "pkg.c", "pkg.d", "pkg.d.e"]]
    assert find_cycles(deferred) == [["pkg.a", "pkg.b", "pkg.a"]]


def test_a_cycle_through_a_package_init_is_found(tmp_path: Path) -> None:
    """``emit/__init__`` re-exporting ``emit.render``, which imports ``model.build``, which
    imports ``emit.types``: Python runs ``emit/__init__`` first, so the import fails half-way."""
    files = {
        "__init__.py": "",
        "emit/__init__.py": "from pkg.emit.render import render\n",
        "emit/render.py": "from pkg.model.build import B\nrender = 1\n",
        "emit/types.py": "T = 1\n",
        "model/__init__.py": "",
        "model/build.py": "from pkg.emit.types import T\nB = T\n",
    }
    for name, text in files.items():
        (tmp_path / "pkg" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "pkg" / name).write_text(text)
    graph = import_graph(tmp_path / "pkg")
    assert find_cycles(graph) == []  # module to module there is none
    assert find_cycles(with_packages(graph)) == [["pkg.emit", "pkg.emit.render", "pkg.model.build", "pkg.emit"]]
    result = subprocess.run([sys.executable, "-c", "import pkg.model.build"], cwd=tmp_path, capture_output=True,
                            text=True, check=False)
    assert "partially initialized module" in result.stderr  # what Python says of that cycle


def _assert_no_cycle(graph: dict[str, set[str]]) -> None:
    groups = import_groups(graph)
    assert not groups, "import cycles among generator modules:\n" + "\n".join(
        f"{' -> '.join(_cycle_in(graph, group))}  (all of: {', '.join(group)})" for group in groups)


def test_no_import_cycle_among_generator_modules() -> None:
    """Imports run when a module is imported (module level, not under ``if TYPE_CHECKING:``)."""
    _assert_no_cycle(with_packages(import_graph()))


def test_no_import_cycle_even_through_imports_inside_functions() -> None:
    """A function-level import that closes a cycle only hides it: the modules still need each other."""
    _assert_no_cycle(with_packages(import_graph(deferred=True)))
