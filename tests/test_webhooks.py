"""Webhooks: ``client.webhooks.unwrap`` on the OpenAI corpus package.

The oracle is Standard Webhooks itself: payloads are signed here by the spec's algorithm
(HMAC-SHA256 of ``"<webhook-id>.<webhook-timestamp>.<body>"``, keyed with the base64 text after
``whsec_``, sent as ``v1,<base64>``), written out in this file, and by the ``standardwebhooks``
package (the Standard Webhooks project's own Python library) as an independent signer.  The events
are OpenAI's own examples from the spec (``x-oaiMeta.example`` of each webhook payload schema).
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import importlib
import json
import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import standardwebhooks
import yaml

from generator.emit.render import render_package
from generator.load.loader import Spec
from generator.model.build import build_api
from generator.write.writer import write_tree

REPO = Path(__file__).resolve().parent.parent
OPENAI = REPO.parent / "shared" / "corpus" / "openai" / "openapi.yaml"
PETSTORE31 = REPO.parent / "shared" / "corpus" / "petstore31" / "openapi.yaml"
PACKAGE = "wh_openai"
SECRET = "whsec_" + base64.b64encode(b"a secret of thirty-two bytes....").decode()
OTHER_SECRET = "whsec_" + base64.b64encode(b"another secret, also 32 bytes...").decode()
BATCH_COMPLETED = (b'{"id": "evt_abc123", "type": "batch.completed", "created_at": 1719168000, '
                   b'"data": {"id": "batch_abc123"}}')


def sign(body: bytes, secret: str = SECRET, msg_id: str = "msg_1", timestamp: int | None = None) -> dict[str, str]:
    """Standard Webhooks headers for ``body``, by the spec's algorithm."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    key = base64.b64decode(secret.removeprefix("whsec_"))
    mac = hmac.new(key, f"{msg_id}.{ts}.".encode() + body, hashlib.sha256).digest()
    return {"webhook-id": msg_id, "webhook-timestamp": ts, "webhook-signature": "v1," + base64.b64encode(mac).decode()}


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Any:
    result = build_api(Spec(OPENAI), PACKAGE, OPENAI.name)
    assert result.api is not None
    out = tmp_path_factory.mktemp("openai")
    write_tree(out, render_package(result.api))
    sys.path.insert(0, str(out))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(out))


def models(pkg: Any) -> Any:
    return importlib.import_module(f"{PACKAGE}.models")


def errors(pkg: Any) -> Any:
    return importlib.import_module(f"{PACKAGE}.errors")


def test_signed_batch_completed_unwraps_into_its_model(pkg: Any) -> None:
    client = pkg.Client(webhook_secret=SECRET)
    event = client.webhooks.unwrap(BATCH_COMPLETED, sign(BATCH_COMPLETED))
    assert type(event) is models(pkg).WebhookBatchCompleted
    assert (event.id, event.type, event.created_at, event.data.id) == (
        "evt_abc123", "batch.completed", 1719168000, "batch_abc123")


def test_the_standard_webhooks_library_signs_what_unwrap_accepts(pkg: Any) -> None:
    headers_value = standardwebhooks.Webhook(SECRET).sign("msg_lib", datetime.now(tz=UTC), BATCH_COMPLETED)
    headers = {"Webhook-Id": "msg_lib", "Webhook-Timestamp": str(int(time.time())), "Webhook-Signature": headers_value}
    event = pkg.Client().webhooks.unwrap(BATCH_COMPLETED.decode(), headers, secret=SECRET)
    assert type(event) is models(pkg).WebhookBatchCompleted


@pytest.mark.parametrize("case", ["wrong secret", "stale", "future", "body changed", "no v1", "missing header",
                                  "not a timestamp"])
def test_bad_signatures_are_refused_before_anything_is_decoded(pkg: Any, case: str) -> None:
    body = BATCH_COMPLETED
    headers = sign(body)
    if case == "wrong secret":
        headers = sign(body, OTHER_SECRET)
    elif case == "stale":
        headers = sign(body, timestamp=int(time.time()) - 6 * 60)
    elif case == "future":
        headers = sign(body, timestamp=int(time.time()) + 6 * 60)
    elif case == "body changed":
        body = body.replace(b"batch_abc123", b"batch_abc124")
    elif case == "no v1":
        headers["webhook-signature"] = headers["webhook-signature"].replace("v1,", "v2,")
    elif case == "missing header":
        del headers["webhook-id"]
    elif case == "not a timestamp":
        headers["webhook-timestamp"] = "yesterday"
    client = pkg.Client(webhook_secret=SECRET)
    with pytest.raises(errors(pkg).WebhookVerificationError):
        client.webhooks.unwrap(body, headers)
    with pytest.raises(errors(pkg).WebhookVerificationError):
        client.webhooks.verify_signature(body, headers)
    # a body that is not even JSON fails on its signature, not on decoding
    with pytest.raises(errors(pkg).WebhookVerificationError):
        client.webhooks.unwrap(b"{not json", headers)


