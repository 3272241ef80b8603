"""``with_raw_response``: status, headers and ``parse()``, with the same typing."""

from __future__ import annotations

from typing import Any

import pytest

from support.server import MockServer, Response

from .conftest import run

WORKSPACE = {"id": "w1", "name": "Production"}


def test_raw_response(client: Any, server: MockServer, mod: Any) -> None:
    server.route(
        "GET",
        "/workspaces/{id}",
        Response.json(WORKSPACE, headers={"x-request-id": "r-1", "x-custom": "yes"}),
    )
    server.enqueue(Response.json({}, 503, headers={"retry-after-ms": "1"}))
    raw = client.workspaces.with_raw_response.get("w1")
    assert isinstance(raw, mod("_response").APIResponse)
    assert raw.status_code == 200 and raw.headers["x-custom"] == "yes"
    assert raw.request_id == "r-1" and raw.retries_taken == 1
    assert raw.json() == WORKSPACE and raw.http_response.status_code == 200
    ws = raw.parse()
    assert isinstance(ws, mod("models").Workspace) and ws.id == "w1"
    assert raw.parse() is ws
    assert repr(raw) == "<APIResponse [200 OK]>"
    # the flag is used up by that call: plain calls still return models
    assert isinstance(client.workspaces.get("w1"), mod("models").Workspace)


def test_raw_response_still_raises_status_errors(
    client: Any, server: MockServer, mod: Any
) -> None:
    server.route("DELETE", "/workspaces/{id}", Response.json({}, 404))
    with pytest.raises(mod("errors").NotFoundError):
        client.workspaces.with_raw_response.delete("x")
    server.route("GET", "/workspaces/{id}", Response.json(WORKSPACE))
    assert isinstance(client.workspaces.get("w1"), mod("models").Workspace)


def test_raw_response_parse_validates_lazily(
    client: Any, server: MockServer, mod: Any
) -> None:
    server.route(
        "GET", "/workspaces/{id}", Response.text("<html/>", content_type="text/html")
    )
    raw = client.workspaces.with_raw_response.get("w1")
    assert raw.text == "<html/>"
    with pytest.raises(mod("errors").APIResponseValidationError):
        raw.parse()


def test_async_raw_response(make_client: Any, server: MockServer, mod: Any) -> None:
    server.route("DELETE", "/workspaces/{id}", Response.json({"deleted": True}))

    async def main() -> Any:
        async with make_client(async_=True) as c:
            raw = await c.workspaces.with_raw_response.delete("production")
            plain = await c.workspaces.delete("production")
            assert isinstance(plain, mod("models").DeleteResponse)
            return raw

    raw = run(main())
    assert raw.status_code == 200 and raw.parse().deleted is True
