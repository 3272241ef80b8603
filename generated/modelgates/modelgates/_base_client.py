"""The HTTP core that generated ``Client`` and ``AsyncClient`` classes build on.

Everything here is copied verbatim into each generated package. The generated
code talks to it through the contract below; nothing else is public to it.

Contract
========

``Endpoint[T]`` (frozen) describes one operation; ``T`` is what ``request()``
returns::

    Endpoint[T](
        method,                   # "GET", "POST", ...
        path,                     # "/workspaces/{id}", placeholders as in the spec
        cast=None,                # Callable[[Any], T]: decodes the 2xx body (JSON
                                  # value, or bytes/str for those kinds; for
                                  # stream(): each event's data); None: returns None
        errors={},                # {404: NotFound.from_dict, "4XX": ..., "default": ...}
        security=None,            # None: the client's default_security;
                                  # []: send no credentials; else alternatives
                                  # [{"scheme": ["scope", ...]}, ...]
        response_kind="json",     # "json" | "bytes" | "text"
        content_type=None,        # request media type when not JSON:
                                  # "multipart/form-data",
                                  # "application/x-www-form-urlencoded", or the
                                  # type of a raw content= body
        accept=None,              # Accept header; default from kind/method
        idempotency_header=None,  # e.g. "Idempotency-Key": one key per call,
                                  # reused by its retries
        pagination=None,          # OffsetPagination(...), CursorPagination(...),
                                  # PageNumberPagination(...), NextLinkPagination(...)
        server=None,              # the operation's own server (path item or
                                  # operation ``servers``): (url template,
                                  # ((variable, default, (allowed, ...)), ...))
    )

``SyncAPIClient`` / ``AsyncAPIClient`` (subclassed by the generated clients)::

    __init__(*, base_url, package_name, package_version,
             credentials: Mapping[str, Credential] | None = None,
             default_security: Sequence[Mapping[str, Sequence[str]]] = (),
             timeout: Timeout | NotGiven = NOT_GIVEN,        # 60 s
             max_retries: int | NotGiven = NOT_GIVEN,        # 2
             default_headers: Headers | None = None,
             default_query: Query | None = None,
             http_client: httpx.Client | None = None,        # AsyncClient for async
             retry_policy: RetryPolicy | None = None,        # DEFAULT_RETRY_POLICY
             given_base_url: str | httpx.URL | None = None,  # the user's own base_url
             server_variables: Mapping[str, str | None] | None = None)
                                  # values the user gave for server variables
                                  # (``Endpoint.server``s use them; see _servers)

    request(endpoint: Endpoint[T], *, path_params=None, query=None, headers=None,
            cookies=None, json=NOT_GIVEN, data=None, files=None, content=None,
            options: RequestOptions | None = None) -> T         # async: awaitable
    stream(endpoint: Endpoint[T], <same keywords>) -> Stream[T]  # AsyncStream[T]
    download(endpoint: Endpoint[Any], <same keywords>) -> BinaryStream
                                                              # AsyncBinaryStream
    with_options(*, base_url=, timeout=, max_retries=, default_headers=,
                 default_query=, credentials=, http_client=) -> Self
    close() / aclose(), context managers; properties base_url, timeout, max_retries

Arguments of ``request()``: mapping values that are ``NOT_GIVEN`` are left out
(``None`` too, except in ``json``, where it is ``null``); path values are
percent-encoded including ``/``; query lists repeat the key; booleans are
``true``/``false``. ``json`` is the JSON body (models with ``to_dict()`` are
converted); ``data`` are form fields (urlencoded, or multipart with ``files`` or
``content_type="multipart/form-data"``); ``files`` maps field names to uploads
(bytes, a path, a binary file, or ``(filename, content[, content_type])``);
``content`` is a raw body. ``options`` holds the per-call ``extra_headers``,
``extra_query``, ``extra_body`` (merged into the JSON body or form),
``timeout``, ``max_retries`` and ``idempotency_key``.

``SyncAPIResource`` / ``AsyncAPIResource`` hold ``self._client``.

Where generated code imports from (all relative, e.g. ``from ._types import ...``).
Importing the package and constructing a client must not import httpx: write
``import httpx`` under ``if TYPE_CHECKING:`` (annotations only, with ``from
__future__ import annotations``); ``_retry`` (dataclasses), ``_pagination`` and
``_streaming`` are best imported by modules that load on first use.

- ``_base_client``: ``Endpoint``, ``SyncAPIClient``, ``AsyncAPIClient``,
  ``SyncAPIResource``, ``AsyncAPIResource``, ``DEFAULT_MAX_RETRIES``,
  ``DEFAULT_TIMEOUT`` (an ``httpx.Timeout``: importing it imports httpx; the
  plain number is ``DEFAULT_TIMEOUT_SECONDS``)
- ``_types``: ``NOT_GIVEN``, ``NotGiven``, ``Timeout``, ``Headers``, ``Query``,
  ``Body``, ``FileTypes``, ``Files``, ``RequestOptions``
- ``_auth``: ``Credential``, ``HTTPBearer``, ``HTTPBasic``, ``APIKey``,
  ``OAuth2ClientCredentials``
- ``_response``: ``APIResponse``, ``to_raw_response_wrapper``,
  ``async_to_raw_response_wrapper`` (the ``with_raw_response`` twins), and
  ``ErrorDecoders`` (annotate an ``errors`` mapping shared by several endpoints
  with it: a bare ``{404: ..., "4XX": ...}`` literal infers ``dict[object, ...]``)
- ``_pagination``: ``SyncPage``, ``AsyncPage``, ``page_decoder``,
  ``OffsetPagination``, ``PageNumberPagination``, ``CursorPagination``,
  ``NextLinkPagination`` (see that module for the page classes to generate)
- ``_streaming``: ``Stream``, ``AsyncStream``, ``BinaryStream``, ``AsyncBinaryStream``
- ``_retry``: ``RetryPolicy``, ``DEFAULT_RETRY_POLICY``
- ``_servers``: ``choose`` (the client's base URL from the spec's servers)
- ``errors``: every exception (see its docstring)

Behaviour worth knowing: retries follow ``_retry`` (connection errors, 408,
409, 429, >= 500; ``Retry-After``); a non-2xx raises the ``errors`` class for
its status with ``body`` decoded by ``Endpoint.errors``; redirects are not
followed (credentials stay with the API's origin), so a 3xx raises
``APIStatusError``; a 2xx that does not decode raises
``APIResponseValidationError``; logs go to ``logging.getLogger(package_name)``
with secrets redacted.

Nothing of httpx is touched before the first request: the ``httpx.Client``
(``AsyncClient``) is made on first use and shared with ``with_options()`` copies;
a client closed before its first request raises ``RuntimeError`` when used, as
a closed httpx client does.

Example of generated code
-------------------------

``_client.py``::

    class Client(SyncAPIClient):
        def __init__(self, *, api_key: str | None = None,
                     base_url: str | None = None,
                     timeout: Timeout | NotGiven = NOT_GIVEN,
                     max_retries: int = DEFAULT_MAX_RETRIES,
                     default_headers: Headers | None = None,
                     default_query: Query | None = None,
                     http_client: httpx.Client | None = None) -> None:
            if api_key is None:
                api_key = os.environ.get("ACME_API_KEY")
            super().__init__(
                base_url=base_url or "https://api.acme.example/v1",
                package_name="acme", package_version=__version__,
                credentials={"bearer": HTTPBearer(
                    api_key, hint="pass api_key= or set ACME_API_KEY")},
                default_security=[{"bearer": []}],
                timeout=timeout, max_retries=max_retries,
                default_headers=default_headers, default_query=default_query,
                http_client=http_client,
            )

        @cached_property
        def workspaces(self) -> Workspaces:
            return Workspaces(self)

``resources/workspaces.py``::

    _DELETE = Endpoint[DeleteWorkspaceResponse](
        "DELETE", "/workspaces/{id}",
        cast=DeleteWorkspaceResponse.from_dict,
        errors={404: NotFoundResponse.from_dict,
                "default": ErrorResponse.from_dict},
    )

    class Workspaces(SyncAPIResource):
        @cached_property
        def with_raw_response(self) -> WorkspacesWithRawResponse:
            return WorkspacesWithRawResponse(self)

        def delete(self, id: str, *,
                   extra_headers: Headers | None = None,
                   extra_query: Query | None = None,
                   extra_body: Body | None = None,
                   timeout: Timeout | NotGiven = NOT_GIVEN,
                   max_retries: int | NotGiven = NOT_GIVEN,
                   ) -> DeleteWorkspaceResponse:
            return self._client.request(
                _DELETE,
                path_params={"id": id},
                options=RequestOptions(extra_headers=extra_headers,
                                       extra_query=extra_query,
                                       extra_body=extra_body,
                                       timeout=timeout, max_retries=max_retries),
            )

    class WorkspacesWithRawResponse:
        def __init__(self, workspaces: Workspaces) -> None:
            self.delete = to_raw_response_wrapper(workspaces.delete)

A paginated operation decodes into its page class, a streaming one calls
``stream()`` (its ``cast`` decodes each event), a download calls ``download()``::

    _LIST = Endpoint[ListWorkspacesPage](
        "GET", "/workspaces", cast=page_decoder(ListWorkspacesPage),
        pagination=OffsetPagination(items="data", total="total_count"),
    )   # async twin: Endpoint[AsyncListWorkspacesPage](...)
    def list(self, *, offset: int | NotGiven = NOT_GIVEN, ...) -> ListWorkspacesPage:
        return self._client.request(_LIST, query={"offset": offset}, options=...)

    _CHAT = Endpoint[ChatChunk]("POST", "/chat/completions", cast=ChatChunk.from_dict)
    def stream(self, *, model: str, ...) -> Stream[ChatChunk]:  # AsyncStream[...]
        return self._client.stream(_CHAT, json={"model": model, "stream": True}, ...)

    _CONTENT = Endpoint[Any]("GET", "/files/{id}/content")
    def content(self, id: str, ...) -> BinaryStream:            # AsyncBinaryStream
        return self._client.download(_CONTENT, path_params={"id": id}, ...)

The async twin subclasses ``AsyncAPIClient``/``AsyncAPIResource``, writes
``async def`` and ``return await self._client.request(...)``, and uses
``async_to_raw_response_wrapper``. Resources must be ``cached_property`` (or
plain properties) of the client: ``with_options`` drops cached resources from
its copy so that they are rebuilt around the copy.

How a call runs
---------------

One generator, ``_BaseClient._flow``, holds the whole request loop: build the
request, add credentials (yielding a token fetch when OAuth2 needs one), send,
decide on retries, and raise status errors. It yields ``_Send`` and ``_Sleep``
steps; ``SyncAPIClient._drive`` and ``AsyncAPIClient._drive`` perform them with
blocking or awaited I/O. Those live in ``_async_client`` and the
``_sync_client`` derived from it; this module hands them out (see ``_lazy``).
"""

