"""OpenAPI Overlay 1.0: ordered ``update`` / ``remove`` actions whose ``target`` is an RFC 9535
JSONPath query, applied to the loaded spec document after loading and before validation.

* ``update`` on an object is a deep merge: objects merge key by key, arrays are concatenated,
  anything else is replaced.  On an array, an array update is concatenated (as Speakeasy and
  most tools do) and any other value is appended as one entry.
* ``remove: true`` removes every selected node from the object or array that holds it.
* JSONPath queries run on the root document as loaded: nodes inside other files reached through
  ``$ref`` are not selected (the refs are not inlined first).

Problems are diagnostics that name the overlay file, the action (``#/actions/<i>``) and its
line: a bad JSONPath or an impossible update is an error; a target that selects nothing, or an
action that does nothing, is a warning (``--strict`` makes it fatal).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import jsonpath_rfc9535 as jsonpath

from generator.diagnostics import Diagnostic, DiagnosticError, error, warning
from generator.load.loader import Location, Spec

_VERSION_RE = re.compile(r"^1\.0\.\d+$")


def apply_overlays(document: Any, overlays: Sequence[Path]) -> list[Diagnostic]:
    """Apply each overlay file in order to ``document`` (changed in place)."""
    diagnostics: list[Diagnostic] = []
    for path in overlays:
        try:
            overlay = Spec(path)
        except DiagnosticError as exc:
            diagnostics += [_as_overlay(d) for d in exc.diagnostics]
            continue
        diagnostics += _Applier(overlay).apply(document)
    return diagnostics


def _as_overlay(d: Diagnostic) -> Diagnostic:
    return Diagnostic(d.severity, "overlay", f"overlay: {d.message}", d.file, d.pointer, d.line, d.column)


class _Applier:
    def __init__(self, overlay: Spec) -> None:
        self.overlay = overlay
        self.file = overlay.display(overlay.root)
        self.diagnostics: list[Diagnostic] = []

    def report(self, severity: str, message: str, pointer: str = "") -> None:
        line = self.overlay.line_of(Location(self.overlay.root, pointer))
        make = error if severity == "error" else warning
        self.diagnostics.append(make("overlay", message, self.file, pointer, line))

    def apply(self, document: Any) -> list[Diagnostic]:
        doc = self.overlay.document
        if not isinstance(doc, dict) or "overlay" not in doc:
            self.report("error", "not an Overlay document: the 'overlay' version field is missing")
            return self.diagnostics
        if not _VERSION_RE.match(str(doc["overlay"])):
            self.report("error", f"overlay version {doc['overlay']!r} is not supported; codegen reads "
                        "Overlay 1.0.x", "/overlay")
            return self.diagnostics
        actions = doc.get("actions")
        if not isinstance(actions, list) or not actions:
            self.report("error", "'actions' must be a non-empty list", "/actions" if "actions" in doc else "")
            return self.diagnostics
        for index, action in enumerate(actions):
            self._action(document, index, action)
        return self.diagnostics

    def _action(self, document: Any, index: int, action: Any) -> None:
        at = f"/actions/{index}"
        if not isinstance(action, dict):
            self.report("error", f"action {index}: must be an object", at)
            return
        target = action.get("target")
        if not isinstance(target, str) or not target:
            self.report("error", f"action {index}: 'target' (a JSONPath query) is required", at)
            return
        remove = action.get("remove", False)
        if not isinstance(remove, bool):
            self.report("error", f"action {index}: 'remove' must be true or false", f"{at}/remove")
            return
        if "copy" in action:
            self.report("error", f"action {index}: 'copy' (Overlay 1.1) is not supported", f"{at}/copy")
            return
        if not remove and "update" not in action:
            self.report("warning", f"action {index}: does nothing (neither 'update' nor 'remove: true')", at)
            return
        try:
            query = jsonpath.compile(target)
        except jsonpath.JSONPathError as exc:
            self.report("error", f"action {index}: bad JSONPath {target!r}: {exc}", f"{at}/target")
            return
        nodes = query.find(document)
        if not nodes:
            self.report("warning", f"action {index}: target {target!r} selects nothing", f"{at}/target")
            return
        if remove:
            self._remove(index, nodes, at)
        else:
            self._update(index, nodes, action["update"], at)

    def _remove(self, index: int, nodes: Any, at: str) -> None:
        holders: dict[int, tuple[Any, set[Any]]] = {}
        for node in nodes:
            if not node.location:
                self.report("error", f"action {index}: the document root ('$') cannot be removed", f"{at}/target")
                return
            container = node.parent.value
            holders.setdefault(id(container), (container, set()))[1].add(node.location[-1])
        for container, keys in holders.values():
            # highest index first, so the indices still to remove stay valid
            for key in sorted(keys, reverse=True):
                del container[key]

    def _update(self, index: int, nodes: Any, update: Any, at: str) -> None:
        seen: set[int] = set()
        for node in nodes:
            value = node.value
            if id(value) in seen:
                continue  # a query may select the same node twice
            seen.add(id(value))
            if isinstance(value, dict):
                if not isinstance(update, dict):
                    self.report("error", f"action {index}: {node.path()} is an object; 'update' must be an "
                                "object to merge into it", f"{at}/update")
                    return
                _merge(value, update)
            elif isinstance(value, list):
                if isinstance(update, list):
                    value.extend(copy.deepcopy(update))
                else:
                    value.append(copy.deepcopy(update))
            else:
                self.report("error", f"action {index}: {node.path()} is a {_kind(value)}; 'update' applies to "
                            "objects and arrays (target the object that holds it)", f"{at}/target")
                return


def _merge(target: dict[str, Any], update: dict[str, Any]) -> None:
    for key, new in update.items():
        old = target.get(key)
        if isinstance(old, dict) and isinstance(new, dict):
            _merge(old, new)
        elif isinstance(old, list) and isinstance(new, list):
            old.extend(copy.deepcopy(new))
        else:
            target[key] = copy.deepcopy(new)


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    return {bool: "boolean", str: "string", int: "number", float: "number"}.get(type(value), type(value).__name__)
