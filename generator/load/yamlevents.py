"""YAML documents and line tables built straight from libyaml's events.

PyYAML's C loader first composes the whole file into nodes (two ``Mark`` objects each), then
constructs the document from them in Python.  On a 1.4 MB spec that is ~0.7 s and a transient
~60 MB whose freed pages the process keeps.  Building the document from the parser's events
instead needs no node tree: ~3x faster, and the document is all that is ever held.

* :func:`document` gives exactly what ``yaml.load(text, Loader=loader)`` gives for a plain
  document: one document, no anchors or aliases, no tags, no merge keys.  For anything else,
  and for text that does not parse, it raises :class:`NotPlain` and the caller loads the text
  with PyYAML's loader, which gives the document or the error with its line and column.  Plain
  scalars are resolved with the loader's own implicit resolvers and constructors, so the
  loader class stays the one definition of what a scalar means.
* :func:`line_table` gives the line of every value, for diagnostics: ``(line, children)``
  pairs shaped like the document, found by :func:`line_at`.

Both need libyaml (``yaml.__with_libyaml__``); without it :func:`document` always raises
:class:`NotPlain` and :func:`line_table` falls back to PyYAML's pure-Python parser.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import yaml
from yaml.events import (
    AliasEvent,
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
    StreamStartEvent,
)

from generator.diagnostics import is_index

try:
    from yaml import _yaml
except ImportError:  # pragma: no cover - PyYAML without libyaml
    _CParser: Any = None
else:
    _CParser = _yaml.CParser  # Any: its events are told apart by class (``is``), which mypy does not narrow

_STR = "tag:yaml.org,2002:str"
_SCALAR_TAGS = frozenset({_STR, "tag:yaml.org,2002:null", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:int",
                          "tag:yaml.org,2002:float"})


class NotPlain(Exception):
    """The text is not a plain document (or does not parse): load it with PyYAML's loader."""


class _Plain:
    """Plain scalars as ``loader`` resolves and constructs them, each text worked out once
    (a spec repeats the same few hundred words thousands of times; they also end up shared)."""

    def __init__(self, loader: Any) -> None:
        self._resolvers: dict[Any, list[tuple[str, Any]]] = loader.yaml_implicit_resolvers
        self._constructors: dict[Any, Any] = loader.yaml_constructors
        self._constructor = loader("")  # only its scalar constructors are used
        self.values: dict[str, Any] = {}

    def value(self, text: str) -> Any:
        """What ``text``, a plain scalar, loads as; NotPlain for merge keys, ``=`` and the like."""
        resolvers = self._resolvers.get(text[0] if text else "", []) + self._resolvers.get(None, [])
        tag = next((tag for tag, regexp in resolvers if regexp.match(text)), _STR)
        if tag not in _SCALAR_TAGS:
            raise NotPlain(tag)
        value = text if tag == _STR else self._constructors[tag](self._constructor, yaml.ScalarNode(tag, text))
        self.values[text] = value
        return value


_NO_KEY = object()  # a mapping waiting for its next key
_IN_LIST = object()  # a sequence


