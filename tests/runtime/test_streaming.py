"""Server-sent events: typed items, awkward chunk boundaries, [DONE], errors, closing."""

from __future__ import annotations

import gc
from typing import Any

import pytest

from support.server import MockServer, Pause, Response, split

from .conftest import run

SSE = (
    b": keep-alive comment\r\n"
    b"\r\n"
    b'data: {"id":"c1","delta":"h\xc3\xa9llo"}\r\n'
    b"\r\n"
    b"event: message\r\n"
    b'data: {"id":"c2",\r\n'
    b'data: "delta":"w\xc3\xb6rld \xf0\x9f\x8c\x8d"}\r\n'
    b"\r\n"
    b'data: {"id":"c3","delta":"cr only"}\r\r'
    b'data: {"id":"c4","delta":"lf"}\n\n'
    b"data: [DONE]\n\n"
    b'data: {"id":"never","delta":"after done"}\n\n'
)
EXPECTED = [("c1", "héllo"), ("c2", "wörld 🌍"), ("c3", "cr only"), ("c4", "lf")]


def awkward_cuts() -> list[int]:
    """Offsets inside UTF-8 sequences, between \\r and \\n, and inside field names."""
    cuts = [SSE.index(b"\xc3\xa9") + 1, SSE.index(b"\xf0\x9f") + 1]
    cuts += [SSE.index(b"\x8c\x8d") + 1, SSE.index(b"\xb6")]
    cuts += [i + 1 for i in range(len(SSE) - 1) if SSE[i : i + 2] == b"\r\n"][:4]
    cuts += [
        SSE.index(b"cr only") + 10,
        SSE.index(b"event") + 2,
        SSE.index(b"[DONE]") + 3,
    ]
    return sorted(cuts)


def sse_response(chunks: list[bytes], pause: float = 0.002) -> Response:
    pieces: list[bytes | Pause] = []
    for chunk in chunks:
        pieces += [chunk, Pause(pause)]
    return Response(200, (("Content-Type", "text/event-stream"),), chunks=tuple(pieces))


def events(stream: Any) -> list[tuple[str, str]]:
    return [(chunk.id, chunk.delta) for chunk in stream]


def test_decoder_at_every_split_point(mod: Any) -> None:
    streaming = mod("_streaming")

    def parse(chunks: list[bytes]) -> list[tuple[str | None, str]]:
        decoder = streaming.SSEDecoder()
        found = [e for c in chunks for e in decoder.feed(c)] + decoder.flush()
        return [(e.event, e.data) for e in found]

    whole = parse([SSE])
    assert len(whole) == 6 and whole[1][0] == "message"
    assert whole[1][1] == '{"id":"c2",\n"delta":"wörld 🌍"}'
    for i in range(1, len(SSE)):
        assert parse([SSE[:i], SSE[i:]]) == whole, i
    assert parse([bytes([b]) for b in SSE]) == whole


def test_decoder_fields_and_end_of_stream(mod: Any) -> None:
    decoder = mod("_streaming").SSEDecoder()
    found = decoder.feed(
        b"\xef\xbb\xbfid: 7\nretry: 150\nevent: ping\ndata\ndata: x\n\n"
    )
    found += decoder.feed(b"data: unterminated")
    found += decoder.flush()
    assert [(e.id, e.retry, e.event, e.data) for e in found] == [
        ("7", 150, "ping", "\nx"),
        ("7", 150, None, "unterminated"),  # id and retry persist
    ]


def test_stream_split_at_awkward_boundaries_over_a_socket(
    client: Any, server: MockServer, mod: Any
) -> None:
    server.route(
        "POST", "/chat/completions", sse_response(split(SSE, at=awkward_cuts()))
    )
    with client.chat.stream(prompt="hi") as stream:
        assert isinstance(stream, mod("_streaming").Stream)
        got = events(stream)
    assert got == EXPECTED
    assert stream.response.is_closed
    sent = server.last_request
    assert sent.headers["accept"] == "text/event-stream"
    assert sent.json() == {"prompt": "hi", "stream": True}


