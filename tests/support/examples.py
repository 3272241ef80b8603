"""Example responses from a spec: the declared examples, else values synthesised from schemas."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from support.openapi import Resolver, dump_json, json_default


class _Omit:
    """Marks a value the sampler could not produce (a recursion it cut)."""

    def __repr__(self) -> str:
        return "OMIT"


OMIT: Any = _Omit()


# ---------------------------------------------------------------------------------- the sampler

_FORMATS: Mapping[str, str] = {
    "date-time": "2024-01-01T00:00:00Z",
    "date": "2024-01-01",
    "time": "12:00:00",
    "duration": "P1D",
    "uuid": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
    "email": "user@example.com",
    "idn-email": "user@example.com",
    "uri": "https://example.com/",
    "url": "https://example.com/",
    "iri": "https://example.com/",
    "uri-reference": "/example",
    "hostname": "example.com",
    "ipv4": "127.0.0.1",
    "ipv6": "::1",
    "byte": "c3RyaW5n",
    "binary": "",
    "password": "password",
}


def _types(schema: Mapping[str, Any]) -> list[str]:
    declared = schema.get("type")
    if isinstance(declared, str):
        return [declared]
    if isinstance(declared, list):
        return [str(t) for t in declared]
    return []


def _number(schema: Mapping[str, Any], integer: bool) -> int | float:
    """0 if allowed, else the nearest value inside minimum/maximum (exclusive or not)."""
    lo, hi = schema.get("minimum"), schema.get("maximum")
    lo_open, hi_open = schema.get("exclusiveMinimum"), schema.get("exclusiveMaximum")
    # 3.1 writes exclusive bounds as numbers, 3.0 as booleans beside minimum/maximum.
    lo_excl, hi_excl = lo_open is True, hi_open is True
    if isinstance(lo_open, (int, float)) and not isinstance(lo_open, bool):
        lo, lo_excl = lo_open, True
    if isinstance(hi_open, (int, float)) and not isinstance(hi_open, bool):
        hi, hi_excl = hi_open, True
    if integer:
        low = None if lo is None else (math.floor(lo) + 1 if lo_excl else math.ceil(lo))
        high = None if hi is None else (math.ceil(hi) - 1 if hi_excl else math.floor(hi))
        result = 0
        if low is not None and result < low:
            result = low
        if high is not None and result > high:
            result = high
        step = schema.get("multipleOf")
        if isinstance(step, int) and step > 0 and result % step:
            result = (result // step + 1) * step
        return result

    def too_low(v: float) -> bool:
        return lo is not None and (v < lo or (lo_excl and v <= lo))

    def too_high(v: float) -> bool:
        return hi is not None and (v > hi or (hi_excl and v >= hi))

    value = 0.0
    if lo is not None and too_low(value):
        value = float(lo) + (1.0 if lo_excl else 0.0)
    if hi is not None and too_high(value):
        value = float(hi) - (1.0 if hi_excl else 0.0)
    if too_low(value) and lo is not None and hi is not None:
        value = (float(lo) + float(hi)) / 2
    return value


def _string(schema: Mapping[str, Any]) -> str:
    value = _FORMATS.get(str(schema.get("format", "")), "string")
    min_len, max_len = schema.get("minLength"), schema.get("maxLength")
    if isinstance(min_len, int) and len(value) < min_len:
        value = (value * (min_len // max(len(value), 1) + 1))[:min_len] if value else "x" * min_len
    if isinstance(max_len, int) and len(value) > max_len:
        value = value[:max_len]
    return value


class Sampler:
    """Builds a deterministic example value that satisfies a schema as far as is practical.

    Order at each level: ``const``, ``example``, ``examples[0]``, ``default``, first ``enum``
    value, then by type.  ``allOf`` parts are merged, the first non-null ``oneOf``/``anyOf``
    variant is used (with its discriminator value set), nullable values are still filled, arrays
    get ``max(minItems, 1)`` items, ``writeOnly`` properties are left out of responses.
    Recursion stops when a ``$ref`` would repeat on the current path: an optional property is
    then omitted and a required one gets the emptiest value of its type.  Optional properties are
    included down to `optional_depth` levels and while the value is under `budget` nodes.
    """

    def __init__(
        self,
        resolver: Resolver,
        *,
        include_optional: bool = True,
        optional_depth: int = 4,
        budget: int = 2000,
    ) -> None:
        self.resolver = resolver
        self.include_optional = include_optional
        self.optional_depth = optional_depth
        self.budget = budget
        self._nodes = 0

    def sample(self, schema: Any) -> Any:
        self._nodes = 0
        value = self._sample(schema, (), 0)
        return self._empty(schema, ()) if value is OMIT else value

    # The walk -------------------------------------------------------------------------------

    def _sample(self, schema: Any, stack: tuple[str, ...], depth: int) -> Any:
        self._nodes += 1
        if not isinstance(schema, Mapping):
            return OMIT if schema is False else {}
        ref = schema.get("$ref")
        if isinstance(ref, str):
            if ref in stack:
                return OMIT
            target = self.resolver.lookup(ref)
            if len(schema) > 1 and isinstance(target, Mapping):  # 3.1: siblings beside $ref
                target = {**target, **{k: v for k, v in schema.items() if k != "$ref"}}
            return self._sample(target, (*stack, ref), depth)
        for key in ("const", "example", "default"):
            if key in schema:
                return schema[key]
        examples = schema.get("examples")
        if isinstance(examples, list) and examples:
            return examples[0]
        enum = schema.get("enum")
        if isinstance(enum, list) and enum:
            return next((v for v in enum if v is not None), None)
        if isinstance(schema.get("allOf"), list):
            return self._all_of(schema, stack, depth)
        for key in ("oneOf", "anyOf"):
            if isinstance(schema.get(key), list) and schema[key]:
                return self._one_of(schema, key, stack, depth)
        return self._by_type(schema, stack, depth)

    def _all_of(self, schema: Mapping[str, Any], stack: tuple[str, ...], depth: int) -> Any:
        rest = {k: v for k, v in schema.items() if k != "allOf"}
        parts: list[Any] = list(schema["allOf"])
        if any(k in rest for k in ("properties", "type", "oneOf", "anyOf", "items")):
            parts.append(rest)
        merged: Any = OMIT
        for part in parts:
            value = self._sample(part, stack, depth)
            if value is OMIT:
                continue
            if isinstance(merged, dict) and isinstance(value, dict):
                merged = {**merged, **value}
            elif merged is OMIT:
                merged = value
        return merged

    def _one_of(self, schema: Mapping[str, Any], key: str, stack: tuple[str, ...], depth: int) -> Any:
        variants = list(schema[key])
        ordered = [v for v in variants if not self._is_null(v)] + [v for v in variants if self._is_null(v)]
        value: Any = OMIT
        chosen: Any = None
        for variant in ordered:
            value = self._sample(variant, stack, depth)
            if value is not OMIT:
                chosen = variant
                break
        rest = {k: v for k, v in schema.items() if k not in (key, "discriminator")}
        if isinstance(value, dict) and "properties" in rest:
            base = self._by_type(rest, stack, depth)
            if isinstance(base, dict):
                value = {**base, **value}
        discriminator = schema.get("discriminator")
        if isinstance(value, dict) and isinstance(discriminator, Mapping) and isinstance(chosen, Mapping):
            self._set_discriminator(value, discriminator, chosen)
        return value

    @staticmethod
    def _set_discriminator(value: dict[str, Any], discriminator: Mapping[str, Any], chosen: Mapping[str, Any]) -> None:
        prop = discriminator.get("propertyName")
        ref = chosen.get("$ref")
        if not isinstance(prop, str) or not isinstance(ref, str):
            return
        name = ref.rsplit("/", 1)[-1]
        mapping = discriminator.get("mapping") or {}
        for key, target in mapping.items():
            if target in (ref, name):
                value[prop] = key
                return
        value.setdefault(prop, name)

    def _is_null(self, schema: Any) -> bool:
        try:
            target = self.resolver.deref(schema)
        except (KeyError, ValueError):
            return False
        return isinstance(target, Mapping) and (
            _types(target) == ["null"]
            or target.get("enum") == [None]
            or ("const" in target and target["const"] is None)
        )

    def _by_type(self, schema: Mapping[str, Any], stack: tuple[str, ...], depth: int) -> Any:
        kinds = [t for t in _types(schema) if t != "null"] or _types(schema)
        kind = kinds[0] if kinds else self._infer(schema)
        if kind == "null":
            return None
        if kind == "string":
            return _string(schema)
        if kind in ("integer", "number"):
            return _number(schema, kind == "integer")
        if kind == "boolean":
            return True
        if kind == "array":
            return self._array(schema, stack, depth)
        if kind == "object":
            return self._object(schema, stack, depth)
        return {}

    @staticmethod
    def _infer(schema: Mapping[str, Any]) -> str:
        if any(k in schema for k in ("properties", "additionalProperties", "required")):
            return "object"
        if any(k in schema for k in ("items", "prefixItems")):
            return "array"
        if "format" in schema or "pattern" in schema or "minLength" in schema:
            return "string"
        return "any"

    def _array(self, schema: Mapping[str, Any], stack: tuple[str, ...], depth: int) -> list[Any]:
        prefix = schema.get("prefixItems")
        if isinstance(prefix, list):
            values = [self._sample(item, stack, depth + 1) for item in prefix]
            return [v for v in values if v is not OMIT]
        max_items = schema.get("maxItems")
        count = max(int(schema.get("minItems") or 0), 1)
        if isinstance(max_items, int):
            count = min(count, max_items)
        if count == 0:
            return []
        item = self._sample(schema.get("items", {}), stack, depth + 1)
        return [] if item is OMIT else [item] * count

    def _object(self, schema: Mapping[str, Any], stack: tuple[str, ...], depth: int) -> dict[str, Any]:
        properties = schema.get("properties") or {}
        required = set(schema.get("required") or [])
        optional_ok = self.include_optional and depth < self.optional_depth
        out: dict[str, Any] = {}
        for name, sub in properties.items():
            is_required = name in required
            if not is_required and not (optional_ok and self._nodes < self.budget):
                continue
            target = self._peek(sub)
            if target.get("writeOnly") is True and not is_required:
                continue
            value = self._sample(sub, stack, depth + 1)
            if value is OMIT:
                if not is_required:
                    continue
                value = self._empty(sub, stack)
            out[str(name)] = value
        extra = schema.get("additionalProperties")
        if isinstance(extra, Mapping) and not properties:
            value = self._sample(extra, stack, depth + 1)
            if value is not OMIT:
                out["key"] = value
        return out

    def _peek(self, schema: Any) -> Mapping[str, Any]:
        try:
            target = self.resolver.deref(schema)
        except (KeyError, ValueError):
            return {}
        return target if isinstance(target, Mapping) else {}

    def _empty(self, schema: Any, stack: tuple[str, ...]) -> Any:
        """The smallest value of a schema's type, used where recursion was cut."""
        target = self._peek(schema)
        if target.get("nullable") is True or "null" in _types(target):
            return None
        kinds = _types(target) or [self._infer(target)]
        return {"string": "", "integer": 0, "number": 0.0, "boolean": False, "array": [], "null": None}.get(
            kinds[0], {}
        )


