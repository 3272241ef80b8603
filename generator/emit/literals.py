"""Spec text made safe for generated files: the only doors through which it reaches code.

Spec text is hostile input.  It reaches generated Python only as a literal (``pyrepr``), inside an
escaped docstring (``docstring``, ``docstring_inline``) or an escaped one-line comment
(``comment_text``), and ``pyproject.toml`` only as a TOML string (``toml_str``).  Markdown has
its own doors in ``generator.emit.docs.markdown``.
"""

from __future__ import annotations

import json
import math
from typing import Any


def pyrepr(value: Any) -> str:
    """A Python literal that evaluates to ``value`` (JSON-like data only)."""
    if value is None or isinstance(value, bool):
        return repr(value)
    if isinstance(value, int):
        return repr(int(value))
    if isinstance(value, float):
        if math.isnan(value):
            return 'float("nan")'
        if math.isinf(value):
            return 'float("inf")' if value > 0 else 'float("-inf")'
        return repr(value)
    if isinstance(value, str):
        return _pystr(str(value))
    if isinstance(value, (list, tuple)):
        inner = ", ".join(pyrepr(v) for v in value)
        return f"[{inner}]" if isinstance(value, list) else f"({inner}{',' if len(value) == 1 else ''})"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{pyrepr(str(k))}: {pyrepr(v)}" for k, v in value.items()) + "}"
    return _pystr(str(value))


def _pystr(value: str) -> str:
    """``repr`` with the quotes black would choose (double, unless that needs more escapes), so
    that black leaves the literal as it is."""
    text = repr(value)
    if text[0] == '"':
        return text
    body = text[1:-1]
    # repr escaped every ' (it chose ' quotes because the value holds both kinds): swap them
    double = body.replace("\\'", "'").replace('"', '\\"')
    return f'"{double}"' if double.count("\\") <= body.count("\\") else text


def _escape_char(c: str) -> str:
    n = ord(c)
    return f"\\x{n:02x}" if n < 0x100 else f"\\u{n:04x}" if n < 0x10000 else f"\\U{n:08x}"


def escape_unprintable(text: str, keep: str = "\n\t") -> str:
    """Every character that is not printable (controls, NUL, line and paragraph separators,
    bidi overrides, lone surrogates...) as a visible ``\\xNN``/``\\uNNNN`` escape, except ``keep``.

    In a docstring the escape means the same character; in Markdown it shows what was there.
    Either way no generated file holds a character that changes how the text around it reads
    (Trojan Source) or that cannot be encoded as UTF-8.
    """
    plain = text
    for k in keep:
        plain = plain.replace(k, "")
    if plain.isprintable():
        return text
    return "".join(c if c in keep or c.isprintable() else _escape_char(c) for c in text)


def docstring_body(text: str) -> str:
    """Text made safe to sit between triple double quotes, in the form black gives a docstring
    (PEP 257): the first line stripped, the others without their common indentation (leading
    tabs expanded), no trailing whitespace, no blank lines at either end, a space between a
    quote mark and the triple quotes.  black has nothing left to change in it."""
    text = _docstring_escaped(str(text).replace("\r\n", "\n").replace("\r", "\n"))
    lines = [_expand_leading_tabs(line).rstrip() for line in text.split("\n")]
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    if not lines:
        return ""
    rest = lines[1:]
    margin = min((len(line) - len(line.lstrip()) for line in rest if line), default=0)
    text = "\n".join([lines[0].strip()] + [line[margin:] for line in rest])
    if text.startswith('"'):
        text = " " + text  # """" would end... nothing, but black pads it: so do we
    if "\n" not in text and text.endswith('"'):
        text += " "  # a quote against the closing quotes would end the string
    return text


def docstring_inline(text: str) -> str:
    """Text for the middle of a docstring line: whitespace runs (line breaks too) made one space,
    escaped as in ``docstring_body``; '' when there is nothing but whitespace."""
    return _docstring_escaped(" ".join(str(text).split()))


def _docstring_escaped(text: str) -> str:
    text = text.replace("\\", "\\\\")  # every backslash stays a backslash
    text = escape_unprintable(text)  # after this the only whitespace is space, tab and newline
    return text.replace('"""', '\\"\\"\\"')


def _expand_leading_tabs(line: str) -> str:
    body = line.lstrip(" \t")
    return line[: len(line) - len(body)].expandtabs(4) + body


def docstring(text: str, indent: int = 0) -> str:
    """A complete docstring statement (with quotes), indented for its block; '' when empty.  The
    closing quotes of a docstring of several lines stand on a line of their own."""
    body = docstring_body(text)
    if not body:
        return ""
    pad = " " * indent
    if "\n" not in body:
        return f'"""{body}"""'
    lines = body.split("\n")
    return '"""' + lines[0] + "\n" + "\n".join((pad + line) if line else "" for line in lines[1:]) + "\n" + pad + '"""'


def comment_text(text: str) -> str:
    """Text for a one-line comment (``#`` or ``<!-- -->``): no line break, nothing unprintable."""
    return escape_unprintable(" ".join(str(text).split()), keep="")


def toml_str(value: Any) -> str:
    """A TOML basic string."""
    text = json.dumps(str(value), ensure_ascii=False)
    if text.isprintable():
        return text
    # TOML escapes are \\uXXXX or \\UXXXXXXXX of Unicode scalar values: a lone surrogate has none
    return "".join(c if c.isprintable() else "\\ufffd" if 0xD800 <= ord(c) <= 0xDFFF
                   else f"\\u{ord(c):04x}" if ord(c) < 0x10000 else f"\\U{ord(c):08x}" for c in text)
