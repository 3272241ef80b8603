"""Issue 7: a spec is hostile input.  Nothing in it runs, prints or writes; every name survives.

``tests/data/hostile/hostile.yaml`` puts quotes, triple quotes, backslashes, control characters,
line separators, bidi overrides, Jinja syntax and Python code into every piece of text a spec
has, and names that are keywords, builtins, dunders, soft keywords, the runtime's own arguments,
case-conversion collisions and non-ASCII into every name.  The package generated from it must
compile, pass ``mypy --strict``, import and run without executing any of it, send every JSON name
unchanged, and be written nowhere but its output folder.
"""

from __future__ import annotations

import ast
import dataclasses
import datetime as dt
import enum
import hashlib
import importlib
import json
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clients import import_generated
from generator.emit.docs import markdown as md
from generator.emit.literals import docstring, docstring_body, pyrepr, toml_str
from generator.emit.runtime import runtime_sources
from generator.load.loader import Spec
from generator.model import ir, naming
from generator.model.build import CLIENT_RESERVED, build_api
from support.messages import RecordedRequest, Response

REPO = Path(__file__).resolve().parent.parent
HOSTILE = REPO / "tests" / "data" / "hostile"
TEMPLATES = REPO / "templates"
SPEC = HOSTILE / "hostile.yaml"
PACKAGE = "evil_7_7_raw_x"  # from the title "../../evil ... {% raw %} {# x": a name, never a path
CANARY = "PWNED"


def tree(root: Path) -> dict[str, str]:
    """Every file and folder under ``root`` with the sha256 of its content."""
    out: dict[str, str] = {}
    for folder, dirs, files in os.walk(root):
        for d in dirs:
            out[os.path.relpath(os.path.join(folder, d), root) + "/"] = "dir"
        for f in files:
            p = os.path.join(folder, f)
            out[os.path.relpath(p, root)] = hashlib.sha256(Path(p).read_bytes()).hexdigest()
    return out


def isolated_env(root: Path) -> dict[str, str]:
    """An environment whose HOME, temporary folder and cache all live under ``root``."""
    for name in ("home", "tmp", "cache"):
        (root / name).mkdir(exist_ok=True)
    return {**os.environ, "PYTHONPATH": str(REPO), "HOME": str(root / "home"), "TMPDIR": str(root / "tmp"),
            "CODEGEN_CACHE_DIR": str(root / "cache"), "XDG_CACHE_HOME": str(root / "cache")}


