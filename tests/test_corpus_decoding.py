"""Constants and base-class discriminators on real specs (../shared/corpus).

The oracle is the spec itself, read here without codegen: every property whose schema allows one
value only (``const``, or an ``enum`` of one value) must be filled in by the generated model
without the user passing it, and sent; every union whose members each carry such a tag must decode a
value of a member (sampled from that member's schema) as that member; DigitalOcean's
``reserved_ipv6_action_type``, a base schema with a ``discriminator`` that its subtypes extend with
``allOf``, must decode its subtypes.
"""

from __future__ import annotations

import dataclasses
import importlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.emit.render import render_package
from generator.load.loader import Spec
from generator.model import ir
from generator.model.build import build_api
from generator.write.writer import write_tree
from support.examples import Sampler
from support.openapi import Resolver, load_document

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
SPECS = {"openai": CORPUS / "openai" / "openapi.yaml", "mistral": CORPUS / "mistral" / "openapi.yaml",
         "digitalocean": CORPUS / "digitalocean" / "DigitalOcean-public.v2.yaml"}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Any:
    cache: dict[str, tuple[ir.Api, Any]] = {}

    def get(name: str) -> tuple[ir.Api, Any]:
        if name not in cache:
            package = "cdec_" + name
            result = build_api(Spec(SPECS[name]), package, SPECS[name].name)
            assert result.api is not None
            out = tmp_path_factory.mktemp(name)
            write_tree(out, render_package(result.api))
            sys.path.insert(0, str(out))
            cache[name] = (result.api, importlib.import_module(f"{package}.models"))
        return cache[name]

    return get


def _single_value(schema: Any, resolver: Resolver) -> tuple[bool, Any]:
    schema = resolver.deref(schema)
    if not isinstance(schema, dict):
        return False, None
    if "const" in schema:
        return True, schema["const"]
    enum = schema.get("enum")
    if isinstance(enum, list) and len(enum) == 1 and enum[0] is not None:
        return True, enum[0]
    return False, None


def _components(name: str) -> tuple[dict[str, Any], Resolver]:
    doc = load_document(SPECS[name])
    return doc.get("components", {}).get("schemas", {}), Resolver(doc)


def _classes(api: ir.Api, models: Any) -> dict[str, tuple[ir.ModelDef, type]]:
    """Component schema name -> its model definition and class."""
    out = {}
    prefix = "/components/schemas/"
    for d in api.definitions.values():
        if isinstance(d, ir.ModelDef) and d.source.startswith(prefix) and "/" not in d.source[len(prefix):]:
            out[d.source[len(prefix):].replace("~1", "/").replace("~0", "~")] = (d, getattr(models, d.name))
    return out


def _constants(schemas: dict[str, Any], resolver: Resolver) -> Iterator[tuple[str, str, Any]]:
    """(schema, property, value) of every single-valued property of a component (required or
    not: a constant is always sent)."""
    for sname, schema in schemas.items():
        if not isinstance(schema, dict) or not isinstance(schema.get("properties"), dict):
            continue
        for prop, ps in schema["properties"].items():
            single, value = _single_value(ps, resolver)
            if single:
                yield sname, prop, value


@pytest.mark.parametrize("name", ["openai", "mistral"])
def test_constants_are_filled_in(name: str, built: Any) -> None:
    api, models = built(name)
    schemas, resolver = _components(name)
    classes = _classes(api, models)
    sampler = Sampler(resolver, include_optional=False)
    checked, failures = 0, []
    for sname, prop, value in _constants(schemas, resolver):
        if sname not in classes:
            continue
        d, cls = classes[sname]
        attr = next(f.name for f in d.fields if f.wire == prop)
        sample = sampler.sample(schemas[sname])
        decoded = cls.from_dict(sample)
        # what a user passes: the required fields that have no default; the constant is not one
        given = {f.name: getattr(decoded, f.name) for f in dataclasses.fields(cls)
                 if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING}
        checked += 1
        if attr in given:
            failures.append(f"{sname}.{prop}: must be passed")
            continue
        sent = cls(**given).to_dict()
        if sent.get(prop) != value:
            failures.append(f"{sname}.{prop}: sent {sent.get(prop)!r}, the spec says {value!r}")
    assert not failures, f"{len(failures)}/{checked}: {failures[:5]}"
    assert checked >= {"openai": 800, "mistral": 100}[name], checked


@pytest.mark.parametrize("name", ["openai", "mistral"])
def test_tags_pick_the_union_member(name: str, built: Any) -> None:
    api, models = built(name)
    schemas, resolver = _components(name)
    classes = _classes(api, models)
    sampler = Sampler(resolver, include_optional=False)
    unions = {d.source.rsplit("/", 1)[-1]: d.name for d in api.definitions.values() if isinstance(d, ir.UnionDef)}
    checked, failures = 0, []
    for sname, schema in schemas.items():
        variants = schema.get("oneOf") or schema.get("anyOf") if isinstance(schema, dict) else None
        if sname not in unions or not isinstance(variants, list):
            continue
        refs = [v["$ref"].rsplit("/", 1)[-1] for v in variants if isinstance(v, dict) and "$ref" in v]
        if len(refs) != len(variants) or len(refs) < 2 or not all(r in classes for r in refs):
            continue
        tags: dict[str, set[Any]] = {}
        for r in refs:
            for _schema, prop, value in _constants({r: schemas[r]}, resolver):
                tags.setdefault(prop, set()).add(value)
        if not any(len(values) == len(refs) for values in tags.values()):
            continue  # no property whose one value tells every member apart
        decode = getattr(models, f"decode_{unions[sname]}")
        for r in refs:
            checked += 1
            value = sampler.sample(schemas[r])
            value.update({prop: v for _, prop, v in _constants({r: schemas[r]}, resolver)})  # as a server sends
            got = decode(value)
            if type(got) is not classes[r][1]:
                failures.append(f"{sname}: a {r} decoded as {type(got).__name__}")
    assert not failures, f"{len(failures)}/{checked}: {failures[:5]}"
    assert checked >= {"openai": 20, "mistral": 5}[name], checked


def test_digitalocean_base_class_discriminator(built: Any) -> None:
    """resources/reserved_ipv6/models/reserved_ipv6_actions.yml: ``reserved_ipv6_action_type``
    (``discriminator: {propertyName: type, mapping: {assign: ..._assign, unassign: ..._unassign}}``),
    extended by ``reserved_ipv6_action_assign`` and ``_unassign`` with ``allOf``."""
    api, models = built("digitalocean")
    names = {d.source.rsplit("/", 1)[-1]: d.name for d in api.definitions.values()
             if d.source.endswith(("/reserved_ipv6_action_type", "/reserved_ipv6_action_assign",
                                   "/reserved_ipv6_action_unassign"))}
    base = getattr(models, names["reserved_ipv6_action_type"])
    assign = base.from_dict({"type": "assign", "droplet_id": 758604968})
    assert type(assign) is getattr(models, names["reserved_ipv6_action_assign"])
    assert assign.droplet_id == 758604968 and assign.additional_properties == {}
    unassign = base.from_dict({"type": "unassign"})
    assert type(unassign) is getattr(models, names["reserved_ipv6_action_unassign"])
