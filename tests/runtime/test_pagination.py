"""Pages are the declared model and iterate every item lazily, sync and async."""

from __future__ import annotations

import copy
import pickle
from typing import Any

import pytest

from support.server import MockServer, RecordedRequest, Response

from .conftest import run

ALL = [{"id": f"w{i}", "name": f"Workspace {i}"} for i in range(237)]


def offset_page(request: RecordedRequest) -> Response:
    offset = int(request.query_value("offset") or 0)
    limit = int(request.query_value("limit") or 50)
    return Response.json(
        {"data": ALL[offset : offset + limit], "total_count": len(ALL)}
    )


def cursor_page(request: RecordedRequest) -> Response:
    start = int(request.query_value("cursor") or 0)
    limit = int(request.query_value("limit") or 50)
    end = start + limit
    following = str(end) if end < len(ALL) else None
    return Response.json({"data": ALL[start:end], "next_cursor": following})


def link_page(request: RecordedRequest) -> Response:
    start = int(request.query_value("start") or 0)
    limit = int(request.query_value("limit") or 50)
    end = start + limit
    link = f"/workspaces/by-link?start={end}&limit={limit}" if end < len(ALL) else None
    return Response.json({"data": ALL[start:end], "next": link})


def test_iterating_237_items_with_limit_100_makes_3_requests_lazily(
    client: Any, server: MockServer, mod: Any
) -> None:
    server.route("GET", "/workspaces", offset_page)
    page = client.workspaces.list(limit=100)
    assert isinstance(page, mod("models").ListWorkspacesResponse)
    assert len(page.data) == 100 and page.total_count == 237
    assert page.data[0].name == "Workspace 0"
    assert len(server.requests) == 1

    items = iter(page)
    first = [next(items) for _ in range(100)]
    assert len(server.requests) == 1  # the first page is used up, nothing fetched yet
    first.append(next(items))
    assert len(server.requests) == 2
    rest = list(items)
    ids = [w.id for w in first + rest]
    assert ids == [w["id"] for w in ALL]
    assert isinstance(rest[-1], mod("models").Workspace)
    assert [r.query for r in server.requests] == [
        {"limit": ["100"]},
        {"limit": ["100"], "offset": ["100"]},
        {"limit": ["100"], "offset": ["200"]},
    ]


def test_has_next_page_and_next_page(client: Any, server: MockServer) -> None:
    server.route("GET", "/workspaces", offset_page)
    page = client.workspaces.list(offset=200, limit=100)
    assert len(page.data) == 37 and not page.has_next_page()
    with pytest.raises(RuntimeError):
        page.next_page()
    page = client.workspaces.list(limit=100)
    assert page.has_next_page()
    second = page.next_page()
    assert type(second) is type(page) and second.data[0].id == "w100"
    assert [len(p.data) for p in page.iter_pages()] == [100, 100, 37]


def test_page_keeps_per_call_options(client: Any, server: MockServer) -> None:
    server.route("GET", "/workspaces", offset_page)
    pages = list(
        client.workspaces.list(
            limit=100, extra_headers={"X-Tag": "t"}, extra_query={"v": "2"}
        ).iter_pages()
    )
    assert len(pages) == 3
    assert all(r.headers["x-tag"] == "t" for r in server.requests)
    assert all(r.query_value("v") == "2" for r in server.requests)


def test_cursor_pagination(client: Any, server: MockServer) -> None:
    server.route("GET", "/workspaces/by-cursor", cursor_page)
    ids = [w.id for w in client.workspaces.list_by_cursor(limit=100)]
    assert ids == [w["id"] for w in ALL]
    assert [r.query_value("cursor") for r in server.requests] == [None, "100", "200"]


def test_next_link_pagination(client: Any, server: MockServer) -> None:
    server.route("GET", "/workspaces/by-link", link_page)
    assert len(list(client.workspaces.list_by_link(limit=100))) == 237
    assert [r.target for r in server.requests] == [
        "/workspaces/by-link?limit=100",
        "/workspaces/by-link?start=100&limit=100",
        "/workspaces/by-link?start=200&limit=100",
    ]
    assert all(
        r.headers["authorization"].startswith("Bearer ") for r in server.requests
    )


def test_next_link_to_another_origin_is_not_followed(
    client: Any, server: MockServer, mod: Any
) -> None:
    page = {"data": ALL[:1], "next": "https://evil.example/steal"}
    server.route("GET", "/workspaces/by-link", Response.json(page))
    with pytest.raises(mod("errors").APIError, match="another origin"):
        list(client.workspaces.list_by_link())
    assert len(server.requests) == 1


def test_deep_copies_and_pickles_are_plain_models(
    client: Any, server: MockServer
) -> None:
    server.route("GET", "/workspaces", offset_page)
    page = client.workspaces.list(limit=100)
    assert copy.copy(page).has_next_page()  # a shallow copy shares the client link
    unpickled = pickle.loads(pickle.dumps(page))  # noqa: S301 - our own bytes
    for clone in (copy.deepcopy(page), unpickled):
        assert clone == page and not clone.has_next_page()
        assert [w.id for w in clone] == [w.id for w in page.data]  # this page only


def test_raw_response_of_a_page(client: Any, server: MockServer) -> None:
    server.route("GET", "/workspaces", offset_page)
    raw = client.workspaces.with_raw_response.list(limit=100)
    assert raw.status_code == 200
    assert len(list(raw.parse())) == 237


def test_async_pages(make_client: Any, server: MockServer, mod: Any) -> None:
    server.route("GET", "/workspaces", offset_page)
    server.route("GET", "/workspaces/by-cursor", cursor_page)

    async def main() -> None:
        async with make_client(async_=True) as c:
            page = await c.workspaces.list(limit=100)
            assert isinstance(page, mod("models").ListWorkspacesResponse)
            assert len(server.requests) == 1
            ids = [w.id async for w in page]
            assert ids == [w["id"] for w in ALL]
            assert len(server.requests) == 3
            second = await page.next_page()
            assert second.data[0].id == "w100"
            sizes = [len(p.data) async for p in page.iter_pages()]
            assert sizes == [100, 100, 37]
            cursor_ids = [w.id async for w in await c.workspaces.list_by_cursor()]
            assert len(cursor_ids) == 237

    run(main())


def test_strategies_stop_conditions(mod: Any) -> None:
    import httpx

    p = mod("_pagination")
    url = httpx.URL("https://x/items?offset=0&limit=10")
    offset = p.OffsetPagination(items="data", has_more="has_more")
    assert offset.next_request({"data": [1] * 10, "has_more": False}, url) is None
    assert offset.next_request({"data": [1] * 10, "has_more": True}, url).params == {
        "offset": "10"
    }
    plain = p.OffsetPagination(items="data")
    assert plain.next_request({"data": [1] * 9}, url) is None  # short page
    assert plain.next_request({"data": []}, url) is None
    numbered = p.PageNumberPagination(items="items", total_pages="pages")
    page_url = httpx.URL("https://x/items?page=2")
    assert numbered.next_request({"items": [1], "pages": 3}, page_url).params == {
        "page": "3"
    }
    assert numbered.next_request({"items": [1], "pages": 2}, page_url) is None
    cursor = p.CursorPagination(next_cursor="meta.next")
    assert cursor.next_request({"data": [1], "meta": {"next": "c2"}}, url).params == {
        "cursor": "c2"
    }
    assert cursor.next_request({"data": [1], "meta": {"next": ""}}, url) is None
