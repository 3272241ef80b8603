"""Every Python identifier codegen emits is decided here.

Rules that keep generated code correct whatever the spec says:

* snake_case for attributes, arguments, methods and modules; PascalCase for classes;
* keywords, soft keywords and builtins get a trailing ``_``; so do names the runtime reserves;
* user-derived snake names never start with ``_`` and are ASCII, so they can never shadow the
  module aliases generated code uses (``_dc``, ``_dt``, ``_serde`` ...);
* a ``Namer`` hands out unique names within one scope, deterministically (``name``, ``name_2`` ...);
* the JSON name is kept separately for the wire; it is never derived back from the Python name.
"""

from __future__ import annotations

import builtins
import functools
import keyword
import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

_BUILTINS = frozenset(dir(builtins))
_KEYWORDS = frozenset(keyword.kwlist) | frozenset(keyword.softkwlist) - {"_", "type", "match", "case"}
# builtins that generated code names in annotations and bodies: a user name must never shadow them
# (other builtins such as ``id``, ``type`` or ``filter`` are fine as attribute and argument names)
_SHADOW_SENSITIVE = frozenset({
    "str", "int", "float", "bool", "list", "dict", "bytes", "object", "tuple", "set", "frozenset",
    "isinstance", "len", "super", "print", "None", "True", "False", "builtins",
})

# names generated code uses in class bodies and signatures; user names must not shadow them
RESERVED_CLASS_NAMES = frozenset({
    "Any", "Literal", "Mapping", "ClassVar", "TypeAlias", "Union", "Optional", "Self", "Callable",
    "NotGiven", "NOT_GIVEN", "Client", "AsyncClient", "Endpoint", "RequestOptions", "APIResponse",
    "SyncAPIClient", "AsyncAPIClient", "Timeout", "Sequence", "Iterator", "AsyncIterator",
    "TYPE_CHECKING", "Enum", "IntEnum",
    # runtime names that resource and client modules import beside the models they use
    "Body", "Headers", "Query", "FileTypes", "SyncAPIResource", "AsyncAPIResource", "Stream", "AsyncStream",
    "BinaryStream", "AsyncBinaryStream", "SyncPage", "AsyncPage", "OffsetPagination", "PageNumberPagination",
    "CursorPagination", "NextLinkPagination", "Credential", "HTTPBearer", "HTTPBasic", "APIKey",
    "OAuth2ClientCredentials", "SERVERS",
})
RESERVED_FIELD_NAMES = frozenset({
    "from_dict", "to_dict", "additional_properties", "dataclasses", "self", "cls",
    # the model's own state and the module names its class body and annotations use
    "model_fields_set", "_fields_set", "_CODEC", "builtins", "_dc", "_dt", "_uuid", "_serde", "_enum",
    # decorators the class body applies after the fields (an optional field binds its default)
    "classmethod", "staticmethod", "property",
    # a response model may become a page: the page API's names stay free
    "has_next_page", "next_page", "iter_pages",
})
RESERVED_PARAM_NAMES = frozenset({
    "self", "extra_headers", "extra_query", "extra_body", "timeout", "max_retries", "options",
})
# resource methods: the runtime's attributes and the decorators the class body applies
RESERVED_METHOD_NAMES = RESERVED_PARAM_NAMES | frozenset({
    "with_raw_response", "with_streaming_response", "overload", "cached_property",
})

# word boundaries as zero-width matches, so that the replacement is a plain "_" ("HTTPServer" ->
# "HTTP_Server", "camelCase" -> "camel_Case"); a group-reference template is expanded in Python
# for every match
_ACRONYM_SPLIT = re.compile(r"(?<=[A-Z])(?=[A-Z][a-z])")
_CAMEL_SPLIT = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_NON_WORD = re.compile(r"[^A-Za-z0-9]+")


def ascii_fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def words(text: str) -> list[str]:
    """Split any spelling (camelCase, kebab-case, 'API Keys', 'HTTPServer') into lower-case words."""
    return list(_words(str(text)))


@functools.lru_cache(maxsize=1 << 16)
def _words(text: str) -> tuple[str, ...]:
    """``words``, remembered: a spec names the same things over and over (``id``, ``url``, a
    component's name in every hint derived from it), and the splitting is most of naming's cost."""
    text = ascii_fold(text)
    text = _ACRONYM_SPLIT.sub("_", text)
    text = _CAMEL_SPLIT.sub("_", text)
    return tuple(w.lower() for w in _NON_WORD.split(text) if w)


