"""Pages that are still the declared response model, and iterate every item.

The generated code declares each paginated response model as usual and, next to
it, one subclass per client flavour that mixes in ``SyncPage``/``AsyncPage``::

    @dataclass(kw_only=True, slots=True)
    class ListWorkspacesResponse:          # the model, as declared in the spec
        data: list[Workspace]
        total_count: int
        @classmethod
        def from_dict(cls, d: Mapping[str, Any]) -> ListWorkspacesResponse:
            return cls(...)                # must build cls, not the literal name

    class ListWorkspacesPage(ListWorkspacesResponse, SyncPage[Workspace]):
        pass                               # no __slots__ here: the page keeps
                                           # its client link in __dict__
    class AsyncListWorkspacesPage(ListWorkspacesResponse, AsyncPage[Workspace]):
        pass

and its endpoint names the strategy and decodes into the page class::

    Endpoint[ListWorkspacesPage](
        "GET", "/workspaces",
        cast=page_decoder(ListWorkspacesPage),   # ListWorkspacesPage.from_dict,
                                                 # typed as returning the page
        pagination=OffsetPagination(items="data", total="total_count"),
    )

A page is an instance of the model (``isinstance(page, ListWorkspacesResponse)``,
``page.data``, ``page.total_count``) and also:

- ``for item in page`` / ``async for item in page``: every item from this page
  on, fetching the next page only when the current one is used up;
- ``page.has_next_page()``, ``page.next_page()`` (``await`` on async pages),
  ``page.iter_pages()``.

Those names are reserved on page models (the generator renames clashing fields).
Strategies (attribute paths are Python attribute names, dotted for nesting):

- ``OffsetPagination``: ``offset``/``limit`` query parameters; stops at ``total``,
  at ``has_more`` false, at a page shorter than ``limit``, or at an empty page;
- ``PageNumberPagination``: ``page`` (and ``per_page``) parameters, likewise;
- ``CursorPagination``: the response's ``next_cursor`` becomes the ``cursor``
  parameter; stops when it is empty or ``has_more`` is false;
- ``NextLinkPagination``: the response's ``next`` URL (absolute or relative to
  the base URL) is fetched as is.

The page's I/O lives in ``_async_pagination`` and the ``_sync_pagination``
derived from it; this module hands the classes out (see ``_lazy``).
"""

from __future__ import annotations

import abc
from dataclasses import dataclass, field
from typing import (
    TYPE_CHECKING,
    Any,
    Callable,
    Generic,
    Mapping,
    TypeVar,
)

if TYPE_CHECKING:
    import httpx

    # handed out by __getattr__ at run time (they import this module)
    from ._async_pagination import AsyncPage
    from ._sync_pagination import SyncPage

from ._lazy import hand_out
from ._types import NotGiven

__all__ = [
    "Pagination",
    "OffsetPagination",
    "PageNumberPagination",
    "CursorPagination",
    "NextLinkPagination",
    "PageRequest",
    "SyncPage",
    "AsyncPage",
    "page_decoder",
]

ItemT = TypeVar("ItemT")
_P = TypeVar("_P", bound="_BasePage[Any]")

_PAGE_MODULES = {"SyncPage": "._sync_pagination", "AsyncPage": "._async_pagination"}


def __getattr__(name: str) -> Any:
    return hand_out(globals(), _PAGE_MODULES, name)


@dataclass(frozen=True)
class PageRequest:
    """How the next page differs from this one: new query values, or a URL."""

    params: Mapping[str, str] = field(default_factory=dict)
    url: str | None = None


def _get(obj: Any, path: str | None) -> Any:
    if path is None:
        return None
    for name in path.split("."):
        if obj is None:
            return None
        if isinstance(obj, Mapping):
            obj = obj.get(name)
        else:
            obj = getattr(obj, name, None)
    return None if isinstance(obj, NotGiven) else obj


def _int(value: str | None, default: int | None = None) -> int | None:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


class Pagination(abc.ABC):
    """A pagination strategy: where the items are and how to ask for more."""

    items: str

    def page_items(self, page: object) -> list[Any]:
        found = _get(page, self.items)
        return list(found) if found else []

    @abc.abstractmethod
    def next_request(self, page: object, url: httpx.URL) -> PageRequest | None:
        """The request for the page after ``page`` (fetched from ``url``)."""


