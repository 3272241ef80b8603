"""What goes on the wire: URLs, path and query encoding, headers, JSON bodies, options."""

from __future__ import annotations

import copy
import pickle
from typing import Any

import httpx
import pytest

from support.server import MockServer, Response

from .conftest import API_KEY, run

WORKSPACE = {"id": "w1", "name": "Production", "description": None}


def test_get_decodes_model_and_sends_defaults(
    client: Any, server: MockServer, fakeapi: Any, mod: Any
) -> None:
    server.route("GET", "/workspaces/{id}", Response.json(WORKSPACE))
    ws = client.workspaces.get("w1")
    assert isinstance(ws, mod("models").Workspace)
    assert (ws.id, ws.name, ws.description) == ("w1", "Production", None)
    sent = server.last_request
    assert sent.method == "GET" and sent.path == "/workspaces/w1"
    assert sent.headers["user-agent"] == f"{fakeapi.__name__}/1.2.3"
    assert sent.headers["accept"] == "application/json"
    assert sent.headers["authorization"] == f"Bearer {API_KEY}"


def test_path_params_are_percent_encoded_including_slash(
    client: Any, server: MockServer
) -> None:
    server.route("GET", "/items/{item_id}", Response.json({}))
    for value, raw in [
        ("a/b", "a%2Fb"),
        ("x?y#z", "x%3Fy%23z"),
        ("a b%c", "a%20b%25c"),
        ("..", "%2E%2E"),
        (".", "%2E"),
        ("ünï", "%C3%BCn%C3%AF"),
    ]:
        client.misc.item(value)
        assert server.last_request.path == f"/items/{raw}", value
        assert server.last_request.path_params == {"item_id": value}


def test_empty_path_param_is_refused_before_sending(
    client: Any, server: MockServer
) -> None:
    with pytest.raises(ValueError, match="must not be empty"):
        client.workspaces.get("")
    assert server.requests == []


def test_query_encoding(client: Any, server: MockServer) -> None:
    server.route("GET", "/search", Response.json({}))
    client.misc.search(tags=["a", "b c"], active=True, filter={"kind": "x"})
    sent = server.last_request
    assert sent.query == {
        "tags": ["a", "b c"],
        "active": ["true"],
        "filter[kind]": ["x"],
    }
    assert sent.target.startswith("/search?tags=a&tags=b")  # repeated, in order
    assert sent.target.endswith("&active=true&filter%5Bkind%5D=x")
    client.misc.search(active=False)
    assert server.last_request.target == "/search?active=false"
    client.misc.search()  # NOT_GIVEN values are left out
    assert server.last_request.target == "/search"


def test_header_and_cookie_params(client: Any, server: MockServer) -> None:
    server.route("GET", "/search", Response.json({}))
    client.misc.search(x_trace="t-1", session_hint="h 1")
    sent = server.last_request
    assert sent.headers["x-trace"] == "t-1"
    assert sent.headers["cookie"] == "hint=h%201"
    client.misc.search()
    assert "x-trace" not in server.last_request.headers
    assert "cookie" not in server.last_request.headers


def test_json_body_not_given_is_omitted_and_none_is_null(
    client: Any, server: MockServer
) -> None:
    server.route("PATCH", "/workspaces/{id}", Response.json(WORKSPACE))
    client.workspaces.update("production", name="Renamed")
    assert server.last_request.json() == {"name": "Renamed"}
    assert server.last_request.headers["content-type"] == "application/json"
    client.workspaces.update("production", description=None)
    assert server.last_request.json() == {"description": None}


def test_extra_headers_query_and_body(client: Any, server: MockServer) -> None:
    server.route("PATCH", "/workspaces/{id}", Response.json(WORKSPACE))
    client.workspaces.update(
        "w1",
        name="n",
        extra_headers={"X-Extra": "1", "User-Agent": "custom/9"},
        extra_query={"debug": True},
        extra_body={"beta": {"x": 1}},
    )
    sent = server.last_request
    assert sent.headers["x-extra"] == "1"
    assert sent.headers["user-agent"] == "custom/9"
    assert sent.query == {"debug": ["true"]}
    assert sent.json() == {"name": "n", "beta": {"x": 1}}


def test_extra_headers_none_removes_a_default(client: Any, server: MockServer) -> None:
    server.route("GET", "/workspaces/{id}", Response.json(WORKSPACE))
    client.workspaces.get("w1", extra_headers={"Accept": None})
    assert server.last_request.headers["accept"] == "*/*"  # httpx's own default


def test_default_headers_and_query(make_client: Any, server: MockServer) -> None:
    server.route("GET", "/workspaces/{id}", Response.json(WORKSPACE))
    c = make_client(default_headers={"X-Team": "a"}, default_query={"v": "2"})
    c.workspaces.get("w1")
    assert server.last_request.headers["x-team"] == "a"
    assert server.last_request.query == {"v": ["2"]}


