"""The loader builds plain YAML documents from libyaml's events (generator.load.yamlevents): the result
must be exactly what PyYAML's loader (``SpecLoader``) gives, value for value and type for type,
and line numbers must be those of PyYAML's composed nodes.  Checked on every spec file of the
corpus and of the tests, on YAML's corner cases, and on random edits of real spec text."""

from __future__ import annotations

import math
import random
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.diagnostics import DiagnosticError, split_pointer
from generator.load import yamlevents
from generator.load.loader import MAX_NESTING, Location, Spec, SpecLoader, parse_text

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus"


def same(a: Any, b: Any) -> bool:
    """Equal, with the same types all the way down (1 is not True, 1.0 is not 1) and the same
    key order; NaN equals NaN."""
    if type(a) is not type(b):
        return False
    if type(a) is dict:
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if type(a) is list:
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if type(a) is float and math.isnan(a):
        return math.isnan(b)
    return bool(a == b)


def pyyaml(text: str) -> tuple[str, Any]:
    """What PyYAML's loader makes of ``text``: ("doc", document) or ("error", the error's text)."""
    try:
        return "doc", yaml.load(text, Loader=SpecLoader)  # noqa: S506 - SpecLoader is a safe loader
    except yaml.YAMLError as exc:
        return "error", str(exc)


def check(text: str) -> str:
    """The event-built document is PyYAML's (or the text is left to PyYAML); returns which."""
    try:
        doc = yamlevents.document(text, SpecLoader, MAX_NESTING)
    except yamlevents.NotPlain:
        return "not plain"
    kind, expected = pyyaml(text)
    assert kind == "doc", f"built a document from text PyYAML refuses ({expected}):\n{text!r}"
    assert same(doc, expected), f"differs from PyYAML:\n{text!r}\nevents: {doc!r}\npyyaml: {expected!r}"
    return "plain"


def spec_files() -> list[Path]:
    found = [p for p in sorted(CORPUS.rglob("*")) if p.suffix in (".yaml", ".yml", ".json") and p.is_file()]
    found += [p for p in sorted((REPO / "tests" / "data").rglob("*")) if p.suffix in (".yaml", ".yml", ".json")]
    return found


def test_every_spec_file_loads_as_pyyaml_loads_it() -> None:
    files = spec_files()
    assert len(files) > 2900  # DigitalOcean's spec alone is ~2,900 files
    kinds = {"plain": 0, "not plain": 0}
    for path in files:
        kinds[check(path.read_text(encoding="utf-8-sig"))] += 1
    assert kinds["plain"] > 2900, kinds  # the fast path is the common one


CORNERS = [
    "", "# only a comment\n", "---\n", "--- \n...\n", "~", "a", "'a'", "[]", "{}", "- a\n- b\n",
    # scalars: only true/false are booleans; timestamps, yes/no, octal-looking numbers stay strings
    "a: [true, True, TRUE, false, False, FALSE, yes, no, on, off, y, n, tRUE]",
    "a: [0, -0, +5, 010, 0x1F, 0X1F, 0o7, 0b1, 1_000, 190:20:30, 12e3, 1e-3, 1E+3, 0.5, .5, 1., -1.5e3]",
    "a: [.inf, -.inf, +.inf, .Inf, .INF, .nan, .NaN, .NAN, inf, nan, -.5, +.5, 1_0.0, 3.]",
    "a: [~, null, Null, NULL, nUll, '', \"\", ]\nb:\nc: ~",
    "d: 2001-12-14\nt: 2001-12-14t21:59:43.10-05:00\nv: 1.2.3",
    "a: '1'\nb: \"true\"\nc: 'null'\nd: !!str 3\ne: !!int '3'\nf: ! 3\ng: !custom x",
    # keys: always strings, the key's text
    "200: ok\n'201': ok\n~: x\nnull: y\ntrue: z\n1.5: w\n0x10: v\n",
    "a: 1\na: 2\nb: 3\n", "? [a, b]\n: c\n", "? {a: 1}\n: c\n", "? a\n? b\n",
    "<<: {a: 1}\nb: 2\n", "a: &x {b: 1}\nc: *x\n", "a: &x 1\nb: *x\n", "a: =\n", "=: a\n", "a: <<\n",
    "%YAML 1.1\n---\na: 1\n", "%TAG ! tag:example.com,2000:\n---\na: !x 1\n",
    "--- a\n--- b\n", "a: 1\n---\n", "a: 1\n...\n", "...\n",
    "text: |\n  line one\n   line two\n\n  last\nfolded: >-\n  a\n  b\n\n  c\nkeep: |+\n  x\n\n",
    "a: \"esc \\u00e9 \\x41 \\t \\n \\\\ \\\" \\/ \\N \\_ \\L \\P\"\nb: 'it''s'\nc: plain: colon\n",
    "a: [1, [2, [3, {b: [4]}]]]\nc: {d: {e: {}}}\n", "- - - a\n  - b\n- c\n",
    "a:\n  - b\n  -\n  - ~\nc: [ , ]\n", "{a: 1, b: [2, 3], 'c': {d: e}}",
    "a: b\n  c: d\n", "a: [1, 2\n", "a: 'unterminated\n", "\ta: 1\n", "a: @b\n", "- a\nb: c\n",
    "a: \"\\ud800\"\n", "a: \"\\ud83d\\ude00\"\n", "é: ü\n'日本': 語\n", "\ufeffa: 1\n",
    "{\"openapi\": \"3.1.0\", \"a\": [1, 2.5, true, null, \"x\"]}",
    "[" * (MAX_NESTING + 1) + "]" * (MAX_NESTING + 1), "[" * MAX_NESTING + "]" * MAX_NESTING,
]