from __future__ import annotations

import functools
from _thread import allocate_lock
from typing import (
    TYPE_CHECKING,
    Any,
    Callable,
    Generator,
    Generic,
    Literal,
    Mapping,
    Optional,
    Sequence,
    TypeVar,
    Union,
    cast,
)

from ._auth import (
    Credential,
    RequestParts,
    SecurityRequirement,
    TokenRequest,
    select_credentials,
)
from ._encoding import (
    Pairs,
    encode_cookies,
    encode_form,
    encode_headers,
    encode_json,
    encode_query,
    format_path,
    param_str,
    query_string,
    strip_not_given,
)
from ._files import Uploads
from ._lazy import hand_out
from ._response import (
    APIResponse,
    ErrorDecoders,
    ResponseKind,
    decode_success,
    make_status_error,
)
from ._types import (
    NOT_GIVEN,
    Files,
    Headers,
    NotGiven,
    Query,
    RequestOptions,
    Timeout,
)
from .errors import (
    APIConnectionError,
    APIResponseInterruptedError,
    APIError,
    APIResponseValidationError,
    APITimeoutError,
    MissingCredentialsError,
)

if TYPE_CHECKING:
    import logging

    import httpx

    from ._logging import Redactor
    from ._pagination import PageRequest, Pagination
    from ._retry import RetryPolicy
    from ._servers import ServerRef

    # handed out by __getattr__ at run time (they import this module)
    from ._async_client import AsyncAPIClient, AsyncAPIResource
    from ._sync_client import SyncAPIClient, SyncAPIResource

