"""Issue 16: the generated API reads like a hand-written Python SDK, on every corpus spec and on a
FastAPI application's own spec (FastAPI's default operationIds), which also runs under uvicorn
on 127.0.0.1 for the client to talk to.

Oracles: the specs themselves (paths, methods, JSON names, examples), Python's own rules for
identifiers (``str.isidentifier``, ``keyword``), a real FastAPI server, httpx's MockTransport."""

from __future__ import annotations

import asyncio
import dataclasses
import importlib
import json
import keyword
import re
import socket
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))

import corpus_report  # noqa: E402

from generator.emit.render import render_package  # noqa: E402
from generator.load.loader import Spec  # noqa: E402
from generator.model import ir  # noqa: E402
from generator.model.build import build_api  # noqa: E402
from generator.write.writer import write_tree  # noqa: E402
from support.fastapi_app import make_app  # noqa: E402

SPECS = corpus_report.corpus_specs()
NAMES = [n for n, _ in SPECS] + ["fastapi"]


@dataclasses.dataclass
class Built:
    spec: Spec
    api: ir.Api
    types: Any
    out: Path
    package: str


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Any:
    cache: dict[str, Built] = {}

    def get(name: str) -> Built:
        if name not in cache:
            if name == "fastapi":
                folder = tmp_path_factory.mktemp("fastapi-spec")
                path = folder / "openapi.json"
                path.write_text(json.dumps(make_app().openapi()))
            else:
                path = dict(SPECS)[name]
            package = "surface_" + name.replace("-", "_")
            spec = Spec(path)
            result = build_api(spec, package, path.name)
            assert result.api is not None
            out = tmp_path_factory.mktemp(name)
            write_tree(out, render_package(result.api))
            sys.path.insert(0, str(out))
            cache[name] = Built(spec, result.api, result.types, out, package)
        return cache[name]

    return get


def _words(text: str) -> list[str]:
    return [w.lower() for w in re.split(r"[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])", text) if w]


@pytest.mark.parametrize("name", NAMES)
def test_method_and_argument_names(name: str, built: Any) -> None:
    b = built(name)
    problems = []
    for g in b.api.groups:
        for op in g.operations:
            words = op.name.split("_")
            path_words = [w for seg in op.path.split("?")[0].split("#")[0].split("/") for w in _words(seg)]
            method = op.http_method.lower()
            # no <path>_<method> tail (FastAPI's read_item_items__item_id__get)
            if len(words) >= 2 and words[-1] == method and words[-2] in path_words:
                problems.append(f"{g.name}.{op.name}: ends in a path-and-method suffix")
            # no numbers handed out to tell names apart
            m = re.search(r"_(\d+)$", op.name)
            if m and _words(op.operation_id)[-1:] != [m.group(1)]:
                problems.append(f"{g.name}.{op.name}: numbered")
            if op.name.startswith(g.name + "_") or op.name.endswith("_" + g.name):
                problems.append(f"{g.name}.{op.name}: repeats the group's noun")
            args = [p.name for p in op.params] + [f.name for f in (op.body.fields or ()) if op.body] if op.body else \
                [p.name for p in op.params]
            wires = {p.name: p.wire for p in op.params}
            if op.body and op.body.fields:
                wires.update({f.name: f.wire for f in op.body.fields})
            for a in args:
                m = re.search(r"_(\d+)$", a)
                if m and not wires.get(a, "").endswith(m.group(1)):
                    problems.append(f"{g.name}.{op.name}({a}=): numbered argument")
                assert a.isidentifier() and not keyword.iskeyword(a)
    assert not problems, problems[:20]


def test_fastapi_names(built: Any) -> None:
    b = built("fastapi")
    names = {(op.http_method, op.path): f"{g.name}.{op.name}" for g in b.api.groups for op in g.operations}
    assert names == {
        ("GET", "/items"): "items.list",
        ("POST", "/items"): "items.create",
        ("GET", "/items/{item_id}"): "items.retrieve",
        ("PUT", "/items/{item_id}"): "items.update",
        ("DELETE", "/items/{item_id}"): "items.delete",
    }


