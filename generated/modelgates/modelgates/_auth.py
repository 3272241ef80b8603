"""Credentials for the spec's security schemes, and choosing them per operation.

The generated client builds one ``Credential`` per security scheme, keyed by the
scheme's name in ``components.securitySchemes``:

| scheme                                  | class                                     |
| --------------------------------------- | ----------------------------------------- |
| ``type: http, scheme: bearer``          | ``HTTPBearer(token)``                     |
| ``type: http, scheme: basic``           | ``HTTPBasic(username, password)``         |
| ``type: apiKey, in: header/query/cookie`` | ``APIKey(value, name=..., location=...)`` |
| ``type: oauth2`` (clientCredentials)    | ``OAuth2ClientCredentials(id, secret, token_url=...)`` |

An operation's ``security`` is a list of alternatives, each naming schemes that
are all required. The first alternative whose credentials are all set is used;
``security: []`` (or an empty alternative ``{}``) sends no credentials.

Secrets never appear in ``repr`` or ``str``: every class reports its secret
values and the header, query and cookie names that carry them, so that logs can
redact them.
"""

from __future__ import annotations

import abc
import time
from typing import TYPE_CHECKING, Callable, Literal, Mapping, Sequence

if TYPE_CHECKING:
    import httpx

__all__ = [
    "Credential",
    "HTTPBearer",
    "HTTPBasic",
    "APIKey",
    "OAuth2ClientCredentials",
    "RequestParts",
    "TokenRequest",
    "SecurityRequirement",
    "select_credentials",
]

SecurityRequirement = Mapping[str, Sequence[str]]
"""One alternative of an operation's ``security``: scheme name -> scopes."""


# Plain classes rather than dataclasses: importing ``dataclasses`` (and with it
# ``inspect``) would cost more than the rest of the import of a client.


