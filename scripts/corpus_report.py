"""The corpus report: generate every spec in ../shared/corpus (OpenAPI 3.x) and
../shared/swagger2 (Swagger 2.0, read directly) and check what came out.

    python scripts/corpus_report.py [--mypy] [--no-format] [NAME ...]

One row per spec: operations generated/total, models, warnings, errors, import time of the
package plus a client, examples round-tripped/total (every schema ``example``/``examples`` and
media-type example decoded with ``from_dict`` and re-encoded to equal JSON), and, with ``--mypy``,
the ``mypy --strict`` result.  Prints a Markdown table (it goes into the README).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import importlib
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus"
SWAGGER2 = REPO.parent / "shared" / "swagger2"
sys.path.insert(0, str(REPO))

from generator.diagnostics import Severity  # noqa: E402
from generator.emit.format import format_files  # noqa: E402
from generator.emit.render import render_package  # noqa: E402
from generator.load.loader import Location, Spec  # noqa: E402
from generator.model import ir  # noqa: E402
from generator.model.build import build_api  # noqa: E402
from generator.validate.validator import validate_spec  # noqa: E402
from generator.write.writer import write_tree  # noqa: E402


@dataclass
class Row:
    name: str
    ops: str = "-"
    models: int = 0
    warnings: int = 0
    errors: int = 0
    import_ms: float | None = None
    examples: tuple[int, int] = (0, 0)
    mypy: str = "not run"
    failures: list[str] = field(default_factory=list)

    def cells(self) -> list[str]:
        ok, total = self.examples
        imp = f"{self.import_ms:.0f} ms" if self.import_ms is not None else "-"
        return [self.name, self.ops, str(self.models), str(self.warnings), str(self.errors), imp, f"{ok}/{total}",
                self.mypy]


def corpus_specs() -> list[tuple[str, Path]]:
    """(name, root file) of every corpus spec: the OpenAPI 3.x ones, then the Swagger 2.0 ones."""
    rows = csv.DictReader((CORPUS / "MANIFEST.tsv").open(encoding="utf-8"), delimiter="\t")
    specs = [(r["name"], CORPUS / r["name"] / Path(r["path_in_repo"]).name) for r in rows]
    return specs + swagger2_specs()


def swagger2_specs() -> list[tuple[str, Path]]:
    """(name, file) of the Swagger 2.0 specs: each folder named in the manifest holds one file."""
    rows = csv.DictReader((SWAGGER2 / "MANIFEST.tsv").open(encoding="utf-8"), delimiter="\t")
    out = []
    for r in rows:
        files = sorted(p for p in (SWAGGER2 / r["name"]).iterdir() if p.suffix in (".json", ".yaml", ".yml"))
        out.append((r["name"], files[0]))
    return out


def examples(spec: Spec, types: dict[Location, ir.TypeRef]) -> Iterator[tuple[str, ir.TypeRef, Any]]:
    """(where, type, example) for every example attached to a converted schema or its media type."""
    for loc, t in sorted(types.items(), key=lambda kv: (str(kv[0].file), kv[0].pointer)):
        try:
            schema = spec.get(loc)
        except Exception:  # noqa: S112 - a schema that does not resolve has no example to check
            continue
        if not isinstance(schema, dict):
            continue
        if "example" in schema:
            yield f"{loc.pointer}/example", t, schema["example"]
        if isinstance(schema.get("examples"), list):
            for i, ex in enumerate(schema["examples"]):
                yield f"{loc.pointer}/examples/{i}", t, ex
        if loc.pointer.endswith("/schema"):
            media_ptr = loc.pointer[: -len("/schema")]
            try:
                media = spec.get(Location(loc.file, media_ptr))
            except Exception:  # noqa: S112 - no media type there: no example of it
                continue
            if isinstance(media, dict) and "example" in media and "/content/" in media_ptr:
                yield f"{media_ptr}/example", t, media["example"]
            if isinstance(media, dict) and isinstance(media.get("examples"), dict) and "/content/" in media_ptr:
                for key, ex in media["examples"].items():
                    if isinstance(ex, dict) and "value" in ex:
                        yield f"{media_ptr}/examples/{key}", t, ex["value"]


def decode(models: Any, api: ir.Api, t: ir.TypeRef, value: Any) -> Any:
    if isinstance(t, ir.Nullable):
        return None if value is None else decode(models, api, t.inner, value)
    if isinstance(t, ir.ListOf) and isinstance(value, list):
        return [decode(models, api, t.item, v) for v in value]
    if isinstance(t, ir.MapOf) and isinstance(value, dict):
        return {k: decode(models, api, t.value, v) for k, v in value.items()}
    if isinstance(t, ir.Ref):
        d = api.definitions[t.name]
        if isinstance(d, ir.ModelDef):
            return getattr(models, t.name).from_dict(value)
        if isinstance(d, ir.EnumDef):
            return getattr(models, t.name)(value)
        return getattr(models, f"decode_{t.name}")(value)
    if isinstance(t, ir.Prim) and t.kind in ("datetime", "date") and isinstance(value, str):
        return models._serde_parse(t.kind, value)
    return value


def same_json(a: Any, b: Any) -> bool:
    """Equal as JSON; date-times compare as instants (``.000Z`` and ``Z`` are the same time)."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same_json(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same_json(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, str) and isinstance(b, str) and a != b:
        return _instant(a) is not None and _instant(a) == _instant(b)
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    return bool(a == b)