def test_within_tolerance_and_one_of_several_signatures(pkg: Any) -> None:
    body = BATCH_COMPLETED
    ts = int(time.time()) - 4 * 60
    good = sign(body, timestamp=ts)
    other = sign(body, OTHER_SECRET, timestamp=ts)
    headers = {**good, "webhook-signature": f"{other['webhook-signature']} v1a,x {good['webhook-signature']}"}
    client = pkg.Client(webhook_secret=SECRET)
    assert client.webhooks.unwrap(body, headers).data.id == "batch_abc123"
    client.webhooks.verify_signature(body, headers)


def test_secret_from_env_var_and_argument_precedence(pkg: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    env = f"{PACKAGE.upper()}_WEBHOOK_SECRET"
    monkeypatch.setenv(env, SECRET)
    headers = sign(BATCH_COMPLETED)
    client = pkg.Client()
    assert client.webhooks.unwrap(BATCH_COMPLETED, headers).id == "evt_abc123"
    with pytest.raises(errors(pkg).WebhookVerificationError):  # the secret= argument wins over the client's
        client.webhooks.unwrap(BATCH_COMPLETED, headers, secret=OTHER_SECRET)
    with pytest.raises(errors(pkg).WebhookVerificationError):  # the constructor wins over the env var
        pkg.Client(webhook_secret=OTHER_SECRET).webhooks.unwrap(BATCH_COMPLETED, headers)
    assert client.with_options(max_retries=1).webhooks.unwrap(BATCH_COMPLETED, headers).id == "evt_abc123"


def test_without_any_secret_unwrap_decodes_and_verify_says_what_is_missing(pkg: Any,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(f"{PACKAGE.upper()}_WEBHOOK_SECRET", raising=False)
    client = pkg.Client()
    assert client.webhooks.unwrap(BATCH_COMPLETED, {}).data.id == "batch_abc123"
    with pytest.raises(ValueError, match="WEBHOOK_SECRET") as info:
        client.webhooks.verify_signature(BATCH_COMPLETED, sign(BATCH_COMPLETED))
    assert not isinstance(info.value, errors(pkg).WebhookVerificationError)


def test_async_client_unwraps_and_refuses_the_same(pkg: Any) -> None:
    async def main() -> None:
        async with pkg.AsyncClient(webhook_secret=SECRET) as client:
            event = client.webhooks.unwrap(BATCH_COMPLETED, sign(BATCH_COMPLETED))
            assert type(event) is models(pkg).WebhookBatchCompleted
            with pytest.raises(errors(pkg).WebhookVerificationError):
                client.webhooks.unwrap(BATCH_COMPLETED, sign(BATCH_COMPLETED, OTHER_SECRET))
            with pytest.raises(errors(pkg).WebhookVerificationError):
                client.webhooks.unwrap(BATCH_COMPLETED, sign(BATCH_COMPLETED, timestamp=int(time.time()) - 3600))
            with pytest.raises(errors(pkg).WebhookVerificationError):
                client.webhooks.unwrap(BATCH_COMPLETED + b" ", sign(BATCH_COMPLETED))

    asyncio.run(main())


def test_every_documented_openai_event_decodes_into_its_own_model(pkg: Any) -> None:
    """Each of the 16 webhooks' payload schema carries OpenAI's example event: signed and
    unwrapped, it becomes an instance of that schema's model (told apart by ``type``)."""
    safe_loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    doc = yaml.load(OPENAI.read_text(encoding="utf-8"), Loader=safe_loader)  # noqa: S506 - a SafeLoader
    schemas = doc["components"]["schemas"]
    names = [w["post"]["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
             for w in doc["webhooks"].values()]
    assert len(names) == 16
    client = pkg.Client(webhook_secret=SECRET)
    for name in names:
        # two examples keep a trailing comma, which JSON forbids and YAML's flow style allows
        body = json.dumps(yaml.safe_load(schemas[name]["x-oaiMeta"]["example"])).encode()
        event = client.webhooks.unwrap(body, sign(body))
        assert type(event).__name__ == name


def test_docs_list_every_webhook(pkg: Any) -> None:
    root = Path(pkg.__file__).parent.parent
    page = (root / "docs" / "webhooks.md").read_text(encoding="utf-8")
    row = ("`batch.completed` (`batch_completed`, POST) | "
           "[`WebhookBatchCompleted`](models/webhooks.md#webhookbatchcompleted) |")
    assert page.count("| `") >= 16 and row in page
    models = (root / "docs" / "models" / "webhooks.md").read_text(encoding="utf-8")  # the payload models' entries
    assert "WebhookBatchCompleted" in models and "created_at" in models
    assert "docs/webhooks.md" in (root / "README.md").read_text(encoding="utf-8")
    assert "WebhookVerificationError" in errors(pkg).__doc__


def test_package_with_webhooks_passes_mypy_strict(tmp_path: Path) -> None:
    """petstore 3.1 (one webhook whose payload is the Pet model): the package and a use of
    ``unwrap`` type-check under ``mypy --strict``, the event typed as the model."""
    result = build_api(Spec(PETSTORE31), "wh_pets", PETSTORE31.name)
    assert result.api is not None and [h.name for h in result.api.webhooks] == ["newPet"]
    write_tree(tmp_path / "out", render_package(result.api))
    usage = tmp_path / "out" / "usage.py"
    usage.write_text(
        "from wh_pets import AsyncClient, Client\n"
        "from wh_pets.models import Pet\n\n"
        "def f(body: bytes, headers: dict[str, str]) -> Pet:\n"
        "    Client().webhooks.verify_signature(body, headers, secret='whsec_AA==')\n"
        "    AsyncClient(webhook_secret='whsec_AA==').webhooks.unwrap(body, headers)\n"
        "    return Client().webhooks.unwrap(body, headers, secret='whsec_AA==')\n", encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path / "cache"),
                        "wh_pets", str(usage)], cwd=tmp_path / "out", capture_output=True, text=True,
                       env={**os.environ, "MYPYPATH": str(tmp_path / "out")}, timeout=600)
    assert r.returncode == 0, r.stdout + r.stderr


CALLBACKS_SPEC = """\
openapi: 3.0.3
info: {title: Hooks, version: "1"}
servers: [{url: "http://127.0.0.1:9"}]
paths:
  /subscriptions:
    post:
      operationId: createSubscription
      requestBody:
        content:
          application/json:
            schema: {type: object, properties: {callbackUrl: {type: string}}}
      responses: {"201": {description: created}}
      callbacks:
        onData:
          "{$request.body#/callbackUrl}/data":
            post:
              requestBody:
                content:
                  application/json:
                    schema: {$ref: "#/components/schemas/DataEvent"}
              responses: {"200": {description: ok}}
        onClose: {$ref: "#/components/callbacks/Closed"}
components:
  callbacks:
    Closed:
      "{$request.body#/callbackUrl}/closed":
        post:
          description: The subscription was closed.
          requestBody:
            content:
              application/json:
                schema:
                  type: object
                  required: [kind, reason]
                  properties:
                    kind: {type: string, enum: [closed]}
                    reason: {type: string}
          responses: {"200": {description: ok}}
        put:
          requestBody:
            content:
              text/plain:
                schema: {type: string}
          responses: {"200": {description: ok}}
  schemas:
    DataEvent:
      type: object
      required: [kind, value]
      properties:
        kind: {type: string, enum: [data]}
        value: {type: integer}
"""


def test_callbacks_become_typed_events_told_apart_by_their_constant(tmp_path: Path) -> None:
    spec_path = tmp_path / "hooks.yaml"
    spec_path.write_text(CALLBACKS_SPEC, encoding="utf-8")
    result = build_api(Spec(spec_path), "wh_callbacks", spec_path.name)
    assert result.api is not None
    hooks = result.api.webhooks
    assert [(h.name, h.kind, h.method, h.event) for h in hooks] == [
        ("createSubscription.onData", "callback", "POST", "data"),
        ("createSubscription.onClose", "callback", "POST", "closed")]
    assert hooks[1].expression == "{$request.body#/callbackUrl}/closed"
    # the PUT callback's text body is not typed: a note with its pointer says so
    [found] = [d for d in result.diagnostics if d.code == "webhook"]
    assert str(found.severity) == "note" and "not JSON" in found.message
    assert found.pointer == "/components/callbacks/Closed/{$request.body#~1callbackUrl}~1closed/put/requestBody"
    write_tree(tmp_path / "out", render_package(result.api))
    sys.path.insert(0, str(tmp_path / "out"))
    try:
        pkg = importlib.import_module("wh_callbacks")
        client = pkg.Client(webhook_secret=SECRET)
        closed = b'{"kind": "closed", "reason": "bye"}'
        event = client.webhooks.unwrap(closed, sign(closed))
        assert event.reason == "bye" and event.kind == "closed"
        data = b'{"kind": "data", "value": 7}'
        assert type(client.webhooks.unwrap(data, sign(data))).__name__ == "DataEvent"
    finally:
        sys.path.remove(str(tmp_path / "out"))
    page = (tmp_path / "out" / "docs" / "webhooks.md").read_text(encoding="utf-8")
    assert "callback to `{$request.body#/callbackUrl}/closed`" in page and 'event.kind == "data"' in page


def test_a_spec_without_webhooks_has_no_webhooks_attribute(tmp_path: Path) -> None:
    spec_path = REPO.parent / "shared" / "corpus" / "petstore30" / "openapi.yaml"
    result = build_api(Spec(spec_path), "wh_none", spec_path.name)
    assert result.api is not None and result.api.webhooks == () and result.api.webhook_event == ""
    files = render_package(result.api)
    assert "docs/webhooks.md" not in files and "webhook_secret" not in files["wh_none/_client.py"]
