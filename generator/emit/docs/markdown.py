"""Spec text and type names made into Markdown that renders the same on GitHub (cmark-gfm) and in
MkDocs (Python-Markdown).

Spec descriptions are CommonMark written for the vendor's own site.  What changes on the way:

- raw HTML is shown as text (GitHub strips most of it; a docs site should not run it);
- headings inside a description become bold lines (our pages own the headings and their anchors);
- links that only work on the vendor's site (``/docs/guide``, ``../keys``) become absolute against
  the vendor's documentation URL, or plain text when there is none; ``#anchors`` of the vendor's
  pages become plain text;
- inside a table cell, every ``|`` is written so that neither renderer splits the cell there
  (``&#124;`` in text, ``<code>`` with entities for code spans holding one): GitHub splits cells
  on every ``|``, also inside backticks, and ``\\|`` shows its backslash in Python-Markdown's code
  spans.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterator
from urllib.parse import urljoin, urlsplit

from generator.emit.literals import escape_unprintable

_FENCE = re.compile(r"^( {0,3})(`{3,}|~{3,})(.*)$")
_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_LINK = re.compile(r"(!?)\[((?:[^\[\]\\]|\\.|\[[^\[\]]*\])*)\]\(\s*(<[^<>\n]*>|[^\s()<>]*(?:\([^\s()<>]*\)[^\s()<>]*)*)"
                   r"(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^()]*\)))?\s*\)")
_REFDEF = re.compile(r"^ {0,3}\[((?:[^\[\]\\]|\\.)+)\]:\s*(\S+)(.*)$")
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^\s<>]*)>", re.IGNORECASE)
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
_MD_PUNCT = re.compile(r"[\\`*_\[\]#!~{}]")
_TICKS = re.compile(r"(?<!`)(?<!\\)`+(?!`)")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


class Links:
    """How a link target from spec text is written: absolute URLs stay, others are resolved
    against the vendor's documentation URL, or dropped (the label stays as text)."""

    def __init__(self, base: str = "") -> None:
        self.base = base if base and urlsplit(base).scheme in ("http", "https") else ""

    def target(self, url: str) -> str | None:
        url = url.strip()
        if url.startswith("<") and url.endswith(">"):
            url = url[1:-1]
        if not url or url.startswith("#"):
            return None  # an anchor of the vendor's page: nothing here to point at
        scheme = urlsplit(url).scheme.lower() if _SCHEME.match(url) else ""
        if scheme in ("http", "https", "mailto"):
            return url
        if scheme:
            return None  # javascript:, data:, file:, ...
        if not self.base:
            return None
        return urljoin(self.base, url)


def _code_spans(text: str) -> Iterator[tuple[bool, str]]:
    """``text`` in pieces: (True, a whole code span with its backticks) or (False, other text),
    split as CommonMark pairs backtick runs."""
    if "`" not in text:
        if text:
            yield False, text
        return
    pos = 0
    start = 0
    while True:
        m = _TICKS.search(text, pos)
        if not m:
            break
        ticks = m.group(0)
        close = re.compile(rf"(?<!`){ticks}(?!`)").search(text, m.end())
        if not close:
            pos = m.end()
            continue
        if m.start() > start:
            yield False, text[start:m.start()]
        yield True, text[m.start():close.end()]
        start = pos = close.end()
    if start < len(text):
        yield False, text[start:]


def _url(url: str) -> str:
    return url.replace(" ", "%20").replace("<", "%3C").replace(">", "%3E").replace("|", "%7C")


def _escape_text(text: str, cell: bool) -> str:
    pieces = []
    pos = 0
    for m in _AUTOLINK.finditer(text):
        pieces.append(_escape_html(text[pos:m.start()], cell))
        pieces.append(f"<{_url(m.group(1))}>")
        pos = m.end()
    pieces.append(_escape_html(text[pos:], cell))
    return "".join(pieces)


