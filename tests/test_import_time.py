"""Importing a generated package and constructing its clients leaves httpx unimported.

A behaviour check in a fresh interpreter, on the committed generated packages (the
stand-in package has its own in ``tests/runtime/test_import_time.py``); timings vary
too much between machines to assert, see the README's performance section.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
LAZY = ("httpx", "httpcore", "anyio", "asyncio")

SCRIPT = """
import json, sys

lazy = {lazy!r}
preloaded = [m for m in lazy if m in sys.modules]
import {package}

client = {package}.Client(api_key="k", base_url={url!r})
copied = client.with_options(max_retries=0)
async_client = {package}.AsyncClient(api_key="k", base_url={url!r})
client.workspaces, copied.workspaces, async_client.workspaces  # resources load lazily
after_construct = [m for m in lazy if m in sys.modules]

result = {call}
client.close()
print(json.dumps({{"preloaded": preloaded, "after_construct": after_construct,
                  "httpx_after_request": "httpx" in sys.modules, "result": repr(result)[:80]}}))
"""

CASES = {
    "openrouter": 'copied.workspaces.list().total_count',
    "modelgates": 'copied.workspaces.delete("w1")',
}


@pytest.mark.parametrize("package", sorted(CASES))
def test_import_and_construct_do_not_import_httpx(package: str, test_server: Any) -> None:
    server = test_server(REPO / "specs" / package / "openapi.yaml")
    folder = REPO / "generated" / package
    code = SCRIPT.format(package=package, url=server.base_url, lazy=LAZY, call=CASES[package])
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=folder, capture_output=True, text=True, timeout=120,
        env={**os.environ, "PYTHONPATH": str(folder)},
    )
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.strip().splitlines()[-1])
    if found["preloaded"]:
        pytest.skip(f"the interpreter imports {found['preloaded']} at start-up")
    assert found["after_construct"] == []
    assert found["httpx_after_request"] is True
    assert len(server.requests) == 1
