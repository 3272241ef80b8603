"""A quick yes/no answer to "is this value valid against this schema?", for skipping exact checks.

openapi-spec-validator checks every schema of a spec against its meta-schema with jsonschema,
which builds a new validator object at every step of the evaluation (and resolves every ``$ref``
again); on a big spec that is most of the validation time.  Here the meta-schema is compiled
once, with jsonschema's own ``$ref`` resolution, into plain closures that answer one question:
is the value *certainly* valid?

Nothing here decides what is reported.  When the answer is not a certain yes (the value is
invalid, or something happened that this module does not model: a keyword it does not know, a
value of an unusual shape, deep nesting, any exception), the caller runs jsonschema itself, so the
findings are always jsonschema's.  For that to hold, a yes must be right: each keyword is either
one whose jsonschema function is called as it is (the keywords that look only at the value), or
an applicator written here to decide validity exactly as jsonschema does.  A keyword function we
do not recognise by identity makes :func:`compile_validator` give up, so a different jsonschema
disables the shortcut rather than changing results.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

Check = Callable[[Any], bool]

# Deeper values are left to jsonschema, which needs ~10 frames per level of the value and so may
# stop with a RecursionError where these closures would not; its outcome is the one to report.
MAX_DEPTH = 40


class _Unsupported(Exception):
    """The schema uses something this module does not model: no shortcut."""


def compile_validator(validator: Any) -> Callable[[Any], bool] | None:
    """For a jsonschema validator instance: a function that says True only when
    ``validator.iter_errors(value)`` would find nothing; None when the schema cannot be compiled."""
    try:
        check = _Compiler(validator).root()
    except Exception:  # _Unsupported, or a jsonschema/referencing not as expected: no shortcut
        return None

    def certainly_valid(value: Any) -> bool:
        if _deeper_than(value, MAX_DEPTH):
            return False
        try:
            return check(value)
        except Exception:  # RecursionError included: jsonschema decides
            return False

    return certainly_valid


def _deeper_than(value: Any, limit: int) -> bool:
    """Whether some container sits ``limit`` or more levels down in ``value`` (a cycle does)."""
    stack = [(value, 0)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            children: Any = node.values()
        elif isinstance(node, list):
            children = node
        else:
            continue
        if depth >= limit:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return False


def _plain(schema: Any) -> Any:
    """The dict behind a lazy proxy (openapi-spec-validator loads its schemas lazily)."""
    if type(schema) is not dict and isinstance(schema, dict):
        wrapped = getattr(schema, "__wrapped__", None)
        if type(wrapped) is dict:
            return wrapped
    return schema


def _yes(value: Any) -> bool:
    return True


def _no(value: Any) -> bool:
    return False


class _Compiler:
    def __init__(self, validator: Any) -> None:
        import jsonschema
        from jsonschema import _keywords as kw
        from jsonschema import _legacy_keywords as legacy
        from jsonschema import _types

        cls = type(validator)
        if cls is jsonschema.Draft202012Validator and cls.TYPE_CHECKER is _types.draft202012_type_checker:
            self.ref_hides_siblings, self.id_keyword = False, "$id"
        elif cls is jsonschema.Draft4Validator and cls.TYPE_CHECKER is _types.draft4_type_checker:
            self.ref_hides_siblings, self.id_keyword = True, "id"
        else:
            raise _Unsupported(cls.__name__)
        if getattr(validator, "_ref_resolver", None) is not None:
            raise _Unsupported("legacy RefResolver")
        self.validator = validator
        self.keywords: dict[str, Any] = dict(cls.VALIDATORS)
        # keyword functions that look at the value only (no descent, no $ref): called as they are
        self.leaves = {kw.type, kw.enum, kw.const, kw.minimum, kw.maximum, kw.exclusiveMinimum,
                       kw.exclusiveMaximum, kw.multipleOf, kw.minItems, kw.maxItems, kw.uniqueItems,
                       kw.pattern, kw.format, kw.minLength, kw.maxLength, kw.dependentRequired,
                       kw.required, kw.minProperties, kw.maxProperties,
                       legacy.minimum_draft3_draft4, legacy.maximum_draft3_draft4}
        self.applicators: dict[Any, Callable[[Any, dict[str, Any], Any], Check]] = {
            kw.ref: self._ref, kw.dynamicRef: self._dynamic_ref,
            kw.properties: self._properties, kw.patternProperties: self._pattern_properties,
            kw.additionalProperties: self._additional_properties, kw.propertyNames: self._property_names,
            kw.items: self._items, legacy.items_draft3_draft4: self._items_draft4,
            kw.prefixItems: self._prefix_items, kw.allOf: self._all_of, kw.anyOf: self._any_of,
            kw.oneOf: self._one_of, kw.not_: self._not, kw.if_: self._if,
            kw.dependentSchemas: self._dependent_schemas,
            legacy.dependencies_draft4_draft6_draft7: self._dependencies,
            kw.unevaluatedProperties: self._unevaluated_properties,
        }
        self.type_keyword = kw.type
        self.done: dict[int, Check] = {}
        self.done_evaluated: dict[int, Callable[[Any], set[Any]]] = {}
        self.dynamic: list[tuple[str, Any, Any]] = []  # (anchor name, registry, target) of each $dynamicRef
        self.bases: set[str] = set()  # the base URIs of all resources reached
        self.keep: list[Any] = []  # the schemas compiled, so that their ids stay theirs
        self.types: dict[str, Check] = {}

    def root(self) -> Check:
        check = self.node(self.validator.schema, self.validator._resolver, resource=True)
        self._check_dynamic_targets()
        return check

    # -- schemas ------------------------------------------------------------------------------

    def node(self, schema: Any, resolver: Any, resource: bool = False) -> Check:
        schema = _plain(schema)
        if schema is True:
            return _yes
        if schema is False:
            return _no
        if type(schema) is not dict:
            raise _Unsupported(f"schema of type {type(schema).__name__}")
        if not resource and self.id_keyword in schema:
            raise _Unsupported("an embedded resource")  # would need its own base URI
        self.bases.add(resolver._base_uri)
        known = self.done.get(id(schema))
        if known is not None:
            return known
        cell: list[Check] = []
        self.done[id(schema)] = lambda value: cell[0](value)  # noqa: PLW0108 - for cycles, until compiled: cell is filled later
        self.keep.append(schema)
        ref = schema.get("$ref")
        pairs = [("$ref", ref)] if self.ref_hides_siblings and ref is not None else list(schema.items())
        checks: list[Check] = []
        for name, value in pairs:
            function = self.keywords.get(name)
            if function is None:
                continue  # an annotation or unknown keyword: jsonschema ignores it too
            if function is self.type_keyword:
                checks.append(self._type(value))
            elif function in self.leaves:
                checks.append(self._leaf(function, value, schema))
            elif function in self.applicators:
                checks.append(self.applicators[function](value, schema, resolver))
            else:
                raise _Unsupported(name)
        check = _all(checks)
        cell.append(check)
        self.done[id(schema)] = check
        return check

    def is_type(self, name: str) -> Check:
        """jsonschema's type test, remembered per Python type where only the type decides."""
        known = self.types.get(name)
        if known is not None:
            return known
        is_type = self.validator.is_type
        seen: dict[type, bool] = {}

        def check(value: Any) -> bool:
            kind = type(value)
            if kind is float:  # "integer" looks at the value
                return bool(is_type(value, name))
            answer = seen.get(kind)
            if answer is None:
                answer = seen[kind] = bool(is_type(value, name))
            return answer

        self.types[name] = check
        return check

    # -- keywords that look at the value only --------------------------------------------------

    def _leaf(self, function: Any, value: Any, schema: dict[str, Any]) -> Check:
        validator = self.validator

        def check(instance: Any) -> bool:
            return next(iter(function(validator, value, instance, schema) or ()), None) is None

        return check

    def _type(self, value: Any) -> Check:
        names = [value] if isinstance(value, str) else value
        if type(names) is not list or not all(isinstance(n, str) for n in names):
            raise _Unsupported("type")
        tests = [self.is_type(n) for n in names]
        if len(tests) == 1:
            return tests[0]
        return lambda instance: any(test(instance) for test in tests)

    # -- applicators, deciding validity as jsonschema's keyword functions do -------------------

    def _ref(self, ref: Any, schema: dict[str, Any], resolver: Any) -> Check:
        return self.node(*self._target("$ref", ref, resolver), resource=True)

    def _dynamic_ref(self, ref: Any, schema: dict[str, Any], resolver: Any) -> Check:
        return self.node(*self._target("$dynamicRef", ref, resolver), resource=True)

    def _target(self, keyword: str, ref: Any, resolver: Any) -> tuple[Any, Any]:
        """What a ``$ref`` or ``$dynamicRef`` resolves to, and the resolver there."""
        resolved = resolver.lookup(ref)
        if keyword == "$dynamicRef" and _plain(resolved.contents) is not _plain(self.validator.schema):
            # referencing resolves a dynamic anchor to the outermost resource in the dynamic
            # scope that has it, so the target may depend on the path that led here.  It does
            # not when it is the root (every evaluation starts there), nor when no other
            # resource reached has a dynamic anchor of that name: checked at the end.
            fragment = ref.partition("#")[2] if isinstance(ref, str) else None
            if not fragment or fragment.startswith("/"):
                raise _Unsupported("$dynamicRef")
            self.dynamic.append((fragment, resolver._registry, _plain(resolved.contents)))
        return resolved.contents, resolved.resolver

    def _check_dynamic_targets(self) -> None:
        from referencing.exceptions import NoSuchAnchor
        from referencing.jsonschema import DynamicAnchor

        for name, registry, target in self.dynamic:
            for base in self.bases:
                try:
                    anchor = registry.anchor(base, name).value
                except NoSuchAnchor:
                    continue
                if isinstance(anchor, DynamicAnchor) and _plain(anchor.resource.contents) is not target:
                    raise _Unsupported("$dynamicRef with more than one target")

    def _properties(self, value: Any, schema: dict[str, Any], resolver: Any) -> Check:
        if type(value) is not dict:
            raise _Unsupported("properties")
        pairs = [(name, self.node(sub, resolver)) for name, sub in value.items()]
        is_object = self.is_type("object")

        def check(instance: Any) -> bool:
            if not is_object(instance):
                return True
            for name, sub in pairs:
                if name in instance and not sub(instance[name]):
                    return False
            return True

        return check

    def _pattern_properties(self, value: Any, schema: dict[str, Any], resolver: Any) -> Check:
        if type(value) is not dict:
            raise _Unsupported("patternProperties")
        pairs = [(re.compile(pattern).search, self.node(sub, resolver)) for pattern, sub in value.items()]
        is_object = self.is_type("object")

        def check(instance: Any) -> bool:
            if not is_object(instance):
                return True
            for search, sub in pairs:
                for key, item in instance.items():
                    if search(key) and not sub(item):
                        return False
            return True

        return check

    def _additional_properties(self, value: Any, schema: dict[str, Any], resolver: Any) -> Check:
        properties = schema.get("properties", {})
        patterns = "|".join(schema.get("patternProperties", {}))
        search = re.compile(patterns).search if patterns else None
        is_object = self.is_type("object")
        sub = self.node(value, resolver) if type(value) is dict else None
        if sub is None and type(value) is not bool:
            raise _Unsupported("additionalProperties")
        forbid = value is False

        def check(instance: Any) -> bool:
            if not is_object(instance):
                return True
            extras = [k for k in instance if k not in properties and not (search is not None and search(k))]
            if sub is not None:
                return all(sub(instance[k]) for k in extras)
            return not (forbid and extras)

        return check

    def _property_names(self, value: Any, schema: dict[str, Any], resolver: Any) -> Check:
        sub = self.node(value, resolver)
        is_object = self.is_type("object")
        return lambda instance: not is_object(instance) or all(sub(key) for key in instance)

    def _items(self, value: Any, schema: dict[str, Any], resolver: Any) -> Check:
        prefix = len(schema.get("prefixItems", []))
        sub = self.node(value, resolver)
        is_array = self.is_type("array")
        forbid = value is False

        def check(instance: Any) -> bool:
            if not is_array(instance) or len(instance) <= prefix:
                return True
            if forbid:
                return False
            return all(sub(instance[i]) for i in range(prefix, len(instance)))

        return check

    def _items_draft4(self, value: Any, schema: dict[str, Any], resolver: Any) -> Check:
        is_array = self.is_type("array")
        if type(value) is dict:
            sub = self.node(value, resolver)
            return lambda instance: not is_array(instance) or all(sub(item) for item in instance)
        if type(value) is list:
            subs = [self.node(each, resolver) for each in value]
            return lambda instance: not is_array(instance) or all(s(i) for s, i in zip(subs, instance, strict=False))
        raise _Unsupported("items")

    def _prefix_items(self, value: Any, schema: dict[str, Any], resolver: Any) -> Check:
        if type(value) is not list:
            raise _Unsupported("prefixItems")
        subs = [self.node(each, resolver) for each in value]
        is_array = self.is_type("array")
        return lambda instance: not is_array(instance) or all(s(i) for s, i in zip(subs, instance, strict=False))

    def _subschemas(self, value: Any, resolver: Any, keyword: str) -> list[Check]:
        if type(value) is not list:
            raise _Unsupported(keyword)
        return [self.node(each, resolver) for each in value]

    def _all_of(self, value: Any, schema: dict[str, Any], resolver: Any) -> Check:
        return _all(self._subschemas(value, resolver, "allOf"))

    def _any_of(self, value: Any, schema: dict[str, Any], resolver: Any) -> Check:
        subs = self._subschemas(value, resolver, "anyOf")
        return lambda instance: any(sub(instance) for sub in subs)

    def _one_of(self, value: Any, schema: dict[str, Any], resolver: Any) -> Check:
        subs = self._subschemas(value, resolver, "oneOf")
        return lambda instance: sum(1 for sub in subs if sub(instance)) == 1

    def _not(self, value: Any, schema: dict[str, Any], resolver: Any) -> Check:
        sub = self.node(value, resolver)
        return lambda instance: not sub(instance)

    def _if(self, value: Any, schema: dict[str, Any], resolver: Any) -> Check:
        condition = self.node(value, resolver)
        then = self.node(schema["then"], resolver) if "then" in schema else _yes
        otherwise = self.node(schema["else"], resolver) if "else" in schema else _yes
        return lambda instance: then(instance) if condition(instance) else otherwise(instance)

    def _dependent_schemas(self, value: Any, schema: dict[str, Any], resolver: Any) -> Check:
        if type(value) is not dict:
            raise _Unsupported("dependentSchemas")
        pairs = [(name, self.node(sub, resolver)) for name, sub in value.items()]
        is_object = self.is_type("object")
        return lambda instance: not is_object(instance) or all(
            sub(instance) for name, sub in pairs if name in instance)

    def _dependencies(self, value: Any, schema: dict[str, Any], resolver: Any) -> Check:
        if type(value) is not dict:
            raise _Unsupported("dependencies")
        is_object = self.is_type("object")
        required: list[tuple[Any, list[Any]]] = []
        schemas: list[tuple[Any, Check]] = []
        for name, dependency in value.items():
            if type(dependency) is list:
                required.append((name, dependency))
            else:
                schemas.append((name, self.node(dependency, resolver)))

        def check(instance: Any) -> bool:
            if not is_object(instance):
                return True
            for name, needed in required:
                if name in instance and any(each not in instance for each in needed):
                    return False
            return all(sub(instance) for name, sub in schemas if name in instance)

        return check

    def _unevaluated_properties(self, value: Any, schema: dict[str, Any], resolver: Any) -> Check:
        evaluated = self.evaluated(schema, resolver)
        sub = self.node(value, resolver)
        is_object = self.is_type("object")

        def check(instance: Any) -> bool:
            if not is_object(instance):
                return True
            known = evaluated(instance)
            return all(sub(instance[key]) for key in instance if key not in known)

        return check

    def evaluated(self, schema: Any, resolver: Any) -> Callable[[Any], set[Any]]:
        """The property names of an object that ``schema`` evaluates, as jsonschema's
        ``find_evaluated_property_keys_by_schema`` finds them (for ``unevaluatedProperties``)."""
        schema = _plain(schema)
        if type(schema) is bool:
            return lambda instance: set()
        if type(schema) is not dict:
            raise _Unsupported("unevaluatedProperties")
        self.bases.add(resolver._base_uri)
        known = self.done_evaluated.get(id(schema))
        if known is not None:
            return known
        cell: list[Callable[[Any], set[Any]]] = []
        self.done_evaluated[id(schema)] = lambda instance: cell[0](instance)  # noqa: PLW0108 - cell is filled later
        self.keep.append(schema)
        parts: list[Callable[[Any], Any]] = []
        for keyword in ("$ref", "$dynamicRef"):
            ref = schema.get(keyword)
            if ref is not None:
                target, at = self._target(keyword, ref, resolver)
                parts.append(self.evaluated(target, at))
        properties: Any = schema.get("properties")
        if self.validator.is_type(properties, "object"):
            names = properties.keys()
            parts.append(lambda instance: names & instance.keys())
        for keyword in ("additionalProperties", "unevaluatedProperties"):
            sub_schema = schema.get(keyword)
            if sub_schema is not None:
                parts.append(_valid_keys(self.node(sub_schema, resolver)))
        if "patternProperties" in schema:
            patterns = list(schema["patternProperties"])

            def matching(instance: Any) -> list[Any]:
                return [k for k in instance for p in patterns if re.search(p, k)]

            parts.append(matching)
        if "dependentSchemas" in schema:
            dependents = [(name, self.evaluated(sub_schema, resolver))
                          for name, sub_schema in schema["dependentSchemas"].items()]
            parts.append(lambda instance: [k for name, keys in dependents if name in instance
                                           for k in keys(instance)])
        for keyword in ("allOf", "oneOf", "anyOf"):
            for sub_schema in schema.get(keyword, []):
                parts.append(_keys_if_valid(self.node(sub_schema, resolver), self.evaluated(sub_schema, resolver)))
        if "if" in schema:
            condition, condition_keys = self.node(schema["if"], resolver), self.evaluated(schema["if"], resolver)
            then_keys = self.evaluated(schema["then"], resolver) if "then" in schema else None
            else_keys = self.evaluated(schema["else"], resolver) if "else" in schema else None

            def conditional(instance: Any) -> set[Any]:
                if condition(instance):
                    keys = set(condition_keys(instance))
                    return keys | then_keys(instance) if then_keys is not None else keys
                return else_keys(instance) if else_keys is not None else set()

            parts.append(conditional)

        def evaluated(instance: Any) -> set[Any]:
            keys: set[Any] = set()
            for part in parts:
                keys.update(part(instance))
            return keys

        cell.append(evaluated)
        self.done_evaluated[id(schema)] = evaluated
        return evaluated


def _valid_keys(sub: Check) -> Callable[[Any], list[Any]]:
    return lambda instance: [key for key, value in instance.items() if sub(value)]


def _keys_if_valid(valid: Check, keys: Callable[[Any], set[Any]]) -> Callable[[Any], set[Any]]:
    return lambda instance: keys(instance) if valid(instance) else set()


def _all(checks: list[Check]) -> Check:
    if not checks:
        return _yes
    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:
        first, second = checks
        return lambda value: first(value) and second(value)
    return lambda value: all(check(value) for check in checks)
