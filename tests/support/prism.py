"""Stoplight Prism 5 in mock mode, behind a recording proxy that reports spec violations.

Prism validates each request against the spec.  How Prism 5 reports a problem (seen with
5.16.0, see tests/test_support_prism.py):

- an invalid request on an operation that declares a 422, 400 or default response gets that
  response, with a ``sl-violations`` header: a JSON list of ``{location, severity, code,
  message}``; ``location`` starts with ``"request"`` (e.g. ``["request", "query", "limit"]``).
  Missing or wrong credentials work the same way through a declared 401;
- otherwise Prism answers an ``application/problem+json`` body whose ``type`` is
  ``https://stoplight.io/prism/errors#<KIND>``: ``UNPROCESSABLE_ENTITY`` (422, the request's
  violations in ``validation``, locations without the ``"request"`` prefix), ``UNAUTHORIZED``
  (401), ``NO_PATH_MATCHED_ERROR`` (404), ``NO_METHOD_MATCHED_ERROR`` (405), ...;
- with ``--errors``, a mock response that does not match the spec itself (a bad example, say)
  becomes a 500 of kind ``VIOLATIONS``; those violations have ``"response"`` locations.  They are
  the spec's fault, not the client's, and are kept apart (`Exchange.response_violations`).

Prism serves the paths at its root, ignoring the servers' base path; the proxy in front of it
serves under the spec's base path (like `MockServer`), strips it, forwards the request
unchanged otherwise, and records each request with Prism's answer.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

import httpx

from support.messages import RecordedRequest, Response
from support.openapi import base_path as spec_base_path
from support.openapi import load_document
from support.server import MockServer

REPO_ROOT = Path(__file__).resolve().parents[2]
PRISM_DIR = REPO_ROOT / "tests" / "prism"
PRISM_BIN = PRISM_DIR / "node_modules" / ".bin" / "prism"
INSTALL_COMMAND = "npm ci --prefix tests/prism"
PROBLEM_PREFIX = "https://stoplight.io/prism/errors#"

_HOP_BY_HOP = frozenset(
    {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "host", "content-length"}
    | {"proxy-authorization", "proxy-authenticate", "proxy-connection"}
)
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


class PrismError(RuntimeError):
    """Prism is not installed or could not start; the message says what to do."""


@dataclass(frozen=True)
class Violation:
    location: tuple[str, ...]
    code: str
    message: str
    severity: str = "Error"

    def __str__(self) -> str:
        return f"{'.'.join(self.location)}: {self.message} [{self.code}]"


@dataclass(frozen=True)
class Exchange:
    """One request through the proxy and Prism's answer.

    `violations` are the request's problems (the client's fault): request validation, security,
    no such path or method.  `response_violations` are problems of Prism's mock response.
    """

    request: RecordedRequest
    status: int
    headers: httpx.Headers
    body: bytes
    violations: tuple[Violation, ...]
    response_violations: tuple[Violation, ...]

    @property
    def problem_type(self) -> str | None:
        """The Prism error kind (``UNPROCESSABLE_ENTITY``...) when Prism made the response up."""
        problem = _problem(self.headers, self.body)
        kind = problem.get("type") if problem else None
        return kind[len(PROBLEM_PREFIX) :] if isinstance(kind, str) and kind.startswith(PROBLEM_PREFIX) else None

    def describe(self) -> str:
        lines = [f"{self.request.method} {self.request.target} -> {self.status}"]
        lines += [f"    {v}" for v in self.violations]
        return "\n".join(lines)


def _problem(headers: httpx.Headers, body: bytes) -> dict[str, Any] | None:
    if "problem+json" not in headers.get("content-type", ""):
        return None
    try:
        data = json.loads(body)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def _violation(entry: Any, prefix: str | None = None) -> Violation:
    if not isinstance(entry, dict):
        return Violation((prefix or "request",), "unknown", str(entry))
    location = tuple(str(p) for p in entry.get("location") or ())
    if prefix is not None and location[:1] != (prefix,):
        location = (prefix, *location)
    return Violation(
        location, str(entry.get("code", "")), str(entry.get("message", "")), str(entry.get("severity", ""))
    )


def classify(status: int, headers: httpx.Headers, body: bytes) -> tuple[list[Violation], list[Violation]]:
    """Prism's answer -> (request violations, response violations); see the module docstring."""
    found: list[Violation] = []
    header = headers.get("sl-violations")
    if header:
        try:
            entries = json.loads(header)
        except ValueError:
            entries = [{"location": ["request"], "code": "sl-violations", "message": header}]
        found += [_violation(e) for e in entries]
    problem = _problem(headers, body)
    kind = str(problem.get("type", "")) if problem else ""
    if problem is not None and kind.startswith(PROBLEM_PREFIX):
        name = kind[len(PROBLEM_PREFIX) :]
        entries = problem.get("validation") or []
        if name == "VIOLATIONS":
            if not header:
                found += [_violation(e) for e in entries]
        elif entries:
            found += [_violation(e, "request") for e in entries]
        else:
            side = "request" if 400 <= status < 500 else "response"
            message = f"{problem.get('title', '')}: {problem.get('detail', '')}".strip(": ")
            found.append(Violation((side,), name, message))
    requests = [v for v in found if v.location[:1] != ("response",)]
    responses = [v for v in found if v.location[:1] == ("response",)]
    return requests, responses


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PrismServer:
    """Prism mock for one spec file plus its recording proxy.

    ``base_url`` is the proxy's URL with the spec's base path.  `exchanges` holds every request
    since the last `clear()`; `assert_no_violations()` fails listing each invalid request.
    """

    def __init__(
        self,
        spec: str | Path,
        *,
        errors: bool = True,
        startup_timeout: float = 60.0,
        request_timeout: float = 30.0,
    ) -> None:
        self.spec = Path(spec).resolve()
        self.errors = errors
        self.startup_timeout = startup_timeout
        self._request_timeout = request_timeout
        self._process: subprocess.Popen[bytes] | None = None
        self._log_path: Path | None = None
        self._client: httpx.Client | None = None
        self._proxy: MockServer | None = None
        self._exchanges: list[Exchange] = []
        self._lock = threading.Lock()
        self.prism_url = ""

    # Life cycle -----------------------------------------------------------------------------

    def start(self) -> PrismServer:
        if not PRISM_BIN.exists():
            raise PrismError(
                f"Prism is not installed ({PRISM_BIN} is missing): run `{INSTALL_COMMAND}` in the repository root"
            )
        if shutil.which("node") is None:
            raise PrismError(f"Prism needs Node.js: `node` is not on PATH (then run `{INSTALL_COMMAND}`)")
        if not self.spec.is_file():
            raise PrismError(f"no such spec file: {self.spec}")
        base = spec_base_path(load_document(self.spec))
        try:
            for attempt in range(3):
                try:
                    self._launch()
                    break
                except PrismError as e:
                    if "EADDRINUSE" not in str(e) or attempt == 2:
                        raise
                    self.stop()  # the port was taken between choosing and binding it: again
            self._client = httpx.Client(base_url=self.prism_url, timeout=self._request_timeout, trust_env=False)
            self._proxy = MockServer(base_path=base, fallback=self._forward, max_requests=100_000).start()
        except BaseException:
            self.stop()
            raise
        return self

    def _launch(self) -> None:
        port = free_port()
        fd, log_name = tempfile.mkstemp(prefix="prism-", suffix=".log")
        self._log_path = Path(log_name)
        command = [str(PRISM_BIN), "mock", str(self.spec), "--host", "127.0.0.1", "--port", str(port)]
        if self.errors:
            command.append("--errors")
        env = {**os.environ, "NO_COLOR": "1", "FORCE_COLOR": "0"}
        with os.fdopen(fd, "wb") as log:
            self._process = subprocess.Popen(
                command, cwd=PRISM_DIR, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, env=env
            )
        self.prism_url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + self.startup_timeout
        while True:
            code = self._process.poll()
            if code is not None:
                raise PrismError(f"Prism exited with code {code} while starting:\n{self.output}")
            if "Prism is listening" in self.output and _accepts(port):
                return
            if time.monotonic() > deadline:
                raise PrismError(f"Prism did not start within {self.startup_timeout:.0f}s:\n{self.output}")
            time.sleep(0.05)

    def _terminate(self) -> None:
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)

    def stop(self) -> None:
        if self._proxy is not None:
            self._proxy.stop()
            self._proxy = None
        if self._client is not None:
            self._client.close()
            self._client = None
        self._terminate()
        if self._log_path is not None:
            self._log_path.unlink(missing_ok=True)
            self._log_path = None

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None and self._proxy is not None

    def __enter__(self) -> PrismServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def output(self) -> str:
        """What Prism has printed so far (colours removed)."""
        if self._log_path is None or not self._log_path.exists():
            return ""
        return _ANSI.sub("", self._log_path.read_text("utf-8", "replace"))

    @property
    def base_url(self) -> str:
        if self._proxy is None:
            raise RuntimeError("Prism is not running")
        return self._proxy.base_url

    # Results --------------------------------------------------------------------------------

    @property
    def exchanges(self) -> list[Exchange]:
        with self._lock:
            return list(self._exchanges)

    @property
    def last_exchange(self) -> Exchange:
        with self._lock:
            if not self._exchanges:
                raise AssertionError("Prism has received no request")
            return self._exchanges[-1]

    def violations(self) -> list[tuple[Exchange, Violation]]:
        """Every request violation since the last `clear()`, with its exchange."""
        return [(e, v) for e in self.exchanges for v in e.violations]

    def assert_no_violations(self, *, include_response: bool = False) -> None:
        """AssertionError listing each request Prism found invalid (and, if asked, each bad response)."""
        exchanges = self.exchanges
        if not exchanges:
            raise AssertionError("Prism has received no request: nothing was validated")
        bad = [e for e in exchanges if e.violations or (include_response and e.response_violations)]
        if bad:
            report = "\n".join(_describe(e, include_response) for e in bad)
            raise AssertionError(f"Prism found {len(bad)} invalid request(s) for {self.spec.name}:\n{report}")

    def clear(self) -> None:
        with self._lock:
            self._exchanges.clear()
        if self._proxy is not None:
            self._proxy.clear()

    # The proxy ------------------------------------------------------------------------------

    def _forward(self, request: RecordedRequest) -> Response:
        assert self._client is not None and self._proxy is not None
        base = self._proxy.base_path
        target = request.target
        if base and (target == base or target.startswith((base + "/", base + "?"))):
            target = target[len(base) :] or "/"
            target = target if target.startswith("/") else "/" + target
        headers = [(k, v) for k, v in request.headers.multi_items() if k.lower() not in _HOP_BY_HOP]
        outgoing = self._client.build_request(request.method, target, headers=headers, content=request.body)
        answer = self._client.send(outgoing, stream=True)
        try:
            body = b"".join(answer.iter_raw())
        finally:
            answer.close()
        kept = httpx.Headers([(k, v) for k, v in answer.headers.multi_items() if k.lower() not in _HOP_BY_HOP])
        request_violations, response_violations = classify(answer.status_code, answer.headers, body)
        with self._lock:
            self._exchanges.append(
                Exchange(
                    request,
                    answer.status_code,
                    answer.headers,
                    body,
                    tuple(request_violations),
                    tuple(response_violations),
                )
            )
        return Response(answer.status_code, kept.multi_items(), body)


def _describe(exchange: Exchange, include_response: bool) -> str:
    text = exchange.describe()
    if include_response:
        text += "".join(f"\n    {v}" for v in exchange.response_violations)
    return text


def _accepts(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


class PrismPool:
    """Started Prism servers, one per (spec, errors), reused across tests and cleared for each."""

    def __init__(self) -> None:
        self._servers: dict[tuple[Path, bool], PrismServer] = {}

    def get(self, spec: str | Path, *, errors: bool = True) -> PrismServer:
        key = (Path(spec).resolve(), errors)
        server = self._servers.get(key)
        if server is None or not server.running:
            if server is not None:
                server.stop()
            server = PrismServer(key[0], errors=errors)
            try:
                server.start()
            except BaseException:
                server.stop()
                raise
            self._servers[key] = server
        server.clear()
        return server

    def close(self) -> None:
        servers: Iterable[PrismServer] = list(self._servers.values())
        self._servers.clear()
        for server in servers:
            server.stop()
