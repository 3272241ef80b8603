# Type-checked (never run) by test_static.py against the stand-in package, with
# "fakeapi" replaced by the session's package name: user code and its types.
from __future__ import annotations

from fakeapi import AsyncClient, Client
from fakeapi._response import APIResponse
from fakeapi._streaming import AsyncStream, Stream
from fakeapi.errors import APIStatusError, NotFoundError
from fakeapi.models import (
    AsyncListWorkspacesPage,
    ChatChunk,
    DeleteResponse,
    ListWorkspacesPage,
    ListWorkspacesResponse,
    Workspace,
)


def sync_usage(client: Client) -> None:
    page: ListWorkspacesResponse = client.workspaces.list(limit=100)
    same_page: ListWorkspacesPage = client.workspaces.list()
    first: Workspace = page.data[0]
    for ws in same_page:
        name: str = ws.name
    following: ListWorkspacesPage = same_page.next_page()
    more: bool = following.has_next_page()
    raw: APIResponse[ListWorkspacesPage] = client.workspaces.with_raw_response.list()
    parsed: ListWorkspacesPage = raw.parse()
    code: int = raw.status_code
    deleted: bool = client.workspaces.delete("production").deleted
    stream: Stream[ChatChunk] = client.chat.stream(prompt="hi")
    with stream:
        for chunk in stream:
            delta: str = chunk.delta
    content: bytes = client.files.content("f1")
    wrong: int = client.workspaces.get("w1")  # type: ignore[assignment]
    client.workspaces.get(1)  # type: ignore[arg-type]
    client.workspaces.list(limit="many")  # type: ignore[arg-type]
    client.workspaces.with_raw_response.get(id=2)  # type: ignore[arg-type]
    copy: Client = client.with_options(timeout=5.0, max_retries=0)
    try:
        client.workspaces.delete("missing")
    except NotFoundError as e:
        status: int = e.status_code
    except APIStatusError as e:
        status = e.response.status_code


async def async_usage(client: AsyncClient) -> None:
    page: AsyncListWorkspacesPage = await client.workspaces.list(limit=100)
    async for ws in page:
        name: str = ws.name
    following: AsyncListWorkspacesPage = await page.next_page()
    raw: APIResponse[DeleteResponse] = await client.workspaces.with_raw_response.delete(
        "x"
    )
    stream: AsyncStream[ChatChunk] = await client.chat.stream(prompt="hi")
    async with stream:
        async for chunk in stream:
            delta: str = chunk.delta
    await client.aclose()