def test_stream_in_three_byte_chunks(client: Any, server: MockServer) -> None:
    server.route("POST", "/chat/completions", sse_response(split(SSE, every=3), 0))
    assert events(client.chat.stream(prompt="hi")) == EXPECTED


def test_error_event_raises(client: Any, server: MockServer, mod: Any) -> None:
    body = (
        b'data: {"id":"c1","delta":"a"}\n\n'
        b'event: error\ndata: {"message":"overloaded"}\n\n'
    )
    server.route("POST", "/chat/completions", sse_response([body]))
    stream = client.chat.stream(prompt="hi")
    assert next(iter(stream)).id == "c1"
    with pytest.raises(mod("errors").APIStreamError, match="overloaded") as info:
        next(iter(stream))
    assert info.value.event == "error" and info.value.body == {"message": "overloaded"}
    assert stream.response.is_closed


def test_payload_with_error_key_raises(
    client: Any, server: MockServer, mod: Any
) -> None:
    body = b'data: {"error":{"code":502,"message":"provider down"}}\n\n'
    server.route("POST", "/chat/completions", sse_response([body]))
    with pytest.raises(mod("errors").APIStreamError, match="provider down"):
        list(client.chat.stream(prompt="hi"))


def test_event_not_matching_schema(client: Any, server: MockServer, mod: Any) -> None:
    server.route("POST", "/chat/completions", sse_response([b'data: {"id":1}\n\n']))
    with pytest.raises(mod("errors").APIResponseValidationError):
        list(client.chat.stream(prompt="hi"))


def test_closing_early_and_abandoning_close_the_connection(
    client: Any, server: MockServer
) -> None:
    endless = [b'data: {"id":"c","delta":"x"}\n\n'] * 200
    server.route("POST", "/chat/completions", sse_response(endless, 0.01))
    with client.chat.stream(prompt="hi") as stream:
        assert next(stream).id == "c"
    assert stream.response.is_closed

    stream = client.chat.stream(prompt="hi")
    next(stream)
    response = stream.response
    del stream
    gc.collect()
    assert response.is_closed


def test_stream_status_error_is_raised_with_body(
    client: Any, server: MockServer, mod: Any
) -> None:
    body = {"error": {"code": 400, "message": "bad prompt"}}
    server.route("POST", "/chat/completions", Response.json(body, 400))
    with pytest.raises(mod("errors").BadRequestError) as info:
        client.chat.stream(prompt="hi")
    assert info.value.body.error.message == "bad prompt"


def test_stream_is_retried_before_it_starts(client: Any, server: MockServer) -> None:
    server.route("POST", "/chat/completions", sse_response([SSE]))
    server.enqueue(Response.json({}, 503, headers={"retry-after-ms": "1"}))
    assert events(client.chat.stream(prompt="hi")) == EXPECTED


def test_raw_response_of_a_stream(client: Any, server: MockServer) -> None:
    server.route("POST", "/chat/completions", sse_response([SSE]))
    raw = client.chat.with_raw_response.stream(prompt="hi")
    assert raw.headers["content-type"] == "text/event-stream"
    assert events(raw.parse()) == EXPECTED


def test_async_stream(make_client: Any, server: MockServer, mod: Any) -> None:
    server.route(
        "POST", "/chat/completions", sse_response(split(SSE, at=awkward_cuts()))
    )

    async def main() -> None:
        async with make_client(async_=True) as c:
            stream = await c.chat.stream(prompt="hi")
            assert isinstance(stream, mod("_streaming").AsyncStream)
            async with stream:
                got = [(e.id, e.delta) async for e in stream]
            assert got == EXPECTED
            assert stream.response.is_closed

            stream = await c.chat.stream(prompt="hi")
            first = await stream.__anext__()
            assert first.id == "c1"
            await stream.close()
            assert stream.response.is_closed

    run(main())
