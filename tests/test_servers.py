"""Servers as the OpenAPI specification defines them (3.0.3 §4.7.5 Server Object, §4.7.9 Path Item
``servers``, §4.7.10 Operation ``servers``): every entry of the document's ``servers`` selectable,
each with its own variables (defaults, ``enum``); a path item's or an operation's ``servers``
override the document's for those operations; relative server URLs.

The oracle is where requests arrive: real HTTP servers on 127.0.0.1, one per "host" of the spec,
each recording the paths it received.
"""

from __future__ import annotations

import asyncio
import json
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from clients import generate_unformatted, import_generated
from support.messages import RecordedRequest, Response
from support.server import MockServer


def _echo(request: RecordedRequest) -> Response:
    return Response.json({"path": request.path})


SPEC = """
openapi: 3.0.3
info: {title: Hosts, version: "1.0"}
servers:
  - url: http://127.0.0.1:{port}/{version}
    x-codegen-name: main
    description: The main host; the version is part of the path.
    variables:
      port: {default: "%(a)s"}
      version: {default: v1, enum: [v1, v2]}
  - url: http://{host}:%(b)s/alt
    x-codegen-name: alt
    variables:
      host: {default: 127.0.0.1}
paths:
  /things:
    get:
      operationId: listThings
      tags: [things]
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object}}}}
  /uploads:
    servers:
      - url: http://127.0.0.1:%(b)s/files/{bucket}
        variables:
          bucket: {default: main, enum: [main, archive]}
    get:
      operationId: listUploads
      tags: [uploads]
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object}}}}
    post:
      operationId: sendUpload
      tags: [uploads]
      servers:
        - url: http://127.0.0.1:%(c)s/ingest
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object}}}}
  /health:
    servers:
      - url: /health-api
    get:
      operationId: health
      tags: [health]
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object}}}}
"""

RELATIVE_SPEC = """
openapi: 3.1.0
info: {title: Relative, version: "1.0"}
servers:
  - url: /api
paths:
  /ping:
    get:
      operationId: ping
      tags: [ping]
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object}}}}
"""


@pytest.fixture(scope="module")
def hosts() -> Iterator[dict[str, MockServer]]:
    servers = {name: MockServer(fallback=_echo) for name in "abcd"}
    for s in servers.values():
        s.start()
    try:
        yield servers
    finally:
        for s in servers.values():
            s.stop()


@pytest.fixture(autouse=True)
def _clear(hosts: dict[str, MockServer]) -> None:
    for s in hosts.values():
        s.clear()


@pytest.fixture(scope="module")
def pkg(hosts: dict[str, MockServer], tmp_path_factory: pytest.TempPathFactory) -> Any:
    folder = tmp_path_factory.mktemp("hosts")
    spec = folder / "hosts.yaml"
    spec.write_text(textwrap.dedent(SPEC) % {k: s.port for k, s in hosts.items()})
    return import_generated(generate_unformatted(spec, folder / "out", "hosts_client"), "hosts_client")


@pytest.fixture(scope="module")
def relative_pkg(tmp_path_factory: pytest.TempPathFactory) -> Any:
    folder = tmp_path_factory.mktemp("relative")
    spec = folder / "relative.yaml"
    spec.write_text(RELATIVE_SPEC)
    return import_generated(generate_unformatted(spec, folder / "out", "relative_client"), "relative_client")


def _only(hosts: dict[str, MockServer], name: str) -> RecordedRequest:
    """The one request, which ``name`` (and no other server) received."""
    got = {k: [r.path for r in s.requests] for k, s in hosts.items() if s.requests}
    assert list(got) == [name] and len(got[name]) == 1, got
    return hosts[name].requests[0]


def test_first_server_with_its_variable_defaults(pkg: Any, hosts: dict[str, MockServer]) -> None:
    with pkg.Client() as client:
        assert client.things.list() == {"path": "/v1/things"}
    assert _only(hosts, "a").path == "/v1/things"


def test_a_variable_passed_to_the_constructor(pkg: Any, hosts: dict[str, MockServer]) -> None:
    with pkg.Client(version="v2") as client:
        client.things.list()
    assert _only(hosts, "a").path == "/v2/things"


def test_enum_is_checked_with_a_clear_error(pkg: Any) -> None:
    with pytest.raises(ValueError) as exc:  # noqa: PT011 - the message is checked below, piece by piece
        pkg.Client(version="v3")
    message = str(exc.value)
    assert "\n" not in message and "'version'" in message and "'v1', 'v2'" in message and "'v3'" in message


@pytest.mark.parametrize("choice", [1, "alt", "http://{host}:%s/alt"])
def test_every_server_is_selectable_by_index_name_or_url(pkg: Any, hosts: dict[str, MockServer],
                                                         choice: Any) -> None:
    if isinstance(choice, str) and "%s" in choice:
        choice %= hosts["b"].port
    with pkg.Client(server=choice) as client:
        client.things.list()
    assert _only(hosts, "b").path == "/alt/things"


def test_each_server_has_its_own_variables(pkg: Any, hosts: dict[str, MockServer]) -> None:
    # ``host`` belongs to the second server; localhost is the same machine by another name
    with pkg.Client(server="alt", host="localhost") as client:
        assert client.base_url == f"http://localhost:{hosts['b'].port}/alt"
        client.things.list()
    assert _only(hosts, "b").headers["host"] == f"localhost:{hosts['b'].port}"