def document(text: str, loader: Any, max_nesting: int) -> Any:
    """``yaml.load(text, Loader=loader)`` for a plain document (see the module docstring);
    NotPlain otherwise, and for collections nested deeper than ``max_nesting``.

    ``loader`` is a SafeLoader whose mapping keys are always strings: a plain key that does not
    load as a string (``200:``, ``null:``) is its text."""
    if _CParser is None:
        raise NotPlain("no libyaml")
    plain = _Plain(loader)
    known = plain.values
    strings: dict[str, str] = {}  # quoted scalars, shared as plain ones are
    try:
        events = _CParser(text)
        get = events.get_event
        if get().__class__ is not StreamStartEvent:
            raise NotPlain("no stream")
        event = get()
        if event.__class__ is StreamEndEvent:
            return None  # an empty stream, as yaml.load gives
        if event.__class__ is not DocumentStartEvent:
            raise NotPlain("no document")
        root: list[Any] = []
        frames: list[list[Any]] = [[root, _IN_LIST]]  # [container, its state: _IN_LIST, _NO_KEY or the key]
        top = frames[-1]
        while True:
            event = get()
            kind = event.__class__
            if kind is ScalarEvent:
                if event.anchor is not None or event.tag is not None:
                    raise NotPlain("anchor or tag")
                text_ = event.value
                if event.implicit[0]:
                    value = known[text_] if text_ in known else plain.value(text_)
                else:
                    value = strings.setdefault(text_, text_)
                state = top[1]
                if state is _IN_LIST:
                    top[0].append(value)
                elif state is _NO_KEY:
                    top[1] = text_  # a key is its text (see above)
                else:
                    top[0][state] = value
                    top[1] = _NO_KEY
                continue
            if kind is MappingStartEvent or kind is SequenceStartEvent:
                if event.anchor is not None or event.tag is not None:
                    raise NotPlain("anchor or tag")
                if len(frames) > max_nesting:
                    raise NotPlain("nesting")
                value = {} if kind is MappingStartEvent else []
                state = top[1]
                if state is _IN_LIST:
                    top[0].append(value)
                elif state is _NO_KEY:
                    raise NotPlain("a collection as a mapping key")
                else:
                    top[0][state] = value
                    top[1] = _NO_KEY
                top = [value, _NO_KEY if kind is MappingStartEvent else _IN_LIST]
                frames.append(top)
                continue
            if kind is MappingEndEvent or kind is SequenceEndEvent:
                frames.pop()
                top = frames[-1]
                continue
            if kind is DocumentEndEvent and len(frames) == 1:
                break
            raise NotPlain(kind.__name__)  # an alias, or anything unexpected
        if get().__class__ is not StreamEndEvent:
            raise NotPlain("more than one document")
        return root[0]
    except yaml.YAMLError as exc:
        raise NotPlain(str(exc)) from None


# -- lines --------------------------------------------------------------------------------------

# A value's line and, for a mapping or a sequence, its members' entries: a dict by key (the
# key's text; the first of repeated keys) or a list.
LineEntry = tuple[int, dict[str, "LineEntry"] | list["LineEntry"] | None]


def line_table(text: str) -> LineEntry | None:
    """The line (1-based) of every value of ``text``'s document; None when it does not parse as
    one YAML document.  Aliases share their anchor's entry, as they share its value."""
    try:
        return _line_table(_events(text))
    except yaml.YAMLError:
        return None


def _events(text: str) -> Iterator[Any]:
    if _CParser is None:  # pragma: no cover - PyYAML without libyaml
        yield from yaml.parse(text, Loader=yaml.SafeLoader)
        return
    get = _CParser(text).get_event
    while (event := get()) is not None:
        yield event


def _line_table(events: Iterator[Any]) -> LineEntry | None:
    anchors: dict[str, LineEntry] = {}
    root: list[LineEntry] = []
    frames: list[list[Any]] = [[root, _IN_LIST]]
    documents = 0
    for event in events:
        kind = event.__class__
        if kind is DocumentStartEvent:
            documents += 1
            if documents > 1:
                return None
            continue
        if kind is ScalarEvent or kind is AliasEvent or kind is MappingStartEvent or kind is SequenceStartEvent:
            if kind is AliasEvent:
                entry = anchors.get(event.anchor)
                if entry is None:
                    return None
            else:
                members: dict[str, LineEntry] | list[LineEntry] | None = (
                    {} if kind is MappingStartEvent else [] if kind is SequenceStartEvent else None)
                entry = (event.start_mark.line + 1, members)
                if event.anchor is not None:
                    anchors[event.anchor] = entry
            top = frames[-1]
            state = top[1]
            if state is _IN_LIST:
                top[0].append(entry)
            elif state is _NO_KEY:
                top[1] = event.value if kind is ScalarEvent else None  # only a scalar key can be named
            else:
                top[0].setdefault(state, entry)
                top[1] = _NO_KEY
            if entry[1] is not None and kind is not AliasEvent:
                frames.append([entry[1], _NO_KEY if kind is MappingStartEvent else _IN_LIST])
        elif kind is MappingEndEvent or kind is SequenceEndEvent:
            frames.pop()
    return root[0] if root else None


def line_at(table: LineEntry, tokens: list[str]) -> int | None:
    """The line of the value at the JSON pointer ``tokens`` (unescaped); None when none is there."""
    entry = table
    for token in tokens:
        members = entry[1]
        if isinstance(members, dict):
            found = members.get(token)
        elif isinstance(members, list) and is_index(token) and int(token) < len(members):
            found = members[int(token)]
        else:
            found = None
        if found is None:
            return None
        entry = found
    return entry[0]
