"""Shared fixtures: the local test server, Prism, and the repository's paths."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest

from support.prism import PrismError, PrismPool, PrismServer
from support.server import MockServer

REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """``<repo>/../shared`` (the corpus of real specs lives in ``corpus/``)."""
    return REPO_ROOT.parent / "shared"


@pytest.fixture
def test_server() -> Iterator[Callable[..., MockServer]]:
    """Factory: ``test_server(spec=None, **options)`` starts a `MockServer`, stopped after the test."""
    with ExitStack() as stack:

        def start(spec: Any = None, **options: Any) -> MockServer:
            return stack.enter_context(MockServer(spec, **options))

        yield start


@pytest.fixture(scope="session")
def _prism_pool() -> Iterator[PrismPool]:
    pool = PrismPool()
    try:
        yield pool
    finally:
        pool.close()


@pytest.fixture
def prism(_prism_pool: PrismPool) -> Callable[..., PrismServer]:
    """Factory: ``prism(spec_path, errors=True)``: Prism mock for that spec, cleared for this test.

    One Prism per spec per test session (worker); failing to start fails the test, never skips.
    """

    def get(spec: str | Path, *, errors: bool = True) -> PrismServer:
        try:
            return _prism_pool.get(spec, errors=errors)
        except PrismError as e:
            pytest.fail(str(e), pytrace=False)

    return get
