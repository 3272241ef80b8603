"""Request bodies (multipart, form) and binary responses."""

from __future__ import annotations

import hashlib
import io
import os
from pathlib import Path
from typing import Any

import pytest

from support.server import MockServer, Response

from .conftest import run

BLOB = bytes(range(256)) * 41 + b"\r\n--not-a-boundary\r\n" + os.urandom(3000)


def test_multipart_upload_from_bytes_is_byte_identical(
    client: Any, server: MockServer
) -> None:
    server.route("POST", "/files", Response.json({"id": "f1"}))
    assert client.files.upload(file=("report.pdf", BLOB), purpose="assistants") == {
        "id": "f1"
    }
    sent = server.last_request
    assert sent.headers["content-type"].startswith("multipart/form-data; boundary=")
    parts = {p.name: p for p in sent.multipart()}
    assert parts["purpose"].data == b"assistants" and parts["purpose"].filename is None
    assert parts["file"].filename == "report.pdf"
    assert parts["file"].content_type == "application/pdf"
    assert parts["file"].data == BLOB


def test_multipart_upload_from_path_and_file_object(
    client: Any, server: MockServer, tmp_path: Path
) -> None:
    server.route("POST", "/files", Response.json({"id": "f1"}))
    path = tmp_path / "data.bin"
    path.write_bytes(BLOB)
    client.files.upload(file=path, purpose="p")
    part = next(p for p in server.last_request.multipart() if p.name == "file")
    assert (part.filename, part.data) == ("data.bin", BLOB)

    with open(path, "rb") as handle:
        client.files.upload(file=handle, purpose="p")
    part = next(p for p in server.last_request.multipart() if p.name == "file")
    assert (part.filename, part.data) == ("data.bin", BLOB)

    stream = io.BytesIO(BLOB)
    client.files.upload(file=("x.csv", stream, "text/csv"), purpose="p")
    part = next(p for p in server.last_request.multipart() if p.name == "file")
    assert (part.filename, part.content_type, part.data) == ("x.csv", "text/csv", BLOB)


def test_multipart_retry_resends_the_same_bytes(
    client: Any, server: MockServer, tmp_path: Path
) -> None:
    server.route("POST", "/files", Response.json({"id": "f1"}))
    server.enqueue(Response.json({}, 503, headers={"retry-after-ms": "1"}))
    path = tmp_path / "data.bin"
    path.write_bytes(BLOB)
    client.files.upload(file=path, purpose="p")
    bodies = [
        next(p for p in r.multipart() if p.name == "file").data for r in server.requests
    ]
    assert bodies == [BLOB, BLOB]


def test_text_file_objects_are_refused(client: Any, tmp_path: Path) -> None:
    path = tmp_path / "t.txt"
    path.write_text("x")
    with open(path) as handle, pytest.raises(TypeError, match="binary"):
        client.files.upload(file=handle, purpose="p")


def test_form_urlencoded(client: Any, server: MockServer) -> None:
    server.route("POST", "/forms", Response(204))
    assert client.files.submit_form(name="a b&c", tags=["x", "y"], agree=True) is None
    sent = server.last_request
    assert sent.headers["content-type"] == "application/x-www-form-urlencoded"
    assert sent.form() == {"name": ["a b&c"], "tags": ["x", "y"], "agree": ["true"]}
    client.files.submit_form(name="n", extra_body={"more": 1})
    assert server.last_request.form() == {"name": ["n"], "more": ["1"]}


def test_binary_response_as_bytes_and_streamed(
    client: Any, server: MockServer, mod: Any, tmp_path: Path
) -> None:
    response = Response(
        200,
        (("Content-Type", "application/octet-stream"),),
        chunks=(BLOB[:5000], BLOB[5000:]),
    )
    server.route("GET", "/files/{id}/content", response)
    assert client.files.content("f1") == BLOB
    assert server.last_request.headers["accept"] == "*/*"

    with client.files.content_stream("f1") as download:
        assert isinstance(download, mod("_streaming").BinaryStream)
        digest = hashlib.sha256()
        for chunk in download.iter_bytes(1024):
            assert len(chunk) <= 1024
            digest.update(chunk)
    assert digest.digest() == hashlib.sha256(BLOB).digest()
    assert download.response.is_closed
    assert server.last_request.headers["accept"] == "application/octet-stream"

    target = tmp_path / "out.bin"
    with client.files.content_stream("f1") as download:
        download.write_to_file(target)
    assert target.read_bytes() == BLOB


def test_async_upload_and_download(make_client: Any, server: MockServer) -> None:
    server.route("POST", "/files", Response.json({"id": "f1"}))
    server.route("GET", "/files/{id}/content", Response(200, body=BLOB))

    async def main() -> bytes:
        async with make_client(async_=True) as c:
            await c.files.upload(file=("a.bin", BLOB), purpose="p")
            assert await c.files.content("f1") == BLOB
            async with await c.files.content_stream("f1") as download:
                return b"".join([chunk async for chunk in download.iter_bytes()])

    assert run(main()) == BLOB
    part = next(p for p in server.requests[0].multipart() if p.name == "file")
    assert (part.filename, part.data) == ("a.bin", BLOB)