@dataclasses.dataclass
class Generated:
    root: Path
    out: Path
    cwd: Path
    env: dict[str, str]
    before: dict[str, str]
    after: dict[str, str]
    stdout: str
    stderr: str


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Generated:
    root = tmp_path_factory.mktemp("hostile")
    cwd = root / "cwd"
    cwd.mkdir()
    out = root / "work" / "out"
    env = isolated_env(root)
    spec_before = tree(HOSTILE)
    before = tree(root)
    r = subprocess.run([sys.executable, "-m", "generator.cli", "generate", str(SPEC), "--out", str(out)],
                       cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert tree(HOSTILE) == spec_before
    return Generated(root, out, cwd, env, before, tree(root), r.stdout, r.stderr)


@pytest.fixture(scope="module")
def pkg(generated: Generated) -> Any:
    package = import_generated(generated.out, PACKAGE)
    importlib.import_module(f"{PACKAGE}.models")
    return package


@pytest.fixture(scope="module")
def api() -> ir.Api:
    built = build_api(Spec(SPEC), PACKAGE, SPEC.name)
    assert built.api is not None, built.diagnostics
    return built.api


# -- generation ---------------------------------------------------------------------------------


def test_generation_writes_only_into_the_output_folder(generated: Generated) -> None:
    changed = {p for p in set(generated.before) | set(generated.after)
               if generated.before.get(p) != generated.after.get(p)}
    outside = sorted(p for p in changed if not (p.startswith(("work/out/", "cache/")) or p == "work/"))
    assert outside == [], f"written outside the target folder: {outside}"
    assert not any(CANARY in p for p in generated.after), "the spec's code ran during generation"
    assert CANARY not in generated.stdout
    # the package name came from the title "../../evil ...": a name, never a path
    top = sorted(p.name for p in generated.out.iterdir())
    assert top == sorted([".codegen-manifest", "README.md", "codegen.lock", "codegen.pristine", "docs", "mkdocs.yml",
                          PACKAGE, "pyproject.toml"])
    for rel in tree(generated.out):
        assert rel.isascii() and ".." not in rel.split("/"), rel
    # tags "../../x" and "/etc/passwd" became ordinary module names
    assert (generated.out / PACKAGE / "resources" / "x.py").is_file()
    assert (generated.out / PACKAGE / "resources" / "etc_passwd.py").is_file()
    assert (generated.out / "docs" / "etc_passwd.md").is_file()


def test_every_python_file_compiles_and_holds_no_spec_statement(generated: Generated) -> None:
    for path in sorted(generated.out.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        compile(text, str(path), "exec")
        module = ast.parse(text)
        # the model runtime compiles from_dict/to_dict from attribute names (checked identifiers);
        # it is copied verbatim from codegen, never shaped by the spec
        runtime_codec = path.name == "_serde.py" and text == (TEMPLATES / "runtime" / "_serde.py").read_text("utf-8")
        for node in ast.walk(module):  # the payloads can only ever appear inside string constants
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                assert node.func.attr != "system", f"{path}: {ast.unparse(node)}"
            if isinstance(node, ast.Name) and not runtime_codec:
                assert node.id not in ("__import__", "eval", "exec"), f"{path}: {ast.unparse(node)}"
        for ch in text:  # no character that reads differently from what it is (Trojan Source)
            assert ch in "\n\t" or ch.isprintable(), f"{path}: unprintable {ch!r}"


def test_generated_text_files_are_clean(generated: Generated) -> None:
    for path in [generated.out / "README.md", *sorted((generated.out / "docs").glob("*.md"))]:
        text = path.read_text(encoding="utf-8")
        assert "<script>" not in text
        for ch in text:
            assert ch in "\n\t" or ch.isprintable(), f"{path}: unprintable {ch!r}"
    meta = tomllib.loads((generated.out / "pyproject.toml").read_text(encoding="utf-8"))
    assert meta["project"]["name"] == PACKAGE.replace("_", "-")
    assert meta["project"]["version"] == "0.0.0"  # '1.0"""\n__import__...' is not a version
    assert meta["project"]["description"].startswith("Python client for the ../../evil \"\"\" ''' \\ {{ 7*7 }}")


def test_mypy_strict(generated: Generated) -> None:
    r = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", os.devnull,
                        "-p", PACKAGE], cwd=generated.out, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stdout[-4000:]


def test_importing_and_using_the_package_runs_nothing_from_the_spec(generated: Generated) -> None:
    """Every module imported, every docstring read, a client built and every model decoded: in a
    fresh interpreter whose working folder would receive the canary file."""
    script = f"""
import importlib, pkgutil, sys
import {PACKAGE} as pkg
from {PACKAGE} import models
for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + "."):
    importlib.import_module(m.name)
for name in models.__all__:
    obj = getattr(models, name)
    (obj.__doc__ or "").splitlines()
    if hasattr(obj, "from_dict"):
        obj.from_dict({{}}).to_dict()
client = pkg.Client(api_key="k", base_url="http://127.0.0.1:9")
for group in ("class_", "etc_passwd", "group", "x"):
    resource = getattr(client, group)
    for attr in dir(resource):
        getattr(resource, attr)
client.close()
pkg.Client(api_key="k").close()  # the default server URL with its hostile variables
import pydoc
pydoc.render_doc(pkg.Client)
pydoc.render_doc(pkg)
"""
    run_dir = generated.root / "run"
    run_dir.mkdir(exist_ok=True)
    env = {**generated.env, "PYTHONPATH": str(generated.out), "PAGER": "cat"}
    r = subprocess.run([sys.executable, "-c", script], cwd=run_dir, env=env, capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout == "" and r.stderr == ""
    assert list(run_dir.iterdir()) == []
    assert not any(CANARY in p for p in tree(generated.root))


# -- the wire -----------------------------------------------------------------------------------


def _value(t: ir.TypeRef, api: ir.Api, pkg: Any, wire: str) -> Any:
    """A value of type ``t`` (a string value repeats the wire name, so a mix-up shows)."""
    if isinstance(t, ir.Nullable):
        return _value(t.inner, api, pkg, wire)
    if isinstance(t, ir.Prim):
        return {"str": f"v:{wire}", "int": 7, "float": 1.5, "bool": True, "any": wire,
                "datetime": dt.datetime(2025, 1, 2, 3, 4, 5, tzinfo=dt.UTC)}[t.kind]
    if isinstance(t, ir.LiteralOf):
        return t.values[0]
    if isinstance(t, ir.ListOf):
        return [_value(t.item, api, pkg, wire)]
    if isinstance(t, ir.Ref):
        cls = getattr(pkg.models, t.name)
        d = api.definitions[t.name]
        if isinstance(d, ir.EnumDef):
            return next(iter(cls))
        return cls()
    raise AssertionError(f"no value for {t}")


def _operation(api: ir.Api, path: str) -> tuple[ir.Group, ir.Operation]:
    return next((g, op) for g in api.groups for op in g.operations if op.path == path)


def _echo(r: RecordedRequest) -> Response:
    return Response.json(r.json() if r.body else {})


def test_every_parameter_and_field_name_reaches_the_wire(pkg: Any, api: ir.Api, test_server: Any) -> None:
    server = test_server(fallback=_echo)
    group, op = _operation(api, "/things/{class}")
    assert op.body is not None and op.body.fields is not None
    args, kwargs = [], {}
    for p in op.params:
        value = _value(p.type, api, pkg, p.wire)
        if p.location == "path":
            args.append('"""/../' + p.wire)
        else:
            kwargs[p.name] = value
    for f in op.body.fields:
        kwargs[f.name] = _value(f.type, api, pkg, f.wire)
    assert len(kwargs) == len(op.params) - 1 + len(op.body.fields)
    with pkg.Client(api_key="key", base_url=server.base_url) as client:
        result = getattr(getattr(client, group.name), op.name)(*args, **kwargs)
    request = server.last_request
    assert request.path == "/things/%22%22%22%2F..%2Fclass"
    for p in op.params:
        sent = kwargs.get(p.name)
        if p.location == "query":
            raw = sent.value if isinstance(sent, enum.Enum) else sent
            expected = str(raw) if not isinstance(raw, bool) else "true"
            assert request.query.get(p.wire) == [expected], (p.wire, request.query)
        elif p.location == "header":
            assert request.headers.get(p.wire) == sent, (p.wire, dict(request.headers))
        elif p.location == "cookie":
            assert f"{p.wire}={sent}" in request.headers.get("cookie", "")
    assert sorted(request.query) == sorted(p.wire for p in op.params if p.location == "query")
    body = request.json()
    assert sorted(body) == sorted(f.wire for f in op.body.fields)
    for f in op.body.fields:
        if isinstance(kwargs[f.name], str):
            assert body[f.wire] == kwargs[f.name]
    assert request.headers["x-key"] == "key"  # the security scheme's header name
    assert request.headers["content-type"] == "application/json"
    # the response decodes every hostile name back into its field, and re-encodes it unchanged
    assert result.to_dict() == body


def test_hostile_model_round_trips_every_wire_name(pkg: Any, api: ir.Api) -> None:
    model = next(d for d in api.definitions.values() if isinstance(d, ir.ModelDef) and d.name == "Hostile")
    data = {f.wire: f"v:{f.wire}" for f in model.fields if isinstance(f.type, (ir.Prim, ir.Nullable))
            and _value(f.type, api, pkg, f.wire) == f"v:{f.wire}"}
    data["class"] = "required"
    data["undeclared \"\"\" {{ x }}"] = {"__class__": "__init__"}
    decoded = pkg.models.Hostile.from_dict(data)
    assert decoded.class_ == "required"
    # JSON names that are identifiers are the attributes themselves
    assert decoded.userId == "v:userId" and decoded.user_id == "v:user_id" and decoded.UserID == "v:UserID"
    assert decoded.to_dict() == data
    kind = pkg.models.HostileKind
    assert kind('"""').value == '"""' and kind("x\0y").value == "x\0y" and kind("a\u2028b").value == "a\u2028b"
    assert kind("not in the spec").value == "not in the spec"  # open enum


def test_security_parameter_names_reach_the_wire(pkg: Any, api: ir.Api, test_server: Any) -> None:
    server = test_server(fallback=lambda r: Response.json({"data": [], "next": None}))
    with pkg.Client(import_os_api_key="q-key", base_url=server.base_url) as client:
        client.etc_passwd.import_os(limit=3)
    assert server.last_request.query == {"k'\"\"\"": ["q-key"], "limit": ["3"]}


def test_streaming_overloads_and_raw_bodies_with_hostile_names(pkg: Any, test_server: Any) -> None:
    server = test_server()
    server.route("POST", "/class/overload", lambda r: Response.sse([{"q": "one"}, {"q": "two"}])
                 if r.json().get("stream") else Response.json({"s": "plain"}))
    server.route("PUT", "/class/self", Response.make(204))
    server.route("DELETE", "/class/init", Response.text("bye \"\"\""))
    with pkg.Client(api_key="k", base_url=server.base_url) as client:
        plain = client.class_.overload_(overload="o", cached_property="c")
        assert plain.s == "plain"
        assert server.last_request.json() == {"overload": "o", "cached_property": "c"}
        events = [e.q for e in client.class_.overload_(stream=True)]
        assert events == ["one", "two"]
        client.class_.self_(body="text \"\"\"")
        assert server.last_request.body == b'text """'
        assert server.last_request.headers["content-type"] == 'text/plain; x="{{ 7*7 }}""""'
        assert client.class_.init() == 'bye """'


def test_operations_whose_endpoint_constants_would_collide_call_their_own_endpoint(pkg: Any, test_server: Any) -> None:
    """``chat`` streams through one endpoint constant, ``chat_stream`` has its own: each call must
    still reach its own method and path (a shared module-level name silently sent one to the other)."""
    server = test_server()
    server.route("PUT", "/class/chat",
                 lambda r: Response.sse(['data: "x"\n\n', 'data: "y"\n\n']) if r.json().get("stream")
                 else Response.json("put"))
    server.route("POST", "/class/chat", Response.json("post"))
    server.route("GET", "/class/status", Response.json("fine"))
    with pkg.Client(api_key="k", base_url=server.base_url) as client:
        assert client.class_.chat() == "put"
        assert list(client.class_.chat(stream=True)) == ["x", "y"]
        assert client.class_.chat_stream() == "post"
        assert client.class_.status() == "fine"  # status keys "²" and "٤٠٤" are names, not numbers
    assert [(r.method, r.path) for r in server.requests] == [("PUT", "/class/chat")] * 2 + [
        ("POST", "/class/chat"), ("GET", "/class/status")]


def test_multipart_field_names(pkg: Any, api: ir.Api, test_server: Any) -> None:
    server = test_server(fallback=lambda r: Response.json({"a": "x"}))
    group, op = _operation(api, "/class/upload")
    assert op.body is not None and op.body.fields is not None
    name = {f.wire: f.name for f in op.body.fields}
    with pkg.Client(api_key="k", base_url=server.base_url) as client:
        call = getattr(getattr(client, group.name), op.name)
        result = call(**{name['file"""']: b"data", name["class"]: "c", name["\U0001f642"]: "smile"})
    assert result.a == "x"
    request = server.last_request
    boundary = request.headers["content-type"].split("boundary=")[1].encode()
    parts = {}
    for chunk in request.body.split(b"--" + boundary)[1:-1]:
        head, _, data = chunk.strip(b"\r\n").partition(b"\r\n\r\n")
        disposition = next(ln for ln in head.split(b"\r\n") if ln.lower().startswith(b"content-disposition"))
        parts[disposition.split(b'name="', 1)[1].split(b'"', 1)[0].decode("utf-8")] = data
    # a quote in a part name travels as %22 (HTML's multipart/form-data encoding)
    assert parts == {"class": b"c", "\U0001f642": b"smile", "file%22%22%22": b"data"}


# -- the names themselves -------------------------------------------------------------------------


def test_runtime_names_are_reserved(pkg: Any, generated: Generated) -> None:
    """What the runtime defines (client attributes, page methods) and what generated modules
    import beside the models can never be taken by a name from a spec."""
    base = importlib.import_module(f"{PACKAGE}._base_client")
    pagination = importlib.import_module(f"{PACKAGE}._pagination")
    for cls in (base.SyncAPIClient, base.AsyncAPIClient):
        public = {n for k in cls.__mro__ if k is not object for n in vars(k) if not n.startswith("_")}
        assert public <= CLIENT_RESERVED, public - CLIENT_RESERVED
    for cls in (pagination.SyncPage, pagination.AsyncPage):
        public = {n for k in cls.__mro__ if k is not object for n in vars(k) if not n.startswith("_")}
        assert public <= naming.RESERVED_FIELD_NAMES, public - naming.RESERVED_FIELD_NAMES
    runtime = {name.removesuffix(".py") for name in runtime_sources()}  # the derived sync modules too
    imported: set[str] = set()
    generated_modules = [p for p in (generated.out / PACKAGE).rglob("*.py") if p.stem not in runtime]
    for path in generated_modules:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").lstrip(".") in runtime:
                imported |= {a.asname or a.name for a in node.names if a.name[:1].isupper()}
    imported -= {n for n in imported if n.endswith("Error")}  # errors.py: the models never meet them
    assert imported <= naming.RESERVED_CLASS_NAMES, imported - naming.RESERVED_CLASS_NAMES


def test_colliding_names_get_distinct_identifiers(api: ir.Api) -> None:
    _, op = _operation(api, "/things/{class}")
    names = [p.name for p in op.params] + [f.name for f in op.body.fields or ()]  # type: ignore[union-attr]
    assert len(names) == len(set(names))
    for name in names:
        assert name.isidentifier() and name.isascii() and not name.startswith("_"), name
        assert name not in naming.RESERVED_PARAM_NAMES
    by_wire = {p.wire: p.name for p in op.params}
    assert len({by_wire["userId"], by_wire["user_id"], by_wire["UserID"]}) == 3
    assert by_wire["timeout"] != "timeout" and by_wire["extra_headers"] != "extra_headers"
    class_ops = next(g for g in api.groups if g.tag == "class").operations
    assert {"overload", "cached_property", "with_raw_response", "self"}.isdisjoint(o.name for o in class_ops)


def test_a_lone_surrogate_in_a_json_spec_is_a_parse_error(tmp_path: Path) -> None:
    """JSON allows "\\ud800" (half a character; YAML refuses it): it is refused as YAML is, on one
    line naming the file and line, before anything is written."""
    spec = tmp_path / "openapi.json"
    spec.write_text('{"openapi": "3.1.0", "info": {"title": "ok \\ud83d\\ude42 \\\\ud800", "version": "1"},\n'
                    '"paths": {}, "x": "bad \\udfff"}', encoding="ascii")
    out = tmp_path / "out"
    r = subprocess.run([sys.executable, "-m", "generator.cli", "generate", str(spec), "--out", str(out)],
                       cwd=tmp_path, env=isolated_env(tmp_path), capture_output=True, text=True, timeout=120)
    assert r.returncode == 1
    assert "openapi.json:2: error[parse]: cannot parse JSON: a \\u escape names half of a surrogate pair" in r.stderr
    assert "Traceback" not in r.stderr and not out.exists()


# -- the doors ----------------------------------------------------------------------------------

PIECES = ['"""', "'''", "\\", '"', "'", "\r", "\r\n", "\0", "\x1b", "\x85", "\u2028", "\u202e", "\ud800", "\ufeff",
          "{{", "}}", "{%", "{#", "\n", "`", "```", "|", "<", "-->", " ", "\t", "\U0001f642", "名"]
TEXT = st.lists(st.sampled_from(PIECES) | st.text(max_size=3), max_size=14).map("".join)
JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT,
                    lambda c: st.lists(c, max_size=4) | st.dictionaries(TEXT, c, max_size=4), max_leaves=12)


@settings(derandomize=True, database=None, max_examples=400, deadline=None)
@given(TEXT, st.integers(0, 8))
def test_docstring_is_one_string_statement(text: str, indent: int) -> None:
    d = docstring(text, indent)
    if not d:
        return
    module = ast.parse("def f():\n" + " " * indent + d + "\n" if indent else d)
    body = module.body[0].body if indent else module.body  # type: ignore[attr-defined]
    assert len(body) == 1 and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant)
    assert isinstance(body[0].value.value, str)
    # inline: the body between other text in one docstring
    inline = ast.parse('"""x ' + docstring_body(" ".join(text.split())) + ' y"""')
    assert len(inline.body) == 1


