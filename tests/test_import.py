"""`codegen import`: documentation pages -> clean vendor specs.

The seed pages are read from ``<repo>/../shared/seeds`` (never copied into the repository); the
small pages under ``tests/data/import`` are our own.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from openapi_spec_validator import OpenAPIV31SpecValidator

from generator.importer import import_pages
from generator.importer.flat import unflatten

REPO = Path(__file__).resolve().parents[1]
SEEDS_DIR = REPO.parent / "shared" / "seeds"
SEEDS = sorted(SEEDS_DIR.glob("*.txt"))
DATA = Path(__file__).resolve().parent / "data" / "import"
UPDATE_COMMAND = "codegen import ../shared/seeds/*.txt --out specs/"

needs_seeds = pytest.mark.skipif(not SEEDS, reason=f"seed pages not found in {SEEDS_DIR}")


def page(name: str) -> Path:
    return DATA / name


def seed(prefix: str) -> Path:
    return next(p for p in SEEDS if p.name.startswith(prefix))


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str
    out: Path

    def spec(self, vendor: str) -> dict[str, Any]:
        return load(self.out / vendor / "openapi.yaml")

    def lines(self, code: str) -> list[str]:
        return [ln for ln in self.stderr.splitlines() if f"[{code}]" in ln]


def load(path: Path) -> dict[str, Any]:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(doc, dict)
    return doc


def codegen_import(pages: list[Path | str], out: Path, env: dict[str, str] | None = None) -> Run:
    """Run the real CLI in a subprocess, as a user would."""
    proc = subprocess.run(
        [sys.executable, "-m", "generator.cli", "import", *map(str, pages), "--out", str(out)],
        cwd=REPO, capture_output=True, text=True, env={**os.environ, **(env or {})}, timeout=120,
    )
    return Run(proc.returncode, proc.stdout, proc.stderr, out)


def validation_errors(doc: dict[str, Any]) -> list[str]:
    return [e.message for e in OpenAPIV31SpecValidator(doc).iter_errors()]


def operation_ids(doc: dict[str, Any]) -> dict[tuple[str, str], str]:
    return {(m.upper(), p): op["operationId"] for p, item in doc["paths"].items() for m, op in item.items()}


# -- extraction ------------------------------------------------------------------------------------

def test_four_backtick_fence_keeps_a_shorter_fence_inside(tmp_path: Path) -> None:
    run = codegen_import([page("demo_list_widgets.md")], tmp_path)
    assert run.code == 0, run.stderr
    op = run.spec("demo")["paths"]["/widgets"]["get"]
    assert op["operationId"] == "listWidgets"
    assert "```python client.widgets.list() ```" in op["description"]


def test_three_backtick_fence_without_language_tag(tmp_path: Path) -> None:
    run = codegen_import([page("demo_get_widget.md")], tmp_path)
    assert run.code == 0, run.stderr
    assert operation_ids(run.spec("demo")) == {("GET", "/widgets/{id}"): "get-widget"}


def test_json_fence(tmp_path: Path) -> None:
    run = codegen_import([page("demo_gadgets.md")], tmp_path)
    assert run.code == 0, run.stderr
    assert operation_ids(run.spec("demo")) == {("GET", "/gadgets"): "listGadgets"}


def test_several_blocks_on_a_page_keep_only_openapi_documents(tmp_path: Path) -> None:
    run = codegen_import([page("several_blocks.md")], tmp_path)
    assert run.code == 0, run.stderr
    doc = run.spec("demo")
    assert operation_ids(doc) == {("GET", "/health"): "getHealth", ("GET", "/version"): "getVersion"}
    assert "status" not in doc and "checks" not in doc  # the YAML example block is not a spec
    assert doc["x-codegen-sources"] == ["several_blocks.md"]


def test_plain_yaml_and_json_spec_files_pass_through(tmp_path: Path) -> None:
    run = codegen_import([page("other.yaml"), page("status.json")], tmp_path)
    assert run.code == 0, run.stderr
    other = run.spec("other-service")
    assert other["openapi"] == "3.1.0"  # a 3.0 file comes out as 3.1
    assert other["paths"]["/things"]["get"]["parameters"][0]["schema"] == {"type": ["integer", "null"], "minimum": 1}
    assert operation_ids(run.spec("demo")) == {("GET", "/status"): "getStatus"}
    assert run.spec("demo")["servers"] == [{"url": "https://demo.example/api/v1"}]  # trailing '/' dropped


FLATTENED_SOURCE = """\
openapi: 3.1.0
info:
  title: Demo API
  version: 2.0.0