def test_text_response(client: Any, server: MockServer) -> None:
    server.route("GET", "/text", Response.text("héllo"))
    assert client.misc.text() == "héllo"
    assert server.last_request.headers["accept"] == "*/*"


def test_base_url_and_repr(make_client: Any, server: MockServer) -> None:
    c = make_client(base_url=server.url + "/")
    assert c.base_url == server.url
    assert API_KEY not in repr(c) and API_KEY not in str(c)
    for credential in c._credentials.values():
        assert API_KEY not in repr(credential)


def test_with_options_copies_and_shares_the_pool(
    make_client: Any, server: MockServer
) -> None:
    server.route("GET", "/workspaces/{id}", Response.json(WORKSPACE))
    c = make_client()
    resources = c.workspaces
    c2 = c.with_options(timeout=5.0, max_retries=0, default_headers={"X-Copy": "1"})
    assert type(c2) is type(c)
    assert c2._http is c._http
    assert c2.timeout == httpx.Timeout(5.0) and c2.max_retries == 0
    assert c.max_retries == 2 and c.timeout == httpx.Timeout(60.0)
    assert c2.workspaces is not resources and c2.workspaces._client is c2
    c2.workspaces.get("w1")
    assert server.last_request.headers["x-copy"] == "1"
    c2.close()  # the copy does not own the pool
    c.workspaces.get("w1")
    assert "x-copy" not in server.last_request.headers


def test_custom_http_client_with_mock_transport(fakeapi: Any) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"deleted": True})

    http = httpx.Client(transport=httpx.MockTransport(handler))
    with fakeapi.Client(
        api_key="k", base_url="https://x.test/v1", http_client=http
    ) as c:
        assert c.workspaces.delete("production").deleted is True
    assert str(seen[0].url) == "https://x.test/v1/workspaces/production"
    assert not http.is_closed  # passed in by the user: left open
    http.close()


def test_query_params_merge_with_those_of_a_custom_http_client(fakeapi: Any) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={})

    plain = httpx.Client(transport=httpx.MockTransport(handler))
    with_params = httpx.Client(
        transport=httpx.MockTransport(handler), params={"client": "1", "active": "x"}
    )
    for http in (plain, with_params):
        with fakeapi.Client(
            api_key="k", base_url="https://x.test/v1", http_client=http
        ) as c:
            c.misc.search(tags=["a b", "c"], active=True)
            c.misc.search()
        http.close()
    assert [str(r.url) for r in seen] == [
        # RFC 3986 / RFC 6570 percent-encoding: a space is %20 (when httpx merges the pool's
        # query it re-encodes the whole query form-urlencoded: "+")
        "https://x.test/v1/search?tags=a%20b&tags=c&active=true",
        "https://x.test/v1/search",
        "https://x.test/v1/search?client=1&active=true&tags=a+b&tags=c",
        "https://x.test/v1/search?client=1&active=x",
    ]


def test_headers_merge_with_those_of_a_custom_http_client(fakeapi: Any) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=WORKSPACE)

    http = httpx.Client(
        transport=httpx.MockTransport(handler), headers={"X-Env": "a", "X-Keep": "k"}
    )
    with fakeapi.Client(
        api_key="k", base_url="https://x.test/v1", http_client=http
    ) as c:
        c.workspaces.get(
            "w1",
            extra_headers={"x-env": "b", "X-Name": "héllo", "Accept": None},
        )
        c.workspaces.get("w1", extra_headers={"X-ENV": None})
        boundary = "multipart/form-data; boundary=fixed-boundary"
        c.files.upload(
            file=("a.txt", b"abc"),
            purpose="p",
            extra_headers={"content-type": boundary},
        )
    http.close()
    first, second, upload = (r.headers for r in seen)
    for headers in (first, second, upload):  # one of each name, whatever its case
        names = [name.lower() for name, _ in headers.raw]
        assert len(names) == len(set(names))
    assert (first["x-env"], first["x-keep"], first["accept"]) == ("b", "k", "*/*")
    assert (b"X-Name", "héllo".encode()) in first.raw  # UTF-8, as before
    assert first["authorization"] == "Bearer k"
    assert second["x-env"] == "a"  # None removes ours; the pool's own remains
    assert second["accept"] == "application/json"
    assert (b"content-type", boundary.encode()) in upload.raw
    assert b"--fixed-boundary" in seen[2].content  # the body uses that boundary


