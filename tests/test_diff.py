"""`codegen diff`: spec changes as changes to the generated Python API, grouped breaking and
non-breaking, with a semver suggestion; Markdown or JSON; --fail-on; a target at a git revision."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from ciproject import CI_DATA, codegen, edit, make_project

ITEM = "schemas/item.yaml"


def _variant(tmp_path: Path, name: str, edits: list[tuple[str, str, str]]) -> Path:
    """A copy of the shop spec with ``(file, old, new)`` text edits."""
    folder = tmp_path / name
    shutil.copytree(CI_DATA / "shop", folder)
    for file, old, new in edits:
        edit(folder / file, old, new)
    return folder / "openapi.yaml"


def _diff(old: Path, new: Path, *args: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    r = codegen("diff", str(old), str(new), "--format", "json", *args, cwd=old.parent)
    assert r.returncode in (0, 1), r.stderr
    return r.returncode, json.loads(r.stdout)


def _rows(changes: list[dict]) -> list[tuple[str, str, str]]:  # type: ignore[type-arg]
    return [(c["kind"], c["subject"], c["message"]) for c in changes]


BREAKING_EDITS = [
    # a method removed, a method renamed (same endpoint, new operationId)
    ("openapi.yaml", ("    delete:\n      operationId: deleteItem\n      tags: [Items]\n      parameters:\n"
     "        - name: itemId\n          in: path\n          required: true\n          schema: {type: string}\n"
     "      responses:\n        \"204\":\n          description: deleted\n"), ""),
    # (fetchItem would keep the name: get and fetch are both "retrieve" on an item path)
    ("openapi.yaml", "operationId: getItem", "operationId: lookupItem"),
    # an argument removed, a new required argument, an enum value removed from an inline enum
    ("openapi.yaml", "        - name: limit\n          in: query\n          schema: {type: integer}\n",
     "        - name: region\n          in: query\n          required: true\n          schema: {type: string}\n"),
    ("openapi.yaml", "enum: [active, archived]", "enum: [active]"),
    # request model: a field made required and narrowed (flattened into create()'s arguments)
    (ITEM, "  required: [name]\n  properties:\n    name: {type: string}\n    price: {type: number}",
     "  required: [name, price]\n  properties:\n    name: {type: string}\n    price: {type: integer}"),
    # response model: a field removed, one widened (now nullable); an enum value removed
    (ITEM, "    price: {type: number}\n    color:", "    color:"),
    (ITEM, "    id: {type: string}", "    id: {type: string, nullable: true}"),
    (ITEM, "enum: [red, green, blue]", "enum: [red, green]"),
]


def test_breaking_changes_in_terms_of_the_python_api(tmp_path: Path) -> None:
    old = CI_DATA / "shop" / "openapi.yaml"
    new = _variant(tmp_path, "new", BREAKING_EDITS)
    code, data = _diff(old, new)
    assert code == 0  # no --fail-on
    assert data["semver"] == "major"
    assert _rows(data["breaking"]) == [
        ("method-removed", "client.items.delete()", "method removed"),
        ("argument-removed", "client.items.list(limit=)", "argument removed"),
        ("argument-added", "client.items.list(region=)", "new required argument"),
        # a one-value enum is generated as a Literal: the class goes, and fewer values are accepted
        ("argument-type-narrowed", "client.items.list(status=)",
         "type narrowed: ListItemsStatus -> Literal['active']"),
        ("method-renamed", "client.items.retrieve()", "renamed to client.items.lookup()"),
        ("argument-required", "client.items.create(price=)", "argument is now required"),
        ("argument-type-narrowed", "client.items.create(price=)", "type narrowed: float -> int"),
        ("enum-removed", "ListItemsStatus", "enum removed"),
        ("enum-value-removed", "Color.BLUE", "value 'blue' removed"),
        ("field-removed", "Item.price", "field removed"),
        ("field-type-widened", "Item.id", "type widened: str -> str | None (a response model)"),
        ("field-required", "NewItem.price", "field is now required (a request model)"),
        ("field-type-narrowed", "NewItem.price", "type narrowed: float -> int (a request model)"),
    ]
    assert data["non_breaking"] == []
    assert code == 0


def test_compatible_changes_suggest_a_minor_version(tmp_path: Path) -> None:
    old = CI_DATA / "shop" / "openapi.yaml"
    new = _variant(tmp_path, "new", [
        ("openapi.yaml", "          schema: {type: integer}\n",  # limit: int -> float (an argument widened)
         ("          schema: {type: number}\n        - name: q\n          in: query\n"
         "          schema: {type: string}\n")),
        ("openapi.yaml", "enum: [active, archived]", "enum: [active, archived, draft]"),
        (ITEM, "    price: {type: number}\n    color:", ("    price: {type: integer}\n    tags: {type: array, items: "
               "{type: string}}\n    color:")),  # response: narrowed is fine, a new optional field too
        (ITEM, "enum: [red, green, blue]", "enum: [red, green, blue, black]"),
        ("openapi.yaml", "  /items/{itemId}:\n", (
         "  /items/{itemId}/archive:\n    post:\n      operationId: archiveItem\n"
         "      tags: [Items]\n      parameters:\n        - name: itemId\n          in: path\n"
         "          required: true\n"
         "          schema: {type: string}\n      responses:\n        \"204\":\n          description: archived\n"
         "  /items/{itemId}:\n")),
    ])
    code, data = _diff(old, new, "--fail-on", "breaking")
    assert code == 0 and data["semver"] == "minor" and data["breaking"] == []
    assert _rows(data["non_breaking"]) == [
        ("method-added", "client.items.archive()", "new method"),
        ("argument-added", "client.items.list(q=)", "new optional argument"),
        ("argument-type-widened", "client.items.list(limit=)", "type widened: int -> float"),
        ("enum-value-added", "Color.BLACK", "new value 'black'"),
        ("field-added", "Item.tags", "new optional field"),
        ("field-type-narrowed", "Item.price", "type narrowed: float -> int (a response model)"),
        ("enum-value-added", "ListItemsStatus.DRAFT", "new value 'draft'"),
    ]
    assert codegen("diff", str(old), str(new), "--fail-on", "any", cwd=tmp_path).returncode == 1


def test_a_name_taken_by_a_new_schema_is_a_rename_of_the_old_one(tmp_path: Path) -> None:
    """The inline enum of `status` was ListItemsStatus; a new component takes that name, so the
    enum silently becomes ListItemsStatus2 while ListItemsStatus now means another class."""
    old = CI_DATA / "shop" / "openapi.yaml"
    new = _variant(tmp_path, "new", [])
    new.write_text(new.read_text() + "components:\n  schemas:\n    ListItemsStatus:\n      type: object\n"
                   "      properties:\n        count: {type: integer}\n")
    _code, data = _diff(old, new)
    assert _rows(data["breaking"]) == [("enum-renamed", "ListItemsStatus", "enum renamed to ListItemsStatus2")]
    assert _rows(data["non_breaking"]) == [("model-added", "ListItemsStatus", "new model")]


def test_documentation_only_changes_are_a_patch_and_identical_specs_nothing(tmp_path: Path) -> None:
    old = CI_DATA / "shop" / "openapi.yaml"
    new = _variant(tmp_path, "new", [("openapi.yaml", "description: the items", "description: all the items")])
    assert _diff(old, new)[1] == {"semver": "patch", "breaking": [], "non_breaking": []}
    assert _diff(old, old)[1]["semver"] == "none"


def test_markdown_report_and_fail_on_breaking(tmp_path: Path) -> None:
    old = CI_DATA / "shop" / "openapi.yaml"
    new = _variant(tmp_path, "new", BREAKING_EDITS[:2])
    r = codegen("diff", str(old), str(new), "--fail-on", "breaking", cwd=tmp_path)
    assert r.returncode == 1
    assert r.stdout == (
        f"## API changes: {old} -> {new}\n\n"
        "Suggested version bump: **major** (breaking changes; 2 breaking, 0 non-breaking)\n\n"
        "### Breaking\n\n"
        "- `client.items.delete()`: method removed (DELETE /items/{itemId})\n"
        "- `client.items.retrieve()`: renamed to client.items.lookup() (GET /items/{itemId})\n"
    )


def test_a_target_at_a_git_revision_against_the_working_tree(tmp_path: Path) -> None:
    project = make_project(tmp_path / "repo", overlays=["internal.overlay.yaml"])
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.test", "-c", "commit.gpgsign=false"]
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    subprocess.run([*git, "add", "-A"], cwd=project, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "v1"], cwd=project, check=True)
    # the overlay stops hiding delete(); the spec loses retrieve()
    edit(project / "overlays" / "internal.overlay.yaml", "    remove: true\n", "    update: {}\n")
    edit(project / "specs" / "shop" / "openapi.yaml", "  /items/{itemId}:\n    get:\n      operationId: getItem",
         "  /items/{itemId}:\n    x-get:\n      operationId: getItem")
    r = codegen("diff", "--target", "shop", "--rev", "HEAD", "--format", "json", cwd=project)
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert _rows(data["breaking"]) == [("method-removed", "client.items.retrieve()", "method removed")]
    assert ("method-added", "client.items.delete()", "new method") in _rows(data["non_breaking"])
    r = codegen("diff", "--target", "shop", "--rev", "no-such-rev", cwd=project)
    assert r.returncode == 2 and "error: git rev-parse" in r.stderr


@pytest.mark.parametrize("args", [["one.yaml"], ["a.yaml", "b.yaml", "--target", "x", "--rev", "HEAD"],
                                  ["--target", "shop"], ["a.yaml", "b.yaml", "c.yaml"]])
def test_usage_errors(tmp_path: Path, args: list[str]) -> None:
    r = codegen("diff", *args, cwd=tmp_path)
    assert r.returncode == 2 and "give OLD NEW" in r.stderr


def test_a_spec_that_cannot_be_built_is_an_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("openapi: [\n")
    r = codegen("diff", str(CI_DATA / "shop" / "openapi.yaml"), str(bad), cwd=tmp_path)
    assert r.returncode == 1 and "error[parse]" in r.stderr