@settings(derandomize=True, database=None, max_examples=200, deadline=None)
@given(JSON)
def test_pyrepr_is_a_literal_of_the_same_value(value: Any) -> None:
    code = pyrepr(value)
    tree = ast.parse(code, mode="eval")
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call)]
    assert all(ast.unparse(c) in ("float('inf')", "float('-inf')") for c in calls), code  # YAML's .inf
    assert eval(code, {"__builtins__": {"float": float}}) == value  # noqa: S307 - checked above: only float() calls


@settings(derandomize=True, database=None, max_examples=300, deadline=None)
@given(TEXT)
def test_markdown_and_toml_doors(text: str) -> None:
    assert "\n" not in md.text_cell(text) and "\n" not in md.code(text)
    span = md.code(text)
    if span.startswith("<code>"):  # text holding "|" (a table cell separator) is written as entities
        assert span.endswith("</code>") and "<" not in span[6:-7] and "|" not in span
    else:
        ticks = len(span) - len(span.lstrip("`"))
        assert "`" * ticks not in span[ticks:-ticks]
    assert tomllib.loads(f"x = {toml_str(text)}")["x"].replace("\ufffd", "") == "".join(
        c for c in text if not 0xD800 <= ord(c) <= 0xDFFF).replace("\ufffd", "")


