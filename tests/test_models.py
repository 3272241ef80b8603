"""Generated models as a user meets them: open enums, formats, unions, maps, recursion, round trips."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from clients import generate_unformatted, import_generated

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def zoo(tmp_path_factory: pytest.TempPathFactory) -> Any:
    out = generate_unformatted(REPO / "tests" / "data" / "specs" / "schemas.yaml", tmp_path_factory.mktemp("zoo"),
                               "zoo")
    import_generated(out, "zoo")
    import importlib

    return importlib.import_module("zoo.models")


PET = {
    "kind": "cat", "color": "green", "born": "2024-02-29T12:30:00Z", "day": "2024-02-29",
    "photo": "aGVsbG8=", "tags": {"a": 1}, "nickname": None,
    "owner": {"type": "Company", "vat": "DE1"},
    "friend": {"kind": "dog", "color": "ultraviolet", "owner": {"type": "Person", "name": "Ann"}},
}


def test_round_trip_is_exact(zoo: Any) -> None:
    pet = zoo.Pet.from_dict(PET)
    assert json.loads(json.dumps(pet.to_dict())) == PET


def test_enums_are_open_and_plain_strings(zoo: Any) -> None:
    pet = zoo.Pet.from_dict(PET)
    assert pet.color is zoo.Color.GREEN and pet.color == "green"
    unknown = pet.friend.color  # a value the spec does not list: kept, readable, never an exception
    assert unknown == "ultraviolet" and unknown.value == "ultraviolet" and isinstance(unknown, zoo.Color)
    assert list(zoo.Color) == [zoo.Color.RED, zoo.Color.GREEN]
    assert json.dumps({"c": pet.color}) == '{"c": "green"}'


def test_formats_become_python_types(zoo: Any) -> None:
    pet = zoo.Pet.from_dict(PET)
    assert pet.born == dt.datetime(2024, 2, 29, 12, 30, tzinfo=dt.UTC)
    assert pet.day == dt.date(2024, 2, 29)
    assert pet.photo == b"hello"
    assert pet.to_dict()["born"] == "2024-02-29T12:30:00Z"


def test_discriminated_union_and_recursion(zoo: Any) -> None:
    pet = zoo.Pet.from_dict(PET)
    assert isinstance(pet.owner, zoo.Company) and pet.owner.vat == "DE1"
    assert isinstance(pet.friend, zoo.Pet) and isinstance(pet.friend.owner, zoo.Person)


def test_nullable_absent_and_extra_fields(zoo: Any) -> None:
    pet = zoo.Pet.from_dict({**PET, "new_field": [1]})
    assert pet.nickname is None and pet.additional_properties == {"new_field": [1]}
    absent = zoo.Pet.from_dict({"kind": "x", "color": "red"})
    assert absent.nickname is None and "nickname" not in absent.model_fields_set  # absent, not null
    assert pet.nickname is None and "nickname" in pet.model_fields_set  # null
    assert absent.to_dict() == {"kind": "x", "color": "red"}
    assert absent.born is None and absent.tags is None


def test_models_are_plain_dataclasses(zoo: Any) -> None:
    import dataclasses

    pet = zoo.Pet(kind="k", color=zoo.Color.RED)
    assert dataclasses.is_dataclass(pet) and pet.to_dict() == {"kind": "k", "color": "red"}
    with pytest.raises(TypeError):
        zoo.Pet("k", zoo.Color.RED)  # keyword-only: field order never matters


@pytest.fixture(scope="module")
def inherit(tmp_path_factory: pytest.TempPathFactory) -> Any:
    import importlib

    out = generate_unformatted(REPO / "tests" / "data" / "specs" / "inherit.yaml", tmp_path_factory.mktemp("inh"),
                               "inherit")
    import_generated(out, "inherit")
    return importlib.import_module("inherit.models")


def test_allof_of_a_named_model_becomes_a_subclass(inherit: Any) -> None:
    puppy = inherit.Puppy.from_dict({"name": "rex", "bark": True, "age": 1, "extra": 2})
    assert isinstance(puppy, inherit.Dog) and isinstance(puppy, inherit.Pet)
    assert (puppy.name, puppy.bark, puppy.age) == ("rex", True, 1)
    assert puppy.to_dict() == {"name": "rex", "bark": True, "age": 1, "extra": 2}
    shelter = inherit.Shelter(residents=[inherit.Dog(name="a", bark=False)], mascot=puppy)  # a Puppy is a Pet
    assert shelter.to_dict()["mascot"]["age"] == 1


def test_allof_that_changes_a_base_field_stays_flat(inherit: Any) -> None:
    """Odd makes the base's optional `tag` required: not a sound subclass, so it merges instead."""
    assert inherit.Odd.__mro__[1].__name__ == "Model"  # the runtime base, no generated model
    assert inherit.Odd.from_dict({"name": "a", "tag": "t"}).tag == "t"