def _escape_html(text: str, cell: bool) -> str:
    text = _BR.sub(" ", text) if cell else text
    out = []
    pos = 0
    for m in _ENTITY.finditer(text):  # an entity the author wrote stays one
        out.append(text[pos:m.start()].replace("&", "&amp;"))
        out.append(m.group(0))
        pos = m.end()
    out.append(text[pos:].replace("&", "&amp;"))
    text = "".join(out).replace("<", "&lt;").replace(">", "&gt;")
    if cell:
        text = text.replace("|", "&#124;")
    return text


def _inline(text: str, links: Links, cell: bool) -> str:
    """Inline spec text: links (whose labels may hold code spans) first, then code spans and text."""
    if "](" not in text:
        return _spans(text, links, cell)
    spans = []
    pos = 0
    for is_code, piece in _code_spans(text):
        if is_code:
            spans.append((pos, pos + len(piece)))
        pos += len(piece)
    out = []
    pos = 0
    for m in _LINK.finditer(text):
        if any(a <= m.start() < b for a, b in spans):
            continue  # inside a code span: code, not a link
        out.append(_spans(text[pos:m.start()], links, cell))
        image, label, url = m.group(1), m.group(2), m.group(3)
        target = links.target(url)
        if image or target is None:
            out.append(_spans(label, links, cell))  # an image of the vendor's site: its alt text
        else:
            out.append(f"[{_spans(label, links, cell)}](<{_url(target)}>)")
        pos = m.end()
    out.append(_spans(text[pos:], links, cell))
    return "".join(out)


def _spans(text: str, links: Links, cell: bool) -> str:
    out = []
    for is_code, piece in _code_spans(text):
        if not is_code:
            out.append(_escape_text(piece, cell))
        elif cell and "|" in piece:
            out.append(code_html(piece.strip("`").strip(" ") if piece.strip("`").strip() else piece.strip("`")))
        else:
            out.append(piece)
    return "".join(out)


def code_html(text: str) -> str:
    """``<code>`` whose content no Markdown renderer reads as syntax: every character that means
    something to Markdown or HTML written as an entity."""
    return "<code>" + "".join(f"&#{ord(c)};" if c in _MD_SPECIAL else c for c in text) + "</code>"


_MD_SPECIAL = set("&<>|`*_[]()\\!#~+-=.{}:\"'")


def code(text: str) -> str:
    """An inline code span of ``text`` (whitespace runs made one space) for prose or a cell."""
    s = " ".join(text.split()) if (" " in text or "\n" in text or "\t" in text) else text
    if not s.isprintable():
        s = escape_unprintable(s, keep="")
    if "|" in s:
        return code_html(s)
    ticks = "`"
    while ticks in s:
        ticks += "`"
    pad = " " if s.startswith("`") or s.endswith("`") or not s.strip() else ""
    return f"{ticks}{pad}{s}{pad}{ticks}"


def cell(text: str, links: Links) -> str:
    """Spec text (CommonMark) for one table cell: one line, no ``|`` that splits it."""
    text = escape_unprintable(str(text).replace("\r\n", "\n").replace("\r", "\n"), keep="\n\t")
    lines = []
    for line in text.split("\n"):
        m = _FENCE.match(line)
        if m:
            continue  # fence lines dropped: the code inside reads as text
        m = _ATX.match(line)
        if m:
            line = m.group(2) or ""
        lines.append(line.strip())
    joined = " ".join(" ".join(lines).split())
    joined = re.sub(r"^([-+*]|\d+[.)])\s", lambda m: "\\" + m.group(0) if m.group(1)[0] in "-+*" else m.group(0),
                    joined)
    return _inline(joined, links, cell=True)


def text_cell(text: str) -> str:
    """Plain text (not Markdown) for a table cell."""
    return _escape_md(" ".join(escape_unprintable(str(text), keep="").split()), cell=True)