@functools.lru_cache(maxsize=1 << 16, typed=True)
def snake(text: str, fallback: str = "value") -> str:
    """A valid snake_case identifier (keywords and builtins suffixed with '_')."""
    name = "_".join(words(text)) or fallback
    if name[0].isdigit():
        name = f"{fallback}_{name}"
    return safe(name)


@functools.lru_cache(maxsize=1 << 16, typed=True)
def pascal(text: str, fallback: str = "Model") -> str:
    parts = words(text)
    name = "".join(p[:1].upper() + p[1:] for p in parts) or fallback
    if name[0].isdigit():
        name = f"{fallback}{name}"
    if name in RESERVED_CLASS_NAMES or name in _BUILTINS or name in _KEYWORDS:
        name += "_"
    return name


def upper_snake(text: str, fallback: str = "VALUE") -> str:
    name = "_".join(words(text)).upper() or fallback
    if name[0].isdigit():
        name = f"{fallback}_{name}"
    if keyword.iskeyword(name) or name in _BUILTINS or name.startswith("_"):
        name += "_"
    return name


def safe(name: str) -> str:
    """Keywords and the builtins generated code relies on get a trailing '_'."""
    if name in _KEYWORDS or name in _SHADOW_SENSITIVE:
        return name + "_"
    return name


def attribute(text: str, fallback: str = "default") -> str:
    """An attribute name (client groups): snake_case, never starting with a digit; builtins are
    fine as attributes, keywords are not."""
    name = "_".join(words(text)) or fallback
    if name[0].isdigit():
        name = f"{fallback}_{name}"
    return method_safe(name)


def method_safe(name: str) -> str:
    """Methods are attributes: only keywords need a suffix (``list`` and ``filter`` are fine)."""
    return name + "_" if name in _KEYWORDS or name in ("builtins",) else name


def field_name(wire: str) -> str:
    """A model attribute: the JSON name itself wherever Python allows it (``object``, ``bytes``,
    ``type``, ``finishReason`` and ``_links`` included; annotations then say ``builtins.bytes``);
    keywords get a trailing ``_``; names Python would mangle (``__x``), that are not ASCII
    identifiers, or that the model's own machinery uses are made snake_case and suffixed."""
    if kept_as_attribute(wire):
        return wire
    name = snake(wire, fallback="field")
    if name in RESERVED_FIELD_NAMES:
        name += "_"
    return name


def kept_as_attribute(wire: str) -> bool:
    """Whether a JSON name is used unchanged as a model attribute."""
    return (wire.isidentifier() and wire.isascii() and not keyword.iskeyword(wire)
            and not wire.startswith("__") and wire not in RESERVED_FIELD_NAMES
            and wire not in RESERVED_CLASS_NAMES)


# builtins the generated method bodies call: an argument must not hide them
_BODY_BUILTINS = frozenset({"str", "isinstance", "builtins"})


def param_name(wire: str) -> str:
    """A method argument: snake_case; keywords get a trailing ``_``; builtins are fine (``id``,
    ``type``, ``object``, ``bytes``) except the few the method bodies call."""
    name = "_".join(words(wire)) or "param"
    if name[0].isdigit():
        name = f"param_{name}"
    if name in _KEYWORDS or name in _BODY_BUILTINS or name in RESERVED_PARAM_NAMES or name in ("None", "True", "False"):
        name += "_"
    return name


def module_name(name: str, fallback: str = "module") -> str:
    """A module (file) name from an identifier: its keyword suffix dropped unless that leaves a
    keyword (``class_`` stays ``class_``: ``from .class import X`` would not parse)."""
    stripped = name.rstrip("_") or fallback
    return name if keyword.iskeyword(stripped) else stripped


# the longest file name and the longest path (inside the output folder) codegen writes: room to
# spare under every file system's 255-byte names and Windows' 260-character paths, checked out
# under a folder of its own
MAX_FILE_NAME = 100
MAX_PATH = 180
MAX_PACKAGE = 48  # a package name derived from the spec's title
_SUFFIX_ROOM = 6  # what a ``Namer`` may add to a shortened name (``_2`` ... ``_99999``)
_HASH_LENGTH = 8


