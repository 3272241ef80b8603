"""Issue 7 at run time: a response the client cannot use is a clear exception that carries the
status and the raw body (never a bare ValueError, KeyError or httpx error).

Plain JSON operations use the committed ``generated/openrouter``; the event stream uses a
client generated from ``tests/data/specs/auth.yaml`` (``documents.watch_events``).
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest

from clients import generate_unformatted, import_generated
from support.messages import Response

REPO = Path(__file__).resolve().parent.parent
openrouter = import_generated(REPO / "generated" / "openrouter", "openrouter")


@pytest.fixture(scope="module")
def authzoo(tmp_path_factory: pytest.TempPathFactory) -> Any:
    out = generate_unformatted(REPO / "tests" / "data" / "specs" / "auth.yaml", tmp_path_factory.mktemp("rt"),
                               "authzoo_errors")
    return import_generated(out, "authzoo_errors")


def _list(server: Any, **options: Any) -> Any:
    with openrouter.Client(api_key="k", base_url=server.base_url, max_retries=0, **options) as client:
        return client.workspaces.list()


def _workspaces(n: int) -> str:
    return json.dumps({"data": [{"id": f"ws-{i}", "name": f"W{i}", "slug": f"w{i}"} for i in range(n)],
                       "total_count": n})


# -- a 2xx the client cannot decode: APIResponseValidationError(status_code, body) ------------------

UNUSABLE_200 = {
    "malformed JSON": (Response.make(200, body='{"data": [{"id": "ws-1",', content_type="application/json"),
                       "not valid JSON"),
    "HTML instead of JSON": (Response.make(200, body="<html><body>Maintenance</body></html>",
                                           content_type="text/html; charset=utf-8"), "content type 'text/html"),
    "plain text": (Response.make(200, body="OK", content_type="text/plain"), "content type 'text/plain'"),
    "an array for an object": (Response.json([1, 2, 3]), "does not match the declared schema"),
    "a string for an array": (Response.json({"data": "ws-1", "total_count": 1}), "does not match the declared schema"),
    "numbers for objects": (Response.json({"data": [1, 2], "total_count": 2}), "does not match the declared schema"),
    "not UTF-8": (Response.make(200, body=b'{"data": "\xff\xfe"}', content_type="application/json"), "not valid JSON"),
}


@pytest.mark.parametrize("case", sorted(UNUSABLE_200))
def test_an_unusable_200_is_a_validation_error_with_status_and_raw_body(case: str, test_server: Any) -> None:
    response, message = UNUSABLE_200[case]
    server = test_server()
    server.enqueue(response)
    with pytest.raises(openrouter.APIResponseValidationError) as info:
        _list(server)
    e = info.value
    assert e.status_code == 200 and e.response.status_code == 200
    assert e.body == response.body_bytes.decode("utf-8", errors="replace")  # the raw body, as text
    assert message in str(e)
    assert isinstance(e, openrouter.APIError) and e.request.url.path == "/workspaces"
    assert len(server.requests) == 1  # a bad body is not retried


def test_the_same_through_with_raw_response_and_the_async_client(test_server: Any) -> None:
    server = test_server()
    server.route("GET", "/workspaces", Response.make(200, body="<html>", content_type="text/html"))
    with openrouter.Client(api_key="k", base_url=server.base_url, max_retries=0) as client:
        raw = client.workspaces.with_raw_response.list()
        assert raw.status_code == 200
        with pytest.raises(openrouter.APIResponseValidationError) as info:
            raw.parse()
        assert info.value.body == "<html>"

    async def main() -> None:
        async with openrouter.AsyncClient(api_key="k", base_url=server.base_url, max_retries=0) as client:
            await client.workspaces.list()

    with pytest.raises(openrouter.APIResponseValidationError) as info:
        asyncio.run(main())
    assert info.value.status_code == 200 and info.value.body == "<html>"


def test_a_well_formed_200_still_decodes(test_server: Any) -> None:
    server = test_server()
    server.enqueue(Response.json(json.loads(_workspaces(2))))
    page = _list(server)
    assert [w.id for w in page.data] == ["ws-0", "ws-1"]


# -- error statuses with bodies that are not the declared JSON -------------------------------------


@pytest.mark.parametrize(("status", "content_type", "body"), [
    (502, "text/html", "<html><h1>502 Bad Gateway</h1></html>"),
    (404, "application/json", '{"error": {"code": 404, "mess'),
    (400, "application/json", '"just a string"'),
    (500, "", ""),
])
def test_an_error_status_keeps_its_raw_body(status: int, content_type: str, body: str, test_server: Any) -> None:
    server = test_server()
    server.enqueue(Response.make(status, body=body, content_type=content_type or None))
    with pytest.raises(openrouter.APIStatusError) as info:
        _list(server)
    e = info.value
    assert e.status_code == status
    assert type(e) is {400: openrouter.BadRequestError, 404: openrouter.NotFoundError}.get(
        status, openrouter.InternalServerError)
    expected = json.loads(body) if body == '"just a string"' else body or None  # no body: None
    assert e.body == expected and e.response.text == body


# -- the connection breaks --------------------------------------------------------------------------


def test_no_response_at_all_is_a_connection_error(test_server: Any) -> None:
    server = test_server()
    server.enqueue(Response.drop())
    with pytest.raises(openrouter.APIConnectionError) as info:
        _list(server)
    assert not isinstance(info.value, openrouter.APIStatusError)


def test_a_connection_dropped_mid_body_is_a_connection_error(test_server: Any) -> None:
    body = _workspaces(30)
    server = test_server()
    server.enqueue(Response.make(200, body=body, content_type="application/json", drop_after=100))
    with pytest.raises(openrouter.APIConnectionError) as info:
        _list(server)
    assert not isinstance(info.value, (openrouter.APIStatusError, openrouter.APIResponseValidationError))
    assert info.value.request.url.path == "/workspaces"


def test_a_connection_dropped_mid_body_is_retried_and_can_recover(test_server: Any) -> None:
    server = test_server()
    server.enqueue(Response.make(200, body=_workspaces(3), content_type="application/json", drop_after=10))
    server.enqueue(Response.json(json.loads(_workspaces(3))))
    with openrouter.Client(api_key="k", base_url=server.base_url, max_retries=1) as client:
        page = client.workspaces.list()
    assert len(page.data) == 3 and len(server.requests) == 2


def test_a_connection_dropped_mid_body_carries_status_and_received_bytes(test_server: Any) -> None:
    body = _workspaces(30)
    server = test_server()
    server.enqueue(Response.make(200, body=body, content_type="application/json", drop_after=100))
    with pytest.raises(openrouter.errors.APIResponseInterruptedError) as info:
        _list(server)
    e: Any = info.value
    assert isinstance(e, openrouter.APIConnectionError)
    assert e.status_code == 200
    assert e.body == body[:100]


# -- event streams ----------------------------------------------------------------------------------

EVENTS = b'data: {"kind": "a", "n": 1}\n\ndata: {"kind": "b", "n": 2}\n\ndata: {"kind": "c", "n": 3}\n\n'


def _watch(authzoo: Any, server: Any) -> tuple[list[Any], BaseException | None]:
    received: list[Any] = []
    client = authzoo.Client(api_key="t", base_url=server.base_url, max_retries=0)
    try:
        with client.documents.watch_events() as events:
            for event in events:
                received.append((event.kind, event.n))
    except Exception as exc:  # the test looks at what was raised
        return received, exc
    finally:
        client.close()
    return received, None


def test_a_stream_dropped_mid_event_delivers_what_arrived_then_a_connection_error(authzoo: Any,
                                                                                 test_server: Any) -> None:
    server = test_server()
    cut = EVENTS.index(b'data: {"kind": "c"') + 12
    server.route("GET", "/events", Response.sse([EVENTS], drop_after=cut, every=16))
    received, error = _watch(authzoo, server)
    assert received == [("a", 1), ("b", 2)]
    assert isinstance(error, authzoo.APIConnectionError), error


def test_a_stream_dropped_mid_event_async(authzoo: Any, test_server: Any) -> None:
    server = test_server()
    server.route("GET", "/events", Response.sse([EVENTS], drop_after=EVENTS.index(b"data: {\"kind\": \"b\"") + 3))

    async def main() -> list[Any]:
        received = []
        async with authzoo.AsyncClient(api_key="t", base_url=server.base_url, max_retries=0) as client:
            stream = await client.documents.watch_events()
            async for event in stream:
                received.append(event.kind)
        return received

    with pytest.raises(authzoo.APIConnectionError):
        asyncio.run(main())


@pytest.mark.parametrize(("event", "message"), [
    (b"data: {not json\n\n", "does not match the declared schema"),
    (b"data: [1, 2]\n\n", "does not match the declared schema"),
])
def test_an_event_that_does_not_decode_is_a_validation_error_with_its_data(event: bytes, message: str, authzoo: Any,
                                                                           test_server: Any) -> None:
    server = test_server()
    server.route("GET", "/events", Response.sse([EVENTS[:EVENTS.index(b'data: {"kind": "b"')], event]))
    received, error = _watch(authzoo, server)
    assert received == [("a", 1)]
    assert isinstance(error, authzoo.APIResponseValidationError), error
    assert error.status_code == 200 and error.body == event.decode()[len("data: "):].strip()
    assert message in str(error)


def test_a_stream_dropped_mid_event_carries_status_and_received_bytes(authzoo: Any, test_server: Any) -> None:
    server = test_server()
    cut = EVENTS.index(b'data: {"kind": "c"') + 12
    server.route("GET", "/events", Response.sse([EVENTS], drop_after=cut))
    _, error = _watch(authzoo, server)
    e: Any = error
    assert isinstance(e, authzoo.errors.APIResponseInterruptedError) and isinstance(e, authzoo.APIConnectionError)
    assert e.status_code == 200 and e.body.endswith(EVENTS[:cut].decode()[-20:])


def test_html_where_an_event_stream_belongs_is_a_validation_error(authzoo: Any, test_server: Any) -> None:
    server = test_server()
    server.route("GET", "/events", Response.make(200, body="<html>login</html>", content_type="text/html"))
    received, error = _watch(authzoo, server)
    assert received == []
    assert isinstance(error, authzoo.APIResponseValidationError), error
    assert error.status_code == 200 and error.body == "<html>login</html>"