# -------------------------------------------------------------------------------- responses


@dataclass(frozen=True)
class MockBody:
    """A response chosen from the spec: status, media type (None: no body) and the value."""

    status: int
    media_type: str | None
    value: Any
    headers: tuple[tuple[str, str], ...] = ()
    sse_sentinel: str | None = None


def _response_key(responses: Mapping[Any, Any], status: int | None) -> tuple[int, Any] | None:
    keys = {str(k).upper(): k for k in responses}
    if status is None:
        codes = sorted(int(k) for k in keys if k.isdigit() and 200 <= int(k) < 300)
        if codes:
            return codes[0], keys[str(codes[0])]
        if "2XX" in keys:
            return 200, keys["2XX"]
        if "DEFAULT" in keys:
            return 200, keys["DEFAULT"]
        return None
    for candidate in (str(status), f"{status // 100}XX", "DEFAULT"):
        if candidate in keys:
            return status, keys[candidate]
    return None


def _is_json(media_type: str) -> bool:
    base = media_type.split(";", 1)[0].strip().lower()
    return base == "application/json" or base.endswith("+json") or base == "*/*"


def _pick_media(content: Mapping[str, Any], accept: str, wants_stream: bool) -> str | None:
    if not content:
        return None
    types = list(content)
    accepted = [a.split(";", 1)[0].strip().lower() for a in accept.split(",") if a.strip()]
    for candidate in accepted:
        for media in types:
            if media.lower() == candidate and candidate != "*/*":
                return media
    if wants_stream:
        for media in types:
            if media.lower().startswith("text/event-stream"):
                return media
    for media in types:
        if _is_json(media):
            return media
    return types[0]