# -- references and documents that cost more than their size -------------------------------------

HEAD = "openapi: 3.1.0\ninfo: {title: Refs, version: '1'}\n"
MEMORY_LIMIT = 1536 * 2**20  # address space of the codegen process: a bomb would need far more


def codegen_limited(args: list[str], cwd: Path, seconds: float = 60) -> subprocess.CompletedProcess[str]:
    """``python -m generator.cli ARGS`` with its address space capped at ``MEMORY_LIMIT`` and a
    time limit: a run that needed more would fail with a traceback or time out."""
    import resource

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))

    return subprocess.run([sys.executable, "-m", "generator.cli", *args], cwd=cwd, env=isolated_env(cwd),
                          capture_output=True, text=True, timeout=seconds, preexec_fn=limit)


def response(ref: str) -> str:
    return ("    get:\n      responses:\n        '200':\n          description: ok\n          content:\n"
            f"            application/json:\n              schema: {{$ref: {json.dumps(ref)}}}\n")


def error_lines(stderr: str) -> list[str]:
    assert "Traceback" not in stderr, stderr
    return [line for line in stderr.splitlines() if "error[" in line]


def test_refs_outside_the_folder_and_remote_refs_are_refused_and_never_read(tmp_path: Path, test_server: Any) -> None:
    remote = test_server(fallback=lambda r: Response.text("X: {type: string}\n", content_type="application/yaml"))
    spec_dir = tmp_path / "spec"
    (spec_dir / "schemas").mkdir(parents=True)
    (tmp_path / "outside.yaml").write_text("Secret: {type: string}\n")
    (spec_dir / "schemas" / "ok.yaml").write_text("Ok: {type: string}\nBad: {$ref: '../../outside.yaml#/Secret'}\n")
    (spec_dir / "link.yaml").symlink_to(tmp_path / "outside.yaml")  # a link inside pointing outside
    refs = {
        "/ok": "schemas/ok.yaml#/Ok",
        "/parent": "../outside.yaml#/Secret",
        "/absolute": "/etc/passwd#/x",
        "/file-url": "file:///etc/passwd#/x",
        "/link": "link.yaml#/Secret",
        "/remote": f"{remote.url}/x.yaml#/X",
        "/network-path": f"//127.0.0.1:{remote.port}/x.yaml#/X",
    }
    text = HEAD + "paths:\n" + "".join(f"  {path}:\n" + response(ref) for path, ref in refs.items())
    # an unused component still counts: the validator would follow it
    text += f"components:\n  schemas:\n    Unused: {{$ref: {json.dumps(remote.url + '/unused.yaml')}}}\n"
    (spec_dir / "openapi.yaml").write_text(text)
    for command in (["validate", "spec/openapi.yaml"], ["generate", "spec/openapi.yaml", "--out", "out"]):
        r = codegen_limited(command, tmp_path)
        assert r.returncode == 1, r.stderr
        errors = error_lines(r.stderr)
        by_pointer = {line.rsplit("(at #", 1)[1].rstrip(")"): line for line in errors}
        for path, ref in refs.items():
            pointer = f"/paths/~1{path[1:]}/get/responses/200/content/application~1json/schema"
            if path == "/ok":
                assert pointer not in by_pointer
                continue
            line = by_pointer[pointer]
            code = "remote-ref" if path == "/remote" else "ref-outside"
            assert "spec/openapi.yaml:" in line and f"error[{code}]" in line and repr(ref) in line, line
            assert re.match(r"spec/openapi\.yaml:\d+: ", line), line
        assert any("schemas/ok.yaml:2: error[ref-outside]" in line for line in errors)  # in a referenced file
        assert any("/components/schemas/Unused" in line and "error[remote-ref]" in line for line in errors)
    assert remote.requests == []  # never fetched, by the loader or the validator
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("case", ["missing-file", "bad-pointer", "schema-cycle", "path-cycle", "parameter-cycle",
                                  "unparsable-file", "anchor"])
