"""Every security scheme sends what it should; secrets stay out of logs and reprs."""

from __future__ import annotations

import base64
import logging
from typing import Any

import pytest

from support.server import MockServer, RecordedRequest, Response

from .conftest import API_KEY, run

SECRETS = {
    "api_key": API_KEY,
    "username": "alice",
    "password": "pa55-SECRET-word",
    "header_key": "hk-SECRET-1",
    "query_key": "qk-SECRET-2",
    "cookie_key": "ck-SECRET-3",
    "client_id": "cid",
    "client_secret": "cs-SECRET-4",
}
TOKEN = "tok-SECRET-5"


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


@pytest.fixture
def full(make_client: Any, server: MockServer) -> Any:
    """A client with every credential set, and the server's auth routes."""
    for path in ("basic", "header", "query", "cookie", "oauth", "bearer", "public"):
        server.route("GET", f"/auth/{path}", Response(204))
    server.route("GET", "/auth/both", Response(204))
    server.route("GET", "/auth/either", Response(204))
    server.route(
        "POST",
        "/oauth/token",
        Response.json({"access_token": TOKEN, "expires_in": 3600}),
    )
    return make_client(**SECRETS)


def credentials_of(request: RecordedRequest) -> dict[str, str]:
    found = {}
    for header in ("authorization", "x-api-key", "cookie"):
        if header in request.headers:
            found[header] = request.headers[header]
    if "api_key" in request.query:
        found["api_key"] = request.query["api_key"][0]
    return found


def test_each_scheme_sends_exactly_its_credential(
    full: Any, server: MockServer
) -> None:
    checks = full.auth_checks
    expected = {
        checks.basic: {"authorization": basic("alice", "pa55-SECRET-word")},
        checks.header_key: {"x-api-key": "hk-SECRET-1"},
        checks.query_key: {"api_key": "qk-SECRET-2"},
        checks.cookie_key: {"cookie": "session=ck-SECRET-3"},
        checks.bearer: {"authorization": f"Bearer {API_KEY}"},
        checks.public: {},
        checks.header_and_query: {"x-api-key": "hk-SECRET-1", "api_key": "qk-SECRET-2"},
    }
    for method, sent in expected.items():
        assert method() is None
        assert credentials_of(server.last_request) == sent, method.__name__


def test_oauth2_client_credentials_fetches_caches_and_uses_the_token(
    full: Any, server: MockServer
) -> None:
    full.auth_checks.oauth()
    full.auth_checks.oauth()
    token_requests = [r for r in server.requests if r.path == "/oauth/token"]
    assert len(token_requests) == 1
    fetch = token_requests[0]
    assert fetch.method == "POST"
    assert fetch.headers["authorization"] == basic("cid", "cs-SECRET-4")
    assert fetch.form() == {
        "grant_type": ["client_credentials"],
        "scope": ["read write"],
    }
    calls = [r for r in server.requests if r.path == "/auth/oauth"]
    assert [credentials_of(r) for r in calls] == [
        {"authorization": f"Bearer {TOKEN}"}
    ] * 2
    # another operation with other scopes gets its own token
    full.auth_checks.oauth_or_bearer()
    fetch = [r for r in server.requests if r.path == "/oauth/token"][-1]
    assert fetch.form()["scope"] == ["read"]  # the scheme's default scopes
    assert credentials_of(server.last_request) == {"authorization": f"Bearer {TOKEN}"}


def test_oauth2_token_is_refreshed_before_expiry(
    full: Any, server: MockServer, mod: Any
) -> None:
    now = [1000.0]
    oauth = mod("_auth").OAuth2ClientCredentials(
        "cid", "cs-SECRET-4", token_url="/oauth/token", clock=lambda: now[0]
    )
    c = full.with_options(credentials={"oauth": oauth})
    server.route(
        "POST",
        "/oauth/token",
        Response.json({"access_token": TOKEN, "expires_in": 600}),
    )
    c.auth_checks.oauth()
    now[0] += 500  # still valid: 600 s lifetime, refreshed 60 s early
    c.auth_checks.oauth()
    assert len([r for r in server.requests if r.path == "/oauth/token"]) == 1
    now[0] += 45  # 545 s: inside the refresh margin
    c.auth_checks.oauth()
    assert len([r for r in server.requests if r.path == "/oauth/token"]) == 2