class ResponseFactory:
    """Spec responses: the lowest 2xx by default, any declared status on request."""

    def __init__(self, resolver: Resolver, sampler: Sampler) -> None:
        self.resolver = resolver
        self.sampler = sampler

    def build(
        self,
        operation: Mapping[str, Any],
        status: int | None = None,
        *,
        accept: str = "",
        wants_stream: bool = False,
    ) -> MockBody:
        responses = operation.get("responses") or {}
        found = _response_key(responses, status)
        if found is None:
            return MockBody(status or 200, None, None)
        code, key = found
        response = self.resolver.deref(responses[key])
        if not isinstance(response, Mapping):
            return MockBody(code, None, None)
        headers = tuple(self._headers(response))
        content = response.get("content") or {}
        media_type = _pick_media(content, accept, wants_stream)
        if media_type is None or code in (204, 304):
            return MockBody(code, None, None, headers)
        media = self.resolver.deref(content[media_type]) or {}
        sentinel = media.get("x-speakeasy-sse-sentinel")
        return MockBody(code, media_type, self.example(media), headers, str(sentinel) if sentinel is not None else None)

    def example(self, media: Mapping[str, Any]) -> Any:
        if "example" in media:
            return media["example"]
        examples = media.get("examples")
        if isinstance(examples, Mapping):
            for entry in examples.values():
                entry = self.resolver.deref(entry)
                if isinstance(entry, Mapping) and "value" in entry:
                    return entry["value"]
        if "schema" in media:
            return self.sampler.sample(media["schema"])
        return ""

    def _headers(self, response: Mapping[str, Any]) -> Iterable[tuple[str, str]]:
        """Declared response headers that are required, with their example values."""
        for name, header in (response.get("headers") or {}).items():
            header = self.resolver.deref(header)
            if not isinstance(header, Mapping) or header.get("required") is not True:
                continue
            value = header["example"] if "example" in header else self.sampler.sample(header.get("schema", {}))
            yield str(name), value if isinstance(value, str) else json.dumps(value, default=json_default)


