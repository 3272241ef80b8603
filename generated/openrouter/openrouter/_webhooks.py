"""Webhooks: check that the API sent a payload, then decode it into its typed event.

Signatures follow Standard Webhooks: three headers, ``webhook-id``, ``webhook-timestamp``
(Unix seconds) and ``webhook-signature``, a space-separated list of ``v1,<base64>``
entries, each an HMAC-SHA256 of ``"<id>.<timestamp>.<body>"`` keyed with the secret (the
base64 text after ``whsec_``).  One matching entry is enough (several are sent while a
secret is rotated).  A timestamp more than ``tolerance`` seconds (five minutes) from the
clock, past or future, is refused: a captured request cannot be replayed later.

Nothing is decoded before the signature is checked.  Standard library only.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import time
from typing import Callable, Generic, Mapping, TypeVar

from .errors import WebhookVerificationError

__all__ = ["TOLERANCE", "Webhooks", "verify_signature"]

TOLERANCE = 300
"""Seconds a signature's timestamp may be away from the clock, in either direction."""

SECRET_PREFIX = "whsec_"

_E = TypeVar("_E")


def _key(secret: str | bytes) -> bytes:
    if isinstance(secret, bytes):
        return secret
    text = secret[len(SECRET_PREFIX) :] if secret.startswith(SECRET_PREFIX) else secret
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise ValueError(
            "the webhook secret is not base64 (after its whsec_ prefix)"
        ) from None


def _header(headers: Mapping[str, str], name: str) -> str:
    value = headers.get(name)
    if value is None:  # a plain dict keeps the case the server sent
        value = next((v for k, v in headers.items() if k.lower() == name), None)
    if value is None:
        raise WebhookVerificationError(f"missing header {name}")
    return value


def verify_signature(
    payload: str | bytes,
    headers: Mapping[str, str],
    secret: str | bytes,
    *,
    tolerance: int = TOLERANCE,
    now: float | None = None,
) -> None:
    """Raise ``WebhookVerificationError`` unless ``headers`` sign ``payload`` (the raw
    request body, exactly as received) with ``secret`` within ``tolerance`` seconds."""
    key = _key(secret)
    message_id = _header(headers, "webhook-id")
    timestamp = _header(headers, "webhook-timestamp")
    signatures = _header(headers, "webhook-signature")
    try:
        sent = int(timestamp)
    except ValueError:
        raise WebhookVerificationError("webhook-timestamp is not a number") from None
    clock = time.time() if now is None else now
    if sent < clock - tolerance:
        raise WebhookVerificationError("webhook-timestamp is too old")
    if sent > clock + tolerance:
        raise WebhookVerificationError("webhook-timestamp is in the future")
    body = payload.encode("utf-8") if isinstance(payload, str) else payload
    signed = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(key, signed, hashlib.sha256).digest()
    expected = base64.b64encode(digest)
    for entry in signatures.split():
        version, _, value = entry.partition(",")
        if version == "v1" and hmac.compare_digest(value.encode(), expected):
            return
    raise WebhookVerificationError("no webhook-signature matches the payload")


class Webhooks(Generic[_E]):
    """``client.webhooks``: verify and decode the events the API sends to your server."""

    def __init__(
        self, decode: Callable[[object], _E], secret: str | None, hint: str
    ) -> None:
        self._decode = decode
        self._secret = secret
        self._hint = hint

    def verify_signature(
        self,
        payload: str | bytes,
        headers: Mapping[str, str],
        *,
        secret: str | None = None,
        tolerance: int = TOLERANCE,
    ) -> None:
        """Raise ``WebhookVerificationError`` unless the headers sign the payload.

        ``payload`` is the raw request body; ``secret`` defaults to the client's."""
        key = secret if secret is not None else self._secret
        if key is None:
            raise ValueError(f"no webhook secret: {self._hint}")
        verify_signature(payload, headers, key, tolerance=tolerance)

    def unwrap(
        self,
        payload: str | bytes,
        headers: Mapping[str, str],
        *,
        secret: str | None = None,
    ) -> _E:
        """The typed event in ``payload`` (the raw request body).

        When a secret is given here or set on the client, the signature is checked first
        and ``WebhookVerificationError`` raised if it does not hold; without one, the
        payload is decoded unchecked."""
        key = secret if secret is not None else self._secret
        if key is not None:
            verify_signature(payload, headers, key)
        return self._decode(json.loads(payload))
