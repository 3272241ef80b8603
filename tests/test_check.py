"""`codegen check`: writes nothing, exits 1 with a short summary when generated/ is stale (hand
edits, inputs changed since the last build) and reports public names a spec change would rename."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from ciproject import codegen, edit, make_project, stats, tree

COMPONENT = """components:
  schemas:
    ListItemsStatus:
      type: object
      properties:
        count: {type: integer}
"""


def _built(tmp_path: Path) -> Path:
    project = make_project(tmp_path)
    assert codegen("build", cwd=project).returncode == 0
    return project


def test_an_up_to_date_output_passes_from_the_lock_alone(tmp_path: Path) -> None:
    project = _built(tmp_path)
    before = stats(project)
    r = codegen("check", cwd=project, python_flags=["-X", "importtime"])
    assert r.returncode == 0 and r.stdout == "shop: up to date\n"
    assert "generator.pipeline" not in r.stderr  # nothing regenerated: hashes only
    assert stats(project) == before
    assert codegen("check", "--full", cwd=project).stdout == "shop: up to date\n"


def test_a_target_never_built_is_stale_and_nothing_is_written(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    r = codegen("check", cwd=project)
    assert r.returncode == 1
    lines = r.stdout.splitlines()
    assert re.fullmatch(r"shop: stale \(no readable codegen.lock\): (\d+) added, 0 removed, 0 changed", lines[0])
    assert "  added    codegen.lock" in lines and "  added    shop/_client.py" in lines
    assert len(lines) == 22 and re.fullmatch(r"  \.\.\. and \d+ more", lines[-1])  # 20 files listed at most
    assert "run `codegen build`" in r.stderr
    assert not (project / "generated").exists()


def test_hand_edits_and_deleted_files_are_found_without_regenerating(tmp_path: Path) -> None:
    """An edited generated file is listed apart (a build would keep it: issue 18); a deleted one
    is stale (a build writes it again)."""
    project = _built(tmp_path)
    out = project / "generated" / "shop"
    (out / "shop" / "_client.py").write_text((out / "shop" / "_client.py").read_text() + "# tweak\n")
    (out / "docs" / "items.md").unlink()
    (out / "NOTES.md").write_text("not codegen's")
    before = stats(project)
    r = codegen("check", cwd=project, python_flags=["-X", "importtime"])
    assert r.returncode == 1
    assert r.stdout == ("shop: stale (files differ from codegen.lock): 1 added, 0 removed, 0 changed; "
                        "1 file(s) with hand edits\n"
                        "  added    docs/items.md\n"
                        "  edited   shop/_client.py\n")
    assert "generator.pipeline" not in r.stderr
    assert stats(project) == before


def test_a_lock_edited_to_hide_a_hand_edit_is_caught_by_full(tmp_path: Path) -> None:
    project = _built(tmp_path)
    out = project / "generated" / "shop"
    (out / "README.md").write_text("edited\n")
    data = json.loads((out / "codegen.lock").read_text())
    data["outputs"]["README.md"] = hashlib.sha256(b"edited\n").hexdigest()
    (out / "codegen.lock").write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")
    r = codegen("check", cwd=project)  # the pristine store's first line no longer matches the lock
    assert r.returncode == 1 and "  changed  codegen.pristine\n" in r.stdout
    r = codegen("check", "--full", cwd=project)
    assert r.returncode == 1 and "  changed  README.md\n" in r.stdout and "  changed  codegen.lock\n" in r.stdout


def test_a_spec_change_not_yet_built_is_stale_until_built(tmp_path: Path) -> None:
    project = _built(tmp_path)
    edit(project / "specs" / "shop" / "schemas" / "item.yaml", "enum: [red, green, blue]", "enum: [red, green]")
    before = tree(project)
    r = codegen("check", cwd=project)
    assert r.returncode == 1
    assert r.stdout.splitlines()[0] == ("shop: stale (specs/shop/schemas/item.yaml changed): "
                                        "0 added, 0 removed, 4 changed")
    assert r.stdout.splitlines()[1:] == ["  changed  codegen.lock", "  changed  codegen.pristine",
                                         "  changed  docs/models/items.md",  # the values
                                         "  changed  shop/models/color.py"]
    assert tree(project) == before
    assert codegen("build", cwd=project).returncode == 0
    assert codegen("check", cwd=project).returncode == 0


def test_a_silent_rename_is_reported_by_check_and_refused_by_strict_build(tmp_path: Path) -> None:
    """A new component takes the name an inline schema had: the inline enum would silently
    become ListItemsStatus2, and the old name would now mean a different class."""
    project = _built(tmp_path)
    spec = project / "specs" / "shop" / "openapi.yaml"
    spec.write_text(spec.read_text() + COMPONENT)
    r = codegen("check", cwd=project)
    assert r.returncode == 1
    assert ("  renamed  ListItemsStatus -> ListItemsStatus2  "
            "(at #/paths/~1items/get/parameters/query/status/schema)") in r.stdout.splitlines()
    before = tree(project)
    r = codegen("build", "--strict", cwd=project)
    assert r.returncode == 1
    assert ("specs/shop/openapi.yaml: warning[name-lock]: public name ListItemsStatus would become ListItemsStatus2 "
            "(codegen.lock records ListItemsStatus); x-codegen-name on a schema or operation pins its name "
            "(at #/paths/~1items/get/parameters/query/status/schema)") in r.stderr.splitlines()
    assert tree(project) == before
    r = codegen("build", cwd=project)  # without --strict: a warning, and the new names are locked
    assert r.returncode == 0 and "warning[name-lock]" in r.stderr
    assert codegen("check", cwd=project).returncode == 0


def test_check_names_targets_and_refuses_unknown_ones(tmp_path: Path) -> None:
    project = _built(tmp_path)
    assert codegen("check", "shop", cwd=project).returncode == 0
    r = codegen("check", "nope", cwd=project)
    assert r.returncode == 2 and "unknown target(s) nope; declared: shop" in r.stderr


def test_a_spec_that_cannot_be_generated_fails_the_check(tmp_path: Path) -> None:
    project = _built(tmp_path)
    (project / "specs" / "shop" / "openapi.yaml").write_text("openapi: [unclosed\n")
    r = codegen("check", cwd=project)
    assert r.returncode == 1
    assert "error[parse]" in r.stderr and "shop: cannot be generated" in r.stderr
