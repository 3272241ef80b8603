"""Helpers for tests that drive generated clients: import a generated package, enumerate its
operations through codegen's own model of the spec, and build valid arguments for each call."""

from __future__ import annotations

import importlib
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from generator.load.loader import Spec
from generator.model import ir
from generator.model.build import build_api
from support.examples import Sampler
from support.openapi import Resolver, load_document

STATUS_ERRORS = {
    400: "BadRequestError",
    401: "AuthenticationError",
    403: "PermissionDeniedError",
    404: "NotFoundError",
    409: "ConflictError",
    422: "UnprocessableEntityError",
    429: "RateLimitError",
}


def import_generated(folder: Path, package: str) -> ModuleType:
    """Import ``package`` from a generated distribution folder (not installed)."""
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))
    existing = sys.modules.get(package)
    if existing is not None and Path(existing.__file__ or "").resolve().parent.parent != folder.resolve():
        raise RuntimeError(f"another {package!r} is already imported from {existing.__file__}")
    return importlib.import_module(package)


def error_class(pkg: ModuleType, status: int) -> type:
    if status >= 500:
        return pkg.errors.InternalServerError  # type: ignore[no-any-return]
    return getattr(pkg.errors, STATUS_ERRORS.get(status, "APIStatusError"))  # type: ignore[no-any-return]


@dataclass
class Call:
    group: ir.Group
    op: ir.Operation
    args: list[Any]
    kwargs: dict[str, Any]

    @property
    def id(self) -> str:
        return f"{self.group.name}.{self.op.name}"

    def method(self, client: Any) -> Any:
        return getattr(getattr(client, self.group.name), self.op.name)


def api_of(spec_path: Path, package: str) -> ir.Api:
    built = build_api(Spec(spec_path), package, spec_path.name)
    assert built.api is not None, built.diagnostics
    return built.api


def calls(spec_path: Path, package: str) -> list[Call]:
    """One valid call per operation: required arguments from the spec's examples or its schemas."""
    api = api_of(spec_path, package)
    doc = load_document(spec_path)
    resolver = Resolver(doc)
    sampler = Sampler(resolver, include_optional=False)
    out = []
    for group in api.groups:
        for op in group.operations:
            raw = resolver.deref(doc["paths"][op.path])[op.http_method.lower()]
            raw_params = {}
            path_params = list(resolver.deref(doc["paths"][op.path]).get("parameters", []))
            for p in path_params + list(raw.get("parameters", [])):
                p = resolver.deref(p)
                raw_params[(p["in"], p["name"])] = p
            args, kwargs = [], {}
            for p in op.params:
                rp = raw_params.get((p.location, p.wire), {})
                if not p.required:
                    continue
                value = rp["example"] if "example" in rp else sampler.sample(rp.get("schema", {"type": "string"}))
                if p.location == "path":
                    args.append(value)
                else:
                    kwargs[p.name] = value
            if op.body is not None:
                rb = resolver.deref(raw["requestBody"])
                schema = rb["content"][op.body.media_type].get("schema", {})
                sample = sampler.sample(schema)
                if op.body.fields is not None:
                    for f in op.body.fields:
                        if isinstance(sample, dict) and f.wire in sample:
                            kwargs[f.name] = sample[f.wire]
                elif op.body.required:
                    kwargs[op.body.name] = sample
            out.append(Call(group, op, args, kwargs))
    return out


def model_class(pkg: ModuleType, t: ir.TypeRef | None, api: ir.Api) -> type | None:
    """The generated class a decoded value of type ``t`` must be an instance of (None: not a class)."""
    if isinstance(t, ir.Ref) and isinstance(api.definitions.get(t.name), ir.ModelDef):
        return getattr(importlib.import_module(f"{pkg.__name__}.models"), t.name)  # type: ignore[no-any-return]
    return None


def generate_unformatted(spec_path: Path, out: Path, package: str) -> Path:
    """Generate a package without black (behaviour is the same; tests of big specs stay fast)."""
    from generator.emit.render import render_package
    from generator.write.writer import write_tree

    api = api_of(spec_path, package)
    write_tree(out, render_package(api))
    return out
