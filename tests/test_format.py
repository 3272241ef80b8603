"""generator.emit.format: every generated module is exactly what black writes.

codegen lays code out as black does and runs black only on the statements that need it (long
lines black would break), so these tests hold that promise against black itself: every module
of every real spec, the hostile spec, docstrings made of awkward text, and hand-made modules
with long statements in every position.
"""

from __future__ import annotations

import random
from pathlib import Path

import black
import pytest

from generator import pipeline
from generator.config import Target
from generator.emit.format import MODE, _long_statements, format_files
from generator.emit.layout import (
    LINE_LENGTH,
    Br,
    _annotated_lines,
    _assignment_lines,
    _statement_lines,
    annotated,
    assignment,
    layout,
    self_method,
    simple_assignment,
    statement,
    width,
)
from generator.emit.literals import docstring, pyrepr
from generator.emit.render import render_package
from generator.emit.runtime import runtime_sources

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus"
SPECS = {
    "openrouter": CORPUS / "openrouter" / "openapi.yaml",
    "openai": CORPUS / "openai" / "openapi.yaml",
    "digitalocean": CORPUS / "digitalocean" / "DigitalOcean-public.v2.yaml",
    "mistral": CORPUS / "mistral" / "openapi.yaml",
    "petstore30": CORPUS / "petstore30" / "openapi.yaml",
    "petstore31": CORPUS / "petstore31" / "openapi.yaml",
    "petstore-oai30": CORPUS / "petstore-oai30" / "petstore.yaml",
    "hostile": REPO / "tests" / "data" / "hostile" / "hostile.yaml",
    "modelgates": REPO / "specs" / "modelgates" / "openapi.yaml",
    "project-openrouter": REPO / "specs" / "openrouter" / "openapi.yaml",
    **{f"data-{p.stem}": p for p in sorted((REPO / "tests" / "data" / "specs").glob("*.yaml"))
       if p.stem not in ("broken", "cycle", "swagger2")},
    "data-multi": REPO / "tests" / "data" / "specs" / "multi" / "openapi.yaml",
    "data-swagger2-split": REPO / "tests" / "data" / "specs" / "swagger2" / "api.yaml",
    "swagger2-petstore-v2": REPO.parent / "shared" / "swagger2" / "petstore-v2" / "swagger.json",
}


def black_writes(text: str) -> str:
    return black.format_str(text, mode=MODE)


@pytest.fixture(autouse=True)
def _no_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CODEGEN_NO_CACHE", "1")


@pytest.mark.parametrize("name", sorted(SPECS))
def test_every_generated_module_is_what_black_writes(name: str, tmp_path: Path) -> None:
    result = pipeline.analyse(Target.adhoc(SPECS[name], tmp_path / "out", "pkg"), validate=False)
    assert result.api is not None, [d.format() for d in result.diagnostics]
    files = render_package(result.api)
    out = format_files(files, workers=1)
    verbatim = set(runtime_sources().values())
    modules = [p for p, text in files.items() if p.endswith(".py") and text not in verbatim]
    assert modules
    wrong = [p for p in modules if out[p] != black_writes(files[p])]
    assert not wrong, f"black would change {len(wrong)} of {len(modules)} modules, e.g. {wrong[:5]}"
    assert {p: t for p, t in out.items() if not p.endswith(".py")} == \
        {p: t for p, t in files.items() if not p.endswith(".py")}  # Markdown and the rest: as rendered


AWKWARD = [
    "plain", "  leading and trailing spaces  ", "\n\nblank lines around\n\n", '"quoted"', 'ends with "quote"',
    '"', '""', '"""', '""""', "'''", "ends with a backslash \\", "\\", "\\\\", 'back\\"slash', "tab\there",
    "\tleading tab", "first\n\tsecond with a tab", "first\n  indented\n    more", "first\n\n  after a blank",
    "  indented first\n  indented second", "a\r\nwindows\rmac", "trailing spaces   \nline   ", "\x00\x1b\x7f",
    "\u2028line\u2029paragraph\x85next\x0bvt\x0cff", "\u00a0nbsp\u3000ideographic", "\u202eevil\u202c",
    "wide 漢字 " * 30, "e\u0301 combining " * 20, "x" * 200, "word " * 60, "{{ jinja }} {% if %}",
    "first\n" + "  " * 50 + "deep", "ends with newline and quote\n\"", " \"\n\"", "\\\nbackslash newline",
    "a\\\n  b", "\\N{BULLET} \\x41 \\u00e9", "\\xAB \\U0001F600", "-" * 85, "'single' \"double\"",
]


