# unasync: async only
# _sync_pagination.py is derived from this file by codegen (generator/emit/unasync.py).
# unasync: end
"""``AsyncPage``: the asynchronous page's I/O, fetching the pages that follow.

``_pagination`` holds the rest (the strategies, the page's state and its pure
half ``_BasePage``) and hands this class out, so generated code imports it
from there.
"""

from __future__ import annotations

from typing import Any, AsyncIterator, TypeVar

from ._pagination import ItemT, _BasePage

__all__ = ["AsyncPage"]

_PageT = TypeVar("_PageT", bound="AsyncPage[Any]")


class AsyncPage(_BasePage[ItemT]):
    """Mixin for a paginated response model returned by the asynchronous client."""

    async def next_page(self: _PageT) -> _PageT:
        """Fetch the next page; ``RuntimeError`` when ``has_next_page()`` is false."""
        found = self._page_next_request()
        if found is None:
            raise RuntimeError("there is no next page; check has_next_page() first")
        state, request = found
        assert state.fetch is not None
        page: _PageT = await state.fetch(request)
        return page

    async def iter_pages(self: _PageT) -> AsyncIterator[_PageT]:
        """This page and each following one, fetched as needed."""
        page = self
        while True:
            yield page
            if not page.has_next_page():
                return
            page = await page.next_page()

    async def __aiter__(self) -> AsyncIterator[ItemT]:
        async for page in self.iter_pages():
            for item in page._page_items():
                yield item