@pytest.mark.parametrize("text", CORNERS)
def test_corner_cases_load_as_pyyaml_loads_them(text: str) -> None:
    check(text)


def test_parse_text_gives_pyyaml_documents_and_errors() -> None:
    """Through the loader's entry point: documents as PyYAML's, and the text that is not plain
    still gets PyYAML's errors (line and column) and the hostile-input checks."""
    assert parse_text("a: 1\nb: [x, 2.5]\n", "f.yaml") == {"a": 1, "b": ["x", 2.5]}
    assert parse_text("a: &x [1]\nb: *x\n", "f.yaml") == {"a": [1], "b": [1]}
    with pytest.raises(DiagnosticError) as exc:
        parse_text("a: 1\nb: [1, 2\n", "f.yaml")
    assert exc.value.diagnostics[0].line == 3
    with pytest.raises(DiagnosticError) as exc:
        parse_text("a: " + "[" * (MAX_NESTING + 5) + "]" * (MAX_NESTING + 5), "f.yaml")
    assert exc.value.diagnostics[0].code == "nesting"
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(8))
    with pytest.raises(DiagnosticError) as exc:
        parse_text(bomb, "f.yaml")
    assert exc.value.diagnostics[0].code == "yaml-aliases"


MUTATIONS = ["\n", " ", "  ", ":", ": ", "- ", "-", "'", '"', "#", "&a ", "*a", "!!str ", "? ", "[", "]", "{", "}",
             ",", "|", ">", "\t", "~", "0x1", "1e3", ".5", "true", "yes", "<<: ", "=", "---\n", "...\n", "%", "\\"]


def test_random_edits_of_real_spec_text_load_as_pyyaml_loads_them() -> None:
    """Slices of a real spec with random insertions and deletions: whatever the text has become,
    the event-built document is PyYAML's, or the text is left to PyYAML."""
    source = (CORPUS / "openrouter" / "openapi.yaml").read_text(encoding="utf-8").split("\n")
    rng = random.Random(20261203)
    kinds = {"plain": 0, "not plain": 0}
    for _ in range(1500):
        start = rng.randrange(len(source) - 40)
        text = "\n".join(source[start:start + rng.randrange(2, 40)])
        for _ in range(rng.randrange(1, 4)):
            at = rng.randrange(len(text) + 1)
            if rng.random() < 0.3:
                text = text[:at] + text[at + rng.randrange(1, 4):]
            else:
                text = text[:at] + rng.choice(MUTATIONS) + text[at:]
        kinds[check(text)] += 1
    assert min(kinds.values()) > 100, kinds  # both ways are exercised


def composed_line(root: yaml.Node, pointer: str) -> int | None:
    """The line PyYAML's composed nodes give (what codegen reported before the line tables)."""
    node = root
    for token in split_pointer(pointer):
        if isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if str(k.value) == token), None)
        elif isinstance(node, yaml.SequenceNode) and token.isdigit() and int(token) < len(node.value):
            node = node.value[int(token)]
        else:
            return None
        if node is None:
            return None
    return node.start_mark.line + 1


def pointers(doc: Any, rng: random.Random, count: int) -> list[str]:
    """``count`` pointers into ``doc`` picked at random, plus some that lead nowhere."""
    found: list[str] = [""]
    stack = [(doc, "")]
    while stack:
        node, ptr = stack.pop()
        children = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for k, v in children:
            child = ptr + "/" + str(k).replace("~", "~0").replace("/", "~1")
            found.append(child)
            stack.append((v, child))
    picked = rng.sample(found, min(count, len(found)))
    return picked + [p + "/nothing" for p in picked[:5]] + ["/0/1", "/paths/~1missing"]


@pytest.mark.parametrize("name", ["openrouter/openapi.yaml", "mistral/openapi.yaml", "petstore31/openapi.yaml",
                                  "digitalocean/DigitalOcean-public.v2.yaml", "petstore-oai30/petstore.yaml"])
def test_lines_are_those_of_pyyaml_nodes(name: str) -> None:
    path = CORPUS / name
    root = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    spec = Spec(path)
    for pointer in pointers(spec.document, random.Random(name), 300):
        assert spec.line_of(Location(spec.root, pointer)) == composed_line(root, pointer), pointer


@pytest.mark.parametrize("text", ["a: &x {b: [1, 2]}\nc: *x\n", "a: 1\na:\n  b: 2\n", "? [k]\n: v\nz: 1\n",
                                  "- a\n- {b: c,\n   d: e}\n", '{"a": [1, {"b": 2}]}'])
def test_lines_through_aliases_repeated_and_odd_keys(text: str) -> None:
    table = yamlevents.line_table(text)
    assert table is not None
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    for pointer in ["", "/a", "/a/b", "/a/b/1", "/c", "/c/b/0", "/z", "/0", "/1/d", "/a/1/b", "/nothing"]:
        assert yamlevents.line_at(table, split_pointer(pointer)) == composed_line(root, pointer), pointer


def test_no_line_table_for_what_does_not_parse() -> None:
    assert yamlevents.line_table("a: [1\n") is None
    assert yamlevents.line_table("--- a\n--- b\n") is None
