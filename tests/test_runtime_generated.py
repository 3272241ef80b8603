"""Issue 4's runtime behaviour, exercised through generated clients over real sockets."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path
from typing import Any

import pytest

from clients import generate_unformatted, import_generated
from support.messages import RecordedRequest, Response

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus"
openrouter = import_generated(REPO / "generated" / "openrouter", "openrouter")
SPEC = REPO / "specs" / "openrouter" / "openapi.yaml"


@pytest.fixture
def server(test_server: Any) -> Any:
    return test_server(SPEC)


def _workspace(i: int) -> dict[str, Any]:
    return {"id": f"ws-{i}", "name": f"W{i}", "slug": f"w{i}", "description": None,
            "created_at": "2025-01-01T00:00:00Z",
            "updated_at": None, "created_by": None, "default_image_model": None, "default_provider_sort": None,
            "default_text_model": None, "io_logging_api_key_ids": None, "io_logging_sampling_rate": 1,
            "is_data_discount_logging_enabled": True, "is_observability_broadcast_enabled": False,
            "is_observability_io_logging_enabled": False}


def _paged(total: int) -> Any:
    def handler(r: RecordedRequest) -> Response:
        offset, limit = int(r.query_value("offset") or 0), int(r.query_value("limit") or 50)
        return Response.json({"data": [_workspace(i) for i in range(offset, min(total, offset + limit))],
                              "total_count": total})
    return handler


# -- retries and timeouts ------------------------------------------------------------------------

def test_429_with_retry_after_is_retried_after_about_a_second(server: Any) -> None:
    server.enqueue(Response.json({"error": {"code": 429, "message": "slow down"}}, 429, {"Retry-After": "1"}))
    with openrouter.Client(api_key="k", base_url=server.base_url) as client:
        start = time.monotonic()
        page = client.workspaces.list()
        elapsed = time.monotonic() - start
    assert page.total_count is not None
    assert len(server.requests) == 2
    assert 0.9 <= elapsed < 2.5
    assert 0.9 <= server.requests[1].received_at - server.requests[0].received_at < 2.5


def test_retries_exhausted_raise_rate_limit_error(server: Any) -> None:
    server.route("GET", "/workspaces",
                 Response.json({"error": {"code": 429, "message": "no"}}, 429, {"Retry-After": "0"}))
    with openrouter.Client(api_key="k", base_url=server.base_url, max_retries=2) as client:
        with pytest.raises(openrouter.RateLimitError) as info:
            client.workspaces.list()
        assert info.value.status_code == 429
        assert len(server.requests) == 3
        with pytest.raises(openrouter.RateLimitError):
            client.workspaces.list(max_retries=0)
        assert len(server.requests) == 4


def test_server_errors_and_dropped_connections_are_retried(server: Any) -> None:
    server.enqueue(Response.drop(), Response.json({"error": {"code": 503, "message": "x"}}, 503, {"Retry-After": "0"}))
    with openrouter.Client(api_key="k", base_url=server.base_url) as client:
        assert client.workspaces.list().data
    assert len(server.requests) == 3


def test_timeout_raises_api_timeout_error_quickly(server: Any) -> None:
    server.route("GET", "/workspaces", Response.json({"data": [], "total_count": 0}, delay=3))
    with openrouter.Client(api_key="k", base_url=server.base_url) as client:
        start = time.monotonic()
        with pytest.raises(openrouter.APITimeoutError):
            client.workspaces.list(timeout=0.5)
        assert time.monotonic() - start < 1.5


def test_connection_refused_is_api_connection_error() -> None:
    with openrouter.Client(api_key="k", base_url="http://127.0.0.1:9/api/v1", max_retries=0) as client, \
            pytest.raises(openrouter.APIConnectionError):
        client.workspaces.list()


# -- pagination ----------------------------------------------------------------------------------

def test_iterating_237_workspaces_makes_exactly_3_requests_lazily(server: Any) -> None:
    server.route("GET", "/workspaces", _paged(237))
    with openrouter.Client(api_key="k", base_url=server.base_url) as client:
        page = client.workspaces.list(limit=100)
        assert isinstance(page, openrouter.models.ListWorkspacesResponse)
        assert len(page.data) == 100 and page.total_count == 237
        items = iter(page)
        first = next(items)
        assert first.id == "ws-0" and len(server.requests) == 1  # nothing fetched ahead of need
        rest = list(items)
        assert len(rest) == 236 and rest[-1].id == "ws-236"
        assert len(server.requests) == 3
        assert [r.query_value("offset") for r in server.requests] == [None, "100", "200"]
        assert all(r.query_value("limit") == "100" for r in server.requests)
        assert page.has_next_page() and page.next_page().data[0].id == "ws-100"


def test_async_pages_iterate_with_async_for(server: Any) -> None:
    server.route("GET", "/workspaces", _paged(237))

    async def main() -> list[str]:
        async with openrouter.AsyncClient(api_key="k", base_url=server.base_url) as client:
            page = await client.workspaces.list(limit=100)
            return [ws.id async for ws in page]

    ids = asyncio.run(main())
    assert len(ids) == 237 and len(server.requests) == 3


# -- per call and per client options -------------------------------------------------------------

def test_extra_headers_query_and_body(server: Any) -> None:
    with openrouter.Client(api_key="k", base_url=server.base_url, default_headers={"X-Team": "a"}) as client:
        client.workspaces.update("p", name="n", extra_headers={"X-Trace": "1"}, extra_query={"dry": "true"},
                                 extra_body={"experimental": 1})
    r = server.last_request
    assert r.headers["x-trace"] == "1" and r.headers["x-team"] == "a"
    assert r.query_value("dry") == "true"
    assert r.json() == {"name": "n", "experimental": 1}


def test_with_options_and_custom_http_client(server: Any) -> None:
    import httpx

    seen: list[str] = []

    def record(request: httpx.Request) -> None:
        seen.append(str(request.url))

    with httpx.Client(event_hooks={"request": [record]}) as http:
        client = openrouter.Client(api_key="k", base_url=server.base_url, http_client=http)
        other = client.with_options(max_retries=0, default_headers={"X-Copy": "yes"})
        other.workspaces.list()
        assert server.last_request.headers["x-copy"] == "yes"
        assert seen and other.max_retries == 0 and client.max_retries == 2


# -- the full OpenRouter spec: streaming, multipart, binary ----------------------------------------

@pytest.fixture(scope="module")
def full(tmp_path_factory: pytest.TempPathFactory) -> Any:
    out = generate_unformatted(CORPUS / "openrouter" / "openapi.yaml", tmp_path_factory.mktemp("full"),
                               "openrouter_full")
    return import_generated(out, "openrouter_full")


CHUNK = {"id": "c1", "object": "chat.completion.chunk", "created": 1, "model": "m",
         "choices": [{"index": 0, "delta": {"role": "assistant", "content": "Héllo"}, "finish_reason": None}]}


def _sse_body() -> bytes:
    second = {**CHUNK, "choices": [{"index": 0, "delta": {"content": " wörld"}, "finish_reason": "stop"}]}
    return (": keep-alive\r\n\r\n" + f"data: {json.dumps(CHUNK, ensure_ascii=False)}\r\n\r\n"
            + "data: " + json.dumps(second, ensure_ascii=False) + "\n\n" + "data: [DONE]\n\n").encode("utf-8")


def test_streaming_chat_completion_split_at_awkward_boundaries(full: Any, test_server: Any) -> None:
    body = _sse_body()
    awkward = [i for i in range(1, len(body)) if body[i - 1:i] in (b"\r", b"\xc3")]
    cut = [*awkward[:6], len(body) - 3]
    server = test_server(CORPUS / "openrouter" / "openapi.yaml")
    server.route("POST", "/chat/completions", Response.sse([body], split_at=cut, pause=0.01))
    with full.Client(api_key="k", base_url=server.base_url) as client, \
            client.chat.send_completion_request(model="m", messages=[{"role": "user", "content": "hi"}],
                                                stream=True) as stream:
        chunks = list(stream)
    assert [type(c).__name__ for c in chunks] == ["ChatStreamChunk", "ChatStreamChunk"]
    assert "".join(c.choices[0].delta.content for c in chunks) == "Héllo wörld"
    sent = server.last_request
    assert sent.json()["stream"] is True and sent.headers["accept"] == "text/event-stream"


def test_streaming_error_event_raises(full: Any, test_server: Any) -> None:
    server = test_server(CORPUS / "openrouter" / "openapi.yaml")
    server.route("POST", "/chat/completions", Response.sse(
        [CHUNK, {"error": {"code": 502, "message": "provider went away"}}]))
    with full.Client(api_key="k", base_url=server.base_url) as client:
        stream = client.chat.send_completion_request(model="m", messages=[{"role": "user", "content": "hi"}],
                                                     stream=True)
        with pytest.raises(full.APIError, match="provider went away"):
            list(stream)


def test_non_streaming_chat_completion_and_async_stream(full: Any, test_server: Any) -> None:
    server = test_server(CORPUS / "openrouter" / "openapi.yaml")
    with full.Client(api_key="k", base_url=server.base_url) as client:
        result = client.chat.send_completion_request(model="m", messages=[{"role": "user", "content": "hi"}])
    assert type(result).__name__ == "ChatResult"
    server.route("POST", "/chat/completions", Response.sse([_sse_body()], every=7))

    async def main() -> list[Any]:
        async with full.AsyncClient(api_key="k", base_url=server.base_url) as client:
            stream = await client.chat.send_completion_request(
                model="m", messages=[{"role": "user", "content": "hi"}], stream=True)
            return [c async for c in stream]

    assert len(asyncio.run(main())) == 2


def test_multipart_upload_arrives_byte_identical(full: Any, test_server: Any, tmp_path: Path) -> None:
    server = test_server(CORPUS / "openrouter" / "openapi.yaml")
    payload = bytes(range(256)) * 40 + b"\r\n--boundary-lookalike--\r\n"
    path = tmp_path / "report.pdf"
    path.write_bytes(payload)
    with full.Client(api_key="k", base_url=server.base_url) as client:
        client.files.upload(file=path)
        parts = server.last_request.multipart()
        part = next(p for p in parts if p.name == "file")
        assert part.data == payload and part.filename == "report.pdf"
        client.files.upload(file=("notes.txt", b"hello", "text/plain"))
        part = next(p for p in server.last_request.multipart() if p.name == "file")
        assert (part.filename, part.content_type, part.data) == ("notes.txt", "text/plain", b"hello")


def test_binary_download_returns_bytes(full: Any, test_server: Any) -> None:
    server = test_server(CORPUS / "openrouter" / "openapi.yaml")
    blob = bytes(range(256)) * 10
    server.route("GET", "/files/{file_id}/content",
                 Response.make(200, {"Content-Type": "application/octet-stream"}, blob))
    with full.Client(api_key="k", base_url=server.base_url) as client:
        assert client.files.download_content("f1") == blob


# -- authentication, servers, forms, raw bodies ---------------------------------------------------

@pytest.fixture(scope="module")
def authzoo(tmp_path_factory: pytest.TempPathFactory) -> Any:
    out = generate_unformatted(REPO / "tests" / "data" / "specs" / "auth.yaml", tmp_path_factory.mktemp("auth"),
                               "authzoo")
    return import_generated(out, "authzoo")


def test_every_auth_scheme_sends_what_the_spec_says(authzoo: Any, test_server: Any) -> None:
    import base64

    server = test_server(REPO / "tests" / "data" / "specs" / "auth.yaml", base_path="")
    server.route("POST", "/oauth/token",
                 Response.json({"access_token": "tok-1", "token_type": "bearer", "expires_in": 3600}))
    client = authzoo.Client(api_key="b-tok", username="u", password="p", header_key="hk", query_key="qk",
                            cookie_key="ck", client_id="cid", client_secret="cs", base_url=server.base_url)
    checks = client.checks
    checks.via_bearer()
    assert server.last_request.headers["authorization"] == "Bearer b-tok"
    checks.via_basic()
    assert server.last_request.headers["authorization"] == "Basic " + base64.b64encode(b"u:p").decode()
    checks.via_header_key()
    assert server.last_request.headers["x-api-key"] == "hk" and "authorization" not in server.last_request.headers
    checks.via_query_key()
    assert server.last_request.query_value("api_key") == "qk"
    checks.via_cookie_key()
    assert "session=ck" in server.last_request.headers["cookie"]
    checks.via_o_auth()
    checks.via_o_auth()
    token_requests = [r for r in server.requests if r.path == "/oauth/token"]
    assert len(token_requests) == 1  # fetched once, cached
    assert token_requests[0].form()["grant_type"] == ["client_credentials"]
    assert server.last_request.headers["authorization"] == "Bearer tok-1"
    checks.public_ping()
    assert "authorization" not in server.last_request.headers and "cookie" not in server.last_request.headers
    assert server.last_request.query_value("api_key") is None


def test_server_variables_and_named_servers(authzoo: Any) -> None:
    assert authzoo.Client().base_url == "https://eu.auth.example.test/v2"
    assert authzoo.Client(region="us", version="3").base_url == "https://us.auth.example.test/v3"
    assert authzoo.Client(server="sandbox").base_url == "https://sandbox.auth.example.test/v2"
    assert authzoo.Client(server=1).base_url == "https://sandbox.auth.example.test/v2"
    with pytest.raises(ValueError, match="unknown server 'nope'"):
        authzoo.Client(server="nope")


def test_form_raw_bodies_and_always_streaming(authzoo: Any, test_server: Any) -> None:
    server = test_server(REPO / "tests" / "data" / "specs" / "auth.yaml", base_path="")
    client = authzoo.Client(api_key="t", base_url=server.base_url)
    client.documents.submit_form(name="a b", count=3)
    assert server.last_request.form() == {"name": ["a b"], "count": ["3"]}
    server.route("PUT", "/raw",
                 lambda r: Response.make(200, {"Content-Type": "application/octet-stream"}, r.body[::-1]))
    assert client.documents.update_raw(body=b"\x00\x01\x02") == b"\x02\x01\x00"
    assert server.last_request.headers["content-type"] == "application/octet-stream"
    server.route("GET", "/events", Response.sse([{"kind": "a", "n": 1}, {"kind": "b", "n": 2}], every=5))
    with client.documents.watch_events() as events:
        assert [(e.kind, e.n) for e in events] == [("a", 1), ("b", 2)]


def test_binary_download_can_be_streamed(full: Any, test_server: Any, tmp_path: Path) -> None:
    server = test_server(CORPUS / "openrouter" / "openapi.yaml")
    blob = bytes(range(256)) * 4000
    server.route("GET", "/files/{file_id}/content",
                 Response.stream([blob[:1000], blob[1000:]], 200, {"Content-Type": "application/octet-stream"}))
    with full.Client(api_key="k", base_url=server.base_url) as client:
        with client.files.with_streaming_response.download_content("f1") as body:
            chunks = list(body.iter_bytes())
        assert b"".join(chunks) == blob
        with client.files.with_streaming_response.download_content("f1") as body:
            body.write_to_file(tmp_path / "out.bin")
        assert (tmp_path / "out.bin").read_bytes() == blob


def test_pagination_from_the_target_config_and_switched_off_by_extension(tmp_path: Path, test_server: Any) -> None:
    """A paging style codegen does not guess is declared in [tool.codegen.targets.<name>.pagination]."""
    import subprocess
    import sys

    spec = REPO / "tests" / "data" / "specs" / "oddpager.yaml"
    (tmp_path / "pyproject.toml").write_text(f"""
