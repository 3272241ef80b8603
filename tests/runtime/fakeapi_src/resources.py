# Hand-written stand-in for a generated resources module (both flavours).
from __future__ import annotations

from functools import cached_property
from typing import Any, Mapping

from ._base_client import AsyncAPIResource, Endpoint, SyncAPIResource
from ._pagination import (
    CursorPagination,
    NextLinkPagination,
    OffsetPagination,
    page_decoder,
)
from ._response import (
    ErrorDecoders,
    async_to_raw_response_wrapper,
    to_raw_response_wrapper,
)
from ._streaming import AsyncBinaryStream, AsyncStream, BinaryStream, Stream
from ._types import (
    NOT_GIVEN,
    Body,
    FileTypes,
    Headers,
    NotGiven,
    Query,
    RequestOptions,
    Timeout,
)
from .models import (
    AsyncCursorWorkspacesPage,
    AsyncLinkWorkspacesPage,
    AsyncListWorkspacesPage,
    ChatChunk,
    CursorWorkspacesPage,
    DeleteResponse,
    ErrorResponse,
    LinkWorkspacesPage,
    ListWorkspacesPage,
    Workspace,
)


def _object(d: Mapping[str, Any]) -> dict[str, Any]:
    return dict(d)


_ERRORS: ErrorDecoders = {
    404: ErrorResponse.from_dict,
    "4XX": ErrorResponse.from_dict,
    "default": ErrorResponse.from_dict,
}
_OFFSET = OffsetPagination(items="data", total="total_count")
_CURSOR = CursorPagination(
    items="data", cursor_param="cursor", next_cursor="next_cursor"
)
_LINK = NextLinkPagination(items="data", next_link="next")

_LIST = Endpoint[ListWorkspacesPage](
    "GET",
    "/workspaces",
    cast=page_decoder(ListWorkspacesPage),
    errors=_ERRORS,
    pagination=_OFFSET,
)
_ALIST = Endpoint[AsyncListWorkspacesPage](
    "GET",
    "/workspaces",
    cast=page_decoder(AsyncListWorkspacesPage),
    errors=_ERRORS,
    pagination=_OFFSET,
)
_LIST_CURSOR = Endpoint[CursorWorkspacesPage](
    "GET",
    "/workspaces/by-cursor",
    cast=page_decoder(CursorWorkspacesPage),
    pagination=_CURSOR,
)
_ALIST_CURSOR = Endpoint[AsyncCursorWorkspacesPage](
    "GET",
    "/workspaces/by-cursor",
    cast=page_decoder(AsyncCursorWorkspacesPage),
    pagination=_CURSOR,
)
_LIST_LINK = Endpoint[LinkWorkspacesPage](
    "GET",
    "/workspaces/by-link",
    cast=page_decoder(LinkWorkspacesPage),
    pagination=_LINK,
)
_ALIST_LINK = Endpoint[AsyncLinkWorkspacesPage](
    "GET",
    "/workspaces/by-link",
    cast=page_decoder(AsyncLinkWorkspacesPage),
    pagination=_LINK,
)
_GET = Endpoint[Workspace](
    "GET", "/workspaces/{id}", cast=Workspace.from_dict, errors=_ERRORS
)
_UPDATE = Endpoint[Workspace](
    "PATCH", "/workspaces/{id}", cast=Workspace.from_dict, errors=_ERRORS
)
_DELETE = Endpoint[DeleteResponse](
    "DELETE",
    "/workspaces/{id}",
    cast=DeleteResponse.from_dict,
    errors={404: ErrorResponse.from_dict},
)
_CREATE = Endpoint[Workspace](
    "POST",
    "/workspaces",
    cast=Workspace.from_dict,
    errors=_ERRORS,
    idempotency_header="Idempotency-Key",
)
_UPLOAD = Endpoint[dict[str, Any]](
    "POST", "/files", cast=_object, content_type="multipart/form-data"
)
_CONTENT = Endpoint[bytes]("GET", "/files/{id}/content", response_kind="bytes")
_CONTENT_STREAM = Endpoint[Any](
    "GET", "/files/{id}/content", accept="application/octet-stream"
)
_FORM = Endpoint[None](
    "POST", "/forms", content_type="application/x-www-form-urlencoded"
)
_CHAT = Endpoint[ChatChunk](
    "POST", "/chat/completions", cast=ChatChunk.from_dict, errors=_ERRORS
)
_AUTH_BASIC = Endpoint[None]("GET", "/auth/basic", security=[{"basic": []}])
_AUTH_HEADER = Endpoint[None]("GET", "/auth/header", security=[{"headerKey": []}])
_AUTH_QUERY = Endpoint[None]("GET", "/auth/query", security=[{"queryKey": []}])
_AUTH_COOKIE = Endpoint[None]("GET", "/auth/cookie", security=[{"cookieKey": []}])
_AUTH_OAUTH = Endpoint[None](
    "GET", "/auth/oauth", security=[{"oauth": ["read", "write"]}]
)
_AUTH_BEARER = Endpoint[None]("GET", "/auth/bearer")
_AUTH_PUBLIC = Endpoint[None]("GET", "/auth/public", security=[])
_AUTH_BOTH = Endpoint[None](
    "GET", "/auth/both", security=[{"headerKey": [], "queryKey": []}]
)
_AUTH_EITHER = Endpoint[None](
    "GET", "/auth/either", security=[{"oauth": []}, {"bearer": []}]
)
_SLOW = Endpoint[None]("GET", "/slow")
_FLAKY = Endpoint[dict[str, Any]]("GET", "/flaky", cast=_object, errors=_ERRORS)
_ITEM = Endpoint[dict[str, Any]]("GET", "/items/{item_id}", cast=_object)
_SEARCH = Endpoint[dict[str, Any]]("GET", "/search", cast=_object)
_TEXT = Endpoint[str]("GET", "/text", response_kind="text")


