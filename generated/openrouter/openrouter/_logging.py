"""Logging with secrets redacted.

The client logs to ``logging.getLogger(<package name>)``: each request (method,
URL, headers at DEBUG), each response (status, elapsed), and each retry (INFO).
Authorization-like headers, API-key query parameters and cookies, and every
secret value a credential reports are replaced by ``<redacted>``. httpx's own
``httpx`` logger prints request URLs at INFO; a filter on it redacts the
API-key query parameters of clients that send one.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable, Mapping
from urllib.parse import quote

if TYPE_CHECKING:
    import httpx

__all__ = ["Redactor", "REDACTED", "protect_httpx_logger"]

REDACTED = "<redacted>"

ALWAYS_SENSITIVE_HEADERS = frozenset(
    {
        "authorization",
        "proxy-authorization",
        "cookie",
        "set-cookie",
        "x-api-key",
        "api-key",
    }
)


@dataclass(frozen=True)
class Redactor:
    """Removes secrets from text, URLs and headers before they are logged."""

    headers: frozenset[str] = ALWAYS_SENSITIVE_HEADERS
    params: frozenset[str] = frozenset()
    secrets: tuple[str, ...] = ()

    def text(self, text: str) -> str:
        for secret in self.secrets:
            if secret:
                text = text.replace(secret, REDACTED)
        return text

    def url(self, url: httpx.URL) -> str:
        if self.params and url.query:
            params = [
                (k, REDACTED if k in self.params else v)
                for k, v in url.params.multi_items()
            ]
            text = str(url.copy_with(params=params))
            return self.text(text.replace(quote(REDACTED, safe=""), REDACTED))
        return self.text(str(url))

    def header_items(self, headers: httpx.Headers) -> dict[str, str]:
        return {
            name: REDACTED if name.lower() in self.headers else self.text(value)
            for name, value in headers.items()
        }


class _HttpxURLFilter(logging.Filter):
    """Redacts secret query parameters from URLs logged by httpx."""

    def __init__(self) -> None:
        super().__init__()
        self.params: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        if self.params and isinstance(record.args, tuple):
            import httpx  # this is httpx's own logger: already imported

            redactor = Redactor(params=frozenset(self.params))
            record.args = tuple(
                redactor.url(arg) if isinstance(arg, httpx.URL) else arg
                for arg in record.args
            )
        return True


_HTTPX_FILTER = _HttpxURLFilter()


def protect_httpx_logger(params: Iterable[str]) -> None:
    """Make the ``httpx`` logger redact the query parameters ``params``."""
    names = set(params)
    if not names:
        return
    _HTTPX_FILTER.params.update(names)
    logger = logging.getLogger("httpx")
    if _HTTPX_FILTER not in logger.filters:
        logger.addFilter(_HTTPX_FILTER)


def format_headers(headers: Mapping[str, str]) -> str:
    return ", ".join(f"{name}: {value}" for name, value in headers.items())
