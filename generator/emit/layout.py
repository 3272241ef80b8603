"""Code laid out as black lays it out, so that most generated files need no black pass.

The templates build long statements (calls, annotated fields, assignments, imports) from pieces;
the functions here break them over lines exactly as black would (``Br``: a bracketed list of
items, one per line with a magic trailing comma when it does not fit), and the ``is_black_*``
checks tell ``generator.emit.format`` which lines it can trust without asking black.
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterable
from typing import Any

from generator.emit.literals import pyrepr

LINE_LENGTH = 88  # black's, as generator.emit.format runs it

# pieces of the patterns below that recognise code the templates write
_NAME_P = r"[^\W\d]\w*"  # an identifier
_DOTTED_P = rf"{_NAME_P}(?:\.{_NAME_P})*"  # a.b.c
_STRING_P = r'"(?:[^"\\\n]|\\.)*"'  # a string literal in double quotes, on one line
_ATOMS_P = r"[^()\[\]{}]*"  # call arguments without brackets of their own


def _fits(lines: Iterable[str], long_ok: Container[str] = ()) -> bool:
    """Whether every line fits in black's line length (but those in ``long_ok``, which black
    leaves long: they have nowhere to break)."""
    return all(width(line) <= LINE_LENGTH or line in long_ok for line in lines)


def width(line: str) -> int:
    """Columns ``line`` takes as black counts them (East Asian wide characters count two)."""
    if line.isascii():
        return len(line)
    from black.strings import str_width

    return int(str_width(line))


class Br:
    """A bracketed, comma-separated group of code (``head`` items ``close``) that lays itself out
    as black would leave it: on one line when it fits, else one item per line with a trailing
    comma (black keeps such "magic" trailing commas exploded).  Output laid out this way comes
    out of black unchanged, so black formats it in one pass instead of two."""

    __slots__ = ("close", "head", "items")

    def __init__(self, head: str, items: Iterable[str | Br], close: str) -> None:
        self.head = head
        self.items = list(items)
        self.close = close

    def __str__(self) -> str:
        return self.head + ", ".join(str(i) for i in self.items) + self.close

    def prefixed(self, prefix: str) -> Br:
        return Br(prefix + self.head, self.items, self.close)


def layout(item: str | Br, indent: int, tail: str = "", prefix: str = "") -> str:
    """``prefix + item + tail`` at ``indent``, as lines (joined) black leaves as they are."""
    pad = " " * indent
    if not isinstance(item, Br):
        return pad + prefix + str(item) + tail
    one = pad + prefix + str(item) + tail
    if width(one) <= LINE_LENGTH or not item.items:
        return one
    lines = [pad + prefix + item.head]
    entry = _dict_entry if item.head.endswith("{") else _call_argument if item.head.endswith("(") else None
    lines += [entry(i, indent + 4) if entry is not None and isinstance(i, str) else layout(i, indent + 4, ",")
              for i in item.items]
    lines.append(pad + item.close + tail)
    return "\n".join(lines)


def _dict_entry(entry: str, indent: int) -> str:
    """``entry`` (``key: value``), an item of an exploded dict display, at ``indent``, with its
    comma: one line when it fits, or, for a conditional expression ``a if c else b`` after a
    string key, black's layout: black puts invisible parentheses around every conditional
    expression (``visit_test``) and, the line having no delimiter outside them, splits there
    (more than one delimiter inside: the parentheses stay, ``can_omit_invisible_parens``):
    ``key: (`` / the expression, or ``a`` / ``if c`` / ``else b`` when it does not fit / ``),``.
    Other long entries stay on one line, for black."""
    pad = " " * indent
    line = f"{pad}{entry},"
    if width(line) <= LINE_LENGTH:
        return line
    m = _STRING_KEY.match(entry)
    if m is None:
        return line
    value = entry[m.end():]
    ternary = _split_top_level(value, " if ")
    if ternary is None or len(ternary) != 2:
        return line
    condition = _split_top_level(ternary[1], " else ")
    if condition is None or len(condition) != 2:
        return line
    parts = [ternary[0], condition[0], condition[1]]
    if any(_TOP_LEVEL_WORDS.search(_code_of(part)) or "," in _code_of(part) for part in parts):
        return line  # another delimiter black could prefer: not known here
    inner = pad + "    "
    body = [inner + value] if width(inner + value) <= LINE_LENGTH else \
        [inner + parts[0], f"{inner}if {parts[1]}", f"{inner}else {parts[2]}"]
    lines = [f"{pad}{entry[:m.end()]}(", *body, f"{pad}),"]
    return "\n".join(lines) if _fits(lines) else line


def _call_argument(argument: str, indent: int) -> str:
    """``argument``, an item of an exploded call, at ``indent`` with its comma: one line when it
    fits, or, for ``name=call(args)`` (a call of a dotted name, arguments that are names or
    string literals), black's layout: no delimiter outside the call and no invisible parentheses
    around an argument, so black splits at the call's brackets when ``name=call(`` fits:
    ``name=call(`` / the arguments (one a line, a trailing comma added, when they do not fit
    together and there are several) / ``),``.  Else one line, for black."""
    pad = " " * indent
    line = f"{pad}{argument},"
    m = _KEYWORD_CALL.fullmatch(argument)
    if width(line) <= LINE_LENGTH or m is None:
        return line
    args = _split_top_level(m.group(2), ", ")
    if not args or not all(_DOTTED.fullmatch(a) or _STRING.fullmatch(a) for a in args):
        return line
    lines = [f"{pad}{m.group(1)}(", *_argument_lines(pad + "    ", args), f"{pad}),"]
    # a line still too long: not known, the one line goes to black
    return "\n".join(lines) if _fits(lines) else line


def _argument_lines(at: str, args: list[str]) -> list[str]:
    """A call's arguments inside its exploded brackets, at ``at``, as black's ``delimiter_split``
    writes them: on one line when they fit there, else one a line with a trailing comma added;
    one argument has no delimiter to split at, whatever its length."""
    one = at + ", ".join(args)
    return [one] if width(one) <= LINE_LENGTH or len(args) == 1 else [f"{at}{a}," for a in args]


_KEYWORD_CALL = re.compile(rf"({_NAME_P}={_DOTTED_P})\(({_ATOMS_P})\)")


def _code_of(text: str) -> str:
    """``text`` with what is inside its brackets and string literals left out (its top level)."""
    out, depth, i, n = [], 0, 0, len(text)
    while i < n:
        c = text[i]
        if c in "\"'":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            i = j + 1
            out.append('""')
            continue
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        elif depth == 0:
            out.append(c)
        i += 1
    return "".join(out)


_STRING_KEY = re.compile(rf"{_STRING_P}: ")
# words that make delimiters of a priority black would split at before (or instead of) the
# conditional expression's: another conditional, a lambda, a comprehension; "," likewise
_TOP_LEVEL_WORDS = re.compile(r"(?<![\w.])(?:if|else|lambda|for|async|await|yield)(?!\w)|:=|\*\*|#")


def assignment(target: str, value: str | Br, indent: int) -> str:
    """The statement ``target = value`` at ``indent``, ``value`` a call (``Br``), as black writes
    it (``_assignment_lines``)."""
    return "\n".join(_assignment_lines(target, value, indent)[0])


def _assignment_lines(target: str, value: str | Br, indent: int) -> tuple[list[str], bool]:
    """The lines of ``target = value`` and whether they are black's for certain even with a line
    too long: ``layout``'s lines, but for a first line too long.  Then (linegen.py: black splits
    at the call's own brackets, ``rhs`` preferring them to the value's invisible parentheses
    since the target has no brackets; the call's magic trailing comma leaves no other split to
    try):

    * a subscripted callee (``Endpoint[T](``, two arguments or more): black splits that first
      line again, at its last brackets: ``target = Endpoint[`` / ``T`` / ``](``, the rest as it
      was (a ``T`` too long for its line stays so when it is a name);
    * a callee that is a name: that first line cannot be split, so black takes its "second
      opinion" (``run_transformer``), the value in parentheses of its own, when every line of it
      fits: ``target = (`` / ``call(`` / the arguments / ``)`` / ``)``; when it does not, black
      keeps its first split, ``layout``'s lines, the long first one included.

    Other shapes, and these when another line would still be too long, stay as ``layout`` writes
    them, not known (``generator.emit.format`` sends the statement to black)."""
    out = layout(value, indent, "", f"{target} = ").split("\n")
    if not isinstance(value, Br) or not _DOTTED.fullmatch(target) or width(out[0]) <= LINE_LENGTH:
        return out, _fits(out)
    pad = " " * indent
    m = _SUBSCRIPTED_CALL.fullmatch(value.head)
    long_ok: set[str] = set()
    if m is not None and len(value.items) >= 2 and _split_top_level(m.group(2), None) is not None:
        new = [f"{pad}{target} = {m.group(1)}[", f"{pad}    {m.group(2)}", f"{pad}](", *out[1:]]
        if _DOTTED.fullmatch(m.group(2)):
            long_ok.add(new[1])  # a name: nowhere to break it
    elif _CALL.fullmatch(value.head) and value.items and all(isinstance(i, str) for i in value.items):
        new = ([f"{pad}{target} = (", f"{pad}    {value.head}"] + [f"{pad}        {i}," for i in value.items]
               + [f"{pad}    {value.close}", f"{pad})"])
        if not _fits(new):
            # black keeps its first split when an argument (a name or a string) is too long there
            items = {f"{pad}    {i}," for i in value.items
                     if isinstance(i, str) and (_DOTTED.fullmatch(i) or _STRING.fullmatch(i))}
            return out, _fits(out[1:], items)
    else:
        return out, False
    if _fits(new, long_ok):
        return new, True
    return out, False


def is_black_assignment(lines: list[str], wide: int) -> bool:
    """Whether line ``wide`` of ``lines``, one statement ``target = call(...)``, is as
    ``_assignment_lines`` knows black writes it: in the first split of a call of a name (its
    arguments one a line, names or strings: all the lines are checked), or the result type of
    a subscripted callee split out of a head too long (the three lines of the head checked)."""
    m = _ASSIGNMENT_HEAD.fullmatch(lines[0])
    if m is None or len(lines) < 3:
        return False
    pad, target, callee = m.group(1), m.group(2), m.group(3)
    if callee.endswith("[") and lines[2] == pad + "](" and lines[1].startswith(pad + "    "):
        # the arguments are the call's as ``layout`` writes them; only the head is in question here
        items = ['""', '""']
        value = Br(f"{callee}{lines[1].strip()}](", items, ")")
        head = _assignment_lines(target, value, len(pad))[0][:3]
        return wide == 1 and head == lines[:3] and _DOTTED.fullmatch(lines[1].strip()) is not None
    if callee.endswith("(") and lines[-1] == pad + ")":
        items = [line[len(pad) + 4:-1] for line in lines[1:-1]]
        if not all(line.startswith(pad + "    ") and line.endswith(",") for line in lines[1:-1]):
            return False
        new, known = _assignment_lines(target, Br(callee, items, ")"), len(pad))
        return known and new == lines
    return False


_ASSIGNMENT_HEAD = re.compile(rf"( *)({_DOTTED_P}) = ({_DOTTED_P}[(\[])")


_SUBSCRIPTED_CALL = re.compile(rf"({_DOTTED_P})\[(.+)\]\(")
_CALL = re.compile(rf"{_DOTTED_P}\(")


def simple_assignment(target: str, value: str, indent: int) -> str:
    """``target = value`` (a name, a value of one token: a name, a number, a string literal) at
    ``indent``, as black writes it: one line when it fits; else the value in parentheses on a
    line of its own when it fits there; else one line, which black leaves as it is (linegen.py:
    the value has no delimiters, so black would omit the parentheses, which fails, and a body
    of one token that does not fit "cannot be split": format._black_leaves knows it)."""
    pad = " " * indent
    line = f"{pad}{target} = {value}"
    if width(line) <= LINE_LENGTH or not _NAME.fullmatch(target) or not _ATOM.fullmatch(value):
        return line
    if width(f"{pad}    {value}") <= LINE_LENGTH:
        return f"{pad}{target} = (\n{pad}    {value}\n{pad})"
    return line


def self_method(name: str, returns: str, indent: int) -> str:
    """The head ``def name(self) -> returns:`` at ``indent`` as black writes it: one line when it
    fits; else (linegen.py: a def is split by ``left_hand_split``, at its first brackets, and
    ``self`` gets a trailing comma) ``def name(`` / ``self,`` / ``) -> returns:`` when those fit;
    else one line, which ``generator.emit.format`` sends to black."""
    pad = " " * indent
    line = f"{pad}def {name}(self) -> {returns}:"
    lines = [f"{pad}def {name}(", f"{pad}    self,", f"{pad}) -> {returns}:"]
    if width(line) <= LINE_LENGTH or not _NAME.fullmatch(returns) or \
            not _fits(lines):
        return line
    return "\n".join(lines)


def statement(line: str, indent: int) -> str:
    """``line``, a simple statement of a function body, at ``indent`` more (``line`` may carry
    leading spaces of its own; one of several lines is left as it is): one line when it fits;
    else, for ``return``/``raise`` of a call (``_statement_lines``), black's layout; else one line,
    which ``generator.emit.format`` sends to black."""
    text = " " * indent + line
    if "\n" in line or width(text) <= LINE_LENGTH:
        return text
    lines = _statement_lines(text)
    return text if lines is None else "\n".join(lines)


def _statement_lines(text: str) -> list[str] | None:
    """black's lines for a too long ``return call(args)``, ``raise call(args)`` or ``return
    [element for name in name]`` (a call of a dotted name, arguments that are names or string
    literals), or None when this does not know them.  What black (linegen.py) does:

    * ``raise`` has no invisible parentheses: black splits at the call's brackets when the line
      up to them fits: ``raise call(`` / the arguments / ``)``;
    * ``return`` has them, around a value without delimiters: black prefers the call's (or the
      list's) brackets (``_prefer_split_rhs_oop_over_rhs``: the split is not after an ``=``), and
      keeps that when ``return call(`` fits; when it does not, that line cannot be split, so
      black takes its "second opinion" (``run_transformer``), ``return (`` / ``call(args)`` /
      ``)`` (the call itself split at its brackets when it does not fit), when all of it fits,
      else keeps its first split, the long ``return call(`` line included (so does ``raise``);
    * the arguments stay on one line when they fit, else one a line, a trailing comma added
      (``delimiter_split``); an argument too long for its line stays so.  The comprehension of a
      list stays on one line when it fits, else splits before its ``for`` (no trailing comma).
    """
    m = _RETURN_OR_RAISE.fullmatch(text)
    if m is None:
        return None
    pad, keyword, value = m.group(1), m.group(2), m.group(3)
    inner = pad + "    "
    call = _CALL_OF_ATOMS.fullmatch(value)
    comprehension = _LIST_COMPREHENSION.fullmatch(value)
    long_ok: set[str] = set()

    def arguments(at: str, args: list[str]) -> list[str]:
        lines = _argument_lines(at, args)
        long_ok.update(lines)  # a name or a string: nowhere to break it
        return lines

    if call is not None:
        args = _split_top_level(call.group(2), ", ")
        if not args or not all(_NAME.fullmatch(a) or _STRING.fullmatch(a) for a in args):
            return None
        head = f"{pad}{keyword} {call.group(1)}("
        lines = [head, *arguments(inner, args), f"{pad})"]
        if width(head) > LINE_LENGTH:
            long_ok.add(head)  # black's first split, unless its second opinion fits:
            if keyword == "return":
                if width(inner + value) <= LINE_LENGTH:
                    opinion = [f"{pad}return (", inner + value, f"{pad})"]
                else:
                    opinion = [f"{pad}return (", f"{inner}{call.group(1)}(", *arguments(inner + "    ", args),
                               f"{inner})", f"{pad})"]
                if _fits(opinion):
                    return opinion
    elif comprehension is not None and keyword == "return":
        element, loop = comprehension.group(1), comprehension.group(2)
        if width(f"{inner}{element} {loop}") <= LINE_LENGTH:
            body = [f"{inner}{element} {loop}"]
        else:
            body = [inner + element, inner + loop]
        lines = [f"{pad}return [", *body, f"{pad}]"]
    else:
        return None
    return lines if _fits(lines, long_ok) else None


def is_black_statement(lines: list[str]) -> bool:
    """Whether ``lines`` (one statement) are what ``_statement_lines`` gives for their one-line
    form: black's layout, long lines included."""
    joined = lines[0].rstrip()
    for line in lines[1:]:
        part = line.strip()
        if joined.endswith(("(", "[")):
            joined += part
        elif part.startswith((")", "]")):
            joined = joined.removesuffix(",") + part
        else:
            joined += " " + part
    candidates = [joined]
    m = _RETURN_IN_PARENS.fullmatch(joined)
    if m is not None:
        candidates.append(m.group(1) + m.group(2))
    return any(_statement_lines(c) == lines for c in candidates if width(c) > LINE_LENGTH)


_RETURN_OR_RAISE = re.compile(r"( *)(return|raise) (.+)")
_CALL_OF_ATOMS = re.compile(rf"({_DOTTED_P})\(({_ATOMS_P})\)")
_LIST_COMPREHENSION = re.compile(rf"\[({_DOTTED_P}\({_NAME_P}\)) (for {_NAME_P} in {_NAME_P})\]")
_RETURN_IN_PARENS = re.compile(r"( *return )\((.*)\)")
_STRING = re.compile(_STRING_P)
_ATOM = re.compile(rf'{_NAME_P}|\d+|(?!"""){_STRING_P}')  # a string, but not a docstring


def assign(target: str, value: str) -> str:
    """``target = value`` at module level; a value too long for the line goes in parentheses
    on a line of its own, as black puts it."""
    line = f"{target} = {value}"
    if width(line) <= LINE_LENGTH:
        return line
    return f"{target} = (\n    {value}\n)"


def param(a: Any, indent: int = 8, tail: str = ",") -> str:
    """``name: annotation = default``: a parameter of an exploded signature (``tail=","``) or a
    dataclass field (``tail=""``), laid out as black writes it (``annotated``)."""
    return annotated(indent, a.name, a.annotation, a.default, tail)


def annotated(indent: int, name: str, annotation: str, default: str | None, tail: str) -> str:
    """``name: annotation = default`` at ``indent``: one line when it fits; else black's layout
    where ``_annotated_lines`` knows it for certain; else one line again, and
    ``generator.emit.format`` sends the statement to black."""
    pad = " " * indent
    lines = _annotated_lines(pad, name, annotation, default, tail)
    if lines is None:
        return f"{pad}{name}: {annotation}{'' if default is None else ' = ' + default}{tail}"
    return "\n".join(lines)


def _annotated_lines(pad: str, name: str, annotation: str, default: str | None, tail: str) -> list[str] | None:
    """black's lines for ``name: annotation = default`` (without ``= default`` when it is None),
    or None when this does not know them.  ``tail`` "" is a statement of a class body
    (an annotated assignment), "," a parameter line of a signature black explodes one parameter
    a line (its magic trailing comma).  Known: an ``annotation`` of ``|``-joined parts, each a
    dotted name with at most one subscript (``list[...]``), a ``default`` that is a name, and
    every line of the result within black's line length but for a name black cannot break.

    What black (linegen.py: ``rhs`` in ``transform_line``, ``_maybe_split_omitting_optional_parens``,
    ``_prefer_split_rhs_oop_over_rhs``, ``can_omit_invisible_parens``) does with such a line:

    * a class body statement has invisible parentheses around its annotation and around its
      value.  black splits at the value's first; if the line up to ``= (`` fits, that is the
      result (``name: annotation = (`` / ``default`` / ``)``);
    * else it splits at the annotation's: ``name: (`` / the annotation / ``) = default``, except
      that one subscripted part is split at its own brackets (``name: list[`` / ``...`` /
      ``] = default``), and that one name too long for a line of its own is left as it is
      (when there is no default; with one, black writes ``= (default)``: left to black);
    * a parameter's annotation has invisible parentheses only when it is a union (``visit_tname``
      puts them around an ``expr``, not a name or a subscript): a union is parenthesised as
      above, whatever the line's length; one subscripted part is split at its brackets; one
      name is left as it is (black has nowhere to break the line);
    * inside the parentheses the annotation stays on one line when it fits, else black splits
      it before every ``|`` (``delimiter_split``; no trailing comma: the delimiter is not one);
      a part that is a name too long for its line is left so (no bracket or delimiter in it).
    """
    line = f"{pad}{name}: {annotation}{'' if default is None else ' = ' + default}{tail}"
    if width(line) <= LINE_LENGTH:
        return [line]
    parts = _union_parts(annotation)
    if parts is None or tail not in ("", ",") or (default is not None and not _NAME.fullmatch(default)):
        return None
    statement = tail == ""
    value = "" if default is None else f" = {default}"
    inner = pad + "    "
    one_name = len(parts) == 1 and "[" not in annotation
    long_ok: set[str] = set()
    if statement and default is not None and width(f"{pad}{name}: {annotation} = (") <= LINE_LENGTH:
        lines = [f"{pad}{name}: {annotation} = (", inner + default, pad + ")"]
    elif one_name and (not statement or (default is None and _NAME.fullmatch(annotation)
                                         and width(inner + annotation) > LINE_LENGTH)):
        lines, long_ok = [line], {line}
    elif len(parts) > 1 or (statement and one_name):
        if width(inner + annotation) <= LINE_LENGTH:
            body = [inner + annotation]
        elif len(parts) > 1:
            body = [inner + parts[0]] + [f"{inner}| {part}" for part in parts[1:]]
            # a name too long for its line stays so: black has nowhere to break it
            long_ok = {line for line, part in zip(body, parts, strict=False) if _DOTTED.fullmatch(part)}
        else:
            return None
        lines = [f"{pad}{name}: (", *body, f"{pad}){value}{tail}"]
    elif len(parts) == 1:
        head, _, rest = annotation.partition("[")
        lines = [f"{pad}{name}: {head}[", inner + rest[:-1], f"{pad}]{value}{tail}"]
    else:
        return None
    return lines if _fits(lines, long_ok) else None


def is_black_annotated(lines: list[str], tail: str) -> bool:
    """Whether ``lines`` (one class body statement, ``tail`` "", or one parameter of an exploded
    signature, ``tail`` ",") are the layout ``_annotated_lines`` gives their one-line form: black's
    own, so black leaves them as they are, long lines included."""
    m = _ANNOTATED_HEAD.match(lines[0])
    if m is None:
        return False
    pad, name = m.group(1), m.group(2)
    first, last = lines[0][m.end():], lines[-1]
    candidates: list[tuple[str, str | None]] = []  # (annotation, default)
    if len(lines) == 1:
        if not first.endswith(tail):
            return False
        text = first[: len(first) - len(tail)]
        ann, sep, given = text.rpartition(" = ")
        candidates = [(text, None)] + ([(ann, given)] if sep else [])
    elif last.startswith(pad) and last[len(pad):][:1] in (")", "]"):
        rest = last[len(pad) + 1:]
        if not rest.endswith(tail) or not lines[1].startswith(pad + "    "):
            return False
        value = rest[: len(rest) - len(tail)]
        default = value[3:] if value.startswith(" = ") else None
        if value != ("" if default is None else f" = {default}"):
            return False
        body = [line.strip() for line in lines[1:-1]]
        if len(lines) == 3 and first.endswith(" = (") and last == pad + ")" and tail == "":
            candidates = [(first[:-4], body[0])]
        elif first == "(":
            candidates = [(" ".join(body), default)]
        elif first.endswith("[") and len(lines) == 3:
            candidates = [(f"{first}{body[0]}]", default)]
    return any(_annotated_lines(pad, name, ann, default, tail) == lines for ann, default in candidates)


_ANNOTATED_HEAD = re.compile(rf"( *)({_NAME_P}): ")


_NAME = re.compile(_NAME_P)
_DOTTED = re.compile(_DOTTED_P)


def _union_parts(annotation: str) -> list[str] | None:
    """The ``" | "``-separated parts of ``annotation`` when each is a dotted name with at most one
    subscript at its end (what ``TypeRenderer.annotation`` writes), else None."""
    parts = _split_top_level(annotation)
    if parts is None:
        return None
    for part in parts:
        m = _DOTTED.match(part)
        if m is None:
            return None
        rest = part[m.end():]
        if rest and not (len(rest) > 2 and rest[0] == "[" and rest[-1] == "]"
                         and _split_top_level(rest[1:-1], None) is not None):
            return None
    return parts


def _split_top_level(text: str, sep: str | None = " | ") -> list[str] | None:
    """``text`` split at ``sep`` outside brackets and string literals; None when its brackets do
    not balance or it holds something else than code of one line (a comment, a line break, an
    unclosed string)."""
    parts: list[str] = []
    depth = start = i = 0
    n = len(text)
    while i < n:
        c = text[i]
        if c in "\"'":
            j = i + 1
            while j < n and text[j] != c:
                if text[j] == "\n":
                    return None
                j += 2 if text[j] == "\\" else 1
            if j >= n:
                return None
            i = j + 1
            continue
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
            if depth < 0:
                return None
        elif c in "#\n\\":
            return None
        elif depth == 0 and sep is not None and text.startswith(sep, i):
            parts.append(text[start:i])
            i += len(sep)
            start = i
            continue
        i += 1
    if depth:
        return None
    parts.append(text[start:])
    return parts


def import_from(module: str, names: Iterable[str], indent: str = "") -> str:
    """``from module import names`` as black writes it: one line when it fits, else one name per
    line in parentheses."""
    names = list(names)
    line = f"{indent}from {module} import {', '.join(names)}"
    if width(line) <= LINE_LENGTH:
        return line
    return layout(Br(f"from {module} import (", names, ")"), len(indent))


def names_list(names: Iterable[str]) -> Br:
    """A list display of string literals (``__all__``)."""
    return Br("[", [pyrepr(n) for n in names], "]")
