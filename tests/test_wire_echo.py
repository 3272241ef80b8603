"""What the generated client puts on the wire, checked by a real server that parses parameters by
the OpenAPI rules and echoes what it understood.

The server (Starlette under uvicorn on 127.0.0.1) is written here, independently of codegen's
runtime: it reads the raw request target (``raw_path``, ``query_string``) and the raw ``Cookie``
header, splits on each style's delimiters *before* percent-decoding (so a delimiter the client
percent-encoded, or a value's own comma left bare, shows up as a wrong echo), and decodes with
RFC 3986 rules only (``unquote``: a ``+`` stays a ``+``). The spec is
``tests/data/param_styles/echo.yaml``; the client is generated from it by codegen and every
operation is called, sync and async.
"""

from __future__ import annotations

import asyncio
import json
import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from clients import generate_unformatted, import_generated

SPEC = Path(__file__).parent / "data" / "param_styles" / "echo.yaml"
PACKAGE = "param_echo_client"


# -- the server: parsing by the rules ----------------------------------------------------------


def _query_pairs(request: Request) -> list[tuple[str, str]]:
    """The raw ``name=value`` pairs, nothing decoded yet."""
    raw = request.scope["query_string"].decode("ascii")
    return [tuple(part.split("=", 1)) if "=" in part else (part, "") for part in raw.split("&") if part]  # type: ignore[misc]


def _object(flat: list[str]) -> dict[str, str]:
    """``k,v,k,v`` (already split) as a dict."""
    return dict(zip(flat[::2], flat[1::2], strict=False))


async def query_styles(request: Request) -> JSONResponse:
    got: dict[str, Any] = {"raw": request.scope["query_string"].decode("ascii")}
    for key, raw in _query_pairs(request):
        name = unquote(key)
        if name == "csv":  # form, explode: false: items split at the bare commas
            got[name] = [unquote(v) for v in raw.split(",")]
        elif name == "multi":  # form, explode: true: the name repeated
            got.setdefault(name, []).append(int(unquote(raw)))
        elif name == "pipes":  # pipeDelimited: %7C between the items
            got[name] = [unquote(v) for v in re.split("%7[cC]", raw)]
        elif name == "spaces":  # spaceDelimited: %20 between the items
            got[name] = [unquote(v) for v in raw.split("%20")]
        elif m := re.fullmatch(r"filter\[([^\]]+)\]", name):  # deepObject
            got.setdefault("filter", {})[m.group(1)] = unquote(raw)
        elif name == "flat":  # form object, explode: false: k,v,k,v
            got[name] = _object([unquote(v) for v in raw.split(",")])
        elif name == "path":  # allowReserved: the value as it came, and decoded
            got[name] = {"raw": raw, "value": unquote(raw)}
        elif name == "where":  # content: application/json
            got[name] = json.loads(unquote(raw))
        else:
            got[name] = unquote(raw)
    return JSONResponse(got)


async def query_all(request: Request) -> JSONResponse:
    """An object (form, explode: true): each property is a parameter of its own."""
    return JSONResponse({unquote(k): unquote(v) for k, v in _query_pairs(request)})


def _segments(request: Request, prefix: str) -> list[str]:
    raw = request.scope["raw_path"].decode("ascii")
    assert raw.startswith(prefix), raw
    return raw[len(prefix):].split("/")


async def path_simple(request: Request) -> JSONResponse:
    ids, point = _segments(request, "/simple/")
    members = [m.split("=", 1) for m in point.split(",")]  # explode: true: k=v,k=v
    return JSONResponse({"ids": [unquote(v) for v in ids.split(",")],
                         "point": {unquote(k): int(unquote(v)) for k, v in members}})


async def path_label(request: Request) -> JSONResponse:
    # /label/{ids}{exploded}/{point}: ".1,2,3" then ".a.b", then ".x,1,y,2"
    first, point = _segments(request, "/label/")
    assert first.startswith(".") and point.startswith(".")
    ids, *exploded = first[1:].split(".")
    return JSONResponse({"ids": [int(v) for v in ids.split(",")],
                         "exploded": [unquote(v) for v in exploded],
                         "point": {k: int(v) for k, v in _object(point[1:].split(",")).items()}})


