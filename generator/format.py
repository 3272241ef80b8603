"""black over every generated ``*.py`` (pinned black, in memory)."""

from __future__ import annotations

import black

from generator.diagnostics import DiagnosticError, error

MODE = black.Mode(target_versions={black.TargetVersion.PY310}, line_length=88)


def format_python(path: str, source: str) -> str:
    try:
        return black.format_str(source, mode=MODE)
    except black.InvalidInput as exc:
        # a bug in codegen, never in the spec: name the file so it can be reported
        raise DiagnosticError([error("internal", f"generated {path} is not valid Python ({exc}); "
                                     "please report this as a codegen bug", path)])


def format_files(files: dict[str, str]) -> dict[str, str]:
    return {p: (format_python(p, t) if p.endswith(".py") else t) for p, t in files.items()}
