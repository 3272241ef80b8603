"""The local test server the client tests run against: spec mock, scripts, recording, shutdown."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from support.server import MockServer, Pause, RecordedRequest, Response

DATA = Path(__file__).parent / "data" / "support"
WIDGETS = DATA / "widgets.yaml"  # a small spec of a widget API
SAMPLES = DATA / "samples.yaml"  # schemas exercising the body synthesiser

ServerFactory = Callable[..., MockServer]


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with httpx.Client(trust_env=False, timeout=5) as c:
        yield c


def test_spec_mock_routes_under_the_servers_base_path(test_server: ServerFactory, client: httpx.Client) -> None:
    server = test_server(WIDGETS)
    assert server.base_url == f"http://127.0.0.1:{server.port}/v1"

    page = client.get(f"{server.base_url}/widgets", params={"limit": 3, "tag": ["a", "b c"]})
    assert page.status_code == 200
    assert page.headers["content-type"] == "application/json"
    widget = page.json()["data"][0]
    assert widget["status"] == "active" and widget["created_at"] == "2024-01-01T00:00:00Z"
    assert widget["id"] >= 1 and widget["name"] == "sprocket"

    one = client.get(f"{server.base_url}/widgets/a%2Fb%20c")
    assert one.status_code == 200
    request = server.last_request
    assert request.path == "/v1/widgets/a%2Fb%20c"
    assert request.path_params == {"widgetId": "a/b c"}
    assert (request.route, request.operation_id) == ("/widgets/{widgetId}", "getWidget")
    assert server.requests[0].query == {"limit": ["3"], "tag": ["a", "b c"]}

    for url in (f"{server.base_url}/nope", f"{server.url}/widgets"):
        missing = client.get(url)
        assert missing.status_code == 404
        assert missing.json()["error"] == "no route"


def test_status_chosen_by_header_or_respond_next(test_server: ServerFactory, client: httpx.Client) -> None:
    server = test_server(WIDGETS)
    url = f"{server.base_url}/widgets/w1"

    by_header = client.get(url, headers={"X-Test-Status": "404"})
    assert by_header.status_code == 404
    assert by_header.json() == {"error": {"code": 404, "message": "widget not found"}}  # first `examples`

    server.respond_next(status=400, method="POST")
    server.respond_next(status=503, headers={"Retry-After": "0"}, body={"error": "later"})
    assert client.get(url).status_code == 503  # the POST-only one waits for a POST
    created = client.post(f"{server.base_url}/widgets", json={"name": "x"})
    assert created.status_code == 400
    assert created.json() == {"error": {"code": 0, "message": "string"}}  # synthesised from the schema
    assert client.post(f"{server.base_url}/widgets", json={"name": "x"}).json()["name"] == "created"
    assert client.delete(url).status_code == 204


def test_bodies_synthesised_from_schemas(test_server: ServerFactory, client: httpx.Client) -> None:
    server = test_server(SAMPLES)
    assert server.base_url.endswith("/api/v2")

    thing = client.get(f"{server.base_url}/things/1").json()
    assert thing["id"] == 10 and thing["kind"] == "thing" and thing["count"] == 1
    assert thing["ratio"] == 0.5 and thing["when"] == "2024-01-01T00:00:00Z"
    assert thing["uuid"] == "3fa85f64-5717-4562-b3fc-2c963f66afa6"
    assert thing["tags"] == ["red"]
    assert thing["pet"] == {"name": "Tom", "pet_type": "cat", "lives": 9}  # allOf merged, mapping key
    assert thing["node"]["value"] == 0 and thing["node"]["children"] == []  # recursion cut
    assert thing["nothing"] == "user@example.com"  # the non-null variant
    assert thing["meta"] == {"key": True}
    assert "secret" not in thing
    assert client.get(f"{server.base_url}/things/special").status_code == 204

    events = client.get(f"{server.base_url}/events", headers={"accept": "text/event-stream"})
    assert events.headers["content-type"] == "text/event-stream"
    assert events.text == 'data: {"name": "Tom", "pet_type": "cat", "lives": 9}\n\ndata: [DONE]\n\n'
    assert client.get(f"{server.base_url}/events").headers["content-type"] == "application/json"


def test_records_headers_bodies_and_multipart(test_server: ServerFactory, client: httpx.Client) -> None:
    server = test_server()
    server.route("*", "/upload", Response(201))
    payload = bytes(range(256)) + b"\r\n--not-a-boundary\r\n"
    client.post(
        f"{server.url}/upload?a=1&a=2&empty=",
        files={"file": ("report.bin", payload, "application/octet-stream")},
        data={"purpose": "tests"},
        headers={"X-Custom": "yes"},
    )
    client.put(f"{server.url}/upload", content=iter([b"chunked ", b"body"]))

    upload, chunked = server.requests
    assert upload.query == {"a": ["1", "2"], "empty": [""]}
    assert upload.headers["x-custom"] == upload.headers["X-CUSTOM"] == "yes"
    parts = {p.name: p for p in upload.multipart()}
    assert parts["file"].filename == "report.bin" and parts["file"].data == payload
    assert parts["file"].content_type == "application/octet-stream"
    assert parts["purpose"].data == b"tests" and parts["purpose"].filename is None
    assert chunked.headers["transfer-encoding"] == "chunked" and chunked.body == b"chunked body"
    assert upload.received_at <= chunked.received_at


def test_scripted_retries_and_query_dependent_pages(test_server: ServerFactory, client: httpx.Client) -> None:
    server = test_server()
    items = list(range(5))

    def page(request: RecordedRequest) -> Response:
        offset, limit = int(request.query_value("offset") or 0), int(request.query_value("limit") or 2)
        return Response.json({"data": items[offset : offset + limit], "total": len(items)})

    server.route("GET", "/items", page)
    server.enqueue(Response.json({"error": "slow down"}, 429, {"Retry-After": "1"}), path="/items")

    assert client.get(f"{server.url}/items").status_code == 429
    assert client.get(f"{server.url}/items", params={"offset": 4}).json() == {"data": [4], "total": 5}
    assert [r.query_value("offset") for r in server.requests] == [None, "4"]


def test_delays_drops_and_streams(test_server: ServerFactory, client: httpx.Client) -> None:
    server = test_server()
    server.route("GET", "/slow", Response.json({}, delay=2.0))
    server.route("GET", "/cut", Response.make(200, body=b"x" * 100, drop_after=10))
    server.route("GET", "/gone", Response.drop())
    events: list[Any] = [{"n": 1}, "event: done\ndata: [DONE]\n\n"]
    server.route("GET", "/sse", Response.sse(events, split_at=(3, 11), pause=0.05))

    started = time.monotonic()
    with pytest.raises(httpx.ReadTimeout):
        client.get(f"{server.url}/slow", timeout=0.3)
    assert time.monotonic() - started < 1.5
    with pytest.raises(httpx.RemoteProtocolError):
        client.get(f"{server.url}/cut")
    with pytest.raises(httpx.RemoteProtocolError):
        client.get(f"{server.url}/gone")

    with client.stream("GET", f"{server.url}/sse") as stream:
        assert stream.headers["content-type"] == "text/event-stream"
        pieces = list(stream.iter_raw())
    assert b"".join(pieces) == b'data: {"n": 1}\n\nevent: done\ndata: [DONE]\n\n'
    assert pieces[:2] == [b"dat", b'a: {"n":']  # each write flushed on its own


def test_keep_alive_and_prompt_shutdown(client: httpx.Client) -> None:
    server = MockServer().start()
    failures: list[Exception] = []

    def read_stalled_stream() -> None:
        try:
            client.get(f"{server.url}/stall", timeout=60)
        except httpx.HTTPError as e:
            failures.append(e)

    reader = threading.Thread(target=read_stalled_stream)
    try:
        server.route("GET", "/stall", Response.stream([b"a", Pause(60), b"b"]))
        for _ in range(3):
            assert client.get(f"{server.url}/missing").status_code == 404
        assert len({r.client_port for r in server.requests}) == 1  # one kept-alive connection
        reader.start()
        server.wait_for_requests(4)
    finally:
        started = time.monotonic()
        server.stop()
    assert time.monotonic() - started < 3
    reader.join(timeout=5)
    assert not reader.is_alive()
    assert [type(e) for e in failures] == [httpx.RemoteProtocolError]


def test_handler_errors_fail_the_test(client: httpx.Client) -> None:
    def broken(_: RecordedRequest) -> Response:
        raise KeyError("boom")

    # the AssertionError is raised when the server stops (PT012), after the request inside
    with pytest.raises(AssertionError, match="KeyError: 'boom'"), MockServer() as server:  # noqa: PT012
        server.route("GET", "/x", broken)
        assert client.get(f"{server.url}/x").status_code == 500