def test_unknown_server(pkg: Any) -> None:
    with pytest.raises(ValueError, match="unknown server 'staging'; known: 'main', 'alt'"):
        pkg.Client(server="staging")
    with pytest.raises(ValueError, match="out of range"):
        pkg.Client(server=2)


def test_servers_are_listed(pkg: Any, hosts: dict[str, MockServer]) -> None:
    assert pkg.SERVERS == {"main": "http://127.0.0.1:{port}/{version}",
                           "alt": f"http://{{host}}:{hosts['b'].port}/alt"}


def test_path_level_server(pkg: Any, hosts: dict[str, MockServer]) -> None:
    with pkg.Client() as client:
        assert client.uploads.list() == {"path": "/files/main/uploads"}
    _only(hosts, "b")
    for s in hosts.values():
        s.clear()
    with pkg.Client(bucket="archive") as client:
        client.uploads.list()
    assert _only(hosts, "b").path == "/files/archive/uploads"


def test_path_level_server_enum_is_checked(pkg: Any, hosts: dict[str, MockServer]) -> None:
    with pkg.Client(bucket="attic") as client, pytest.raises(ValueError, match=r"'bucket'.*'main', 'archive'"):
        client.uploads.list()
    assert not any(s.requests for s in hosts.values())


def test_operation_level_server_overrides_the_path_level_one(pkg: Any, hosts: dict[str, MockServer]) -> None:
    with pkg.Client() as client:
        client.uploads.send()
    assert _only(hosts, "c").path == "/ingest/uploads"


def test_relative_path_level_server_is_on_the_clients_host(pkg: Any, hosts: dict[str, MockServer]) -> None:
    with pkg.Client() as client:
        client.health.retrieve()
    assert _only(hosts, "a").path == "/health-api/health"


def test_base_url_overrides_every_server(pkg: Any, hosts: dict[str, MockServer]) -> None:
    with pkg.Client(base_url=hosts["d"].url + "/proxy") as client:
        client.things.list()
        client.uploads.list()
        client.uploads.send()
    assert [r.path for r in hosts["d"].requests] == ["/proxy/things", "/proxy/uploads", "/proxy/uploads"]
    assert not any(hosts[k].requests for k in "abc")


def test_with_options_base_url_overrides_every_server(pkg: Any, hosts: dict[str, MockServer]) -> None:
    with pkg.Client() as client:
        copy = client.with_options(base_url=hosts["d"].url + "/proxy")
        copy.uploads.send()
        client.uploads.send()
    assert [r.path for r in hosts["d"].requests] == ["/proxy/uploads"]
    assert [r.path for r in hosts["c"].requests] == ["/ingest/uploads"]


def test_host_only_base_url_keeps_a_relative_operation_server_path(pkg: Any, hosts: dict[str, MockServer]) -> None:
    with pkg.Client(base_url=hosts["d"].url) as client:
        client.health.retrieve()
    assert _only(hosts, "d").path == "/health-api/health"


def test_async_client_uses_the_same_servers(pkg: Any, hosts: dict[str, MockServer]) -> None:
    async def main() -> None:
        async with pkg.AsyncClient(server="alt") as client:
            await client.things.list()
            await client.uploads.send()

    asyncio.run(main())
    assert [r.path for r in hosts["b"].requests] == ["/alt/things"]
    assert [r.path for r in hosts["c"].requests] == ["/ingest/uploads"]


# -- relative server URLs ------------------------------------------------------------------------


def test_relative_server_without_base_url_fails_at_construction(relative_pkg: Any) -> None:
    for cls in (relative_pkg.Client, relative_pkg.AsyncClient):
        with pytest.raises(ValueError) as exc:  # noqa: PT011 - the message is checked below
            cls()
        message = str(exc.value)
        assert "\n" not in message
        assert "'/api'" in message and 'base_url="http://localhost:8000/api"' in message


def test_host_only_base_url_keeps_the_specs_path(relative_pkg: Any) -> None:
    with MockServer(fallback=_echo) as server:
        with relative_pkg.Client(base_url=server.url) as client:
            assert client.base_url == server.url + "/api"
            assert client.ping.retrieve() == {"path": "/api/ping"}
        with relative_pkg.Client(base_url=server.url + "/") as client:
            client.ping.retrieve()
        assert [r.path for r in server.requests] == ["/api/ping", "/api/ping"]


def test_base_url_with_a_path_is_taken_as_it_is(relative_pkg: Any) -> None:
    with MockServer(fallback=_echo) as server:
        with relative_pkg.Client(base_url=server.url + "/v2") as client:
            client.ping.retrieve()
        assert [r.path for r in server.requests] == ["/v2/ping"]


def test_generated_readme_says_how_servers_are_chosen(pkg: Any) -> None:
    readme = (Path(pkg.__file__).parent.parent / "README.md").read_text()
    assert "`server=` with one of `main` (" in readme and "`alt` (" in readme
    assert "`bucket`, `host`, `port`, `version`" in readme
    json.dumps(readme)  # plain text
