"""The generated clients, sync and async, against real HTTP servers on 127.0.0.1.

Every operation of every target is called once per declared response: the success response
must decode into the declared model, each declared error must raise the mapped exception with
``e.body`` decoded into the declared error model.  Prism, serving the same spec with request
validation on, must accept every request the clients send.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from clients import Call, api_of, calls, error_class, import_generated, model_class
from generator.config import load_config

REPO = Path(__file__).resolve().parent.parent
CONFIG = load_config(REPO / "pyproject.toml")
TARGETS = sorted(CONFIG.targets)


def _target(name: str) -> tuple[Any, Path, Any]:
    t = CONFIG.targets[name]
    pkg = import_generated(t.out, t.package or name)
    return pkg, t.spec, api_of(t.spec, t.package or name)


def _cases() -> list[Any]:
    out = []
    for name in TARGETS:
        t = CONFIG.targets[name]
        for call in calls(t.spec, t.package or name):
            out.append(pytest.param(name, call, id=f"{name}:{call.id}"))
    return out


CASES = _cases()


def _check_success(pkg: Any, api: Any, call: Call, result: Any) -> None:
    cls = model_class(pkg, call.op.success.type, api)
    if cls is not None:
        assert isinstance(result, cls), f"{call.id} returned {type(result).__name__}, not {cls.__name__}"
        assert result.to_dict(), "decoded model re-encodes to a non-empty object"


def _check_error(pkg: Any, api: Any, call: Call, status: int, exc: BaseException) -> None:
    assert isinstance(exc, error_class(pkg, status)), f"{status} raised {type(exc).__name__}"
    assert isinstance(exc, pkg.errors.APIStatusError)
    assert exc.status_code == status
    assert exc.response.status_code == status
    declared = next(e for e in call.op.errors if e.status == str(status))
    cls = model_class(pkg, declared.type, api)
    if cls is not None:
        assert isinstance(exc.body, cls), f"{status} body is {type(exc.body).__name__}, not {cls.__name__}"


@pytest.mark.parametrize(("name", "call"), CASES)
def test_every_operation_and_error_sync(name: str, call: Call, test_server: Any) -> None:
    pkg, spec, api = _target(name)
    server = test_server(spec)
    client = pkg.Client(api_key="sk-test", base_url=server.base_url, max_retries=0)
    _check_success(pkg, api, call, call.method(client)(*call.args, **call.kwargs))
    assert server.last_request.headers["authorization"] == "Bearer sk-test"
    for err in call.op.errors:
        if not err.status.isdigit():
            continue
        with pytest.raises(pkg.errors.APIStatusError) as info:
            call.method(client)(*call.args, **call.kwargs, extra_headers={"x-test-status": err.status})
        _check_error(pkg, api, call, int(err.status), info.value)
    client.close()


@pytest.mark.parametrize(("name", "call"), CASES)
def test_every_operation_and_error_async(name: str, call: Call, test_server: Any) -> None:
    pkg, spec, api = _target(name)
    server = test_server(spec)

    async def main() -> None:
        async with pkg.AsyncClient(api_key="sk-test", base_url=server.base_url, max_retries=0) as client:
            _check_success(pkg, api, call, await call.method(client)(*call.args, **call.kwargs))
            for err in call.op.errors:
                if not err.status.isdigit():
                    continue
                with pytest.raises(pkg.errors.APIStatusError) as info:
                    await call.method(client)(*call.args, **call.kwargs, extra_headers={"x-test-status": err.status})
                _check_error(pkg, api, call, int(err.status), info.value)

    asyncio.run(main())


@pytest.mark.parametrize(("name", "call"), CASES)
def test_prism_accepts_every_request(name: str, call: Call, prism: Any) -> None:
    pkg, spec, _api = _target(name)
    mock = prism(spec)
    client = pkg.Client(api_key="sk-test", base_url=mock.base_url, max_retries=0)
    call.method(client)(*call.args, **call.kwargs)
    mock.assert_no_violations()
    client.close()
