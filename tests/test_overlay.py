"""Overlays (OpenAPI Overlay 1.0): the OpenRouter overlays reproduce Speakeasy's output, overlays
listed on a target shape the generated package, and a bad overlay is reported by file and action."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from ciproject import codegen, edit, make_project
from generator.diagnostics import Severity
from generator.load.loader import Spec
from generator.load.overlay import apply_overlays

SPEAKEASY = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "openrouter-speakeasy"


def _workflow_overlays() -> list[Path]:
    """The overlays in the order Speakeasy's workflow.yaml applies them."""
    workflow = yaml.safe_load((SPEAKEASY / "workflow.yaml").read_text())
    source = workflow["sources"]["OpenRouter API"]
    return [SPEAKEASY / "overlays" / Path(o["location"]).name for o in source["overlays"]]


def test_the_openrouter_overlays_reproduce_speakeasys_output() -> None:
    overlays = _workflow_overlays()
    assert [p.name for p in overlays][:2] == ["open-enums.overlay.yaml", "remove-rss-responses.overlay.yaml"]
    assert len(overlays) == 7
    document = Spec(SPEAKEASY / "in.openapi.yaml").document
    diagnostics = apply_overlays(document, overlays)
    # allof-simplify's target matches nothing in this input (no allOf repeats an inline enum):
    # a warning that names the overlay and the action, not an error
    assert [(d.severity, Path(d.file).name, d.pointer) for d in diagnostics] == [
        (Severity.WARNING, "allof-simplify.overlay.yaml", "/actions/0/target")]
    expected = Spec(SPEAKEASY / "out.openapi.yaml").document
    # Equal as data: Speakeasy's output differs from ours only in YAML layout, not in content.
    assert document == expected


def _apply(document: Any, tmp_path: Path, actions: list[dict[str, Any]]) -> list[str]:
    path = tmp_path / "o.overlay.yaml"
    path.write_text(yaml.safe_dump({"overlay": "1.0.0", "info": {"title": "t", "version": "1"},
                                    "actions": actions}, sort_keys=False))
    return [f"{d.severity}:{d.pointer}:{d.message}" for d in apply_overlays(document, [path])]


def test_update_merges_deeply_concatenates_arrays_and_remove_deletes_every_match(tmp_path: Path) -> None:
    doc = {"info": {"title": "A", "contact": {"name": "x"}}, "tags": [{"name": "a"}],
           "list": [1, 2, 3, 4], "paths": {"/a": {"get": {"tags": ["a"]}}, "/b": {"get": {"tags": ["b"]}}}}
    assert _apply(doc, tmp_path, [
        {"target": "$.info", "update": {"title": "B", "contact": {"email": "e"}}},
        {"target": "$.tags", "update": [{"name": "b"}]},
        {"target": "$.tags", "update": {"name": "c"}},
        {"target": "$.paths.*.get", "update": {"tags": ["z"]}},
        {"target": "$.list[?@ > 1]", "remove": True},
        {"target": "$.paths['/b']", "remove": True},
    ]) == []
    assert doc == {"info": {"title": "B", "contact": {"name": "x", "email": "e"}},
                   "tags": [{"name": "a"}, {"name": "b"}, {"name": "c"}], "list": [1],
                   "paths": {"/a": {"get": {"tags": ["a", "z"]}}}}


def test_each_target_gets_its_own_copy_of_the_update(tmp_path: Path) -> None:
    doc: dict[str, Any] = {"a": {}, "b": {}}
    _apply(doc, tmp_path, [{"target": "$.*", "update": {"x": {"list": [1]}}}])
    doc["a"]["x"]["list"].append(2)
    assert doc["b"] == {"x": {"list": [1]}}


