"""The docs of generated packages as users see them: rendered by GitHub's renderer (cmark-gfm,
through ``cmarkgfm``), type-checked by mypy, built by MkDocs.

For the committed packages (generated/*) and for the package of every corpus spec: tables keep
their columns, relative links and anchors resolve, no site-relative link is left, every Python
block parses and passes ``mypy --strict`` against the package, every type name in a table links to
its entry, and every model, enum and union the public methods reach has an entry.
"""

from __future__ import annotations

import ast
import html
import os
import posixpath
import re
import subprocess
import sys
import unicodedata
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import cmarkgfm
import pytest
from cmarkgfm.cmark import Options

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))

import corpus_report  # noqa: E402

from generator.emit.render import render_package  # noqa: E402
from generator.load.loader import Spec  # noqa: E402
from generator.model.build import build_api  # noqa: E402
from generator.write.writer import write_tree  # noqa: E402

COMMITTED = sorted(p.name for p in (REPO / "generated").iterdir() if (p / "README.md").exists())
CORPUS = corpus_report.corpus_specs()
# the hostile spec puts quotes, backslashes, HTML, control characters and Markdown syntax in every text
ALL = [f"generated/{n}" for n in COMMITTED] + [f"corpus/{n}" for n, _ in CORPUS] + ["data/hostile"]

# GitHub keeps these tags of raw HTML (its sanitizer's allowlist, the ones we could use)
ALLOWED_TAGS = {"code", "br", "a"}


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Any:
    cache: dict[str, tuple[Path, str]] = {}

    def get(name: str) -> tuple[Path, str]:
        if name not in cache:
            kind, short = name.split("/", 1)
            if kind == "generated":
                out = REPO / "generated" / short
                pkg = next(p.parent.name for p in out.glob("*/__init__.py"))
            else:
                path = dict(CORPUS)[short] if kind == "corpus" else REPO / "tests" / "data" / short / f"{short}.yaml"
                pkg = "corpus_" + short.replace("-", "_")
                result = build_api(Spec(path), pkg, path.name)
                assert result.api is not None
                out = tmp_path_factory.mktemp(short)
                write_tree(out, render_package(result.api))
            cache[name] = (out, pkg)
        return cache[name]

    return get


def render(text: str) -> str:
    """GitHub's renderer: cmark-gfm with its extensions; raw HTML kept (GitHub then sanitizes it)."""
    return cmarkgfm.github_flavored_markdown_to_html(text, options=Options.CMARK_OPT_UNSAFE)


def markdown_files(out: Path) -> list[Path]:
    return sorted(p for p in out.rglob("*.md") if "site" not in p.relative_to(out).parts)


