"""Server-sent events and streamed binary responses.

``Stream[T]`` (``AsyncStream[T]``) iterates the events of a ``text/event-stream``
response, each event's ``data`` decoded as JSON (else kept as text) and passed to
the operation's decoder. It stops at a ``[DONE]`` data line, raises
``APIStreamError`` for an ``error`` event or a payload whose ``error`` key is
set, and closes the connection when the events run out, on ``close()``, when a
``with`` block ends, or when an abandoned iterator is garbage-collected.

``SSEDecoder`` is incremental and byte based, so events may be split across
network chunks anywhere: inside a UTF-8 sequence, or between ``\\r`` and ``\\n``.

``BinaryStream`` (``AsyncBinaryStream``) hands out the body of a download in
chunks without holding it in memory.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from types import TracebackType
from typing import (
    TYPE_CHECKING,
    Any,
    AsyncGenerator,
    AsyncIterable,
    AsyncIterator,
    Callable,
    Generator,
    Generic,
    Iterable,
    Iterator,
    TypeVar,
)

from .errors import (
    APIResponseInterruptedError,
    APIConnectionError,
    APIResponseValidationError,
    APIStreamError,
    APITimeoutError,
)

if TYPE_CHECKING:
    import httpx

__all__ = [
    "ServerSentEvent",
    "SSEDecoder",
    "Stream",
    "AsyncStream",
    "BinaryStream",
    "AsyncBinaryStream",
]

T = TypeVar("T")
_S = TypeVar("_S", bound="Stream[Any]")
_AS = TypeVar("_AS", bound="AsyncStream[Any]")
_B = TypeVar("_B", bound="BinaryStream")
_AB = TypeVar("_AB", bound="AsyncBinaryStream")

_LINE_END = re.compile(rb"\r\n|\r|\n")


@dataclass(frozen=True)
class ServerSentEvent:
    """One dispatched event."""

    data: str
    event: str | None = None
    id: str | None = None
    retry: int | None = None


class SSEDecoder:
    """Incremental ``text/event-stream`` parser: ``feed()`` bytes, get events."""

    def __init__(self) -> None:
        self._buffer = b""
        self._started = False
        self._data: list[str] = []
        self._event: str | None = None
        self._id: str | None = None
        self._retry: int | None = None

    def feed(self, chunk: bytes) -> list[ServerSentEvent]:
        self._buffer += chunk
        events: list[ServerSentEvent] = []
        start = 0
        for match in _LINE_END.finditer(self._buffer):
            if match.group() == b"\r" and match.end() == len(self._buffer):
                break  # a "\n" may follow in the next chunk
            event = self._line(self._buffer[start : match.start()])
            if event is not None:
                events.append(event)
            start = match.end()
        self._buffer = self._buffer[start:]
        return events

    def flush(self) -> list[ServerSentEvent]:
        """End of stream: the last line, and an event missing its blank line."""
        events = self.feed(b"\n") if self._buffer else []
        if self._data:
            event = self._line(b"")
            if event is not None:
                events.append(event)
        return events

    def _line(self, raw: bytes) -> ServerSentEvent | None:
        if not self._started:
            self._started = True
            raw = raw.removeprefix(b"\xef\xbb\xbf")
        line = raw.decode("utf-8", errors="replace")
        if not line:
            return self._dispatch()
        if line.startswith(":"):
            return None
        name, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if name == "data":
            self._data.append(value)
        elif name == "event":
            self._event = value or None
        elif name == "id":
            if "\0" not in value:
                self._id = value or None
        elif name == "retry":
            if value.isascii() and value.isdigit():
                self._retry = int(value)
        return None

    def _dispatch(self) -> ServerSentEvent | None:
        data, event = self._data, self._event
        self._data, self._event = [], None
        if not data:
            return None
        return ServerSentEvent("\n".join(data), event, self._id, self._retry)


def iter_events(chunks: Iterable[bytes]) -> Iterator[ServerSentEvent]:
    decoder = SSEDecoder()
    for chunk in chunks:
        yield from decoder.feed(chunk)
    yield from decoder.flush()


async def aiter_events(chunks: AsyncIterable[bytes]) -> AsyncIterator[ServerSentEvent]:
    decoder = SSEDecoder()
    async for chunk in chunks:
        for event in decoder.feed(chunk):
            yield event
    for event in decoder.flush():
        yield event


class _Done:
    pass


_DONE = _Done()


def _decode_event(
    sse: ServerSentEvent, decode: Callable[[Any], T] | None, response: httpx.Response
) -> T | _Done:
    """The typed item for ``sse``, ``_DONE`` at the end, or an exception."""
    if sse.data.strip() == "[DONE]":
        return _DONE
    try:
        payload: Any = json.loads(sse.data)
    except ValueError:
        payload = sse.data
    error = payload.get("error") if isinstance(payload, dict) else None
    if sse.event == "error" or error:
        raise APIStreamError(
            _stream_error_message(error if error else payload),
            request=response.request,
            body=payload,
            event=sse.event,
        )
    if decode is None:
        return payload  # type: ignore[no-any-return]
    try:
        return decode(payload)
    except Exception as exc:
        raise APIResponseValidationError(
            f"stream event does not match the declared schema: {exc}",
            response=response,
            body=sse.data,
        ) from exc


def _stream_error_message(error: Any) -> str:
    if isinstance(error, dict):
        message = error.get("message")
        if isinstance(message, str) and message:
            return message
    if isinstance(error, str) and error:
        return error
    return f"the server sent an error event: {error!r}"


def _transport_error(exc: httpx.RequestError, request: httpx.Request) -> Exception:
    import httpx

    if isinstance(exc, httpx.TimeoutException):
        return APITimeoutError(request=request)
    return APIConnectionError(request=request)


_TAIL = 64 * 1024  # what an interrupted stream's error keeps of the bytes that arrived


def _keep_tail(chunks: Iterable[bytes], tail: bytearray) -> Iterator[bytes]:
    for chunk in chunks:
        tail += chunk
        if len(tail) > 2 * _TAIL:
            del tail[:-_TAIL]
        yield chunk


async def _akeep_tail(
    chunks: AsyncIterator[bytes], tail: bytearray
) -> AsyncIterator[bytes]:
    async for chunk in chunks:
        tail += chunk
        if len(tail) > 2 * _TAIL:
            del tail[:-_TAIL]
        yield chunk


def _interrupted(
    exc: httpx.RequestError, response: httpx.Response, tail: bytearray
) -> Exception:
    import httpx

    if isinstance(exc, httpx.TimeoutException) or not tail:
        return _transport_error(exc, response.request)
    return APIResponseInterruptedError(
        f"Connection broke in the middle of the event stream: {type(exc).__name__}",
        response=response,
        body=bytes(tail[-_TAIL:]).decode("utf-8", "replace"),
    )


def _is_event_stream(response: httpx.Response) -> bool:
    """A body the server labels as something else (an HTML login page, a JSON error) is not
    read as events; no label at all is given the benefit of the doubt."""
    kind = response.headers.get("content-type", "")
    return not kind or kind.split(";")[0].strip().lower() == "text/event-stream"


def _not_an_event_stream(response: httpx.Response) -> Exception:
    return APIResponseValidationError(
        "expected an event stream (text/event-stream), got content type "
        f"{response.headers.get('content-type')!r}",
        response=response,
        body=response.text,
    )


class Stream(Generic[T]):
    """Typed events of a server-sent event stream."""

    response: httpx.Response

    def __init__(
        self, *, response: httpx.Response, decode: Callable[[Any], T] | None
    ) -> None:
        self.response = response
        self._decode = decode
        self._iterator = self._iter()

    def _iter(self) -> Generator[T, None, None]:
        import httpx

        tail = bytearray()
        try:
            if not _is_event_stream(self.response):
                self.response.read()
                raise _not_an_event_stream(self.response)
            chunks = _keep_tail(self.response.iter_bytes(), tail)
            for sse in iter_events(chunks):
                item = _decode_event(sse, self._decode, self.response)
                if isinstance(item, _Done):
                    return
                yield item
        except httpx.RequestError as exc:
            raise _interrupted(exc, self.response, tail) from exc
        finally:
            self.response.close()

    def __iter__(self) -> Iterator[T]:
        return self._iterator

    def __next__(self) -> T:
        return next(self._iterator)

    def close(self) -> None:
        self._iterator.close()
        self.response.close()

    def __enter__(self: _S) -> _S:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class AsyncStream(Generic[T]):
    """Typed events of a server-sent event stream, for ``async for``."""

    response: httpx.Response

    def __init__(
        self, *, response: httpx.Response, decode: Callable[[Any], T] | None
    ) -> None:
        self.response = response
        self._decode = decode
        self._iterator = self._iter()

    async def _iter(self) -> AsyncGenerator[T, None]:
        import httpx

        tail = bytearray()
        try:
            if not _is_event_stream(self.response):
                await self.response.aread()
                raise _not_an_event_stream(self.response)
            chunks = _akeep_tail(self.response.aiter_bytes(), tail)
            async for sse in aiter_events(chunks):
                item = _decode_event(sse, self._decode, self.response)
                if isinstance(item, _Done):
                    return
                yield item
        except httpx.RequestError as exc:
            raise _interrupted(exc, self.response, tail) from exc
        finally:
            await self.response.aclose()

    def __aiter__(self) -> AsyncIterator[T]:
        return self._iterator

    async def __anext__(self) -> T:
        return await self._iterator.__anext__()

    async def close(self) -> None:
        await self._iterator.aclose()
        await self.response.aclose()

    async def __aenter__(self: _AS) -> _AS:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()


class BinaryStream:
    """A downloaded body, read in chunks; close it or use ``with``."""

    response: httpx.Response

    def __init__(self, *, response: httpx.Response) -> None:
        self.response = response

    def iter_bytes(self, chunk_size: int | None = None) -> Iterator[bytes]:
        import httpx

        try:
            yield from self.response.iter_bytes(chunk_size)
        except httpx.RequestError as exc:
            raise _transport_error(exc, self.response.request) from exc

    def read(self) -> bytes:
        return b"".join(self.iter_bytes())

    def write_to_file(self, path: str | os.PathLike[str]) -> None:
        with open(path, "wb") as file:
            for chunk in self.iter_bytes():
                file.write(chunk)

    def close(self) -> None:
        self.response.close()

    def __enter__(self: _B) -> _B:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class AsyncBinaryStream:
    """A downloaded body, read in chunks with ``async for``."""

    response: httpx.Response

    def __init__(self, *, response: httpx.Response) -> None:
        self.response = response

    async def iter_bytes(self, chunk_size: int | None = None) -> AsyncIterator[bytes]:
        import httpx

        try:
            async for chunk in self.response.aiter_bytes(chunk_size):
                yield chunk
        except httpx.RequestError as exc:
            raise _transport_error(exc, self.response.request) from exc

    async def read(self) -> bytes:
        return b"".join([chunk async for chunk in self.iter_bytes()])

    async def write_to_file(self, path: str | os.PathLike[str]) -> None:
        with open(path, "wb") as file:
            async for chunk in self.iter_bytes():
                file.write(chunk)

    async def close(self) -> None:
        await self.response.aclose()

    async def __aenter__(self: _AB) -> _AB:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()
