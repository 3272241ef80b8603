"""A small real Swagger 2.0 server for tests/test_swagger2.py: a FastAPI app that serves a
hand-written Swagger 2.0 document and whose handlers take their inputs the way FastAPI parses
them (body models, multipart and urlencoded forms, repeated query keys, headers), recording
what they got in ``SEEN``."""

from __future__ import annotations

import base64
from typing import Any

from fastapi import FastAPI, File, Form, Header, HTTPException, Query, Request, UploadFile
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel

SEEN: list[tuple[str, Any]] = []
API_KEY = "k-123"
TOKEN = "tok-456"
USER, PASSWORD = "ann", "s3cret"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256))


def document(port: int) -> dict[str, Any]:
    """The Swagger 2.0 document the app serves (its host names the port it listens on)."""
    pet_ref = {"$ref": "#/definitions/Pet"}
    return {
        "swagger": "2.0",
        "info": {"title": "Live Pets", "version": "1.0"},
        "host": f"127.0.0.1:{port}",
        "basePath": "/api/v1",
        "schemes": ["http"],
        "consumes": ["application/json"],
        "produces": ["application/json"],
        "securityDefinitions": {
            "api_key": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
            "oauth": {"type": "oauth2", "flow": "password", "tokenUrl": f"http://127.0.0.1:{port}/token",
                      "scopes": {"pets:write": "change pets"}},
            "basic": {"type": "basic"},
        },
        "security": [{"api_key": []}],
        "paths": {
            "/pets": {
                "get": {
                    "operationId": "listPets", "tags": ["pets"],
                    "parameters": [
                        {"name": "tags", "in": "query", "type": "array", "items": {"type": "string"},
                         "collectionFormat": "multi", "required": True},
                        {"name": "limit", "in": "query", "type": "integer", "default": 10},
                    ],
                    "responses": {"200": {"description": "the pets", "schema": {"type": "array", "items": pet_ref}}},
                },
                "post": {
                    "operationId": "createPet", "tags": ["pets"],
                    "parameters": [{"name": "pet", "in": "body", "required": True,
                                    "schema": {"$ref": "#/definitions/NewPet"}}],
                    "responses": {"201": {"description": "created", "schema": pet_ref}},
                },
            },
            "/pets/batch": {
                "post": {
                    "operationId": "createPets", "tags": ["pets"],
                    "parameters": [{"name": "pets", "in": "body", "required": True,
                                    "schema": {"type": "array", "items": {"$ref": "#/definitions/NewPet"}}}],
                    "responses": {"200": {"description": "created", "schema": {"type": "array", "items": pet_ref}}},
                },
            },
            "/pets/{petId}": {
                "parameters": [{"$ref": "#/parameters/PetId"}],
                "get": {
                    "operationId": "getPet", "tags": ["pets"],
                    "responses": {"200": {"$ref": "#/responses/PetFound"},
                                  "404": {"description": "no such pet", "schema": {"$ref": "#/definitions/Error"}}},
                },
            },
            "/pets/{petId}/photo": {
                "post": {
                    "operationId": "uploadPhoto", "tags": ["photos"],
                    "security": [{"oauth": ["pets:write"]}],
                    "consumes": ["multipart/form-data"],
                    "parameters": [
                        {"$ref": "#/parameters/PetId"},
                        {"name": "photo", "in": "formData", "type": "file", "required": True},
                        {"name": "caption", "in": "formData", "type": "string"},
                    ],
                    "responses": {"200": {"description": "stored", "schema": {"$ref": "#/definitions/Photo"}}},
                },
                "get": {
                    "operationId": "downloadPhoto", "tags": ["photos"],
                    "parameters": [{"$ref": "#/parameters/PetId"}],
                    "produces": ["image/png"],
                    "responses": {"200": {"description": "the photo", "schema": {"type": "file"}}},
                },
            },
            "/login": {
                "post": {
                    "operationId": "login", "tags": ["session"],
                    "security": [{"basic": []}],
                    "consumes": ["application/x-www-form-urlencoded"],
                    "parameters": [
                        {"name": "device", "in": "formData", "type": "string", "required": True},
                        {"name": "remember", "in": "formData", "type": "boolean"},
                    ],
                    "responses": {"200": {"description": "a session", "schema": {"$ref": "#/definitions/Session"},
                                          "headers": {"X-Expires-In": {"type": "integer"}}}},
                },
            },
        },
        "parameters": {"PetId": {"name": "petId", "in": "path", "required": True, "type": "integer",
                                 "format": "int64"}},
        "responses": {"PetFound": {"description": "the pet", "schema": pet_ref}},
        "definitions": {
            "NewPet": {"type": "object", "required": ["name"],
                       "properties": {"name": {"type": "string"}, "tag": {"type": "string", "x-nullable": True}}},
            "Pet": {"allOf": [{"$ref": "#/definitions/NewPet"},
                              {"type": "object", "required": ["id"],
                               "properties": {"id": {"type": "integer", "format": "int64"}}}]},
            "Photo": {"type": "object", "required": ["size"],
                      "properties": {"size": {"type": "integer"}, "filename": {"type": "string"},
                                     "caption": {"type": "string", "x-nullable": True}}},
            "Session": {"type": "object", "required": ["user"],
                        "properties": {"user": {"type": "string"}, "device": {"type": "string"},
                                       "remember": {"type": "boolean"}}},
            "Error": {"type": "object", "properties": {"message": {"type": "string"}}},
        },
    }