def shorten(name: str, limit: int) -> str:
    """``name`` itself when it has at most ``limit`` characters, else its first characters and a
    short hash of the whole name: ``a_very_long_name_3f2a9c1b``.  The hash depends on ``name``
    alone, so the short name stays the same whatever else the spec holds."""
    if len(name) <= limit:
        return name
    import hashlib

    digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:_HASH_LENGTH]
    head = name[: max(1, limit - _HASH_LENGTH - 1)].rstrip("_") or name[:1]
    return f"{head}_{digest}"


def module_limit(package: str) -> int:
    """The longest module name that keeps ``<package>/resources/<module>.py`` (the deepest file
    named after a spec's names) within ``MAX_FILE_NAME`` and ``MAX_PATH``, leaving room for a
    ``Namer`` suffix.  Never below 24: a package name that long is the caller's choice."""
    longest = min(MAX_FILE_NAME, MAX_PATH - len(f"{package}/resources/")) - len(".py")
    return max(24, longest - _SUFFIX_ROOM)


def package_name(title: str) -> str:
    """'OpenRouter API' -> 'openrouter' (camel case is not split: it is one brand)."""
    name = "_".join(w.lower() for w in _NON_WORD.split(ascii_fold(title)) if w) or "client"
    for suffix in ("_api", "_openapi", "_rest_api"):
        if name.endswith(suffix) and len(name) > len(suffix):
            name = name[: -len(suffix)]
    if name[0].isdigit():
        name = "client_" + name
    if name in sys.stdlib_module_names or name in _RUNTIME_DEPENDENCIES:
        name += "_client"  # a package called "json", "os" or "httpx" would shadow the real one
    return safe(shorten(name, MAX_PACKAGE))


# what a generated package imports: its own name must never be one of them
_RUNTIME_DEPENDENCIES = frozenset({"httpx", "httpcore", "h11", "h2", "anyio", "sniffio", "certifi", "idna",
                                   "typing_extensions", "exceptiongroup"})


def env_prefix(package: str, title: str = "") -> str:
    """The vendor word environment variables start with: the first word of ``info.title``
    ("OpenAI API" -> ``OPENAI``, "Mistral AI API" -> ``MISTRAL``), else the package's name."""
    first = next((w for w in _NON_WORD.split(ascii_fold(title)) if w), "")
    if first and first[0].isalpha() and first.lower() not in ("api", "the", "openapi"):
        return first.upper()
    return "_".join(words(package)).upper()


class Namer:
    """Unique names within one scope, handed out in call order (callers sort their inputs)."""

    def __init__(self, taken: Iterable[str] = ()) -> None:
        self._taken: set[str] = set(taken)
        self._folded: set[str] = {t.lower() for t in self._taken}

    def claim(self, preferred: str, case_insensitive: bool = False) -> str:
        """``preferred`` if free, else ``preferred_2``, ``preferred_3``...

        ``case_insensitive`` also avoids names that differ only in case (module and file names
        on case-insensitive file systems).
        """
        sep = "" if preferred[:1].isupper() else "_"
        name, n = preferred, 1
        while name in self._taken or (case_insensitive and name.lower() in self._folded):
            n += 1
            name = f"{preferred}{sep}{n}"
        self._taken.add(name)
        self._folded.add(name.lower())
        return name

    def __contains__(self, name: str) -> bool:
        return name in self._taken

    def copy(self) -> Namer:
        other = Namer()
        other._taken, other._folded = set(self._taken), set(self._folded)
        return other


_SINGULAR_RULES = (("ies", "y"), ("sses", "ss"), ("xes", "x"), ("ches", "ch"), ("shes", "sh"), ("s", ""))


def singular(word: str) -> str:
    for suffix, repl in _SINGULAR_RULES:
        if word.endswith(suffix) and len(word) > len(suffix) + 1 and not word.endswith("ss"):
            return word[: -len(suffix)] + repl
    return word


@dataclass(frozen=True)
class OperationName:
    """What an operation's Python name is made from."""

    operation_id: str  # the operationId (or one made from the method and path)
    method: str  # lower-case HTTP method
    path: str  # the path key, as in the spec
    summary: str = ""
    explicit: str | None = None  # x-codegen-name: wins as it is


