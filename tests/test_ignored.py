"""Nothing dropped silently: every part of a spec that does not become code is a note (or a
warning where the client behaves differently from what the spec says) naming its file, JSON
pointer and line, reported once per location and counted in the build's summary line."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from generator.load.loader import Spec
from generator.model.build import build_api

REPO = Path(__file__).resolve().parent.parent

SPEC_30 = """\
openapi: 3.0.3
info: {title: Ignored, version: "1"}
servers: [{url: "https://api.example"}]
paths:
  /pets:
    servers: [{url: "https://pets.example"}]
    get:
      operationId: listPets
      parameters:
        - {name: Accept, in: header, schema: {type: string}}
      responses:
        "200": {$ref: "#/components/responses/Pets"}
    post:
      operationId: createPet
      servers: [{url: "https://write.example"}]
      requestBody:
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Pet"}
          application/xml:
            schema: {$ref: "#/components/schemas/Pet"}
      responses:
        "201": {$ref: "#/components/responses/Pets"}
  /pets/{id}/photo:
    put:
      operationId: putPhoto
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      requestBody:
        content:
          multipart/form-data:
            schema:
              type: object
              properties:
                photo: {type: string, format: binary}
            encoding:
              photo: {contentType: image/png}
      responses:
        "204":
          description: stored
          links:
            GetPet: {operationId: listPets}
components:
  responses:
    Pets:
      description: pets
      content:
        application/json:
          schema: {type: array, items: {$ref: "#/components/schemas/Pet"}}
        application/xml:
          schema: {type: array, items: {$ref: "#/components/schemas/Pet"}}
  schemas:
    Pet:
      type: object
      xml: {name: pet}
      discriminator: {propertyName: kind}
      properties:
        kind: {type: string}
        nickname: {type: string, x-nullable: true}
        legacy: {type: string, nullable: true, x-nullable: true}
"""

SPEC_31 = """\
openapi: 3.1.0
jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema"
info: {title: Ignored31, version: "1"}
servers: [{url: "https://api.example"}]
paths:
  /points:
    get:
      operationId: getPoint
      responses:
        "200":
          description: a point
          content:
            application/json:
              schema:
                type: object
                properties:
                  xy: {type: array, prefixItems: [{type: number}, {type: number}]}
                  blob: {type: string, contentEncoding: base64, contentMediaType: image/png}
"""


def line_of(text: str, needle: str, nth: int = 1) -> int:
    lines = [i + 1 for i, ln in enumerate(text.splitlines()) if needle in ln]
    return lines[nth - 1]


def findings(tmp_path: Path, text: str) -> dict[tuple[str, str], tuple[str, int | None]]:
    spec_path = tmp_path / "spec.yaml"
    spec_path.write_text(text, encoding="utf-8")
    result = build_api(Spec(spec_path), "ignored_pkg", spec_path.name)
    assert result.api is not None
    found: dict[tuple[str, str], tuple[str, int | None]] = {}
    for d in result.diagnostics:
        if d.code.startswith("ignored."):
            key = (d.code, d.pointer)
            assert key not in found, f"reported twice: {key}"
            found[key] = (str(d.severity), d.line)
    return found


def test_each_ignored_part_of_a_30_spec_is_reported_once_where_it_is(tmp_path: Path) -> None:
    found = findings(tmp_path, SPEC_30)
    t = SPEC_30
    assert found == {
        ("ignored.servers", "/paths/~1pets/servers"): ("warning", line_of(t, "pets.example")),
        ("ignored.servers", "/paths/~1pets/post/servers"): ("warning", line_of(t, "write.example")),
        ("ignored.header", "/paths/~1pets/get/parameters/0"): ("note", line_of(t, "name: Accept")),
        ("ignored.media-type", "/paths/~1pets/post/requestBody/content"): ("note", line_of(t, "application/json", 1)),
        # one shared response, referenced twice: one note, where it is
        ("ignored.media-type", "/components/responses/Pets/content"): ("note", line_of(t, "application/json", 2)),
        ("ignored.encoding", "/paths/~1pets~1{id}~1photo/put/requestBody/content/multipart~1form-data/encoding"):
            ("note", line_of(t, "photo: {contentType")),
        ("ignored.links", "/paths/~1pets~1{id}~1photo/put/responses/204/links"): ("note", line_of(t, "GetPet:")),
        ("ignored.xml", "/components/schemas/Pet/xml"): ("note", line_of(t, "xml: {name: pet}")),
        ("ignored.discriminator", "/components/schemas/Pet/discriminator"): ("note", line_of(t, "discriminator:")),
        # only where it changes the type: ``legacy`` is nullable anyway
        ("ignored.x-nullable", "/components/schemas/Pet/properties/nickname/x-nullable"):
            ("warning", line_of(t, "nickname:")),
    }


def test_each_ignored_part_of_a_31_spec_is_reported(tmp_path: Path) -> None:
    found = findings(tmp_path, SPEC_31)
    base = "/paths/~1points/get/responses/200/content/application~1json/schema/properties"
    assert set(found) == {
        ("ignored.dialect", "/jsonSchemaDialect"),
        ("ignored.prefix-items", f"{base}/xy/prefixItems"),
        ("ignored.content-encoding", f"{base}/blob/contentEncoding"),
        ("ignored.content-media-type", f"{base}/blob/contentMediaType"),
    }
    assert all(severity == "note" and line is not None for severity, line in found.values())


def test_the_summary_line_counts_what_was_printed(tmp_path: Path) -> None:
    spec_path = tmp_path / "spec.yaml"
    spec_path.write_text(SPEC_30, encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "generator.cli", "generate", str(spec_path), "--out",
                        str(tmp_path / "out")], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    notes = len(re.findall(r": note\[", r.stderr))
    warnings = len(re.findall(r": warning\[", r.stderr))
    assert notes >= 7 and warnings >= 3
    assert f"; {warnings} warnings, {notes} notes;" in r.stdout, r.stdout
    # each printed finding names the file, line and pointer
    for line in r.stderr.splitlines():
        if "[ignored." in line:
            assert re.match(rf"{re.escape(str(spec_path))}:\d+: (note|warning)\[ignored\.[\w.-]+\]: .+ \(at #/.+\)$",
                            line), line
