# Hand-written stand-in for a generated _client.py: a spec with one scheme of
# each kind; bearer is the default requirement.
from __future__ import annotations

import os
from functools import cached_property
from typing import TYPE_CHECKING

from ._auth import APIKey, Credential, HTTPBasic, HTTPBearer, OAuth2ClientCredentials
from ._base_client import (
    DEFAULT_MAX_RETRIES,
    AsyncAPIClient,
    SyncAPIClient,
)
from ._types import NOT_GIVEN, Headers, NotGiven, Query, Timeout
from ._version import __version__
from .resources import (
    AsyncAuthChecks,
    AsyncChat,
    AsyncFiles,
    AsyncMisc,
    AsyncWorkspaces,
    AuthChecks,
    Chat,
    Files,
    Misc,
    Workspaces,
)

if TYPE_CHECKING:
    import httpx

    from ._retry import RetryPolicy

__all__ = ["Client", "AsyncClient"]

DEFAULT_BASE_URL = "https://api.fakeapi.invalid/v1"


def _credentials(
    api_key: str | None,
    username: str | None,
    password: str | None,
    header_key: str | None,
    query_key: str | None,
    cookie_key: str | None,
    client_id: str | None,
    client_secret: str | None,
) -> dict[str, Credential]:
    if api_key is None:
        api_key = os.environ.get("FAKEAPI_API_KEY")
    return {
        "bearer": HTTPBearer(api_key, hint="pass api_key= or set FAKEAPI_API_KEY"),
        "basic": HTTPBasic(username, password, hint="pass username= and password="),
        "headerKey": APIKey(header_key, name="X-API-Key", location="header"),
        "queryKey": APIKey(query_key, name="api_key", location="query"),
        "cookieKey": APIKey(cookie_key, name="session", location="cookie"),
        "oauth": OAuth2ClientCredentials(
            client_id,
            client_secret,
            token_url="/oauth/token",
            scopes=["read"],
        ),
    }


class Client(SyncAPIClient):
    """Fake API client."""

    def __init__(
        self,
        *,
        api_key: str | None = None,
        username: str | None = None,
        password: str | None = None,
        header_key: str | None = None,
        query_key: str | None = None,
        cookie_key: str | None = None,
        client_id: str | None = None,
        client_secret: str | None = None,
        base_url: str | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int = DEFAULT_MAX_RETRIES,
        default_headers: Headers | None = None,
        default_query: Query | None = None,
        http_client: httpx.Client | None = None,
        retry_policy: RetryPolicy | None = None,
    ) -> None:
        super().__init__(
            base_url=base_url or os.environ.get("FAKEAPI_BASE_URL") or DEFAULT_BASE_URL,
            package_name=__package__ or "fakeapi",
            package_version=__version__,
            credentials=_credentials(
                api_key,
                username,
                password,
                header_key,
                query_key,
                cookie_key,
                client_id,
                client_secret,
            ),
            default_security=[{"bearer": []}],
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            default_query=default_query,
            http_client=http_client,
            retry_policy=retry_policy,
        )

    @cached_property
    def workspaces(self) -> Workspaces:
        return Workspaces(self)

    @cached_property
    def files(self) -> Files:
        return Files(self)

    @cached_property
    def chat(self) -> Chat:
        return Chat(self)

    @cached_property
    def auth_checks(self) -> AuthChecks:
        return AuthChecks(self)

    @cached_property
    def misc(self) -> Misc:
        return Misc(self)


class AsyncClient(AsyncAPIClient):
    """Fake API client for asyncio."""

    def __init__(
        self,
        *,
        api_key: str | None = None,
        username: str | None = None,
        password: str | None = None,
        header_key: str | None = None,
        query_key: str | None = None,
        cookie_key: str | None = None,
        client_id: str | None = None,
        client_secret: str | None = None,
        base_url: str | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int = DEFAULT_MAX_RETRIES,
        default_headers: Headers | None = None,
        default_query: Query | None = None,
        http_client: httpx.AsyncClient | None = None,
        retry_policy: RetryPolicy | None = None,
    ) -> None:
        super().__init__(
            base_url=base_url or os.environ.get("FAKEAPI_BASE_URL") or DEFAULT_BASE_URL,
            package_name=__package__ or "fakeapi",
            package_version=__version__,
            credentials=_credentials(
                api_key,
                username,
                password,
                header_key,
                query_key,
                cookie_key,
                client_id,
                client_secret,
            ),
            default_security=[{"bearer": []}],
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            default_query=default_query,
            http_client=http_client,
            retry_policy=retry_policy,
        )

    @cached_property
    def workspaces(self) -> AsyncWorkspaces:
        return AsyncWorkspaces(self)

    @cached_property
    def files(self) -> AsyncFiles:
        return AsyncFiles(self)

    @cached_property
    def chat(self) -> AsyncChat:
        return AsyncChat(self)

    @cached_property
    def auth_checks(self) -> AsyncAuthChecks:
        return AsyncAuthChecks(self)

    @cached_property
    def misc(self) -> AsyncMisc:
        return AsyncMisc(self)
