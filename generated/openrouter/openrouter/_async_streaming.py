# unasync: async only
# _sync_streaming.py is derived from this file by codegen (generator/emit/unasync.py).
# unasync: end
"""``AsyncStream`` and ``AsyncBinaryStream``: the asynchronous streams' I/O.

``_streaming`` holds the rest (the event parser ``SSEDecoder``, decoding and
errors) and hands these classes out, so generated code imports them from there.
"""

from __future__ import annotations

import os
from types import TracebackType
from typing import (
    TYPE_CHECKING,
    Any,
    AsyncGenerator,
    AsyncIterable,
    AsyncIterator,
    Callable,
    Generic,
    TypeVar,
)

from ._streaming import (
    _TAIL,
    SSEDecoder,
    ServerSentEvent,
    _decode_event,
    _Done,
    _interrupted,
    _is_event_stream,
    _not_an_event_stream,
    _transport_error,
)

if TYPE_CHECKING:
    import httpx

__all__ = ["AsyncStream", "AsyncBinaryStream", "aiter_events"]

T = TypeVar("T")
_StreamT = TypeVar("_StreamT", bound="AsyncStream[Any]")
_BinaryT = TypeVar("_BinaryT", bound="AsyncBinaryStream")


async def aiter_events(chunks: AsyncIterable[bytes]) -> AsyncIterator[ServerSentEvent]:
    decoder = SSEDecoder()
    async for chunk in chunks:
        for event in decoder.feed(chunk):
            yield event
    for event in decoder.flush():
        yield event


async def _akeep_tail(
    chunks: AsyncIterator[bytes],
    tail: bytearray,
) -> AsyncIterator[bytes]:
    async for chunk in chunks:
        tail += chunk
        if len(tail) > 2 * _TAIL:
            del tail[:-_TAIL]
        yield chunk


class AsyncStream(Generic[T]):
    """Typed events of a server-sent event stream; close it or use it as a
    context manager if you stop before the end."""

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

    async def __aenter__(self: _StreamT) -> _StreamT:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()


class AsyncBinaryStream:
    """A downloaded body, read in chunks; close it or use it as a context manager."""

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

    async def __aenter__(self: _BinaryT) -> _BinaryT:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()
