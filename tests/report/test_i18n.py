"""Report labels: every enumeration member translated, distinct labels, exact Protocol terms."""

from __future__ import annotations

import enum

import pytest

from custody.errors import InvalidInput
from custody.medical import _terms
from custody.medical._terms import ConsistencyLevel
from custody.report._i18n import LABELS, LANGUAGES, Language, label, term

#: Every enumeration defined in custody.medical._terms, found by introspection, so that a new
#: enumeration without labels fails here rather than in a rendered report.
ENUMS = sorted(
    (
        value
        for value in vars(_terms).values()
        if isinstance(value, type)
        and issubclass(value, enum.Enum)
        and value.__module__ == _terms.__name__
    ),
    key=lambda cls: cls.__name__,
)

#: The five levels of consistency, written out: IP22 ¶418 / ¶424 / ¶543 in English; the
#: Spanish and French wording chosen in custody.report._i18n (see its comments for status).
EXPECTED_LEVELS = {
    "en": (
        "not consistent with",
        "consistent with",
        "highly consistent with",
        "typical of",
        "diagnostic of",
    ),
    "es": (
        "no compatible con",
        "compatible con",
        "muy compatible con",
        "típico de",
        "diagnóstico de",
    ),
    "fr": (
        "non compatible avec",
        "compatible avec",
        "très compatible avec",
        "typique de",
        "diagnostique de",
    ),
}


def test_languages_match_the_language_enum() -> None:
    assert LANGUAGES == ("en", "es", "fr")
    assert tuple(Language) == LANGUAGES


def test_introspection_finds_the_enumerations() -> None:
    names = {cls.__name__ for cls in ENUMS}
    assert {"ConsistencyLevel", "LesionType", "BodyRegion", "MethodCategory"} <= names
    assert len(ENUMS) >= 60


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("cls", ENUMS, ids=lambda cls: cls.__name__)
def test_every_member_has_a_label(cls: type[enum.Enum], language: str) -> None:
    for member in cls:
        text = term(member, language)
        assert text.strip(), f"{cls.__name__}.{member.name} has an empty {language} label"
        assert text == text.strip(), f"{cls.__name__}.{member.name} ({language}) has padding"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("cls", ENUMS, ids=lambda cls: cls.__name__)
def test_labels_within_an_enumeration_are_distinct(cls: type[enum.Enum], language: str) -> None:
    labels = [term(member, language) for member in cls]
    duplicates = {text for text in labels if labels.count(text) > 1}
    assert not duplicates, f"{cls.__name__} renders several members as {duplicates} ({language})"


@pytest.mark.parametrize("language", LANGUAGES)
def test_consistency_levels_are_the_exact_terms(language: str) -> None:
    rendered = tuple(term(level, language) for level in ConsistencyLevel)
    assert rendered == EXPECTED_LEVELS[language]


def test_consistency_levels_keep_the_protocol_order() -> None:
    assert [level.name for level in ConsistencyLevel] == [
        "NOT_CONSISTENT_WITH",
        "CONSISTENT_WITH",
        "HIGHLY_CONSISTENT_WITH",
        "TYPICAL_OF",
        "DIAGNOSTIC_OF",
    ]


@pytest.mark.parametrize(
    ("language", "right", "left"),
    [("en", "R", "L"), ("es", "D", "I"), ("fr", "D", "G")],
)
def test_body_diagram_side_letters(language: str, right: str, left: str) -> None:
    # right/left, derecha/izquierda, droite/gauche
    assert label("side_letter_right", language) == right
    assert label("side_letter_left", language) == left


def test_language_enum_members_are_accepted() -> None:
    assert term(ConsistencyLevel.TYPICAL_OF, Language.ES) == "típico de"
    assert label("overall_opinion", Language.FR) == label("overall_opinion", "fr")


SECTION_KEYS = (
    "case_and_context",
    "clinicians",
    "conditions",
    "restrictions",
    "consent",
    "history_and_allegations",
    "symptoms",
    "physical_examination",
    "body_diagrams",
    "photographs",
    "samples",
    "psychological_evaluation",
    "interpretation",
    "overall_opinion",
    "recommendations",
    "declarations",
    "signatures",
    "departures",
    "addenda",
)

FIELD_KEYS = (
    "report_title",
    "name",
    "profession",
    "registration",
    "qualifications",
    "independence",
    "session_start",
    "session_end",
    "location",
    "privacy",
    "persons_present",
    "interpreter",
    "restraints",
    "time_limited",
    "consent_scope",
    "consent_decision",
    "consent_limits",
    "alleged_method",
    "date",
    "narrative",
    "finding",
    "location_on_body",
    "size",
    "shape",
    "colour",
    "surface",
    "borders",
    "estimated_age",
    "subject_attribution",
    "consistency_level",
    "alternative_causes",
    "rationale",
    "diagnosis",
    "code",
    "key_fingerprint",
    "signed_at",
    "evaluation_id",
    "subject_pseudonym",
    "protocol_version",
    "not_assessable",
    "none_recorded",
    "yes",
    "no",
)

REQUIRED_KEYS = {*SECTION_KEYS, *FIELD_KEYS}


def test_required_keys_are_present() -> None:
    assert LABELS.keys() >= REQUIRED_KEYS


@pytest.mark.parametrize("key", sorted(LABELS))
def test_every_label_has_three_non_empty_strings(key: str) -> None:
    row = LABELS[key]
    assert len(row) == len(LANGUAGES)
    for language, text in zip(LANGUAGES, row, strict=True):
        assert isinstance(text, str)
        assert text.strip(), f"{key!r} has an empty {language} label"
        assert label(key, language) == text


def test_keys_are_snake_case() -> None:
    for key in LABELS:
        assert key.isidentifier()
        assert key == key.lower()


@pytest.mark.parametrize("language", LANGUAGES)
def test_section_headings_are_distinct(language: str) -> None:
    headings = [label(key, language) for key in SECTION_KEYS]
    assert len(set(headings)) == len(headings)


@pytest.mark.parametrize("bad", ["de", "EN", "es-ES", "", "english"])
def test_term_rejects_an_unknown_language(bad: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        term(ConsistencyLevel.CONSISTENT_WITH, bad)
    assert caught.value.field == "language"
    assert "en, es, fr" in str(caught.value)


@pytest.mark.parametrize("bad", ["de", "FR", ""])
def test_label_rejects_an_unknown_language(bad: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        label("report_title", bad)
    assert caught.value.field == "language"
    assert "en, es, fr" in str(caught.value)


@pytest.mark.parametrize("bad", ["no_such_key", "", "Report_Title"])
def test_label_rejects_an_unknown_key(bad: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        label(bad, "en")
    assert caught.value.field == "key"


def test_term_rejects_an_enumeration_without_labels() -> None:
    class Unlabelled(enum.Enum):
        ONLY = "only"

    with pytest.raises(InvalidInput) as caught:
        term(Unlabelled.ONLY, "en")
    assert caught.value.field == "member"


def test_term_rejects_a_plain_string() -> None:
    with pytest.raises(InvalidInput) as caught:
        term("consistent_with", "en")  # type: ignore[arg-type]
    assert caught.value.field == "member"


def test_invalid_input_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="language"):
        label("report_title", "xx")
