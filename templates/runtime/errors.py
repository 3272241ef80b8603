"""Every exception the client raises.

```
APIError                          message, request
├── APIStatusError                a non-2xx response: status_code, headers, body,
│   │                             message, response, request_id
│   ├── BadRequestError           400
│   ├── AuthenticationError       401
│   ├── PermissionDeniedError     403
│   ├── NotFoundError             404
│   ├── ConflictError             409
│   ├── UnprocessableEntityError  422
│   ├── RateLimitError            429
│   └── InternalServerError       >= 500
├── APIConnectionError            the request did not get a (whole) response
│   ├── APITimeoutError           ... because a timeout was exceeded
│   └── APIResponseInterruptedError  ... the body broke off: status_code, response,
│                                 body (what arrived)
├── APIResponseValidationError    a 2xx response whose body does not decode:
│                                 status_code, response, body (the raw text)
├── APIStreamError                an error event inside a 2xx event stream: body, event
└── MissingCredentialsError       the operation needs credentials that were not set

ValueError
└── WebhookVerificationError      client.webhooks.unwrap / verify_signature: a payload
                                  whose signature is missing, wrong or stale
```

``APIStatusError.message`` is the server's own message, found in the common
error shapes (``error.message``, ``message``, ``detail``, ``title``; the status
line when the body has none); ``str(e)`` is ``"404 Not Found: <message>"``.
``APIStatusError.body`` is the response body decoded into the schema the
operation declares for that status (or ``4XX``/``5XX``/``default``); when none is
declared or the body does not fit it, the parsed JSON; when the body is not
JSON, its text. Other statuses (402, 418, 3xx, ...) raise ``APIStatusError``
itself. Catch ``APIError`` to handle everything a request raises;
``WebhookVerificationError`` comes only from checking a webhook your server
received (answer such a request with 400).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Mapping

if TYPE_CHECKING:
    import httpx

__all__ = [
    "APIError",
    "APIStatusError",
    "BadRequestError",
    "AuthenticationError",
    "PermissionDeniedError",
    "NotFoundError",
    "ConflictError",
    "UnprocessableEntityError",
    "RateLimitError",
    "InternalServerError",
    "APIConnectionError",
    "APIResponseInterruptedError",
    "APITimeoutError",
    "APIResponseValidationError",
    "APIStreamError",
    "MissingCredentialsError",
    "WebhookVerificationError",
    "STATUS_ERRORS",
    "status_error_class",
]

REQUEST_ID_HEADERS = ("x-request-id", "request-id", "x-amzn-requestid")


class APIError(Exception):
    """Base class of every error raised by the client."""

    message: str
    request: httpx.Request

    def __init__(self, message: str, *, request: httpx.Request) -> None:
        super().__init__(message)
        self.message = message
        self.request = request


class APIStatusError(APIError):
    """The server answered with a status code outside 2xx."""

    response: httpx.Response
    status_code: int
    body: Any
    request_id: str | None

    def __init__(self, message: str, *, response: httpx.Response, body: Any) -> None:
        super().__init__(message, request=response.request)
        self.response = response
        self.status_code = response.status_code
        self.body = body
        self.request_id = next(
            (response.headers[h] for h in REQUEST_ID_HEADERS if h in response.headers),
            None,
        )

    @property
    def headers(self) -> httpx.Headers:
        return self.response.headers


class BadRequestError(APIStatusError):
    """400 Bad Request."""


class AuthenticationError(APIStatusError):
    """401 Unauthorized."""


class PermissionDeniedError(APIStatusError):
    """403 Forbidden."""


class NotFoundError(APIStatusError):
    """404 Not Found."""


class ConflictError(APIStatusError):
    """409 Conflict."""


class UnprocessableEntityError(APIStatusError):
    """422 Unprocessable Entity."""


class RateLimitError(APIStatusError):
    """429 Too Many Requests."""


class InternalServerError(APIStatusError):
    """Any status of 500 or above."""


class APIConnectionError(APIError):
    """The request failed before a response arrived (DNS, refused, reset, ...)."""

    def __init__(
        self, message: str = "Connection error.", *, request: httpx.Request
    ) -> None:
        super().__init__(message, request=request)


class APITimeoutError(APIConnectionError):
    """A connect, read, write or pool timeout was exceeded."""

    def __init__(
        self, message: str = "Request timed out.", *, request: httpx.Request
    ) -> None:
        super().__init__(message, request=request)


class _ResponseText:
    """What a 2xx that went wrong carries: the response (status, headers) and its text."""

    response: httpx.Response
    status_code: int
    body: str

    def _keep(self, response: httpx.Response, body: str) -> None:
        self.response = response
        self.status_code = response.status_code
        self.body = body


class APIResponseInterruptedError(_ResponseText, APIConnectionError):
    """The connection broke while the response body was arriving: ``status_code`` and
    ``response`` (headers) are the server's, ``body`` is the text that arrived before the break
    (for an event stream, its last 64 KiB)."""

    def __init__(self, message: str, *, response: httpx.Response, body: str) -> None:
        super().__init__(message, request=response.request)
        self._keep(response, body)


class APIResponseValidationError(_ResponseText, APIError):
    """A 2xx response whose body is not what the operation declares."""

    def __init__(self, message: str, *, response: httpx.Response, body: str) -> None:
        super().__init__(message, request=response.request)
        self._keep(response, body)


class APIStreamError(APIError):
    """The server sent an error inside an event stream."""

    body: Any
    event: str | None

    def __init__(
        self, message: str, *, request: httpx.Request, body: Any, event: str | None
    ) -> None:
        super().__init__(message, request=request)
        self.body = body
        self.event = event


class MissingCredentialsError(APIError):
    """No credentials were set that satisfy the operation's security."""


class WebhookVerificationError(ValueError):
    """A webhook payload's signature headers are missing, malformed, do not match the
    payload and secret, or carry a timestamp outside the tolerance (a replay)."""


STATUS_ERRORS: Mapping[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}
"""The one mapping from status code to exception class (plus >= 500)."""


def status_error_class(status_code: int) -> type[APIStatusError]:
    """The exception class raised for a non-2xx ``status_code``."""
    if status_code in STATUS_ERRORS:
        return STATUS_ERRORS[status_code]
    if status_code >= 500:
        return InternalServerError
    return APIStatusError
