"""Faster stand-ins for the slow parts of openapi-spec-validator; the findings stay the same.

Where the time went (stock: OpenRouter's spec ~7 s, OpenAI's ~12 s, GitHub's ~20 s):

* **The whole-document check re-crawled its schema at every ``$dynamicRef``.**  The OpenAPI 3.1
  schema points at each Schema Object with ``$dynamicRef: "#meta"``.  jsonschema's validator
  starts from a ``referencing`` registry in which its own root schema is not yet crawled; a
  lookup of an anchor crawls it, but the crawled registry only travels down the branch that
  looked, so the next sibling crawls the ~750 subschemas again (~1,500 times for OpenRouter).
  :func:`precrawled` hands the validator a registry crawled once.  Crawling only indexes ids
  and anchors, so every lookup finds what it found before.

* **Every Schema Object was checked against the meta-schema by a jsonschema evaluation**, which
  builds a validator object per step, and so was the whole document against the OpenAPI
  schema.  Nearly everything is valid, so each check runs first as the compiled yes/no of
  ``generator.validate.schemacheck``; only what is not certainly valid goes through jsonschema (for a
  Schema Object: openapi-schema-validator's own check), which makes every error reported.

* **The visited-schema registries are lists** searched for every schema (quadratic); here they
  are lists that also keep a set for ``in``.

* **Every access to the document went through jsonschema-path**, which walks each path from its
  longest cached prefix, checks a runtime ``Protocol`` with ``isinstance`` at every step and
  keeps an LRU of 128 paths.  :class:`FastSchemaPath` offers what the keyword validators use of
  ``SchemaPath`` with the same resolution (jsonschema-path's own ``$ref`` step and resolver, the
  registry shared and re-bound as it grows, so each file is retrieved once), each path resolved
  once from its parent.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterator
from typing import Any

from generator.validate import schemacheck


def attributes(base: type) -> dict[str, Any]:
    """Class attributes for a subclass of openapi-spec-validator's ``base`` spec validator:
    ``keyword_validators`` (the replacements only), ``schema_validator`` and ``__init__``."""

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        base.__init__(self, *args, **kwargs)  # type: ignore[misc]
        self.schema_path = FastSchemaPath.over(self.schema_path)

    replaced: dict[str, type] = {}
    schema_kv = base.keyword_validators.get("schema")  # type: ignore[attr-defined]
    if schema_kv is not None:
        replaced["schema"] = _faster_schema_validator(schema_kv)
    result: dict[str, Any] = {"keyword_validators": replaced, "__init__": __init__}
    whole = _whole_document_validator(base)
    if whole is not None:
        result["schema_validator"] = whole
    return result


# -- the whole-document check ------------------------------------------------------------------

@functools.cache
def _whole_document_validator(base: type) -> Any:
    stock = getattr(base.schema_validator, "__wrapped__", base.schema_validator)  # type: ignore[attr-defined]
    validator = precrawled(stock)
    quick = schemacheck.compile_validator(validator)
    return validator if quick is None else _QuickFirst(validator, quick)


class _QuickFirst:
    """``iter_errors`` of a jsonschema validator, skipped when the compiled check of the same
    schema says the document is certainly valid (then there are no errors to find)."""

    def __init__(self, validator: Any, quick: Callable[[Any], bool]) -> None:
        self.validator = validator
        self.quick = quick

    def iter_errors(self, instance: Any) -> Iterator[Any]:
        if not self.quick(instance):
            yield from self.validator.iter_errors(instance)


def precrawled(validator: Any) -> Any:
    """The same jsonschema validator with its reference registry crawled up front (anything
    else, e.g. another backend's validator, is returned as it is)."""
    import attrs

    resolver: Any = getattr(validator, "_resolver", None)
    registry = getattr(resolver, "_registry", None)
    if registry is None or not hasattr(validator, "evolve") or getattr(validator, "_ref_resolver", None) is not None:
        return validator
    try:
        return validator.evolve(_resolver=attrs.evolve(resolver, registry=registry.crawl()))
    except Exception:  # not the referencing/jsonschema we know: keep the stock validator
        return validator


# -- Schema Objects ----------------------------------------------------------------------------

class _IdList(list):  # type: ignore[type-arg]
    """A list of ids with a set beside it, for a fast ``in``."""

    def __init__(self) -> None:
        super().__init__()
        self._set: set[Any] = set()

    def append(self, item: Any) -> None:
        super().append(item)
        self._set.add(item)

    def __contains__(self, item: object) -> bool:
        return item in self._set


@functools.cache
def _faster_schema_validator(cls: type) -> type:
    def __init__(self: Any, registry: Any) -> None:
        cls.__init__(self, registry)  # type: ignore[misc]
        if isinstance(getattr(self, "visited_schema_ids", None), list) and not self.visited_schema_ids:
            self.visited_schema_ids = _IdList()
        if isinstance(getattr(self, "meta_checked_schema_ids", None), list) and not self.meta_checked_schema_ids:
            self.meta_checked_schema_ids = _IdList()

    def _get_schema_checker(self: Any, schema: Any, schema_value: Any) -> Callable[[Any], None]:
        return quick_first(cls._get_schema_checker(self, schema, schema_value))  # type: ignore[attr-defined]

    members: dict[str, Any] = {"__init__": __init__}
    if hasattr(cls, "_get_schema_checker"):
        members["_get_schema_checker"] = _get_schema_checker
    return type(cls.__name__, (cls,), members)


def quick_first(checker: Callable[[Any], None]) -> Callable[[Any], None]:
    """``checker`` (openapi-schema-validator's meta-schema check of a schema, raising the first
    error), preceded by the compiled yes/no of the same check: the slow check runs only for a
    schema that is not certainly valid.  Checkers not recognised are returned as they are."""
    target = _checked_with(checker)
    if target is None:
        return checker
    quick = _compiled(*target)
    if quick is None:
        return checker

    def check(schema_value: Any) -> None:
        if not quick(schema_value):
            checker(schema_value)

    return check


def _checked_with(checker: Any) -> tuple[type, Any] | None:
    """(validator class, format checker) of openapi-schema-validator's ``check_schema``."""
    try:
        from openapi_schema_validator.validators import check_openapi_schema
    except ImportError:
        return None
    format_checker = _DEFAULT
    if isinstance(checker, functools.partial):
        if checker.args or set(checker.keywords) != {"format_checker"}:
            return None
        format_checker = checker.keywords["format_checker"]
        checker = checker.func
    if getattr(checker, "__func__", None) is not check_openapi_schema:
        return None
    cls = checker.__self__
    return cls, cls.FORMAT_CHECKER if format_checker is _DEFAULT else format_checker


_DEFAULT = object()


@functools.cache
def _compiled(cls: type, format_checker: Any) -> Callable[[Any], bool] | None:
    """The meta-schema validator ``check_openapi_schema(cls, ..., format_checker)`` builds,
    compiled."""
    try:
        from jsonschema.validators import validator_for

        # imported there without being re-exported; its home module is private and has moved before
        from openapi_schema_validator.validators import OPENAPI_SPECIFICATIONS  # type: ignore[attr-defined]
    except ImportError:
        return None
    meta = cls.META_SCHEMA  # type: ignore[attr-defined]
    validator = validator_for(meta, default=cls)(meta, format_checker=format_checker, registry=OPENAPI_SPECIFICATIONS)
    return schemacheck.compile_validator(validator)


# -- the document --------------------------------------------------------------------------------

_NOT_SET = object()


class _Tree:
    """One document's resolution state: jsonschema-path's resolver (its registry replaced by
    each bigger one a ``$ref`` retrieval makes) and every path resolved so far."""

    def __init__(self, node: Any, resolver: Any, stock: Any) -> None:
        from jsonschema_path import _referencing_compat as compat
        from jsonschema_path.nodes import SchemaNode
        from jsonschema_path.utils import is_ref

        self.node = node
        self.resolver = resolver
        self.stock = stock
        self.resolved_at: dict[tuple[Any, ...], Any] = {}
        self._compat = compat
        self._node_class = SchemaNode
        self._is_ref = is_ref

    def resolved(self, parts: tuple[Any, ...]) -> Any:
        """jsonschema-path's ``Resolved`` for ``parts`` (contents and resolver, $refs followed)."""
        compat = self._compat
        found = self.resolved_at.get(parts)
        current = self.resolver._registry
        if found is not None:
            if found.resolver._registry is not current:
                found = self.resolved_at[parts] = compat.rebind_resolved(found, current)
            return found
        if parts:
            parent = self.resolved(parts[:-1])
            node, resolver = self._subnode(parent.contents, parts[-1]), parent.resolver
        else:
            node, resolver = self.node, self.resolver
        if self._is_ref(node):
            found = self._node_class._resolve_node(node, resolver)
        else:
            from referencing._core import Resolved

            found = Resolved(contents=node, resolver=resolver)  # type: ignore[call-arg]
        self.resolved_at[parts] = found
        registry = found.resolver._registry
        if registry is not self.resolver._registry:
            self.resolver = compat.rebind_registry(self.resolver, registry)
        return found

    def _subnode(self, node: Any, part: Any) -> Any:
        if type(node) is dict or type(node) is list:  # Subscriptable, without the Protocol check
            try:
                return node[part]
            except (KeyError, IndexError, TypeError) as exc:
                raise KeyError(part) from exc
        return self._node_class._get_subnode(node, part)


class FastSchemaPath:
    """The part of jsonschema-path's ``SchemaPath`` that openapi-spec-validator's keyword
    validators use, over a shared :class:`_Tree`.  Anything else is asked of a stock
    ``SchemaPath`` at the same parts."""

    __slots__ = ("_tree", "parts")
    separator = "#"

    def __init__(self, tree: _Tree, parts: tuple[Any, ...]) -> None:
        self._tree = tree
        self.parts = parts

    @classmethod
    def over(cls, stock: Any) -> Any:
        """A fast path over the document of a stock ``SchemaPath`` (anything unexpected: as is)."""
        accessor: Any = getattr(stock, "accessor", None)
        path_resolver = getattr(accessor, "_path_resolver", None)
        resolver = getattr(path_resolver, "resolver", None)
        if resolver is None or getattr(stock, "parts", None) != () or not hasattr(resolver, "_registry"):
            return stock
        try:
            return cls(_Tree(accessor.node, resolver, stock), ())
        except ImportError:
            return stock

    def _clone_with_parts(self, parts: tuple[Any, ...]) -> FastSchemaPath:
        return FastSchemaPath(self._tree, parts)

    def _contents(self) -> Any:
        return self._tree.resolved(self.parts).contents

    def __truediv__(self, key: Any) -> FastSchemaPath:
        if type(key) is str and key and key != "." and self.separator not in key:
            return FastSchemaPath(self._tree, (*self.parts, key))
        from jsonschema_path import SchemaPath

        return FastSchemaPath(self._tree, self.parts + SchemaPath._parse_args((key,), sep=self.separator))

    def read_value(self) -> Any:
        return self._contents()

    def read_str(self, default: Any = _NOT_SET) -> Any:
        try:
            value = self.read_value()
        except KeyError:
            if default is not _NOT_SET:
                return default
            raise
        if not isinstance(value, str):
            raise TypeError(f"Expected a string value, got {type(value)}")
        return value

    def keys(self) -> Any:
        node = self._contents()
        if isinstance(node, dict):
            return node.keys()
        if isinstance(node, list):
            return range(len(node))
        if self.parts:
            raise KeyError(self.parts[-1])
        raise KeyError

    def items(self) -> Iterator[tuple[Any, FastSchemaPath]]:
        for key in self.keys():
            yield key, FastSchemaPath(self._tree, (*self.parts, key))

    def __iter__(self) -> Iterator[FastSchemaPath]:
        for key in self.keys():
            yield FastSchemaPath(self._tree, (*self.parts, key))

    def __contains__(self, key: Any) -> bool:
        try:
            node = self._contents()
        except (KeyError, IndexError, TypeError):
            return False
        if isinstance(node, dict):
            return key in node
        if isinstance(node, list):
            return isinstance(key, int) and 0 <= key < len(node)
        return False

    def __getitem__(self, key: Any) -> Any:
        from collections.abc import Mapping

        child = self._tree._subnode(self._contents(), key)
        if isinstance(child, (Mapping, list)):
            return FastSchemaPath(self._tree, (*self.parts, key))
        return child

    @contextlib.contextmanager
    def resolve(self) -> Iterator[Any]:
        yield self._tree.resolved(self.parts)

    def __getattr__(self, name: str) -> Any:
        if name in FastSchemaPath.__slots__:  # not set (yet): no fallback
            raise AttributeError(name)
        return getattr(self._tree.stock._clone_with_parts(self.parts), name)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, FastSchemaPath):
            return NotImplemented
        return self.parts == other.parts and self._tree is other._tree

    def __hash__(self) -> int:
        return hash((self.parts, id(self._tree)))

    def __str__(self) -> str:
        return self.separator.join(str(p) for p in self.parts)

    def __repr__(self) -> str:
        return f"SchemaPath({str(self)!r})"