# Import cost: ``import <package>`` and constructing a client import neither
# httpx nor asyncio, logging, dataclasses, json, uuid, datetime or copy: each is
# imported (``import x`` inside the function, a dictionary look-up once loaded)
# where a request, or an httpx object asked for (``timeout``, ``DEFAULT_TIMEOUT``,
# ``_http``), needs it; the connection pool is made on first use. ``_logging``,
# ``_pagination``, ``_retry`` and ``_streaming`` are imported by the calls that
# need them (and by generated resource modules, which load on first use).

__all__ = [
    "Endpoint",
    "SyncAPIClient",
    "AsyncAPIClient",
    "SyncAPIResource",
    "AsyncAPIResource",
    "DEFAULT_TIMEOUT",
    "DEFAULT_MAX_RETRIES",
]

T = TypeVar("T")
_H = TypeVar("_H")  # httpx.Client or httpx.AsyncClient

DEFAULT_TIMEOUT_SECONDS = 60.0
DEFAULT_MAX_RETRIES = 2
_DEBUG = 10  # logging.DEBUG, without importing logging for the check

if TYPE_CHECKING:
    DEFAULT_TIMEOUT: httpx.Timeout
    """``httpx.Timeout(60.0)``: made (importing httpx) when first asked for."""


_CLIENT_MODULES = {
    "SyncAPIClient": "._sync_client",
    "SyncAPIResource": "._sync_client",
    "AsyncAPIClient": "._async_client",
    "AsyncAPIResource": "._async_client",
}


def __getattr__(name: str) -> Any:
    if name == "DEFAULT_TIMEOUT":
        import httpx

        value = globals().setdefault(
            "DEFAULT_TIMEOUT", httpx.Timeout(DEFAULT_TIMEOUT_SECONDS)
        )
        return value
    return hand_out(globals(), _CLIENT_MODULES, name)