@pytest.mark.parametrize(("action", "expected"), [
    ({"target": "$..[?length(@.enum > 1]", "update": {}}, r"error:/actions/0/target:action 0: bad JSONPath .*"),
    ({"target": "info", "update": {}}, r"error:/actions/0/target:action 0: bad JSONPath 'info': expected '\$'.*"),
    ({"target": "$.info.title", "update": {"a": 1}}, (r"error:/actions/0/target:action 0: \$\['info'\]\['title'\] is a "
                                                     r"string; 'update' applies to objects and arrays .*")),
    ({"target": "$.info", "update": "text"}, r"error:/actions/0/update:action 0: \$\['info'\] is an object; .*"),
    ({"target": "$", "remove": True}, r"error:/actions/0/target:action 0: the document root .* cannot be removed"),
    ({"target": "$.nowhere", "remove": True},
     r"warning:/actions/0/target:action 0: target '\$.nowhere' selects nothing"),
    ({"target": "$.info"}, r"warning:/actions/0:action 0: does nothing .*"),
    ({"target": "$.info", "copy": "$.x"}, r"error:/actions/0/copy:action 0: 'copy' \(Overlay 1.1\) is not supported"),
])
def test_bad_actions_are_diagnostics_naming_the_action(tmp_path: Path, action: dict[str, Any], expected: str) -> None:
    doc = {"info": {"title": "A"}}
    before = copy.deepcopy(doc)
    found = _apply(doc, tmp_path, [action])
    assert len(found) == 1 and re.fullmatch(expected, found[0]), found
    assert doc == before


def test_not_an_overlay_document(tmp_path: Path) -> None:
    (tmp_path / "x.yaml").write_text("openapi: 3.0.3\n")
    (tmp_path / "v2.yaml").write_text("overlay: 2.0.0\nactions: []\n")
    found = apply_overlays({}, [tmp_path / "x.yaml", tmp_path / "v2.yaml", tmp_path / "missing.yaml"])
    assert [(Path(d.file).name, d.code, d.message) for d in found] == [
        ("x.yaml", "overlay", "not an Overlay document: the 'overlay' version field is missing"),
        ("v2.yaml", "overlay", "overlay version '2.0.0' is not supported; codegen reads Overlay 1.0.x"),
        ("missing.yaml", "overlay", "overlay: file not found"),
    ]


def test_a_targets_overlays_shape_the_generated_package(tmp_path: Path) -> None:
    project = make_project(tmp_path, overlays=["internal.overlay.yaml"])
    r = codegen("build", cwd=project)
    assert r.returncode == 0, r.stderr
    items = (project / "generated" / "shop" / "shop" / "resources" / "items.py").read_text()
    assert "def delete(" not in items and "def retrieve(" in items  # removed by the overlay
    assert "Lists the items of the shop." in items  # added by the overlay
    # the overlay is an input: editing it rebuilds the target
    edit(project / "overlays" / "internal.overlay.yaml", "Lists the items of the shop.", "All the items.")
    r = codegen("build", cwd=project)
    assert "up to date" not in r.stdout, r.stdout
    items = (project / "generated" / "shop" / "shop" / "resources" / "items.py").read_text()
    assert "All the items." in items


def test_a_bad_overlay_fails_the_build_with_file_line_and_action(tmp_path: Path) -> None:
    project = make_project(tmp_path, overlays=["bad.overlay.yaml"])
    r = codegen("build", cwd=project)
    assert r.returncode == 1
    lines = [ln for ln in r.stderr.splitlines() if "[overlay]" in ln]
    assert lines == [
        ("overlays/bad.overlay.yaml:9: error[overlay]: action 1: bad JSONPath '$..[?length(@.enum > 1]': "
        "unbalanced brackets, line 1, column 22 (at #/actions/1/target)"),
        ("overlays/bad.overlay.yaml:12: warning[overlay]: action 2: target \"$.paths['/nowhere']\" selects nothing "
        "(at #/actions/2/target)"),
    ]
    assert not (project / "generated").exists()


def test_an_overlay_that_selects_nothing_is_a_warning_unless_strict(tmp_path: Path) -> None:
    project = make_project(tmp_path, overlays=["nothing.overlay.yaml"])
    r = codegen("build", "--strict", cwd=project)
    assert r.returncode == 1 and "warning[overlay]: action 0: target" in r.stderr
    r = codegen("build", cwd=project)
    assert r.returncode == 0 and "warning[overlay]" in r.stderr