def text(s: str) -> str:
    """Plain text (not Markdown) for prose: shown as written."""
    return _escape_md(" ".join(escape_unprintable(str(s), keep="").split()), cell=False)


def _escape_md(s: str, cell: bool) -> str:
    s = html.escape(s, quote=False)
    # entities, not backslashes: Python-Markdown shows the backslash of an escape it does not know (\~)
    s = _MD_PUNCT.sub(lambda m: f"&#{ord(m.group(0))};", s)
    if cell:
        s = s.replace("|", "&#124;")
    return s


def prose(text: str, links: Links) -> str:
    """Spec text (CommonMark) as blocks of a page: HTML and headings neutralised, links fixed,
    fenced code kept (tagged ``text`` when it claims to be Python: only our examples are code
    that type-checks against the package)."""
    text = escape_unprintable(str(text).replace("\r\n", "\n").replace("\r", "\n"), keep="\n\t")
    out: list[str] = []
    fence: str | None = None
    para: list[str] = []

    def flush() -> None:
        if para:
            out.append(_inline("\n".join(para), links, cell=False))
            para.clear()

    for line in text.split("\n"):
        if fence is not None:
            out.append(line)
            stripped = line.strip()
            if stripped.startswith(fence[0] * len(fence)) and not stripped.strip(fence[0]):
                fence = None
            continue
        m = _FENCE.match(line)
        if m and not (m.group(2)[0] == "`" and "`" in m.group(3)):
            flush()
            fence = m.group(2)
            info = m.group(3).strip()
            lang = info.split()[0].lower() if info else ""
            if lang in ("python", "py", "python3", "pycon"):
                info = "text"
            out.append(f"{m.group(1)}{fence}{info}")
            continue
        m = _ATX.match(line)
        if m:
            flush()
            title = (m.group(2) or "").strip()
            if title:
                out.append(f"**{_inline(title, links, cell=False)}**")
                out.append("")
            continue
        if _SETEXT.match(line) and para:
            # an underline would make the paragraph above a heading: keep it a paragraph
            if line.strip().startswith("-"):
                flush()
                out.append("")
                out.append("* * *")
            continue
        m = _REFDEF.match(line)
        if m:
            flush()
            target = links.target(m.group(2))
            if target is not None:
                out.append(f"[{m.group(1)}]: <{_url(target)}>{m.group(3)}")
            continue
        if not line.strip():
            flush()
            if out and out[-1] == "" and fence is None:
                continue  # one blank line is a paragraph break; more add nothing
            out.append("")
            continue
        if re.match(r"^ {0,3}(<[A-Za-z/!?])", line):
            line = line.replace("<", "&lt;", 1)
        para.append(line)
    flush()
    if fence is not None:
        out.append(fence)
    return "\n".join(out).strip("\n")


def sentence(text: str) -> str:
    """``text`` ending like a sentence, so that what follows does not run into it."""
    t = text.rstrip()
    if ((t and t[-1].isalnum()) or t.endswith(("`", ")", "*", "_"))) and not t.endswith("```"):
        return t + "."
    return t


class Slugger:
    """GitHub's heading anchors for one page: lowercase, punctuation but ``-`` and ``_`` removed,
    spaces made hyphens, repeats numbered ``-1``, ``-2``."""

    def __init__(self) -> None:
        self.seen: dict[str, int] = {}

    def slug(self, heading: str) -> str:
        base = slug(heading)
        n = self.seen.get(base)
        if n is None:
            self.seen[base] = 1
            return base
        while f"{base}-{n}" in self.seen:
            n += 1
        self.seen[base] = n + 1
        self.seen[f"{base}-{n}"] = 1
        return f"{base}-{n}"


def slug(heading: str) -> str:
    return "".join("-" if c == " " else c for c in heading.lower()
                   if c in " -_" or unicodedata.category(c)[0] in "LMN" or unicodedata.category(c) == "Pc")
