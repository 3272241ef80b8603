"""When to retry a request and how long to wait before the next attempt.

Retried: connection errors (refused, reset, dropped, DNS, connect and pool
timeouts) and the statuses 408, 409, 429 and >= 500. Not retried: read and write
timeouts, as the server may already be working on the request and waiting again
would multiply the caller's ``timeout``; an unsupported URL scheme; a body that
does not decode. A response header ``x-should-retry: true`` or
``false`` overrides the status rule.

The wait is ``Retry-After`` (seconds or an HTTP date) or ``retry-after-ms`` when
the server sends one, capped at ``max_retry_after``; otherwise exponential
backoff ``initial_delay * 2**retries_taken`` capped at ``max_delay``, minus up to
``jitter`` of it at random.
"""

from __future__ import annotations

import email.utils
import math
import random
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    import httpx

__all__ = ["RetryPolicy", "DEFAULT_RETRY_POLICY"]


@dataclass(frozen=True)
class RetryPolicy:
    """Retry timing; the count of retries is the client's ``max_retries``."""

    initial_delay: float = 0.5
    max_delay: float = 8.0
    max_retry_after: float = 60.0
    jitter: float = 0.25
    statuses: frozenset[int] = frozenset({408, 409, 429})

    def should_retry_response(self, response: httpx.Response) -> bool:
        override = response.headers.get("x-should-retry", "").strip().lower()
        if override == "true":
            return True
        if override == "false":
            return False
        return response.status_code in self.statuses or response.status_code >= 500

    def should_retry_error(self, error: httpx.RequestError) -> bool:
        import httpx

        if not isinstance(error, httpx.TransportError):
            return False  # e.g. a body that does not decode: it will not improve
        unsafe = (httpx.ReadTimeout, httpx.WriteTimeout, httpx.UnsupportedProtocol)
        return not isinstance(error, unsafe)

    def delay(
        self,
        retries_taken: int,
        response: httpx.Response | None = None,
        *,
        rand: Callable[[], float] = random.random,
        now: Callable[[], float] = time.time,
    ) -> float:
        """Seconds to wait before retry number ``retries_taken + 1``."""
        if response is not None:
            retry_after = self._retry_after(response.headers, now())
            if retry_after is not None:
                return min(max(retry_after, 0.0), self.max_retry_after)
        backoff = min(self.initial_delay * 2.0**retries_taken, self.max_delay)
        return backoff * (1.0 - self.jitter * rand())

    @staticmethod
    def _retry_after(headers: httpx.Headers, now: float) -> float | None:
        milliseconds = headers.get("retry-after-ms")
        if milliseconds is not None:
            seconds = _number(milliseconds)
            if seconds is not None:
                return seconds / 1000.0
        value = headers.get("retry-after")
        if value is None:
            return None
        seconds = _number(value)
        if seconds is not None:
            return seconds
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        return when.timestamp() - now


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


DEFAULT_RETRY_POLICY = RetryPolicy()