class Workspaces(SyncAPIResource):
    @cached_property
    def with_raw_response(self) -> WorkspacesWithRawResponse:
        return WorkspacesWithRawResponse(self)

    def list(
        self,
        *,
        offset: int | None | NotGiven = NOT_GIVEN,
        limit: int | NotGiven = NOT_GIVEN,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> ListWorkspacesPage:
        return self._client.request(
            _LIST,
            query={"offset": offset, "limit": limit},
            options=RequestOptions(
                extra_headers=extra_headers,
                extra_query=extra_query,
                extra_body=extra_body,
                timeout=timeout,
                max_retries=max_retries,
            ),
        )

    def list_by_cursor(
        self,
        *,
        cursor: str | NotGiven = NOT_GIVEN,
        limit: int | NotGiven = NOT_GIVEN,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> CursorWorkspacesPage:
        return self._client.request(
            _LIST_CURSOR,
            query={"cursor": cursor, "limit": limit},
            options=RequestOptions(
                extra_headers=extra_headers,
                extra_query=extra_query,
                extra_body=extra_body,
                timeout=timeout,
                max_retries=max_retries,
            ),
        )

    def list_by_link(
        self,
        *,
        limit: int | NotGiven = NOT_GIVEN,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> LinkWorkspacesPage:
        return self._client.request(
            _LIST_LINK,
            query={"limit": limit},
            options=RequestOptions(
                extra_headers=extra_headers,
                extra_query=extra_query,
                extra_body=extra_body,
                timeout=timeout,
                max_retries=max_retries,
            ),
        )

    def get(
        self,
        id: str,
        *,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> Workspace:
        return self._client.request(
            _GET,
            path_params={"id": id},
            options=RequestOptions(
                extra_headers=extra_headers,
                extra_query=extra_query,
                extra_body=extra_body,
                timeout=timeout,
                max_retries=max_retries,
            ),
        )

    def update(
        self,
        id: str,
        *,
        name: str | NotGiven = NOT_GIVEN,
        description: str | None | NotGiven = NOT_GIVEN,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> Workspace:
        return self._client.request(
            _UPDATE,
            path_params={"id": id},
            json={"name": name, "description": description},
            options=RequestOptions(
                extra_headers=extra_headers,
                extra_query=extra_query,
                extra_body=extra_body,
                timeout=timeout,
                max_retries=max_retries,
            ),
        )

    def delete(
        self,
        id: str,
        *,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> DeleteResponse:
        return self._client.request(
            _DELETE,
            path_params={"id": id},
            options=RequestOptions(
                extra_headers=extra_headers,
                extra_query=extra_query,
                extra_body=extra_body,
                timeout=timeout,
                max_retries=max_retries,
            ),
        )

    def create(
        self,
        *,
        name: str,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> Workspace:
        return self._client.request(
            _CREATE,
            json={"name": name},
            options=RequestOptions(
                extra_headers=extra_headers,
                extra_query=extra_query,
                extra_body=extra_body,
                timeout=timeout,
                max_retries=max_retries,
            ),
        )


class WorkspacesWithRawResponse:
    def __init__(self, resource: Workspaces) -> None:
        self.list = to_raw_response_wrapper(resource.list)
        self.list_by_cursor = to_raw_response_wrapper(resource.list_by_cursor)
        self.list_by_link = to_raw_response_wrapper(resource.list_by_link)
        self.get = to_raw_response_wrapper(resource.get)
        self.update = to_raw_response_wrapper(resource.update)
        self.delete = to_raw_response_wrapper(resource.delete)
        self.create = to_raw_response_wrapper(resource.create)


class Files(SyncAPIResource):
    @cached_property
    def with_raw_response(self) -> FilesWithRawResponse:
        return FilesWithRawResponse(self)

    def upload(
        self,
        *,
        file: FileTypes,
        purpose: str,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> dict[str, Any]:
        return self._client.request(
            _UPLOAD,
            data={"purpose": purpose},
            files={"file": file},
            options=RequestOptions(
                extra_headers=extra_headers,
                extra_query=extra_query,
                extra_body=extra_body,
                timeout=timeout,
                max_retries=max_retries,
            ),
        )

    def content(
        self,
        id: str,
        *,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> bytes:
        return self._client.request(
            _CONTENT,
            path_params={"id": id},
            options=RequestOptions(
                extra_headers=extra_headers,
                extra_query=extra_query,
                extra_body=extra_body,
                timeout=timeout,
                max_retries=max_retries,
            ),
        )

    def content_stream(
        self,
        id: str,
        *,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> BinaryStream:
        return self._client.download(
            _CONTENT_STREAM,
            path_params={"id": id},
            options=RequestOptions(
                extra_headers=extra_headers,
                extra_query=extra_query,
                extra_body=extra_body,
                timeout=timeout,
                max_retries=max_retries,
            ),
        )

    def submit_form(
        self,
        *,
        name: str,
        tags: list[str] | NotGiven = NOT_GIVEN,
        agree: bool | NotGiven = NOT_GIVEN,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> None:
        return self._client.request(
            _FORM,
            data={"name": name, "tags": tags, "agree": agree},
            options=RequestOptions(
                extra_headers=extra_headers,
                extra_query=extra_query,
                extra_body=extra_body,
                timeout=timeout,
                max_retries=max_retries,
            ),
        )


class FilesWithRawResponse:
    def __init__(self, resource: Files) -> None:
        self.upload = to_raw_response_wrapper(resource.upload)
        self.content = to_raw_response_wrapper(resource.content)
        self.content_stream = to_raw_response_wrapper(resource.content_stream)
        self.submit_form = to_raw_response_wrapper(resource.submit_form)


class Chat(SyncAPIResource):
    @cached_property
    def with_raw_response(self) -> ChatWithRawResponse:
        return ChatWithRawResponse(self)

    def stream(
        self,
        *,
        prompt: str,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> Stream[ChatChunk]:
        return self._client.stream(
            _CHAT,
            json={"prompt": prompt, "stream": True},
            options=RequestOptions(
                extra_headers=extra_headers,
                extra_query=extra_query,
                extra_body=extra_body,
                timeout=timeout,
                max_retries=max_retries,
            ),
        )


class ChatWithRawResponse:
    def __init__(self, resource: Chat) -> None:
        self.stream = to_raw_response_wrapper(resource.stream)


class AuthChecks(SyncAPIResource):
    @cached_property
    def with_raw_response(self) -> AuthChecksWithRawResponse:
        return AuthChecksWithRawResponse(self)

    def basic(
        self,
        *,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> None:
        return self._client.request(
            _AUTH_BASIC,
            options=RequestOptions(
                extra_headers=extra_headers,
                extra_query=extra_query,
                extra_body=extra_body,
                timeout=timeout,
                max_retries=max_retries,
            ),
        )

    def header_key(
        self,
        *,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> None:
        return self._client.request(
            _AUTH_HEADER,
            options=RequestOptions(
                extra_headers=extra_headers,
                extra_query=extra_query,
                extra_body=extra_body,
                timeout=timeout,
                max_retries=max_retries,
            ),
        )

    def query_key(
        self,
        *,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> None:
        return self._client.request(
            _AUTH_QUERY,
            options=RequestOptions(
                extra_headers=extra_headers,
                extra_query=extra_query,
                extra_body=extra_body,
                timeout=timeout,
                max_retries=max_retries,
            ),
        )

    def cookie_key(
        self,
        *,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> None:
        return self._client.request(
            _AUTH_COOKIE,
            options=RequestOptions(
                extra_headers=extra_headers,
                extra_query=extra_query,
                extra_body=extra_body,
                timeout=timeout,
                max_retries=max_retries,
            ),
        )

    def oauth(
        self,
        *,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> None:
        return self._client.request(
            _AUTH_OAUTH,
            options=RequestOptions(
                extra_headers=extra_headers,
                extra_query=extra_query,
                extra_body=extra_body,
                timeout=timeout,
                max_retries=max_retries,
            ),
        )

    def bearer(
        self,
        *,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> None:
        return self._client.request(
            _AUTH_BEARER,
            options=RequestOptions(
                extra_headers=extra_headers,
                extra_query=extra_query,
                extra_body=extra_body,
                timeout=timeout,
                max_retries=max_retries,
            ),
        )

    def public(
        self,
        *,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> None:
        return self._client.request(
            _AUTH_PUBLIC,
            options=RequestOptions(
                extra_headers=extra_headers,
                extra_query=extra_query,
                extra_body=extra_body,
                timeout=timeout,
                max_retries=max_retries,
            ),
        )

    def header_and_query(
        self,
        *,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> None:
        return self._client.request(
            _AUTH_BOTH,
            options=RequestOptions(
                extra_headers=extra_headers,
                extra_query=extra_query,
                extra_body=extra_body,
                timeout=timeout,
                max_retries=max_retries,
            ),
        )

    def oauth_or_bearer(
        self,
        *,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> None:
        return self._client.request(
            _AUTH_EITHER,
            options=RequestOptions(
                extra_headers=extra_headers,
                extra_query=extra_query,
                extra_body=extra_body,
                timeout=timeout,
                max_retries=max_retries,
            ),
        )


class AuthChecksWithRawResponse:
    def __init__(self, resource: AuthChecks) -> None:
        self.basic = to_raw_response_wrapper(resource.basic)
        self.header_key = to_raw_response_wrapper(resource.header_key)
        self.query_key = to_raw_response_wrapper(resource.query_key)
        self.cookie_key = to_raw_response_wrapper(resource.cookie_key)
        self.oauth = to_raw_response_wrapper(resource.oauth)
        self.bearer = to_raw_response_wrapper(resource.bearer)
        self.public = to_raw_response_wrapper(resource.public)
        self.header_and_query = to_raw_response_wrapper(resource.header_and_query)
        self.oauth_or_bearer = to_raw_response_wrapper(resource.oauth_or_bearer)


class Misc(SyncAPIResource):
    @cached_property
    def with_raw_response(self) -> MiscWithRawResponse:
        return MiscWithRawResponse(self)

    def slow(
        self,
        *,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> None:
        return self._client.request(
            _SLOW,
            options=RequestOptions(
                extra_headers=extra_headers,
                extra_query=extra_query,
                extra_body=extra_body,
                timeout=timeout,
                max_retries=max_retries,
            ),
        )

    def flaky(
        self,
        *,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> dict[str, Any]:
        return self._client.request(
            _FLAKY,
            options=RequestOptions(
                extra_headers=extra_headers,
                extra_query=extra_query,
                extra_body=extra_body,
                timeout=timeout,
                max_retries=max_retries,
            ),
        )

    def item(
        self,
        item_id: str,
        *,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> dict[str, Any]:
        return self._client.request(
            _ITEM,
            path_params={"item_id": item_id},
            options=RequestOptions(
                extra_headers=extra_headers,
                extra_query=extra_query,
                extra_body=extra_body,
                timeout=timeout,
                max_retries=max_retries,
            ),
        )

    def search(
        self,
        *,
        tags: list[str] | NotGiven = NOT_GIVEN,
        active: bool | NotGiven = NOT_GIVEN,
        filter: dict[str, str] | NotGiven = NOT_GIVEN,
        x_trace: str | NotGiven = NOT_GIVEN,
        session_hint: str | NotGiven = NOT_GIVEN,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> dict[str, Any]:
        return self._client.request(
            _SEARCH,
            query={"tags": tags, "active": active, "filter": filter},
            headers={"X-Trace": x_trace},
            cookies={"hint": session_hint},
            options=RequestOptions(
                extra_headers=extra_headers,
                extra_query=extra_query,
                extra_body=extra_body,
                timeout=timeout,
                max_retries=max_retries,
            ),
        )

    def text(
        self,
        *,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> str:
        return self._client.request(
            _TEXT,
            options=RequestOptions(
                extra_headers=extra_headers,
                extra_query=extra_query,
                extra_body=extra_body,
                timeout=timeout,
                max_retries=max_retries,
            ),
        )


class MiscWithRawResponse:
    def __init__(self, resource: Misc) -> None:
        self.slow = to_raw_response_wrapper(resource.slow)
        self.flaky = to_raw_response_wrapper(resource.flaky)
        self.item = to_raw_response_wrapper(resource.item)
        self.search = to_raw_response_wrapper(resource.search)
        self.text = to_raw_response_wrapper(resource.text)


class AsyncWorkspaces(AsyncAPIResource):
    @cached_property
    def with_raw_response(self) -> AsyncWorkspacesWithRawResponse:
        return AsyncWorkspacesWithRawResponse(self)

    async def list(
        self,
        *,
        offset: int | None | NotGiven = NOT_GIVEN,
        limit: int | NotGiven = NOT_GIVEN,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> AsyncListWorkspacesPage:
        return await self._client.request(
            _ALIST,
            query={"offset": offset, "limit": limit},
            options=RequestOptions(
                extra_headers=extra_headers,
                extra_query=extra_query,
                extra_body=extra_body,
                timeout=timeout,
                max_retries=max_retries,
            ),
        )

    async def list_by_cursor(
        self,
        *,
        cursor: str | NotGiven = NOT_GIVEN,
        limit: int | NotGiven = NOT_GIVEN,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> AsyncCursorWorkspacesPage:
        return await self._client.request(
            _ALIST_CURSOR,
            query={"cursor": cursor, "limit": limit},
            options=RequestOptions(
                extra_headers=extra_headers,
                extra_query=extra_query,
                extra_body=extra_body,
                timeout=timeout,
                max_retries=max_retries,
            ),
        )

    async def list_by_link(
        self,
        *,
        limit: int | NotGiven = NOT_GIVEN,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> AsyncLinkWorkspacesPage:
        return await self._client.request(
            _ALIST_LINK,
            query={"limit": limit},
            options=RequestOptions(
                extra_headers=extra_headers,
                extra_query=extra_query,
                extra_body=extra_body,
                timeout=timeout,
                max_retries=max_retries,
            ),
        )

    async def get(
        self,
        id: str,
        *,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> Workspace:
        return await self._client.request(
            _GET,
            path_params={"id": id},
            options=RequestOptions(
                extra_headers=extra_headers,
                extra_query=extra_query,
                extra_body=extra_body,
                timeout=timeout,
                max_retries=max_retries,
            ),
        )

    async def update(
        self,
        id: str,
        *,
        name: str | NotGiven = NOT_GIVEN,
        description: str | None | NotGiven = NOT_GIVEN,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> Workspace:
        return await self._client.request(
            _UPDATE,
            path_params={"id": id},
            json={"name": name, "description": description},
            options=RequestOptions(
                extra_headers=extra_headers,
                extra_query=extra_query,
                extra_body=extra_body,
                timeout=timeout,
                max_retries=max_retries,
            ),
        )

    async def delete(
        self,
        id: str,
        *,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> DeleteResponse:
        return await self._client.request(
            _DELETE,
            path_params={"id": id},
            options=RequestOptions(
                extra_headers=extra_headers,
                extra_query=extra_query,
                extra_body=extra_body,
                timeout=timeout,
                max_retries=max_retries,
            ),
        )

    async def create(
        self,
        *,
        name: str,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> Workspace:
        return await self._client.request(
            _CREATE,
            json={"name": name},
            options=RequestOptions(
                extra_headers=extra_headers,
                extra_query=extra_query,
                extra_body=extra_body,
                timeout=timeout,
                max_retries=max_retries,
            ),
        )


class AsyncWorkspacesWithRawResponse:
    def __init__(self, resource: AsyncWorkspaces) -> None:
        self.list = async_to_raw_response_wrapper(resource.list)
        self.list_by_cursor = async_to_raw_response_wrapper(resource.list_by_cursor)
        self.list_by_link = async_to_raw_response_wrapper(resource.list_by_link)
        self.get = async_to_raw_response_wrapper(resource.get)
        self.update = async_to_raw_response_wrapper(resource.update)
        self.delete = async_to_raw_response_wrapper(resource.delete)
        self.create = async_to_raw_response_wrapper(resource.create)


class AsyncFiles(AsyncAPIResource):
    @cached_property
    def with_raw_response(self) -> AsyncFilesWithRawResponse:
        return AsyncFilesWithRawResponse(self)

    async def upload(
        self,
        *,
        file: FileTypes,
        purpose: str,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> dict[str, Any]:
        return await self._client.request(
            _UPLOAD,
            data={"purpose": purpose},
            files={"file": file},
            options=RequestOptions(
                extra_headers=extra_headers,
                extra_query=extra_query,
                extra_body=extra_body,
                timeout=timeout,
                max_retries=max_retries,
            ),
        )

    async def content(
        self,
        id: str,
        *,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> bytes:
        return await self._client.request(
            _CONTENT,
            path_params={"id": id},
            options=RequestOptions(
                extra_headers=extra_headers,
                extra_query=extra_query,
                extra_body=extra_body,
                timeout=timeout,
                max_retries=max_retries,
            ),
        )

    async def content_stream(
        self,
        id: str,
        *,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> AsyncBinaryStream:
        return await self._client.download(
            _CONTENT_STREAM,
            path_params={"id": id},
            options=RequestOptions(
                extra_headers=extra_headers,
                extra_query=extra_query,
                extra_body=extra_body,
                timeout=timeout,
                max_retries=max_retries,
            ),
        )

    async def submit_form(
        self,
        *,
        name: str,
        tags: list[str] | NotGiven = NOT_GIVEN,
        agree: bool | NotGiven = NOT_GIVEN,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> None:
        return await self._client.request(
            _FORM,
            data={"name": name, "tags": tags, "agree": agree},
            options=RequestOptions(
                extra_headers=extra_headers,
                extra_query=extra_query,
                extra_body=extra_body,
                timeout=timeout,
                max_retries=max_retries,
            ),
        )


class AsyncFilesWithRawResponse:
    def __init__(self, resource: AsyncFiles) -> None:
        self.upload = async_to_raw_response_wrapper(resource.upload)
        self.content = async_to_raw_response_wrapper(resource.content)
        self.content_stream = async_to_raw_response_wrapper(resource.content_stream)
        self.submit_form = async_to_raw_response_wrapper(resource.submit_form)


class AsyncChat(AsyncAPIResource):
    @cached_property
    def with_raw_response(self) -> AsyncChatWithRawResponse:
        return AsyncChatWithRawResponse(self)

    async def stream(
        self,
        *,
        prompt: str,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> AsyncStream[ChatChunk]:
        return await self._client.stream(
            _CHAT,
            json={"prompt": prompt, "stream": True},
            options=RequestOptions(
                extra_headers=extra_headers,
                extra_query=extra_query,
                extra_body=extra_body,
                timeout=timeout,
                max_retries=max_retries,
            ),
        )


class AsyncChatWithRawResponse:
    def __init__(self, resource: AsyncChat) -> None:
        self.stream = async_to_raw_response_wrapper(resource.stream)


class AsyncAuthChecks(AsyncAPIResource):
    @cached_property
    def with_raw_response(self) -> AsyncAuthChecksWithRawResponse:
        return AsyncAuthChecksWithRawResponse(self)

    async def basic(
        self,
        *,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> None:
        return await self._client.request(
            _AUTH_BASIC,
            options=RequestOptions(
                extra_headers=extra_headers,
                extra_query=extra_query,
                extra_body=extra_body,
                timeout=timeout,
                max_retries=max_retries,
            ),
        )

    async def header_key(
        self,
        *,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> None:
        return await self._client.request(
            _AUTH_HEADER,
            options=RequestOptions(
                extra_headers=extra_headers,
                extra_query=extra_query,
                extra_body=extra_body,
                timeout=timeout,
                max_retries=max_retries,
            ),
        )

    async def query_key(
        self,
        *,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> None:
        return await self._client.request(
            _AUTH_QUERY,
            options=RequestOptions(
                extra_headers=extra_headers,
                extra_query=extra_query,
                extra_body=extra_body,
                timeout=timeout,
                max_retries=max_retries,
            ),
        )

    async def cookie_key(
        self,
        *,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> None:
        return await self._client.request(
            _AUTH_COOKIE,
            options=RequestOptions(
                extra_headers=extra_headers,
                extra_query=extra_query,
                extra_body=extra_body,
                timeout=timeout,
                max_retries=max_retries,
            ),
        )

    async def oauth(
        self,
        *,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> None:
        return await self._client.request(
            _AUTH_OAUTH,
            options=RequestOptions(
                extra_headers=extra_headers,
                extra_query=extra_query,
                extra_body=extra_body,
                timeout=timeout,
                max_retries=max_retries,
            ),
        )

    async def bearer(
        self,
        *,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> None:
        return await self._client.request(
            _AUTH_BEARER,
            options=RequestOptions(
                extra_headers=extra_headers,
                extra_query=extra_query,
                extra_body=extra_body,
                timeout=timeout,
                max_retries=max_retries,
            ),
        )

    async def public(
        self,
        *,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> None:
        return await self._client.request(
            _AUTH_PUBLIC,
            options=RequestOptions(
                extra_headers=extra_headers,
                extra_query=extra_query,
                extra_body=extra_body,
                timeout=timeout,
                max_retries=max_retries,
            ),
        )

    async def header_and_query(
        self,
        *,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> None:
        return await self._client.request(
            _AUTH_BOTH,
            options=RequestOptions(
                extra_headers=extra_headers,
                extra_query=extra_query,
                extra_body=extra_body,
                timeout=timeout,
                max_retries=max_retries,
            ),
        )

    async def oauth_or_bearer(
        self,
        *,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> None:
        return await self._client.request(
            _AUTH_EITHER,
            options=RequestOptions(
                extra_headers=extra_headers,
                extra_query=extra_query,
                extra_body=extra_body,
                timeout=timeout,
                max_retries=max_retries,
            ),
        )


class AsyncAuthChecksWithRawResponse:
    def __init__(self, resource: AsyncAuthChecks) -> None:
        self.basic = async_to_raw_response_wrapper(resource.basic)
        self.header_key = async_to_raw_response_wrapper(resource.header_key)
        self.query_key = async_to_raw_response_wrapper(resource.query_key)
        self.cookie_key = async_to_raw_response_wrapper(resource.cookie_key)
        self.oauth = async_to_raw_response_wrapper(resource.oauth)
        self.bearer = async_to_raw_response_wrapper(resource.bearer)
        self.public = async_to_raw_response_wrapper(resource.public)
        self.header_and_query = async_to_raw_response_wrapper(resource.header_and_query)
        self.oauth_or_bearer = async_to_raw_response_wrapper(resource.oauth_or_bearer)


class AsyncMisc(AsyncAPIResource):
    @cached_property
    def with_raw_response(self) -> AsyncMiscWithRawResponse:
        return AsyncMiscWithRawResponse(self)

    async def slow(
        self,
        *,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> None:
        return await self._client.request(
            _SLOW,
            options=RequestOptions(
                extra_headers=extra_headers,
                extra_query=extra_query,
                extra_body=extra_body,
                timeout=timeout,
                max_retries=max_retries,
            ),
        )

    async def flaky(
        self,
        *,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> dict[str, Any]:
        return await self._client.request(
            _FLAKY,
            options=RequestOptions(
                extra_headers=extra_headers,
                extra_query=extra_query,
                extra_body=extra_body,
                timeout=timeout,
                max_retries=max_retries,
            ),
        )

    async def item(
        self,
        item_id: str,
        *,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> dict[str, Any]:
        return await self._client.request(
            _ITEM,
            path_params={"item_id": item_id},
            options=RequestOptions(
                extra_headers=extra_headers,
                extra_query=extra_query,
                extra_body=extra_body,
                timeout=timeout,
                max_retries=max_retries,
            ),
        )

    async def search(
        self,
        *,
        tags: list[str] | NotGiven = NOT_GIVEN,
        active: bool | NotGiven = NOT_GIVEN,
        filter: dict[str, str] | NotGiven = NOT_GIVEN,
        x_trace: str | NotGiven = NOT_GIVEN,
        session_hint: str | NotGiven = NOT_GIVEN,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> dict[str, Any]:
        return await self._client.request(
            _SEARCH,
            query={"tags": tags, "active": active, "filter": filter},
            headers={"X-Trace": x_trace},
            cookies={"hint": session_hint},
            options=RequestOptions(
                extra_headers=extra_headers,
                extra_query=extra_query,
                extra_body=extra_body,
                timeout=timeout,
                max_retries=max_retries,
            ),
        )

    async def text(
        self,
        *,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> str:
        return await self._client.request(
            _TEXT,
            options=RequestOptions(
                extra_headers=extra_headers,
                extra_query=extra_query,
                extra_body=extra_body,
                timeout=timeout,
                max_retries=max_retries,
            ),
        )


class AsyncMiscWithRawResponse:
    def __init__(self, resource: AsyncMisc) -> None:
        self.slow = async_to_raw_response_wrapper(resource.slow)
        self.flaky = async_to_raw_response_wrapper(resource.flaky)
        self.item = async_to_raw_response_wrapper(resource.item)
        self.search = async_to_raw_response_wrapper(resource.search)
        self.text = async_to_raw_response_wrapper(resource.text)