def test_broken_refs_are_one_line_errors(case: str, tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("X: [unclosed\n")
    body = {
        "missing-file": ("paths:\n  /a:\n" + response("nope.yaml#/X"), "nope.yaml: file not found", 11),
        "bad-pointer": ("paths:\n  /a:\n" + response("#/components/schemas/Nope"),
                        "nothing at #/components/schemas/Nope", 11),
        "schema-cycle": ("paths:\n  /a:\n" + response("#/components/schemas/A") + "components:\n  schemas:\n"
                         "    A: {$ref: '#/components/schemas/B'}\n    B: {$ref: '#/components/schemas/A'}\n",
                         "$ref cycle through", 11),
        "path-cycle": ("paths:\n  /a: {$ref: '#/paths/~1b'}\n  /b: {$ref: '#/paths/~1a'}\n", "$ref cycle through", 4),
        "parameter-cycle": (("paths:\n  /a:\n    get:\n      parameters: [{$ref: '#/components/parameters/P'}]\n"
                            "      responses: {'200': {description: ok}}\ncomponents:\n  parameters:\n"
                            "    P: {$ref: '#/components/parameters/Q'}\n    Q: {$ref: '#/components/parameters/P'}\n"),
                            "$ref cycle through", 11),
        "unparsable-file": ("paths:\n  /a:\n" + response("bad.yaml#/X"), "bad.yaml:2:1: cannot parse", 11),
        "anchor": ("paths:\n  /a:\n" + response("#no-such-anchor"), "only JSON-pointer fragments and $anchor", 11),
    }[case]
    text, message, line = body
    (tmp_path / "openapi.yaml").write_text(HEAD + text)
    r = codegen_limited(["generate", "openapi.yaml", "--out", "out"], tmp_path)
    assert r.returncode == 1, r.stderr
    errors = error_lines(r.stderr)
    assert errors and all(re.match(r"\S+:\d+: error\[[a-z-]+\]: .* \(at #\S*\)$", e) for e in errors), errors
    assert any(message in e and e.startswith(f"openapi.yaml:{line}:") for e in errors), errors
    assert not (tmp_path / "out").exists()


def test_id_and_anchor_refs_resolve_inside_the_file(tmp_path: Path) -> None:
    (tmp_path / "openapi.yaml").write_text(HEAD + "paths:\n  /a:\n" + response("/schemas/pet") + """components:
  schemas:
    Pet:
      $id: /schemas/pet
      type: object
      properties:
        tag: {$ref: tag}
        id: {$ref: '/schemas/pet#pet-id'}
        owner: {$ref: '/schemas/owner#/properties/name'}
        size: {$anchor: pet-id, type: integer}
    Tag: {$id: /schemas/tag, type: object, properties: {name: {type: string}}}
    Owner: {$id: /schemas/owner, type: object, properties: {name: {type: string}}}
""")
    built = build_api(Spec(tmp_path / "openapi.yaml"), "ids", "openapi.yaml")
    assert [d for d in built.diagnostics if d.severity >= 2] == []
    assert built.api is not None
    pet = built.api.definitions["Pet"]
    assert isinstance(pet, ir.ModelDef)
    assert {f.wire: f.type for f in pet.fields} == {"tag": ir.Ref("Tag"), "id": ir.Prim("int"),
                                                      "owner": ir.Prim("str"), "size": ir.Prim("int")}


def _laughs() -> str:
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 10):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [" + ", ".join([f"*{prev}"] * 9) + "]")
    return "x:\n" + "".join(f"  {line}\n" for line in lines)


