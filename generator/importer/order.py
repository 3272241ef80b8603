"""A stable, conventional key order for the written spec.

Known objects get the order the OpenAPI specification lists their fields in; maps of names (paths,
components, responses, media types) are sorted; schema ``properties`` keep the vendor's order (it
becomes the field order of generated classes); example and default values are left untouched.
Unknown keys follow the known ones, sorted, and ``x-`` extensions come last, sorted.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from generator.importer.model import JSON
from generator.importer.walk import COMPONENT_SECTIONS, HTTP_METHODS

Orderer = Callable[[JSON], JSON]

DOCUMENT = ("openapi", "info", "jsonSchemaDialect", "servers", "security", "tags", "externalDocs", "paths",
            "webhooks", "components")
INFO = ("title", "summary", "description", "termsOfService", "contact", "license", "version")
PATH_ITEM = ("$ref", "summary", "description", "servers", "parameters", *HTTP_METHODS)
OPERATION = ("tags", "summary", "description", "externalDocs", "operationId", "parameters", "requestBody",
             "responses", "callbacks", "deprecated", "security", "servers")
PARAMETER = ("$ref", "name", "in", "description", "required", "deprecated", "allowEmptyValue", "style", "explode",
             "allowReserved", "schema", "example", "examples", "content")
SCHEMA = ("$ref", "$id", "$schema", "$anchor", "title", "description", "type", "format", "const", "enum", "default",
          "multipleOf", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum", "maxLength", "minLength",
          "pattern", "items", "prefixItems", "contains", "maxItems", "minItems", "uniqueItems", "properties",
          "patternProperties", "additionalProperties", "propertyNames", "required", "maxProperties",
          "minProperties", "allOf", "anyOf", "oneOf", "not", "if", "then", "else", "dependentSchemas",
          "dependentRequired", "discriminator", "readOnly", "writeOnly", "deprecated", "contentMediaType",
          "contentEncoding", "xml", "externalDocs", "example", "examples", "$defs")
SECURITY_SCHEME = ("type", "description", "name", "in", "scheme", "bearerFormat", "flows", "openIdConnectUrl")


def _keyed(node: dict[str, JSON], known: tuple[str, ...]) -> list[str]:
    rank = {k: i for i, k in enumerate(known)}
    return sorted(node, key=lambda k: (2, k) if k.startswith("x-") else (0, f"{rank[k]:04d}") if k in rank else (1, k))


def _object(known: tuple[str, ...], children: dict[str, Orderer] | None = None) -> Orderer:
    def order(node: JSON) -> JSON:
        if not isinstance(node, dict):
            return node
        kids = children or {}
        return {k: kids[k](node[k]) if k in kids else node[k] for k in _keyed(node, known)}
    return order


def _map(values: Orderer, sort: bool = True, key: Callable[[str], Any] = str) -> Orderer:
    def order(node: JSON) -> JSON:
        if not isinstance(node, dict):
            return node
        names = sorted(node, key=key) if sort else list(node)
        return {k: values(node[k]) for k in names}
    return order


def _list(values: Orderer) -> Orderer:
    def order(node: JSON) -> JSON:
        return [values(v) for v in node] if isinstance(node, list) else node
    return order


def _lazy(get: Callable[[], Orderer]) -> Orderer:
    return lambda node: get()(node)  # noqa: PLW0108 - get() must run at call time, not now


def _response_code(code: str) -> tuple[int, str]:
    return (1 if code == "default" else 0, code)


def _schema(node: JSON) -> JSON:
    return _SCHEMA(node)


_one_schema: Orderer = _schema
_schemas_map = _map(_one_schema)
_SCHEMA = _object(SCHEMA, {
    "items": _one_schema, "contains": _one_schema, "additionalProperties": _one_schema, "propertyNames": _one_schema,
    "not": _one_schema, "if": _one_schema, "then": _one_schema, "else": _one_schema,
    "unevaluatedItems": _one_schema, "unevaluatedProperties": _one_schema,
    "properties": _map(_one_schema, sort=False), "patternProperties": _schemas_map, "$defs": _schemas_map,
    "dependentSchemas": _schemas_map, "prefixItems": _list(_one_schema), "allOf": _list(_one_schema),
    "anyOf": _list(_one_schema), "oneOf": _list(_one_schema),
    "discriminator": _object(("propertyName", "mapping"), {"mapping": _map(lambda v: v)}),
})

_EXAMPLE = _object(("$ref", "summary", "description", "value", "externalValue"))
_EXAMPLES = _map(_EXAMPLE)
_MEDIA = _object(("schema", "example", "examples", "encoding"),
                 {"schema": _schema, "examples": _EXAMPLES, "encoding": _map(_object(("contentType", "headers")))})
_CONTENT = _map(_MEDIA)
_HEADER = _object(PARAMETER, {"schema": _schema, "examples": _EXAMPLES, "content": _CONTENT})
_PARAMETER = _object(PARAMETER, {"schema": _schema, "examples": _EXAMPLES, "content": _CONTENT})
_REQUEST_BODY = _object(("$ref", "description", "content", "required"), {"content": _CONTENT})
_RESPONSE = _object(("$ref", "description", "headers", "content", "links"),
                    {"headers": _map(_HEADER), "content": _CONTENT, "links": _map(lambda v: v)})
_RESPONSES = _map(_RESPONSE, key=_response_code)
_path_item: Orderer = _lazy(lambda: _PATH_ITEM)
_SERVER = _object(("url", "description", "variables"),
                  {"variables": _map(_object(("enum", "default", "description")))})
_OPERATION = _object(OPERATION, {
    "parameters": _list(_PARAMETER), "requestBody": _REQUEST_BODY, "responses": _RESPONSES,
    "callbacks": _map(_map(_path_item)), "servers": _list(_SERVER),
})
_PATH_ITEM: Orderer = _object(PATH_ITEM, {"parameters": _list(_PARAMETER), "servers": _list(_SERVER),
                                 **dict.fromkeys(HTTP_METHODS, _OPERATION)})
_COMPONENTS = _object(COMPONENT_SECTIONS, {
    "schemas": _schemas_map, "responses": _map(_RESPONSE), "parameters": _map(_PARAMETER),
    "examples": _EXAMPLES, "requestBodies": _map(_REQUEST_BODY), "headers": _map(_HEADER),
    "securitySchemes": _map(_object(SECURITY_SCHEME)), "links": _map(lambda v: v),
    "callbacks": _map(_map(_path_item)), "pathItems": _map(_path_item),
})
_TAG = _object(("name", "description", "externalDocs"))
_INFO = _object(INFO, {"contact": _object(("name", "url", "email")),
                       "license": _object(("name", "identifier", "url"))})
_DOCUMENT = _object(DOCUMENT, {
    "info": _INFO, "servers": _list(_SERVER), "tags": _list(_TAG), "paths": _map(_PATH_ITEM),
    "webhooks": _map(_PATH_ITEM), "components": _COMPONENTS,
})


def order_document(doc: JSON) -> JSON:
    """``doc`` with every mapping's keys in the stable conventional order."""
    return _DOCUMENT(doc)
