"""Command line: thin wrappers over the pipeline that print diagnostics.

Exit codes: 0 success, 1 the input has errors (or warnings under --strict), 2 usage.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Iterable, NoReturn

import click

from generator.diagnostics import Diagnostic, DiagnosticError, Severity, has_errors

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
    from generator.writer import write_tree

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
def validate_cmd(spec: Path, strict: bool) -> None:
    """Print the diagnostics for SPEC."""
    from generator import pipeline

    diagnostics = pipeline.validate(spec)
    _finish(diagnostics, strict, f"{spec}: valid" if not diagnostics else "")


@cli.command("generate")
@click.argument("spec", type=click.Path(path_type=Path))
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path))
@click.option("--package", "package", default=None, help="Python package name (default: from the spec title).")
@strict_option
def generate_cmd(spec: Path, out: Path, package: str | None, strict: bool) -> None:
    """Generate a client package from one SPEC into OUT, no configuration needed."""
    from generator import pipeline
    from generator.config import ConfigError, Target

    try:
        target = Target.adhoc(spec=spec, out=out, package=package)
    except ConfigError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    result = pipeline.run(target, strict=strict)
    _finish(result.diagnostics, strict, result.summary())


@cli.command("build")
@click.argument("targets", nargs=-1)
@click.option("--config", "config_path", default="pyproject.toml", type=click.Path(path_type=Path),
              help="pyproject.toml that declares [tool.codegen.targets.*].")
@strict_option
def build_cmd(targets: tuple[str, ...], config_path: Path, strict: bool) -> None:
    """Build TARGETS declared in pyproject.toml (all of them when none is named)."""
    from generator import pipeline
    from generator.config import ConfigError, load_config

    try:
        config = load_config(config_path)
        selected = config.select(targets)
    except ConfigError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    diagnostics: list[Diagnostic] = []
    failed = False
    for target in selected:
        result = pipeline.run(target, strict=strict)
        diagnostics.extend(result.diagnostics)
        _print(result.diagnostics)
        if has_errors(result.diagnostics, strict):
            failed = True
            click.echo(f"{target.name}: failed", err=True)
        else:
            click.echo(f"{target.name}: {result.summary()}")
    sys.exit(EXIT_FINDINGS if failed else EXIT_OK)


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
