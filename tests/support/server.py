"""A real HTTP/1.1 server on 127.0.0.1 for client tests.

One `MockServer` can do two things at once:

- **mock a spec**: each request is matched (method + path template, under the base path of the
  spec's first server) to an operation and answered with the lowest declared 2xx response, its
  body taken from the spec's examples or synthesised from the schema.  A request header
  ``x-test-status: 404`` or `respond_next(status=404)` picks another declared response.
- **play a script**: `route()` installs a handler (or a fixed `Response`) for a path template,
  `enqueue()` queues one-shot responses (retries, drops, delays, streams).

Precedence: queued one-shots, then routes (latest first), then the spec, then `fallback`, then a
404 whose JSON body says no route matched.  Every request is recorded (`requests`).  Delays and
pauses end early when the server stops, idle keep-alive connections are closed at stop, and at
most `max_requests` requests are answered, so nothing outlives the test.
"""

from __future__ import annotations

import json
import socket
import socketserver
import threading
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs

import httpx

from support.examples import ResponseFactory, Sampler, encode_body, sse_event
from support.messages import Chunk, HeadersLike, Pause, RecordedRequest, Response, split
from support.openapi import OperationMatch, PathTemplate, Resolver, Router, SpecSource, load_document
from support.openapi import base_path as spec_base_path

TEST_STATUS_HEADER = "x-test-status"

Handler = Callable[[RecordedRequest], Response]
Reply = Handler | Response


class _FromSpec:
    def __repr__(self) -> str:
        return "FROM_SPEC"


FROM_SPEC: Any = _FromSpec()
"""`respond_next(body=...)` default: the body the spec declares for the status."""


@dataclass(frozen=True)
class _Planned:
    method: str | None
    template: PathTemplate | None
    build: Callable[[RecordedRequest, OperationMatch | None], Response]

    def matches(self, method: str, relative_path: str | None) -> bool:
        if self.method is not None and self.method != method:
            return False
        if self.template is None:
            return True
        return relative_path is not None and self.template.match(relative_path) is not None


class _Stopped(Exception):
    """The server is stopping (or the script dropped the connection): abandon this response."""