@pytest.mark.parametrize("name", NAMES)
def test_readme_lists_environment_variables(name: str, built: Any) -> None:
    b = built(name)
    readme = (b.out / "README.md").read_text()
    for s in b.api.security_schemes:
        if s.kind in ("bearer", "apikey"):
            assert s.env_var and s.env_var in readme, s.name
    token = [s for s in b.api.security_schemes if s.kind in ("bearer", "apikey")]
    if token:  # the primary credential is api_key, read from <VENDOR>_API_KEY
        vendor = re.split(r"[^A-Za-z0-9]+", b.api.title)[0].upper()
        assert any(s.arg == "api_key" and s.env_var == f"{vendor}_API_KEY" for s in token)


def test_openai_credentials(built: Any) -> None:
    b = built("openai")
    args = {s.name: (s.arg, s.env_var) for s in b.api.security_schemes}
    assert args == {"ApiKeyAuth": ("api_key", "OPENAI_API_KEY"),
                    "AdminApiKeyAuth": ("admin_api_key", "OPENAI_ADMIN_API_KEY")}


# what the model and page API use themselves: a field so named collides, and is renamed
_MACHINERY = {"additional_properties", "from_dict", "to_dict", "model_fields_set", "self", "cls",
              "has_next_page", "next_page", "iter_pages"}


@pytest.mark.parametrize("name", NAMES)
def test_json_names_kept_as_attributes(name: str, built: Any) -> None:
    b = built(name)
    renamed = []
    for d in b.api.definitions.values():
        if not isinstance(d, ir.ModelDef):
            continue
        for f in d.fields:
            w = f.wire
            if (w.isidentifier() and w.isascii() and not keyword.iskeyword(w) and not w.startswith("__")
                    and w not in _MACHINERY and w not in b.api.definitions and w not in _class_names(b)
                    and f.name != w):
                renamed.append(f"{d.name}.{w} -> {f.name}")
    assert not renamed, renamed[:20]


@pytest.mark.parametrize("name", NAMES)
def test_examples_round_trip_and_absent_fields_read_none(name: str, built: Any) -> None:
    b = built(name)
    models = importlib.import_module(f"{b.package}.models")
    serde = importlib.import_module(f"{b.package}._serde")
    models._serde_parse = lambda kind, v: serde.parse_datetime(v) if kind == "datetime" else serde.parse_date(v)
    failures, absent_checked = [], 0
    for where, t, example in corpus_report.examples(b.spec, b.types):
        value = corpus_report.decode(models, b.api, t, example)
        back = json.loads(json.dumps(serde.encode(value)))
        if not corpus_report.same_json(back, example):
            failures.append(where)
        if isinstance(value, serde.Model) and isinstance(example, dict):
            plan = serde._plan(type(value))
            for attr, key, _, _ in plan.fields:
                if key not in example and key not in plan.consts:
                    absent_checked += 1
                    if getattr(value, attr) is not None:
                        failures.append(f"{where}: absent {key} reads {getattr(value, attr)!r}")
            assert value.model_fields_set == {attr for attr, key, _, _ in plan.fields if key in example}
    assert not failures, failures[:5]


@pytest.mark.parametrize("name", NAMES)
def test_enums_format_as_their_values(name: str, built: Any) -> None:
    b = built(name)
    models = importlib.import_module(f"{b.package}.models")
    enums = [d for d in b.api.definitions.values() if isinstance(d, ir.EnumDef)]
    for d in enums:
        cls = getattr(models, d.name)
        for member in d.members:
            m = cls(member.value)
            text = str(member.value)
            percent = "%s" % m  # noqa: UP031 - %-formatting is one of the formats under test
            assert (str(m), f"{m}", format(m), percent) == (text, text, text, text)
        unknown = cls("zz-not-listed") if d.base == "str" else cls(987654)
        assert str(unknown) == str(unknown.value)