def test_docstrings_of_awkward_text_are_what_black_writes() -> None:
    rng = random.Random(8)
    alphabet = ['"', "'", "\\", " ", "\t", "\n", "a", "é", "漢", "\u2028", "#", "(", ")", "x" * 40]
    texts = AWKWARD + ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 30))) for _ in range(600)]
    for text in texts:
        module = "\n".join([
            f"{docstring(text, 0) or 'x = 1'}",
            "",
            "",
            "class A:",
            f"    {docstring(text, 4) or 'y = 1'}",
            "",
            "    z: int",
            f"    {docstring(text, 4) or 'w = 1'}",
            "",
            "    def f(self) -> None:",
            f"        {docstring(text, 8) or 'pass'}",
            "",
        ])
        assert black_writes(module) == module, repr(text)
        compile(module, "m.py", "exec")


LONG = "VeryLongNameOfAGeneratedModelClassThatGoesOnAndOnAndOn"
WORDS = " ".join(["word"] * 30)
MODULE = f'''"""A module with long statements in every position codegen writes them."""

from __future__ import annotations

from .a_module_with_a_very_long_name_indeed_that_goes_on_and_on_and_on_and_on_forever import (
    {LONG} as {LONG},
)

{LONG}Alias: TypeAlias = "{LONG} | {LONG}Other | {LONG}Third"


class {LONG}AndAGoodDealLongerStill(_serde.Model):
    """Docstring lines are never broken, however long: {WORDS}"""

    field_with_a_long_name: {LONG} | None = None
    other_field: list[{LONG}] | None | NotGiven = NOT_GIVEN
    """A field docstring {WORDS}"""

    short: int = 0
    _CODEC = _serde.Codec(
        lambda: {{
            "field_with_a_long_name": {LONG}AndAGoodDealLongerStill,
            "short": (int, int),
        }},
    )


def decode_{LONG}(v: object) -> {LONG}:
    if isinstance(v, dict):
        if v.get("type") == "x":
            return {LONG}AndAGoodDealLongerStill.from_dict(v)
        return [decode_{LONG}(_v1) for _v1 in v]
    raise _serde.no_match("{LONG}AndAGoodDealLongerStill", v)


class Resource:
    def create(
        self,
        *,
        a_parameter_with_a_long_name: {LONG} | None | NotGiven = NOT_GIVEN,
        b: int | NotGiven = NOT_GIVEN,
        c: dict[str, {LONG}] | NotGiven = NOT_GIVEN,
    ) -> {LONG}AndAGoodDealLongerStill:
        """Create it.

        Args:
            a_parameter_with_a_long_name: {WORDS}
        """
        return self._client.request(_CREATE, a_parameter_with_a_long_name=a_parameter_with_a_long_name, b=b)
'''


def test_long_statements_are_formatted_as_black_formats_the_whole_module() -> None:
    files = {"pkg/m.py": MODULE, "pkg/short.py": "x = 1\n", "pkg/README.md": "x = [ 1 ]\n" + "y" * 200 + "\n"}
    out = format_files(files, workers=1)
    assert out["pkg/m.py"] == black_writes(MODULE)
    assert out["pkg/m.py"] != MODULE  # there was something to do
    assert out["pkg/short.py"] == "x = 1\n"
    assert out["pkg/README.md"] == files["pkg/README.md"]  # not Python: left alone
    spans = _long_statements(MODULE)
    assert spans and all(a <= b for a, b in spans)


@pytest.mark.parametrize("module", [
    # statements that cannot stand alone, brackets that do not balance: the module goes to black whole
    "if x:\n    pass\nelif " + " and ".join(["some_condition"] * 8) + ":\n    pass\n",
    "@decorator(" + ", ".join(["argument"] * 12) + ")\ndef f() -> None:\n    pass\n",
    "x = '''\n(\n'''\ny = call(" + ", ".join(["argument"] * 12) + ")\n",
])
def test_what_cannot_be_cut_into_statements_goes_through_black_whole(module: str) -> None:
    assert format_files({"m.py": module}, workers=1)["m.py"] == black_writes(module)