def _stop(page: object, has_more: str | None) -> bool:
    flag = _get(page, has_more)
    return has_more is not None and flag is not None and not flag


@dataclass(frozen=True)
class OffsetPagination(Pagination):
    items: str = "data"
    offset_param: str = "offset"
    limit_param: str | None = "limit"
    total: str | None = None
    has_more: str | None = None
    start: int = 0

    def next_request(self, page: object, url: httpx.URL) -> PageRequest | None:
        count = len(self.page_items(page))
        if count == 0 or _stop(page, self.has_more):
            return None
        offset = _int(url.params.get(self.offset_param), self.start) or 0
        following = offset + count
        total = _get(page, self.total)
        if isinstance(total, int) and following >= total:
            return None
        limit = _int(url.params.get(self.limit_param)) if self.limit_param else None
        if limit and count < limit:
            return None
        return PageRequest(params={self.offset_param: str(following)})


@dataclass(frozen=True)
class PageNumberPagination(Pagination):
    items: str = "data"
    page_param: str = "page"
    per_page_param: str | None = "per_page"
    total_pages: str | None = None
    has_more: str | None = None
    first_page: int = 1

    def next_request(self, page: object, url: httpx.URL) -> PageRequest | None:
        count = len(self.page_items(page))
        if count == 0 or _stop(page, self.has_more):
            return None
        number = _int(url.params.get(self.page_param), self.first_page) or 0
        total_pages = _get(page, self.total_pages)
        if isinstance(total_pages, int) and number >= total_pages:
            return None
        per_page = (
            _int(url.params.get(self.per_page_param)) if self.per_page_param else None
        )
        if per_page and count < per_page:
            return None
        return PageRequest(params={self.page_param: str(number + 1)})


@dataclass(frozen=True)
class CursorPagination(Pagination):
    items: str = "data"
    cursor_param: str = "cursor"
    next_cursor: str = "next_cursor"
    has_more: str | None = None

    def next_request(self, page: object, url: httpx.URL) -> PageRequest | None:
        cursor = _get(page, self.next_cursor)
        if cursor is None or cursor == "" or _stop(page, self.has_more):
            return None
        if str(cursor) == url.params.get(self.cursor_param):
            return None
        return PageRequest(params={self.cursor_param: str(cursor)})


@dataclass(frozen=True)
class NextLinkPagination(Pagination):
    items: str = "data"
    next_link: str = "next"

    def next_request(self, page: object, url: httpx.URL) -> PageRequest | None:
        link = _get(page, self.next_link)
        if not link or url.join(str(link)) == url:
            return None
        return PageRequest(url=str(link))


@dataclass(frozen=True)
class _PageState:
    pagination: Pagination
    url: httpx.URL
    fetch: Callable[[PageRequest], Any] | None

    def __reduce__(self) -> tuple[Any, ...]:
        # Deep copies and pickles of a page keep its items but not the client.
        return (_PageState, (self.pagination, self.url, None))


class _BasePage(Generic[ItemT]):
    """The state and the pure half of a page; set by the client after decoding."""

    def _page_bind(self, state: _PageState) -> None:
        object.__setattr__(self, "_page_state", state)

    def _page_get_state(self) -> _PageState | None:
        state = self.__dict__.get("_page_state") if hasattr(self, "__dict__") else None
        return state if isinstance(state, _PageState) else None

    def _page_items(self) -> list[ItemT]:
        state = self._page_get_state()
        if state is None:
            return []
        return state.pagination.page_items(self)

    def _page_next_request(self) -> tuple[_PageState, PageRequest] | None:
        state = self._page_get_state()
        if state is None or state.fetch is None:
            return None
        request = state.pagination.next_request(self, state.url)
        return None if request is None else (state, request)

    def has_next_page(self) -> bool:
        """Whether the server has more items after this page."""
        return self._page_next_request() is not None


def page_decoder(page_class: type[_P]) -> Callable[[Any], _P]:
    """The ``cast`` of a paginated endpoint: ``page_class.from_dict`` typed as
    returning ``page_class`` (generated ``from_dict`` builds ``cls(...)`` but is
    annotated with the model's own name)."""
    from_dict: Callable[[Any], object] = getattr(page_class, "from_dict")

    def decode(data: Any) -> _P:
        page = from_dict(data)
        if not isinstance(page, page_class):
            raise TypeError(f"{page_class.__name__}.from_dict did not build a page")
        return page

    return decode
