"""`codegen import`: a header parameter that repeats an apiKey-in-header scheme (declared on the
same page or on another page of the same vendor) becomes that scheme's security requirement, with
the warning the ``Authorization`` repair gives.  The pages under ``tests/data/import`` are our own."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml
from openapi_spec_validator import OpenAPIV31SpecValidator

REPO = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data" / "import"


def run_import(pages: list[str], out: Path) -> tuple[int, str, dict[str, Any]]:
    proc = subprocess.run([sys.executable, "-m", "generator.cli", "import", *(str(DATA / p) for p in pages),
                           "--out", str(out)], cwd=REPO, capture_output=True, text=True, env=dict(os.environ),
                          timeout=120)
    spec = out / "keys-demo" / "openapi.yaml"
    doc = yaml.safe_load(spec.read_text(encoding="utf-8")) if spec.exists() else {}
    return proc.returncode, proc.stderr, doc


def auth_lines(stderr: str) -> list[str]:
    return [ln for ln in stderr.splitlines() if "[import.repair.auth-header]" in ln]


def test_header_repeating_the_pages_own_api_key_scheme_becomes_its_requirement(tmp_path: Path) -> None:
    code, stderr, doc = run_import(["keys_get_gadget.md"], tmp_path)
    assert code == 0, stderr
    op = doc["paths"]["/gadgets/{id}"]["get"]
    assert [p["name"] for p in op["parameters"]] == ["id"]
    assert op.get("security", doc.get("security")) == [{"keyAuth": []}]  # every operation: said once at the top
    [line] = auth_lines(stderr)
    assert "warning[" in line and "'X-Keys-Key'" in line and "'keyAuth'" in line
    assert "#/paths/~1gadgets~1{id}/get/parameters/1" in line and "keys_get_gadget.md:" in line
    assert [e.message for e in OpenAPIV31SpecValidator(doc).iter_errors()] == []


def test_header_repeating_a_scheme_declared_on_another_page_of_the_vendor(tmp_path: Path) -> None:
    code, stderr, doc = run_import(["keys_list_gadgets.md", "keys_get_gadget.md"], tmp_path)
    assert code == 0, stderr
    item = doc["paths"]["/gadgets"]
    assert "parameters" not in item  # the path-level header (another spelling of the name) is gone
    assert [p["name"] for p in item["get"]["parameters"]] == ["X-Trace"]  # an ordinary header stays
    # not required on the page: the key is optional for this operation
    assert item["get"]["security"] == [{"keyAuth": []}, {}]
    assert doc["components"]["securitySchemes"] == {"keyAuth": {"type": "apiKey", "in": "header",
                                                                "name": "X-Keys-Key"}}
    lines = auth_lines(stderr)
    assert len(lines) == 2
    [other] = [ln for ln in lines if "keys_list_gadgets.md" in ln]
    assert "warning[" in other and "'x-keys-key'" in other and "declared on keys_get_gadget.md" in other
    assert "#/paths/~1gadgets/parameters/0" in other
    assert [e.message for e in OpenAPIV31SpecValidator(doc).iter_errors()] == []


def test_the_page_order_does_not_change_the_result(tmp_path: Path) -> None:
    one = run_import(["keys_list_gadgets.md", "keys_get_gadget.md"], tmp_path / "a")
    two = run_import(["keys_get_gadget.md", "keys_list_gadgets.md"], tmp_path / "b")
    assert one[2] == two[2]