class MockServer:
    """See the module docstring.  Use as a context manager or call `start()`/`stop()`."""

    def __init__(
        self,
        spec: SpecSource | None = None,
        *,
        base_path: str | None = None,
        fallback: Handler | None = None,
        max_requests: int = 1000,
        include_optional: bool = True,
        idle_timeout: float = 30.0,
    ) -> None:
        self.document = load_document(spec) if spec is not None else None
        chosen = base_path if base_path is not None else (spec_base_path(self.document) if self.document else "")
        self.base_path = "/" + chosen.strip("/") if chosen.strip("/") else ""
        self.fallback = fallback
        self.max_requests = max_requests
        self.idle_timeout = idle_timeout
        self._router: Router | None = None
        self._factory: ResponseFactory | None = None
        if self.document is not None:
            resolver = Resolver(self.document)
            self._router = Router(self.document, resolver)
            self._factory = ResponseFactory(resolver, Sampler(resolver, include_optional=include_optional))
        self._lock = threading.Lock()
        self._requests: list[RecordedRequest] = []
        self._routes: list[tuple[str, PathTemplate, Reply]] = []
        self._planned: list[_Planned] = []
        self._errors: list[str] = []
        self._stopping = threading.Event()
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None

    # Life cycle -----------------------------------------------------------------------------

    def start(self) -> MockServer:
        if self._httpd is not None:
            raise RuntimeError("server already started")
        self._stopping.clear()
        self._httpd = _HTTPServer(self)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, name="mock-server", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        httpd, self._httpd = self._httpd, None
        if httpd is None:
            return
        self._stopping.set()
        httpd.shutdown()
        httpd.close_connections()
        httpd.join_handlers(timeout=5.0)
        httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5.0)

    def __enter__(self) -> MockServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
        if exc_type is None:
            self.check()

    def check(self) -> None:
        """Raise AssertionError if a handler raised or the request limit was passed."""
        if self._errors:
            raise AssertionError("the test server had errors:\n" + "\n".join(self._errors))

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("server not started")
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        """``http://127.0.0.1:<port>``, without the base path."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        """The URL clients use: `url` plus the spec server's base path (e.g. ``/api/v1``)."""
        return self.url + self.base_path

    # Scripting ------------------------------------------------------------------------------

    def route(self, method: str, path: str, handler: Reply) -> None:
        """Answer `method` (or ``"*"``) on `path` (a template under the base path) with `handler`.

        `handler` is a `Response` or a function of the `RecordedRequest` returning one; its
        `path_params` are decoded.  A later route for the same request wins.
        """
        with self._lock:
            self._routes.insert(0, (method.upper(), PathTemplate.compile(path), handler))

    def enqueue(self, *responses: Response, method: str | None = None, path: str | None = None) -> None:
        """Answer the next matching requests with `responses`, one each, in order."""
        template = PathTemplate.compile(path) if path is not None else None
        with self._lock:
            for response in responses:
                self._planned.append(_Planned(method.upper() if method else None, template, _constant(response)))

    def respond_next(
        self,
        status: int | None = None,
        *,
        headers: HeadersLike | None = None,
        body: Any = FROM_SPEC,
        delay: float = 0.0,
        method: str | None = None,
        path: str | None = None,
    ) -> None:
        """Answer the next matching request with `status`; the body defaults to the spec's.

        `body` may be bytes/str (sent as is) or any other JSON value.  `headers` are added to
        (and override) the spec's.
        """
        template = PathTemplate.compile(path) if path is not None else None

        def build(request: RecordedRequest, match: OperationMatch | None) -> Response:
            if body is FROM_SPEC:
                base = self._from_spec(request, match, status) if match else Response(status or 200)
            elif isinstance(body, (bytes, str)):
                base = Response(status or 200, body=body)
            else:
                base = Response.json(body, status or 200)
            extra = Response(headers=headers or ()).header_pairs
            names = {k.lower() for k, _ in extra}
            merged = tuple(p for p in base.header_pairs if p[0].lower() not in names) + extra
            return Response(base.status, merged, base.body, base.chunks, delay or base.delay)

        with self._lock:
            self._planned.append(_Planned(method.upper() if method else None, template, build))

    def clear(self) -> None:
        """Forget recorded requests and queued one-shot responses (routes stay)."""
        with self._lock:
            self._requests.clear()
            self._planned.clear()

    # Assertions -----------------------------------------------------------------------------

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._requests)

    @property
    def last_request(self) -> RecordedRequest:
        with self._lock:
            if not self._requests:
                raise AssertionError("the test server has received no request")
            return self._requests[-1]

    def wait_for_requests(self, count: int, timeout: float = 5.0) -> list[RecordedRequest]:
        """Block until at least `count` requests arrived (AssertionError after `timeout`)."""
        deadline = time.monotonic() + timeout
        while True:
            current = self.requests
            if len(current) >= count:
                return current
            if time.monotonic() >= deadline:
                raise AssertionError(f"expected {count} request(s) within {timeout}s, got {len(current)}")
            time.sleep(0.01)

    # Serving --------------------------------------------------------------------------------

    def _relative(self, path: str) -> str | None:
        if not self.base_path:
            return path
        if path == self.base_path or path.startswith(self.base_path + "/"):
            return path[len(self.base_path) :] or "/"
        return None

    def handle(self, method: str, target: str, headers: httpx.Headers, body: bytes, client_port: int = 0) -> Response:
        """Record one request and decide its response (called from the connection threads)."""
        path, _, query_string = target.partition("?")
        relative = self._relative(path)
        with self._lock:
            routes = list(self._routes)
        route: tuple[PathTemplate, Reply, dict[str, str]] | None = None
        if relative is not None:
            for route_method, template, reply in routes:
                if route_method in ("*", method):
                    params = template.match(relative)
                    if params is not None:
                        route = (template, reply, params)
                        break
        match = self._router.match(method, relative) if self._router and relative is not None else None
        request = RecordedRequest(
            method=method,
            target=target,
            path=path,
            query=parse_qs(query_string, keep_blank_values=True),
            headers=headers,
            body=body,
            received_at=time.monotonic(),
            path_params=route[2] if route else (match.path_params if match else {}),
            route=route[0].template if route else (match.template if match else None),
            operation_id=match.operation_id if match else None,
            client_port=client_port,
        )
        with self._lock:
            self._requests.append(request)
            if len(self._requests) > self.max_requests:
                self._errors.append(f"more than max_requests={self.max_requests} requests; dropping {method} {target}")
                return Response.drop()
            planned = next((p for p in self._planned if p.matches(method, relative)), None)
            if planned is not None:
                self._planned.remove(planned)
        try:
            if planned is not None:
                return planned.build(request, match)
            if route is not None:
                reply = route[1]
                return reply if isinstance(reply, Response) else reply(request)
            if match is not None:
                return self._from_spec(request, match, None)
            if self.fallback is not None:
                return self.fallback(request)
        except _BadRequest as e:
            return Response.json({"error": "bad test request", "message": str(e)}, 400)
        except Exception:
            with self._lock:
                self._errors.append(f"{method} {target}:\n{traceback.format_exc()}")
            return Response.text(traceback.format_exc(), 500)
        return Response.json(
            {"error": "no route", "message": f"no route matches {method} {path}", "method": method, "path": path},
            404,
        )

    def _from_spec(self, request: RecordedRequest, match: OperationMatch | None, status: int | None) -> Response:
        assert self._factory is not None and match is not None
        forced = request.headers.get(TEST_STATUS_HEADER)
        if status is None and forced is not None:
            try:
                status = int(forced)
            except ValueError:
                raise _BadRequest(f"{TEST_STATUS_HEADER} must be an integer, got {forced!r}") from None
        mock = self._factory.build(
            match.operation,
            status,
            accept=request.headers.get("accept", ""),
            wants_stream=_wants_stream(request),
        )
        if mock.media_type is None:
            return Response(mock.status, mock.headers)
        body = encode_body(mock.media_type, mock.value, mock.sse_sentinel)
        return Response(mock.status, (*mock.headers, ("Content-Type", mock.media_type)), body)