class _Html(HTMLParser):
    """Headings, links, table rows, code outside links, and raw tags of rendered HTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.headings: list[str] = []
        self.links: list[str] = []
        self.rows: list[list[str]] = []
        self.tables: list[list[list[tuple[str, list[str]]]]] = []  # rows of (cell text, code not in a link)
        self.unlinked_cell_code: list[str] = []
        self.blocks: list[tuple[str, str]] = []  # (language, code)
        self.tags: set[str] = set()
        self._heading: list[str] | None = None
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._in_a = 0
        self._code: list[str] | None = None
        self._pre: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.add(tag)
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._heading = []
        elif tag == "a":
            self._in_a += 1
            if a.get("href") is not None:
                self.links.append(str(a["href"]))
        elif tag == "img" and a.get("src"):
            self.links.append(str(a["src"]))
        elif tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self._row = []
            self._cells: list[tuple[str, list[str]]] = []
            self._cell_code: list[str] = []
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "pre":
            self._pre = str(a.get("lang") or "")
        elif tag == "code":
            self._code = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6") and self._heading is not None:
            self.headings.append("".join(self._heading))
            self._heading = None
        elif tag == "a":
            self._in_a -= 1
        elif tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self.tables[-1].append(self._cells)
            self._row = None
        elif tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append("".join(self._cell))
            self._cells.append(("".join(self._cell), self._cell_code))
            self._cell_code = []
            self._cell = None
        elif tag == "code" and self._code is not None:
            text = "".join(self._code)
            if self._pre is not None:
                self.blocks.append((self._pre, text))
            elif self._cell is not None and not self._in_a:
                self.unlinked_cell_code.append(text)
                self._cell_code.append(text)
            self._code = None
        elif tag == "pre":
            self._pre = None

    def handle_data(self, data: str) -> None:
        for buf in (self._heading, self._cell, self._code):
            if buf is not None:
                buf.append(data)


def parse(text: str) -> _Html:
    p = _Html()
    p.feed(render(text))
    p.close()
    return p


def github_slugs(headings: list[str]) -> set[str]:
    """GitHub's anchors: lowercase, characters other than letters, marks, numbers, ``_``, ``-`` and
    spaces removed, spaces made ``-``; repeats get ``-1``, ``-2``..."""
    out: set[str] = set()
    counts: dict[str, int] = {}
    for h in headings:
        s = "".join("-" if c == " " else c for c in h.strip().lower()
                    if c in " -_" or unicodedata.category(c)[0] in "LMN")
        if s in counts:
            counts[s] += 1
            s = f"{s}-{counts[s]}"
        else:
            counts[s] = 0
        out.add(s)
    return out


def table_rows(text: str) -> list[list[int]]:
    """For every table of the source: the cell count of each row, split as GFM splits (on every
    ``|`` not escaped by a backslash, whatever inline span it sits in)."""
    tables: list[list[int]] = []
    current: list[int] | None = None
    fence = None
    for line in text.split("\n"):
        if re.match(r"^ {0,3}(```|~~~)", line):
            fence = None if fence else line.strip()[:3]
        if fence:
            current = None
            continue
        if line.startswith("|"):
            body = line.strip()
            body = body[1:-1] if body.endswith("|") and not body.endswith("\\|") else body[1:]
            count = len(re.split(r"(?<!\\)\|", body))
            if current is None:
                current = []
                tables.append(current)
            current.append(count)
        else:
            current = None
    return tables


@pytest.mark.parametrize("name", ALL)
def test_tables_keep_their_columns_and_html_is_kept(name: str, package: Any) -> None:
    out, _ = package(name)
    bad = []
    for path in markdown_files(out):
        text = path.read_text(encoding="utf-8")
        for rows in table_rows(text):
            if len(rows) < 2 or any(n != rows[0] for n in rows):
                bad.append(f"{path.relative_to(out)}: rows of {rows[0]} cells have {sorted(set(rows))}")
        stripped = parse(text).tags - {"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "pre", "table",
                                       "thead", "tbody", "tr", "th", "td", "strong", "em", "blockquote", "hr",
                                       "img", "del", "input"} - ALLOWED_TAGS
        if stripped:
            bad.append(f"{path.relative_to(out)}: raw HTML GitHub strips: {sorted(stripped)}")
    assert not bad, "\n".join(bad[:20])


@pytest.mark.parametrize("name", ALL)
def test_links_resolve(name: str, package: Any) -> None:
    out, _ = package(name)
    slugs: dict[Path, set[str]] = {}
    parsed = {p: parse(p.read_text(encoding="utf-8")) for p in markdown_files(out)}
    for p, h in parsed.items():
        slugs[p] = github_slugs(h.headings)
    bad = []
    for p, h in parsed.items():
        for href in h.links:
            if re.match(r"^(https?|mailto):", href):
                continue
            if href.startswith("/") or re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", href):
                bad.append(f"{p.relative_to(out)}: link to nowhere {href}")
                continue
            target, _, anchor = href.partition("#")
            dest = p if not target else Path(posixpath.normpath((p.parent / target).as_posix()))
            if not dest.is_file() or out.resolve() not in dest.resolve().parents:
                bad.append(f"{p.relative_to(out)}: {href} (no such file in the package)")
            elif anchor and dest in slugs and anchor not in slugs[dest]:
                bad.append(f"{p.relative_to(out)}: {href} (no such heading)")
    assert not bad, f"{len(bad)} broken links:\n" + "\n".join(bad[:20])


def _names(tree: ast.Module) -> tuple[set[str], set[str]]:
    """Classes and type aliases declared by a module."""
    classes = {n.name for n in tree.body if isinstance(n, ast.ClassDef)}
    aliases = {n.target.id for n in tree.body if isinstance(n, ast.AnnAssign) and isinstance(n.target, ast.Name)
               and isinstance(n.annotation, ast.Name) and n.annotation.id == "TypeAlias"}
    return classes, aliases


def _idents(node: ast.AST | None) -> set[str]:
    if node is None:
        return set()
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        try:
            node = ast.parse(node.value, mode="eval")
        except SyntaxError:
            return set()
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)} | {
        n.attr for n in ast.walk(node) if isinstance(n, ast.Attribute)}


def public_types(out: Path, pkg: str) -> set[str]:
    """The models, enums and unions the resource methods take or return, directly or nested, read
    from the generated source (annotations of public methods, then of model fields)."""
    declared: dict[str, ast.AST] = {}
    for f in (out / pkg / "models").glob("*.py"):
        tree = ast.parse(f.read_text(encoding="utf-8"))
        for n in tree.body:
            if isinstance(n, ast.ClassDef):
                declared[n.name] = n
            elif isinstance(n, ast.AnnAssign) and isinstance(n.target, ast.Name) and \
                    isinstance(n.annotation, ast.Name) and n.annotation.id == "TypeAlias":
                declared[n.target.id] = n
    roots: set[str] = set()
    for f in (out / pkg / "resources").glob("*.py"):
        tree = ast.parse(f.read_text(encoding="utf-8"))
        for cls in tree.body:
            if not isinstance(cls, ast.ClassDef):
                continue
            for fn in cls.body:
                if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)) and not fn.name.startswith("_"):
                    for a in fn.args.args + fn.args.kwonlyargs:
                        roots |= _idents(a.annotation)
                    roots |= _idents(fn.returns)
            for b in cls.bases:  # page classes extend the response model and SyncPage[Item]
                roots |= _idents(b)
    seen: set[str] = set()
    stack = [n for n in roots if n in declared]
    while stack:
        n = stack.pop()
        if n in seen:
            continue
        seen.add(n)
        node = declared[n]
        found: set[str] = set()
        if isinstance(node, ast.ClassDef):
            for b in node.bases:
                found |= _idents(b)
            for item in node.body:
                if isinstance(item, ast.AnnAssign):
                    found |= _idents(item.annotation)
        elif isinstance(node, ast.AnnAssign):
            found |= _idents(node.value)
        stack += [x for x in found if x in declared and x not in seen]
    return seen


@pytest.mark.parametrize("name", ALL)
def test_every_public_type_has_an_entry_and_every_type_name_links(name: str, package: Any) -> None:
    out, pkg = package(name)
    entries: set[str] = set()
    unlinked: list[str] = []
    declared: set[str] = set()
    for f in (out / pkg / "models").glob("*.py"):
        classes, aliases = _names(ast.parse(f.read_text(encoding="utf-8")))
        declared |= classes | aliases
    for p in markdown_files(out):
        h = parse(p.read_text(encoding="utf-8"))
        if p.parent.name == "models":
            entries |= set(h.headings)
        for table in h.tables:
            typed = [i for i, (head, _) in enumerate(table[0]) if head in ("Type", "Error body")]
            for row in table[1:]:
                for i in typed:
                    for code in row[i][1] if i < len(row) else []:
                        if set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", code)) & declared:
                            unlinked.append(f"{p.relative_to(out)}: {code}")
    missing = sorted(public_types(out, pkg) - entries)
    assert not missing, f"{len(missing)} public types without an entry: {missing[:10]}"
    assert not unlinked, f"{len(unlinked)} type names not linked: {unlinked[:10]}"


@pytest.mark.parametrize("name", ALL)
def test_python_blocks_type_check(name: str, package: Any, tmp_path: Path) -> None:
    out, _pkg = package(name)
    blocks = []
    for p in markdown_files(out):
        for lang, code in parse(p.read_text(encoding="utf-8")).blocks:
            if lang == "python":
                blocks.append((p.relative_to(out), code))
    assert blocks
    errors = []
    for i, (where, code) in enumerate(blocks):
        try:
            ast.parse(code)
        except SyntaxError as e:
            errors.append(f"{where}: {e}\n{code}")
        (tmp_path / f"block_{i:04d}.py").write_text(code, encoding="utf-8")
    assert not errors, "\n".join(errors[:5])
    env = {**os.environ, "MYPYPATH": str(out)}
    r = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-error-summary", "--cache-dir",
                        str(tmp_path / ".cache"), *sorted(str(f) for f in tmp_path.glob("block_*.py"))],
                       cwd=tmp_path, env=env, capture_output=True, text=True)
    lines = [line for line in r.stdout.splitlines() if "block_" in line]
    shown = []
    for line in lines[:10]:
        m = re.match(r".*block_(\d+)\.py:(\d+)", line)
        if m:
            where, code = blocks[int(m.group(1))]
            shown.append(f"{where}: {line}\n    {code.splitlines()[int(m.group(2)) - 1]}")
    assert r.returncode == 0, (f"{len(lines)} mypy errors in {len(blocks)} blocks:\n" + "\n".join(shown)
                               + r.stderr[-2000:])


@pytest.mark.parametrize("name", [f"generated/{n}" for n in COMMITTED] + ["corpus/openai"])
def test_mkdocs_build_strict(name: str, package: Any, tmp_path: Path) -> None:
    out, _ = package(name)
    r = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-f",
                        str(out / "mkdocs.yml"), "-d", str(tmp_path / "site")], capture_output=True, text=True)
    assert r.returncode == 0, (r.stdout + r.stderr)[-3000:]
    assert (tmp_path / "site" / "index.html").is_file()
    # what Python-Markdown made of the tables: no escape or entity shown as text, no split cell
    bad = []
    for page in sorted((tmp_path / "site").rglob("*.html")):
        h = _Html()
        h.feed(page.read_text(encoding="utf-8"))
        for table in h.tables:
            for row in table:
                if len(row) != len(table[0]):
                    bad.append(f"{page.name}: {len(row)} cells under {len(table[0])} headers")
                for text, _ in row:
                    if "\\|" in text or re.search(r"&(#\d+|amp|lt|gt);|<code>", text):
                        bad.append(f"{page.name}: {text!r}")
    assert not bad, "\n".join(bad[:10])


def test_html_parser_sees_what_github_renders() -> None:
    """The oracle's own parts against cmark-gfm on known input."""
    h = parse("# A b\n\n## A b\n\n| x | y |\n| - | - |\n| <code>a&#124;b</code> | [`T`](#a-b) |\n")
    assert github_slugs(h.headings) == {"a-b", "a-b-1"}
    assert h.rows == [["x", "y"], ["a|b", "T"]]
    assert h.unlinked_cell_code == ["a|b"]
    assert table_rows("| a | b |\n| - | - |\n| `x | y` | z |\n") == [[2, 2, 3]]
    assert html.unescape("&#124;") == "|"