HOSTILE_DOCUMENTS: dict[str, tuple[str, str, str]] = {
    # name: (file name, text after the head, expected error)
    "billion-laughs": ("openapi.yaml", _laughs(), "error[yaml-aliases]: YAML aliases expand to more than"),
    "string-bomb": ("openapi.yaml", "big: &s " + "x" * 400_000 + "\nmany: [" + ", ".join(["*s"] * 40) + "]\n",
                    "error[yaml-aliases]"),
    "recursive-alias": ("openapi.yaml", "x: &r\n  - 1\n  - *r\n", "refers to a node that contains it"),
    "flow-10000": ("openapi.yaml", "x: " + "[" * 10_000 + "]" * 10_000 + "\n", "error[nesting]"),
    "flow-100000": ("openapi.yaml", "x: " + "[" * 100_000 + "]" * 100_000 + "\n", "error[nesting]"),
    "mappings-10000": ("openapi.yaml", "x: " + "{a: " * 10_000 + "1" + "}" * 10_000 + "\n", "error[nesting]"),
    "block-10000": ("openapi.yaml", "x:\n" + "- " * 10_000 + "1\n", "error[nesting]"),
    "indented-3000": ("openapi.yaml", "x:\n" + "".join(" " * i + "a:\n" for i in range(1, 3000)) + " " * 3000 + "1\n",
                      "error[nesting]"),
    "json-10000": ("openapi.json", None, "error[nesting]"),  # type: ignore[dict-item]
}