def test_formatting_beside_a_busy_validation_gives_the_same_files() -> None:
    files = {f"pkg/m{i}.py": "".join(f"value_{i}_{j} = call_something(" + ", ".join([f"argument_{j}"] * 9) + ")\n"
                                     for j in range(40)) for i in range(80)}
    assert sum(map(len, files.values())) > 64 * 1024  # big enough to be formatted in parallel
    files["README.md"] = "x = [ 1 ]\n"
    answers = iter([True] * 5 + [False] * 10_000)  # validation still running for the first five batches
    beside = format_files(files, workers=2, busy=lambda: next(answers))
    alone = format_files(files, workers=1)
    assert beside == alone
    assert beside["pkg/m3.py"] == black_writes(files["pkg/m3.py"])
    assert beside["README.md"] == "x = [ 1 ]\n"  # not Python: left alone
    assert next(answers) is False  # it stopped asking once the validation was done


# -- layouts the templates write for long lines (generator.emit.render: annotated, assignment, statement...)
#
# Each is written only where it is exactly what black makes of the one-line form: every case
# below is held against black at the edges (exactly 88 columns, one more, a part that just fits
# or just does not fit on its own line...), and the formatter must then have nothing left to do.


def _field_module(indent: int, statement: str) -> str:
    """``statement`` (an annotated name) in a class body at ``indent``."""
    return "".join(" " * i + "class A:\n" for i in range(0, indent, 4)) + statement + "\n"


def _param_module(indent: int, parameter: str, flavour: str) -> str:
    """``parameter`` (one line or several) in a signature black explodes, the def at ``indent - 4``."""
    pad = " " * (indent - 4)
    outer = "".join(" " * i + "class A:\n" for i in range(0, indent - 4, 4))
    head = {"sync": "def", "async": "async def", "overload": "def"}[flavour]
    decorator = f"{pad}@overload\n" if flavour == "overload" else ""
    body = " ..." if flavour == "overload" else f"\n{pad}    pass"
    return (f"{outer}{decorator}{pad}{head} f(\n{pad}    self,\n{pad}    *,\n{parameter}\n"
            f"{pad}    b: int | NotGiven = NOT_GIVEN,\n{pad}) -> None:{body}\n")


def _name_for(columns: int, indent: int, annotation: str, default: str | None, tail: str) -> str:
    """A name that makes ``name: annotation = default`` + tail exactly ``columns`` wide."""
    rest = indent + 2 + width(annotation) + (0 if default is None else 3 + len(default)) + len(tail)
    return "n" * max(1, columns - rest)


def _check_annotated(indent: int, name: str, annotation: str, default: str | None, tail: str,
                     flavour: str = "sync") -> str:
    """annotated()'s text for one case, held against black; returns it."""
    one_line = f"{' ' * indent}{name}: {annotation}{'' if default is None else ' = ' + default}{tail}"
    text = annotated(indent, name, annotation, default, tail)
    module = (lambda s: _field_module(indent, s)) if tail == "" else (lambda s: _param_module(indent, s, flavour))
    if _annotated_lines(" " * indent, name, annotation, default, tail) is None:
        assert text == one_line  # a case it does not know: the one line, which goes to black
        assert _long_statements(module(text))
        return text
    assert black_writes(module(one_line)) == module(text), (one_line, text)  # black's layout of the one line
    assert _long_statements(module(text)) == [], text  # nothing for black to do, long lines included
    return text


UNION = "ActionsUpdateHostedRunnerForOrgRequestImageSource | None"


