"""Prism (mock mode, request validation on) behind the recording proxy: violations are reported."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

import support.prism
from support.prism import PrismError, PrismServer

WIDGETS = Path(__file__).parent / "data" / "support" / "widgets.yaml"

PrismFactory = Callable[..., PrismServer]


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with httpx.Client(trust_env=False, timeout=30) as c:
        yield c


def test_valid_requests_get_mock_responses_and_no_violations(prism: PrismFactory, client: httpx.Client) -> None:
    server = prism(WIDGETS)
    assert server.base_url.endswith("/v1")  # the proxy serves under the spec's base path

    page = client.get(f"{server.base_url}/widgets", params={"limit": 5, "tag": "x"})
    created = client.post(f"{server.base_url}/widgets", json={"name": "w", "weight": 1.5})
    deleted = client.delete(f"{server.base_url}/widgets/a%2Fb", headers={"Authorization": "Bearer k"})
    missing = client.get(f"{server.base_url}/widgets/w1", headers={"Prefer": "code=404"})

    assert page.status_code == 200 and isinstance(page.json()["data"], list)
    assert created.status_code == 201 and created.json()["name"] == "created"
    assert deleted.status_code == 204
    assert missing.status_code == 404 and missing.json()["error"]["message"] == "widget not found"
    server.assert_no_violations()
    assert [e.request.path for e in server.exchanges][-1] == "/v1/widgets/w1"


def test_invalid_requests_are_reported(prism: PrismFactory, client: httpx.Client) -> None:
    server = prism(WIDGETS)

    client.get(f"{server.base_url}/widgets")  # required query parameter missing
    client.post(f"{server.base_url}/widgets", json={"name": 5, "colour": "red"})  # wrong type, extra field
    client.delete(f"{server.base_url}/widgets/w1")  # no bearer token
    client.get(f"{server.base_url}/gadgets")  # no such path

    missing_limit, bad_body, no_auth, no_path = server.exchanges
    assert (missing_limit.status, missing_limit.problem_type) == (422, "UNPROCESSABLE_ENTITY")
    assert [(v.location, v.code) for v in missing_limit.violations] == [(("request", "query"), "required")]
    assert bad_body.status == 400  # the spec's declared 400, violations in the sl-violations header
    assert {(v.location, v.code) for v in bad_body.violations} == {
        (("request", "body"), "additionalProperties"),
        (("request", "body", "name"), "type"),
    }
    assert (no_auth.status, [v.code for v in no_auth.violations]) == (401, ["UNAUTHORIZED"])
    assert (no_path.status, [v.code for v in no_path.violations]) == (404, ["NO_PATH_MATCHED_ERROR"])
    assert len(server.violations()) == 5

    with pytest.raises(AssertionError) as failure:
        server.assert_no_violations()
    report = str(failure.value)
    assert "4 invalid request(s)" in report
    assert "GET /v1/widgets -> 422" in report
    assert "request.query: Request query must have required property 'limit' [required]" in report


def test_each_test_starts_with_no_exchanges(prism: PrismFactory) -> None:
    server = prism(WIDGETS)
    assert server.exchanges == []
    with pytest.raises(AssertionError, match="no request"):
        server.assert_no_violations()


def test_corpus_spec_with_default_responses(prism: PrismFactory, shared_dir: Path, client: httpx.Client) -> None:
    server = prism(shared_dir / "corpus" / "petstore-oai30" / "petstore.yaml")

    assert client.get(f"{server.base_url}/pets", params={"limit": 10}).status_code == 200
    assert client.get(f"{server.base_url}/pets", params={"limit": "ten"}).status_code == 422
    [(exchange, violation)] = server.violations()
    assert exchange.request.query == {"limit": ["ten"]}
    assert (violation.location, violation.message) == (
        ("request", "query", "limit"),
        "Request query parameter limit must be integer",
    )


def test_missing_install_is_an_error_naming_the_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(support.prism, "PRISM_BIN", Path("/nonexistent/node_modules/.bin/prism"))
    with pytest.raises(PrismError, match="npm ci --prefix tests/prism"):
        PrismServer(WIDGETS).start()


def test_start_failure_shows_prisms_output(tmp_path: Path) -> None:
    spec = tmp_path / "empty.yaml"
    spec.write_text("openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths: {}\n")
    server: Any = PrismServer(spec, startup_timeout=30)
    with pytest.raises(PrismError, match="No operations found"), server:
        pass
    assert not server.running