async def path_matrix(request: Request) -> JSONResponse:
    # /matrix/{id}{ids}{exploded}{point}: ";id=v;ids=a,b;exploded=x;exploded=y;x=1;y=2"
    (segment,) = _segments(request, "/matrix/")
    assert segment.startswith(";")
    got: dict[str, Any] = {"exploded": [], "point": {}}
    for param in segment[1:].split(";"):
        name, _, raw = param.partition("=")
        if name == "id":
            got["id"] = unquote(raw)
        elif name == "ids":
            got["ids"] = [unquote(v) for v in raw.split(",")]
        elif name == "exploded":
            got["exploded"].append(unquote(raw))
        else:
            got["point"][unquote(name)] = int(unquote(raw))
    return JSONResponse(got)


async def headers(request: Request) -> JSONResponse:
    h = request.headers
    return JSONResponse({
        "ids": [int(v) for v in h["x-ids"].split(",")],
        "point": {k: int(v) for k, v in _object(h["x-point"].split(",")).items()},
        "point_exploded": {k: int(v) for k, v in (m.split("=") for m in h["x-point-exploded"].split(","))},
        "flags": h["x-flags"].split(","),
        "filter": json.loads(h["x-filter"]),
    })


async def cookies(request: Request) -> JSONResponse:
    raw = dict(c.split("=", 1) for c in request.headers["cookie"].split("; "))
    return JSONResponse({
        "session": unquote(raw["session"]),
        "ids": [unquote(v) for v in raw["ids"].split(",")],
        "point": {k: int(v) for k, v in _object([unquote(v) for v in raw["point"].split(",")]).items()},
        "prefs": json.loads(unquote(raw["prefs"])),
    })


APP = Starlette(routes=[
    Route("/query", query_styles),
    Route("/query/object", query_all),
    Route("/query/map", query_all),
    Route("/simple/{rest:path}", path_simple),
    Route("/label/{rest:path}", path_label),
    Route("/matrix/{rest:path}", path_matrix),
    Route("/headers", headers),
    Route("/cookies", cookies),
])


@pytest.fixture(scope="module")
def server_url() -> Iterator[str]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(APP, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.01)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)
    sock.close()


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Any:
    out = generate_unformatted(SPEC, tmp_path_factory.mktemp("echo"), PACKAGE)
    return import_generated(out, PACKAGE)


# -- the calls: (method path, args, kwargs, what the server must have understood) -------------

CASES: list[tuple[str, tuple[Any, ...], dict[str, Any], dict[str, Any]]] = [
    ("path.simple", (["a/b", "c,d", "é"], {"x": 1, "y": 2}), {},
     {"ids": ["a/b", "c,d", "é"], "point": {"x": 1, "y": 2}}),
    ("path.label", ([1, 2, 3], ["a", "b c"], {"x": 1, "y": 2}), {},
     {"ids": [1, 2, 3], "exploded": ["a", "b c"], "point": {"x": 1, "y": 2}}),
    ("path.matrix", ("a;b=c", ["x,y", "z"], ["p", "q"], {"x": 5, "y": -6}), {},
     {"id": "a;b=c", "ids": ["x,y", "z"], "exploded": ["p", "q"], "point": {"x": 5, "y": -6}}),
    ("query.styles", (), {
        "csv": ["a,b", "c d", "e+f", "é"],
        "multi": [1, 2],
        # a "|" or space inside an item is %7C or %20 like the delimiter itself: OpenAPI 3.1.1
        # Appendix E leaves such values to an escape convention of the API's own
        "pipes": ["a,b", "c"],
        "spaces": ["x", "y"],
        "filter": {"name": "n&m=1", "size": 3, "open": True},
        "flat": {"x": 1, "y": 2},
        "path": "a/b?c:d@e!$'()*,;&=+#[] %41",
        "where": {"name": "t1", "open": False},
        "flag": True,
    }, {
        "csv": ["a,b", "c d", "e+f", "é"],
        "multi": [1, 2],
        "pipes": ["a,b", "c"],
        "spaces": ["x", "y"],
        "filter": {"name": "n&m=1", "size": "3", "open": "true"},
        "flat": {"x": "1", "y": "2"},
        # reserved expansion: RFC 3986 reserved characters pass, but & = + # [ ] (special in a
        # query) and the space are encoded; "%41" is a percent-encoded triple and passes as is
        "path": {"raw": "a/b?c:d@e!$'()*,;%26%3D%2B%23%5B%5D%20%41", "value": "a/b?c:d@e!$'()*,;&=+#[] A"},
        "where": {"name": "t1", "open": False},
        "flag": "true",
    }),
    ("query.object", (), {"point": {"x": 1, "y": 2}}, {"x": "1", "y": "2"}),
    ("query.map", (), {"labels": {"env": "prod", "team name": "a&b"}}, {"env": "prod", "team name": "a&b"}),
    ("headers.styles", (), {
        "x_ids": [1, 2, 3], "x_point": {"x": 1, "y": 2}, "x_point_exploded": {"x": 3, "y": 4},
        "x_flags": [True, False], "x_filter": {"name": "t1", "size": 2},
    }, {
        "ids": [1, 2, 3], "point": {"x": 1, "y": 2}, "point_exploded": {"x": 3, "y": 4},
        "flags": ["true", "false"], "filter": {"name": "t1", "size": 2},
    }),
    ("cookies.cookie_styles", (), {
        "session": "s 1;x", "ids": ["a", "b,c"], "point": {"x": 1, "y": 2}, "prefs": {"name": "p", "open": True},
    }, {
        "session": "s 1;x", "ids": ["a", "b,c"], "point": {"x": 1, "y": 2}, "prefs": {"name": "p", "open": True},
    }),
]


