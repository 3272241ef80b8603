"""Incremental builds: the lock file records every input; an unchanged target is skipped without
loading its spec; a changed one rewrites only the files whose content changed."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from ciproject import codegen, edit, make_project, stats, tree, write_config
from generator.emit import runtime
from generator.write import lock

HEAVY_MODULES = ("generator.pipeline", "jinja2", "black", "yaml", "jsonpath_rfc9535")


def _built(tmp_path: Path, **kwargs: object) -> Path:
    project = make_project(tmp_path, **kwargs)  # type: ignore[arg-type]
    r = codegen("build", cwd=project)
    assert r.returncode == 0, r.stderr
    return project


def _lock(project: Path) -> dict:  # type: ignore[type-arg]
    return json.loads((project / "generated" / "shop" / "codegen.lock").read_text())


def test_the_lock_records_every_input_every_output_and_the_names(tmp_path: Path) -> None:
    project = _built(tmp_path, overlays=["internal.overlay.yaml"])
    out = project / "generated" / "shop"
    text = (out / "codegen.lock").read_text()
    data = json.loads(text)
    assert text == json.dumps(data, indent=2, sort_keys=True) + "\n"  # deterministic, diff-friendly
    spec = project / "specs" / "shop"
    assert data["inputs"]["spec"] == {  # the root spec and the file reached through $ref
        "specs/shop/openapi.yaml": hashlib.sha256((spec / "openapi.yaml").read_bytes()).hexdigest(),
        "specs/shop/schemas/item.yaml": hashlib.sha256((spec / "schemas" / "item.yaml").read_bytes()).hexdigest(),
    }
    assert list(data["inputs"]["overlays"]) == ["overlays/internal.overlay.yaml"]
    assert "templates/client/resource.py.jinja" in data["inputs"]["templates"]
    assert "templates/runtime/_base_client.py" in data["inputs"]["templates"]
    assert data["config"] == {"spec": "specs/shop/openapi.yaml", "package": "shop",
                              "overlays": ["overlays/internal.overlay.yaml"], "env_var": None, "distribution": None}
    assert set(data["generator"]) == {"codegen", "code", "black"}
    files = tree(out)
    assert data["outputs"] == {p: hashlib.sha256(b).hexdigest() for p, b in files.items()
                               if p not in ("codegen.lock", ".codegen-manifest", "codegen.pristine")}
    assert "codegen.lock" in (out / ".codegen-manifest").read_text().split()
    names = data["names"]
    assert names["#/paths/~1items/get"] == "items.list"
    assert names["#/paths/~1items/get/parameters/query/limit"] == "items.list(limit)"
    assert names["#/paths/~1items/post/requestBody/properties/name"] == "items.create(name)"
    assert names["#/Item"] == "Item" and names["#/Item/properties/price"] == "Item.price"
    assert names["#/paths/~1items/get/parameters/query/status/schema"] == "ListItemsStatus"


def test_a_no_op_build_skips_the_target_without_loading_anything_heavy(tmp_path: Path) -> None:
    project = _built(tmp_path)
    before = stats(project / "generated")
    r = codegen("build", cwd=project, python_flags=["-X", "importtime"])
    assert r.returncode == 0 and r.stdout == "shop: up to date\n"
    imported = {line.split("|")[-1].strip() for line in r.stderr.splitlines() if "|" in line}
    assert not imported & set(HEAVY_MODULES), imported & set(HEAVY_MODULES)
    assert stats(project / "generated") == before


def test_touching_inputs_without_changing_them_keeps_the_target_up_to_date(tmp_path: Path) -> None:
    project = _built(tmp_path)
    for path in (project / "specs").rglob("*.yaml"):
        os.utime(path, (1, 1))
    assert codegen("build", cwd=project).stdout == "shop: up to date\n"


def test_a_changed_refd_file_rebuilds_and_rewrites_only_changed_files(tmp_path: Path) -> None:
    project = _built(tmp_path)
    out = project / "generated" / "shop"
    old_tree, old_stats = tree(out), stats(out)
    edit(project / "specs" / "shop" / "schemas" / "item.yaml", "    price: {type: number}\n    color:",
         "    price: {type: number}\n    weight: {type: number}\n    color:")
    r = codegen("build", cwd=project)
    assert r.returncode == 0 and "up to date" not in r.stdout, r.stdout
    new_tree, new_stats = tree(out), stats(out)
    assert b"weight" in new_tree["shop/models/item.py"]
    changed = {p for p in new_tree if old_tree.get(p) != new_tree[p]}
    assert {"shop/models/item.py", "codegen.lock"} <= changed
    assert "shop/_base_client.py" not in changed
    for path in new_tree:  # unchanged files are the same files: same inode, same mtime
        assert (new_stats[path] == old_stats.get(path)) == (path not in changed), path
    assert codegen("build", cwd=project).stdout == "shop: up to date\n"


def test_config_overlay_generator_and_template_changes_rebuild(tmp_path: Path) -> None:
    project = _built(tmp_path)
    write_config(project, env_var="SHOP_TOKEN")
    assert "up to date" not in codegen("build", cwd=project).stdout
    write_config(project, overlays=["internal.overlay.yaml"], env_var="SHOP_TOKEN")
    assert "up to date" not in codegen("build", cwd=project).stdout
    lock_path = project / "generated" / "shop" / "codegen.lock"
    good = lock_path.read_text()
    for field in ("code", "black", "codegen"):  # as if another codegen (or black) had written it
        data = json.loads(good)
        data["generator"][field] = "other"
        lock_path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")
        r = codegen("build", cwd=project)
        assert "up to date" not in r.stdout and lock_path.read_text() == good, field
    data = json.loads(good)
    data["inputs"]["templates"]["templates/client/resource.py.jinja"] = "0" * 64
    lock_path.write_text(json.dumps(data))
    assert "up to date" not in codegen("build", cwd=project).stdout
    assert lock_path.read_text() == good


def test_deleted_files_are_restored_hand_edits_kept_and_force_rebuilds_without_rewriting(tmp_path: Path) -> None:
    project = _built(tmp_path)
    out = project / "generated" / "shop"
    pristine = tree(out)
    (out / "shop" / "_client.py").write_text("# edited\n")  # a hand edit: kept (issue 18)
    (out / "docs" / "items.md").unlink()
    (out / "NOTES.md").write_text("mine")  # not codegen's: kept
    r = codegen("build", cwd=project)
    assert "1 added, 0 removed, 0 changed" in r.stdout, r.stdout
    assert tree(out) == {**pristine, "NOTES.md": b"mine", "shop/_client.py": b"# edited\n"}
    before = stats(out)
    r = codegen("build", "--force", cwd=project)
    assert "0 added, 0 removed, 0 changed" in r.stdout
    assert stats(out) == before


def test_the_lock_finds_templates_where_the_renderer_does() -> None:
    assert lock.templates_dir() == runtime.templates_dir()