class Endpoint(Generic[T]):
    """One operation, as the generated code declares it (see module docstring).

    Immutable. A plain class rather than a frozen dataclass: importing
    ``dataclasses`` would cost more than the rest of the import of a client.
    """

    __slots__ = (
        "method",
        "path",
        "cast",
        "errors",
        "security",
        "response_kind",
        "content_type",
        "accept",
        "idempotency_header",
        "pagination",
        "server",
    )

    method: str
    path: str
    cast: Callable[[Any], T] | None
    errors: ErrorDecoders
    security: Sequence[SecurityRequirement] | None
    response_kind: ResponseKind
    content_type: str | None
    accept: str | None
    idempotency_header: str | None
    pagination: Pagination | None
    server: ServerRef | None

    def __init__(
        self,
        method: str,
        path: str,
        cast: Callable[[Any], T] | None = None,
        errors: ErrorDecoders | None = None,
        security: Sequence[SecurityRequirement] | None = None,
        response_kind: ResponseKind = "json",
        content_type: str | None = None,
        accept: str | None = None,
        idempotency_header: str | None = None,
        pagination: Pagination | None = None,
        server: ServerRef | None = None,
    ) -> None:
        init = object.__setattr__
        init(self, "method", method)
        init(self, "path", path)
        init(self, "cast", cast)
        init(self, "errors", {} if errors is None else errors)
        init(self, "security", security)
        init(self, "response_kind", response_kind)
        init(self, "content_type", content_type)
        init(self, "accept", accept)
        init(self, "idempotency_header", idempotency_header)
        init(self, "pagination", pagination)
        init(self, "server", server)

    def _fields(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"Endpoint is immutable: cannot set {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"Endpoint is immutable: cannot delete {name!r}")

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._fields() == cast("Endpoint[Any]", other)._fields()

    def __hash__(self) -> int:
        return hash(self._fields())

    def __repr__(self) -> str:
        fields = ", ".join(
            f"{name}={value!r}" for name, value in zip(self.__slots__, self._fields())
        )
        return f"Endpoint({fields})"


_Mode = Literal["parse", "stream", "download"]


class _Call:
    """Everything about one call that does not change between its attempts."""

    __slots__ = (
        "endpoint",
        "mode",
        "url",
        "params",
        "headers",
        "cookies",
        "json_body",
        "form",
        "uploads",
        "content",
        "timeout",
        "max_retries",
        "idempotency_key",
    )

    def __init__(
        self,
        *,
        endpoint: Endpoint[Any],
        mode: _Mode,
        url: str,
        params: tuple[tuple[str, str], ...],
        headers: Mapping[str, tuple[str, str | None]],
        cookies: Mapping[str, str],
        json_body: Any,
        form: tuple[tuple[str, str], ...] | None,
        uploads: Uploads | None,
        content: bytes | str | None,
        timeout: httpx.Timeout,
        max_retries: int,
        idempotency_key: str | None,
    ) -> None:
        self.endpoint = endpoint
        self.mode = mode
        self.url = url
        self.params = params
        self.headers = headers
        self.cookies = cookies
        self.json_body = json_body
        self.form = form
        self.uploads = uploads
        self.content = content
        self.timeout = timeout
        self.max_retries = max_retries
        self.idempotency_key = idempotency_key

    def _replace(self, *, url: str, params: tuple[tuple[str, str], ...]) -> _Call:
        import copy

        following = copy.copy(self)
        following.url = url
        following.params = params
        return following

    def next_page(self, request: PageRequest) -> _Call:
        if request.url is not None:
            import httpx

            current = httpx.URL(self.url)
            url = current.join(request.url)
            if (url.scheme, url.host, url.port) != (
                current.scheme,
                current.host,
                current.port,
            ):
                raise APIError(
                    "the next page link points to another origin; not following it",
                    request=httpx.Request("GET", url),
                )
            return self._replace(
                url=str(url.copy_with(query=None)),
                params=tuple(url.params.multi_items()),
            )
        kept = [(k, v) for k, v in self.params if k not in request.params]
        params = tuple(kept + list(request.params.items()))
        return self._replace(url=self.url, params=params)

    def close(self) -> None:
        if self.uploads is not None:
            self.uploads.close()


class _Send:
    __slots__ = ("request", "stream")

    def __init__(self, request: httpx.Request, stream: bool) -> None:
        self.request = request
        self.stream = stream


class _Sleep:
    __slots__ = ("seconds",)

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds


if TYPE_CHECKING:
    _Step = Union[_Send, _Sleep]
    _Flow = Generator[_Step, Optional[httpx.Response], T]


_PARTIAL = (
    "_codegen_partial"  # set on a transport error raised while a body was arriving
)


def _transport_error(exc: httpx.RequestError, request: httpx.Request) -> APIError:
    import httpx

    partial = getattr(exc, _PARTIAL, None)
    if partial is not None:
        response, received = partial
        return APIResponseInterruptedError(
            f"Connection broke while the response body was arriving: {type(exc).__name__}",
            response=response,
            body=received.decode("utf-8", "replace"),
        )
    if isinstance(exc, httpx.TimeoutException):
        return APITimeoutError(request=request)
    return APIConnectionError(
        f"Connection error: {type(exc).__name__}", request=request
    )


class _Pool(Generic[_H]):
    """The httpx client shared by a client and its ``with_options()`` copies.

    Made on first use (so that constructing a client does not import httpx),
    unless one was passed in as ``http_client``.
    """

    __slots__ = ("client", "closed", "_lock")

    def __init__(self, client: _H | None) -> None:
        self.client = client
        self.closed = False
        self._lock = allocate_lock()

    def get(self, make: Callable[[], _H]) -> _H:
        client = self.client
        if client is None:
            with self._lock:
                if self.client is None:
                    if self.closed:
                        raise RuntimeError(
                            "Cannot send a request, as the client has been closed."
                        )
                    self.client = make()
                client = self.client
        return client

    def close(self) -> _H | None:
        """Mark the pool closed; the client to close, if one was made."""
        with self._lock:
            self.closed = True
            return self.client


class _APIResource:
    """Base of ``SyncAPIResource`` and ``AsyncAPIResource``: the resource groups a
    client caches, which ``with_options`` leaves out of its copy."""


@functools.cache
def _default_retry_policy() -> RetryPolicy:
    from ._retry import DEFAULT_RETRY_POLICY

    return DEFAULT_RETRY_POLICY


class _BaseClient:
    """State and logic shared by the sync and async clients (no I/O here)."""

    _pool: _Pool[Any]
    _owns_http: bool

    def __init__(
        self,
        *,
        base_url: str | httpx.URL,
        package_name: str,
        package_version: str,
        credentials: Mapping[str, Credential] | None = None,
        default_security: Sequence[SecurityRequirement] = (),
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        default_headers: Headers | None = None,
        default_query: Query | None = None,
        retry_policy: RetryPolicy | None = None,
        given_base_url: str | httpx.URL | None = None,
        server_variables: Mapping[str, str | None] | None = None,
    ) -> None:
        self._base_url = str(base_url).rstrip("/")
        self._given_base_url = None if given_base_url is None else str(given_base_url)
        self._server_variables = dict(server_variables or {})
        self._server_bases: dict[ServerRef, str] = {}
        self._package_name = package_name
        self._package_version = package_version
        self._user_agent = f"{package_name}/{package_version}"
        self._logger_cache: logging.Logger | None = None
        self._credentials: dict[str, Credential] = dict(credentials or {})
        self._default_security = list(default_security)
        self._timeout: Timeout = _timeout(timeout, DEFAULT_TIMEOUT_SECONDS)
        self._httpx_timeout: httpx.Timeout | None = None  # made on first use
        self._token_base: httpx.URL | None = None  # made on first use
        self._max_retries = _max_retries(max_retries, DEFAULT_MAX_RETRIES)
        self._default_headers = dict(default_headers or {})
        self._default_query = dict(default_query or {})
        self._retry_policy = retry_policy
        self._protect_logs()

    # -- public configuration ---------------------------------------------

    @property
    def base_url(self) -> str:
        return self._base_url

    @property
    def timeout(self) -> httpx.Timeout:
        return self._call_timeout(NOT_GIVEN)

    @property
    def max_retries(self) -> int:
        return self._max_retries

    @property
    def user_agent(self) -> str:
        return self._user_agent

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self._base_url!r})"

    @property
    def _http(self) -> httpx.Client | httpx.AsyncClient:
        raise NotImplementedError

    @property
    def _logger(self) -> logging.Logger:
        logger = self._logger_cache
        if logger is None:
            import logging

            logger = self._logger_cache = logging.getLogger(self._package_name)
        return logger

    def _copy(
        self,
        *,
        base_url: str | httpx.URL | NotGiven,
        timeout: Timeout | NotGiven,
        max_retries: int | NotGiven,
        default_headers: Headers | None,
        default_query: Query | None,
        credentials: Mapping[str, Credential] | None,
    ) -> Any:
        import copy

        new = copy.copy(self)
        for name, value in list(vars(new).items()):
            if isinstance(value, _APIResource):
                del vars(new)[name]
        if not isinstance(base_url, NotGiven):
            new._base_url = str(base_url).rstrip("/")
            new._given_base_url = str(base_url)
        new._server_bases = {}
        new._timeout = _timeout(timeout, self._timeout)
        new._httpx_timeout = None
        new._token_base = None
        new._max_retries = _max_retries(max_retries, self._max_retries)
        new._default_headers = {**self._default_headers, **(default_headers or {})}
        new._default_query = {**self._default_query, **(default_query or {})}
        new._credentials = {**self._credentials, **(credentials or {})}
        new._owns_http = False
        new._protect_logs()
        return new

    # -- preparing a call ---------------------------------------------------

    def _prepare(
        self,
        endpoint: Endpoint[Any],
        mode: _Mode,
        *,
        path_params: Mapping[str, object] | None,
        query: Query | None,
        headers: Headers | None,
        cookies: Mapping[str, object] | None,
        json: object,
        data: Mapping[str, object] | None,
        files: Files | None,
        content: bytes | str | None,
        options: RequestOptions | None,
    ) -> _Call:
        if options is None:
            options = {}
        base = (
            self._base_url if endpoint.server is None else self._server_base(endpoint)
        )
        url = base + format_path(endpoint.path, path_params or {})
        extra_query = options.get("extra_query")
        params: list[tuple[str, str]] = []
        if query or extra_query or self._default_query:
            params = encode_query(self._default_query, query, extra_query)
        accept = _accept(endpoint, mode)
        extra_headers = options.get("extra_headers")
        if headers or extra_headers or self._default_headers:
            merged_headers = encode_headers(
                {"User-Agent": self._user_agent, "Accept": accept},
                self._default_headers,
                headers,
                extra_headers,
            )
        else:  # what encode_headers makes of the first mapping alone
            merged_headers = {
                "user-agent": ("User-Agent", self._user_agent),
                "accept": ("Accept", accept),
            }
        cookie_values: dict[str, str] = {}
        if cookies:
            for name, value in cookies.items():
                if type(value) is Pairs:  # serialized by cookie_param
                    cookie_values.update(value)
                elif value is not None and not isinstance(value, NotGiven):
                    cookie_values[name] = param_str(value)
        extra_body = options.get("extra_body")
        json_body: Any = NOT_GIVEN
        form: tuple[tuple[str, str], ...] | None = None
        multipart = files is not None or (endpoint.content_type or "").startswith(
            "multipart/"
        )
        if not isinstance(json, NotGiven):
            to_dict = getattr(json, "to_dict", None)
            json_body = strip_not_given(to_dict() if callable(to_dict) else json)
            if extra_body:
                if not isinstance(json_body, dict):
                    raise TypeError("extra_body needs a JSON object body")
                json_body = {**json_body, **extra_body}
        elif data is not None or multipart:
            form = tuple(encode_form({**(data or {}), **(extra_body or {})}))
        elif extra_body and content is None:
            json_body = strip_not_given(dict(extra_body))
        idempotency_key: str | None = None
        if endpoint.idempotency_header:
            given = options.get("idempotency_key", NOT_GIVEN)
            supplied = merged_headers.get(endpoint.idempotency_header.lower())
            if not isinstance(given, NotGiven):
                idempotency_key = given
            elif supplied is None or supplied[1] is None:
                import uuid

                idempotency_key = str(uuid.uuid4())
        return _Call(
            endpoint=endpoint,
            mode=mode,
            url=url,
            params=tuple(params),
            headers=merged_headers,
            cookies=cookie_values,
            json_body=json_body,
            form=form,
            uploads=Uploads(files) if multipart else None,
            content=content,
            timeout=self._call_timeout(options.get("timeout", NOT_GIVEN)),
            max_retries=_max_retries(
                options.get("max_retries", NOT_GIVEN), self._max_retries
            ),
            idempotency_key=idempotency_key,
        )

    def _call_timeout(self, value: Timeout | NotGiven) -> httpx.Timeout:
        if not isinstance(value, NotGiven):
            return _as_timeout(value)
        if self._httpx_timeout is None:
            self._httpx_timeout = _as_timeout(self._timeout)
        return self._httpx_timeout

    def _server_base(self, endpoint: Endpoint[Any]) -> str:
        """The base URL of an operation that has a server of its own (see ``_servers``)."""
        ref = cast("ServerRef", endpoint.server)
        base = self._server_bases.get(ref)
        if base is None:
            from ._servers import endpoint_base

            base = self._server_bases[ref] = endpoint_base(
                ref, self._base_url, self._given_base_url, self._server_variables
            )
        return base

    def _token_base_url(self) -> httpx.URL:
        """The base URL that relative token URLs are joined to (parsed once)."""
        base = self._token_base
        if base is None:
            import httpx

            base = self._token_base = httpx.URL(self._base_url + "/")
        return base

    def _build_request(self, call: _Call, parts: RequestParts) -> httpx.Request:
        import httpx

        # Lower-case name -> (name, value), as httpx.Headers holds them (UTF-8):
        # the credentials' headers, then the call's, which replace them (None
        # removes one).
        headers = {name.lower(): (name, value) for name, value in parts.headers.raw}
        for key, (name, value) in call.headers.items():
            if value is None:
                headers.pop(key.encode(), None)
            else:
                headers[key.encode()] = (name.encode(), value.encode())
        idempotency_header = call.endpoint.idempotency_header
        if call.idempotency_key is not None and idempotency_header:
            headers[idempotency_header.lower().encode()] = (
                idempotency_header.encode(),
                call.idempotency_key.encode(),
            )
        if parts.cookies:
            cookie = encode_cookies(parts.cookies).encode()
            existing = headers.get(b"cookie")
            headers[b"cookie"] = (
                b"Cookie",
                existing[1] + b"; " + cookie if existing else cookie,
            )
        body: dict[str, Any] = {}
        if not isinstance(call.json_body, NotGiven):
            body["content"] = encode_json(call.json_body)
            headers.setdefault(b"content-type", (b"Content-Type", b"application/json"))
        elif call.uploads is not None:
            fields = call.uploads.fields
            form = list(call.form or ())
            if fields:
                body["files"] = fields
                body["data"] = _form_dict(form)
            else:  # multipart without files: send the fields as parts
                body["files"] = [(k, (None, v.encode(), None)) for k, v in form]
        elif call.form is not None:
            body["data"] = _form_dict(list(call.form))
        elif call.content is not None:
            body["content"] = call.content
            if call.endpoint.content_type:
                content_type = call.endpoint.content_type.encode()
                headers.setdefault(b"content-type", (b"Content-Type", content_type))
        http = self._http
        extensions = {"timeout": call.timeout.as_dict()}
        # When the pool would add only its headers and cookies (httpx's own
        # build_request, no query of the pool's or in our base URL, an absolute
        # URL), the request is made here, as build_request would make it.
        if (
            "?" not in call.url
            and not http.params
            and type(http).build_request is httpx.Client.build_request
        ):
            if parts.params:
                url = httpx.URL(call.url + "?" + query_string(parts.params))
            else:
                url = httpx.URL(call.url)
            if not url.is_relative_url:
                # Each part done once: the URL parsed with its query; the pool's
                # headers with ours replacing those of the same names (as
                # Headers.update does), without a search of the list per header.
                merged = [h for h in http.headers.raw if h[0].lower() not in headers]
                merged += headers.values()
                return httpx.Request(
                    call.endpoint.method,
                    url,
                    headers=merged,
                    cookies=http.cookies,
                    extensions=extensions,
                    **body,
                )
        # Otherwise httpx merges in the pool's query, base URL and the rest.
        # (httpx encodes the query itself here, form-urlencoded: the values
        # stay the same, a style's delimiters may come out percent-encoded)
        return http.build_request(
            call.endpoint.method,
            call.url,
            params=httpx.QueryParams(tuple(parts.params)),
            headers=list(headers.values()),
            extensions=extensions,
            **body,
        )

    # -- the request loop -------------------------------------------------

    def _flow(self, call: _Call) -> _Flow[tuple[httpx.Response, int]]:
        """Send ``call`` with retries; return the 2xx response and retry count."""
        import httpx

        retries_taken = 0
        reauthenticated = False
        policy = self._retry_policy
        if policy is None:
            policy = _default_retry_policy()
        debug = self._logger.isEnabledFor(_DEBUG)
        while True:
            parts = RequestParts(httpx.Headers(), list(call.params), dict(call.cookies))
            chosen = self._choose_credentials(call, parts)
            for credential, scopes in chosen:
                # (the base class never asks for a token: no call needed)
                if type(credential).token_request is not Credential.token_request:
                    token = credential.token_request(scopes, self._token_base_url())
                    if token is not None:
                        yield from self._fetch_token(call, credential, scopes, token)
                credential.apply(parts, scopes)
            request = self._build_request(call, parts)
            if debug:
                self._log_request(request, retries_taken)
            try:
                response = yield _Send(request, stream=call.mode != "parse")
            except httpx.RequestError as exc:
                if retries_taken < call.max_retries and policy.should_retry_error(exc):
                    delay = policy.delay(retries_taken)
                    self._log_retry(
                        request, type(exc).__name__, delay, retries_taken, call
                    )
                    yield _Sleep(delay)
                    retries_taken += 1
                    continue
                raise _transport_error(exc, request) from exc
            assert response is not None
            if debug:
                self._log_response(request, response)
            if response.is_success:
                return response, retries_taken
            if response.status_code == 401 and not reauthenticated:
                forgotten = [credential.forget_token() for credential, _ in chosen]
                if any(forgotten):
                    reauthenticated = True
                    continue
            if retries_taken < call.max_retries and policy.should_retry_response(
                response
            ):
                delay = policy.delay(retries_taken, response)
                reason = f"{response.status_code} {response.reason_phrase}"
                self._log_retry(request, reason, delay, retries_taken, call)
                yield _Sleep(delay)
                retries_taken += 1
                continue
            raise make_status_error(response, call.endpoint.errors, self._redactor())

    def _choose_credentials(
        self, call: _Call, parts: RequestParts
    ) -> list[tuple[Credential, Sequence[str]]]:
        security = call.endpoint.security
        if security is None:
            security = self._default_security
        chosen = select_credentials(security, self._credentials)
        if chosen is None:
            raise MissingCredentialsError(
                _missing_message(security, self._credentials),
                request=self._build_request(call, parts),
            )
        return chosen

    def _fetch_token(
        self,
        call: _Call,
        credential: Credential,
        scopes: Sequence[str],
        token: TokenRequest,
    ) -> _Flow[None]:
        """Send a credential's token request and hand it the response."""
        import httpx

        request = self._http.build_request(
            "POST",
            token.url,
            data=dict(token.data),
            headers=dict(token.headers),
            timeout=call.timeout,
        )
        debug = self._logger.isEnabledFor(_DEBUG)
        if debug:
            self._log_request(request, 0)
        try:
            response = yield _Send(request, stream=False)
        except httpx.RequestError as exc:
            raise _transport_error(exc, request) from exc
        assert response is not None
        if debug:
            self._log_response(request, response)
        if not response.is_success:
            raise make_status_error(response, {}, self._redactor())
        try:
            credential.accept_token(scopes, response)
        except ValueError as exc:
            raise APIResponseValidationError(
                str(exc), response=response, body=""
            ) from exc

    # -- after the response -----------------------------------------------

    def _finish(
        self,
        call: _Call,
        response: httpx.Response,
        retries_taken: int,
        raw: bool,
        fetch_page: Callable[[_Call, PageRequest], Any],
    ) -> Any:
        if raw:
            parse = functools.partial(self._parse, call, response, fetch_page)
            return APIResponse(
                response=response, parse=parse, retries_taken=retries_taken
            )
        return self._parse(call, response, fetch_page)

    def _parse(
        self,
        call: _Call,
        response: httpx.Response,
        fetch_page: Callable[[_Call, PageRequest], Any],
    ) -> Any:
        endpoint = call.endpoint
        if call.mode == "stream":
            return self._make_stream(response, endpoint.cast)
        if call.mode == "download":
            return self._make_binary(response)
        result = decode_success(response, endpoint.response_kind, endpoint.cast)
        if endpoint.pagination is not None:
            from ._pagination import _BasePage, _PageState

            if isinstance(result, _BasePage):
                fetch = functools.partial(fetch_page, call)
                result._page_bind(
                    _PageState(endpoint.pagination, response.request.url, fetch)
                )
        return result

    def _make_stream(
        self, response: httpx.Response, decode: Callable[[Any], Any] | None
    ) -> Any:
        raise NotImplementedError

    def _make_binary(self, response: httpx.Response) -> Any:
        raise NotImplementedError

    # -- logging ----------------------------------------------------------

    def _protect_logs(self) -> None:
        names: set[str] = set()
        for credential in self._credentials.values():
            if credential.is_set():  # an unset credential has no secret to leak
                names |= credential.sensitive_params()
        if names:
            from ._logging import protect_httpx_logger

            protect_httpx_logger(names)

    def _redactor(self) -> Redactor:
        from ._logging import ALWAYS_SENSITIVE_HEADERS, Redactor

        headers = set(ALWAYS_SENSITIVE_HEADERS)
        params: set[str] = set()
        secrets: set[str] = set()
        for credential in self._credentials.values():
            headers |= credential.sensitive_headers()
            params |= credential.sensitive_params()
            secrets.update(credential.secrets())
        ordered = tuple(sorted(secrets, key=len, reverse=True))
        return Redactor(frozenset(headers), frozenset(params), ordered)

    # The two below are called only when the logger is enabled for DEBUG.

    def _log_request(self, request: httpx.Request, retries_taken: int) -> None:
        redactor = self._redactor()
        attempt = f" (retry {retries_taken})" if retries_taken else ""
        self._logger.debug(
            "Request: %s %s%s", request.method, redactor.url(request.url), attempt
        )
        self._logger.debug(
            "Request headers: %s", redactor.header_items(request.headers)
        )

    def _log_response(self, request: httpx.Request, response: httpx.Response) -> None:
        self._logger.debug(
            "Response: %s %s -> %d %s",
            request.method,
            self._redactor().url(request.url),
            response.status_code,
            response.reason_phrase,
        )

    def _log_retry(
        self,
        request: httpx.Request,
        reason: str,
        delay: float,
        retries_taken: int,
        call: _Call,
    ) -> None:
        self._logger.info(
            "Retrying %s %s in %.2f s after %s (retry %d of %d)",
            request.method,
            self._redactor().url(request.url),
            delay,
            reason,
            retries_taken + 1,
            call.max_retries,
        )