@pytest.mark.parametrize("indent", [4, 8, 12])
@pytest.mark.parametrize("tail", ["", ","])
@pytest.mark.parametrize("default", [None, "None", "NOT_GIVEN"])
@pytest.mark.parametrize("annotation", [
    UNION, UNION + " | NotGiven", "AppPermissionsCustomPropertiesForOrganizations", "_dt.datetime | None",
    "list[AgentTasksCreateTaskInRepoResponseUserCollaboratorsItem] | None", "list[AgentTasksCreateTaskInRepo]",
    "dict[str, SecretScanningBulkCreateOrgCustomPatternsValue]", 'Literal["a"] | Literal["bé"] | None',
    'Literal["漢字漢字漢字漢字漢字漢字漢字漢字"] | None', "builtins.list[Literal[\"x\", \"y\"]] | NotGiven",
])
def test_annotated_names_at_the_edges_are_what_black_writes(indent: int, tail: str, default: str | None,
                                                             annotation: str) -> None:
    if tail == "," and indent < 8:
        return  # a parameter is at least one level inside its def
    for columns in (88, 89, 90, 91, 92, 93, 100, 120):
        name = _name_for(columns, indent, annotation, default, tail)
        for flavour in (("sync", "async", "overload") if tail else ("sync",)):
            text = _check_annotated(indent, name, annotation, default, tail, flavour)
            if columns <= LINE_LENGTH and len(name) > 1:  # 88 columns: one line
                assert "\n" not in text


@pytest.mark.parametrize("tail", ["", ","])
def test_annotated_names_whose_parts_just_fit_or_do_not_fit_their_own_line(tail: str) -> None:
    indent = 8
    inner = indent + 4
    for default in (None, "None", "NOT_GIVEN"):
        for extra in (-1, 0, 1, 2):
            # the whole annotation on its own line: 88 columns, then one more...
            part = "P" * (LINE_LENGTH - inner - len(" | None") + extra)
            _check_annotated(indent, "name", f"{part} | None", default, tail)
            # ...and one part on its own line (after "| "), then one more
            part = "P" * (LINE_LENGTH - inner - 2 + extra)
            _check_annotated(indent, "name", f"Short | {part}", default, tail)
            _check_annotated(indent, "name", f"list[{part}] | None", default, tail)
            # one name alone: parentheses while it fits, else as it is (a statement without default)
            _check_annotated(indent, "name", "N" * (LINE_LENGTH - inner + extra), default, tail)
            _check_annotated(indent, "name", "mod." + "N" * (LINE_LENGTH - inner - 4 + extra), default, tail)
            _check_annotated(indent, "name", f"list[{'N' * (LINE_LENGTH - inner + extra)}]", default, tail)


def test_a_class_body_statement_splits_at_its_value_while_the_line_up_to_it_fits() -> None:
    # black keeps ``name: annotation = (`` when it fits (88 columns), else parenthesises the annotation
    for default in ("None", "NOT_GIVEN"):
        for head in (87, 88, 89):
            annotation = "A" * 40 + " | None"
            name = "n" * (head - 4 - 2 - len(annotation) - len(" = ("))
            text = _check_annotated(4, name, annotation, default, "")
            assert text.split("\n")[0].endswith(" = (") == (head <= 88), text


def test_random_annotated_names_are_what_black_writes() -> None:
    rng = random.Random(88)
    names = ["x", "name", "n" * 30, "custom_properties_for_organizations"]
    parts = ["None", "NotGiven", "str", "_dt.datetime", "A" * 20, "B" * 45, "C" * 70, "D" * 84,
             "list[" + "E" * 40 + "]",
             "dict[str, " + "F" * 60 + "]", 'Literal["é漢字"]', "list[" + "G" * 80 + " | None]"]
    for _ in range(250):
        annotation = " | ".join(dict.fromkeys(rng.choice(parts) for _ in range(rng.choice([1, 1, 2, 3]))))
        tail = rng.choice(["", ","])
        indent = rng.choice([4, 8] if tail == "" else [8, 12])
        _check_annotated(indent, rng.choice(names), annotation, rng.choice([None, "None", "NOT_GIVEN"]), tail,
                         rng.choice(["sync", "async", "overload"]))