class _BadRequest(Exception):
    pass


def _constant(response: Response) -> Callable[[RecordedRequest, OperationMatch | None], Response]:
    return lambda _request, _match: response


def _wants_stream(request: RecordedRequest) -> bool:
    if "json" not in request.headers.get("content-type", ""):
        return False
    try:
        payload = json.loads(request.body)
    except ValueError:
        return False
    return isinstance(payload, dict) and payload.get("stream") is True


# ------------------------------------------------------------------------------ the HTTP side


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, owner: MockServer) -> None:
        self.owner = owner
        self._connections: set[socket.socket] = set()
        self._handler_threads: list[threading.Thread] = []
        self._conn_lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), _RequestHandler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind would resolve the host name (getfqdn): slow and pointless here.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = "127.0.0.1", int(self.server_address[1])

    def process_request(self, request: Any, client_address: Any) -> None:
        thread = threading.Thread(
            target=self.process_request_thread, args=(request, client_address), name="mock-server-conn", daemon=True
        )
        with self._conn_lock:
            self._connections.add(request)
            self._handler_threads = [t for t in self._handler_threads if t.is_alive()] + [thread]
        thread.start()

    def shutdown_request(self, request: Any) -> None:
        with self._conn_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        with self._conn_lock:
            connections = list(self._connections)
        for connection in connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def join_handlers(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        with self._conn_lock:
            threads = list(self._handler_threads)
        for thread in threads:
            thread.join(max(0.0, deadline - time.monotonic()))


class _RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server: _HTTPServer

    def setup(self) -> None:
        super().setup()
        self.connection.settimeout(self.server.owner.idle_timeout)

    def log_message(self, format: str, *args: Any) -> None:
        """Silent: tests read `MockServer.requests`, not stderr."""

    def _dispatch(self) -> None:
        owner = self.server.owner
        try:
            body = self._read_body()
        except (ValueError, OSError):
            self.close_connection = True
            return
        headers = httpx.Headers(list(self.headers.items()))
        response = owner.handle(self.command, self.path, headers, body, int(self.client_address[1]))
        try:
            self._send(response)
        except (_Stopped, OSError):
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = do_TRACE = _dispatch

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            data = bytearray()
            while True:
                size = int(self.rfile.readline(65537).split(b";", 1)[0].strip(), 16)
                if size == 0:
                    while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                        pass
                    return bytes(data)
                data += self.rfile.read(size)
                self.rfile.readline(65537)
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _wait(self, seconds: float) -> None:
        if seconds > 0 and self.server.owner._stopping.wait(seconds):
            raise _Stopped

    def _send(self, response: Response) -> None:
        self._wait(response.delay)
        if response.disconnect:
            raise _Stopped
        status = response.status
        self.send_response(status)
        pairs = response.header_pairs
        names = {k.lower() for k, _ in pairs}
        for key, value in pairs:
            self.send_header(key, value)
        bodyless = status in (204, 304) or 100 <= status < 200
        chunked = response.chunks is not None and "content-length" not in names and not bodyless
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
        elif response.chunks is None and "content-length" not in names and not bodyless:
            self.send_header("Content-Length", str(len(response.body_bytes)))
        self.end_headers()
        if bodyless or self.command == "HEAD":
            return
        budget = response.drop_after
        pieces: Iterable[Chunk] = response.chunks if response.chunks is not None else (response.body_bytes,)
        for piece in pieces:
            if isinstance(piece, Pause):
                self._wait(piece.seconds)
                continue
            if not piece:
                continue
            cut = budget is not None and len(piece) >= budget
            data = piece[:budget] if cut else piece
            self.wfile.write((f"{len(piece):x}\r\n".encode() + data) if chunked else data)
            if cut:
                raise _Stopped
            if chunked:
                self.wfile.write(b"\r\n")
            self.wfile.flush()
            if budget is not None:
                budget -= len(piece)
        if chunked:
            self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()


__all__ = [
    "FROM_SPEC",
    "TEST_STATUS_HEADER",
    "Handler",
    "MockServer",
    "Pause",
    "RecordedRequest",
    "Reply",
    "Response",
    "split",
    "sse_event",
]
