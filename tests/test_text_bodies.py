"""A text body described by an object schema (AWS's text/xml bodies): the caller passes the text,
which goes on the wire as it is; mypy --strict accepts the package (it used to annotate the
argument with a model while sending it as ``content=``).  Found by scripts/ecosystem_sweep.py on
amazonaws.com/s3control."""

from __future__ import annotations

import sys
from pathlib import Path

import httpx
from test_every_module_imports import generate, import_every_module, mypy_strict

SPEC = Path(__file__).resolve().parent / "data" / "specs" / "xml_body.yaml"


def test_text_body_with_an_object_schema_takes_the_text(tmp_path: Path) -> None:
    out = tmp_path / "out"
    generate(SPEC, "xml_body", out)
    assert import_every_module(out, "xml_body")[1] == {}
    r = mypy_strict(out, "xml_body", tmp_path / "cache")
    assert r.returncode == 0, r.stdout[-3000:]
    sys.path.insert(0, str(out))
    try:
        import xml_body  # type: ignore[import-not-found]
    finally:
        sys.path.remove(str(out))
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(204)

    client = xml_body.Client(base_url="http://127.0.0.1:9",
                             http_client=httpx.Client(transport=httpx.MockTransport(handler)))
    text = "<RouteUpdates><Route>a</Route></RouteUpdates>"
    client.routes.update(body=text)
    (request,) = seen
    assert request.method == "PATCH" and request.content == text.encode()
    assert request.headers["content-type"].startswith("text/xml")
