"""A small FastAPI application with FastAPI's default operationIds (``<function>_<path>_<method>``):
items CRUD, a list response whose items sit in one array, errors in FastAPI's shapes.

Its OpenAPI document is ``app.openapi()``; tests generate a client from it and run the app with
uvicorn on 127.0.0.1."""

from __future__ import annotations

import enum

from fastapi import FastAPI, HTTPException
from pydantic import BaseModel


class Kind(enum.StrEnum):
    tool = "tool"
    toy = "toy"


class ItemIn(BaseModel):
    name: str
    kind: Kind
    description: str | None = None
    price: float | None = None


class ItemUpdate(BaseModel):
    name: str | None = None
    description: str | None = None


class Item(BaseModel):
    id: int
    object: str = "item"
    name: str
    kind: Kind
    description: str | None = None
    price: float | None = None


class ItemList(BaseModel):
    object: str = "list"
    data: list[Item]


def make_app() -> FastAPI:
    app = FastAPI(title="Shop API", version="1.0.0")
    items: dict[int, Item] = {}

    @app.get("/items", tags=["items"], response_model=ItemList)
    def read_items() -> ItemList:
        return ItemList(data=list(items.values()))

    @app.post("/items", tags=["items"], response_model=Item, status_code=201)
    def create_item(item: ItemIn) -> Item:
        new = Item(id=len(items) + 1, **item.model_dump())
        items[new.id] = new
        return new

    @app.get("/items/{item_id}", tags=["items"], response_model=Item, response_model_exclude_none=True)
    def read_item(item_id: int) -> Item:
        if item_id not in items:
            raise HTTPException(status_code=404, detail="Item not found")
        return items[item_id]

    @app.put("/items/{item_id}", tags=["items"], response_model=Item)
    def update_item(item_id: int, item: ItemUpdate) -> Item:
        if item_id not in items:
            raise HTTPException(status_code=404, detail="Item not found")
        changed = items[item_id].model_copy(update=item.model_dump(exclude_unset=True))
        items[item_id] = changed
        return changed

    @app.delete("/items/{item_id}", tags=["items"], status_code=204)
    def delete_item(item_id: int) -> None:
        if items.pop(item_id, None) is None:
            raise HTTPException(status_code=404, detail="Item not found")

    return app


app = make_app()