class RequestParts:
    """The parts of a request that credentials may add to."""

    headers: httpx.Headers
    params: list[tuple[str, str]]
    cookies: dict[str, str]

    def __init__(
        self,
        headers: httpx.Headers,
        params: list[tuple[str, str]],
        cookies: dict[str, str],
    ) -> None:
        self.headers = headers
        self.params = params
        self.cookies = cookies

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, RequestParts):
            return NotImplemented
        return (self.headers, self.params, self.cookies) == (
            other.headers,
            other.params,
            other.cookies,
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return (
            f"RequestParts(headers={self.headers!r}, params={self.params!r}, "
            f"cookies={self.cookies!r})"
        )


class TokenRequest:
    """A form-encoded POST that fetches an access token (immutable)."""

    __slots__ = ("url", "data", "headers")

    url: httpx.URL
    data: Mapping[str, str]
    headers: Mapping[str, str]

    def __init__(
        self,
        url: httpx.URL,
        data: Mapping[str, str],
        headers: Mapping[str, str] | None = None,
    ) -> None:
        object.__setattr__(self, "url", url)
        object.__setattr__(self, "data", data)
        object.__setattr__(self, "headers", {} if headers is None else headers)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"TokenRequest is immutable: cannot set {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"TokenRequest is immutable: cannot delete {name!r}")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, TokenRequest):
            return NotImplemented
        return (self.url, self.data, self.headers) == (
            other.url,
            other.data,
            other.headers,
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return (
            f"TokenRequest(url={self.url!r}, data=<{len(self.data)} fields>, "
            f"headers=<{len(self.headers)} headers>)"
        )


class Credential(abc.ABC):
    """How one security scheme adds credentials to a request.

    ``hint`` says how a user sets it (``"pass api_key= or set X_API_KEY"``);
    it is shown when an operation needs the credential and it is missing.
    """

    hint: str

    def __init__(self, *, hint: str = "") -> None:
        self.hint = hint

    @abc.abstractmethod
    def is_set(self) -> bool:
        """Whether the user supplied this credential."""

    @abc.abstractmethod
    def apply(self, parts: RequestParts, scopes: Sequence[str]) -> None:
        """Add the credential to the request ``parts``."""

    @abc.abstractmethod
    def secrets(self) -> list[str]:
        """The secret values, to be redacted from logs and messages."""

    def sensitive_headers(self) -> frozenset[str]:
        """Lower-case header names whose values are secret."""
        return frozenset({"authorization"})

    def sensitive_params(self) -> frozenset[str]:
        """Query parameter names whose values are secret."""
        return frozenset()

    def sensitive_cookies(self) -> frozenset[str]:
        """Cookie names whose values are secret."""
        return frozenset()

    def token_request(
        self, scopes: Sequence[str], base_url: httpx.URL
    ) -> TokenRequest | None:
        """A request to send before ``apply`` (a token fetch), or ``None``."""
        return None

    def accept_token(self, scopes: Sequence[str], response: httpx.Response) -> None:
        """Take the (2xx, read) response to ``token_request``."""

    def forget_token(self) -> bool:
        """Drop cached tokens after a 401; True when a new attempt may succeed."""
        return False

    def __repr__(self) -> str:
        state = "set" if self.is_set() else "unset"
        return f"{type(self).__name__}(<{state}>)"


class HTTPBearer(Credential):
    """``Authorization: Bearer <token>``."""

    def __init__(self, token: str | None, *, hint: str = "") -> None:
        super().__init__(hint=hint)
        self._token = token

    def is_set(self) -> bool:
        return bool(self._token)

    def apply(self, parts: RequestParts, scopes: Sequence[str]) -> None:
        parts.headers["Authorization"] = f"Bearer {self._token}"

    def secrets(self) -> list[str]:
        return [self._token] if self._token else []


class HTTPBasic(Credential):
    """``Authorization: Basic base64(username:password)``."""

    def __init__(
        self, username: str | None, password: str | None = None, *, hint: str = ""
    ) -> None:
        super().__init__(hint=hint)
        self._username = username
        self._password = password

    def is_set(self) -> bool:
        return self._username is not None

    def apply(self, parts: RequestParts, scopes: Sequence[str]) -> None:
        parts.headers["Authorization"] = (
            f"Basic {_basic(self._username, self._password)}"
        )

    def secrets(self) -> list[str]:
        if self._username is None:
            return []
        found = [_basic(self._username, self._password)]
        if self._password:
            found.append(self._password)
        return found


class APIKey(Credential):
    """An API key sent in the header, query parameter or cookie ``name``."""

    def __init__(
        self,
        value: str | None,
        *,
        name: str,
        location: Literal["header", "query", "cookie"],
        hint: str = "",
    ) -> None:
        super().__init__(hint=hint)
        self._value = value
        self.name = name
        self.location = location

    def is_set(self) -> bool:
        return bool(self._value)

    def apply(self, parts: RequestParts, scopes: Sequence[str]) -> None:
        value = self._value or ""
        if self.location == "header":
            parts.headers[self.name] = value
        elif self.location == "query":
            parts.params[:] = [p for p in parts.params if p[0] != self.name]
            parts.params.append((self.name, value))
        else:
            parts.cookies[self.name] = value

    def secrets(self) -> list[str]:
        return [self._value] if self._value else []

    def sensitive_headers(self) -> frozenset[str]:
        if self.location == "header":
            return frozenset({"authorization", self.name.lower()})
        return frozenset()

    def sensitive_params(self) -> frozenset[str]:
        return frozenset({self.name}) if self.location == "query" else frozenset()

    def sensitive_cookies(self) -> frozenset[str]:
        return frozenset({self.name}) if self.location == "cookie" else frozenset()

    def __repr__(self) -> str:
        state = "set" if self.is_set() else "unset"
        return f"APIKey(<{state}>, name={self.name!r}, location={self.location!r})"


class _Token:
    __slots__ = ("value", "refresh_at")

    def __init__(self, value: str, refresh_at: float) -> None:
        self.value = value
        self.refresh_at = refresh_at


class OAuth2ClientCredentials(Credential):
    """OAuth 2.0 client credentials: a token fetched from ``token_url``, cached
    per set of scopes, and fetched again ``refresh_margin`` seconds (at most half
    its lifetime) before it expires, or after a 401.

    ``token_url`` may be relative to the client's base URL. The client
    authenticates to the token endpoint with HTTP Basic (``client_auth="basic"``,
    RFC 6749's default) or with ``client_id``/``client_secret`` form fields
    (``client_auth="body"``). Scopes come from the operation's security
    requirement, else ``scopes``.
    """

    def __init__(
        self,
        client_id: str | None,
        client_secret: str | None,
        *,
        token_url: str,
        scopes: Sequence[str] = (),
        client_auth: Literal["basic", "body"] = "basic",
        refresh_margin: float = 60.0,
        hint: str = "",
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(hint=hint)
        self._client_id = client_id
        self._client_secret = client_secret
        self.token_url = token_url
        self.scopes = tuple(scopes)
        self.client_auth = client_auth
        self.refresh_margin = refresh_margin
        self._clock = clock
        self._tokens: dict[tuple[str, ...], _Token] = {}

    def is_set(self) -> bool:
        return bool(self._client_id) and self._client_secret is not None

    def _key(self, scopes: Sequence[str]) -> tuple[str, ...]:
        return tuple(sorted(set(scopes or self.scopes)))

    def token_request(
        self, scopes: Sequence[str], base_url: httpx.URL
    ) -> TokenRequest | None:
        key = self._key(scopes)
        token = self._tokens.get(key)
        if token is not None and self._clock() < token.refresh_at:
            return None
        data = {"grant_type": "client_credentials"}
        if key:
            data["scope"] = " ".join(key)
        headers = {"Accept": "application/json"}
        if self.client_auth == "basic":
            basic = _basic(self._client_id, self._client_secret)
            headers["Authorization"] = f"Basic {basic}"
        else:
            data["client_id"] = self._client_id or ""
            data["client_secret"] = self._client_secret or ""
        url = base_url.join(self.token_url)
        return TokenRequest(url=url, data=data, headers=headers)

    def accept_token(self, scopes: Sequence[str], response: httpx.Response) -> None:
        import json

        try:
            payload = json.loads(response.content)
            value = payload["access_token"]
            lifetime = payload.get("expires_in")
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ValueError("token response has no access_token") from exc
        if not isinstance(value, str) or not value:
            raise ValueError("token response has no access_token")
        now = self._clock()
        if isinstance(lifetime, (int, float)) and not isinstance(lifetime, bool):
            refresh_at = now + lifetime - min(self.refresh_margin, lifetime / 2)
        else:
            refresh_at = float("inf")
        self._tokens[self._key(scopes)] = _Token(value, refresh_at)

    def forget_token(self) -> bool:
        had_tokens = bool(self._tokens)
        self._tokens.clear()
        return had_tokens

    def apply(self, parts: RequestParts, scopes: Sequence[str]) -> None:
        token = self._tokens.get(self._key(scopes))
        if token is None:
            raise RuntimeError("no OAuth2 token; token_request() was not honoured")
        parts.headers["Authorization"] = f"Bearer {token.value}"

    def secrets(self) -> list[str]:
        found = [t.value for t in self._tokens.values()]
        if self._client_secret:
            found.append(self._client_secret)
            found.append(_basic(self._client_id, self._client_secret))
        return found


def _basic(username: str | None, password: str | None) -> str:
    """``base64(username:password)``, as HTTP Basic sends it."""
    import base64

    pair = f"{username}:{password or ''}".encode()
    return base64.b64encode(pair).decode()


def select_credentials(
    security: Sequence[SecurityRequirement],
    credentials: Mapping[str, Credential],
) -> list[tuple[Credential, Sequence[str]]] | None:
    """The credentials (with scopes) of the first satisfiable alternative.

    ``[]`` when no credentials are needed; ``None`` when none can be satisfied.
    """
    if not security:
        return []
    for requirement in security:
        chosen: list[tuple[Credential, Sequence[str]]] = []
        for name, scopes in requirement.items():
            credential = credentials.get(name)
            if credential is None or not credential.is_set():
                break
            chosen.append((credential, scopes))
        else:
            return chosen
    return None
