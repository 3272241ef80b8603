"""The model runtime (``_serde.Model`` + ``Codec``): what generated models rely on, exercised on
models declared here the way codegen declares them."""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib
import uuid
from types import ModuleType
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st


@pytest.fixture(scope="module")
def models(fakeapi: ModuleType) -> Any:
    serde = importlib.import_module(f"{fakeapi.__name__}._serde")
    NOT_GIVEN = importlib.import_module(f"{fakeapi.__name__}._types").NOT_GIVEN

    @dataclasses.dataclass(kw_only=True, slots=True)
    class Owner(serde.Model):
        login: str

    @dataclasses.dataclass(kw_only=True, slots=True)
    class Repo(serde.Model):
        id: uuid.UUID
        full_name: str
        kind: str
        created: dt.datetime | None
        owner: Owner | None = None
        topics: list[Owner] | None = None
        labels: dict[str, Owner] | None = None
        note: str | None = None
        self_: str | None = None

        _CODEC = serde.Codec(
            lambda: {
                "id": serde.UUID,
                "created": serde.DATETIME,
                "owner": Owner,
                "topics": serde.list_of(Owner),
                "labels": serde.map_of(Owner),
            },
            wire={"self_": "self", "full_name": 'full "name"\n'},
            consts={"kind": "repo"},
        )

    @dataclasses.dataclass(kw_only=True, slots=True)
    class Fork(Repo):
        parent: Repo | None = None

        _CODEC = serde.Codec(lambda: {"parent": Repo})

    class M:
        pass

    m = M()
    m.serde, m.NOT_GIVEN, m.Owner, m.Repo, m.Fork = serde, NOT_GIVEN, Owner, Repo, Fork
    return m


