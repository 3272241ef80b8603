"""load -> validate -> build -> render -> format -> write.  Nothing else lives here."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from generator import ir
from generator.build import build_api
from generator.config import Target
from generator.diagnostics import Diagnostic, DiagnosticError, has_errors
from generator.format import format_files
from generator.loader import Spec
from generator.render import render_package
from generator.validator import check_version, validate_spec
from generator.writer import TreeDiff, write_tree


@dataclass
class Result:
    target: Target
    diagnostics: list[Diagnostic] = field(default_factory=list)
    api: ir.Api | None = None
    files: dict[str, str] = field(default_factory=dict)
    diff: TreeDiff | None = None
    operations_total: int = 0

    @property
    def operations_generated(self) -> int:
        return sum(len(g.operations) for g in self.api.groups) if self.api else 0

    def summary(self) -> str:
        if self.api is None:
            return "nothing generated"
        changed = f"; {self.diff.summary()}" if self.diff is not None else ""
        return (f"{self.operations_generated}/{self.operations_total} operations, "
                f"{len(self.api.definitions)} models -> {self.target.out}{changed}")


def load(path: Path) -> Spec:
    return Spec(path)


def validate(path: Path) -> list[Diagnostic]:
    try:
        spec = load(path)
    except DiagnosticError as exc:
        return exc.diagnostics
    return validate_spec(spec)


def generate(target: Target, strict: bool = False) -> Result:
    """Everything but the write: the files as they would be written."""
    result = Result(target)
    try:
        spec = load(target.spec)
        version_errors = check_version(spec)
        if version_errors:
            result.diagnostics = version_errors
            return result
        result.diagnostics += validate_spec(spec)
        if has_errors(result.diagnostics, strict):
            return result
        built = build_api(spec, target.package, target.display_spec(), target.env_var, target.distribution)
    except DiagnosticError as exc:
        result.diagnostics += exc.diagnostics
        return result
    result.diagnostics += built.diagnostics
    result.operations_total = built.operations_total
    if built.api is None or has_errors(result.diagnostics, strict):
        return result
    result.api = built.api
    try:
        result.files = format_files(render_package(built.api))
    except DiagnosticError as exc:
        result.diagnostics += exc.diagnostics
    return result


def run(target: Target, strict: bool = False) -> Result:
    result = generate(target, strict)
    if result.files and not has_errors(result.diagnostics, strict):
        result.diff = write_tree(target.out, result.files)
    return result
