"""Evidence that codegen's faster spec validation finds exactly what openapi-spec-validator finds.

    python scripts/validate_equivalence.py [SPEC ...]

For each spec, ``generator.validate.validator._validate`` runs twice, each time in a fresh forked child:
once with openapi-spec-validator's own code only (``stock=True``), once as codegen runs it (the
shortcuts of ``generator.validate.fastvalidate``).  The two lists of findings (message, file, pointer,
line, in order) and whether validation finished must be equal.  Without arguments: every spec
file at the top of each corpus folder (../shared/corpus/*/), GitHub's spec from bench/ when it
is installed, and the broken specs under tests/data.  Prints one row per spec with both times
(of ``_validate`` alone, in a fresh process: one-time set-up included, loading the spec not);
exits 1 when any differ.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus"
GITHUB = "bench/.node/node_modules/@octokit/openapi/generated/api.github.com.json"
sys.path.insert(0, str(REPO))

from generator.load.loader import Spec  # noqa: E402
from generator.validate import validator  # noqa: E402

SUFFIXES = (".yaml", ".yml", ".json")


def default_specs() -> list[Path]:
    specs = sorted(p for p in CORPUS.glob("*/*") if p.suffix in SUFFIXES)
    for root in (REPO, REPO.parent / "main"):
        if (root / GITHUB).is_file():
            specs.append(root / GITHUB)
            break
    for folder in ("tests/data/validate", "tests/data/specs"):
        specs += sorted(p for p in (REPO / folder).glob("*") if p.suffix in SUFFIXES)
    return specs


def run(path: Path, stock: bool) -> dict[str, Any]:
    """``_validate`` in a forked child (a clean heap and no caches from the other run)."""
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_fd)
        try:
            started = time.perf_counter()
            try:
                spec = Spec(path, allow_outside=True)
                started = time.perf_counter()  # the validation's time, not the loader's
                findings, finished = validator._validate(spec, stock=stock)
                result: dict[str, Any] = {"findings": [list(f) for f in findings], "finished": finished}
            except Exception as exc:  # the same failure either way counts as the same result
                result = {"error": f"{type(exc).__name__}: {exc}"}
            result["seconds"] = time.perf_counter() - started
            with os.fdopen(write_fd, "w") as fh:
                json.dump(result, fh)
        finally:
            os._exit(0)
    os.close(write_fd)
    with os.fdopen(read_fd) as fh:
        data = fh.read()
    os.waitpid(pid, 0)
    return json.loads(data)  # type: ignore[no-any-return]


def main(argv: list[str]) -> int:
    os.environ["CODEGEN_NO_CACHE"] = "1"
    import openapi_spec_validator  # noqa: F401  imported here, so that the children time validation only
    specs = [Path(a) for a in argv] or default_specs()
    failed = 0
    print(f"{'spec':<72} {'stock s':>8} {'new s':>7} {'x':>5} findings  same")
    for path in specs:
        old, new = run(path, stock=True), run(path, stock=False)
        old_t, new_t = old.pop("seconds"), new.pop("seconds")
        same = old == new
        failed += not same
        count = len(old.get("findings", [])) if "error" not in old else old["error"][:30]
        name = str(path.relative_to(REPO.parent)) if path.is_relative_to(REPO.parent) else str(path)
        print(f"{name[-72:]:<72} {old_t:8.2f} {new_t:7.2f} {old_t / max(new_t, 1e-9):5.1f} {count!s:>8}  "
              f"{'yes' if same else 'NO'}", flush=True)
        if not same:
            for a, b in zip(old.get("findings", []), new.get("findings", []), strict=False):
                if a != b:
                    print(f"    stock: {a}\n    new:   {b}")
                    break
            else:
                print(f"    stock: {json.dumps(old)[:300]}\n    new:   {json.dumps(new)[:300]}")
    print("all the same" if not failed else f"{failed} spec(s) differ")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