def test_decode_converts_renames_and_keeps_what_the_fields_cannot_hold(
    models: Any,
) -> None:
    d = {
        "id": "6f1c2a4e-0000-4000-8000-00000000002a",
        'full "name"\n': "a/b",
        "created": "2025-01-02T03:04:05Z",
        "owner": {"login": "x"},
        "topics": [{"login": "t"}, None],
        "labels": {"k": {"login": "l"}},
        "self": "https://x",
        "extra": [1],
        "owner_never_null": 1,
    }
    r = models.Repo.from_dict(d)
    assert r.id == uuid.UUID("6f1c2a4e-0000-4000-8000-00000000002a")
    assert r.full_name == "a/b" and r.self_ == "https://x"
    assert r.kind == "repo"  # a constant the server left out
    assert r.created == dt.datetime(2025, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
    assert r.owner == models.Owner(login="x")
    assert r.topics == [models.Owner(login="t"), None]
    assert r.labels == {"k": models.Owner(login="l")}
    assert (
        r.note is None and "note" not in r.model_fields_set
    )  # absent reads None, and is not null
    assert "self_" in r.model_fields_set and "owner" in r.model_fields_set
    assert r.additional_properties == {"extra": [1], "owner_never_null": 1}
    out = r.to_dict()
    assert out == {**d, "kind": "repo"}


def test_nulls(models: Any) -> None:
    r = models.Repo.from_dict(
        {
            "id": None,
            'full "name"\n': None,
            "created": None,
            "owner": None,
            "note": None,
        }
    )
    assert r.id is None and r.full_name is None and r.created is None and r.note is None
    # a null in an optional field reads None and is remembered: it goes back out as null
    assert (
        r.owner is None
        and r.additional_properties == {}
        and "owner" in r.model_fields_set
    )
    assert r.to_dict() == {
        "id": None,
        'full "name"\n': None,
        "created": None,
        "note": None,
        "owner": None,
        "kind": "repo",
    }


def test_required_fields_left_out_stay_left_out(models: Any) -> None:
    r = models.Repo.from_dict({})
    assert r.id is None and r.full_name is None and r.model_fields_set == frozenset()
    assert r.to_dict() == {"kind": "repo"}


def test_a_subclass_decodes_into_itself_with_its_base_fields(models: Any) -> None:
    base = models.Repo.from_dict(
        {"id": "6f1c2a4e-0000-4000-8000-00000000002a"}
    )  # the base compiles first
    f = models.Fork.from_dict(
        {"id": "6f1c2a4e-0000-4000-8000-00000000002a", "parent": {"kind": "repo"}}
    )
    assert type(f) is models.Fork and type(base) is models.Repo
    assert isinstance(f.parent, models.Repo) and f.id == base.id
    assert f.to_dict()["parent"] == {"kind": "repo"}
    assert models.Repo.from_dict({"parent": 1}).additional_properties == {"parent": 1}


def test_models_built_by_hand_encode(models: Any) -> None:
    r = models.Repo(id=uuid.UUID(int=1), full_name="a/b", kind="repo", created=None)
    assert r.to_dict() == {
        "id": str(uuid.UUID(int=1)),
        'full "name"\n': "a/b",
        "kind": "repo",
        "created": None,
    }
    assert models.Repo.from_dict(r.to_dict()) == r
    # the fields passed are remembered: None passed for an optional field is sent as null
    assert r.model_fields_set == {"id", "full_name", "kind", "created"}
    assert (
        models.Repo(
            id=uuid.UUID(int=1), full_name="a", kind="repo", created=None, note=None
        ).to_dict()["note"]
        is None
    )


def test_a_decoded_model_copies_compares_and_pickles(models: Any) -> None:
    import copy

    r = models.Repo.from_dict(
        {"id": "6f1c2a4e-0000-4000-8000-00000000002a", "owner": {"login": "x"}}
    )
    assert copy.deepcopy(r) == r and copy.copy(r) == r
    assert "Repo(" in repr(r)


_HEX = st.text("0123456789abcdefABCDEF", min_size=32, max_size=32)


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        _HEX.map(lambda h: f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"),
        _HEX,
        st.text(max_size=40),
        st.text("0123456789abcdef-_ +{}xurn:", max_size=40),
    )
)
def test_parse_uuid_is_uuid_UUID_or_the_value_unchanged(
    fakeapi: ModuleType, text: str
) -> None:
    serde = importlib.import_module(f"{fakeapi.__name__}._serde")
    try:
        expected: Any = uuid.UUID(text)
    except ValueError:
        expected = text
    got = serde.parse_uuid(text)
    assert got == expected and type(got) is type(expected)
    if isinstance(got, uuid.UUID):
        assert (
            str(got) == str(expected)
            and got.is_safe == expected.is_safe
            and hash(got) == hash(expected)
        )


def test_a_missing_required_field_beside_an_unknown_key_keeps_the_unknown_key(
    models: Any,
) -> None:
    r = models.Owner.from_dict({"nick": "x"})
    assert r.login is None and r.additional_properties == {"nick": "x"}
    r = models.Repo.from_dict(
        {
            "id": "6f1c2a4e-0000-4000-8000-00000000002a",
            'full "name"\n': "a",
            "created": None,
            "kind": "repo",
            "other": 1,
        }
    )
    assert r.additional_properties == {"other": 1}


def test_early_references_compile_once(models: Any) -> None:
    class_ = models.Fork
    decode = (
        class_.from_dict
    )  # taken before the first call, as an error map or a page decoder does
    encode = class_.to_dict
    first = decode({"id": "6f1c2a4e-0000-4000-8000-00000000002a"})
    compiled = dict(models.serde._COMPILED)
    for _ in range(3):
        assert decode({"id": "6f1c2a4e-0000-4000-8000-00000000002a"}) == first
        assert encode(first) == {
            "id": "6f1c2a4e-0000-4000-8000-00000000002a",
            "kind": "repo",
        }
    assert models.serde._COMPILED == compiled  # nothing compiled again
    assert class_.from_dict.__func__ is compiled[class_][0]
