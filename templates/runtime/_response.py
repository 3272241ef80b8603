"""Decoding responses: success bodies, status errors, and raw-response access.

``APIResponse[T]`` is what ``with_raw_response`` methods return: status, headers
and the httpx response, plus ``parse()`` for the value the plain method returns.
Generated resources expose it with one line per method::

    class WorkspacesWithRawResponse:
        def __init__(self, workspaces: Workspaces) -> None:
            self.list = to_raw_response_wrapper(workspaces.list)

``to_raw_response_wrapper`` keeps the wrapped method's parameters for type
checkers (``ParamSpec``) and changes only its return type.
"""

from __future__ import annotations

import functools
from contextvars import ContextVar
from typing import (
    TYPE_CHECKING,
    Any,
    Awaitable,
    Callable,
    Generic,
    Literal,
    Mapping,
    ParamSpec,
    TypeVar,
    Union,
    cast,
)

from .errors import (
    REQUEST_ID_HEADERS,
    APIResponseValidationError,
    APIStatusError,
    status_error_class,
)

if TYPE_CHECKING:
    import httpx

    from ._logging import Redactor

__all__ = [
    "APIResponse",
    "to_raw_response_wrapper",
    "async_to_raw_response_wrapper",
    "ResponseKind",
    "ErrorDecoders",
]

T = TypeVar("T")
P = ParamSpec("P")

ResponseKind = Literal["json", "bytes", "text", "any", "any_text"]
"""How a 2xx body decodes: JSON through ``cast``; raw bytes; text; or, for a wildcard media
type (``*/*``, ``application/*``: "any"; ``text/*``: "any_text"), by what the server sent:
a JSON body through ``cast``, anything else as bytes ("any") or text ("any_text")."""
ErrorDecoders = Mapping[Union[int, str], Callable[[Any], Any]]

_raw_response: ContextVar[bool] = ContextVar("raw_response", default=False)


class APIResponse(Generic[T]):
    """A response as received, with ``parse()`` giving the decoded value."""

    http_response: httpx.Response
    retries_taken: int

    def __init__(
        self, *, response: httpx.Response, parse: Callable[[], T], retries_taken: int
    ) -> None:
        self.http_response = response
        self.retries_taken = retries_taken
        self._parse = parse
        self._parsed: list[T] = []

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        return self.http_response.headers

    @property
    def request_id(self) -> str | None:
        for name in REQUEST_ID_HEADERS:
            if name in self.headers:
                return self.headers[name]
        return None

    @property
    def content(self) -> bytes:
        """The body; for streams, only after it was read."""
        return self.http_response.content

    @property
    def text(self) -> str:
        return self.http_response.text

    def json(self) -> Any:
        return self.http_response.json()

    def parse(self) -> T:
        """The value the method returns without ``with_raw_response`` (cached)."""
        if not self._parsed:
            self._parsed.append(self._parse())
        return self._parsed[0]

    def __repr__(self) -> str:
        response = self.http_response
        return f"<APIResponse [{response.status_code} {response.reason_phrase}]>"


def to_raw_response_wrapper(func: Callable[P, T]) -> Callable[P, APIResponse[T]]:
    """Make a generated method return ``APIResponse[T]`` instead of ``T``."""

    @functools.wraps(func)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> APIResponse[T]:
        token = _raw_response.set(True)
        try:
            return cast("APIResponse[T]", func(*args, **kwargs))
        finally:
            _raw_response.reset(token)

    return wrapped


def async_to_raw_response_wrapper(
    func: Callable[P, Awaitable[T]],
) -> Callable[P, Awaitable[APIResponse[T]]]:
    """``to_raw_response_wrapper`` for ``async def`` methods."""

    @functools.wraps(func)
    async def wrapped(*args: P.args, **kwargs: P.kwargs) -> APIResponse[T]:
        token = _raw_response.set(True)
        try:
            return cast("APIResponse[T]", await func(*args, **kwargs))
        finally:
            _raw_response.reset(token)

    return wrapped


def take_raw_flag() -> bool:
    """Whether this call was made through ``with_raw_response`` (once per call)."""
    if not _raw_response.get():
        return False
    _raw_response.set(False)
    return True


