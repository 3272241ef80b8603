"""Frozen target configuration, read from ``pyproject.toml`` ``[tool.codegen]``.

```toml
[tool.codegen.targets.openrouter]
spec = "specs/openrouter/openapi.yaml"   # relative to the pyproject.toml
out = "generated/openrouter"
package = "openrouter"                   # optional: derived from the spec title
overlays = []                            # OpenAPI Overlay documents applied in order
docs_url = "https://example.com/docs/"   # optional: site-relative links in spec text resolve against it
```
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_PACKAGE_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")  # at most 64 characters: paths must fit file systems
_KNOWN_KEYS = {"spec", "out", "package", "overlays", "env_var", "distribution", "pagination", "allow_outside_refs",
               "docs_url"}


class ConfigError(Exception):
    pass


@dataclass(frozen=True)
class Target:
    name: str
    spec: Path
    out: Path
    package: str | None = None
    overlays: tuple[Path, ...] = ()
    env_var: str | None = None
    # operationId (or "GET /path") -> x-codegen-pagination value, as canonical JSON (hashable)
    pagination: tuple[tuple[str, str], ...] = ()
    allow_outside_refs: bool = False  # follow $refs that leave the spec's folder (never remote ones)
    distribution: str | None = None
    docs_url: str | None = None  # the vendor's documentation URL (default: derived from the spec)
    root: Path = field(default_factory=Path.cwd)  # folder paths in generated headers are relative to

    @classmethod
    def adhoc(cls, spec: Path, out: Path, package: str | None = None, allow_outside_refs: bool = False) -> Target:
        if package is not None and not _PACKAGE_RE.match(package):
            raise ConfigError(f"--package {package!r} is not a valid Python package name of at most 64 characters")
        return cls(name=package or out.name, spec=spec, out=out, package=package, root=_project_root(spec),
                   allow_outside_refs=allow_outside_refs)

    def table(self) -> dict[str, Any]:
        """The settings that shape the output, as recorded in the lock file: paths relative to the
        project root (POSIX), so the record is the same on every machine.  ``out`` is left out: it
        says where the output goes, not what it is."""
        table: dict[str, Any] = {"spec": relpath(self.spec, self.root), "package": self.package,
                                 "overlays": [relpath(o, self.root) for o in self.overlays],
                                 "env_var": self.env_var, "distribution": self.distribution}
        if self.pagination:
            table["pagination"] = self.pagination_overrides()
        if self.allow_outside_refs:
            table["allow_outside_refs"] = True
        if self.docs_url:
            table["docs_url"] = self.docs_url
        return table

    def pagination_overrides(self) -> dict[str, Any]:
        return {key: json.loads(value) for key, value in self.pagination}

    def display_spec(self) -> str:
        """The spec path as written in generated headers: relative to the config root, POSIX."""
        try:
            return self.spec.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return self.spec.name


def relpath(path: Path, root: Path) -> str:
    """``path`` relative to the project root, POSIX: the same on every machine and in every cwd."""
    return Path(os.path.relpath(Path(path).absolute(), root.absolute())).as_posix()


def _project_root(spec: Path) -> Path:
    """The folder generated headers name the spec relative to: the nearest ancestor holding a
    pyproject.toml or .git (else the spec's own folder), so output never depends on the cwd."""
    spec = spec.resolve()
    for folder in spec.parents:
        if (folder / "pyproject.toml").exists() or (folder / ".git").exists():
            return folder
    return spec.parent


@dataclass(frozen=True)
class Config:
    path: Path
    targets: Mapping[str, Target]

    def select(self, names: Sequence[str]) -> list[Target]:
        if not names:
            if not self.targets:
                raise ConfigError(f"{self.path}: no [tool.codegen.targets.*] declared")
            return [self.targets[n] for n in sorted(self.targets)]
        unknown = [n for n in names if n not in self.targets]
        if unknown:
            known = ", ".join(sorted(self.targets)) or "none"
            raise ConfigError(f"unknown target(s) {', '.join(unknown)}; declared: {known}")
        return [self.targets[n] for n in names]


def load_config(path: Path) -> Config:
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError as exc:
        raise ConfigError(f"{path}: not found (run from the folder that holds pyproject.toml, "
                          "or pass --config)") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: {exc}") from exc
    tool = data.get("tool", {}).get("codegen", {})
    raw_targets = tool.get("targets", {})
    if not isinstance(raw_targets, dict):
        raise ConfigError(f"{path}: [tool.codegen.targets] must be a table")
    root = path.resolve().parent
    targets = {name: _target(path, root, name, raw) for name, raw in raw_targets.items()}
    return Config(path=path, targets=targets)


def _target(path: Path, root: Path, name: str, raw: Any) -> Target:
    where = f"{path}: [tool.codegen.targets.{name}]"
    if not isinstance(raw, dict):
        raise ConfigError(f"{where} must be a table")
    unknown = set(raw) - _KNOWN_KEYS
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    for key in ("spec", "out"):
        if not isinstance(raw.get(key), str) or not raw[key]:
            raise ConfigError(f"{where}: '{key}' (a path) is required")
    package = raw.get("package")
    if package is not None and (not isinstance(package, str) or not _PACKAGE_RE.match(package)):
        raise ConfigError(f"{where}: package {package!r} is not a valid Python package name of at most 64 characters")
    pagination = raw.get("pagination", {})
    if not isinstance(pagination, dict) or not all(v is False or isinstance(v, dict) for v in pagination.values()):
        raise ConfigError(f"{where}: 'pagination' maps an operationId (or \"GET /path\") to a table "
                          "like x-codegen-pagination's, or to false")
    allow_outside = raw.get("allow_outside_refs", False)
    if not isinstance(allow_outside, bool):
        raise ConfigError(f"{where}: 'allow_outside_refs' must be true or false")
    docs_url = raw.get("docs_url")
    if docs_url is not None and not (isinstance(docs_url, str) and re.match(r"^https?://[^/\s]+", docs_url)):
        raise ConfigError(f"{where}: 'docs_url' must be an http(s) URL")
    overlays = raw.get("overlays", [])
    if not isinstance(overlays, list) or not all(isinstance(o, str) for o in overlays):
        raise ConfigError(f"{where}: 'overlays' must be a list of paths")
    return Target(
        name=name,
        spec=root / raw["spec"],
        out=root / raw["out"],
        package=package,
        overlays=tuple(root / o for o in overlays),
        env_var=raw.get("env_var"),
        distribution=raw.get("distribution"),
        pagination=tuple((k, json.dumps(v, sort_keys=True)) for k, v in sorted(pagination.items())),
        allow_outside_refs=allow_outside,
        docs_url=docs_url,
        root=root,
    )
