# unasync: async only
# _sync_client.py is derived from this file by codegen (generator/emit/unasync.py).
# unasync: end
"""``AsyncAPIClient`` and ``AsyncAPIResource``: the asynchronous client's I/O.

``_base_client`` holds everything else (the contract in its docstring, the
request loop ``_BaseClient._flow``, request building, retry decisions) and
hands these classes out, so generated code imports them from there. What is
left here performs the flow's steps: it sends requests, sleeps between
retries, reads bodies and closes the connection pool.
"""

from __future__ import annotations

from types import TracebackType
from typing import TYPE_CHECKING, Any, Callable, Mapping, Sequence, TypeVar, cast

from ._base_client import (
    _PARTIAL,
    Endpoint,
    _APIResource,
    _BaseClient,
    _Call,
    _Pool,
    _Sleep,
)
from ._response import take_raw_flag
from ._types import (
    NOT_GIVEN,
    Files,
    Headers,
    NotGiven,
    Query,
    RequestOptions,
    Timeout,
)

if TYPE_CHECKING:
    import httpx

    from ._auth import Credential, SecurityRequirement
    from ._base_client import _Flow
    from ._pagination import PageRequest
    from ._retry import RetryPolicy
    from ._async_streaming import AsyncBinaryStream, AsyncStream

__all__ = ["AsyncAPIClient", "AsyncAPIResource"]

T = TypeVar("T")
_ClientT = TypeVar("_ClientT", bound="AsyncAPIClient")


async def _aread(response: httpx.Response) -> None:
    """``response.aread()``, keeping what arrived when the connection breaks mid-body."""
    import httpx

    received = bytearray()
    try:
        async for chunk in response.aiter_bytes():
            received += chunk
    except httpx.RequestError as exc:
        setattr(exc, _PARTIAL, (response, bytes(received)))
        raise
    response._content = bytes(received)  # exactly what httpx's own read stores


