"""Decoding (and encoding) by what the spec says, on specs of our own:

- base-class discriminators: the OpenAPI 3.0.3 specification's own example (§4.7.25
  Discriminator Object: ``Pet`` with ``petType``, ``Cat``/``Dog``/``Lizard`` extending it with
  ``allOf``, ``mapping: {dog: Dog}``) and the payloads it gives: ``{"petType": "Cat", "name":
  "misty"}`` is a Cat, ``{"petType": "dog", "bark": "soft"}`` a Dog; everywhere the base type
  appears (fields, lists, maps, responses);
- constants (``enum`` of one value in 3.0, ``const`` in 3.1) filled in, sent, and still picking
  the union member, checked by a FastAPI server whose pydantic models require the tag;
- wildcard response media types (``*/*``, ``application/*``, ``text/*``) decoded by what a real
  server sends;
- number enums typed, nullable compositions in every position.
"""

from __future__ import annotations

import asyncio
import dataclasses
import importlib
import json
import os
import textwrap
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any, Literal

import pytest
from fastapi import Body, FastAPI
from pydantic import BaseModel, Field

from clients import generate_unformatted, import_generated
from support.messages import Response
from support.server import MockServer

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Any:
    out = generate_unformatted(REPO / "tests" / "data" / "specs" / "decoding.yaml",
                               tmp_path_factory.mktemp("decoding"), "decoding_spec")
    return _with_models(import_generated(out, "decoding_spec"))


SPEC_31 = """
openapi: 3.1.0
info: {title: Decoding 3.1, version: "1.0"}
paths:
  /shapes:
    post:
      operationId: createShape
      tags: [shapes]
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Shape'}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Shape'}
components:
  schemas:
    Circle:
      type: object
      required: [type, radius]
      properties:
        type: {const: circle}
        radius: {type: number}
    Square:
      type: object
      required: [type, side]
      properties:
        type: {type: string, const: square}
        side: {type: number}
    Shape:
      anyOf:
        - $ref: '#/components/schemas/Circle'
        - $ref: '#/components/schemas/Square'
    Note:
      type: object
      properties:
        kind: {const: note}
        text: {type: string}
    Nullables:
      type: object
      properties:
        oneOfField:
          oneOf:
            - $ref: '#/components/schemas/Circle'
            - $ref: '#/components/schemas/Square'
            - type: 'null'
        anyOfField:
          anyOf:
            - $ref: '#/components/schemas/Circle'
            - type: [string, 'null']
        allOfField:
          type: [object, 'null']
          allOf:
            - $ref: '#/components/schemas/Circle'
        items:
          type: array
          items:
            anyOf:
              - $ref: '#/components/schemas/Circle'
              - $ref: '#/components/schemas/Square'
              - type: 'null'
        values:
          type: object
          additionalProperties:
            oneOf:
              - $ref: '#/components/schemas/Circle'
              - type: 'null'
        level:
          type: number
          enum: [0.25, 0.5, 1]
"""


@pytest.fixture(scope="module")
def pkg31(tmp_path_factory: pytest.TempPathFactory) -> Any:
    folder = tmp_path_factory.mktemp("decoding31")
    spec = folder / "decoding31.yaml"
    spec.write_text(textwrap.dedent(SPEC_31))
    return _with_models(import_generated(generate_unformatted(spec, folder / "out", "decoding_spec31"),
                                         "decoding_spec31"))


def _with_models(package: Any) -> Any:
    importlib.import_module(package.__name__ + ".models")  # (imported lazily otherwise)
    return package


# -- base-class discriminators --------------------------------------------------------------------


