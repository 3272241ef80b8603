"""openapi-spec-validator (all errors, 3.0 and 3.1) plus our own checks -> diagnostics.

Spec-schema violations are WARNINGs: many real specs break the letter of OpenAPI and are used
every day (``exclusiveMinimum: true`` in 3.1, repeated ``required`` entries).  ``--strict`` makes
them fatal.  What stops generation (not OpenAPI 3.x or Swagger 2.0, unreadable structure) is an
ERROR.  A Swagger 2.0 document is validated as such, before it is converted (``generator.load.swagger2``).

openapi-spec-validator runs with the faster, equivalent parts of ``generator.validate.fastvalidate``
(``_validate(spec, stock=True)`` without them), in a child process that works while the caller
builds, renders and formats (:func:`start_validation`).
"""

from __future__ import annotations

import functools
import gc
import hashlib
import importlib.metadata
import json
import marshal
import os
import select
import signal
import threading
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

from generator.cache import Cache, digest, open_cache
from generator.diagnostics import Diagnostic, DiagnosticError, error, join_pointer, warning
from generator.load.loader import Location, Spec, parse_text

MAX_SPEC_ERRORS = 200  # past this many schema violations, one summary line says how many more


def check_version(spec: Spec) -> list[Diagnostic]:
    doc = spec.document
    file = spec.display(spec.root)
    if not isinstance(doc, dict):
        return [error("not-openapi", f"expected an OpenAPI document (a mapping), found {type(doc).__name__}", file)]
    if "swagger" in doc:
        if "openapi" in doc:
            return [error("not-openapi", "the document has both 'swagger' and 'openapi' version fields: is it "
                          "Swagger 2.0 or OpenAPI 3?", file, "/swagger", spec.line_of(Location(spec.root, "/swagger")))]
        if str(doc["swagger"]) != "2.0":
            return [error("swagger-version", f"Swagger {doc['swagger']} is not supported (Swagger 2.0 and OpenAPI "
                          "3.0 and 3.1 are)", file, "/swagger", spec.line_of(Location(spec.root, "/swagger")))]
        if not isinstance(doc.get("paths", {}), dict):
            return [error("not-openapi", "'paths' must be a mapping", file, "/paths")]
        return []
    version = doc.get("openapi")
    if not isinstance(version, str):
        return [error("not-openapi", "missing 'openapi' version field: not an OpenAPI 3 document", file)]
    if not version.startswith(("3.0", "3.1")):
        return [error("openapi-version", f"OpenAPI {version} is not supported (3.0.x and 3.1.x are)", file,
                      "/openapi", spec.line_of(Location(spec.root, "/openapi")))]
    if not isinstance(doc.get("paths", {}), dict):
        return [error("not-openapi", "'paths' must be a mapping", file, "/paths")]
    return []


def validate_spec(spec: Spec) -> list[Diagnostic]:
    """Everything openapi-spec-validator finds, as warnings with file, pointer and line."""
    return start_validation(spec).result()


def start_validation(spec: Spec) -> PendingValidation:
    """:func:`validate_spec`, started: in a forked child where that is possible, so that the
    caller can go on (build, render, format) and take the diagnostics from ``result()`` later.

    The findings are cached by content (``generator.cache``): the key covers every spec file
    reachable through ``$ref`` (its bytes and its document as loaded, so in-memory overlays
    count), the validator's and codegen's versions.  New content is always validated.
    """
    diagnostics = check_version(spec)
    if diagnostics:
        return PendingValidation(spec, diagnostics=diagnostics)
    key = _cache_key(spec)  # also when the cache is off: it loads the same files either way
    cache = open_cache("validate") if key is not None else None
    findings = _cached(cache, key) if cache is not None and key is not None else None
    if findings is not None:
        return PendingValidation(spec, findings=findings)
    return PendingValidation(spec, job=_validate_isolated(spec), cache=cache, key=key)


class _Finding(NamedTuple):
    message: str
    file: str  # absolute path: shown relative to the working folder when turned into a Diagnostic
    pointer: str = ""
    line: int | None = None


