"""Fixtures for the runtime tests: a stand-in generated package and a live server.

The package is built once per session, the way codegen builds one: every runtime
module (``templates/runtime/*.py`` and the sync modules derived from the async
ones) copied verbatim next to the hand-written "generated" modules of
``tests/runtime/fakeapi_src/``, under a name unique to the session.
"""

from __future__ import annotations

import asyncio
import atexit
import importlib
import shutil
import sys
import tempfile
import uuid
from collections.abc import Callable, Coroutine, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any, TypeVar

import pytest

from generator.emit.runtime import runtime_sources
from support.server import MockServer

HERE = Path(__file__).resolve().parent


def _runtime_as_shipped() -> Path:
    """A folder holding every runtime module as codegen copies it into a package."""
    folder = Path(tempfile.mkdtemp(prefix="codegen-runtime-"))
    atexit.register(shutil.rmtree, folder, True)
    for name, text in runtime_sources().items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


RUNTIME = _runtime_as_shipped()
SOURCES = HERE / "fakeapi_src"

API_KEY = "sk-test-4f9c2a-SECRET"

T = TypeVar("T")


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coroutine)


@pytest.fixture(scope="session")
def fakeapi_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("pkg")
    package = root / f"fakeapi_{uuid.uuid4().hex[:8]}"
    package.mkdir()
    for source in [*RUNTIME.glob("*.py"), *SOURCES.glob("*.py"), SOURCES / "py.typed"]:
        shutil.copy(source, package / source.name)
    return package


@pytest.fixture(scope="session")
def fakeapi(fakeapi_dir: Path) -> Iterator[ModuleType]:
    sys.path.insert(0, str(fakeapi_dir.parent))
    try:
        yield importlib.import_module(fakeapi_dir.name)
    finally:
        sys.path.remove(str(fakeapi_dir.parent))


@pytest.fixture
def mod(fakeapi: ModuleType) -> Callable[[str], ModuleType]:
    """``mod("errors")``: a submodule of the stand-in package."""
    return lambda name: importlib.import_module(f"{fakeapi.__name__}.{name}")


@pytest.fixture
def server(test_server: Callable[..., MockServer]) -> MockServer:
    return test_server()


@pytest.fixture
def client(fakeapi: ModuleType, server: MockServer) -> Iterator[Any]:
    with fakeapi.Client(api_key=API_KEY, base_url=server.url) as c:
        yield c


@pytest.fixture
def make_client(
    fakeapi: ModuleType, server: MockServer
) -> Iterator[Callable[..., Any]]:
    """``make_client(**kwargs)`` / ``make_client(async_=True, **kwargs)``.

    Sync clients are closed after the test; async ones must be used with
    ``async with`` inside the test's event loop.
    """
    made: list[Any] = []

    def make(async_: bool = False, **kwargs: Any) -> Any:
        kwargs.setdefault("base_url", server.url)
        kwargs.setdefault("api_key", API_KEY)
        c = (fakeapi.AsyncClient if async_ else fakeapi.Client)(**kwargs)
        made.append(c)
        return c

    yield make
    for c in made:
        if isinstance(c, fakeapi.Client):
            c.close()