def _instant(s: str) -> dt.datetime | dt.date | None:
    try:
        return dt.datetime.fromisoformat(s.replace("Z", "+00:00"))
    except ValueError:
        return None


def import_ms(folder: Path, package: str) -> float:
    code = (f"import time; t = time.perf_counter(); import {package}; "
            f"{package}.Client(base_url=\"http://127.0.0.1:9\"); "
            "print((time.perf_counter() - t) * 1000)")
    runs = []
    for _ in range(5):
        out = subprocess.run([sys.executable, "-c", code], cwd=folder, capture_output=True, text=True,
                             check=False)
        if out.returncode != 0:
            raise RuntimeError(out.stderr.strip().splitlines()[-1] if out.stderr.strip() else "import failed")
        runs.append(float(out.stdout.strip()))
    return statistics.median(runs)


def report(name: str, path: Path, work: Path, run_mypy: bool, fmt: bool) -> Row:
    row = Row(name)
    package = "corpus_" + name.replace("-", "_")
    spec = Spec(path)
    diags = validate_spec(spec)
    built = build_api(spec, package, path.name)
    diags += built.diagnostics
    row.warnings = sum(d.severity == Severity.WARNING for d in diags)
    row.errors = sum(d.severity == Severity.ERROR for d in diags)
    if built.api is None:
        row.failures.append("no API built")
        return row
    api = built.api
    generated = sum(len(g.operations) for g in api.groups)
    row.ops = f"{generated}/{built.operations_total}"
    row.models = len(api.definitions)
    files = render_package(api)
    if fmt:
        files = format_files(files)
    out = work / name
    write_tree(out, files)
    try:
        row.import_ms = import_ms(out, package)
    except RuntimeError as exc:
        row.failures.append(f"import: {exc}")
    sys.path.insert(0, str(out))
    try:
        models = importlib.import_module(f"{package}.models")
    except Exception as exc:  # a package that does not import is one of the report's failures
        row.failures.append(f"import models: {type(exc).__name__}: {exc}")
        return row
    serde = importlib.import_module(f"{package}._serde")
    models._serde_parse = lambda kind, v: serde.parse_datetime(v) if kind == "datetime" else serde.parse_date(v)
    ok = total = 0
    for where, t, ex in examples(spec, built.types):
        total += 1
        try:
            back = serde.encode(decode(models, api, t, ex))
            if same_json(json.loads(json.dumps(back)), ex):
                ok += 1
            else:
                row.failures.append(f"{where}: re-encoded differently")
        except Exception as exc:  # the report counts every failure
            row.failures.append(f"{where}: {type(exc).__name__}: {exc}"[:300])
    row.examples = (ok, total)
    if run_mypy:
        r = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(work / ".mypy"),
                            "-p", package],
                           cwd=out, capture_output=True, text=True, check=False)
        row.mypy = "pass" if r.returncode == 0 else r.stdout.strip().splitlines()[-1]
    return row


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("names", nargs="*")
    parser.add_argument("--mypy", action="store_true", help="also run mypy --strict on each package (slow)")
    parser.add_argument("--no-format", action="store_true", help="skip black (faster; same behaviour)")
    parser.add_argument("--failures", type=int, default=5, help="failures to list per spec")
    args = parser.parse_args()
    specs = [(n, p) for n, p in corpus_specs() if not args.names or n in args.names]
    rows = []
    with tempfile.TemporaryDirectory(prefix="codegen-corpus-") as tmp:
        for name, path in specs:
            start = time.perf_counter()
            rows.append(report(name, path, Path(tmp), args.mypy, not args.no_format))
            print(f"{name}: {time.perf_counter() - start:.1f} s", file=sys.stderr)
    head = ["spec", "operations", "models", "warnings", "errors", "import + client", "examples", "mypy --strict"]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for r in rows:
        print("| " + " | ".join(r.cells()) + " |")
    for r in rows:
        for f in r.failures[: args.failures]:
            print(f"- {r.name}: {f}", file=sys.stderr)
        if len(r.failures) > args.failures:
            print(f"- {r.name}: ... {len(r.failures) - args.failures} more", file=sys.stderr)
    return 1 if any(r.failures or r.errors for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