SMALL_SPEC = """
openapi: 3.0.3
info:
  title: Tiny API
  version: "1.0"
  description: See the [guide](/docs/guide) and [keys](../keys), or [home](https://example.org/x).
{external}
paths:
  /things:
    get:
      operationId: listThings
      tags: [Things]
      summary: "List things: `a | b` <b>bold</b> &amp; more"
      parameters:
        - name: kind
          in: query
          description: "Kind, one of `x | y` (see [docs](/docs/kinds))"
          schema: {type: string, enum: [x, y]}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {type: array, items: {$ref: "#/components/schemas/Thing"}}
components:
  schemas:
    Thing:
      type: object
      title: Things_list_Response_200
      required: [id]
      properties:
        id: {type: integer, example: 7}
        note:
          anyOf:
            - {type: string, description: "A note; `<b>` & `|` stay code"}
            - {type: "null"}
"""


def _generate(tmp_path: Path, external: str, docs_url: str | None) -> Path:
    spec = tmp_path / "spec.yaml"
    spec.write_text(SMALL_SPEC.replace("{external}", external), encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text(
        "[tool.codegen.targets.tiny]\nspec = \"spec.yaml\"\nout = \"out\"\n"
        + (f"docs_url = \"{docs_url}\"\n" if docs_url else ""), encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "generator.cli", "build"], cwd=tmp_path, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    return tmp_path / "out"


def _hrefs(out: Path) -> set[str]:
    return {href for p in markdown_files(out) for href in parse(p.read_text(encoding="utf-8")).links
            if not href.startswith(("#", "docs/", "models/", "../")) and ".md" not in href}


def test_site_relative_links_resolve_against_docs_url(tmp_path: Path) -> None:
    out = _generate(tmp_path, "", "https://docs.tiny.example/v2/")
    assert _hrefs(out) == {"https://docs.tiny.example/docs/guide", "https://docs.tiny.example/keys",
                           "https://example.org/x", "https://docs.tiny.example/docs/kinds"}


def test_site_relative_links_resolve_against_external_docs(tmp_path: Path) -> None:
    out = _generate(tmp_path, "externalDocs: {url: \"https://tiny.example/reference/\"}", None)
    assert "https://tiny.example/docs/guide" in _hrefs(out)


def test_site_relative_links_without_a_docs_url_are_text(tmp_path: Path) -> None:
    out = _generate(tmp_path, "", None)
    assert _hrefs(out) == {"https://example.org/x"}
    readme = render((out / "README.md").read_text(encoding="utf-8"))
    assert "See the guide and keys, or" in readme


def test_spec_text_renders_as_written(tmp_path: Path) -> None:
    """Code spans keep their characters (no entity shown), HTML is shown not run, cells keep
    their columns, a schema title that is an identifier is no description, and the non-null
    branch of a nullable anyOf gives the field its description."""
    out = _generate(tmp_path, "", None)
    page = parse((out / "docs" / "things.md").read_text(encoding="utf-8"))
    assert "list" in github_slugs(page.headings)
    row = next(r for t in page.tables for r in t[1:] if r[0][0] == "kind")
    assert len(row) == 4 and "one of x | y" in row[3][0]
    text = render((out / "docs" / "things.md").read_text(encoding="utf-8"))
    assert "<code>a | b</code>" in html.unescape(text) or "<code>a &#124; b</code>" in text
    assert "&lt;b&gt;bold&lt;/b&gt;" in text.replace("&lt;b>", "&lt;b&gt;").replace("&lt;/b>", "&lt;/b&gt;")
    models = parse((out / "docs" / "models" / "things.md").read_text(encoding="utf-8"))
    rows = {r[0][0]: r for t in models.tables for r in t[1:]}
    assert "<b>" in rows["note"][3][0] and "&" in rows["note"][3][0] and "|" in rows["note"][3][0]
    assert "Things_list_Response_200" not in (out / "docs" / "models" / "things.md").read_text(encoding="utf-8")
