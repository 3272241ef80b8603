"""What ``generator.emit.format.format_files`` would send to black for a spec, by pattern.

    python scripts/black_load.py SPEC [SPEC ...] [--examples N] [--json]

Renders the package (load, build, render; no validation, no black) and counts, per kind of long
statement, the statements ``format_files`` would hand to black and their bytes (as black is
given them: wrapped at their depth), and the modules that would go through black whole.  The
kind of a statement is the shape of its first line wider than black's line length, with names
and literals abstracted away.  Counts, not timings: they do not depend on the machine's load.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from generator import pipeline  # noqa: E402
from generator.config import Target  # noqa: E402
from generator.emit.format import _long_statements, _Snippet, _verbatim  # noqa: E402
from generator.emit.layout import LINE_LENGTH, width  # noqa: E402
from generator.emit.render import render_package  # noqa: E402

# (kind, pattern of the first long line): the first that matches names the statement's kind
KINDS = [
    ("model field", r" {4}\w+: [^=]*(?: = .*)?"),
    ("method parameter", r" {8,}\w+: .*,"),
    ("class header", r"class \w+\(.*"),
    ("raw-response wrapper", r" +self\.\w+ = (?:async_)?to_raw_response_wrapper\(.*"),
    ("endpoint constant", r"_\w+ = Endpoint\[.*"),
    ("return from_dict", r" +return \w+\.from_dict\(.*"),
    ("raise no_match", r" +raise _serde\.no_match\(.*"),
    ("type alias", r"\w+: TypeAlias = .*"),
    ("def header", r" *(?:async )?def \w+\(.*"),
    ("return call", r" +return .*"),
]
_KINDS = [(k, re.compile(p)) for k, p in KINDS]


def kind_of(line: str) -> str:
    for k, rx in _KINDS:
        if rx.fullmatch(line):
            return k
    return "other"


def load(spec: Path) -> dict[str, str]:
    with tempfile.TemporaryDirectory() as tmp:
        result = pipeline.analyse(Target.adhoc(spec, Path(tmp) / "out", "pkg"), validate=False)
    if result.api is None:
        raise SystemExit(f"{spec}: " + "; ".join(d.format() for d in result.diagnostics))
    return render_package(result.api)


def measure(files: dict[str, str]) -> dict[str, object]:
    verbatim = _verbatim()
    count: Counter[str] = Counter()
    lines_by_kind: Counter[str] = Counter()  # every long line of those statements
    size: Counter[str] = Counter()
    examples: dict[str, list[str]] = defaultdict(list)
    modules = whole = whole_bytes = 0
    seen: set[str] = set()  # format_files formats each distinct statement once
    for path, text in sorted(files.items()):
        if not path.endswith(".py") or text in verbatim:
            continue
        spans = _long_statements(text)
        if spans == []:
            continue
        lines = text.split("\n")
        snippets = [_Snippet.of(lines[a:b + 1]) for a, b in spans] if spans is not None else [None]
        if spans is None or None in snippets:
            whole += 1
            whole_bytes += len(text.encode())
            continue
        modules += 1
        for (a, b), s in zip(spans, snippets, strict=True):
            if s is None:
                raise AssertionError("every span has its snippet")
            if s.text in seen:
                continue
            seen.add(s.text)
            first = next(line for line in lines[a:b + 1] if width(line) > LINE_LENGTH)
            k = kind_of(first)
            count[k] += 1
            size[k] += len(s.text.encode()) + 1
            examples[k].append(first)
            lines_by_kind.update(kind_of(line) for line in lines[a:b + 1] if width(line) > LINE_LENGTH)
    return {"modules": modules, "statements": sum(count.values()), "bytes": sum(size.values()),
            "whole_modules": whole, "whole_bytes": whole_bytes,
            "kinds": {k: [count[k], size[k]] for k, _ in count.most_common()},
            "long_lines": dict(lines_by_kind.most_common()), "examples": dict(examples)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("specs", nargs="+", type=Path)
    ap.add_argument("--examples", type=int, default=0, help="show this many first long lines per kind")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    for spec in args.specs:
        m = measure(load(spec))
        examples = m.pop("examples")
        if args.json:
            print(json.dumps({"spec": str(spec), **m}))
            continue
        print(f"{spec}: {m['statements']} statements, {m['bytes']} bytes to black from {m['modules']} modules; "
              f"{m['whole_modules']} modules whole ({m['whole_bytes']} bytes)")
        for k, (n, b) in m["kinds"].items():  # type: ignore[attr-defined]
            print(f"  {n:6} {b:9}  {k}")
            for line in examples[k][: args.examples]:  # type: ignore[index]
                print(f"         {line!r}")
        print("  long lines in them, by kind: " + ", ".join(f"{k} {n}" for k, n in m["long_lines"].items()))  # type: ignore[attr-defined]


if __name__ == "__main__":
    main()