# verbs that say no more than the HTTP method and the path's shape: they become the resource verb
_GENERIC_VERBS: dict[str, frozenset[str]] = {
    "list": frozenset({"get", "list", "read", "fetch", "retrieve", "find", "all", "show", "describe"}),
    "retrieve": frozenset({"get", "read", "fetch", "retrieve", "find", "show", "describe"}),
    "create": frozenset({"create", "post", "add", "new", "insert", "make"}),
    "update": frozenset({"update", "put", "patch", "modify", "edit", "change", "post"}),
    "delete": frozenset({"delete", "remove", "destroy", "del", "erase"}),
}
_ALL_GENERIC = frozenset().union(*_GENERIC_VERBS.values())
# words some generators append to every operationId ("CancelChatSessionMethod", "items_api")
_FILLER_TAIL = frozenset({"method", "endpoint", "handler", "route", "routes", "api", "operation"})
_VERSION = re.compile(r"v\d+(?:_\d+)*$|\d+(?:_\d+)*$")
_STOP_WORDS = frozenset({"a", "an", "the"})
_PLURAL_EXCEPTIONS = ("ss", "us", "is")


def _path_parts(path: str) -> tuple[list[str], str]:
    """The path's segments (without a ``?query``/``#fragment`` some specs put in the key) and
    that qualifier's text."""
    cut = min((i for i in (path.find("?"), path.find("#")) if i >= 0), default=len(path))
    return [s for s in path[:cut].split("/") if s], path[cut:]


def _plural(word: str) -> bool:
    return word.endswith("s") and not word.endswith(_PLURAL_EXCEPTIONS)


def _static_words(segments: list[str]) -> list[str]:
    return [w for seg in segments if not seg.startswith("{") for w in words(seg)]


def resource_verb(method: str, path: str) -> str | None:
    """The verb a hand-written SDK uses for the common shapes: a collection's ``GET`` is ``list``
    (``retrieve`` when its last word is singular: ``/organization/spend_limit``), ``POST``
    ``create``; an item's (the path ends in a parameter) ``GET`` ``retrieve``, ``PUT``/``PATCH``
    (and ``POST``) ``update``; ``DELETE`` ``delete``."""
    segments, _ = _path_parts(path)
    item = bool(segments) and segments[-1].startswith("{")
    if method == "delete":
        return "delete"
    if item:
        return {"get": "retrieve", "put": "update", "patch": "update", "post": "update"}.get(method)
    if method == "get":
        last = words(segments[-1]) if segments else []
        return "list" if last and _plural(last[-1]) else "retrieve"
    if method == "post":
        return "create"
    if method in ("put", "patch"):
        return "update"
    return None


def strip_framework_suffix(operation_id: str, method: str, path: str) -> list[str]:
    """The operationId's words without a generated ``<path>_<method>`` tail.

    FastAPI names operations ``<function>_<path>_<method>`` (``read_item_items__item_id__get``);
    other generators do the same with a mounted prefix left out (``list_models_v1_models_get``
    for ``/v1/models``).  The tail is recognised mechanically: the method's word at the end
    (before the words of a ``#fragment`` in the path key), preceded by the path's words in order.
    """
    segments, qualifier = _path_parts(path)
    exact = "_" + re.sub(r"\W", "_", "/" + "/".join(segments)) + "_" + method
    if operation_id.endswith(exact) and len(operation_id) > len(exact):
        ws = words(operation_id[: -len(exact)])
        if ws:
            return ws
    ws = words(operation_id)
    tail = list(words(qualifier)) if qualifier.startswith("#") else []
    if tail and ws[-len(tail):] == tail:
        body, tail = ws[: -len(tail)], ws[-len(tail):]
    else:
        body, tail = ws, []
    if len(body) < 2 or body[-1] != method:
        return ws
    body = body[:-1]
    path_words = [w for seg in segments for w in words(seg.strip("{}"))]
    last = set(words(segments[-1].strip("{}"))) if segments else set()
    j = len(path_words)
    stripped: set[str] = set()
    while len(body) > 1 and j > 0:
        w = body[-1]
        # the next path word to the left that is this word (path words may be skipped)
        k = next((k for k in range(j - 1, -1, -1) if path_words[k] == w), None)
        if k is None:
            break
        stripped.add(body.pop())
        j = k
    # the tail names the path's last segment, and the whole path or two words of it at least
    # (``volumeActions_post`` for ``/v2/volumes/actions`` is a resource and a method, not a tail)
    if not last <= stripped or not (len(stripped) >= 2 or set(path_words) <= stripped):
        return ws
    while len(body) > 1 and body[-1] in _FILLER_TAIL:
        body.pop()
    return body + tail