[tool.codegen.targets.odd]
spec = {json.dumps(str(spec))}
out = "out"
package = "oddpager"

[tool.codegen.targets.odd.pagination]
listThings = {{ strategy = "offset", items = "things", offset_param = "start_at", limit_param = "max", total = "count_all" }}
""")  # noqa: E501 - a TOML inline table is one line
    r = subprocess.run([sys.executable, "-m", "generator.cli", "build", "--config", str(tmp_path / "pyproject.toml")],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    pkg = import_generated(tmp_path / "out", "oddpager")
    server = test_server(spec, base_path="")

    def things(req: RecordedRequest) -> Response:
        start, size = int(req.query_value("start_at") or 0), int(req.query_value("max") or 10)
        return Response.json({"things": [{"n": i} for i in range(start, min(25, start + size))], "count_all": 25})

    server.route("GET", "/things", things)
    server.route("GET", "/logs", Response.json({"data": ["a", "b"]}))
    with pkg.Client(base_url=server.base_url) as client:
        assert [t.n for t in client.things.list(max=10)] == list(range(25))
        assert [r.query_value("start_at") for r in server.requests] == [None, "10", "20"]
        logs = client.things.list_logs(limit=2)
        assert not hasattr(logs, "has_next_page") and logs.data == ["a", "b"]
