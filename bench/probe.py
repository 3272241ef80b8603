"""Measurements that must run in a process of their own, started by ``bench/run.py``.

Each sub-command prints one JSON object on stdout:

* ``floor FILE REPS``: PyYAML C-loader parse time of FILE (and json.loads for JSON files);
* ``import PATH MODULE CONSTRUCT``: time to import MODULE from PATH and evaluate CONSTRUCT;
* ``runtime --codegen DIR --opc DIR --pydantic FILE --spec SPEC``: decode + encode of
  10,000 ``Workspace`` objects with each tool's models;
* ``request --codegen DIR --opc DIR --port N``: one request through each client vs bare httpx;
* ``serve``: a minimal HTTP/1.1 keep-alive server on 127.0.0.1 that answers every request with
  one ``Workspace``; prints its port, stops when its standard input closes.
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import importlib
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

N_OBJECTS = 10_000


def _print(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


# -- floor ------------------------------------------------------------------------------------

def floor(file: str, reps: int) -> None:
    import yaml

    text = Path(file).read_text(encoding="utf-8")
    times = []
    for _ in range(reps):
        t = time.perf_counter()
        yaml.load(text, Loader=yaml.CSafeLoader)
        times.append(time.perf_counter() - t)
    out: dict[str, Any] = {"yaml_c": statistics.median(times)}
    if text.lstrip().startswith("{"):
        t = time.perf_counter()
        json.loads(text)
        out["json"] = time.perf_counter() - t
    _print(out)


# -- import ----------------------------------------------------------------------------------

def import_time(path: str, module: str, construct: str) -> None:
    sys.path.insert(0, path)
    t = time.perf_counter()
    mod = importlib.import_module(module)
    eval(construct, {"m": mod})  # noqa: S307 - the bench's own expression
    _print({"seconds": time.perf_counter() - t})


# -- runtime: models -------------------------------------------------------------------------

def workspace_samples(spec: str, n: int = N_OBJECTS) -> list[dict[str, Any]]:
    """n Workspace objects as JSON would decode them: the spec's example with varied values."""
    import yaml

    doc = yaml.load(Path(spec).read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    example = doc["components"]["schemas"]["Workspace"]["example"]
    out = []
    for i in range(n):
        d = copy.deepcopy(example)
        d["id"] = f"550e8400-e29b-41d4-a716-{i:012d}"
        d["name"] = f"Workspace {i}"
        d["slug"] = f"workspace-{i}"
        d["description"] = None if i % 3 == 0 else f"Workspace number {i}"
        d["io_logging_api_key_ids"] = [i, i + 1] if i % 2 else None
        d["io_logging_sampling_rate"] = (i % 100) / 100 + 0.01
        out.append(d)
    return out


def _time_pair(decode: Callable[[dict[str, Any]], Any], encode: Callable[[Any], dict[str, Any]],
               data: list[dict[str, Any]], reps: int) -> dict[str, Any]:
    objs = [decode(d) for d in data[:10]]
    roundtrip_ok = all(encode(o) == d for o, d in zip(objs, data[:10], strict=False))
    dec, enc, both = [], [], []
    for _ in range(reps):
        t0 = time.perf_counter()
        objs = [decode(d) for d in data]
        t1 = time.perf_counter()
        for o in objs:
            encode(o)
        t2 = time.perf_counter()
        dec.append(t1 - t0)
        enc.append(t2 - t1)
        both.append(t2 - t0)
    return {"decode": statistics.median(dec), "encode": statistics.median(enc),
            "total": statistics.median(both), "roundtrip_ok": roundtrip_ok}


def _find_class(package: str, name: str) -> type:
    mod = importlib.import_module(f"{package}.models")
    return getattr(mod, name)  # type: ignore[no-any-return]


def runtime(args: argparse.Namespace) -> None:
    data = workspace_samples(args.spec)
    results: dict[str, Any] = {}
    sys.path[:0] = [p for p in (args.codegen, args.opc, args.pydantic_dir) if p]
    if args.codegen:
        cls = _find_class(args.codegen_pkg, "Workspace")
        results["codegen"] = _time_pair(cls.from_dict, lambda o: o.to_dict(), data, args.reps)
    if args.opc:
        try:
            cls = _find_class(args.opc_pkg, "Workspace")
            results["openapi-python-client"] = _time_pair(cls.from_dict, lambda o: o.to_dict(), data, args.reps)
        except Exception as exc:  # report, never hide
            results["openapi-python-client"] = {"error": f"{type(exc).__name__}: {exc}"}
    if args.pydantic_dir:
        try:
            mod = importlib.import_module(args.pydantic_module)
            cls = mod.Workspace
            results["pydantic v2 (datamodel-code-generator model)"] = _time_pair(
                cls.model_validate, lambda o: o.model_dump(mode="json", by_alias=True, exclude_unset=True),
                data, args.reps)
        except Exception as exc:
            results["pydantic v2 (datamodel-code-generator model)"] = {"error": f"{type(exc).__name__}: {exc}"}
    _print(results)


# -- runtime: one request --------------------------------------------------------------------

def request(args: argparse.Namespace) -> None:
    import httpx

    base = f"http://127.0.0.1:{args.port}/api/v1"
    sys.path[:0] = [p for p in (args.codegen, args.opc) if p]
    calls: dict[str, Callable[[], Any]] = {}
    bare = httpx.Client()
    calls["bare httpx"] = lambda: bare.get(f"{base}/workspaces/ws-1",
                                           headers={"Authorization": "Bearer k"}).json()
    cg = importlib.import_module(args.codegen_pkg)
    import inspect

    params = inspect.signature(cg.Client).parameters
    key = next((p for p in params if "key" in p or "token" in p or "auth" in p), None)
    client = cg.Client(base_url=base, max_retries=0, **({key: "k"} if key else {}))
    method = getattr(client.workspaces, "get", None) or client.workspaces.retrieve
    calls["codegen client"] = lambda: method("ws-1")
    if args.opc:
        try:
            opc = importlib.import_module(args.opc_pkg)
            api = importlib.import_module(f"{args.opc_pkg}.api.workspaces.get_workspace")
            oclient = opc.AuthenticatedClient(base_url=base, token="k")  # noqa: S106 - a dummy for a local server
            calls["openapi-python-client client"] = lambda: api.sync(id="ws-1", client=oclient)
        except Exception as exc:
            _print({"openapi-python-client client": {"error": f"{type(exc).__name__}: {exc}"}})
    for fn in calls.values():  # warm up: connections, first-call imports
        for _ in range(50):
            fn()
    # Many short rounds, the contenders taking turns, so that a burst of noise on this shared machine
    # hits one round of each rather than one contender; the median round is reported.  Besides the
    # wall time (which includes the server and the scheduler), the client process's own CPU time.
    walls: dict[str, list[float]] = {name: [] for name in calls}
    cpus: dict[str, list[float]] = {name: [] for name in calls}
    for _ in range(args.rounds):
        for name, fn in calls.items():
            t, c = time.perf_counter(), time.process_time()
            for _ in range(args.n):
                fn()
            cpus[name].append((time.process_time() - c) / args.n)
            walls[name].append((time.perf_counter() - t) / args.n)
    _print({name: {"per_request": statistics.median(walls[name]), "cpu_per_request": statistics.median(cpus[name])}
            for name in calls})


# -- the local server ------------------------------------------------------------------------

def serve(spec: str) -> None:
    body = json.dumps({"data": workspace_samples(spec, 1)[0]}).encode()
    head = (b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: "
            + str(len(body)).encode() + b"\r\n\r\n")
    response = head + body

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                headers = await reader.readuntil(b"\r\n\r\n")
                length = 0
                for line in headers.split(b"\r\n"):
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":", 1)[1])
                if length:
                    await reader.readexactly(length)
                writer.write(response)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError, asyncio.CancelledError):
            pass
        finally:
            writer.close()

    async def main() -> None:
        server = await asyncio.start_server(handle, "127.0.0.1", 0)
        _print({"port": server.sockets[0].getsockname()[1]})
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, sys.stdin.read)  # until the bench closes our stdin
        server.close()

    asyncio.run(main())


def main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("floor")
    p.add_argument("file")
    p.add_argument("reps", type=int)
    p = sub.add_parser("import")
    p.add_argument("path")
    p.add_argument("module")
    p.add_argument("construct")
    for name in ("runtime", "request"):
        p = sub.add_parser(name)
        p.add_argument("--codegen", required=True)
        p.add_argument("--codegen-pkg", default="openrouter")
        p.add_argument("--opc", default="")
        p.add_argument("--opc-pkg", default="")
        p.add_argument("--pydantic-dir", default="")
        p.add_argument("--pydantic-module", default="")
        p.add_argument("--spec", default="")
        p.add_argument("--reps", type=int, default=5)
        p.add_argument("--port", type=int, default=0)
        p.add_argument("--n", type=int, default=100)
        p.add_argument("--rounds", type=int, default=40)
    p = sub.add_parser("serve")
    p.add_argument("spec")
    args = parser.parse_args()
    if args.cmd == "floor":
        floor(args.file, args.reps)
    elif args.cmd == "import":
        import_time(args.path, args.module, args.construct)
    elif args.cmd == "runtime":
        runtime(args)
    elif args.cmd == "request":
        request(args)
    else:
        serve(args.spec)


if __name__ == "__main__":
    main()