@pytest.mark.parametrize("module", [
    # look-alikes of the layouts above that are not black's: the formatter must send them to black
    "class A:\n    x: (\n        " + "L" * 90 + "\n    )\n",  # one name black leaves on one line
    "class A:\n    x: " + "L" * 90 + " | None = (\n        None\n    )\n",  # black splits at the annotation
    "class A:\n    x: (\n        " + "L" * 90 + " | None\n    ) = None\n",  # black splits before "|"
    "x = {\n    key: (\n        " + "L" * 90 + "\n        | None\n    ),\n}\n",  # not a parameter: a dict
    "class A:\n    def f(\n        self,\n            x: (\n                " + "L" * 90 + "\n                | None\n"
    "            ) = NOT_GIVEN,\n    ) -> None:\n        pass\n",  # a parameter at the wrong depth
])
def test_look_alikes_of_black_layouts_still_go_to_black(module: str) -> None:
    assert _long_statements(module)
    assert format_files({"m.py": module}, workers=1)["m.py"] == black_writes(module)


@pytest.mark.parametrize("indent", [0, 4, 8])
def test_assignments_of_calls_at_the_edges_are_what_black_writes(indent: int) -> None:
    target = "self.g" if indent else "_G"
    results = ["T{}", "list[Integration{} | None]", "dict[str, T{}]"]
    for flavour in ("to", "async_to"):
        for n in range(40, 90):
            value = Br(f"{flavour}_raw_response_wrapper(", [f"resource.{'g' * n}"], ")")
            _check_assignment(target + "g" * n, value, indent)
    for result in results:
        for n in range(30, 90):
            endpoint = f"Endpoint[{result.format('T' * n)}]("
            items: list[str | Br] = ['"GET"', '"/a/{b}"', "cast=X.from_dict",
                                     Br("errors={", ["403: BasicError.from_dict", "404: E.from_dict"], "}")]
            _check_assignment("_CONSTANT", Br(endpoint, items, ")"), indent)
            _check_assignment("_C", Br(endpoint, ['"GET"', '"/x"'], ")"), indent)


def _check_assignment(target: str, value: Br, indent: int) -> None:
    old = layout(value, indent, "", f"{target} = ")  # what the templates wrote before
    text = assignment(target, value, indent)
    module = "".join(" " * i + "class A:\n" for i in range(0, indent, 4)) + "{}\n"
    if text == old:  # as before: black's own, long lines included, when known; else to black when too long
        if _assignment_lines(target, value, indent)[1]:
            assert black_writes(module.format(old)) == module.format(old)
            assert _long_statements(module.format(text)) == []
        else:
            too_long = any(width(ln) > LINE_LENGTH for ln in text.split("\n"))
            assert bool(_long_statements(module.format(text))) == too_long
        return
    assert black_writes(module.format(old)) == module.format(text), text
    assert _long_statements(module.format(text)) == []


def test_heads_of_exploded_classes_and_defs_black_cannot_break_are_left_alone() -> None:
    name = "C" * 90
    module = (f"class {name}(\n    str,\n    _enum.Enum,\n):\n    pass\n\n\n"
              f"def decode_{name}(\n    v: object,\n) -> {name[:80]}:\n    pass\n\n\n"
              f"class A:\n    async def {name.lower()}(\n        self,\n        *,\n        b: int,\n    ) -> None:\n"
              f"        pass\n")
    assert _long_statements(module) == []
    assert black_writes(module) == module


