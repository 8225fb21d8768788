"""Evaluation documents as JSON: the reader reports every problem at once with its JSON
Pointer, the writer gives one normal form, and no input crashes the reader."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from custody.errors import CustodyError, InvalidInput
from custody.medical import (
    SAMPLE_SUBJECT_ID,
    DocumentError,
    Evaluation,
    FieldProblem,
    IdentityRecord,
    InconsistentFields,
    read_document,
    sample_evaluation,
    validate,
)
from custody.medical._documents import pointer_to
from custody.medical._fields import refuse_inconsistencies
from medical.conftest import (
    IDENTITY_COMMITMENT,
    PHOTOS,
    PHYSICIAN_KEY,
    PSYCHOLOGIST_KEY,
    remove_at,
    sample_case,
    sample_document,
    set_at,
)

Doc = dict[str, Any]


def read_problems(doc: Any) -> dict[str, str]:
    """``{pointer: message}`` of every problem reading ``doc`` (which must fail)."""
    with pytest.raises(DocumentError) as caught:
        Evaluation.from_json(doc)
    return {p.pointer: p.message for p in caught.value.problems}


# -- the sample and the normal form ----------------------------------------------------------


def test_sample_reads(doc: Doc) -> None:
    evaluation = Evaluation.from_json(doc)
    assert evaluation.evaluation_id == doc["evaluation_id"]
    assert [f.finding_id for f in evaluation.findings] == ["F1", "F2", "F3", "F4", "F5"]


def test_sample_round_trips(doc: Doc) -> None:
    evaluation = Evaluation.from_json(doc)
    assert Evaluation.from_json(evaluation.to_json()) == evaluation


def test_normal_form_is_stable(doc: Doc) -> None:
    written = Evaluation.from_json(doc).to_json()
    assert Evaluation.from_json(written).to_json() == written
    assert json.loads(json.dumps(written)) == written  # plain JSON values only


def test_reading_leaves_the_document_untouched(doc: Doc) -> None:
    before = copy.deepcopy(doc)
    Evaluation.from_json(doc)
    assert doc == before


def test_normal_form_omits_defaults_and_writes_utc(doc: Doc) -> None:
    written = Evaluation.from_json(doc).to_json()
    assert "diagnostic_tests" not in written  # an empty list is the default
    assert "independent_of_self_report" not in written["findings"][2]  # False is the default
    assert written["sessions"][0]["start"] == "2026-03-02T09:15:00.000Z"


def test_null_for_an_optional_field_is_refused_in_favour_of_leaving_it_out(doc: Doc) -> None:
    doc["restrictions_statement"] = None
    assert read_problems(doc) == {
        "/restrictions_statement": "must not be null (leave an optional field out instead)"
    }


def test_sample_documents_share_no_mutable_parts() -> None:
    def fresh() -> Doc:
        return sample_evaluation(
            physician_key=PHYSICIAN_KEY,
            psychologist_key=PSYCHOLOGIST_KEY,
            identity_commitment=IDENTITY_COMMITMENT,
            photos=PHOTOS,
        )

    first = fresh()
    first["consents"][0]["informed"]["purpose_explained"] = False
    try:
        assert fresh()["consents"][0]["informed"]["purpose_explained"] is True
        assert first["consents"][1]["informed"]["purpose_explained"] is True
    finally:
        first["consents"][0]["informed"]["purpose_explained"] = True  # repair the module


# -- every problem at once --------------------------------------------------------------------


def test_malformed_document_reports_every_problem_with_its_pointer(doc: Doc) -> None:
    doc["colour"] = "blue"  # unknown field
    set_at(doc, "/evaluation_id", "not-a-uuid")
    set_at(doc, "/context", "prison")  # unknown enumeration value
    remove_at(doc, "/subject/languages")  # missing required field
    set_at(doc, "/interpreters/0/languages", "ar")  # wrong type: not an array
    set_at(doc, "/sessions/0/start", "2026-03-02T10:15:00")  # no UTC offset
    set_at(doc, "/sessions/1/end", "2026-03-03T08:00:00+01:00")  # before its start
    set_at(doc, "/findings/0/count", "three")  # wrong type: not an integer
    remove_at(doc, "/findings/1/lesion_type")  # a lesion without its type
    set_at(doc, "/findings/2/size/length_mm", 0)  # nested, out of range
    set_at(doc, "/findings/3/kind", "lesion")  # a lesion without its size
    set_at(doc, "/findings/3/lesion_type", "abrasion")
    set_at(doc, "/photographs/0/intimate", "no")  # wrong type: not a boolean

    found = read_problems(doc)

    assert set(found) == {
        "/colour",
        "/evaluation_id",
        "/context",
        "/subject/languages",
        "/interpreters/0/languages",
        "/sessions/0/start",
        "/sessions/1/end",
        "/findings/0/count",
        "/findings/1/lesion_type",
        "/findings/2/size/length_mm",
        "/findings/3/size",
        "/photographs/0/intimate",
    }
    assert found["/colour"] == "is not a field of this object"
    assert "not a random UUID" in found["/evaluation_id"]
    assert found["/subject/languages"] == "is required"
    assert found["/interpreters/0/languages"] == "must be an array"
    assert "UTC offset" in found["/sessions/0/start"]
    assert found["/sessions/1/end"] == "must not be before start"
    assert found["/findings/0/count"] == "must be an integer"
    assert found["/findings/1/lesion_type"] == "a lesion needs its type"
    assert found["/findings/2/size/length_mm"] == "must be from 1 to 3000"
    assert "size_not_measurable_reason" in found["/findings/3/size"]
    assert found["/photographs/0/intimate"] == "must be true or false"


def test_unknown_enumeration_value_names_the_allowed_values(doc: Doc) -> None:
    set_at(doc, "/context", "prison")
    message = read_problems(doc)["/context"]
    assert message.startswith("'prison' is not one of: ")
    allowed = message.removeprefix("'prison' is not one of: ").split(", ")
    assert allowed == [
        "custodial",
        "extra_custodial",
        "post_release",
        "asylum",
        "npm_visit",
        "clinical_care",
        "human_rights_investigation",
    ]


def test_unknown_value_in_a_list_of_enumeration_members_points_at_the_entry(doc: Doc) -> None:
    set_at(doc, "/findings/0/colours/1", "turquoise")
    assert list(read_problems(doc)) == ["/findings/0/colours/1"]


def test_document_error_names_the_first_problems_in_its_message(doc: Doc) -> None:
    for n in range(7):
        doc[f"extra{n}"] = n
    with pytest.raises(DocumentError) as caught:
        Evaluation.from_json(doc)
    error = caught.value
    assert isinstance(error, InvalidInput)
    assert isinstance(error, CustodyError)
    assert str(error).startswith("evaluation: 7 problems: /extra")
    assert str(error).endswith("(and 2 more)")
    assert len(error.problems) == 7


_REMOVE = object()  # in a change below: delete the field


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        pytest.param(
            {
                "/sessions/0/end": "2026-03-02T10:00:00+01:00",
                "/sessions/0/limitation_note": _REMOVE,
            },
            {
                "/sessions/0/end": "must not be before start",
                "/sessions/0/limitation_note": "say what limited the time",
            },
            id="session",
        ),
        pytest.param(
            {"/findings/1/lesion_type": _REMOVE, "/findings/1/size": _REMOVE},
            {
                "/findings/1/lesion_type": "a lesion needs its type",
                "/findings/1/size": "a lesion needs its size, or size_not_measurable_reason",
            },
            id="physical finding",
        ),
        pytest.param(
            {
                "/consents/1/limits": _REMOVE,
                "/consents/1/withdrawn_at": "2026-03-02T10:00:00+01:00",
            },
            {
                "/consents/1/limits": "say what the limits are",
                "/consents/1/withdrawn_at": "must not be before obtained_at",
            },
            id="consent",
        ),
        # An approximate date's and an opinion's rules exclude each other: one at a time.
    ],
)
def test_every_rule_across_the_fields_of_one_object_is_reported_at_its_field(
    doc: Doc, changes: dict[str, Any], expected: dict[str, str]
) -> None:
    for pointer, value in changes.items():
        if value is _REMOVE:
            remove_at(doc, pointer)
        else:
            set_at(doc, pointer, value)
    assert read_problems(doc) == expected


def test_an_object_whose_field_does_not_read_is_not_checked_across_its_fields(doc: Doc) -> None:
    set_at(doc, "/sessions/0/end", "2026-03-02T10:00:00+01:00")  # before its start
    set_at(doc, "/sessions/0/restraints/type", "chains")  # an unknown value, nested
    assert list(read_problems(doc)) == ["/sessions/0/restraints/type"]


def test_building_an_inconsistent_object_names_the_first_problem_and_keeps_all(
    doc: Doc,
) -> None:
    session = Evaluation.from_json(doc).sessions[0]
    with pytest.raises(InvalidInput) as caught:
        attrs.evolve(session, end=session.start.replace(hour=0), limitation_note=None)
    error = caught.value
    assert isinstance(error, InconsistentFields)
    assert error.field == "end"
    assert str(error) == "end: must not be before start (and 1 more)"
    assert error.problems == (
        ("end", "must not be before start"),
        ("limitation_note", "say what limited the time"),
    )


@attrs.frozen(kw_only=True)
class _Window:
    """A test object whose second rule concerns it as a whole, not one of its fields."""

    opens: int
    closes: int

    def __attrs_post_init__(self) -> None:
        problems: list[tuple[str, str]] = []
        if self.closes < self.opens:
            problems.append(("closes", "must not be before opens"))
        if self.closes - self.opens < 2:
            problems.append(("duration", "must be at least 2"))
        refuse_inconsistencies(problems)


def test_a_rule_on_no_single_field_points_at_its_object() -> None:
    with pytest.raises(DocumentError) as caught:
        read_document(_Window, {"opens": 5, "closes": 3})
    assert [(p.pointer, p.message) for p in caught.value.problems] == [
        ("/closes", "must not be before opens"),
        ("", "must be at least 2"),
    ]


@pytest.mark.parametrize(
    "value",
    [
        "2026-03-02T10:15:00",  # no offset
        "2026-03-02",  # a date only
        "2026-03-02 10:15:00+01:00",  # space for T
        "2026-03-02T10:15:00+0100",  # offset without its colon
        "2026-03-02T25:15:00+01:00",  # no such hour
        "yesterday",
        1772442900,  # a Unix time
    ],
)
def test_datetime_without_offset_or_malformed_is_refused(doc: Doc, value: Any) -> None:
    set_at(doc, "/photographs/0/captured_at", value)
    assert list(read_problems(doc)) == ["/photographs/0/captured_at"]


@pytest.mark.parametrize("value", ["2026-3-4", "2026-03-04T00:00:00Z", "04/03/2026", 20260304])
def test_malformed_date_is_refused(doc: Doc, value: Any) -> None:
    set_at(doc, "/declarations/0/made_on", value)
    assert read_problems(doc) == {"/declarations/0/made_on": "must be a date like 2024-03-14"}


@pytest.mark.parametrize(
    ("written", "utc"),
    [
        ("2026-03-02T10:15:00+01:00", datetime(2026, 3, 2, 9, 15, tzinfo=UTC)),
        ("2026-03-02T09:15:00Z", datetime(2026, 3, 2, 9, 15, tzinfo=UTC)),
        ("2026-03-02T03:45-05:30", datetime(2026, 3, 2, 9, 15, tzinfo=UTC)),
        ("2026-03-02T10:15:00.123456+01:00", datetime(2026, 3, 2, 9, 15, 0, 123000, tzinfo=UTC)),
        ("2026-03-02T00:30:00+01:00", datetime(2026, 3, 1, 23, 30, tzinfo=UTC)),
    ],
)
def test_datetime_with_offset_is_normalised_to_utc_milliseconds(
    doc: Doc, written: str, utc: datetime
) -> None:
    set_at(doc, "/photographs/0/captured_at", written)
    captured = Evaluation.from_json(doc).photographs[0].captured_at
    assert captured == utc
    assert captured.tzinfo is UTC


@pytest.mark.parametrize("value", [[], "an evaluation", 42, None, True])
def test_input_that_is_not_an_object_is_refused(value: Any) -> None:
    with pytest.raises(DocumentError) as caught:
        Evaluation.from_json(value)
    assert caught.value.problems == (FieldProblem("", "must be an object"),)


def test_nested_part_that_is_not_an_object_is_refused(doc: Doc) -> None:
    doc["subject"] = ["not", "an", "object"]
    doc["findings"][1] = "F2"
    assert read_problems(doc) == {
        "/subject": "must be an object",
        "/findings/1": "must be an object",
    }


def test_null_for_a_required_field_is_refused(doc: Doc) -> None:
    doc["language"] = None
    assert read_problems(doc) == {
        "/language": "must not be null (leave an optional field out instead)"
    }


# -- limits -----------------------------------------------------------------------------------


def test_list_over_the_limit_is_refused(doc: Doc) -> None:
    doc["symptoms"] = [doc["symptoms"][0]] * 2001
    assert read_problems(doc) == {"/symptoms": "lists more than 2000"}


def test_list_of_values_over_the_limit_is_refused(doc: Doc) -> None:
    doc["subject"]["languages"] = ["en"] * 2001
    assert read_problems(doc) == {"/subject/languages": "lists more than 2000"}


def test_list_at_the_limit_is_read(doc: Doc) -> None:
    symptom = doc["symptoms"][0]
    doc["symptoms"] = [{**symptom, "symptom_id": f"SY{n}"} for n in range(2000)]
    assert len(Evaluation.from_json(doc).symptoms) == 2000


def test_document_wrong_everywhere_reports_a_bounded_number_of_problems(doc: Doc) -> None:
    doc["symptoms"] = [{}] * 2000
    with pytest.raises(DocumentError) as caught:
        Evaluation.from_json(doc)
    assert 5 < len(caught.value.problems) <= 1000


def test_over_long_list_of_invalid_entries_reports_its_length(doc: Doc) -> None:
    doc["symptoms"] = [{}] * 2001
    assert read_problems(doc).get("/symptoms") == "lists more than 2000"


# -- JSON Pointers ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "pointer"),
    [("a/b", "/a~1b"), ("m~n", "/m~0n"), ("~1", "/~01"), ("/", "/~1"), ("", "/")],
)
def test_unknown_key_is_named_by_an_escaped_json_pointer(doc: Doc, key: str, pointer: str) -> None:
    doc[key] = 1
    assert read_problems(doc) == {pointer: "is not a field of this object"}


def test_unknown_nested_key_is_named_by_an_escaped_json_pointer(doc: Doc) -> None:
    doc["findings"][2]["size"]["mm/cm~"] = 1
    assert list(read_problems(doc)) == ["/findings/2/size/mm~1cm~0"]


def test_pointer_escapes_tilde_before_slash() -> None:
    assert pointer_to("", "~/") == "/~0~1"
    assert pointer_to("/findings", 3) == "/findings/3"


# -- no input crashes the reader ----------------------------------------------------------------


def _pointers(value: Any, pointer: str = "") -> list[str]:
    out = [pointer] if pointer else []
    if isinstance(value, dict):
        for key, inner in value.items():
            out += _pointers(inner, pointer_to(pointer, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            out += _pointers(inner, pointer_to(pointer, index))
    return out


def _leaves(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [leaf for inner in value.values() for leaf in _leaves(inner)]
    if isinstance(value, list):
        return [leaf for inner in value for leaf in _leaves(inner)]
    return [value]


_JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=6,
)
# Values already in the sample (identifiers, enumeration values, times) make mutated
# documents that still read, so the rules run on them too.
_REPLACEMENTS = _JSON_VALUES | st.sampled_from(_leaves(sample_document()))
_IDENTITY = IdentityRecord.create(SAMPLE_SUBJECT_ID, ("Karim Haddad",), phone="+000 555 0134")


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_mutated_documents_raise_only_document_error(data: st.DataObject) -> None:
    doc = sample_document()
    for _ in range(data.draw(st.integers(1, 3), label="mutations")):
        pointer = data.draw(st.sampled_from(_pointers(doc)), label="pointer")
        if data.draw(st.booleans(), label="delete"):
            remove_at(doc, pointer)
        else:
            set_at(doc, pointer, data.draw(_REPLACEMENTS, label="value"))
    try:
        evaluation: Evaluation | None = Evaluation.from_json(doc)
    except DocumentError as error:
        evaluation, problems = None, error.problems
    if evaluation is None:  # refused: with pointers, never with a crash
        assert problems
        assert all(p.pointer == "" or p.pointer.startswith("/") for p in problems)
        return
    assert Evaluation.from_json(evaluation.to_json()) == evaluation
    validate(evaluation, sealing=True, evidence=sample_case().get, identity=_IDENTITY)


def test_a_lone_surrogate_in_text_is_refused(doc: Doc) -> None:
    doc["restrictions_statement"] = "broken \ud800 text"
    assert read_problems(doc) == {
        "/restrictions_statement": "contains a character that is not valid Unicode"
    }


def test_required_text_refuses_none_from_python() -> None:
    from custody.errors import InvalidInput
    from custody.medical import Narrative

    with pytest.raises(InvalidInput, match="text: is required"):
        Narrative(text=None, source="subject_account", language="en", verbatim=False)  # type: ignore[arg-type]