def test_oauth2_token_refetched_once_after_401(
    full: Any, server: MockServer, mod: Any
) -> None:
    server.enqueue(
        Response.json({"error": {"code": 401, "message": "expired"}}, 401),
        path="/auth/oauth",
    )
    full.auth_checks.oauth()
    paths = [r.path for r in server.requests]
    assert paths == ["/oauth/token", "/auth/oauth", "/oauth/token", "/auth/oauth"]
    server.route("GET", "/auth/oauth", Response.json({}, 401))
    with pytest.raises(mod("errors").AuthenticationError):
        full.auth_checks.oauth()


def test_first_satisfied_alternative_is_used(
    make_client: Any, server: MockServer
) -> None:
    server.route("GET", "/auth/either", Response(204))
    c = make_client()  # no OAuth client: falls back to bearer
    c.auth_checks.oauth_or_bearer()
    assert credentials_of(server.last_request) == {"authorization": f"Bearer {API_KEY}"}


def test_security_empty_sends_no_credentials_even_without_any(
    make_client: Any, server: MockServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("FAKEAPI_API_KEY", raising=False)
    server.route("GET", "/auth/public", Response(204))
    c = make_client(api_key=None)
    c.auth_checks.public()
    assert credentials_of(server.last_request) == {}


def test_missing_credentials_raise_before_sending(
    make_client: Any, server: MockServer, mod: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("FAKEAPI_API_KEY", raising=False)
    c = make_client(api_key=None)
    with pytest.raises(mod("errors").MissingCredentialsError, match="FAKEAPI_API_KEY"):
        c.auth_checks.bearer()
    with pytest.raises(mod("errors").MissingCredentialsError, match="basic"):
        c.auth_checks.basic()
    assert server.requests == []


def test_api_key_from_environment(
    make_client: Any, server: MockServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKEAPI_API_KEY", "sk-from-env")
    server.route("GET", "/auth/bearer", Response(204))
    make_client(api_key=None).auth_checks.bearer()
    assert server.last_request.headers["authorization"] == "Bearer sk-from-env"


def test_async_auth(make_client: Any, server: MockServer) -> None:
    server.route("GET", "/auth/oauth", Response(204))
    server.route("GET", "/auth/public", Response(204))
    server.route("POST", "/oauth/token", Response.json({"access_token": TOKEN}))

    async def main() -> None:
        async with make_client(async_=True, **SECRETS) as c:
            await c.auth_checks.oauth()
            await c.auth_checks.oauth()
            await c.auth_checks.public()

    run(main())
    assert [r.path for r in server.requests] == [
        "/oauth/token",
        "/auth/oauth",
        "/auth/oauth",
        "/auth/public",
    ]
    assert credentials_of(server.requests[2]) == {"authorization": f"Bearer {TOKEN}"}
    assert credentials_of(server.requests[3]) == {}


def test_logs_never_contain_secrets(
    full: Any, server: MockServer, caplog: pytest.LogCaptureFixture, fakeapi: Any
) -> None:
    # an error body that echoes the key, and a retry, for good measure
    echo = {"error": {"code": 400, "message": f"bad key {API_KEY}"}}
    server.route("GET", "/flaky", Response.json(echo, 400))
    server.enqueue(
        Response.json({}, 503, headers={"retry-after-ms": "1"}), path="/auth/query"
    )
    with caplog.at_level(logging.DEBUG):
        checks = full.auth_checks
        for method in (checks.basic, checks.header_key, checks.query_key):
            method()
        for method in (
            checks.cookie_key,
            checks.oauth,
            checks.bearer,
            checks.header_and_query,
        ):
            method()
        # whichever error it is (PT011), its text must not hold the key
        with pytest.raises(Exception) as info:  # noqa: PT011
            full.misc.flaky()
    assert API_KEY not in str(info.value)
    text = caplog.text + repr(full) + repr(full._credentials)
    for secret in [*SECRETS.values(), TOKEN, basic("alice", "pa55-SECRET-word")[6:]]:
        if secret not in ("alice", "cid"):
            assert secret not in text, secret
    ours = [r for r in caplog.records if r.name == fakeapi.__name__]
    messages = [r.getMessage() for r in ours]
    assert any(m.startswith("Request: GET http://127.0.0.1") for m in messages)
    assert any("-> 204" in m for m in messages)
    assert any(
        m.startswith("Retrying GET") and "api_key=<redacted>" in m for m in messages
    )
    assert "<redacted>" in caplog.text
    assert any(
        r.name == "httpx" and "api_key=" in r.getMessage() for r in caplog.records
    )