class PendingValidation:
    """A spec validation, finished or under way: ``result()`` waits for it, ``cancel()`` stops it."""

    def __init__(self, spec: Spec, *, diagnostics: list[Diagnostic] | None = None,
                 findings: list[_Finding] | None = None, job: _Job | None = None,
                 cache: Cache | None = None, key: str | None = None) -> None:
        self._spec = spec
        self._diagnostics = diagnostics
        self._findings = findings
        self._job = job
        self._cache = cache
        self._key = key

    def running(self) -> bool:
        """Whether a child process is still validating (using a core, and memory of its own)."""
        return self._job is not None and self._job.running()

    def result(self) -> list[Diagnostic]:
        if self._diagnostics is None:
            findings = self._findings
            if findings is None:
                if self._job is None:
                    raise AssertionError("neither findings nor a job")
                findings, finished = self._job.wait()
                if self._cache is not None and self._key is not None and finished:  # a crash may not recur
                    data = json.dumps([f._asdict() for f in findings], ensure_ascii=False)
                    self._cache.put(self._key, data.encode("utf-8"))
                    self._cache.prune()
            spec = self._spec
            self._diagnostics = [warning("spec", f.message, spec.display(Path(f.file)), f.pointer, f.line)
                                 for f in findings]
        return self._diagnostics

    def cancel(self) -> None:
        """Stop a validation nobody will wait for (its child is killed and reaped)."""
        if self._job is not None:
            self._job.kill()


def _validate_isolated(spec: Spec) -> _Job:
    """``_validate`` started in a forked child where that is safe (no other threads); else done
    here and now.

    The validator leaves ~25 MB of caches and fragmented heap behind on a big spec; in a child
    they go away with it, so the build and black run in a smaller process, at the same time.
    In the child, the objects inherited from us (the spec) are frozen out of the collector's
    way.  If the child cannot be made or dies, the work is done here when the result is asked for.
    """
    return _Job(spec)


class _Job:
    """``_validate(spec)`` in a forked child that sends its findings through a pipe."""

    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self.pid: int | None = None
        self.fd: int | None = None
        self.done: tuple[list[_Finding], bool] | None = None
        if not hasattr(os, "fork") or threading.active_count() > 1:
            self.done = _validate(spec)
            return
        parent = os.getpid()
        read_fd, write_fd = os.pipe()
        try:
            pid = os.fork()
        except OSError:
            os.close(read_fd)
            os.close(write_fd)
            self.done = _validate(spec)
            return
        if pid == 0:  # the child: validate, send the findings, leave without any clean-up of ours
            code = 1
            try:
                os.close(read_fd)
                _die_with(parent)
                gc.freeze()
                findings, finished = _validate(spec)
                data = json.dumps({"findings": findings, "finished": finished}).encode("utf-8")
                with os.fdopen(write_fd, "wb") as fh:
                    fh.write(data)
                code = 0
            finally:
                os._exit(code)
        # The parent keeps only the reading end: processes forked later (black's workers) inherit
        # it, which is harmless, but never the writing end, so the end of the data is seen.
        os.close(write_fd)
        self.pid, self.fd = pid, read_fd

    def running(self) -> bool:
        """Whether the child is still validating (its findings not yet on their way)."""
        if self.done is not None or self.fd is None:
            return False
        ready, _, _ = select.select([self.fd], [], [], 0)
        return not ready

    def wait(self) -> tuple[list[_Finding], bool]:
        if self.done is None:
            if self.pid is None or self.fd is None:
                raise AssertionError("a job that was never started")
            status = 1
            try:
                with os.fdopen(self.fd, "rb") as fh:
                    data = fh.read()
            finally:
                self.fd = None
                _, status = os.waitpid(self.pid, 0)
                self.pid = None
            self.done = _decoded(data) if status == 0 else None
            if self.done is None:
                self.done = _validate(self.spec)
        return self.done

    def kill(self) -> None:
        if self.pid is None:
            return
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None
        os.waitpid(self.pid, 0)
        self.pid = None


def _decoded(data: bytes) -> tuple[list[_Finding], bool] | None:
    try:
        sent = json.loads(data)
        return [_Finding(*f) for f in sent["findings"]], bool(sent["finished"])
    except (ValueError, TypeError, KeyError):
        return None