def _segment(text: str, vocab: frozenset[str]) -> list[str] | None:
    """``text`` split into the fewest words of ``vocab`` (None when it cannot be)."""
    n = len(text)
    best: list[list[str] | None] = [None] * (n + 1)
    best[0] = []
    for i in range(1, n + 1):
        for j in range(max(0, i - 30), i):
            prev = best[j]
            piece = text[j:i]
            if prev is not None and piece in vocab:
                cand = [*prev, piece]
                cur = best[i]
                if cur is None or len(cand) < len(cur):
                    best[i] = cand
    return best[n]


def _operation_words(op: OperationName) -> tuple[list[str], list[str]]:
    """The words an operation's name is made from: framework suffixes removed, and run-together
    lower-case ids (``Getorganizationspendlimit``) split where the summary or the path shows the
    words."""
    ws = strip_framework_suffix(op.operation_id, op.method, op.path)
    # FastAPI routers named "<module>_api_routes": everything up to "routes" is the router's name
    for i in range(len(ws) - 2):
        if ws[i + 1 : i + 3] == ["api", "routes"] and len(ws) > i + 3:
            ws = ws[i + 3 :]
            break
    joined = "".join(ws)
    segments, _ = _path_parts(op.path)
    vocab_words = set(words(op.summary)) | set(_static_words(segments)) | _ALL_GENERIC
    vocab_words |= {singular(w) for w in vocab_words}
    vocab_words.discard("")
    # only an id without separators whose words include a long unknown one ("Getorganizationspendlimit")
    if joined.isalnum() and op.operation_id.isalnum() and any(len(w) >= 10 and w not in vocab_words for w in ws):
        split = _segment(joined, frozenset(vocab_words))
        if split is not None and len(split) > len(ws):
            ws = [w for w in split if w not in _STOP_WORDS]
    elif any(len(w) >= 10 and w not in vocab_words for w in ws):
        # "beta_Getinputtokencounts": each long unknown word on its own
        out: list[str] = []
        for w in ws:
            split = _segment(w, frozenset(vocab_words)) if len(w) >= 10 and w not in vocab_words else None
            out += [x for x in split if x not in _STOP_WORDS] if split else [w]
        ws = out
    raw = list(ws)
    # "api v1" inside an id says nothing about the operation
    ws = [w for i, w in enumerate(ws) if not (w == "api" and i + 1 < len(ws) and _VERSION.match(ws[i + 1]))
          and not (_VERSION.match(w) and w.startswith("v") and i > 0 and ws[i - 1] == "api")]
    while len(ws) > 1 and (ws[-1] in _FILLER_TAIL or _VERSION.match(ws[-1])):
        ws = ws[:-1]
    # a verb at the end ("admin-api-keys-list") goes first
    if len(ws) > 1 and ws[0] not in _ALL_GENERIC and ws[-1] in _ALL_GENERIC:
        ws = [ws[-1], *ws[:-1]]
        while len(ws) > 1 and (ws[-1] in _FILLER_TAIL or _VERSION.match(ws[-1])):
            ws = ws[:-1]
    return ws, raw


def _drop_group(ws: list[str], group_words: list[str]) -> list[str]:
    """``ws`` without the group's noun: the group's words (singular or plural) wherever they sit."""
    if not group_words:
        return ws
    nouns = {singular(g) for g in group_words} | {singular("".join(group_words))}  # "VPCs" is vp, cs
    return [w for w in ws if singular(w) not in nouns]


