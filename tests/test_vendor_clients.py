"""What a user of the generated OpenRouter and ModelGates clients does, end to end over HTTP."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from clients import import_generated
from support.messages import Response

REPO = Path(__file__).resolve().parent.parent
openrouter = import_generated(REPO / "generated" / "openrouter", "openrouter")
modelgates = import_generated(REPO / "generated" / "modelgates", "modelgates")
OPENROUTER_SPEC = REPO / "specs" / "openrouter" / "openapi.yaml"
MODELGATES_SPEC = REPO / "specs" / "modelgates" / "openapi.yaml"

from openrouter.errors import APIStatusError, AuthenticationError, BadRequestError, NotFoundError  # noqa: E402
from openrouter.models import ListWorkspacesResponse, Workspace  # noqa: E402


@pytest.fixture
def server(test_server: Any) -> Any:
    return test_server(OPENROUTER_SPEC)


@pytest.fixture
def client(server: Any) -> Any:
    with openrouter.Client(api_key="sk-or-secret", base_url=server.base_url) as c:
        yield c


def test_defaults_come_from_the_spec(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENROUTER_API_KEY", raising=False)
    client = openrouter.Client(api_key="sk-or-secret")
    assert client.base_url == "https://openrouter.ai/api/v1"
    assert "sk-or-secret" not in repr(client) and "sk-or-secret" not in str(client)
    assert modelgates.Client(api_key="k").base_url == "https://modelgates.ai/api/v1"


def test_list_sends_the_query_and_decodes_workspaces(client: Any, server: Any) -> None:
    page = client.workspaces.list(offset=0, limit=50)
    assert isinstance(page, ListWorkspacesResponse)
    assert isinstance(page.data[0], Workspace)
    request = server.last_request
    assert request.method == "GET" and request.path.endswith("/workspaces")
    assert request.query_value("offset") == "0" and request.query_value("limit") == "50"
    assert request.headers["authorization"] == "Bearer sk-or-secret"
    assert request.headers["user-agent"].startswith("openrouter/")


def test_update_sends_only_what_was_given(client: Any, server: Any) -> None:
    client.workspaces.update("production", name="Renamed")
    assert server.last_request.json() == {"name": "Renamed"}
    assert server.last_request.path.endswith("/workspaces/production")
    client.workspaces.update("production", description=None)
    assert server.last_request.json() == {"description": None}
    assert server.last_request.method == "PATCH"


def test_delete_workspace_and_key(client: Any, server: Any) -> None:
    assert client.workspaces.delete("production").deleted is True
    assert client.api_keys.delete("f01d52606dc8f0a8").deleted is True
    assert server.last_request.method == "DELETE"
    assert server.last_request.path.endswith("/keys/f01d52606dc8f0a8")


def test_path_parameters_are_percent_encoded_slash_included(client: Any, server: Any) -> None:
    client.workspaces.delete("team/../admin?x=1")
    assert server.last_request.target.endswith("/workspaces/team%2F..%2Fadmin%3Fx%3D1")
    assert server.last_request.path_params == {"id": "team/../admin?x=1"}


def test_errors_carry_status_and_the_declared_body(client: Any, server: Any) -> None:
    server.respond_next(status=404, body={"error": {"code": 404, "message": "Workspace missing not found"}})
    with pytest.raises(NotFoundError) as info:
        client.workspaces.delete("missing")
    e = info.value
    assert isinstance(e, APIStatusError)
    assert e.status_code == 404 and e.response.status_code == 404
    assert e.body.error.message == "Workspace missing not found"
    server.respond_next(status=401)
    with pytest.raises(AuthenticationError):
        client.workspaces.list()
    server.respond_next(status=400)
    with pytest.raises(BadRequestError):
        client.workspaces.update("production", name="x")


def test_undeclared_error_body_is_raw_json(client: Any, server: Any) -> None:
    server.enqueue(Response.json({"weird": True}, status=418))
    with pytest.raises(APIStatusError) as info:
        client.workspaces.list()
    assert info.value.status_code == 418 and info.value.body == {"weird": True}


def test_unknown_fields_are_kept_and_round_trip(client: Any, server: Any) -> None:
    body = {
        "data": [{
            "id": "550e8400-e29b-41d4-a716-446655440000", "name": "Production", "slug": "production",
            "description": None, "created_at": "2025-08-24T10:30:00Z", "updated_at": None, "created_by": None,
            "default_image_model": None, "default_provider_sort": None,
            "default_text_model": None, "io_logging_api_key_ids": None, "io_logging_sampling_rate": 1,
            "is_data_discount_logging_enabled": True, "is_observability_broadcast_enabled": False,
            "is_observability_io_logging_enabled": False, "brand_new_field": {"nested": [1, 2]},
        }],
        "total_count": 1,
        "also_new": "kept",
    }
    server.route("GET", "/workspaces", Response.json(body))
    page = client.workspaces.list()
    ws = page.data[0]
    assert ws.additional_properties == {"brand_new_field": {"nested": [1, 2]}}
    assert ws.io_logging_sampling_rate == 1  # an integer where a number is declared
    assert page.to_dict() == body
    assert json.dumps(page.to_dict(), sort_keys=True) == json.dumps(body, sort_keys=True)


def test_api_key_from_the_environment_and_async_client(monkeypatch: pytest.MonkeyPatch, server: Any) -> None:
    monkeypatch.setenv("OPENROUTER_API_KEY", "sk-from-env")

    async def main() -> Any:
        async with openrouter.AsyncClient(base_url=server.base_url) as c:
            return await c.workspaces.list()

    assert isinstance(asyncio.run(main()), ListWorkspacesResponse)
    assert server.last_request.headers["authorization"] == "Bearer sk-from-env"


def test_modelgates_delete_with_its_own_key(monkeypatch: pytest.MonkeyPatch, test_server: Any) -> None:
    server = test_server(MODELGATES_SPEC)
    monkeypatch.setenv("MODELGATES_API_KEY", "mg-key")
    with modelgates.Client(base_url=server.base_url) as c:
        assert c.workspaces.delete("production").deleted is True
    assert server.last_request.headers["authorization"] == "Bearer mg-key"
    assert server.last_request.path.endswith("/workspaces/production")

    server.respond_next(status=404)
    with modelgates.Client(base_url=server.base_url) as c, pytest.raises(modelgates.errors.NotFoundError) as info:
        c.workspaces.delete("missing")
    assert info.value.body.error.message


def test_missing_key_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, server: Any) -> None:
    monkeypatch.delenv("OPENROUTER_API_KEY", raising=False)
    with openrouter.Client(base_url=server.base_url) as c, pytest.raises(openrouter.APIError) as info:
        c.workspaces.list()
    assert "OPENROUTER_API_KEY" in str(info.value)
    assert server.requests == []


def test_logs_never_contain_the_key(client: Any, server: Any, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG):
        client.workspaces.list()
        server.respond_next(status=404)
        with pytest.raises(NotFoundError):
            client.workspaces.delete("missing")
    assert caplog.records, "the client logs its requests"
    assert all("sk-or-secret" not in r.getMessage() for r in caplog.records)


def test_with_raw_response(client: Any) -> None:
    raw = client.workspaces.with_raw_response.list(limit=1)
    assert raw.status_code == 200
    assert raw.headers["content-type"].startswith("application/json")
    assert isinstance(raw.parse(), ListWorkspacesResponse)


@pytest.mark.parametrize("name", ["openrouter", "modelgates"])
def test_generated_package_installs_with_pip(name: str, tmp_path: Path) -> None:
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(tmp_path),
                    str(REPO / "generated" / name)], check=True)
    assert (tmp_path / name / "py.typed").exists()
    out = subprocess.run([sys.executable, "-c", f"import {name}; print({name}.Client.__name__)"],
                         cwd=tmp_path, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "Client"


@pytest.mark.parametrize("name", ["openrouter", "modelgates"])
def test_generated_package_passes_mypy_strict(name: str) -> None:
    folder = REPO / "generated" / name
    out = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", os.devnull,
                          "-p", name],
                         cwd=folder, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
