"""load -> overlays -> validate -> build -> render -> format -> lock -> merge hand edits -> write.
Nothing else lives here."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from generator.config import Target
from generator.diagnostics import Diagnostic, DiagnosticError, Severity, has_errors, warning
from generator.diff.apidiff import public_names
from generator.emit.format import format_files
from generator.emit.render import render_package
from generator.load import swagger2
from generator.load.loader import Spec
from generator.model import ir
from generator.model.build import build_api
from generator.validate.validator import PendingValidation, check_version, start_validation, validate_spec
from generator.write import handedits, lock
from generator.write.writer import TreeDiff, write_tree


@dataclass
class Result:
    target: Target
    diagnostics: list[Diagnostic] = field(default_factory=list)
    api: ir.Api | None = None
    files: dict[str, str] = field(default_factory=dict)
    diff: TreeDiff | None = None
    operations_total: int = 0
    spec_files: list[Path] = field(default_factory=list)  # every file the loader read
    renames: list[lock.Rename] = field(default_factory=list)  # public names the name lock says changed
    plan: handedits.Plan | None = None  # how the files met the hand edits in the output folder (run only)
    spec: Spec | None = field(default=None, repr=False)  # what was built from (a Swagger 2.0 one converted)

    @property
    def operations_generated(self) -> int:
        return sum(len(g.operations) for g in self.api.groups) if self.api else 0

    def summary(self) -> str:
        if self.api is None:
            return "nothing generated"
        changed = f"; {self.diff.summary()}" if self.diff is not None else ""
        found = findings(self.diagnostics)
        if self.plan is not None and self.plan.edited:
            changed += f"; {len(self.plan.edited)} file(s) with hand edits kept"
        return (f"{self.operations_generated}/{self.operations_total} operations, "
                f"{len(self.api.definitions)} models -> {self.target.out}{'; ' + found if found else ''}{changed}")


def findings(diagnostics: list[Diagnostic]) -> str:
    """``2 warnings, 12 notes``: how many of each (errors too), "" for none.  Notes count the
    parts of the spec that do not become code (``ignored.*``), each printed with its pointer."""
    counts = [(sum(d.severity is s for d in diagnostics), str(s)) for s in reversed(Severity)]
    return ", ".join(f"{n} {name}{'s' if n != 1 else ''}" for n, name in counts if n)


def load(path: Path, allow_outside: bool = False) -> Spec:
    return Spec(path, allow_outside=allow_outside)


def validate(path: Path, allow_outside: bool = False) -> list[Diagnostic]:
    try:
        spec = load(path, allow_outside)
    except DiagnosticError as exc:
        return exc.diagnostics
    found = validate_spec(spec)
    if swagger2.is_swagger2(spec.document) and not has_errors(found):
        found += swagger2.convert(spec)  # what the conversion finds (what 3.x cannot say) is reported too
    return found


def analyse(target: Target, strict: bool = False, validate: bool = True) -> Result:
    """load -> overlays -> validate -> build: the IR, nothing rendered."""
    result, validation = _analyse(target, strict, validate)
    return _joined(result, validation, strict)


def generate(target: Target, strict: bool = False) -> Result:
    """Everything but the write: the files as they would be written, the lock file among them.

    The spec is validated in a child process meanwhile (``validator.start_validation``); its
    findings are taken before anything is returned, so they are reported in their place and,
    under ``--strict``, stop the run as if nothing had been built."""
    result, validation = _analyse(target, strict)
    files: dict[str, str] | None = None
    failure: list[Diagnostic] = []
    try:
        if result.api is not None:
            try:
                busy = validation[0].running if validation is not None else None
                files = format_files(render_package(result.api), busy=busy)
            except DiagnosticError as exc:
                failure = exc.diagnostics
    except BaseException:
        if validation is not None:
            validation[0].cancel()
        raise
    result = _joined(result, validation, strict)
    if result.api is None:
        return result
    if files is None:
        result.diagnostics += failure
        return result
    names = public_names(result.api)
    # a module whose name was too long for file systems: the name it got (naming.shorten)
    names.update({f"module {full}": short for full, short in result.api.shortened})
    previous = lock.read(target.out)
    if previous is not None:
        result.renames = lock.renames(previous.names, names)
        result.diagnostics += [_rename_warning(target, r, result.spec) for r in result.renames]
    files[lock.LOCK_NAME] = lock.make(target, result.spec_files, files, names).text()
    result.files = files
    return result


_Validation = tuple[PendingValidation, int]  # under way, and where its diagnostics go in the list


def _analyse(target: Target, strict: bool = False, validate: bool = True) -> tuple[Result, _Validation | None]:
    """:func:`analyse` with the validation still under way."""
    result = Result(target)
    validation: _Validation | None = None
    try:
        spec = load(target.spec, target.allow_outside_refs)
        if target.overlays:
            from generator.load.overlay import apply_overlays  # JSONPath is needed only here

            result.diagnostics += apply_overlays(spec.document, target.overlays)
            if has_errors(result.diagnostics, strict):
                return result, None
            spec.check_refs()  # an overlay may have added refs
        version_errors = check_version(spec)
        if version_errors:
            result.diagnostics += version_errors
            return result, None
        if validate:
            validation = start_validation(spec), len(result.diagnostics)
        built = build_api(spec, target.package, target.display_spec(), target.env_var, target.distribution,
                          target.pagination_overrides())
    except DiagnosticError as exc:
        result.diagnostics += exc.diagnostics
        return result, validation
    except BaseException:
        if validation is not None:
            validation[0].cancel()
        raise
    result.diagnostics += built.diagnostics
    result.operations_total = built.operations_total
    result.spec_files = spec.files
    result.spec = spec
    # without the validation's findings: they are warnings, and where they count (--strict),
    # _joined drops all of this
    if built.api is not None and not has_errors(result.diagnostics, strict):
        result.api = replace(built.api, docs_url=target.docs_url) if target.docs_url else built.api
    return result, validation


def _joined(result: Result, validation: _Validation | None, strict: bool) -> Result:
    """``result`` with the validation's diagnostics in their place; when they are failures (under
    ``--strict``), the result of stopping there: those diagnostics and nothing built."""
    if validation is None:
        return result
    pending, at = validation
    found = pending.result()
    head = result.diagnostics[:at] + found
    if has_errors(head, strict):
        return Result(result.target, head)
    result.diagnostics[at:at] = found
    return result


def run(target: Target, strict: bool = False, discard_edits: bool = False) -> Result:
    """Generate, merge the hand edits in the output folder, write.  When merges conflict, only
    the conflicted files (with conflict markers) are written, and ``result.plan.conflicts`` says where.
    ``discard_edits`` writes the generated files as they are instead."""
    result = generate(target, strict)
    if result.files and not has_errors(result.diagnostics, strict):
        result.plan = handedits.reconcile(target.out, result.files, discard=discard_edits)
        if result.plan.conflicts:
            write_tree(target.out, result.plan.conflict_files, partial=True)
        else:
            result.diff = write_tree(target.out, result.plan.files, keep=result.plan.keep, drop=handedits.DROP)
    return result


def _rename_warning(target: Target, r: lock.Rename, spec: Spec | None = None) -> Diagnostic:
    message = (f"public name {r.old} would become {r.new} ({lock.LOCK_NAME} records {r.old}); "
               "x-codegen-name on a schema or operation pins its name")
    if spec is not None and spec.origins:  # a converted Swagger 2.0 document: named in its own terms
        return swagger2.relocated(spec, [warning("name-lock", message, spec.display(spec.root),
                                                 r.location.lstrip("#"))])[0]
    return warning("name-lock", message, target.display_spec(), r.location.lstrip("#"))