paths:
  /widgets/:
    delete:
      operationId: delete-widget
      summary: Delete a widget
      description: >-
        Delete a widget for good. Deleted widgets cannot be restored: think
        twice. Widgets in use cannot be deleted.
      tags:
        - subpackage_widgets
      parameters:
        - name: id
          in: path
          description: 'The widget ID, for example: w-42'
          required: true
          schema:
            type: string
        - name: Authorization
          in: header
          required: true
          schema:
            type: string
      responses:
        '204':
          description: Deleted
servers:
  - url: https://demo.example/api/v1
components:
  securitySchemes:
    bearer:
      type: http
      scheme: bearer
"""


def test_flattened_page_of_our_own_recovers_the_document() -> None:
    flat_line = next(ln for ln in page("flattened_delete_widget.txt").read_text().splitlines()
                     if ln.startswith("openapi:"))
    assert flat_line == FLATTENED_SOURCE.rstrip("\n").replace("\n", "")  # the page really is flattened
    recovered = yaml.safe_load(unflatten(flat_line)[0].text)
    assert recovered == yaml.safe_load(FLATTENED_SOURCE)


def test_flattened_page_imports_with_folded_text_and_repaired_path(tmp_path: Path) -> None:
    run = codegen_import([page("flattened_delete_widget.txt")], tmp_path)
    assert run.code == 0, run.stderr
    op = run.spec("demo")["paths"]["/widgets/{id}"]["delete"]
    assert op["description"] == ("Delete a widget for good. Deleted widgets cannot be restored: think twice. "
                                 "Widgets in use cannot be deleted.")
    assert op["parameters"][0]["description"] == "The widget ID, for example: w-42"


@needs_seeds
@pytest.mark.parametrize("prefix", ["000", "001", "003", "004"])
def test_flattening_any_seed_spec_is_undone(prefix: str) -> None:
    """Flatten each well-formed seed spec the way the ModelGates page was, then recover it."""
    text = seed(prefix).read_text(encoding="utf-8")
    fence = "````" if "````yaml" in text else "```"
    body = text.split(fence + "yaml", 1)[1].split("\n", 1)[1].split("\n" + fence, 1)[0]
    recovered = yaml.safe_load(unflatten(body.replace("\n", ""))[0].text)
    assert recovered == yaml.safe_load(body)


@needs_seeds
def test_flattened_seed_page_modelgates(tmp_path: Path) -> None:
    run = codegen_import([seed("002")], tmp_path)
    assert run.code == 0, run.stderr
    doc = run.spec("modelgates")
    op = doc["paths"]["/workspaces/{id}"]["delete"]
    assert op["description"].startswith("Delete an existing workspace. The default workspace cannot be deleted. "
                                        "Workspaces with active API keys")
    assert op["description"].endswith("[Management key](/docs/guides/overview/auth/management-api-keys) required.")
    errors = {f"{kind}Response{suffix}" for kind in ("BadRequest", "Unauthorized", "Forbidden", "NotFound",
                                                     "InternalServer") for suffix in ("", "ErrorData")}
    assert set(doc["components"]["schemas"]) == errors | {"DeleteWorkspaceResponse"}


# -- merge rules -----------------------------------------------------------------------------------

def test_equal_components_are_kept_once(tmp_path: Path) -> None:
    """Same schema spelled two ways (nullable vs type list, key order, description wording)."""
    run = codegen_import([page("demo_list_widgets.md"), page("demo_get_widget.md")], tmp_path)
    assert run.code == 0, run.stderr
    schemas = run.spec("demo")["components"]["schemas"]
    assert schemas["Widget"]["properties"]["label"]["type"] == ["string", "null"]
    assert schemas["Error"]["required"] == ["message"]
    assert not run.lines("import.conflict")


def test_superset_component_keeps_the_richer_one_with_a_note(tmp_path: Path) -> None:
    run = codegen_import([page("demo_list_widgets.md"), page("merge_superset.md")], tmp_path)
    assert run.code == 0, run.stderr
    assert list(run.spec("demo")["components"]["schemas"]["Widget"]["properties"]) == ["id", "label", "color"]
    notes = [ln for ln in run.lines("import.merge") if "'Widget'" in ln]
    assert len(notes) == 1 and "note[" in notes[0] and "merge_superset.md" in notes[0]
    assert "demo_list_widgets.md" in notes[0] and "/properties/color" in notes[0]


@needs_seeds
def test_seed_error_bodies_keep_openrouter_metadata(tmp_path: Path) -> None:
    run = codegen_import([seed("000"), seed("004")], tmp_path)
    assert run.code == 0, run.stderr
    schemas = run.spec("openrouter")["components"]["schemas"]
    for name in ("UnauthorizedResponse", "NotFoundResponse", "InternalServerResponse"):
        assert "openrouter_metadata" in schemas[name]["properties"], name
    assert "TooManyRequestsResponse" in schemas  # only on the Fern page


def test_conflicting_components_stop_with_an_error_naming_both_pages(tmp_path: Path) -> None:
    out = tmp_path / "out"
    run = codegen_import([page("demo_list_widgets.md"), page("merge_conflict.md")], out)
    assert run.code == 1
    assert not out.exists()
    [line] = run.lines("import.conflict")
    assert "error[" in line and "demo_list_widgets.md" in line and "merge_conflict.md" in line
    assert "#/components/schemas/Widget/properties/id/type" in line


# -- repairs ---------------------------------------------------------------------------------------

def test_path_that_lost_its_template_is_repaired_from_code_samples(tmp_path: Path) -> None:
    run = codegen_import([page("flattened_delete_widget.txt")], tmp_path)
    assert "/widgets/{id}" in run.spec("demo")["paths"] and "/widgets/" not in run.spec("demo")["paths"]
    [line] = run.lines("import.repair.path-template")
    assert line.startswith(f"{page('flattened_delete_widget.txt')}:14:")
    assert "warning[" in line and "'/widgets/w-42'" in line and "#/paths/~1widgets~1" in line


def test_authorization_header_becomes_a_security_requirement(tmp_path: Path) -> None:
    run = codegen_import([page("demo_get_widget.md")], tmp_path)
    doc = run.spec("demo")
    params = doc["paths"]["/widgets/{id}"]["get"]["parameters"]
    assert [p["name"] for p in params] == ["id"]
    assert doc["security"] == [{"bearer": []}]
    [line] = run.lines("import.repair.auth-header")
    assert "warning[" in line and "#/paths/~1widgets~1{id}/get/parameters/1" in line


def test_fern_tags_take_the_vendors_tag_names(tmp_path: Path) -> None:
    run = codegen_import([page("demo_list_widgets.md"), page("demo_get_widget.md"),
                          page("flattened_delete_widget.txt")], tmp_path)
    doc = run.spec("demo")
    tags = {(m, p): op["tags"] for p, item in doc["paths"].items() for m, op in item.items()}
    assert set(map(tuple, tags.values())) == {("Widgets",)}
    assert doc["tags"] == [{"name": "Widgets", "description": "Widget endpoints"}]  # unused tags left out
    assert len(run.lines("import.repair.fern-tag")) == 2


@needs_seeds
def test_fern_tag_without_a_declaring_page_is_humanised(tmp_path: Path) -> None:
    run = codegen_import([seed("004")], tmp_path)
    assert run.spec("openrouter")["paths"]["/keys/{hash}"]["delete"]["tags"] == ["API Keys"]


def test_invalid_component_names_are_renamed_with_refs_rewritten(tmp_path: Path) -> None:
    run = codegen_import([page("demo_get_widget.md")], tmp_path)
    doc = run.spec("demo")
    assert "Widgets_getWidget_Response_200" in doc["components"]["schemas"]
    ref = doc["paths"]["/widgets/{id}"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    assert ref == "#/components/schemas/Widgets_getWidget_Response_200"
    [line] = run.lines("import.repair.component-name")
    assert "warning[" in line and "Widgets_getWidget Response 200" in line
    assert validation_errors(doc) == []


def test_repairs_without_code_samples_or_security_scheme(tmp_path: Path) -> None:
    """No sample URL: the empty segment is the evidence; no scheme: a Bearer header creates one."""
    spec = ("openapi: 3.1.0\ninfo:\n  title: Tiny API\n  version: '1'\npaths:\n  /items/:\n    get:\n"
            "      operationId: getItem\n      parameters:\n        - {name: id, in: path, required: true, "
            "schema: {type: string}}\n        - {name: Authorization, in: header, required: true, "
            "description: 'Bearer <token>', schema: {type: string}}\n      responses:\n"
            "        '200': {description: OK}\n")
    source = tmp_path / "tiny.md"
    source.write_text(f"# Get an item\n\n```yaml\n{spec}```\n")
    run = codegen_import([source], tmp_path / "out")
    assert run.code == 0, run.stderr
    doc = run.spec("tiny")
    assert list(doc["paths"]) == ["/items/{id}"]
    assert doc["components"]["securitySchemes"] == {"bearerAuth": {"type": "http", "scheme": "bearer"}}
    assert doc["security"] == [{"bearerAuth": []}]
    assert "empty segment" in run.lines("import.repair.path-template")[0]


def test_flattened_spec_inside_a_fence_and_a_broken_one(tmp_path: Path) -> None:
    flat = FLATTENED_SOURCE.rstrip("\n").replace("\n", "")
    good, bad = tmp_path / "good.md", tmp_path / "bad.md"
    good.write_text(f"# Delete\n\n```yaml\n{flat}\n```\n\nCalls /widgets/w-42 at https://demo.example/api/v1/widgets/w-42\n")
    bad.write_text(f"# Delete\n\n```yaml\n{flat.replace('responses:', 'responses: [')}\n```\n")
    assert codegen_import([good], tmp_path / "a").spec("demo")["paths"]["/widgets/{id}"]["delete"]
    run = codegen_import([bad], tmp_path / "b")
    assert run.code == 1
    [line] = run.lines("import.parse")
    assert line.startswith(f"{bad}:4:") and "flattened" in line


# -- vendors, determinism, output ------------------------------------------------------------------

def test_two_vendors_at_once(tmp_path: Path) -> None:
    run = codegen_import([page("demo_gadgets.md"), page("other.yaml")], tmp_path)
    assert run.code == 0, run.stderr
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("openapi.yaml")) == [
        "demo/openapi.yaml", "other-service/openapi.yaml"]
    assert run.spec("demo")["x-codegen-sources"] == ["demo_gadgets.md"]
    assert run.spec("other-service")["x-codegen-sources"] == ["other.yaml"]


OWN_PAGES = ["demo_list_widgets.md", "demo_get_widget.md", "demo_gadgets.md", "flattened_delete_widget.txt",
             "several_blocks.md", "other.yaml", "status.json", "merge_superset.md"]


def test_page_order_and_hash_seed_do_not_change_the_bytes(tmp_path: Path) -> None:
    first = codegen_import([page(n) for n in OWN_PAGES], tmp_path / "a", {"PYTHONHASHSEED": "1"})
    second = codegen_import([page(n) for n in reversed(OWN_PAGES)], tmp_path / "b", {"PYTHONHASHSEED": "2"})
    assert first.code == second.code == 0, first.stderr + second.stderr
    for vendor in ("demo", "other-service"):
        a = (tmp_path / "a" / vendor / "openapi.yaml").read_bytes()
        assert a == (tmp_path / "b" / vendor / "openapi.yaml").read_bytes(), vendor


def test_output_is_readable_block_yaml(tmp_path: Path) -> None:
    run = codegen_import([page(n) for n in OWN_PAGES], tmp_path)
    raw = (tmp_path / "demo" / "openapi.yaml").read_bytes()
    text = raw.decode("utf-8")
    assert b"\r" not in raw and text.endswith("\n")
    assert text.startswith("# Code generated by `codegen import`")
    top = [ln.split(":")[0] for ln in text.splitlines() if ln and not ln.startswith(("#", " "))]
    assert top == ["openapi", "info", "servers", "security", "tags", "paths", "components", "x-codegen-sources"]
    assert "{" not in text.replace("{id}", "")  # block style only
    assert "&id" not in text and "*id" not in text  # no YAML aliases
    assert validation_errors(run.spec("demo")) == []


# -- bad input -------------------------------------------------------------------------------------

def test_page_without_openapi_document(tmp_path: Path) -> None:
    out = tmp_path / "out"
    run = codegen_import([page("no_openapi.md")], out)
    assert run.code == 1 and not out.exists()
    [line] = run.lines("import.no-openapi")
    assert line.startswith(f"{page('no_openapi.md')}: error[import.no-openapi]: no OpenAPI document found")


def test_yaml_that_does_not_parse_reports_page_line_and_column(tmp_path: Path) -> None:
    out = tmp_path / "out"
    run = codegen_import([page("bad_yaml.md"), page("demo_gadgets.md")], out)
    assert run.code == 1 and not out.exists()
    [line] = run.lines("import.parse")
    assert line.startswith(f"{page('bad_yaml.md')}:14:9: error[import.parse]: YAML does not parse")


def test_missing_file_fails_without_touching_the_output(tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "demo").mkdir(parents=True)
    (out / "demo" / "openapi.yaml").write_text("old\n")
    missing = tmp_path / "nope.md"
    run = codegen_import([page("demo_gadgets.md"), missing], out)
    assert run.code == 1
    assert (out / "demo" / "openapi.yaml").read_text() == "old\n"
    assert run.lines("import.missing") == [f"{missing}: error[import.missing]: file not found (at #)"]


def test_every_bad_input_gets_one_line(tmp_path: Path) -> None:
    run = codegen_import([page("no_openapi.md"), page("bad_yaml.md"), tmp_path / "gone.md"], tmp_path / "out")
    assert run.code == 1
    errors = [ln for ln in run.stderr.splitlines() if "error[" in ln]
    assert len(errors) == 3
    assert run.stderr.splitlines()[-1] == "failed: 3 error(s), 0 warning(s)"


def test_library_result_has_no_files_on_errors() -> None:
    result = import_pages([page("demo_list_widgets.md"), page("merge_conflict.md")])
    assert result.files == {}
    assert any(d.code == "import.conflict" for d in result.diagnostics)


# -- the committed specs ---------------------------------------------------------------------------

@needs_seeds
def test_seeds_reproduce_the_committed_specs_byte_for_byte(tmp_path: Path) -> None:
    run = codegen_import([os.path.relpath(p, REPO) for p in SEEDS], tmp_path)
    assert run.code == 0, run.stderr
    committed = sorted(p.relative_to(REPO / "specs").as_posix() for p in (REPO / "specs").rglob("*") if p.is_file())
    produced = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    hint = f"specs/ is out of date; update it with: {UPDATE_COMMAND}"
    assert produced == committed, hint
    for rel in produced:
        assert (tmp_path / rel).read_bytes() == (REPO / "specs" / rel).read_bytes(), f"{rel} differs. {hint}"


def test_committed_openrouter_spec() -> None:
    doc = load(REPO / "specs" / "openrouter" / "openapi.yaml")
    assert validation_errors(doc) == []
    assert operation_ids(doc) == {
        ("GET", "/workspaces"): "listWorkspaces",
        ("PATCH", "/workspaces/{id}"): "updateWorkspace",
        ("DELETE", "/workspaces/{id}"): "deleteWorkspace",
        ("DELETE", "/keys/{hash}"): "delete-keys",
    }
    assert doc["servers"][0]["url"] == "https://openrouter.ai/api/v1"
    assert doc["components"]["securitySchemes"]["apiKey"] == {
        "type": "http", "description": "API key as bearer token in Authorization header", "scheme": "bearer"}
    assert doc["security"] == [{"apiKey": []}]
    assert doc["paths"]["/keys/{hash}"]["delete"]["tags"] == ["API Keys"]
    assert {t["name"] for t in doc["tags"]} == {"API Keys", "Workspaces"}
    schemas = doc["components"]["schemas"]
    for name in ("BadRequestResponse", "UnauthorizedResponse", "ForbiddenResponse", "NotFoundResponse",
                 "TooManyRequestsResponse", "InternalServerResponse"):
        assert schemas[name]["properties"]["error"]["$ref"] == f"#/components/schemas/{name}ErrorData"
    for item in doc["paths"].values():
        for op in item.values():
            assert all(p["name"] != "Authorization" for p in op.get("parameters", []))
    assert doc["x-codegen-sources"] == ["000_b49c208a89b4c9b2.txt", "001_0fb2e3e36ffd04db.txt",
                                        "003_f9b66aa369c1bbeb.txt", "004_a824945da0473a96.txt"]


def test_committed_modelgates_spec() -> None:
    doc = load(REPO / "specs" / "modelgates" / "openapi.yaml")
    assert validation_errors(doc) == []
    assert operation_ids(doc) == {("DELETE", "/workspaces/{id}"): "delete-workspace"}
    assert doc["servers"] == [{"url": "https://modelgates.ai/api/v1"}]
    assert doc["security"] == [{"apiKey": []}]
    assert doc["paths"]["/workspaces/{id}"]["delete"]["tags"] == ["Workspaces"]