def test_the_pools_cookie_jar_and_own_build_request_are_used(fakeapi: Any) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(
            200, json=WORKSPACE, headers={"Set-Cookie": "sess=abc; Path=/"}
        )

    class Tagging(httpx.Client):
        def build_request(self, *args: Any, **kwargs: Any) -> httpx.Request:
            request = super().build_request(*args, **kwargs)
            request.headers["X-Tag"] = "1"
            return request

    for http in (
        httpx.Client(transport=httpx.MockTransport(handler)),
        Tagging(transport=httpx.MockTransport(handler)),
    ):
        with fakeapi.Client(
            api_key="k", base_url="https://x.test", http_client=http
        ) as c:
            c.workspaces.get("w1")
            c.workspaces.get("w1")
        http.close()
    plain_first, plain_second, tagged_first, tagged_second = seen
    assert "cookie" not in plain_first.headers
    assert (b"Authorization", b"Bearer k") in plain_first.headers.raw  # name as set
    assert plain_second.headers["cookie"] == "sess=abc"  # the jar, as httpx sends it
    assert "x-tag" not in plain_first.headers
    assert tagged_first.headers["x-tag"] == tagged_second.headers["x-tag"] == "1"
    assert tagged_second.headers["cookie"] == "sess=abc"


def test_client_closes_its_pool(fakeapi: Any, server: MockServer) -> None:
    server.route("GET", "/workspaces/{id}", Response.json(WORKSPACE))
    with fakeapi.Client(api_key="k", base_url=server.url) as c:
        copied = c.with_options(max_retries=0)
        c.workspaces.get("w1")
    assert c._http.is_closed and copied._http is c._http

    async def main() -> Any:
        async with fakeapi.AsyncClient(api_key="k", base_url=server.url) as ac:
            await ac.workspaces.get("w1")
        return ac

    assert run(main())._http.is_closed


def test_client_closed_before_its_first_request(
    fakeapi: Any, server: MockServer
) -> None:
    # The pool is made on first use; closing first leaves it closed for good,
    # for the copies too, as a closed httpx client would be.
    with fakeapi.Client(api_key="k", base_url=server.url) as c:
        copied = c.with_options(max_retries=0)
    for client in (c, copied):
        with pytest.raises(RuntimeError, match="closed"):
            client.workspaces.get("w1")

    async def main() -> None:
        async with fakeapi.AsyncClient(api_key="k", base_url=server.url) as ac:
            pass
        with pytest.raises(RuntimeError, match="closed"):
            await ac.workspaces.get("w1")

    run(main())
    assert server.requests == []


def test_async_client_requests(make_client: Any, server: MockServer) -> None:
    server.route("PATCH", "/workspaces/{id}", Response.json(WORKSPACE))
    server.route("DELETE", "/workspaces/{id}", Response.json({"deleted": True}))

    async def main() -> None:
        async with make_client(async_=True) as c:
            ws = await c.workspaces.update("a/b", name="x")
            assert ws.name == "Production"
            assert (await c.workspaces.delete("production")).deleted is True

    run(main())
    assert server.requests[0].path == "/workspaces/a%2Fb"
    assert server.requests[0].json() == {"name": "x"}


def test_not_given_sentinel(fakeapi: Any) -> None:
    NOT_GIVEN, NotGiven = fakeapi.NOT_GIVEN, fakeapi.NotGiven
    assert not NOT_GIVEN and repr(NOT_GIVEN) == "NOT_GIVEN"
    assert NotGiven() is NOT_GIVEN
    assert copy.copy(NOT_GIVEN) is NOT_GIVEN and copy.deepcopy(NOT_GIVEN) is NOT_GIVEN
    unpickled = pickle.loads(pickle.dumps(NOT_GIVEN))  # noqa: S301 - our own bytes
    assert unpickled is NOT_GIVEN


def test_generated_code_may_pass_models_and_optional_uploads(
    client: Any, server: MockServer, mod: Any
) -> None:
    base, models = mod("_base_client"), mod("models")
    server.route("POST", "/raw", Response.json({}))
    endpoint = base.Endpoint[dict]("POST", "/raw", cast=dict)
    model = models.Workspace(id="w1", name="n")  # description NOT_GIVEN
    client.request(endpoint, json=model, options={"extra_body": {"x": 1}})
    assert server.last_request.json() == {"id": "w1", "name": "n", "x": 1}

    upload = base.Endpoint[dict](
        "POST", "/raw", cast=dict, content_type="multipart/form-data"
    )
    client.request(
        upload, data={"purpose": "p"}, files={"file": fakeapi_not_given(mod)}
    )
    parts = server.last_request.multipart()
    assert [(p.name, p.filename, p.data) for p in parts] == [("purpose", None, b"p")]


def fakeapi_not_given(mod: Any) -> Any:
    return mod("_types").NOT_GIVEN
