"""Import cost: ``import <package>`` and constructing clients leave httpx unimported.

A behaviour check in a fresh interpreter (timings vary too much to assert): httpx,
whose import is most of what a client costs to load, is imported by the first
request, and that request still works.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from support.server import MockServer, Response

# Imported by the runtime only when a request needs them (httpcore and anyio
# come with httpx; asyncio with a retried async call).
LAZY = ("httpx", "httpcore", "anyio", "asyncio")

SCRIPT = """
import json, sys

preloaded = [m for m in {lazy!r} if m in sys.modules]
import {package}

client = {package}.Client(api_key="k", base_url={url!r})
copied = client.with_options(max_retries=0, default_headers={{"X-Copy": "1"}})
async_client = {package}.AsyncClient(api_key="k", base_url={url!r})
repr(client), client.base_url, client.max_retries
after_construct = [m for m in {lazy!r} if m in sys.modules]

workspace = copied.workspaces.get("w1")
pool_shared = copied._http is client._http
client.close()
print(json.dumps({{
    "preloaded": preloaded,
    "after_construct": after_construct,
    "name": workspace.name,
    "pool_shared": pool_shared,
    "httpx_after_request": "httpx" in sys.modules,
}}))
"""


def run_fresh(package_dir: Path, url: str) -> dict[str, object]:
    code = SCRIPT.format(package=package_dir.name, url=url, lazy=LAZY)
    env = {**os.environ, "PYTHONPATH": str(package_dir.parent)}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=package_dir.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    found: dict[str, object] = json.loads(result.stdout.strip().splitlines()[-1])
    return found


def test_import_and_construct_do_not_import_httpx(
    fakeapi_dir: Path, server: MockServer
) -> None:
    server.route(
        "GET",
        "/workspaces/{id}",
        Response.json({"id": "w1", "name": "Production", "description": None}),
    )
    found = run_fresh(fakeapi_dir, server.url)
    if found["preloaded"]:
        pytest.skip(f"the interpreter imports {found['preloaded']} at start-up")
    assert found["after_construct"] == []
    assert found["name"] == "Production"
    assert found["pool_shared"] is True
    assert found["httpx_after_request"] is True
    assert server.last_request.headers["x-copy"] == "1"


def test_runtime_modules_import_httpx_only_for_type_checking() -> None:
    # The static side of the same rule: no module-level ``import httpx``.
    import ast

    from .conftest import RUNTIME

    for path in sorted(RUNTIME.glob("*.py")):
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            heavy = [n for n in names if n.split(".")[0] in LAZY]
            assert not heavy, f"{path.name} imports {heavy} at module level"