class AsyncAPIClient(_BaseClient):
    """Base class of the generated asynchronous ``AsyncClient``."""

    _pool: _Pool[httpx.AsyncClient]

    def __init__(
        self,
        *,
        base_url: str | httpx.URL,
        package_name: str,
        package_version: str,
        credentials: Mapping[str, Credential] | None = None,
        default_security: Sequence[SecurityRequirement] = (),
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        default_headers: Headers | None = None,
        default_query: Query | None = None,
        http_client: httpx.AsyncClient | None = None,
        retry_policy: RetryPolicy | None = None,
        given_base_url: str | httpx.URL | None = None,
        server_variables: Mapping[str, str | None] | None = None,
    ) -> None:
        super().__init__(
            base_url=base_url,
            package_name=package_name,
            package_version=package_version,
            credentials=credentials,
            default_security=default_security,
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            default_query=default_query,
            retry_policy=retry_policy,
            given_base_url=given_base_url,
            server_variables=server_variables,
        )
        if http_client is not None:
            import httpx

            if not isinstance(http_client, httpx.AsyncClient):
                raise TypeError("http_client must be an httpx.AsyncClient")
        self._owns_http = http_client is None
        self._pool = _Pool(http_client)

    @property
    def _http(self) -> httpx.AsyncClient:
        """The connection pool (shared with copies), made on first use."""
        client = self._pool.client
        return client if client is not None else self._pool.get(self._make_http)

    def _make_http(self) -> httpx.AsyncClient:
        import httpx

        return httpx.AsyncClient(timeout=self._call_timeout(NOT_GIVEN))

    async def _drive(self, flow: _Flow[T]) -> T:
        """Perform the flow's steps: send its requests, sleep before its retries."""
        import httpx

        reply: httpx.Response | None = None
        error: httpx.RequestError | None = None
        try:
            while True:
                try:
                    step = flow.send(reply) if error is None else flow.throw(error)
                except StopIteration as stop:
                    value: T = stop.value
                    return value
                reply, error = None, None
                if isinstance(step, _Sleep):
                    import asyncio

                    await asyncio.sleep(step.seconds)
                    continue
                try:
                    reply = await self._http.send(step.request, stream=True)
                    if not (step.stream and reply.is_success):  # read it now
                        try:
                            await _aread(reply)
                        finally:
                            await reply.aclose()
                except httpx.RequestError as exc:
                    reply, error = None, exc
        finally:
            flow.close()

    async def _execute(self, call: _Call) -> Any:
        raw = take_raw_flag()
        try:
            response, retries_taken = await self._drive(self._flow(call))
        finally:
            call.close()
        return self._finish(call, response, retries_taken, raw, self._fetch_page)

    async def _fetch_page(self, call: _Call, request: PageRequest) -> Any:
        following = call.next_page(request)
        response, _ = await self._drive(self._flow(following))
        return self._parse(following, response, self._fetch_page)

    def _make_stream(
        self, response: httpx.Response, decode: Callable[[Any], Any] | None
    ) -> Any:
        from ._async_streaming import AsyncStream

        return AsyncStream(response=response, decode=decode)

    def _make_binary(self, response: httpx.Response) -> Any:
        from ._async_streaming import AsyncBinaryStream

        return AsyncBinaryStream(response=response)

    async def request(
        self,
        endpoint: Endpoint[T],
        *,
        path_params: Mapping[str, object] | None = None,
        query: Query | None = None,
        headers: Headers | None = None,
        cookies: Mapping[str, object] | None = None,
        json: object = NOT_GIVEN,
        data: Mapping[str, object] | None = None,
        files: Files | None = None,
        content: bytes | str | None = None,
        options: RequestOptions | None = None,
    ) -> T:
        """Call ``endpoint`` and return its decoded 2xx body."""
        call = self._prepare(
            endpoint,
            "parse",
            path_params=path_params,
            query=query,
            headers=headers,
            cookies=cookies,
            json=json,
            data=data,
            files=files,
            content=content,
            options=options,
        )
        result: T = await self._execute(call)
        return result

    async def stream(
        self,
        endpoint: Endpoint[T],
        *,
        path_params: Mapping[str, object] | None = None,
        query: Query | None = None,
        headers: Headers | None = None,
        cookies: Mapping[str, object] | None = None,
        json: object = NOT_GIVEN,
        data: Mapping[str, object] | None = None,
        files: Files | None = None,
        content: bytes | str | None = None,
        options: RequestOptions | None = None,
    ) -> AsyncStream[T]:
        """Call ``endpoint`` and return its server-sent events, decoded by ``cast``."""
        call = self._prepare(
            endpoint,
            "stream",
            path_params=path_params,
            query=query,
            headers=headers,
            cookies=cookies,
            json=json,
            data=data,
            files=files,
            content=content,
            options=options,
        )
        return cast("AsyncStream[T]", await self._execute(call))

    async def download(
        self,
        endpoint: Endpoint[Any],
        *,
        path_params: Mapping[str, object] | None = None,
        query: Query | None = None,
        headers: Headers | None = None,
        cookies: Mapping[str, object] | None = None,
        json: object = NOT_GIVEN,
        data: Mapping[str, object] | None = None,
        files: Files | None = None,
        content: bytes | str | None = None,
        options: RequestOptions | None = None,
    ) -> AsyncBinaryStream:
        """Call ``endpoint`` and return its body as a stream of bytes."""
        call = self._prepare(
            endpoint,
            "download",
            path_params=path_params,
            query=query,
            headers=headers,
            cookies=cookies,
            json=json,
            data=data,
            files=files,
            content=content,
            options=options,
        )
        return cast("AsyncBinaryStream", await self._execute(call))

    def with_options(
        self: _ClientT,
        *,
        base_url: str | httpx.URL | NotGiven = NOT_GIVEN,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        default_headers: Headers | None = None,
        default_query: Query | None = None,
        credentials: Mapping[str, Credential] | None = None,
        http_client: httpx.AsyncClient | None = None,
    ) -> _ClientT:
        """A copy with some settings changed, sharing the connection pool.

        Headers, query values and credentials are merged into the current ones.
        Closing the copy leaves the shared pool open.
        """
        new: _ClientT = self._copy(
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            default_query=default_query,
            credentials=credentials,
        )
        if http_client is not None:
            new._pool = _Pool(http_client)
        return new

    async def aclose(self) -> None:
        """Close the connection pool (unless it was passed in or is shared)."""
        if self._owns_http:
            http = self._pool.close()
            if http is not None:
                await http.aclose()

    # unasync: async only
    async def close(self) -> None:
        """Same as ``aclose()``."""
        await self.aclose()

    # unasync: end

    async def __aenter__(self: _ClientT) -> _ClientT:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()


class AsyncAPIResource(_APIResource):
    """Base class of the generated resource groups of ``AsyncClient``."""

    _client: AsyncAPIClient

    def __init__(self, client: AsyncAPIClient) -> None:
        self._client = client
