"""YAML in and out for the importer.

Reading uses the C loader when present, with YAML 1.2-style scalars (only ``true``/``false`` are
booleans, timestamps and ``010`` stay strings, ``1e3`` is a float), mapping keys always strings
(``200:`` becomes ``"200"``) and duplicate keys refused.  ``node_marks`` gives the position of
every JSON pointer for diagnostics.

Writing is safe dumping in block style with sequences indented under their key, no aliases,
unlimited width (long descriptions stay on one line, untouched) and ``|`` blocks for multi-line
strings.  The pure-Python safe dumper is used on purpose: the C emitter cannot indent sequences.
"""

from __future__ import annotations

from typing import Any

import yaml

from generator.diagnostics import join_pointer
from generator.importer.model import JSON
from generator.load.loader import SpecLoader as _SpecLoader


class SpecLoader(_SpecLoader):
    """The generator's loader, refusing repeated keys: an imported spec must be unambiguous."""

    strict_keys = True


def load_yaml(text: str) -> JSON:
    """Parse one YAML document; raises ``yaml.YAMLError`` (with ``problem_mark``) when it does not parse."""
    return plain(yaml.load(text, Loader=SpecLoader))  # noqa: S506 - SpecLoader is a safe loader


def plain(value: Any) -> JSON:
    """A fresh JSON-compatible copy: aliases no longer share objects, odd scalars become strings."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def node_marks(text: str) -> dict[str, tuple[int, int]]:
    """0-based ``(line, column)`` of every JSON pointer in ``text`` (mapping entries: their key)."""
    try:
        root = yaml.compose(text, Loader=SpecLoader)
    except yaml.YAMLError:
        return {}
    marks: dict[str, tuple[int, int]] = {}
    if root is None:
        return marks
    stack: list[tuple[Any, str]] = [(root, "")]
    marks[""] = (root.start_mark.line, root.start_mark.column)
    while stack:
        node, pointer = stack.pop()
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                child = join_pointer(pointer, str(key_node.value))
                marks.setdefault(child, (key_node.start_mark.line, key_node.start_mark.column))
                stack.append((value_node, child))
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                child = join_pointer(pointer, i)
                marks.setdefault(child, (item.start_mark.line, item.start_mark.column))
                stack.append((item, child))
    return marks


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value.rstrip("\n") else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def dump_yaml(value: JSON) -> str:
    """Block-style YAML with ``\\n`` line endings; keys are written in the order given."""
    text = yaml.dump(value, Dumper=_Dumper, sort_keys=False, default_flow_style=False, allow_unicode=True,
                     width=1 << 30, indent=2, line_break="\n")
    return str(text)
