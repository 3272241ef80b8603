"""The values the test servers exchange with tests: recorded requests and scripted responses."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from email.message import Message
from typing import Any
from urllib.parse import parse_qs

import httpx

from support.examples import sse_event
from support.openapi import dump_json

HeadersLike = Mapping[str, str] | Sequence[tuple[str, str]]


# ------------------------------------------------------------------------------------ requests


@dataclass(frozen=True)
class Part:
    """One part of a ``multipart/form-data`` body, its bytes exactly as sent."""

    name: str
    filename: str | None
    content_type: str | None
    data: bytes
    headers: httpx.Headers


@dataclass(frozen=True)
class RecordedRequest:
    """A request as the server received it.

    `path` is the raw path (percent-encoding kept); `path_params` are decoded.  `route` is the
    matched path template (a scripted route's or the spec's), `operation_id` the spec
    operation's, when there is one.  `received_at` is `time.monotonic()` at arrival;
    `client_port` tells connections apart (keep-alive reuses one).
    """

    method: str
    target: str
    path: str
    query: dict[str, list[str]]
    headers: httpx.Headers
    body: bytes
    received_at: float
    path_params: dict[str, str] = field(default_factory=dict)
    route: str | None = None
    operation_id: str | None = None
    client_port: int = 0

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    def json(self) -> Any:
        return json.loads(self.body)

    def query_value(self, name: str) -> str | None:
        """The first value of a query parameter, or None."""
        values = self.query.get(name)
        return values[0] if values else None

    def form(self) -> dict[str, list[str]]:
        """An ``application/x-www-form-urlencoded`` body as a multi-dict."""
        return parse_qs(self.body.decode("utf-8"), keep_blank_values=True)

    def multipart(self) -> list[Part]:
        """A ``multipart/form-data`` body split into its parts (byte-exact)."""
        return parse_multipart(self.body, self.headers.get("content-type", ""))


def _header_params(header: str, value: str) -> Message:
    message = Message()
    message[header] = value
    return message


def parse_multipart(body: bytes, content_type: str) -> list[Part]:
    boundary = _header_params("content-type", content_type).get_param("boundary", header="content-type")
    if not isinstance(boundary, str) or not boundary:
        raise ValueError(f"not a multipart content type: {content_type!r}")
    delimiter = b"\r\n--" + boundary.encode("latin-1")
    segments = (b"\r\n" + body).split(delimiter)
    parts: list[Part] = []
    for segment in segments[1:]:
        if segment.startswith(b"--"):
            break
        _, _, segment = segment.partition(b"\r\n")  # rest of the boundary line
        head, sep, data = segment.partition(b"\r\n\r\n")
        if not sep:  # a part with no headers
            head, data = b"", segment[2:] if segment.startswith(b"\r\n") else segment
        pairs: list[tuple[str, str]] = []
        for line in head.decode("utf-8").split("\r\n"):
            key, colon, value = line.partition(":")
            if colon:
                pairs.append((key.strip(), value.strip()))
        headers = httpx.Headers(pairs)
        disposition = _header_params("content-disposition", headers.get("content-disposition", ""))
        name = disposition.get_param("name", header="content-disposition")
        parts.append(
            Part(
                name=name if isinstance(name, str) else "",
                filename=disposition.get_filename(),
                content_type=headers.get("content-type"),
                data=data,
                headers=headers,
            )
        )
    return parts


# ----------------------------------------------------------------------------------- responses


@dataclass(frozen=True)
class Pause:
    """In a streamed body: wait this long before the next chunk."""

    seconds: float


Chunk = bytes | Pause


def _pairs(headers: HeadersLike | None) -> tuple[tuple[str, str], ...]:
    if headers is None:
        return ()
    items = headers.items() if isinstance(headers, Mapping) else headers
    return tuple((str(k), str(v)) for k, v in items)


@dataclass(frozen=True)
class Response:
    """A scripted response.

    - `body` is sent with a Content-Length (unless `headers` sets one: lying is allowed).
    - `chunks` (instead of `body`) are written one by one with Transfer-Encoding: chunked, each
      flushed on its own; a `Pause` between them waits.  Set a Content-Length header to stream
      without chunked framing.
    - `delay` waits before the status line (timeouts).
    - `drop_after` closes the connection after that many body bytes (a drop mid-body);
      `disconnect` closes it without any response.
    """

    status: int = 200
    headers: HeadersLike = ()
    body: bytes | str = b""
    chunks: tuple[Chunk, ...] | None = None
    delay: float = 0.0
    drop_after: int | None = None
    disconnect: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "headers", _pairs(self.headers))
        if isinstance(self.body, str):
            object.__setattr__(self, "body", self.body.encode("utf-8"))

    @property
    def header_pairs(self) -> tuple[tuple[str, str], ...]:
        return _pairs(self.headers)

    @property
    def body_bytes(self) -> bytes:
        return self.body.encode("utf-8") if isinstance(self.body, str) else self.body

    @classmethod
    def make(
        cls,
        status: int = 200,
        headers: HeadersLike | None = None,
        body: bytes | str = b"",
        *,
        content_type: str | None = None,
        delay: float = 0.0,
        drop_after: int | None = None,
    ) -> Response:
        pairs = _pairs(headers)
        if content_type and not any(k.lower() == "content-type" for k, _ in pairs):
            pairs += (("Content-Type", content_type),)
        return cls(status, pairs, body, delay=delay, drop_after=drop_after)

    @classmethod
    def json(cls, data: Any, status: int = 200, headers: HeadersLike | None = None, *, delay: float = 0.0) -> Response:
        return cls.make(status, headers, dump_json(data), content_type="application/json", delay=delay)

    @classmethod
    def text(
        cls,
        text: str,
        status: int = 200,
        headers: HeadersLike | None = None,
        *,
        content_type: str = "text/plain; charset=utf-8",
        delay: float = 0.0,
    ) -> Response:
        return cls.make(status, headers, text, content_type=content_type, delay=delay)

    @classmethod
    def stream(
        cls,
        chunks: Iterable[Chunk],
        status: int = 200,
        headers: HeadersLike | None = None,
        *,
        content_type: str = "application/octet-stream",
        pause: float = 0.0,
        delay: float = 0.0,
        drop_after: int | None = None,
    ) -> Response:
        """A chunked body; `pause` waits between consecutive byte chunks."""
        pairs = _pairs(headers)
        if not any(k.lower() == "content-type" for k, _ in pairs):
            pairs += (("Content-Type", content_type),)
        out: list[Chunk] = []
        for chunk in chunks:
            if pause and out and isinstance(chunk, bytes) and isinstance(out[-1], bytes):
                out.append(Pause(pause))
            out.append(chunk)
        return cls(status, pairs, chunks=tuple(out), delay=delay, drop_after=drop_after)

    @classmethod
    def sse(
        cls,
        events: Iterable[str | bytes | Mapping[str, Any] | list[Any]],
        status: int = 200,
        headers: HeadersLike | None = None,
        *,
        split_at: Sequence[int] = (),
        every: int | None = None,
        pause: float = 0.0,
        drop_after: int | None = None,
    ) -> Response:
        """A ``text/event-stream`` body.

        Each event is raw SSE text (str/bytes, sent verbatim: end it with a blank line) or a JSON
        value sent as one ``data:`` event.  The body is cut at the absolute byte offsets
        `split_at` and/or every `every` bytes; each piece is a separate flushed write.
        """
        raw = b"".join(
            e if isinstance(e, bytes) else (e if isinstance(e, str) else sse_event(e)).encode("utf-8") for e in events
        )
        return cls.stream(
            split(raw, at=split_at, every=every),
            status,
            headers,
            content_type="text/event-stream",
            pause=pause,
            drop_after=drop_after,
        )

    @classmethod
    def drop(cls, delay: float = 0.0) -> Response:
        """Close the connection without answering."""
        return cls(disconnect=True, delay=delay)


def split(data: bytes, *, at: Iterable[int] = (), every: int | None = None) -> list[bytes]:
    """`data` cut at byte offsets `at` and/or every `every` bytes (no empty pieces)."""
    cuts = {i for i in at if 0 < i < len(data)}
    if every:
        cuts.update(range(every, len(data), every))
    bounds = [0, *sorted(cuts), len(data)]
    return [data[a:b] for a, b in itertools.pairwise(bounds) if b > a]