def _die_with(parent: int) -> None:
    """In a forked child: be killed when ``parent`` ends (Linux), so that nothing outlives the run."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent ended before the line above
        os._exit(1)


def _validate(spec: Spec, stock: bool = False) -> tuple[list[_Finding], bool]:
    """The findings, and whether the validator ran to its end.  ``stock``: with
    openapi-spec-validator's own code only (slower; the same findings)."""
    validator = _validator_for(spec, stock)
    root = str(spec.root)
    seen: set[tuple[str, str]] = set()
    found: list[_Finding] = []
    extra = 0
    finished = True
    try:
        for err in validator.iter_errors():
            pointer = _pointer_of(err)
            message = _message_of(err)
            if (pointer, message) in seen:
                continue
            seen.add((pointer, message))
            if len(found) >= MAX_SPEC_ERRORS:
                extra += 1
                continue
            loc = spec.original(_locate(spec, pointer))  # a converted (Swagger 2.0) document: its own places
            found.append(_Finding(message, str(loc.file), loc.pointer, spec.line_of(loc)))
    except RecursionError:
        found.append(_Finding("validation stopped: the document nests too deeply", root))
        finished = False
    except Exception as exc:  # the validator itself failing must not hide our own diagnostics
        found.append(_Finding(f"openapi-spec-validator could not finish: {type(exc).__name__}: {exc}", root))
        finished = False
    if extra:
        found.append(_Finding(f"{extra} more spec violation(s) not shown", root))
    return found, finished


# -- the cache --------------------------------------------------------------------------------

_VALIDATOR_PACKAGES = ("openapi-spec-validator", "openapi-schema-validator", "jsonschema", "jsonschema-path",
                       "jsonschema-specifications", "referencing", "pyyaml")
_OWN_MODULES = (  # what shapes the findings on our side, relative to the generator package
    "validate/validator.py",
    "validate/fastvalidate.py",
    "validate/schemacheck.py",
    "load/loader.py",
    "load/yamlevents.py",
    "diagnostics.py",
)