def test_the_specifications_own_payloads(pkg: Any) -> None:
    m = pkg.models
    cat = m.Pet.from_dict({"petType": "Cat", "name": "misty"})
    assert type(cat) is m.Cat and cat.name == "misty" and cat.petType == "Cat"
    dog = m.Pet.from_dict({"petType": "dog", "bark": "soft"})  # by the explicit mapping
    assert type(dog) is m.Dog and dog.bark == "soft"
    lizard = m.Pet.from_dict({"petType": "Lizard", "lovesRocks": True})
    assert type(lizard) is m.Lizard and lizard.lovesRocks is True
    for payload in ({"petType": "Cat", "name": "misty"}, {"petType": "dog", "bark": "soft"}):
        assert m.Pet.from_dict(payload).to_dict() == payload  # round trip through the subtype
        assert m.Pet.from_dict(payload).additional_properties == {}


def test_subtypes_of_subtypes_and_unknown_tags(pkg: Any) -> None:
    m = pkg.models
    puppy = m.Pet.from_dict({"petType": "Puppy", "bark": "yip", "ageWeeks": 8})
    assert type(puppy) is m.Puppy and puppy.ageWeeks == 8 and isinstance(puppy, m.Dog)
    assert type(m.Dog.from_dict({"petType": "Puppy", "ageWeeks": 8})) is m.Puppy
    # a tag the spec does not know: the base class keeps what it cannot hold
    other = m.Pet.from_dict({"petType": "Hamster", "wheel": True})
    assert type(other) is m.Pet and other.additional_properties == {"wheel": True}
    # a subtype never decodes as its sibling
    assert type(m.Cat.from_dict({"petType": "dog", "name": "x"})) is m.Cat


SHELTER = {
    "name": "Happy Tails",
    "resident": {"petType": "dog", "bark": "woof"},
    "residents": [{"petType": "Cat", "name": "misty"}, {"petType": "Lizard", "lovesRocks": False}],
    "byName": {"rex": {"petType": "Puppy", "ageWeeks": 3}},
    "rating": 4.5,
    "weights": [0.5, 2],
}


def test_everywhere_the_base_type_appears(pkg: Any) -> None:
    m = pkg.models
    shelter = m.Shelter.from_dict(SHELTER)
    assert type(shelter.resident) is m.Dog
    assert [type(p) for p in shelter.residents] == [m.Cat, m.Lizard]
    assert type(shelter.byName["rex"]) is m.Puppy
    assert shelter.to_dict() == SHELTER


@pytest.fixture
def server() -> Iterator[MockServer]:
    with MockServer() as s:
        yield s


def test_responses_decode_the_subtype(pkg: Any, server: MockServer) -> None:
    server.route("GET", "/pets/{id}", Response.json({"petType": "dog", "bark": "soft"}))
    server.route("GET", "/pets", Response.json([{"petType": "Cat", "name": "misty"}, {"petType": "Puppy"}]))
    with pkg.Client(base_url=server.url) as client:
        assert type(client.pets.retrieve("1")) is pkg.models.Dog
        assert [type(p) for p in client.pets.list()] == [pkg.models.Cat, pkg.models.Puppy]

    async def main() -> None:
        async with pkg.AsyncClient(base_url=server.url) as client:
            assert type(await client.pets.retrieve("1")) is pkg.models.Dog

    asyncio.run(main())


# -- wildcard media types -------------------------------------------------------------------------


def test_star_star_with_a_json_body_decodes_by_the_schema(pkg: Any, server: MockServer) -> None:
    server.route("GET", "/shelters/{id}", Response.json(SHELTER))
    with pkg.Client(base_url=server.url) as client:
        shelter = client.shelters.retrieve("1")
    assert isinstance(shelter, pkg.models.Shelter) and type(shelter.resident) is pkg.models.Dog


def test_star_star_with_another_body_is_bytes(pkg: Any, server: MockServer) -> None:
    server.route("GET", "/shelters/{id}", Response(200, [("content-type", "application/pdf")], b"%PDF-1.7"))
    with pkg.Client(base_url=server.url) as client:
        assert client.shelters.retrieve("1") == b"%PDF-1.7"