@pytest.mark.parametrize("name", NAMES)
def test_single_array_list_responses_iterate(name: str, built: Any) -> None:
    b = built(name)
    models = importlib.import_module(f"{b.package}.models")
    checked = 0
    for g in b.api.groups:
        for op in g.operations:
            t = op.success.type
            if op.pagination is not None or op.success.kind != "json" or not isinstance(t, ir.Ref):
                continue
            d = b.api.definitions.get(t.name)
            if not isinstance(d, ir.ModelDef):
                continue
            arrays = [f for f in d.fields if isinstance(f.type, ir.ListOf)
                      or (isinstance(f.type, ir.Nullable) and isinstance(f.type.inner, ir.ListOf))]
            if len(arrays) != 1 or any(op2.pagination is not None and op2.success.type == t
                                       for g2 in b.api.groups for op2 in g2.operations):
                continue
            cls = getattr(models, t.name)
            page = cls.from_dict({arrays[0].wire: []})
            assert len(page) == 0 and list(page) == []
            items = [object(), object()]
            setattr(page, arrays[0].name, items)
            assert list(page) == items and len(page) == 2
            checked += 1
    if name in ("openai", "fastapi", "mistral"):
        assert checked


# -- errors -------------------------------------------------------------------------------------

_SHAPES = [
    ({"error": {"message": "from error.message", "type": "x"}}, "from error.message"),
    ({"message": "from message", "code": 7}, "from message"),
    ({"detail": "from detail"}, "from detail"),
    ({"type": "about:blank", "title": "from title", "status": 400}, "from title"),
    ({"detail": [{"loc": ["body", "name"], "msg": "Field required", "type": "missing"}]}, "Field required"),
]


@pytest.mark.parametrize("name", ["fastapi", "openai"])
def test_every_error_status_gives_the_server_message(name: str, built: Any) -> None:
    b = built(name)
    pkg = importlib.import_module(b.package)
    errors = importlib.import_module(f"{b.package}.errors")
    group = next(g for g in b.api.groups if any(not op.params and op.body is None and op.http_method == "GET"
                                                for op in g.operations))
    op = next(op for op in group.operations if not op.params and op.body is None and op.http_method == "GET")
    for status in (400, 401, 402, 403, 404, 409, 418, 422, 429, 500, 502, 503):
        for body, text in _SHAPES:
            def handler(request: httpx.Request, status: int = status, body: Any = body) -> httpx.Response:
                return httpx.Response(status, json=body)

            creds = {s.arg: "k" for s in b.api.security_schemes if s.kind in ("bearer", "apikey")}
            client = pkg.Client(base_url="http://127.0.0.1:9", **creds,
                                http_client=httpx.Client(transport=httpx.MockTransport(handler)), max_retries=0)
            with pytest.raises(errors.APIStatusError) as info:
                getattr(getattr(client, group.name), op.name)()
            e = info.value
            assert e.status_code == status and e.message == text and text in str(e)
            assert e.headers["content-type"] == "application/json"
            assert e.body is not None


# -- the FastAPI application, served --------------------------------------------------------------


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    config = uvicorn.Config(make_app(), host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.02)
    assert srv.started
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(10)


def test_crud_against_fastapi_sync(built: Any, server: str) -> None:
    b = built("fastapi")
    pkg = importlib.import_module(b.package)
    errors = importlib.import_module(f"{b.package}.errors")
    with pkg.Client(base_url=server) as client:
        item = client.items.create(name="hammer", kind="tool", price=9.5)
        assert (item.name, item.object, f"{item.kind}", item.price) == ("hammer", "item", "tool", 9.5)
        got = client.items.retrieve(item.id)
        assert got.description is None and "description" not in got.model_fields_set
        assert got.to_dict() == {"id": item.id, "object": "item", "name": "hammer", "kind": "tool", "price": 9.5}
        updated = client.items.update(item.id, name="mallet", description=None)
        assert updated.name == "mallet"
        listed = client.items.list()
        assert [i.name for i in listed] == ["mallet"] and len(listed) == 1
        assert client.items.delete(item.id) is None
        with pytest.raises(errors.NotFoundError) as info:
            client.items.retrieve(item.id)
        assert info.value.message == "Item not found" and info.value.status_code == 404
        assert "Item not found" in str(info.value)
        with pytest.raises(errors.UnprocessableEntityError) as bad:
            client.items.create(name="x", kind="not-a-kind")
        assert bad.value.message and isinstance(bad.value.body, (dict, object))