@functools.lru_cache(maxsize=1)
def _salt() -> str:
    parts = [f"max-errors {MAX_SPEC_ERRORS}"]
    for name in _VALIDATOR_PACKAGES:
        try:
            parts.append(f"{name} {importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            parts.append(f"{name} -")
    here = Path(__file__).resolve().parents[1]
    for module in _OWN_MODULES:
        parts.append(f"{module} {hashlib.sha256((here / module).read_bytes()).hexdigest()}")
    return "\n".join(parts)


def _cache_key(spec: Spec) -> str | None:
    """sha256 over everything the findings depend on; None when that cannot be known (a remote
    ``$ref``, an unreadable file): then the spec is validated every time."""
    parts: list[str | bytes] = [_salt(), str(spec.root)]
    seen: set[Path] = set()
    todo = [spec.root]
    try:
        while todo:
            path = todo.pop()
            if path in seen:
                continue
            seen.add(path)
            inside = path == spec.root or _is_within(path, spec.base_dir)
            try:
                raw = path.read_bytes()
            except OSError:
                parts += [str(path), "<unreadable>"]
                continue
            try:
                # inside the spec's folder: the Spec's own (possibly overlaid) document, loaded once
                # for the build too; outside: parsed here and not kept (the build refuses it)
                doc = spec.load(path) if inside else parse_text(raw.decode("utf-8-sig"), str(path))
            except (DiagnosticError, UnicodeDecodeError):
                parts += [str(path), raw, "<unparsable>"]
                continue
            # the document as loaded (marshal's version 2: content only, no object sharing; 5x
            # faster than JSON): what the validator sees, in-memory overlays included
            parts += [str(path), raw, marshal.dumps(doc, 2)]
            for ref in _external_refs(doc):
                target = _ref_file(ref, path)
                if target is None:
                    return None
                todo.append(target)
    except (RecursionError, ValueError):
        return None
    return digest(*parts)


def _external_refs(doc: Any) -> set[str]:
    """The ``$ref`` strings of a document that name another file."""
    refs: set[str] = set()
    stack = [doc]
    while stack:
        node = stack.pop()
        if type(node) is dict:
            ref = node.get("$ref")
            if type(ref) is str and not ref.startswith("#"):
                refs.add(ref)
            stack.extend(v for v in node.values() if type(v) is dict or type(v) is list)
        elif type(node) is list:
            stack.extend(v for v in node if type(v) is dict or type(v) is list)
    return refs


def _ref_file(ref: str, at: Path) -> Path | None:
    """The file a ``$ref`` written in ``at`` names (None: not a local file)."""
    file_part = ref.partition("#")[0]
    parsed = urllib.parse.urlparse(file_part)
    if parsed.scheme and len(parsed.scheme) > 1:  # a one-letter scheme is a Windows drive
        return Path(urllib.parse.unquote(parsed.path)) if parsed.scheme == "file" else None
    return Path(os.path.normpath(at.parent / urllib.parse.unquote(file_part)))


def _is_within(path: Path, folder: Path) -> bool:
    return path.is_relative_to(folder)


def _cached(cache: Cache, key: str) -> list[_Finding] | None:
    data = cache.get(key)
    if data is None:
        return None
    try:
        return [_Finding(str(f["message"]), str(f["file"]), str(f["pointer"]),
                         None if f["line"] is None else int(f["line"]))
                for f in json.loads(data.decode("utf-8"))]
    except (ValueError, TypeError, KeyError):
        return None  # not what we wrote: validate


@functools.cache
def _annotating(cls: type) -> type:
    """A keyword validator that records where in the document each error was found."""

    def __call__(self: Any, node: Any, *args: Any, **kwargs: Any) -> Iterator[Any]:
        parts = tuple(getattr(node, "parts", ()) or ())
        for err in cls.__call__(self, node, *args, **kwargs):
            if getattr(err, "_codegen_parts", None) is None:
                err._codegen_parts = parts
            yield err

    return type(cls.__name__, (cls,), {"__call__": __call__})


def _validator_for(spec: Spec, stock: bool = False) -> Any:
    """openapi-spec-validator's validator for the spec's version, errors annotated with where
    they were found.  Unless ``stock``, with the faster equivalents of ``generator.validate.fastvalidate``
    (same findings, in the same order)."""
    from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator

    v31 = str(spec.document.get("openapi")).startswith("3.1")
    base: Any = OpenAPIV31SpecValidator if v31 else OpenAPIV30SpecValidator
    if "swagger" in spec.document:
        from openapi_spec_validator import OpenAPIV2SpecValidator

        base = OpenAPIV2SpecValidator
    attributes: dict[str, Any] = {}
    keyword_validators = dict(base.keyword_validators)
    if not stock:
        from generator.validate import fastvalidate

        attributes = fastvalidate.attributes(base)
        keyword_validators.update(attributes.pop("keyword_validators"))
    attributes["keyword_validators"] = {name: _annotating(kv) for name, kv in keyword_validators.items()}
    cls = type("CodegenSpecValidator", (base,), attributes)
    return cls(spec.document, base_uri=spec.root.as_uri())


def _pointer_of(err: Any) -> str:
    parts = tuple(getattr(err, "_codegen_parts", None) or ()) + tuple(getattr(err, "absolute_path", ()) or ())
    return join_pointer("", *parts)


def _message_of(err: Any) -> str:
    message = getattr(err, "message", None) or str(err)
    message = " ".join(str(message).split())
    return message if len(message) <= 300 else message[:297] + "..."


def _locate(spec: Spec, pointer: str) -> Location:
    """The file and pointer where a logical pointer (which may pass through $refs) really lands."""
    from generator.diagnostics import split_pointer

    loc = Location(spec.root, "")
    node: Any = spec.document
    try:
        for token in split_pointer(pointer):
            if isinstance(node, dict) and "$ref" in node and token not in node:
                node, loc = spec.resolve(node, loc)
            if isinstance(node, dict) and token in node:
                node = node[token]
            elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
                node = node[int(token)]
            else:
                return Location(spec.root, pointer)
            loc = loc.child(token)
    except Exception:
        return Location(spec.root, pointer)
    return loc
