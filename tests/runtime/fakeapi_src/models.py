# Hand-written stand-in for generated models (same shape as codegen's output).
from __future__ import annotations

import dataclasses as _dc
from typing import Any, Mapping

from ._pagination import AsyncPage, SyncPage
from ._types import NOT_GIVEN, NotGiven

__all__ = [
    "Workspace",
    "ListWorkspacesResponse",
    "ListWorkspacesPage",
    "AsyncListWorkspacesPage",
    "CursorWorkspacesResponse",
    "CursorWorkspacesPage",
    "AsyncCursorWorkspacesPage",
    "LinkWorkspacesResponse",
    "LinkWorkspacesPage",
    "AsyncLinkWorkspacesPage",
    "DeleteResponse",
    "ErrorDetail",
    "ErrorResponse",
    "ChatChunk",
]


@_dc.dataclass(kw_only=True, slots=True)
class Workspace:
    id: str
    name: str
    description: str | None | NotGiven = NOT_GIVEN

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Workspace:
        return cls(
            id=d["id"],
            name=d["name"],
            description=d.get("description", NOT_GIVEN),
        )

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"id": self.id, "name": self.name}
        if not isinstance(self.description, NotGiven):
            d["description"] = self.description
        return d


@_dc.dataclass(kw_only=True, slots=True)
class ListWorkspacesResponse:
    data: list[Workspace]
    total_count: int

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> ListWorkspacesResponse:
        return cls(
            data=[Workspace.from_dict(x) for x in d["data"]],
            total_count=d["total_count"],
        )


class ListWorkspacesPage(ListWorkspacesResponse, SyncPage[Workspace]):
    pass


class AsyncListWorkspacesPage(ListWorkspacesResponse, AsyncPage[Workspace]):
    pass


@_dc.dataclass(kw_only=True, slots=True)
class CursorWorkspacesResponse:
    data: list[Workspace]
    next_cursor: str | None

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> CursorWorkspacesResponse:
        return cls(
            data=[Workspace.from_dict(x) for x in d["data"]],
            next_cursor=d["next_cursor"],
        )


class CursorWorkspacesPage(CursorWorkspacesResponse, SyncPage[Workspace]):
    pass


class AsyncCursorWorkspacesPage(CursorWorkspacesResponse, AsyncPage[Workspace]):
    pass


@_dc.dataclass(kw_only=True, slots=True)
class LinkWorkspacesResponse:
    data: list[Workspace]
    next: str | None

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> LinkWorkspacesResponse:
        return cls(
            data=[Workspace.from_dict(x) for x in d["data"]],
            next=d.get("next"),
        )


class LinkWorkspacesPage(LinkWorkspacesResponse, SyncPage[Workspace]):
    pass


class AsyncLinkWorkspacesPage(LinkWorkspacesResponse, AsyncPage[Workspace]):
    pass


@_dc.dataclass(kw_only=True, slots=True)
class DeleteResponse:
    deleted: bool

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> DeleteResponse:
        return cls(deleted=d["deleted"])


@_dc.dataclass(kw_only=True, slots=True)
class ErrorDetail:
    code: int
    message: str

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> ErrorDetail:
        return cls(code=d["code"], message=d["message"])


@_dc.dataclass(kw_only=True, slots=True)
class ErrorResponse:
    error: ErrorDetail

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> ErrorResponse:
        return cls(error=ErrorDetail.from_dict(d["error"]))


@_dc.dataclass(kw_only=True, slots=True)
class ChatChunk:
    id: str
    delta: str

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> ChatChunk:
        return cls(id=d["id"], delta=d["delta"])
