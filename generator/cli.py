"""Command line: thin wrappers over the pipeline that print diagnostics.

Exit codes: 0 success, 1 findings (input errors, warnings under --strict, a stale output for
``check``, breaking changes for ``diff --fail-on``), 2 usage.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from generator.diagnostics import Diagnostic, DiagnosticError, Severity, has_errors

if TYPE_CHECKING:
    from generator.config import Target
    from generator.write.handedits import Conflict
    from generator.write.writer import TreeDiff

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def _print(diagnostics: Iterable[Diagnostic]) -> None:
    for d in sorted(diagnostics, key=lambda d: (d.file, d.line or 0, d.pointer, d.code)):
        click.echo(d.format(), err=True)


def _finish(diagnostics: list[Diagnostic], strict: bool, ok_message: str = "") -> NoReturn:
    _print(diagnostics)
    if has_errors(diagnostics, strict):
        errors = sum(d.severity is Severity.ERROR for d in diagnostics)
        warnings = sum(d.severity is Severity.WARNING for d in diagnostics)
        click.echo(f"failed: {errors} error(s), {warnings} warning(s)" + (" (--strict)" if strict else ""), err=True)
        sys.exit(EXIT_FINDINGS)
    if ok_message:
        click.echo(ok_message)
    sys.exit(EXIT_OK)


strict_option = click.option("--strict", is_flag=True, help="Treat warnings as errors.")
outside_option = click.option("--allow-outside-refs", "allow_outside", is_flag=True,
                              help="Follow $refs that leave the spec's folder (remote URLs are never fetched).")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="codegen")
def cli() -> None:
    """codegen: typed Python clients from OpenAPI specs."""


@cli.command("import")
@click.argument("pages", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder that receives <vendor>/openapi.yaml.")
@strict_option
def import_cmd(pages: tuple[Path, ...], out: Path, strict: bool) -> None:
    """Extract, merge and repair OpenAPI specs from documentation PAGES into OUT."""
    from generator.importer import import_pages
    from generator.write.writer import write_tree

    try:
        result = import_pages(list(pages))
    except DiagnosticError as exc:
        _finish(exc.diagnostics, strict)
    if has_errors(result.diagnostics, strict):
        _finish(result.diagnostics, strict)
    write_tree(out, result.files)
    _finish(result.diagnostics, strict, f"imported {len(pages)} page(s) into {len(result.files)} spec(s) under {out}")


@cli.command("validate")
@click.argument("spec", type=click.Path(path_type=Path))
@strict_option
@outside_option
def validate_cmd(spec: Path, strict: bool, allow_outside: bool) -> None:
    """Print the diagnostics for SPEC."""
    from generator import pipeline

    diagnostics = pipeline.validate(spec, allow_outside)
    _finish(diagnostics, strict, f"{spec}: valid" if not diagnostics else "")


@cli.command("generate")
@click.argument("spec", type=click.Path(path_type=Path))
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path))
@click.option("--package", "package", default=None, help="Python package name (default: from the spec title).")
@strict_option
@outside_option
def generate_cmd(spec: Path, out: Path, package: str | None, strict: bool, allow_outside: bool) -> None:
    """Generate a client package from one SPEC into OUT, no configuration needed."""
    from generator import pipeline
    from generator.config import ConfigError, Target

    try:
        target = Target.adhoc(spec=spec, out=out, package=package, allow_outside_refs=allow_outside)
    except ConfigError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    result = pipeline.run(target, strict=strict)
    if result.plan is not None and result.plan.conflicts and not has_errors(result.diagnostics, strict):
        _print(result.diagnostics)
        _echo_conflicts(target, result.plan.conflicts)
        click.echo(f"stopped: {len(result.plan.conflicts)} merge conflict(s); resolve them, then generate again",
                   err=True)
        sys.exit(EXIT_FINDINGS)
    _finish(result.diagnostics, strict, result.summary())


config_option = click.option("--config", "config_path", default="pyproject.toml", type=click.Path(path_type=Path),
                             help="pyproject.toml that declares [tool.codegen.targets.*].")


def _targets(config_path: Path, names: tuple[str, ...]) -> list[Target]:
    from generator.config import ConfigError, load_config

    try:
        return load_config(config_path).select(names)
    except ConfigError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_USAGE)


@cli.command("build")
@click.argument("targets", nargs=-1)
@config_option
@click.option("--force", is_flag=True, help="Regenerate even when the lock file says the output is up to date.")
@click.option("--discard-hand-edits", "discard", is_flag=True,
              help="Write every generated file as generated, dropping hand edits (.codegenignore still holds).")
@strict_option
def build_cmd(targets: tuple[str, ...], config_path: Path, force: bool, discard: bool, strict: bool) -> None:
    """Build TARGETS declared in pyproject.toml (all of them when none is named).

    A target whose inputs and output match its lock file is skipped; a rebuilt one rewrites
    only the files whose content changed.  Hand edits in generated files are merged with the new
    generation; when they conflict, the target stops with the conflicts marked in the files.
    """
    from generator.write import lock

    failed = False
    for target in _targets(config_path, targets):
        state = lock.status(target) if not (force or discard) else None
        if state is not None and state.fresh:
            click.echo(f"{target.name}: up to date{_edited_note(state.outputs.edited)}")
            continue
        from generator import pipeline  # the heavy stages load only when something is built

        result = pipeline.run(target, strict=strict, discard_edits=discard)
        _print(result.diagnostics)
        if has_errors(result.diagnostics, strict):
            failed = True
            click.echo(f"{target.name}: failed", err=True)
        elif result.plan is not None and result.plan.conflicts:
            failed = True
            _echo_conflicts(target, result.plan.conflicts)
            click.echo(f"{target.name}: stopped: {len(result.plan.conflicts)} merge conflict(s); nothing else was "
                       "written. Resolve the blocks between <<<<<<< and >>>>>>>, then run `codegen build` again",
                       err=True)
        else:
            click.echo(f"{target.name}: {result.summary()}")
            for rel in result.plan.orphaned if result.plan is not None else []:
                click.echo(f"  kept     {rel} (no longer generated, carries hand edits: now yours)")
    sys.exit(EXIT_FINDINGS if failed else EXIT_OK)


@cli.command("check")
@click.argument("targets", nargs=-1)
@config_option
@click.option("--full", is_flag=True, help="Regenerate in memory even when the lock file says nothing changed.")
@strict_option
def check_cmd(targets: tuple[str, ...], config_path: Path, full: bool, strict: bool) -> None:
    """Exit 1 when the output of TARGETS differs from what `codegen build` would write now.

    Writes nothing.  With an up-to-date lock file only hashes are compared, which still finds
    files deleted or changed by hand.  Generated files that carry hand edits are listed apart:
    they pass when a build would keep them as they are, and fail when their merge would conflict.
    """
    from generator.write import lock

    stale = False
    for target in _targets(config_path, targets):
        state = lock.status(target)
        renames: list[lock.Rename] = []
        if state.inputs_match and not full:
            diff, why, edited = state.outputs, f"files differ from {lock.LOCK_NAME}", state.outputs.edited
        else:
            from generator import pipeline
            from generator.write import handedits
            from generator.write.writer import diff_tree

            result = pipeline.generate(target, strict=strict)
            if has_errors(result.diagnostics, strict) or not result.files:
                _print(result.diagnostics)
                click.echo(f"{target.name}: cannot be generated", err=True)
                stale = True
                continue
            plan = handedits.reconcile(target.out, result.files)
            if plan.conflicts:
                _echo_conflicts(target, plan.conflicts)
                click.echo(f"{target.name}: `codegen build` would stop at {len(plan.conflicts)} merge conflict(s)")
                stale = True
                continue
            diff, why, renames = (diff_tree(target.out, plan.files, plan.keep, drop=handedits.DROP),
                                  "; ".join(state.stale_inputs[:3]), result.renames)
            edited = plan.edited
        if diff.clean:
            click.echo(f"{target.name}: up to date{_edited_note(edited)}")
            _echo_edited(edited)
            continue
        stale = True
        click.echo(f"{target.name}: stale ({why}): {diff.summary()}{_edited_note(edited, ';')}")
        _echo_files(diff)
        _echo_edited(edited)
        for r in renames:
            click.echo(f"  renamed  {r.old} -> {r.new}  (at {r.location})")
    if stale:
        click.echo("run `codegen build` to update the generated files", err=True)
    sys.exit(EXIT_FINDINGS if stale else EXIT_OK)


def _edited_note(edited: list[str], sep: str = ",") -> str:
    return f"{sep} {len(edited)} file(s) with hand edits" if edited else ""


def _echo_edited(edited: list[str]) -> None:
    for path in edited:
        click.echo(f"  edited   {path}")


def _echo_conflicts(target: Target, conflicts: Iterable[Conflict]) -> None:
    from generator.config import relpath

    for c in conflicts:
        where = relpath(target.out / c.path, target.root)
        click.echo(f"{where}:{c.start}-{c.end}: conflict: {c.describe()}", err=True)


def _echo_files(diff: TreeDiff, limit: int = 20) -> None:
    rows = [("added", p) for p in diff.added] + [("removed", p) for p in diff.removed] + \
        [("changed", p) for p in diff.changed]
    for kind, path in rows[:limit]:
        click.echo(f"  {kind:<8} {path}")
    if len(rows) > limit:
        click.echo(f"  ... and {len(rows) - limit} more")


@cli.command("diff")
@click.argument("specs", nargs=-1, type=click.Path(path_type=Path))
@click.option("--target", "target_name", default=None,
              help="Compare this target's spec at --rev with the working tree.")
@click.option("--rev", default=None, help="Git revision of the old spec (with --target).")
@config_option
@click.option("--format", "fmt", type=click.Choice(["markdown", "json"]), default="markdown", show_default=True)
@click.option("--fail-on", "fail_on", type=click.Choice(["breaking", "any"]), default=None,
              help="Exit 1 when there are breaking changes (or any API change).")
def diff_cmd(specs: tuple[Path, ...], target_name: str | None, rev: str | None, config_path: Path, fmt: str,
             fail_on: str | None) -> None:
    """The changes between two specs as changes to the generated Python API.

    Either OLD NEW (two spec files) or --target NAME --rev GITREV.
    """
    import tempfile

    from generator.config import ConfigError, Target
    from generator.diff.apidiff import diff_apis

    if (bool(specs) == bool(target_name or rev) or (specs and len(specs) != 2)
            or (not specs and not (target_name and rev))):
        click.echo("error: give OLD NEW (two spec files) or --target NAME --rev GITREV", err=True)
        sys.exit(EXIT_USAGE)
    with tempfile.TemporaryDirectory(prefix="codegen-diff-") as tmp:
        try:
            if specs:
                old = Target.adhoc(spec=specs[0], out=Path(tmp))
                new = Target.adhoc(spec=specs[1], out=Path(tmp))
                title = f"{specs[0]} -> {specs[1]}"
            else:
                from generator.diff.revision import target_at

                new = _targets(config_path, (str(target_name),))[0]
                old = target_at(new, config_path, str(rev), Path(tmp))
                title = f"{new.name}: {rev} -> working tree"
        except ConfigError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(EXIT_USAGE)
        apis = []
        for target in (old, new):
            from generator import pipeline

            result = pipeline.analyse(target, validate=False)
            if result.api is None:
                _print(result.diagnostics)
                click.echo(f"{target.spec}: cannot be built", err=True)
                sys.exit(EXIT_FINDINGS)
            apis.append(result.api)
    changes = diff_apis(apis[0], apis[1])
    click.echo(changes.to_json() if fmt == "json" else changes.to_markdown(title), nl=False)
    failing = changes.breaking if fail_on == "breaking" else changes.changes if fail_on == "any" else []
    sys.exit(EXIT_FINDINGS if failing else EXIT_OK)


def main() -> None:
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(EXIT_USAGE)
    except click.ClickException as exc:
        exc.show()
        sys.exit(EXIT_USAGE)
    except DiagnosticError as exc:
        _print(exc.diagnostics)
        sys.exit(EXIT_FINDINGS)
    sys.exit(EXIT_OK)


if __name__ == "__main__":
    main()
