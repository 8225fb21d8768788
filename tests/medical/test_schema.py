"""The published JSON Schema of evaluation documents: well formed, fully described, and the
committed copy in ``docs/`` is the one the model generates.

Run this file as a script to regenerate the committed copy:
``python tests/medical/test_schema.py``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import attrs
import pytest

from custody.medical import DocumentError, Evaluation, json_schema

TITLE = "Istanbul Protocol medical evaluation (custody)"
SCHEMA_ID = "https://custody.example/schemas/medical-evaluation.schema.json"
COMMITTED = Path(__file__).resolve().parents[2] / "docs" / "medical-evaluation.schema.json"
REGENERATE = "python tests/medical/test_schema.py"


def generated() -> dict[str, Any]:
    return json_schema(Evaluation, title=TITLE, schema_id=SCHEMA_ID)


def schema_text() -> str:
    return json.dumps(generated(), indent=2, ensure_ascii=False) + "\n"


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return generated()


def object_schemas(schema: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every object schema by name: the root (``Evaluation``) and each object in ``$defs``."""
    objects = {"Evaluation": schema}
    objects.update({n: d for n, d in schema["$defs"].items() if d.get("type") == "object"})
    return objects


def refs(value: Any) -> list[str]:
    if isinstance(value, dict):
        found = [value["$ref"]] if "$ref" in value else []
        return found + [r for inner in value.values() for r in refs(inner)]
    if isinstance(value, list):
        return [r for inner in value for r in refs(inner)]
    return []


# -- shape --------------------------------------------------------------------------------------


def test_schema_names_its_dialect_id_and_title(schema: dict[str, Any]) -> None:
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == SCHEMA_ID
    assert schema["title"] == TITLE
    assert schema["type"] == "object"
    assert schema["additionalProperties"] is False


def test_root_lists_every_field_and_requires_those_without_default(
    schema: dict[str, Any],
) -> None:
    fields = attrs.fields(Evaluation)
    assert list(schema["properties"]) == [f.name for f in fields]
    assert schema["required"] == [f.name for f in fields if f.default is attrs.NOTHING]


def test_every_reference_resolves_to_a_definition(schema: dict[str, Any]) -> None:
    found = refs(schema)
    assert found
    assert all(r.startswith("#/$defs/") for r in found)
    assert {r.removeprefix("#/$defs/") for r in found} == set(schema["$defs"])


def test_every_object_is_closed_and_requires_only_its_own_properties(
    schema: dict[str, Any],
) -> None:
    for name, obj in object_schemas(schema).items():
        assert obj["additionalProperties"] is False, name
        assert set(obj["required"]) <= set(obj["properties"]), name


def test_every_definition_is_an_object_or_a_string_enumeration(schema: dict[str, Any]) -> None:
    for name, definition in schema["$defs"].items():
        if definition["type"] == "object":
            continue
        assert definition["type"] == "string", name
        values = definition["enum"]
        assert values, name
        assert all(isinstance(v, str) for v in values), name
        assert len(set(values)) == len(values), name


def test_field_types_follow_the_annotations(schema: dict[str, Any]) -> None:
    props = schema["properties"]
    assert props["evaluators"]["type"] == "array"
    assert props["evaluators"]["items"] == {"$ref": "#/$defs/Clinician"}
    assert props["overall_opinion"]["$ref"] == "#/$defs/OverallOpinion"
    assert props["context"]["$ref"] == "#/$defs/EvaluationContext"
    session = schema["$defs"]["Session"]["properties"]
    assert session["start"]["type"] == "string"
    assert session["start"]["format"] == "date-time"
    assert schema["$defs"]["Declaration"]["properties"]["made_on"]["format"] == "date"
    assert schema["$defs"]["PhysicalFinding"]["properties"]["count"]["type"] == "integer"
    assert schema["$defs"]["Photograph"]["properties"]["intimate"]["type"] == "boolean"


def test_sample_satisfies_the_schema(schema: dict[str, Any], doc: dict[str, Any]) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft202012Validator
    validator.check_schema(schema)
    errors = [f"{e.json_path}: {e.message}" for e in validator(schema).iter_errors(doc)]
    assert errors == []


@pytest.mark.parametrize(
    ("pointer_path", "value"),
    [(("colour",), "blue"), (("context",), "prison"), (("findings", 0, "count"), "three")],
)
def test_schema_refuses_what_the_reader_refuses(
    schema: dict[str, Any], doc: dict[str, Any], pointer_path: tuple[Any, ...], value: Any
) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    *parents, last = pointer_path
    target = doc
    for key in parents:
        target = target[key]
    target[last] = value
    assert not jsonschema.Draft202012Validator(schema).is_valid(doc)


def test_schema_and_reader_both_refuse_null_for_optional_fields(
    schema: dict[str, Any], doc: dict[str, Any]
) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    doc["restrictions_statement"] = None
    with pytest.raises(DocumentError):
        Evaluation.from_json(doc)
    assert not jsonschema.Draft202012Validator(schema).is_valid(doc)


# -- descriptions --------------------------------------------------------------------------------


def test_every_field_has_a_description(schema: dict[str, Any]) -> None:
    missing = [
        f"{name}.{field}"
        for name, obj in object_schemas(schema).items()
        for field, prop in obj["properties"].items()
        if not prop.get("description", "").strip()
    ]
    assert missing == [], (
        f"{len(missing)} fields have no description; add them to the Attributes: section of "
        f"their class docstring: {', '.join(missing)}"
    )


def test_every_definition_has_a_description(schema: dict[str, Any]) -> None:
    missing = [n for n, d in schema["$defs"].items() if not d.get("description", "").strip()]
    assert missing == [], f"give these classes a docstring summary: {', '.join(missing)}"


def descriptions(value: Any, where: str = "") -> list[tuple[str, str]]:
    if isinstance(value, dict):
        found = [(where, value["description"])] if "description" in value else []
        for key, inner in value.items():
            found += descriptions(inner, f"{where}/{key}")
        return found
    return []


def test_descriptions_are_single_spaced(schema: dict[str, Any]) -> None:
    spaced = [where for where, text in descriptions(schema) if "  " in text]
    assert spaced == []


def test_descriptions_come_from_the_docstrings(schema: dict[str, Any]) -> None:
    assert schema["properties"]["evaluation_id"]["description"] == "a random UUID."
    # A description continued on the next docstring line is joined into one line.
    commitment = schema["$defs"]["Subject"]["properties"]["identity_commitment"]["description"]
    assert commitment == (
        "SHA-256 commitment to the separate identity record (hexadecimal); proves who the "
        "person is later, without saying it now."
    )


# -- the committed copy -------------------------------------------------------------------------


def test_committed_schema_is_the_generated_one() -> None:
    assert COMMITTED.exists(), f"{COMMITTED} is missing; generate it with `{REGENERATE}`"
    committed = COMMITTED.read_text(encoding="utf-8")
    assert committed == schema_text(), (
        f"{COMMITTED.name} is out of date with the model; regenerate it with `{REGENERATE}`"
    )


if __name__ == "__main__":
    COMMITTED.write_text(schema_text(), encoding="utf-8")
    print(f"wrote {COMMITTED}")