def test_crud_against_fastapi_async(built: Any, server: str) -> None:
    b = built("fastapi")
    pkg = importlib.import_module(b.package)
    errors = importlib.import_module(f"{b.package}.errors")

    async def main() -> None:
        async with pkg.AsyncClient(base_url=server) as client:
            item = await client.items.create(name="ball", kind="toy")
            assert (await client.items.retrieve(item.id)).name == "ball"
            await client.items.update(item.id, description="red")
            listed = await client.items.list()
            assert "red" in [i.description for i in listed]
            await client.items.delete(item.id)
            with pytest.raises(errors.NotFoundError) as info:
                await client.items.delete(item.id)
            assert info.value.message == "Item not found"

    asyncio.run(main())


# -- credentials from the environment -----------------------------------------------------------


def test_every_credential_is_read_from_a_listed_environment_variable(tmp_path: Path, monkeypatch: Any) -> None:
    """The auth fixture spec has one scheme of every kind: each credential argument left out is
    read from ``<VENDOR>_<ARGUMENT>`` (the vendor from info.title), and the README lists them."""
    import base64

    spec_path = REPO / "tests" / "data" / "specs" / "auth.yaml"
    result = build_api(Spec(spec_path), "envzoo", spec_path.name)
    assert result.api is not None
    write_tree(tmp_path, render_package(result.api))
    sys.path.insert(0, str(tmp_path))
    pkg = importlib.import_module("envzoo")
    vendor = re.split(r"[^A-Za-z0-9]+", result.api.title)[0].upper()
    env = {"API_KEY": "tok", "USERNAME": "u", "PASSWORD": "p", "HEADER_KEY": "hk", "CLIENT_ID": "cid",
           "CLIENT_SECRET": "cs"}
    readme = (tmp_path / "README.md").read_text()
    for name, value in env.items():
        assert f"{vendor}_{name}" in readme
        monkeypatch.setenv(f"{vendor}_{name}", value)
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path.endswith("/oauth/token"):
            return httpx.Response(200, json={"access_token": "t1", "token_type": "bearer", "expires_in": 60})
        return httpx.Response(200, json={})

    client = pkg.Client(base_url="http://127.0.0.1:9", http_client=httpx.Client(transport=httpx.MockTransport(handler)))
    client.checks.via_bearer()
    assert seen[-1].headers["authorization"] == "Bearer tok"
    client.checks.via_basic()
    assert seen[-1].headers["authorization"] == "Basic " + base64.b64encode(b"u:p").decode()
    client.checks.via_header_key()
    assert seen[-1].headers["x-api-key"] == "hk"
    client.checks.via_o_auth()
    token_request = next(r for r in seen if r.url.path.endswith("/oauth/token"))
    assert b"cid" in token_request.content + token_request.headers.get("authorization", "").encode() or \
        "Basic " + base64.b64encode(b"cid:cs").decode() == token_request.headers.get("authorization")
    assert seen[-1].headers["authorization"] == "Bearer t1"


def _class_names(b: Any) -> set[str]:
    """Names a field may not take, as the README says: the package's classes (schema names, also
    those of schemas that became aliases) and the runtime names model modules import."""
    from generator.model import naming

    doc = b.spec.document
    if not isinstance(doc, dict):
        doc = {}
    schemas = (doc.get("components") or {}).get("schemas") or doc.get("definitions") or {}
    return ({getattr(d, "name", k) for k, d in b.api.definitions.items()} | set(schemas)
            | set(naming.RESERVED_CLASS_NAMES))