def _timeout(value: Timeout | NotGiven, default: Timeout) -> Timeout:
    return default if isinstance(value, NotGiven) else value


def _as_timeout(value: Timeout) -> httpx.Timeout:
    import httpx

    return value if isinstance(value, httpx.Timeout) else httpx.Timeout(value)


def _max_retries(value: int | NotGiven, default: int) -> int:
    if isinstance(value, NotGiven):
        return default
    if value < 0:
        raise ValueError("max_retries must not be negative")
    return value


def _accept(endpoint: Endpoint[Any], mode: _Mode) -> str:
    if endpoint.accept:
        return endpoint.accept
    if mode == "stream":
        return "text/event-stream"
    if mode == "download" or endpoint.response_kind != "json":
        return "*/*"
    return "application/json"


def _form_dict(pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for key, value in pairs:
        grouped.setdefault(key, []).append(value)
    return grouped


def _missing_message(
    security: Sequence[SecurityRequirement], credentials: Mapping[str, Credential]
) -> str:
    hints = []
    for requirement in security:
        for name in requirement:
            credential = credentials.get(name)
            hint = credential.hint if credential is not None else ""
            hints.append(f"{name} ({hint})" if hint else name)
    needed = ", ".join(dict.fromkeys(hints)) or "none"
    return f"this operation needs credentials that are not set: {needed}"
