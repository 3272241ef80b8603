"""Retries, backoff, Retry-After, idempotency keys and timeouts."""

from __future__ import annotations

import email.utils
import logging
import time
from typing import Any

import httpx
import pytest

from support.server import MockServer, Response

from .conftest import run

OK = Response.json({"ok": True})


def rate_limited(**headers: str) -> Response:
    body = {"error": {"code": 429, "message": "slow down"}}
    return Response.json(
        body, 429, headers={k.replace("_", "-"): v for k, v in headers.items()}
    )


def test_429_with_retry_after_is_retried_after_about_a_second(
    client: Any, server: MockServer, caplog: pytest.LogCaptureFixture
) -> None:
    server.route("GET", "/flaky", OK)
    server.enqueue(rate_limited(retry_after="1"))
    with caplog.at_level(logging.INFO):
        assert client.misc.flaky() == {"ok": True}
    first, second = server.requests
    waited = second.received_at - first.received_at
    assert 0.95 <= waited < 1.5, waited
    assert "Retrying GET" in caplog.text and "429" in caplog.text


def test_retries_exhausted_raise_rate_limit_error(
    client: Any, server: MockServer, mod: Any
) -> None:
    server.route("GET", "/flaky", rate_limited(retry_after_ms="10"))
    with pytest.raises(mod("errors").RateLimitError) as info:
        client.misc.flaky()
    assert len(server.requests) == 3  # the call and max_retries=2 retries
    assert info.value.body.error.message == "slow down"


def test_max_retries_per_call_and_per_client(
    make_client: Any, server: MockServer, mod: Any
) -> None:
    server.route("GET", "/flaky", rate_limited(retry_after_ms="1"))
    c = make_client(max_retries=4)
    with pytest.raises(mod("errors").RateLimitError):
        c.misc.flaky(max_retries=1)
    assert len(server.requests) == 2
    server.clear()
    with pytest.raises(mod("errors").RateLimitError):
        c.misc.flaky()
    assert len(server.requests) == 5


@pytest.mark.parametrize("status", [408, 409, 500, 502, 503, 504])
def test_retryable_statuses(client: Any, server: MockServer, status: int) -> None:
    server.route("GET", "/flaky", OK)
    server.enqueue(Response.json({}, status, headers={"retry-after-ms": "1"}))
    assert client.misc.flaky() == {"ok": True}
    assert len(server.requests) == 2


@pytest.mark.parametrize("status", [400, 401, 403, 404, 422])
def test_other_statuses_are_not_retried(
    client: Any, server: MockServer, mod: Any, status: int
) -> None:
    server.route(
        "GET", "/flaky", Response.json({}, status, headers={"retry-after-ms": "1"})
    )
    with pytest.raises(mod("errors").APIStatusError):
        client.misc.flaky()
    assert len(server.requests) == 1


def test_x_should_retry_header_overrides(
    client: Any, server: MockServer, mod: Any
) -> None:
    server.route("GET", "/flaky", OK)
    server.enqueue(Response.json({}, 503, headers={"x-should-retry": "false"}))
    with pytest.raises(mod("errors").InternalServerError):
        client.misc.flaky()
    server.clear()
    server.enqueue(
        Response.json(
            {}, 400, headers={"x-should-retry": "true", "retry-after-ms": "1"}
        )
    )
    assert client.misc.flaky() == {"ok": True}
    assert len(server.requests) == 2


def fast(mod: Any) -> Any:
    """A policy with 10 ms backoff, for retries without Retry-After."""
    return mod("_retry").RetryPolicy(initial_delay=0.01)


def test_dropped_connection_is_retried(
    make_client: Any, server: MockServer, mod: Any
) -> None:
    server.route("GET", "/flaky", OK)
    server.enqueue(Response(disconnect=True))
    assert make_client(retry_policy=fast(mod)).misc.flaky() == {"ok": True}
    assert len(server.requests) == 2


