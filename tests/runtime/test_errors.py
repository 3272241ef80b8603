"""Status errors from one mapping, decoded bodies, validation and connection errors."""

from __future__ import annotations

import socket
from typing import Any

import pytest

from support.server import MockServer, Response

from .conftest import run

NOT_FOUND = {"error": {"code": 404, "message": "Workspace not found"}}


@pytest.mark.parametrize(
    ("status", "name"),
    [
        (400, "BadRequestError"),
        (401, "AuthenticationError"),
        (403, "PermissionDeniedError"),
        (404, "NotFoundError"),
        (409, "ConflictError"),
        (422, "UnprocessableEntityError"),
        (429, "RateLimitError"),
        (500, "InternalServerError"),
        (503, "InternalServerError"),
        (402, "APIStatusError"),
    ],
)
def test_status_maps_to_exception_class(
    make_client: Any, server: MockServer, mod: Any, status: int, name: str
) -> None:
    errors = mod("errors")
    body = {"error": {"code": status, "message": f"failed with {status}"}}
    server.route("GET", "/flaky", Response.json(body, status))
    c = make_client(max_retries=0)
    with pytest.raises(errors.APIStatusError) as info:
        c.misc.flaky()
    exc = info.value
    assert type(exc) is getattr(errors, name)
    assert isinstance(exc, errors.APIError)
    assert exc.status_code == status and exc.response.status_code == status
    assert exc.request.url.path == "/flaky"
    assert isinstance(exc.body, mod("models").ErrorResponse)  # "4XX"/"default"
    assert exc.body.error.message == f"failed with {status}"
    assert f"failed with {status}" in str(exc)


def test_body_decoded_into_declared_schema(
    client: Any, server: MockServer, mod: Any
) -> None:
    errors = mod("errors")
    server.route(
        "DELETE",
        "/workspaces/{id}",
        Response.json(NOT_FOUND, 404, headers={"x-request-id": "req-42"}),
    )
    with pytest.raises(errors.NotFoundError) as info:
        client.workspaces.delete("missing")
    e = info.value
    assert e.status_code == 404
    assert e.body.error.message == "Workspace not found"
    assert e.request_id == "req-42"
    assert str(e) == "404 Not Found: Workspace not found"


def test_body_not_fitting_schema_is_raw_json(
    client: Any, server: MockServer, mod: Any
) -> None:
    server.route("DELETE", "/workspaces/{id}", Response.json({"detail": "nope"}, 404))
    with pytest.raises(mod("errors").NotFoundError) as info:
        client.workspaces.delete("x")
    assert info.value.body == {"detail": "nope"}
    assert "nope" in str(info.value)


def test_no_declared_schema_and_text_body(
    client: Any, server: MockServer, mod: Any
) -> None:
    # DELETE declares only 404: a 409 has no decoder and its body is not JSON
    server.route("DELETE", "/workspaces/{id}", Response.text("busy", 409))
    with pytest.raises(mod("errors").ConflictError) as info:
        client.workspaces.delete("x", max_retries=0)
    assert info.value.body == "busy"


@pytest.mark.parametrize(
    "response",
    [
        Response.text("<html>oops</html>", content_type="text/html"),
        Response(200, (("Content-Type", "application/json"),), b'{"id": '),
        Response.json({"unexpected": True}),
    ],
    ids=["html", "truncated-json", "wrong-shape"],
)
def test_2xx_that_does_not_decode(
    client: Any, server: MockServer, mod: Any, response: Response
) -> None:
    server.route("GET", "/workspaces/{id}", response)
    with pytest.raises(mod("errors").APIResponseValidationError) as info:
        client.workspaces.get("w1")
    assert info.value.status_code == 200
    assert info.value.body == response.body_bytes.decode()
    assert info.value.response.status_code == 200


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_connection_refused(fakeapi: Any, mod: Any) -> None:
    errors = mod("errors")
    url = f"http://127.0.0.1:{_closed_port()}"
    with (
        fakeapi.Client(api_key="k", base_url=url, max_retries=0) as c,
        pytest.raises(errors.APIConnectionError) as info,
    ):
        c.workspaces.get("w1")
    assert not isinstance(info.value, errors.APITimeoutError)
    assert info.value.request.url.path == "/workspaces/w1"


def test_async_errors(make_client: Any, server: MockServer, mod: Any) -> None:
    server.route("DELETE", "/workspaces/{id}", Response.json(NOT_FOUND, 404))

    async def main() -> Any:
        async with make_client(async_=True) as c:
            with pytest.raises(mod("errors").NotFoundError) as info:
                await c.workspaces.delete("missing")
            return info.value

    assert run(main()).body.error.message == "Workspace not found"


def test_unsupported_scheme_fails_at_once(fakeapi: Any, mod: Any) -> None:
    with (
        fakeapi.Client(api_key="k", base_url="ftp://example.invalid") as c,
        pytest.raises(mod("errors").APIConnectionError, match="UnsupportedProtocol"),
    ):
        c.workspaces.get("w1")


def test_undecodable_body_is_an_api_error_and_not_retried(
    client: Any, server: MockServer, mod: Any
) -> None:
    broken = Response(
        200,
        (("Content-Type", "application/json"), ("Content-Encoding", "gzip")),
        b"not gzip at all",
    )
    server.route("GET", "/workspaces/{id}", broken)
    with pytest.raises(mod("errors").APIError, match="DecodingError"):
        client.workspaces.get("w1")
    assert len(server.requests) == 1