def _short_name(op: OperationName, group_words: list[str]) -> tuple[list[str], list[str]]:
    """(the name's words, the operation's own words with their verb first)."""
    ws, raw = _operation_words(op)
    canonical = resource_verb(op.method, op.path)
    lead: list[str] = []
    if ws and ws[0] not in _ALL_GENERIC:
        # "beta_createResponse": words before a generic verb are kept in front of it
        k = next((i for i, w in enumerate(ws) if w in _ALL_GENERIC), None)
        if k is not None and k <= 2 and all(w not in _ALL_GENERIC for w in ws[:k]):
            lead, ws = _drop_group(ws[:k], group_words), ws[k:]
    own = raw
    if ws and ws[0] in _ALL_GENERIC:
        verb, rest = ws[0], ws[1:]
        # the resource verb replaces a synonym; the operationId's own resource verb stays
        segments, _ = _path_parts(op.path)
        last = words(segments[-1]) if segments and not segments[-1].startswith("{") else []
        # POST /x/{id}/accept: the path's last word is the action (not the group's noun)
        action = (op.method == "post" and bool(last) and not _plural(last[-1]) and last[-1] in rest
                  and last[-1] in _drop_group(rest, group_words))
        if canonical is not None and verb in _GENERIC_VERBS[canonical] and verb not in _GENERIC_VERBS and not action:
            verb = canonical
        rest = _drop_group(rest, group_words) or []
        return [*lead, verb, *rest], own
    rest = _drop_group(ws, group_words)
    segments, _ = _path_parts(op.path)
    static = {singular(w) for w in _static_words(segments)}
    collection_noun = bool(rest) and _plural(rest[-1])
    if canonical is not None and (not rest or collection_noun) and all(singular(w) in static for w in rest):
        # no verb, only the path's nouns ("usage-costs"): the resource verb says it
        return [*lead, canonical, *rest], own
    return lead + (rest or ws), own


def method_names(group: str, operations: list[OperationName]) -> list[str]:
    """Method names for one group's operations, in the same order (see the README's "Names").

    ``x-codegen-name`` wins.  Otherwise the operationId without framework suffixes and without
    the group's noun, its generic verb replaced by the resource verb (``list``, ``create``,
    ``retrieve``, ``update``, ``delete``).  Operations whose names would collide are told apart by
    meaning: the operation's own words, then the path's nouns, then the HTTP method.
    """
    group_words = words(group)
    names: list[list[str] | None] = []
    owns: list[list[str]] = []
    for op in operations:
        if op.explicit:
            names.append(None)
            owns.append(words(op.explicit))
            continue
        short, own = _short_name(op, group_words)
        names.append(short or own or [op.method])
        owns.append(own)
    explicit = {i: method_safe(snake(op.explicit)) for i, op in enumerate(operations) if op.explicit}
    taken = set(RESERVED_METHOD_NAMES) | set(explicit.values())

    def joined(ws: list[str]) -> str:
        n = "_".join(ws) or "call"
        n = method_safe("call_" + n if n[0].isdigit() else n)
        # a name the runtime uses gets a trailing "_", as a keyword does
        return n + "_" if n in RESERVED_METHOD_NAMES else n

    current = {i: joined(ws) for i, ws in enumerate(names) if ws is not None}
    for step in range(4):
        counts = Counter(current.values())
        clashing = [i for i, n in current.items() if counts[n] > 1 or n in taken]
        if not clashing:
            break
        for i in clashing:
            op = operations[i]
            segments, qualifier = _path_parts(op.path)
            base = names[i] or []
            if step == 0:
                # the operation's own words (its verb kept), without the group's noun
                ws = [w for w in owns[i] if w not in _STOP_WORDS]
                if len(ws) > 1 and ws[0] not in _ALL_GENERIC and ws[-1] in _ALL_GENERIC:
                    ws = [ws[-1], *ws[:-1]]
                ws = ws[:1] + _drop_group(ws[1:], group_words) if ws and ws[0] in _ALL_GENERIC else (
                    _drop_group(ws, group_words) or ws)
            elif step == 1:
                # the path's nouns it does not say yet, parents as "for_<noun>"
                ws = list(base)
                have = {singular(w) for w in ws}
                extra: list[str] = []
                for k, seg in enumerate(segments):
                    if seg.startswith("{"):
                        continue
                    seg_words = [w for w in words(seg) if singular(w) not in have and not _VERSION.match(w)]
                    parent = k + 1 < len(segments) and segments[k + 1].startswith("{") and k + 2 < len(segments)
                    if not parent:  # the group's noun is said only as a parent ("for_guardrail")
                        seg_words = _drop_group(seg_words, group_words)
                    if not seg_words:
                        continue
                    extra += (["for"] + [singular(w) for w in seg_words]) if parent else seg_words
                ws += extra + words(qualifier)
            else:
                ws = list(base) + [op.method] + (words(qualifier) if step == 3 else [])
            names[i] = ws
            current[i] = joined(ws)
    result: list[str] = []
    namer = Namer(set(RESERVED_METHOD_NAMES))
    for i in range(len(operations)):
        name = explicit.get(i) or current[i]
        # never reached on real specs: the steps above tell operations apart by meaning
        result.append(namer.claim(name))
    return result