def encode_sse(value: Any, sentinel: str | None = None) -> bytes:
    """An SSE body from an example: a raw string as is, an event envelope, or a list of them."""
    if isinstance(value, str):
        text = value if value.endswith("\n\n") else value.rstrip("\n") + "\n\n"
        return text.encode("utf-8")
    events: Sequence[Any] = value if isinstance(value, list) else [value]
    out = []
    for event in events:
        envelope = event if isinstance(event, Mapping) and "data" in event else {"data": event}
        out.append(sse_event(**{k: envelope[k] for k in ("data", "event", "id", "retry") if k in envelope}))
    if sentinel is not None:
        out.append(sse_event(sentinel))
    return "".join(out).encode("utf-8")


def sse_event(data: Any, *, event: str | None = None, id: str | None = None, retry: int | None = None) -> str:
    """One Server-Sent Event; non-string data is sent as one line of JSON."""
    text = data if isinstance(data, str) else json.dumps(data, default=json_default, ensure_ascii=False)
    lines = []
    if event is not None:
        lines.append(f"event: {event}")
    if id is not None:
        lines.append(f"id: {id}")
    if retry is not None:
        lines.append(f"retry: {retry}")
    lines.extend(f"data: {line}" for line in text.split("\n"))
    return "\n".join(lines) + "\n\n"


_BINARY_PLACEHOLDER = b"\x89MOCK\r\n\x00\x01\x02\xff"


def encode_body(media_type: str, value: Any, sentinel: str | None = None) -> bytes:
    base = media_type.split(";", 1)[0].strip().lower()
    if _is_json(base):
        return dump_json(value)
    if base == "text/event-stream":
        return encode_sse(value, sentinel)
    if isinstance(value, bytes):
        return value
    if isinstance(value, str):
        if not value and not base.startswith("text/"):
            return _BINARY_PLACEHOLDER
        return value.encode("utf-8")
    return dump_json(value)