@pytest.mark.parametrize("name", sorted(HOSTILE_DOCUMENTS))
def test_documents_that_would_cost_more_than_their_size_are_refused(name: str, tmp_path: Path) -> None:
    file, text, expected = HOSTILE_DOCUMENTS[name]
    if text is None:
        content = '{"openapi": "3.1.0", "info": {"title": "x", "version": "1"}, "paths": {},\n"x": ' + \
            "[" * 10_000 + "]" * 10_000 + "}"
    else:
        content = HEAD + "paths: {}\n" + text
    (tmp_path / file).write_text(content)
    r = codegen_limited(["generate", file, "--out", "out"], tmp_path, seconds=30)
    assert r.returncode == 1, r.stderr[-2000:]
    errors = error_lines(r.stderr)
    assert len(errors) == 1 and expected in errors[0], errors
    assert re.match(rf"{re.escape(file)}:\d+:\d+: ", errors[0]), errors  # file, line and column
    assert not (tmp_path / "out").exists()


def test_a_bomb_in_a_referenced_file_is_refused_even_unused(tmp_path: Path) -> None:
    (tmp_path / "bomb.yaml").write_text(_laughs())
    (tmp_path / "openapi.yaml").write_text(HEAD + "paths: {}\ncomponents:\n  schemas:\n"
                                           "    Unused: {$ref: 'bomb.yaml#/x/j'}\n")
    r = codegen_limited(["validate", "openapi.yaml"], tmp_path, seconds=30)
    assert r.returncode == 1
    assert [e.split(": error")[0].split(":")[0] for e in error_lines(r.stderr)] == ["bomb.yaml"]


