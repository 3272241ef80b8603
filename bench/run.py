#!/usr/bin/env python3
"""codegen against its peers, measured side by side in one run on this machine.

    python bench/run.py                 # everything (sets up its own environment on first use)
    python bench/run.py --quick         # one repetition, no GitHub spec: a smoke run
    python bench/run.py --sections gen,build --specs openrouter

The bench installs what it measures into folders of its own (git-ignored): ``bench/.venv``
(codegen from this checkout, openapi-python-client, datamodel-code-generator, pydantic v2, and
openapi-generator from PyPI's ``openapi-generator-cli``, which bundles the generator's jar and
runs it with the machine's Java, from ``bench/requirements.txt``) and ``bench/.node``
(``@octokit/openapi`` for GitHub's REST description).  Scratch output goes to ``bench/.work``;
the last table is kept in ``bench/.work/last-run.md``.  It never runs in the test suite.

Every figure is the median of ``--reps`` repetitions, and every ratio is against the peer measured
in the same run.  Cold generation runs each tool as a fresh process (codegen with an empty cache),
timing wall clock and memory: the peak of the summed PSS of the whole process tree (sampled every
20 ms; shared pages counted once), and the largest single process's peak RSS (``wait4``).

openapi-generator (Java) is measured on the OpenAI spec only: its ``python`` client is generated
once per run (the cold-generation table shows that one run, for information) into a folder keyed
by the spec's bytes and the tool's version, which a run without the gen section reuses, and the
import table times importing it.  It is given the spec less its ``webhooks``: codegen writes no
client code for webhooks, and openapi-generator 7.26.0's ``python`` output for them is not valid
Python (request bodies without a type), which stops its whole package from importing.  It runs
with ``--skip-validate-spec``, because its parser rejects the spec's ``x-oai-*`` extensions as
reserved names.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
VENV = BENCH / ".venv"
NODE = BENCH / ".node"
WORK = BENCH / ".work"
CORPUS = Path(os.environ.get("BENCH_CORPUS", REPO.parent / "shared" / "corpus"))
PY = VENV / "bin" / "python"
NPM_PACKAGES = ("@octokit/openapi",)
GITHUB_SPEC = NODE / "node_modules" / "@octokit" / "openapi" / "generated" / "api.github.com.json"
SPECS = {
    "openrouter": CORPUS / "openrouter" / "openapi.yaml",
    "openai": CORPUS / "openai" / "openapi.yaml",
    "github": GITHUB_SPEC,
}
SECTIONS = ("gen", "build", "import", "runtime")


# -- environment -----------------------------------------------------------------------------

def _run(cmd: Sequence[str | Path], **kwargs: Any) -> None:
    print("$", " ".join(map(str, cmd)), flush=True)
    subprocess.run([str(c) for c in cmd], check=True, **kwargs)


def setup() -> None:
    """bench/.venv and bench/.node, made or brought up to date (a stamp holds the inputs' hash)."""
    stamp = VENV / ".bench-stamp"
    wanted = hashlib.sha256((BENCH / "requirements.txt").read_bytes() + (REPO / "pyproject.toml").read_bytes()
                            ).hexdigest()
    if not (PY.exists() and stamp.exists() and stamp.read_text() == wanted):
        if not PY.exists():
            _run([sys.executable, "-m", "venv", VENV])
        _run([PY, "-m", "pip", "install", "-q", "--disable-pip-version-check", "-r", BENCH / "requirements.txt"])
        _run([PY, "-m", "pip", "install", "-q", "--disable-pip-version-check", "-e", REPO])
        stamp.write_text(wanted)
    if not all((NODE / "node_modules" / p / "package.json").exists() for p in NPM_PACKAGES):
        NODE.mkdir(exist_ok=True)
        _run(["npm", "install", "--prefix", NODE, "--no-audit", "--no-fund", "--loglevel=error", *NPM_PACKAGES])


# -- measuring a process ---------------------------------------------------------------------

@dataclass
class Run:
    wall: float
    rc: int
    tree_pss_kib: int = 0  # peak of the summed PSS of the process and all its descendants
    max_rss_kib: int = 0  # largest peak RSS of any one process in the tree (wait4)
    cpu: float = 0.0  # user + system seconds of the process and its waited-for descendants
    tail: str = ""

    @property
    def ok(self) -> bool:
        return self.rc == 0


def _children(pid: int) -> list[int]:
    out = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as fh:
                out += [int(c) for c in fh.read().split()]
    except OSError:
        pass
    return out


def _pss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def tree_pss_kib(pid: int) -> int:
    total, todo, seen = 0, [pid], set()
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        seen.add(p)
        total += _pss_kib(p)
        todo += _children(p)
    return total


def measure(cmd: Sequence[str | Path], *, env: dict[str, str] | None = None, cwd: Path | None = None,
            timeout: float = 1800, tail_lines: int = 3) -> Run:
    """Run ``cmd`` to its end: wall time, peak memory of its process tree, exit code, last output
    (``tail_lines`` non-empty lines of it)."""
    with tempfile.TemporaryFile() as log:
        t0 = time.perf_counter()
        proc = subprocess.Popen([str(c) for c in cmd], env=env, cwd=cwd, stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)
        peak = 0
        done = threading.Event()

        def sample() -> None:
            nonlocal peak
            while not done.wait(0.02):
                peak = max(peak, tree_pss_kib(proc.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        killer = threading.Timer(timeout, lambda: os.killpg(proc.pid, signal.SIGKILL))
        killer.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        killer.cancel()
        done.set()
        sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
        log.seek(0)
        lines = [ln for ln in log.read().decode("utf-8", "replace").splitlines() if ln.strip()]
        return Run(wall, proc.returncode, peak, int(usage.ru_maxrss), usage.ru_utime + usage.ru_stime,
                   "\n".join(lines[-tail_lines:]))


def median_run(runs: list[Run]) -> Run:
    ok = [r for r in runs if r.ok] or runs
    return Run(statistics.median(r.wall for r in ok), ok[-1].rc, int(statistics.median(r.tree_pss_kib for r in ok)),
               int(statistics.median(r.max_rss_kib for r in ok)), statistics.median(r.cpu for r in ok), ok[-1].tail)


def probe(*args: str | Path, env: dict[str, str] | None = None, timeout: float = 900) -> dict[str, Any]:
    r = subprocess.run([str(PY), str(BENCH / "probe.py"), *map(str, args)], capture_output=True, text=True,
                       env=env, timeout=timeout, check=False)
    if r.returncode != 0:
        raise RuntimeError(f"probe {args[0]} failed: {r.stderr.strip().splitlines()[-1:] or r.returncode}")
    return json.loads(r.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def env_with(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPATH")}
    env["PATH"] = f"{VENV / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env.update(extra)
    return env


# -- reporting -------------------------------------------------------------------------------

@dataclass
class Report:
    sections: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def table(self, title: str, header: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
        lines = [f"### {title}", "", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(row) + " |" for row in rows]
        self.sections.append("\n".join(lines))
        print("\n" + self.sections[-1] + "\n", flush=True)

    def note(self, text: str) -> None:
        self.notes.append(text)
        print("note:", text, flush=True)

    def text(self) -> str:
        body = "\n\n".join(self.sections)
        if self.notes:
            body += "\n\n" + "\n".join(f"- {n}" for n in self.notes)
        return body + "\n"


def secs(x: float | None) -> str:
    if x is None:
        return "–"
    return f"{x * 1000:.0f} ms" if x < 1 else f"{x:.1f} s"


def usecs(x: float) -> str:
    return f"{x * 1e6:.0f} µs"


def mib(kib: int) -> str:
    return f"{kib / 1024:.0f} MiB" if kib else "–"


def ratio(a: float | None, b: float | None) -> str:
    """``a`` as a multiple of ``b`` ("0.42×"), or "–" when either is missing."""
    if not a or not b:
        return "–"
    return f"{a / b:.2f}×"


def status(run: Run) -> str:
    if run.ok:
        return "ok"
    last = run.tail.splitlines()[-1] if run.tail else ""
    return f"**failed** (exit {run.rc}: {last[:100]})"


# -- cold generation -------------------------------------------------------------------------

def package_folder(out: Path) -> tuple[Path, str] | None:
    """The folder to put on sys.path and the import name of the package generated into ``out``."""
    for init in sorted(out.glob("*/__init__.py")):
        return out, init.parent.name
    return None


def tools(spec: Path, out: Path, cache: Path, name: str) -> dict[str, tuple[list[str | Path], dict[str, str]]]:
    return {
        "codegen": ([VENV / "bin" / "codegen", "generate", spec, "--out", out, "--package", name],
                    env_with(CODEGEN_CACHE_DIR=str(cache))),
        # with --meta none, the output path is the package itself
        "openapi-python-client": ([VENV / "bin" / "openapi-python-client", "generate", "--path", spec,
                                   "--output-path", out / f"{name}_opc", "--overwrite", "--meta", "none"], env_with()),
        "datamodel-code-generator (models only)": (
            [VENV / "bin" / "datamodel-codegen", "--input", spec, "--input-file-type", "openapi", "--output",
             out / f"{name}_pydantic.py", "--output-model-type", "pydantic_v2.BaseModel", "--disable-timestamp"],
            env_with()),
    }


def bench_generation(report: Report, specs: list[str], reps: int, big_reps: int) -> dict[str, dict[str, Path]]:
    """Cold generation of each spec by each tool; returns the last output folder per spec and tool."""
    outputs: dict[str, dict[str, Path]] = {}
    rows = []
    for spec_name in specs:
        spec = SPECS[spec_name]
        if not spec.exists():
            report.note(f"{spec_name}: {spec} is missing; skipped")
            continue
        n = big_reps if spec.stat().st_size > 5_000_000 else reps
        floor = probe("floor", spec, str(max(n, 3)), timeout=1800)
        results: dict[str, Run] = {}
        for tool in tools(spec, Path("x"), Path("x"), spec_name):
            runs = []
            for i in range(n):
                out = WORK / "gen" / spec_name / f"{_slug(tool)}-{i}"
                cache = WORK / "cache" / f"{spec_name}-{_slug(tool)}-{i}"
                shutil.rmtree(out, ignore_errors=True)
                shutil.rmtree(cache, ignore_errors=True)
                out.mkdir(parents=True)
                cmd, env = tools(spec, out, cache, spec_name)[tool]
                print(f"[gen] {spec_name} {tool} {i + 1}/{n}", flush=True)
                runs.append(measure(cmd, env=env, timeout=3600))
                print(f"      {runs[-1].wall:.1f} s, {mib(runs[-1].tree_pss_kib)}, exit {runs[-1].rc}", flush=True)
                if not runs[-1].ok:
                    break  # a failure is recorded once, not retried
            results[tool] = median_run(runs)
            outputs.setdefault(spec_name, {})[tool] = out
        # warm cache: codegen again with the last cold run's cache, into a fresh folder
        cache = WORK / "cache" / f"{spec_name}-codegen-{n - 1}"
        warm_runs = []
        for i in range(n):
            out = WORK / "gen" / spec_name / f"codegen-warm-{i}"
            shutil.rmtree(out, ignore_errors=True)
            out.mkdir(parents=True)
            cmd, env = tools(spec, out, cache, spec_name)["codegen"]
            warm_runs.append(measure(cmd, env=env))
        warm = median_run(warm_runs)
        opc = results["openapi-python-client"]
        cg = results["codegen"]
        base = opc if opc.ok else None
        size = f"{spec.stat().st_size / 1e6:.1f} MB"
        def row(label: str, run: Run, spec_name: str = spec_name, size: str = size,
                base: Run | None = base) -> list[str]:
            return [spec_name, size, label, status(run), secs(run.wall), secs(run.cpu), mib(run.tree_pss_kib),
                    mib(run.max_rss_kib), ratio(run.wall, base.wall) if base else "–",
                    ratio(run.cpu, base.cpu) if base else "–",
                    ratio(run.tree_pss_kib, base.tree_pss_kib) if base else "–"]

        rows += [row(tool, run) for tool, run in results.items()]
        rows.append(row("codegen, cache warm (same spec again)", warm))
        rows.append([spec_name, size, "floor: PyYAML C loader parse (in process)", "ok", secs(floor["yaml_c"]),
                     "", "", "", f"codegen cold = {ratio(cg.wall, floor['yaml_c'])} floor" if cg.ok else "", "", ""])
        if spec_name == OAG_SPEC:
            rows.append(oag_generation_row(report, size, base))
        if "json" in floor:
            report.note(f"{spec_name} is JSON: codegen reads it with json.loads ({secs(floor['json'])}), "
                        "the floor above is PyYAML's C loader as the issue defines it")
        if not opc.ok:
            why = opc.tail.splitlines()[-1] if opc.tail else opc.rc
            report.note(f"openapi-python-client failed on {spec_name}: {why}")
        if cg.ok:
            report.note(black_check(spec_name, outputs[spec_name]["codegen"]))
    report.table(f"Cold generation (validation and formatting included; median of {reps}, GitHub {big_reps})",
                 ["spec", "size", "tool", "result", "wall", "CPU", "peak mem (tree PSS)", "max process RSS",
                  "wall vs openapi-python-client", "CPU vs o-p-c", "mem vs o-p-c"], rows)
    return outputs


def oag_generation_row(report: Report, size: str, base: Run | None) -> list[str]:
    """openapi-generator's one generation of OAG_SPEC, as a row of the cold-generation table."""
    label = "openapi-generator `python` (informational: one run, not a median; see note)"
    try:
        version = oag_version()
        folder, run = generate_oag(version)
    except (OSError, RuntimeError, subprocess.SubprocessError) as exc:
        return [OAG_SPEC, size, label, f"**not measured** ({failure_line(f'{type(exc).__name__}: {exc}', 100)})",
                "–", "–", "–", "–", "–", "–", "–"]
    files = sum(1 for _ in (folder / "client").rglob("*.py"))
    report.note(f"openapi-generator {version} (PyPI's `openapi-generator-cli`, its jar run by the machine's Java) "
                f"generated {OAG_SPEC} less its `webhooks`, with `--skip-validate-spec` (see bench/run.py's docstring "
                f"for why) and its defaults, which write docs and tests too ({files} .py files in all); timed once")
    result = "ok" if not run.tail else f"**failed** ({run.tail[:100]})"
    return [OAG_SPEC, size, label, result, secs(run.wall), secs(run.cpu), mib(run.tree_pss_kib), mib(run.max_rss_kib),
            ratio(run.wall, base.wall) if base else "–", ratio(run.cpu, base.cpu) if base else "–",
            ratio(run.tree_pss_kib, base.tree_pss_kib) if base else "–"]


def black_check(spec_name: str, out: Path) -> str:
    """Whether black (the pinned one, codegen's settings) would change any of codegen's output:
    codegen runs black only where it would change something, and this holds it to that."""
    config = WORK / "black-check.toml"
    config.write_text("")  # no project settings from the folders above
    files = sum(1 for _ in out.rglob("*.py"))
    with tempfile.TemporaryDirectory() as cache:
        done = subprocess.run([VENV / "bin" / "black", "--check", "--quiet", "--config", config, "--target-version",
                               "py310", "--line-length", "88", out], env=dict(os.environ, BLACK_CACHE_DIR=cache),
                              capture_output=True, text=True, check=False)
    verdict = ("none would change" if done.returncode == 0
               else f"**black would change some** ({done.stderr.strip()[-300:]})")
    return f"{spec_name}: `black --check` over codegen's output ({files} modules): {verdict}"


def _slug(tool: str) -> str:
    return tool.split(" ")[0]


# -- openapi-generator (Java, the jar bundled in PyPI's openapi-generator-cli) -----------------

OAG_CLI = VENV / "bin" / "openapi-generator-cli"
OAG_SPEC = "openai"  # the one spec it is measured on
OAG_PACKAGE = "openai_oag"
OAG_CONSTRUCT = "m.ApiClient(m.Configuration(host='http://127.0.0.1', access_token='k'))"
OAG_IMPORT_REPS = 3  # its package takes seconds to import: three runs are enough, and keep the bench short
_EXCEPTION = re.compile(r'^(?:Exception in thread "[^"]*" )?(?:Caused by: )?(?:[\w$]+\.)*[\w$]*(?:Exception|Error)\b')


def failure_line(output: str, limit: int = 120) -> str:
    """Why a tool failed, in one line of its ``output``: the exception it names (Java's first, Python's
    last), short of its package path, else its last line."""
    lines = [ln.strip() for ln in output.splitlines() if ln.strip()]
    hits = [ln for ln in lines if _EXCEPTION.match(ln)]
    if hits:
        line = hits[-1] if any(ln.startswith("Traceback (most recent call last)") for ln in lines) else hits[0]
        line = re.sub(r'^Exception in thread "[^"]*" |^Caused by: ', "", line)
        line = re.sub(r"^(?:[\w$]+\.)+(?=[\w$]*(?:Exception|Error)\b)", "", line)
    else:
        line = lines[-1] if lines else "no output"
    return line if len(line) <= limit else line[:limit - 1] + "…"


def without_webhooks(text: str) -> str:
    """The YAML spec ``text`` less its top-level ``webhooks`` block, every other byte as it was."""
    return re.sub(r"(?ms)^webhooks:[^\n]*\n.*?(?=^[^\s#]|\Z)", "", text, count=1)


def oag_version() -> str:
    r = subprocess.run([str(OAG_CLI), "version"], capture_output=True, text=True, timeout=120, cwd=WORK,
                       check=False)
    out = r.stdout.strip().splitlines()
    if r.returncode != 0 or not out:
        raise RuntimeError(f"`openapi-generator-cli version` failed: {failure_line(r.stdout + r.stderr, 90)}")
    return out[-1].strip()


def oag_folder(version: str) -> Path:
    """Where openapi-generator's output for OAG_SPEC goes: keyed by the spec's bytes and the tool's version."""
    digest = hashlib.sha256(SPECS[OAG_SPEC].read_bytes()).hexdigest()[:12]
    return WORK / "openapi-generator" / f"{OAG_SPEC}-{digest}-{version}"


def generate_oag(version: str) -> tuple[Path, Run]:
    """openapi-generator's ``python`` client of OAG_SPEC less its webhooks (see the module's docstring), made
    anew in a fresh process and timed like a cold generation; its outcome is kept beside it."""
    folder = oag_folder(version)
    for old in folder.parent.glob(f"{OAG_SPEC}-*"):  # this key's last output and other keys' alike
        shutil.rmtree(old, ignore_errors=True)
    folder.mkdir(parents=True)
    spec = SPECS[OAG_SPEC]
    trimmed = folder / f"{spec.stem}-without-webhooks{spec.suffix}"
    trimmed.write_text(without_webhooks(spec.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"[gen] {OAG_SPEC} openapi-generator {version} 1/1", flush=True)
    # cwd in the scratch folder: whatever it writes beside its output stays out of the repo
    run = measure([OAG_CLI, "generate", "--generator-name", "python", "--input-spec", trimmed, "--output",
                   folder / "client", "--package-name", OAG_PACKAGE, "--skip-validate-spec"],
                  env=env_with(), cwd=WORK, timeout=900, tail_lines=100_000)
    print(f"      {run.wall:.1f} s, {mib(run.tree_pss_kib)}, exit {run.rc}", flush=True)
    why = "" if run.ok else f"exit {run.rc}: {failure_line(run.tail)}"
    if not why and not (folder / "client" / OAG_PACKAGE / "__init__.py").exists():
        why = f"no package `{OAG_PACKAGE}` in its output"
    (folder / "outcome.json").write_text(json.dumps({"rc": run.rc, "why": why}))
    run.tail = why  # what a row shows when it failed
    return folder, run


def oag_package() -> tuple[Path | None, str]:
    """The folder holding openapi-generator's package of OAG_SPEC, generated now unless a run already made
    it for this spec and version; or None and why not, in one line."""
    if not SPECS[OAG_SPEC].exists():
        return None, f"{SPECS[OAG_SPEC]} is missing"
    try:
        version = oag_version()
        folder = oag_folder(version)
        if not (folder / "outcome.json").exists():
            folder = generate_oag(version)[0]
        why = json.loads((folder / "outcome.json").read_text())["why"]
    except (OSError, RuntimeError, ValueError, KeyError, subprocess.SubprocessError) as exc:
        return None, failure_line(f"{type(exc).__name__}: {exc}")
    return (None, f"generation failed ({why})") if why else (folder / "client", "")


# -- codegen build: no-op and one operation changed ------------------------------------------

def bench_build(report: Report, reps: int) -> None:
    project = WORK / "project"
    shutil.rmtree(project, ignore_errors=True)
    project.mkdir(parents=True)
    config = tomllib.loads((REPO / "pyproject.toml").read_text())
    targets = config["tool"]["codegen"]["targets"]
    shutil.copy(REPO / "pyproject.toml", project / "pyproject.toml")
    for t in targets.values():
        for rel in [t["spec"], *t.get("overlays", [])]:
            src = REPO / rel
            folder = src.parent if rel == t["spec"] else src
            dst = project / folder.relative_to(REPO)
            if folder.is_dir():
                shutil.copytree(folder, dst, dirs_exist_ok=True)
            else:
                dst.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(folder, dst)
    # the OpenRouter target gets the full corpus spec, the same one the cold runs use
    or_spec = project / targets["openrouter"]["spec"]
    shutil.copy(SPECS["openrouter"], or_spec)
    codegen = VENV / "bin" / "codegen"
    cache = WORK / "cache" / "project"

    def build(*names: str, fresh_cache: bool = False) -> Run:
        if fresh_cache:
            shutil.rmtree(cache, ignore_errors=True)
        return measure([codegen, "build", *names], env=env_with(CODEGEN_CACHE_DIR=str(cache)), cwd=project)

    cold = []
    for i in range(reps):
        shutil.rmtree(project / targets["openrouter"]["out"], ignore_errors=True)
        print(f"[build] cold openrouter {i + 1}/{reps}", flush=True)
        cold.append(build("openrouter", fresh_cache=True))
    cold_run = median_run(cold)
    first = build()  # builds the other targets
    noop = median_run([build() for _ in range(max(reps, 5))])
    edits = []
    for i in range(reps):
        _change_one_operation(or_spec, f"Get a workspace (edit {i + 1})")
        print(f"[build] one operation changed {i + 1}/{reps}", flush=True)
        edits.append(build("openrouter"))
    edit = median_run(edits)
    rows = [
        ["cold `codegen build openrouter` (empty cache)", status(cold_run), secs(cold_run.wall), secs(cold_run.cpu),
         mib(cold_run.tree_pss_kib), ""],
        [f"no-op `codegen build` ({len(targets)} targets)", status(noop) if first.ok else status(first),
         secs(noop.wall),
         secs(noop.cpu), mib(noop.tree_pss_kib), "target < 0.3 s"],
        ["one operation changed in OpenRouter, rebuild", status(edit), secs(edit.wall), secs(edit.cpu),
         mib(edit.tree_pss_kib), (f"{ratio(edit.wall, cold_run.wall)} of cold wall, {ratio(edit.cpu, cold_run.cpu)} "
         "of cold CPU (target < 0.25×)")],
    ]
    report.table(f"`codegen build` (full OpenRouter corpus spec + the project's other targets; median of {reps}, "
                 f"no-op median of {max(reps, 5)})", ["case", "result", "wall", "CPU", "peak mem", "vs target"], rows)


def _change_one_operation(spec: Path, summary: str) -> None:
    """Give GET /workspaces/{id} a new summary, leaving every other byte of the file as it was."""
    import yaml

    text = spec.read_text(encoding="utf-8")
    root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    node = root
    for key in ("paths", "/workspaces/{id}", "get"):
        node = next(v for k, v in node.value if k.value == key)
    found = [(k, v) for k, v in node.value if k.value == "summary"]
    if found:
        v = found[0][1]
        text = text[:v.start_mark.index] + json.dumps(summary) + text[v.end_mark.index:]
    else:  # no summary yet: add one right after the operation's first key
        k0 = node.value[0][0]
        indent = " " * k0.start_mark.column
        text = text[:k0.start_mark.index] + f"summary: {json.dumps(summary)}\n{indent}" + text[k0.start_mark.index:]
    spec.write_text(text, encoding="utf-8")


# -- import time -----------------------------------------------------------------------------

def bench_import(report: Report, outputs: dict[str, dict[str, Path]], reps: int) -> None:
    spec = "openai"
    found = outputs.get(spec, {})
    env = env_with()
    rows = []
    baseline = _import_median(BENCH, "httpx", "m.Client", reps, env)
    contenders: list[tuple[str, Path | None, str]] = [
        ("codegen", found.get("codegen"), "m.Client(base_url='http://127.0.0.1')"),
        ("openapi-python-client", found.get("openapi-python-client"), "m.Client(base_url='http://127.0.0.1')"),
    ]
    figures: dict[str, float | None] = {}
    for tool, out, construct in contenders:
        pkg = package_folder(out) if out else None
        if pkg is None:
            figures[tool] = None
            rows.append([tool, "**not measured** (no generated package)", "–", "–"])
            continue
        try:
            figures[tool] = _import_median(pkg[0], pkg[1], construct, reps, env)
            rows.append([tool, "ok", secs(figures[tool]), ratio(figures[tool], figures.get("openapi-python-client"))])
        except RuntimeError as exc:
            figures[tool] = None
            rows.append([tool, f"**failed** ({str(exc)[:120]})", "–", "–"])
    # codegen's row was written before the peer's figure existed
    if figures.get("codegen") and figures.get("openapi-python-client"):
        rows[0][3] = ratio(figures["codegen"], figures["openapi-python-client"])
    rows.append(oag_import_row(min(reps, OAG_IMPORT_REPS), env, figures.get("openapi-python-client")))
    rows.append(["`import httpx` + `httpx.Client()` alone (codegen's and o-p-c's clients need it)", "ok",
                 secs(baseline), ""])
    report.table(f"Import of the generated OpenAI package + constructing a client (fresh process, .pyc cached; "
                 f"median of {reps})", ["generator", "result", "time", "vs openapi-python-client"], rows)


def _import_median(path: Path, module: str, construct: str, reps: int, env: dict[str, str]) -> float:
    probe("import", path, module, construct, env=env)  # compiles and caches the .pyc files
    return statistics.median(probe("import", path, module, construct, env=env)["seconds"] for _ in range(reps))


def oag_import_row(reps: int, env: dict[str, str], base: float | None) -> list[str]:
    label = f"openapi-generator (`python`, spec less its `webhooks`; median of {reps})"
    folder, why = oag_package()
    if folder is None:
        return [label, f"**not measured** ({why})", "–", "–"]
    try:
        took = _import_median(folder, OAG_PACKAGE, OAG_CONSTRUCT, reps, env)
    except RuntimeError as exc:
        return [label, f"**failed** ({str(exc)[:120]})", "–", "–"]
    return [label, "ok", secs(took), ratio(took, base)]


# -- runtime ---------------------------------------------------------------------------------

REQUEST_ROUNDS, REQUESTS_PER_ROUND = 40, 100


def bench_runtime(report: Report, outputs: dict[str, dict[str, Path]], reps: int) -> None:
    found = outputs.get("openrouter", {})
    cg = package_folder(found["codegen"]) if found.get("codegen") else None
    if cg is None:
        report.note("runtime not measured: no codegen OpenRouter package (run the gen section with openrouter)")
        return
    opc = package_folder(found["openapi-python-client"]) if found.get("openapi-python-client") else None
    dm = found.get("datamodel-code-generator (models only)")
    env = env_with()
    args = ["--codegen", str(cg[0]), "--codegen-pkg", cg[1], "--spec", str(SPECS["openrouter"]),
            "--reps", str(max(reps, 5))]
    if opc:
        args += ["--opc", str(opc[0]), "--opc-pkg", opc[1]]
    if dm and (dm / "openrouter_pydantic.py").exists():
        args += ["--pydantic-dir", str(dm), "--pydantic-module", "openrouter_pydantic"]
    models = probe("runtime", *args, env=env)
    base = models.get("openapi-python-client", {}).get("total")
    pyd = models.get("pydantic v2 (datamodel-code-generator model)", {}).get("total")
    rows = []
    for tool, m in models.items():
        if "error" in m:
            rows.append([tool, f"**failed** ({m['error'][:100]})", "–", "–", "–", "–", "–"])
            continue
        rows.append([tool, "ok" if m["roundtrip_ok"] else "ok (round trip not exact)", secs(m["decode"]),
                     secs(m["encode"]), secs(m["total"]), ratio(m["total"], base), ratio(m["total"], pyd)])
    report.table(f"Runtime: decode + encode 10,000 `Workspace` objects (OpenRouter; median of {max(reps, 5)})",
                 ["models", "result", "decode", "encode", "total", "vs openapi-python-client", "vs pydantic v2"], rows)

    server = subprocess.Popen([str(PY), str(BENCH / "probe.py"), "serve", str(SPECS["openrouter"])],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)
    try:
        if server.stdout is None:
            raise AssertionError("stdout=PIPE gives a stdout")
        port = json.loads(server.stdout.readline())["port"]
        req_args = ["--codegen", str(cg[0]), "--codegen-pkg", cg[1], "--port", str(port),
                    "--rounds", str(REQUEST_ROUNDS), "--n", str(REQUESTS_PER_ROUND)]
        if opc:
            req_args += ["--opc", str(opc[0]), "--opc-pkg", opc[1]]
        reqs = probe("request", *req_args, env=env)
    finally:
        if server.stdin:
            server.stdin.close()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
    bare = reqs.get("bare httpx", {})
    rows = [[name, usecs(r["per_request"]), ratio(r["per_request"], bare.get("per_request")),
             usecs(r["cpu_per_request"]), ratio(r["cpu_per_request"], bare.get("cpu_per_request"))]
            for name, r in reqs.items() if "per_request" in r]
    report.table(f"Runtime: one GET returning a `Workspace` from a local 127.0.0.1 server (median of {REQUEST_ROUNDS} "
                 f"rounds of {REQUESTS_PER_ROUND}, the clients taking turns)",
                 ["client", "wall per request", "vs bare httpx", "client CPU per request", "vs bare httpx"], rows)


# -- main ------------------------------------------------------------------------------------

def machine() -> str:
    cpu = os.cpu_count()
    try:
        mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (ValueError, OSError):
        mem = 0
    load = os.getloadavg()[0]
    versions = subprocess.run([str(PY), "-m", "pip", "list", "--format=json", "--disable-pip-version-check"],
                              capture_output=True, text=True, check=False).stdout
    pins = {p["name"].lower(): p["version"] for p in json.loads(versions or "[]")}
    names = ("codegen", "openapi-python-client", "datamodel-code-generator", "pydantic", "black", "ruff", "httpx",
             "openapi-generator-cli")
    return (f"{cpu} cores, {mem:.0f} GiB, Python {sys.version.split()[0]}, load {load:.1f} at start; "
            + ", ".join(f"{n} {pins.get(n, '?')}" for n in names))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reps", type=int, default=3, help="repetitions per measurement (median is reported)")
    parser.add_argument("--big-reps", type=int, default=1, help="repetitions for specs over 5 MB (GitHub)")
    parser.add_argument("--specs", default="openrouter,openai,github", help="comma-separated: " + ",".join(SPECS))
    parser.add_argument("--sections", default=",".join(SECTIONS), help="comma-separated: " + ",".join(SECTIONS))
    parser.add_argument("--quick", action="store_true", help="one repetition, OpenRouter and OpenAI only")
    parser.add_argument("--no-setup", action="store_true", help="use bench/.venv and bench/.node as they are")
    args = parser.parse_args(argv)
    if args.quick:
        args.reps, args.specs = 1, "openrouter,openai"
    if not args.no_setup:
        setup()
    if Path(sys.prefix).resolve() != VENV.resolve():  # measure with the bench's own interpreter
        again = [str(PY), str(Path(__file__).resolve()), *(argv if argv is not None else sys.argv[1:]), "--no-setup"]
        os.execv(str(PY), again)  # noqa: S606 - this process becomes the bench's own interpreter, on purpose
    WORK.mkdir(exist_ok=True)
    specs = [s for s in args.specs.split(",") if s]
    sections = [s for s in args.sections.split(",") if s]
    report = Report()
    report.sections.append(f"Machine: {machine()}.")
    print(report.sections[0], flush=True)
    outputs: dict[str, dict[str, Path]] = {}
    if "gen" in sections:
        outputs = bench_generation(report, specs, args.reps, args.big_reps)
    else:  # reuse the last run's output folders
        for spec_name in SPECS:
            for tool in tools(Path("x"), Path("x"), Path("x"), spec_name):
                last = sorted((WORK / "gen" / spec_name).glob(f"{_slug(tool)}-[0-9]*"))
                if last:
                    outputs.setdefault(spec_name, {})[tool] = last[-1]
    if "build" in sections:
        bench_build(report, args.reps)
    if "import" in sections:
        bench_import(report, outputs, max(args.reps, 7))
    if "runtime" in sections:
        bench_runtime(report, outputs, args.reps)
    (WORK / "last-run.md").write_text(report.text(), encoding="utf-8")
    print(f"\nwritten to {WORK / 'last-run.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