def test_application_star_with_a_json_suffix_type(pkg: Any, server: MockServer) -> None:
    body = json.dumps({"total": 3}).encode()
    server.route("GET", "/shelters/{id}/report", Response(200, [("content-type", "application/vnd.report+json")], body))
    with pkg.Client(base_url=server.url) as client:
        assert client.shelters.retrieve_report("1") == pkg.models.Report(total=3)


def test_text_star_is_text_unless_json(pkg: Any, server: MockServer) -> None:
    server.route("GET", "/shelters/{id}/note", Response(200, [("content-type", "text/plain; charset=utf-8")],
                                                        b"all good"))
    with pkg.Client(base_url=server.url) as client:
        assert client.shelters.retrieve_note("1") == "all good"
    server.route("GET", "/shelters/{id}/note", Response.json({"total": 7}))
    with pkg.Client(base_url=server.url) as client:
        assert client.shelters.retrieve_note("1") == pkg.models.Report(total=7)


# -- number enums ---------------------------------------------------------------------------------


def test_number_enums_are_typed(pkg: Any, pkg31: Any) -> None:
    fields = {f.name: f.type for f in dataclasses.fields(pkg.models.Shelter)}
    assert fields["rating"] == "float | None" and fields["weights"] == "list[float] | None"
    levels = {f.name: f.type for f in dataclasses.fields(pkg31.models.Nullables)}
    assert levels["level"] == "float | None"
    assert pkg.models.Shelter.from_dict(SHELTER).rating == 4.5


# -- nullable compositions ------------------------------------------------------------------------

NULLS = {"oneOfField": None, "anyOfField": None, "allOfField": None, "items": [None, {"type": "square", "side": 1}],
         "values": {"a": None, "b": {"total": 1}}}
NULLS_31 = {"oneOfField": None, "anyOfField": None, "allOfField": None, "items": [None, {"type": "square", "side": 1}],
            "values": {"a": None, "b": {"type": "circle", "radius": 1}}}


@pytest.mark.parametrize("which", ["3.0 nullable", "3.1 type null"])
def test_null_is_kept_in_every_composition(pkg: Any, pkg31: Any, which: str) -> None:
    m, payload = (pkg.models, NULLS) if which == "3.0 nullable" else (pkg31.models, NULLS_31)
    value = m.Nullables.from_dict(payload)
    assert value.oneOfField is None and value.anyOfField is None and value.allOfField is None
    assert value.items[0] is None and type(value.items[1]) is m.Square
    assert value.values["a"] is None
    assert value.additional_properties == {}  # no null was treated as an unknown property
    assert value.to_dict() == payload
    hints = {f.name: f.type for f in dataclasses.fields(m.Nullables)}
    for name in ("oneOfField", "anyOfField", "allOfField"):
        assert "None" in hints[name], hints[name]


# -- constants --------------------------------------------------------------------------------------


def test_constants_default_in_models(pkg: Any, pkg31: Any) -> None:
    for m in (pkg.models, pkg31.models):
        assert m.Circle(radius=1).to_dict() == {"type": "circle", "radius": 1}
        assert m.Square(side=2).to_dict() == {"type": "square", "side": 2}


def test_an_optional_constant_is_sent_and_decoded_data_stays_as_it_came(pkg31: Any) -> None:
    m = pkg31.models
    assert m.Note(text="hi").to_dict() == {"kind": "note", "text": "hi"}
    assert m.Note.from_dict({"text": "hi"}).to_dict() == {"text": "hi"}
    assert m.Note.from_dict({"kind": "note"}).kind == "note"


@pytest.mark.parametrize("which", ["3.0 enum of one", "3.1 const"])
def test_constants_pick_the_union_member(pkg: Any, pkg31: Any, which: str) -> None:
    m = pkg.models if which == "3.0 enum of one" else pkg31.models
    # both members' required fields are present: only the tag tells them apart
    both = {"radius": 1, "side": 1}
    assert type(m.decode_Shape({"type": "square", **both})) is m.Square
    assert type(m.decode_Shape({"type": "circle", **both})) is m.Circle