def _models(pkg: Any, kwargs: dict[str, Any]) -> dict[str, Any]:
    """Object arguments passed as the generated models where the spec names one."""
    out = dict(kwargs)
    for name in ("filter", "x_filter", "prefs", "where"):
        if name in out:
            out[name] = pkg.models.Filter.from_dict(out[name])
    return out


def _method(client: Any, dotted: str) -> Any:
    group, op = dotted.split(".")
    return getattr(getattr(client, group), op)


@pytest.mark.parametrize(("dotted", "args", "kwargs", "expected"), CASES, ids=[c[0] for c in CASES])
def test_sync_call_is_parsed_by_the_rules(pkg: Any, server_url: str, dotted: str, args: tuple[Any, ...],
                                          kwargs: dict[str, Any], expected: dict[str, Any]) -> None:
    with pkg.Client(base_url=server_url) as client:
        got = _method(client, dotted)(*args, **_models(pkg, kwargs))
    got.pop("raw", None)
    assert got == expected


@pytest.mark.parametrize(("dotted", "args", "kwargs", "expected"), CASES, ids=[c[0] for c in CASES])
def test_async_call_is_parsed_by_the_rules(pkg: Any, server_url: str, dotted: str, args: tuple[Any, ...],
                                           kwargs: dict[str, Any], expected: dict[str, Any]) -> None:
    async def call() -> Any:
        async with pkg.AsyncClient(base_url=server_url) as client:
            return await _method(client, dotted)(*args, **_models(pkg, kwargs))

    got = asyncio.run(call())
    got.pop("raw", None)
    assert got == expected


def test_points_as_models_and_the_raw_query(pkg: Any, server_url: str) -> None:
    """A model argument serializes like the plain object; the delimiters are on the wire as the
    spec's style table shows them (bare commas, %7C, %20, %5B/%5D)."""
    point = pkg.models.Point(x=1, y=2)
    with pkg.Client(base_url=server_url) as client:
        assert client.path.simple(["a"], point)["point"] == {"x": 1, "y": 2}
        got = client.query.styles(csv=["a", "b"], pipes=["c", "d"], spaces=["e", "f"], flat=point,
                                  filter=pkg.models.Filter(name="n"))
    assert got["raw"] == "csv=a,b&pipes=c%7Cd&spaces=e%20f&filter%5Bname%5D=n&flat=x,1,y,2"


def test_the_echo_client_passes_mypy_strict(tmp_path: Path) -> None:
    """The serializer calls type-check where they sit: query, path, header and cookie mappings."""
    import subprocess
    import sys

    out = generate_unformatted(SPEC, tmp_path / "pkg", "param_echo_typed")
    r = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path / "cache"),
                        "-p", "param_echo_typed"], cwd=out, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout[-3000:]
