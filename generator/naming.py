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
from typing import Iterable

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
    name = snake(wire, fallback="field")
    if name in RESERVED_FIELD_NAMES:
        name += "_"
    return name


def param_name(wire: str) -> str:
    name = snake(wire, fallback="param")
    if name in RESERVED_PARAM_NAMES:
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


def env_prefix(package: str) -> str:
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

    def copy(self) -> "Namer":
        other = Namer()
        other._taken, other._folded = set(self._taken), set(self._folded)
        return other


_SINGULAR_RULES = (("ies", "y"), ("sses", "ss"), ("xes", "x"), ("ches", "ch"), ("shes", "sh"), ("s", ""))


def singular(word: str) -> str:
    for suffix, repl in _SINGULAR_RULES:
        if word.endswith(suffix) and len(word) > len(suffix) + 1 and not word.endswith("ss"):
            return word[: -len(suffix)] + repl
    return word


def method_names(group: str, operation_ids: list[str]) -> list[str]:
    """Method names for one group's operations, in the same order.

    The operationId in snake_case, with the group's own noun dropped when what is left stays
    unique in the group (``listWorkspaces`` in ``workspaces`` -> ``list``), else the full name.
    """
    group_words = words(group)
    nouns = set()
    if group_words:
        last = group_words[-1]
        nouns = {last, singular(last), singular(last) + "s"}
    full = [words(op) for op in operation_ids]
    short: list[str] = []
    for ws in full:
        rest = _drop_sequence(ws, group_words)
        if rest == ws:
            rest = [w for w in ws if w not in nouns]
        short.append("_".join(rest))
    joined = ["_".join(ws) for ws in full]
    short_count, full_count = Counter(short), Counter(joined)
    names: list[str] = []
    for s, j in zip(short, joined):
        # unique among the short names, and no other operation's full name
        ok = s and short_count[s] == 1 and full_count[s] == (1 if j == s else 0)
        names.append(s if ok else j or "call")
    namer = Namer(RESERVED_METHOD_NAMES)
    result = []
    for n in names:
        if n[0].isdigit():
            n = "call_" + n
        result.append(namer.claim(method_safe(n)))
    return result


def _drop_sequence(ws: list[str], seq: list[str]) -> list[str]:
    if not seq or len(seq) >= len(ws):
        return ws
    for i in range(len(ws) - len(seq) + 1):
        window = ws[i : i + len(seq)]
        if window[:-1] == seq[:-1] and singular(window[-1]) == singular(seq[-1]):
            return ws[:i] + ws[i + len(seq) :]
    return ws