class _Uvicorn:
    """A FastAPI app served by uvicorn on 127.0.0.1 in a thread."""

    def __init__(self, app: Any) -> None:
        import uvicorn

        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="error",
                                                    lifespan="off"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            assert time.monotonic() < deadline, "uvicorn did not start"
            time.sleep(0.01)
        port = self.server.servers[0].sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}"

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


class PCircle(BaseModel):
    type: Literal["circle"]
    radius: float


class PSquare(BaseModel):
    type: Literal["square"]
    side: float


PShape = Annotated[PCircle | PSquare, Field(discriminator="type")]


def _shapes_app() -> FastAPI:
    """Parses bodies as pydantic does: the ``type`` tag is required and picks the model."""
    app = FastAPI()

    @app.post("/shapes")
    def create_shape(shape: PShape = Body(...)) -> dict[str, Any]:
        return {**shape.model_dump(), "parsedAs": type(shape).__name__[1:]}

    @app.post("/circles")
    def create_circle(circle: PCircle) -> dict[str, Any]:
        return {**circle.model_dump(), "parsedAs": "Circle"}

    return app


@pytest.fixture(scope="module")
def shapes_server() -> Iterator[str]:
    with _Uvicorn(_shapes_app()) as url:
        yield url


def test_constants_are_sent_without_the_user_passing_them(pkg: Any, shapes_server: str) -> None:
    m = pkg.models
    with pkg.Client(base_url=shapes_server) as client:
        circle = client.shapes.create_circle(radius=2)  # no type= : the method fills it in
        assert type(circle) is m.Circle and circle.additional_properties == {"parsedAs": "Circle"}
        square = client.shapes.create(body=m.Square(side=3))
        assert type(square) is m.Square and square.additional_properties == {"parsedAs": "Square"}
        circle2 = client.shapes.create(body=m.Circle(radius=1))
        assert type(circle2) is m.Circle and circle2.additional_properties["parsedAs"] == "Circle"


def test_constants_with_31_const(pkg31: Any, shapes_server: str) -> None:
    m = pkg31.models

    async def main() -> None:
        async with pkg31.AsyncClient(base_url=shapes_server) as client:
            square = await client.shapes.create(body=m.Square(side=3))
            assert type(square) is m.Square and square.additional_properties == {"parsedAs": "Square"}

    asyncio.run(main())


def test_generated_packages_pass_mypy_strict(tmp_path: Path) -> None:
    """The new shapes of generated code (subtype tables, wildcard responses, constants as
    defaults, operation servers) type-check: the decoding specs and the servers spec."""
    import subprocess
    import sys

    import test_servers

    (tmp_path / "servers.yaml").write_text(textwrap.dedent(test_servers.SPEC) % {"a": 1, "b": 2, "c": 3, "d": 4})
    (tmp_path / "d31.yaml").write_text(textwrap.dedent(SPEC_31))
    specs = {"mypy_decoding": REPO / "tests" / "data" / "specs" / "decoding.yaml",
             "mypy_decoding31": tmp_path / "d31.yaml", "mypy_servers": tmp_path / "servers.yaml"}
    codegen = str(Path(sys.executable).parent / "codegen")
    for package, spec in specs.items():
        r = subprocess.run([codegen, "generate", str(spec), "--out", str(tmp_path / package), "--package", package],
                           capture_output=True, text=True, cwd=REPO)
        assert r.returncode == 0, r.stderr
    args = [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path / "cache")]
    for package in specs:
        args += ["-p", package]
    env = {**os.environ, "MYPYPATH": os.pathsep.join(str(tmp_path / p) for p in specs)}
    r = subprocess.run(args, cwd=tmp_path, capture_output=True, text=True, env=env)
    assert r.returncode == 0, r.stdout[-3000:]