class NewPet(BaseModel):
    name: str
    tag: str | None = None


app = FastAPI()
PORT: list[int] = []


def _api_key(value: str | None) -> None:
    if value != API_KEY:
        raise HTTPException(401, "bad api key")


@app.get("/swagger.json")
def swagger() -> dict[str, Any]:
    return document(PORT[0])


@app.get("/api/v1/pets")
def list_pets(tags: list[str] = Query(), limit: int = 10, x_api_key: str | None = Header(None)) -> Any:
    _api_key(x_api_key)
    SEEN.append(("listPets", {"tags": tags, "limit": limit}))
    return [{"id": i, "name": t, "tag": None} for i, t in enumerate(tags[:limit])]


@app.post("/api/v1/pets", status_code=201)
def create_pet(pet: NewPet, x_api_key: str | None = Header(None)) -> Any:
    _api_key(x_api_key)
    SEEN.append(("createPet", pet.model_dump()))
    return {"id": 7, **pet.model_dump()}


@app.post("/api/v1/pets/batch")
def create_pets(pets: list[NewPet], x_api_key: str | None = Header(None)) -> Any:
    _api_key(x_api_key)
    SEEN.append(("createPets", [p.model_dump() for p in pets]))
    return [{"id": i, **p.model_dump()} for i, p in enumerate(pets)]


@app.get("/api/v1/pets/{pet_id}")
def get_pet(pet_id: int, x_api_key: str | None = Header(None)) -> Any:
    _api_key(x_api_key)
    SEEN.append(("getPet", pet_id))
    if pet_id != 7:
        return JSONResponse({"message": f"no pet {pet_id}"}, status_code=404)
    return {"id": 7, "name": "Rex"}


@app.post("/api/v1/pets/{pet_id}/photo")
async def upload_photo(pet_id: int, photo: UploadFile = File(), caption: str | None = Form(None),
                       authorization: str | None = Header(None)) -> Any:
    if authorization != f"Bearer {TOKEN}":
        raise HTTPException(401, "bad token")
    data = await photo.read()
    SEEN.append(("uploadPhoto", {"pet_id": pet_id, "data": data, "filename": photo.filename, "caption": caption}))
    return {"size": len(data), "filename": photo.filename, "caption": caption}


@app.get("/api/v1/pets/{pet_id}/photo")
def download_photo(pet_id: int, x_api_key: str | None = Header(None)) -> Response:
    _api_key(x_api_key)
    SEEN.append(("downloadPhoto", pet_id))
    return Response(PNG, media_type="image/png")


@app.post("/api/v1/login")
async def login(request: Request, device: str = Form(), remember: bool = Form(False),
                authorization: str | None = Header(None)) -> Any:
    expected = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
    if authorization != expected:
        raise HTTPException(401, "bad credentials")
    SEEN.append(("login", {"device": device, "remember": remember,
                           "content_type": request.headers.get("content-type", "").split(";")[0]}))
    return JSONResponse({"user": USER, "device": device, "remember": remember}, headers={"X-Expires-In": "3600"})
