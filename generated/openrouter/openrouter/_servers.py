"""Choosing the server a request goes to, as the spec's ``servers`` lists describe.

A server is a URL template (``https://{region}.api.example/{version}``) and, for each of its
variables, a default and maybe an ``enum`` of the allowed values.  The generated ``Client``
describes the document's servers to `choose`; an operation whose path item or operation object
lists servers of its own carries the first of them in its ``Endpoint`` (``server=``), and the
client resolves it with `endpoint_base`.

Rules (the README's "Servers" section says the same):

- ``server=`` picks one of the document's servers by index, name or URL template; the first
  one by default;
- a variable takes the value passed for it (a constructor argument named after it), else the
  server's default; a value outside the server's ``enum`` is a ``ValueError`` naming the allowed
  values;
- ``base_url=`` overrides every server, including the operations' own, with one exception: a
  ``base_url`` that is only a scheme and a host (``http://localhost:8000``) keeps the path of a
  *relative* server URL (``/api``): ``http://localhost:8000/api``;
- a relative server URL without ``base_url`` cannot be reached: constructing the client fails
  with one line that names the relative path and the ``base_url=`` to pass.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

__all__ = ["ServerRef", "ServerVariables", "choose", "endpoint_base"]

ServerVariables = tuple[tuple[str, str, tuple[str, ...]], ...]
"""A server's variables: ``(name, default, enum)`` each (an empty ``enum``: any value)."""

ServerRef = tuple[str, ServerVariables]
"""An operation's own server: ``(url template, variables)``."""


def substitute(
    template: str, variables: ServerVariables, given: Mapping[str, str | None]
) -> str:
    """``template`` with every ``{name}`` replaced by the value given for it, or its default."""
    url = template
    for name, default, allowed in variables:
        value = given.get(name)
        if value is None:
            value = default
        elif allowed and value not in allowed:
            choices = ", ".join(repr(a) for a in allowed)
            raise ValueError(
                f"server variable {name!r} of {template!r} must be one of {choices}, "
                f"not {value!r}"
            )
        url = url.replace("{" + name + "}", value)
    return url


def is_relative(url: str) -> bool:
    return "://" not in url


def relative_path(url: str) -> str:
    """The path of a relative server URL, with one leading slash and none trailing
    (``./api/`` -> ``/api``; ``/`` -> ``""``)."""
    path = url
    while path.startswith("./"):
        path = path[2:]
    if path == ".":
        path = ""
    return ("/" + path.lstrip("/")).rstrip("/")


def host_only(base_url: str) -> bool:
    """Whether ``base_url`` is a scheme and a host (and port) with no path."""
    _, sep, rest = base_url.partition("://")
    if not sep:
        return False
    return "/" not in rest.rstrip("/") and "?" not in rest and "#" not in rest


def _join(base_url: str, template: str) -> str:
    """A user's ``base_url`` for a server whose URL is ``template`` (already substituted)."""
    base = base_url.rstrip("/")
    if is_relative(template) and host_only(base_url):
        return base + relative_path(template)
    return base


def choose(
    servers: Sequence[tuple[str, str, ServerVariables]],
    base_url: object,
    server: str | int | None,
    given: Mapping[str, str | None],
) -> str:
    """The client's base URL: ``servers`` are the document's ``(name, url, variables)``."""
    if not servers:
        if base_url is None:
            raise ValueError("the spec lists no server: pass base_url=")
        return str(base_url)
    if server is None:
        index = 0
    elif isinstance(server, int) and not isinstance(server, bool):
        if not 0 <= server < len(servers):
            raise ValueError(
                f"server index {server} out of range 0..{len(servers) - 1}"
            )
        index = server
    else:
        found = [i for i, s in enumerate(servers) if server in (s[0], s[1])]
        if not found:
            known = ", ".join(repr(s[0]) for s in servers)
            raise ValueError(f"unknown server {server!r}; known: {known}")
        index = found[0]
    _, template, variables = servers[index]
    url = substitute(template, variables, given)
    if base_url is not None:
        return _join(str(base_url), url)
    if is_relative(url):
        path = relative_path(url)
        raise ValueError(
            f"the spec's server URL is the relative path {url!r}: pass the host to "
            f'reach it, e.g. base_url="http://localhost:8000{path}"'
        )
    return url


def endpoint_base(
    ref: ServerRef,
    client_base: str,
    given_base: str | None,
    given: Mapping[str, str | None],
) -> str:
    """The base URL of an operation with a server of its own: that server (a relative one is
    taken from the client's scheme and host), unless the user gave ``base_url``
    (``given_base``), which wins as it does for the document's servers."""
    template, variables = ref
    url = substitute(template, variables, given)
    if given_base is not None:
        return _join(given_base, url)
    if is_relative(url):
        scheme, sep, rest = client_base.partition("://")
        origin = scheme + sep + rest.split("/", 1)[0]
        return origin + relative_path(url)
    return url.rstrip("/")