@pytest.mark.parametrize("indent", [4, 8, 12, 16])
def test_returns_and_raises_of_calls_at_the_edges_are_what_black_writes(indent: int) -> None:
    for n in range(40, 95):
        name = "A" * n
        for line in (f"return {name}.from_dict(v)", f'raise _serde.no_match("{name}", v)', f"return decode_{name}(v)",
                     f"return [decode_{name}(_v1) for _v1 in v]", f'raise _serde.no_match("{name[:n // 2]}", v_{name})',
                     f'raise {name}("x", v)', f'return {name}("{name}", v)', f'return f("{name}{name}")',
                     f'raise f("{name}{name}")', f'return {name}.x("{name}")'):
            one = " " * indent + line
            text = statement(line, indent)
            module = "def f(v):\n" + "".join("    " * i + "if v:\n" for i in range(1, indent // 4)) + "{}\n"
            if _statement_lines(one) is None:
                assert text == one  # not known: the one line, to black when too long
                continue
            assert black_writes(module.format(one)) == module.format(text), text
            assert _long_statements(module.format(text)) == []


@pytest.mark.parametrize("indent", [0, 4, 8])
def test_simple_assignments_at_the_edges_are_what_black_writes(indent: int) -> None:
    module = "".join(" " * i + "class A:\n" for i in range(0, indent, 4)) + "{}\n"
    for n in range(60, 100):
        for value in (pyrepr("x" * n), pyrepr("é漢" * (n // 3)), pyrepr('a"b' * (n // 4)), "N" * n, "1" * n):
            for target in ("NAME_OF_A_MEMBER", "X"):
                one = f"{' ' * indent}{target} = {value}"
                text = simple_assignment(target, value, indent)
                if black_writes(module.format(one)) == module.format(text):
                    # black's: nothing left to do (a long name or number alone is not worth knowing)
                    assert _long_statements(module.format(text)) == [] or (text == one and value[0] != '"')
                else:  # not known (a string in single quotes): the one line, which goes to black
                    assert text == one and _long_statements(module.format(text))


@pytest.mark.parametrize("indent", [4, 8])
def test_self_methods_at_the_edges_are_what_black_writes(indent: int) -> None:
    pad = " " * (indent - 4)
    module = ("".join(" " * i + "class A:\n" for i in range(0, indent - 4, 4)) + f"{pad}class C:\n"
              + f"{pad}    @cached_property\n{{}}\n{pad}        return 1\n")
    for n in range(40, 100):
        for name in ("with_raw_response", "g" * (n // 2)):
            one = f"{' ' * indent}def {name}(self) -> {'R' * n}:"
            text = self_method(name, "R" * n, indent)
            if text == one:  # fits, or not known: to black when too long
                assert bool(_long_statements(module.format(text))) == (width(one) > LINE_LENGTH)
                continue
            assert black_writes(module.format(one)) == module.format(text)
            assert _long_statements(module.format(text)) == []


def test_conditional_dict_values_at_the_edges_are_what_black_writes() -> None:
    module = ("class A:\n    def f(self) -> None:\n        return self._client.request(\n            _X,\n{}\n"
              "        )\n")
    for n in range(3, 60):
        name = "p" * n
        for key in ("openai-beta", "x-" + "k" * n):
            for value in ((f'{name} if isinstance({name}, NotGiven) or {name} is None '
                          f'else ",".join(str(_h) for _h in {name})'),
                          f"{name} if {name} else None", f"a if b else {name}", f"{name} if c else [x for x in {name}]",
                          f"{name} if c else lambda: {name}", f"a if b else c if {name} else d"):
                entries = [f"{pyrepr(key)}: {value}", '"other": other']
                one = " " * 12 + "headers={" + ", ".join(entries) + "},"
                before = one if width(one) <= LINE_LENGTH else "\n".join(
                    ["            headers={"] + [" " * 16 + e + "," for e in entries] + ["            },"])
                text = layout(Br("headers={", entries, "}"), 12, ",")
                if text == before:  # fits, or not known: as before (to black when a line is too long)
                    continue
                assert black_writes(module.format(before)) == module.format(text)
                assert _long_statements(module.format(text)) == []


@pytest.mark.parametrize("indent", [0, 4, 8])
def test_keyword_arguments_that_are_calls_at_the_edges_are_what_black_writes(indent: int) -> None:
    module = "".join(" " * i + "class A:\n" for i in range(0, indent, 4)) + "{}\n"
    for n in range(20, 95):
        t = "T" * n
        for items in (['"GET"', '"/x"', f"cast=page_decoder({t})"], ['"GET"', '"/x"', f'cast=page_decoder({t}, "{t}")'],
                      ['"GET"', f'cast=f.g("{t}")', "x=y"], ['"GET"', '"/x"', f"cast={t}.from_dict"]):
            value = Br("Endpoint[X](", items, ")")
            one = " " * indent + "_X = " + str(value)
            before = one if width(one) <= LINE_LENGTH else "\n".join(
                [" " * indent + "_X = Endpoint[X]("] + [" " * (indent + 4) + i + "," for i in items]
                + [" " * indent + ")"])
            text = assignment("_X", value, indent)
            if text == before:  # fits, or not known: as before
                continue
            assert black_writes(module.format(before)) == module.format(text)
            assert _long_statements(module.format(text)) == []