def test_timeout_raises_api_timeout_error_quickly(
    client: Any, server: MockServer, mod: Any
) -> None:
    server.route("GET", "/slow", Response.json({}, delay=5.0))
    start = time.monotonic()
    with pytest.raises(mod("errors").APITimeoutError):
        client.misc.slow(timeout=0.5)
    elapsed = time.monotonic() - start
    assert 0.45 <= elapsed < 1.5, elapsed  # a read timeout is not retried
    assert len(server.requests) == 1


def test_client_timeout_and_async_timeout(
    make_client: Any, server: MockServer, mod: Any
) -> None:
    server.route("GET", "/slow", Response.json({}, delay=5.0))
    c = make_client(timeout=0.2)
    with pytest.raises(mod("errors").APITimeoutError):
        c.misc.slow()

    async def main() -> float:
        async with make_client(async_=True) as ac:
            start = time.monotonic()
            with pytest.raises(mod("errors").APITimeoutError):
                await ac.misc.slow(timeout=0.2)
            return time.monotonic() - start

    assert run(main()) < 1.0


def test_idempotency_key_is_reused_across_retries(
    make_client: Any, server: MockServer, mod: Any
) -> None:
    client = make_client(retry_policy=fast(mod))
    created = {"id": "w9", "name": "new"}
    server.route("POST", "/workspaces", Response.json(created, 201))
    server.enqueue(Response.json({}, 500, headers={"retry-after-ms": "1"}))
    server.enqueue(Response(disconnect=True))
    assert client.workspaces.create(name="new").id == "w9"
    keys = [r.headers.get("idempotency-key") for r in server.requests]
    assert len(keys) == 3 and keys[0] and len(set(keys)) == 1
    client.workspaces.create(name="new")
    assert server.last_request.headers["idempotency-key"] != keys[0]
    client.workspaces.create(name="new", extra_headers={"Idempotency-Key": "mine"})
    assert server.last_request.headers["idempotency-key"] == "mine"


def test_async_retries(make_client: Any, server: MockServer, mod: Any) -> None:
    server.route("GET", "/flaky", OK)
    server.enqueue(rate_limited(retry_after_ms="50"))
    server.enqueue(Response(disconnect=True))

    async def main() -> Any:
        async with make_client(async_=True, retry_policy=fast(mod)) as c:
            return await c.misc.flaky()

    assert run(main()) == {"ok": True}
    assert len(server.requests) == 3
    assert server.requests[1].received_at - server.requests[0].received_at >= 0.05


# -- the policy itself ----------------------------------------------------------


def _response(**headers: str) -> httpx.Response:
    return httpx.Response(
        429, headers={k.replace("_", "-"): v for k, v in headers.items()}
    )


def test_backoff_with_jitter_and_cap(mod: Any) -> None:
    policy = mod("_retry").RetryPolicy()
    assert policy.delay(0, rand=lambda: 0.0) == 0.5
    assert policy.delay(1, rand=lambda: 0.0) == 1.0
    assert policy.delay(0, rand=lambda: 1.0) == 0.375
    assert policy.delay(10, rand=lambda: 0.0) == 8.0


def test_retry_after_forms(mod: Any) -> None:
    policy = mod("_retry").RetryPolicy()
    now = 1_700_000_000.0
    date = email.utils.formatdate(now + 7, usegmt=True)
    assert policy.delay(0, _response(retry_after="3")) == 3.0
    assert policy.delay(0, _response(retry_after="1.5")) == 1.5
    assert policy.delay(0, _response(retry_after=date), now=lambda: now) == 7.0
    assert policy.delay(0, _response(retry_after_ms="250")) == 0.25
    assert policy.delay(0, _response(retry_after="3600")) == 60.0  # capped
    assert policy.delay(0, _response(retry_after="-5")) == 0.0
    backoff = policy.delay(0, _response(retry_after="soon"), rand=lambda: 0.0)
    assert backoff == 0.5
    assert policy.delay(0, _response(retry_after="nan"), rand=lambda: 0.0) == 0.5