def _is_json(response: httpx.Response) -> bool:
    # The raw header, as ``headers.get("content-type", "")`` would join it, but
    # without working out the encoding of every header of the response first.
    value = b", ".join(
        [v for k, v in response.headers.raw if k.lower() == b"content-type"]
    )
    mime = value.split(b";")[0].strip().lower()
    return mime in (b"", b"application/json") or mime.endswith(b"+json")


def _sent_json(response: httpx.Response) -> bool:
    """Whether the server said its body is JSON (and sent one)."""
    value = response.headers.get("content-type", "")
    mime = value.split(";")[0].strip().lower()
    return bool(response.content) and (
        mime == "application/json" or mime.endswith("+json")
    )


def decode_success(
    response: httpx.Response,
    kind: ResponseKind,
    decode: Callable[[Any], Any] | None,
) -> Any:
    """The value of a 2xx response; ``APIResponseValidationError`` if it is not
    what the operation declares."""
    if kind == "any" or kind == "any_text":
        if not _sent_json(response):
            return response.content if kind == "any" else response.text
    elif kind == "bytes":
        return response.content if decode is None else decode(response.content)
    if kind == "text":
        return response.text if decode is None else decode(response.text)
    if decode is None:
        return None
    import json

    if not _is_json(response):
        raise APIResponseValidationError(
            "expected a JSON response, got content type "
            f"{response.headers.get('content-type')!r}",
            response=response,
            body=response.text,
        )
    try:
        payload = json.loads(response.content)
    except ValueError as exc:
        raise APIResponseValidationError(
            f"the response body is not valid JSON: {exc}",
            response=response,
            body=response.text,
        ) from exc
    try:
        return decode(payload)
    except Exception as exc:
        raise APIResponseValidationError(
            f"the response body does not match the declared schema: {exc!r}",
            response=response,
            body=response.text,
        ) from exc


def _error_decoder(
    errors: ErrorDecoders, status_code: int
) -> Callable[[Any], Any] | None:
    keys: list[int | str] = [
        status_code,
        str(status_code),
        f"{status_code // 100}XX",
        f"{status_code // 100}xx",
        "default",
    ]
    for key in keys:
        if key in errors:
            return errors[key]
    return None


def _error_text(payload: Any) -> str | None:
    """The server's own message in the common error shapes: ``{"error": {"message": ...}}``,
    ``{"message": ...}``, ``{"detail": ...}`` (FastAPI's list of ``{"msg": ...}`` too),
    ``{"title": ...}`` (RFC 9457), ``{"error": "..."}``, or a plain text body."""
    if isinstance(payload, str):
        return payload.strip() or None
    if isinstance(payload, list):
        texts = [t for t in (_error_text(item) for item in payload) if t]
        return "; ".join(texts) if texts else None
    if not isinstance(payload, dict):
        return None
    error = payload.get("error")
    if isinstance(error, (dict, list)):
        found = _error_text(error)
        if found:
            return found
    for key in ("message", "detail", "msg", "title", "error", "error_description"):
        value = payload.get(key)
        if isinstance(value, str) and value:
            return value
        if isinstance(value, (dict, list)):
            found = _error_text(value)
            if found:
                return found
    return None


def make_status_error(
    response: httpx.Response, errors: ErrorDecoders, redactor: Redactor
) -> APIStatusError:
    """The exception for a non-2xx (read) response, its body decoded by the
    operation's declared schema for that status when possible."""
    import json

    payload: Any = None
    is_json = False
    if response.content:
        try:
            payload, is_json = json.loads(response.content), True
        except ValueError:
            payload = response.text
    body = payload
    decoder = _error_decoder(errors, response.status_code)
    if decoder is not None and is_json:
        try:
            body = decoder(payload)
        except Exception:
            body = payload
    detail = _error_text(payload)
    status = f"{response.status_code} {response.reason_phrase}".strip()
    own = redactor.text(detail[:2000]) if detail else None
    message = f"{status}: {own[:500]}" if own else status
    error_class = status_error_class(response.status_code)
    error = error_class(redactor.text(message), response=response, body=body)
    error.message = own or status
    return error
