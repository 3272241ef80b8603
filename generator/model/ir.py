"""The intermediate model: what the templates render, with every name already decided.

Frozen dataclasses only; no I/O, no Jinja.  Built by ``generator.model.build`` from a spec document.

Types (``TypeRef``) describe a value's Python type and how it crosses the wire; definitions
(``ModelDef``, ``EnumDef``, ``UnionDef``) are the named things the package declares.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

# -- types ---------------------------------------------------------------------------------

PrimKind = Literal["str", "int", "float", "bool", "any", "none", "datetime", "date", "uuid", "bytes", "binary"]


@dataclass(frozen=True)
class Prim:
    """A scalar.  ``bytes`` is base64 on the wire (format: byte); ``binary`` is raw file content."""

    kind: PrimKind


@dataclass(frozen=True)
class ListOf:
    item: TypeRef


@dataclass(frozen=True)
class MapOf:
    value: TypeRef


@dataclass(frozen=True)
class Ref:
    """A named definition (model, enum or union) by its Python name."""

    name: str


@dataclass(frozen=True)
class LiteralOf:
    values: tuple[Any, ...]


@dataclass(frozen=True)
class Nullable:
    inner: TypeRef


@dataclass(frozen=True)
class AnyOf:
    """An inline union whose variants need no conversion on the wire (``str | int``)."""

    variants: tuple[TypeRef, ...]


TypeRef = Prim | ListOf | MapOf | Ref | LiteralOf | Nullable | AnyOf

ANY = Prim("any")


def parts(t: TypeRef | None) -> Iterator[TypeRef]:
    """``t`` and every type nested in it (list items, map values, nullable and union members);
    a ``Ref`` is yielded, not followed."""
    stack = [t]
    while stack:
        x = stack.pop()
        if x is None:
            continue
        yield x
        if isinstance(x, ListOf):
            stack.append(x.item)
        elif isinstance(x, MapOf):
            stack.append(x.value)
        elif isinstance(x, Nullable):
            stack.append(x.inner)
        elif isinstance(x, AnyOf):
            stack.extend(x.variants)


# -- definitions ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    name: str  # Python attribute / argument name
    wire: str  # JSON property name, never changed
    type: TypeRef
    required: bool
    description: str = ""
    default: Any = None
    has_default: bool = False
    deprecated: bool = False
    read_only: bool = False
    write_only: bool = False
    example: Any = None
    has_example: bool = False


@dataclass(frozen=True)
class ModelDef:
    name: str
    fields: tuple[Field, ...]
    description: str = ""
    additional: TypeRef | None = ANY  # type of extra properties kept on the model; None: closed
    source: str = ""  # JSON pointer of the schema, for docs and diagnostics
    example: Any = None
    has_example: bool = False
    deprecated: bool = False
    kind: Literal["model"] = "model"
    base: str | None = None  # a model this one extends (allOf of it and more): fields() holds both
    # a base schema's discriminator: tag value -> the model (a subclass) that decodes it
    discriminator: Discriminator | None = None
    items: str = ""  # a list response's one array field (attribute name): the model iterates it


@dataclass(frozen=True)
class EnumMember:
    name: str
    value: Any


@dataclass(frozen=True)
class EnumDef:
    name: str
    base: Literal["str", "int"]
    members: tuple[EnumMember, ...]
    description: str = ""
    source: str = ""
    kind: Literal["enum"] = "enum"


@dataclass(frozen=True)
class Discriminator:
    property: str  # wire name
    mapping: tuple[tuple[str, str], ...]  # (wire value, variant definition name)


@dataclass(frozen=True)
class UnionDef:
    name: str
    variants: tuple[TypeRef, ...]
    discriminator: Discriminator | None = None
    description: str = ""
    source: str = ""
    kind: Literal["union"] = "union"


Definition = ModelDef | EnumDef | UnionDef


# -- operations ----------------------------------------------------------------------------

ParamLocation = Literal["path", "query", "header", "cookie"]


@dataclass(frozen=True)
class Param:
    name: str  # Python argument name
    wire: str
    location: ParamLocation
    type: TypeRef
    required: bool
    description: str = ""
    deprecated: bool = False
    explode: bool = True
    style: str = "form"  # resolved: a style the location defines (or "tabDelimited")
    example: Any = None
    has_example: bool = False
    allow_reserved: bool = False
    content_type: str | None = None  # declared with ``content``: serialized in this media type


BodyKind = Literal["json", "multipart", "form", "binary", "text"]


@dataclass(frozen=True)
class Body:
    media_type: str
    kind: BodyKind
    type: TypeRef
    required: bool
    fields: tuple[Field, ...] | None = None  # an object body flattened into keyword arguments
    name: str = "body"  # the argument name when not flattened
    description: str = ""
    example: Any = None
    has_example: bool = False


# "any"/"any_text": a wildcard media type (*/*, application/*; text/*) with a schema: JSON bodies
# decode by the schema, others are bytes/text
ResponseKind = Literal["json", "empty", "bytes", "text", "sse", "any", "any_text"]


@dataclass(frozen=True)
class Response:
    status: str  # "200", "4XX", "default"
    kind: ResponseKind
    type: TypeRef | None
    media_type: str = ""
    description: str = ""
    example: Any = None
    has_example: bool = False
    event_type: TypeRef | None = None  # the event payload when text/event-stream is offered too


@dataclass(frozen=True)
class Pagination:
    """How to fetch the next page; attribute paths are Python attribute names (dotted)."""

    strategy: Literal["offset", "page", "cursor", "next_link"]
    items: str  # attribute path of the item list in the response model
    item_type: TypeRef
    params: tuple[tuple[str, str], ...] = ()  # runtime keyword -> value (wire names / attribute paths)


@dataclass(frozen=True)
class Streaming:
    """An operation that answers with server-sent events."""

    event_type: TypeRef
    flag: str | None = None  # body field (Python name) that switches streaming on; None: always streams


@dataclass(frozen=True)
class Operation:
    name: str  # method name in its group
    operation_id: str
    http_method: str
    path: str
    group: str  # Group.name
    params: tuple[Param, ...]
    body: Body | None
    success: Response
    errors: tuple[Response, ...]
    security: tuple[tuple[tuple[str, tuple[str, ...]], ...], ...] | None  # None: the document default
    summary: str = ""
    description: str = ""
    deprecated: bool = False
    source: str = ""
    idempotency_header: str | None = None
    pagination: Pagination | None = None
    streaming: Streaming | None = None
    servers: tuple[Server, ...] = ()  # the operation's (or its path item's) own servers; (): the API's


@dataclass(frozen=True)
class Group:
    name: str  # attribute on the client, snake_case
    class_name: str  # e.g. "Workspaces" -> WorkspacesResource / AsyncWorkspacesResource
    module: str  # module under resources/
    tag: str
    description: str
    operations: tuple[Operation, ...]


@dataclass(frozen=True)
class SecurityScheme:
    name: str  # key under components/securitySchemes
    kind: Literal["bearer", "basic", "apikey", "oauth2", "unsupported"]
    arg: str  # constructor argument name
    location: str = ""  # apikey: header / query / cookie
    param_name: str = ""  # apikey: the header/query/cookie name
    token_url: str = ""
    scopes: tuple[str, ...] = ()
    description: str = ""
    env_var: str = ""


@dataclass(frozen=True)
class ServerVariable:
    name: str  # wire name in the URL template
    arg: str
    default: str
    enum: tuple[str, ...] = ()
    description: str = ""


@dataclass(frozen=True)
class Server:
    url: str
    description: str = ""
    name: str = ""
    variables: tuple[ServerVariable, ...] = ()


@dataclass(frozen=True)
class Webhook:
    """A request the API sends to the user's server: a 3.1 ``webhooks`` entry or an operation's
    ``callbacks`` entry, with the type of its JSON payload."""

    name: str  # the webhook's key; for a callback "<operationId>.<callback name>"
    kind: Literal["webhook", "callback"]
    method: str  # POST, PUT, ...
    type: TypeRef
    event: str = ""  # the value of the event union's discriminator for this payload
    expression: str = ""  # a callback's URL expression ({$request.body#/callbackUrl})
    summary: str = ""
    description: str = ""
    source: str = ""


@dataclass(frozen=True)
class ModelModule:
    """A module under models/: one strongly connected group of definitions (so imports never cycle)."""

    name: str
    definitions: tuple[str, ...]
    imports: tuple[tuple[str, tuple[str, ...]], ...]  # (module, names) of other model modules


@dataclass(frozen=True)
class Api:
    title: str
    version: str
    description: str
    package: str
    distribution: str
    spec_path: str  # as shown in generated headers
    servers: tuple[Server, ...]
    security_schemes: tuple[SecurityScheme, ...]
    default_security: tuple[tuple[tuple[str, tuple[str, ...]], ...], ...]
    groups: tuple[Group, ...]
    definitions: dict[str, Definition] = field(default_factory=dict)
    modules: tuple[ModelModule, ...] = ()
    module_of: dict[str, str] = field(default_factory=dict)  # definition name -> module name
    env_prefix: str = ""
    webhooks: tuple[Webhook, ...] = ()
    webhook_event: str = ""  # the union of every webhook payload ("" when there is none)
    webhook_secret_arg: str = ""  # the client's constructor argument for the signing secret
    # (the name a module would have had, the shorter name it got: naming.shorten), as
    # "models/<name>" and "resources/<name>", for the name lock
    shortened: tuple[tuple[str, str], ...] = ()
    docs_url: str = ""  # the vendor's documentation: site-relative links in spec text resolve against it