def test_huge_files_devices_and_pipes_are_refused_unread(tmp_path: Path) -> None:
    huge = tmp_path / "huge.yaml"
    with open(huge, "wb") as fh:
        fh.truncate(65 * 2**20)  # sparse: costs nothing on disk, 65 MiB to whoever reads it
    (tmp_path / "zero.yaml").symlink_to("/dev/zero")
    os.mkfifo(tmp_path / "fifo.yaml")
    expected = {"huge.yaml": "error[too-large]: file is 65 MiB; spec files larger than 64 MiB are refused",
                "zero.yaml": "error[not-a-file]", "fifo.yaml": "error[not-a-file]"}
    for file, message in expected.items():
        r = codegen_limited(["validate", file], tmp_path, seconds=20)
        assert r.returncode == 1
        assert list(error_lines(r.stderr)) == [e for e in error_lines(r.stderr) if message in e] != []
    # referenced: the same refusal, wherever the reference is
    (tmp_path / "openapi.yaml").write_text(HEAD + "paths:\n  /a:\n" + response("huge.yaml#/X"))
    r = codegen_limited(["generate", "openapi.yaml", "--out", "out"], tmp_path, seconds=20)
    assert r.returncode == 1 and any("error[too-large]" in e for e in error_lines(r.stderr))


@pytest.mark.parametrize(("title", "package"), [("JSON API", "json_client"), ("OS", "os_client"),
                                               ("httpx", "httpx_client"),
                                           ("Typing", "typing_client"), ("class", "class_"), ("../../evil", "evil"),
                                           ("名前", "client"), ("42 API", "client_42")])
def test_a_package_named_from_the_title_shadows_nothing(title: str, package: str) -> None:
    assert naming.package_name(title) == package
    assert package.isidentifier() and package not in sys.stdlib_module_names


def test_a_json_titled_api_gets_a_package_that_does_not_hide_the_json_module(tmp_path: Path) -> None:
    (tmp_path / "openapi.yaml").write_text(
        "openapi: 3.1.0\ninfo: {title: JSON, version: '1'}\nservers: [{url: 'http://x'}]\n"
        "paths:\n  /a:\n" + response("#/components/schemas/A") +
        "components:\n  schemas:\n    A: {type: object, properties: {a: {type: string}}}\n")
    r = codegen_limited(["generate", "openapi.yaml", "--out", "out"], tmp_path)
    assert r.returncode == 0, r.stderr
    check = subprocess.run([sys.executable, "-c", ("import json, json_client; from json_client.models import A; "
                            "assert json.__file__ != json_client.__file__; print(A.from_dict({'a': 'x'}).a)")],
                           cwd=tmp_path / "out", capture_output=True, text=True, timeout=60)
    assert check.returncode == 0 and check.stdout == "x\n", check.stderr
