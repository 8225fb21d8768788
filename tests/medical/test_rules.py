"""The Protocol's validation rules (reference, section A.16), one class per rule.

Each rule has a case where it holds (the sample, or a variant taking the rule's positive
branch) and cases where it breaks, made by the smallest change to the sample document. A
broken rule is asserted with its code, its severity and the exact JSON Pointer it blames.
"""

from __future__ import annotations

import copy
import unicodedata
from typing import Any

import pytest

from custody.medical import (
    NON_INDEPENDENT_INTERPRETER,
    OFFICIAL_ROLES,
    SAMPLE_SUBJECT_ID,
    Evaluation,
    EvidenceLookup,
    IdentityRecord,
    ItemFacts,
    Severity,
    ValidationReport,
    photograph_consent_withdrawn,
    photograph_is_intimate,
    photograph_restricted,
    validate,
)
from medical.conftest import (
    PHOTOS,
    PHYSICIAN_KEY,
    PSYCHOLOGIST_KEY,
    SAMPLE_DEPARTURES,
    SAMPLE_ITEM,
    codes_at,
    file_facts,
    physical_facts,
    problems,
    remove_at,
    sample_case,
    set_at,
)

Doc = dict[str, Any]

# Times in the sample's first session: consents obtained at 10:20, findings examined at 10:40,
# photographs taken at 11:00 (local time).
BEFORE_CONSENT = "2026-03-02T10:19:00+01:00"
WITHDRAWN = "2026-03-02T11:10:00+01:00"
LATER = "2026-03-02T11:30:00+01:00"
OTHER_SHA256 = "0" * 64


def consent(consent_id: str, scope: str, **fields: Any) -> Doc:
    """A granted consent record like the sample's, obtained at the start of the first session."""
    return {
        "consent_id": consent_id,
        "scope": scope,
        "decision": "granted",
        "informed": {
            name: True
            for name in (
                "purpose_explained",
                "recipients_of_report_explained",
                "possible_use_in_proceedings_explained",
                "risks_incl_reprisals_explained",
                "right_to_refuse_or_stop_explained",
                "limits_of_confidentiality_explained",
                "storage_and_access_explained",
            )
        },
        "voluntary": True,
        "capacity": "has_capacity",
        "method": "written_signature",
        "language": "ar",
        "obtained_at": "2026-03-02T10:20:00+01:00",
        "obtained_by": "C-PHYS",
        **fields,
    }


def lookup(items: dict[str, ItemFacts]) -> EvidenceLookup:
    """An evidence lookup over ``items`` (missing items are ``None``)."""
    return items.get


def validate_doc(doc: Doc, **kwargs: Any) -> ValidationReport:
    return validate(Evaluation.from_json(doc), **kwargs)


def test_sample_has_only_its_two_explained_departures(doc: Doc) -> None:
    for sealing in (False, True):
        report = validate_doc(doc, sealing=sealing, evidence=lookup(sample_case()))
        assert report.ok
        assert [(p.code, p.pointer) for p in report.problems] == SAMPLE_DEPARTURES
        assert all(p.severity is Severity.SOFT and p.reason for p in report.problems)


# -- rule 1: nothing is captured outside a granted consent of its scope ---------------------


class TestRule1ConsentBeforeCapture:
    def test_sample_captures_everything_within_consent(self, doc: Doc) -> None:
        assert codes_at(doc, "A16.1") == []

    def test_finding_examined_before_consent_is_refused(self, doc: Doc) -> None:
        set_at(doc, "/findings/0/examined_at", BEFORE_CONSENT)
        assert codes_at(doc, "A16.1") == [("hard", "/findings/0")]

    def test_finding_without_examination_time_is_dated_by_its_session_start(self, doc: Doc) -> None:
        # The first session starts at 10:15, five minutes before consent was obtained.
        remove_at(doc, "/findings/0/examined_at")
        assert codes_at(doc, "A16.1") == [("hard", "/findings/0")]

    def test_finding_examined_after_withdrawal_is_refused(self, doc: Doc) -> None:
        set_at(doc, "/consents/1/withdrawn_at", WITHDRAWN)
        set_at(doc, "/findings/0/examined_at", LATER)
        assert codes_at(doc, "A16.1") == [("hard", "/findings/0")]

    def test_finding_examined_before_withdrawal_stands(self, doc: Doc) -> None:
        set_at(doc, "/consents/1/decision", "withdrawn")
        set_at(doc, "/consents/1/withdrawn_at", LATER)
        assert codes_at(doc, "A16.1") == []

    @pytest.mark.parametrize("system", ["genitourinary", "anal"])
    def test_genital_or_anal_finding_needs_genital_anal_consent(
        self, doc: Doc, system: str
    ) -> None:
        # The sample's genital_anal_examination consent (K-GEN) is a refusal.
        set_at(doc, "/findings/2/system", system)
        assert codes_at(doc, "A16.1") == [("hard", "/findings/2")]

    def test_genital_finding_with_granted_genital_anal_consent_stands(self, doc: Doc) -> None:
        set_at(doc, "/findings/2/system", "genitourinary")
        set_at(doc, "/consents/-", consent("K-GEN-2", "genital_anal_examination"))
        assert codes_at(doc, "A16.1") == []

    def test_breast_finding_needs_breast_examination_consent(self, doc: Doc) -> None:
        set_at(doc, "/findings/2/location/region", "breast")
        assert codes_at(doc, "A16.1") == [("hard", "/findings/2")]

    @pytest.mark.parametrize("region", ["genitals", "anus"])
    def test_skin_finding_on_genitals_or_anus_needs_genital_anal_consent(
        self, doc: Doc, region: str
    ) -> None:
        set_at(doc, "/findings/2/location/region", region)
        assert codes_at(doc, "A16.1") == [("hard", "/findings/2")]

    def test_negative_finding_from_a_refused_examination_is_refused(self, doc: Doc) -> None:
        set_at(doc, "/findings/4/system", "genitourinary")
        set_at(doc, "/findings/4/location/region", "genitals")
        assert codes_at(doc, "A16.1") == [("hard", "/findings/4")]

    def test_photograph_taken_before_consent_is_refused(self, doc: Doc) -> None:
        set_at(doc, "/photographs/1/captured_at", BEFORE_CONSENT)
        assert codes_at(doc, "A16.1") == [("hard", "/photographs/1")]

    def test_photograph_taken_after_withdrawal_is_refused(self, doc: Doc) -> None:
        set_at(doc, "/consents/3/withdrawn_at", WITHDRAWN)
        set_at(doc, "/photographs/1/captured_at", LATER)
        assert codes_at(doc, "A16.1") == [("hard", "/photographs/1")]

    def test_photograph_counts_only_the_consents_it_names(self, doc: Doc) -> None:
        # K-EXAM is granted, but for the physical examination, not for photography.
        set_at(doc, "/photographs/1/consents", ["K-EXAM"])
        assert codes_at(doc, "A16.1") == [("hard", "/photographs/1")]

    def test_sample_collected_before_consent_is_refused(self, doc: Doc) -> None:
        set_at(doc, "/samples/0/collected_at", BEFORE_CONSENT)
        assert codes_at(doc, "A16.1") == [("hard", "/samples/0")]

    def test_sample_relying_on_a_consent_of_another_scope_is_refused(self, doc: Doc) -> None:
        set_at(doc, "/samples/0/consent", "K-PHOTO")
        assert codes_at(doc, "A16.1") == [("hard", "/samples/0")]

    def test_diagnostic_test_without_consent_is_refused(self, doc: Doc) -> None:
        doc["diagnostic_tests"] = [
            {
                "test_id": "T1",
                "name": "Wrist radiograph",
                "performed_at": LATER,
                "result": "No fracture.",
                "findings": ["F2"],
            }
        ]
        assert codes_at(doc, "A16.1") == [("hard", "/diagnostic_tests/0")]
        set_at(doc, "/consents/-", consent("K-IMAGING", "diagnostic_imaging"))
        assert codes_at(doc, "A16.1") == []

    def test_laboratory_test_relies_on_the_sampling_consent_it_names(self, doc: Doc) -> None:
        doc["diagnostic_tests"] = [
            {
                "test_id": "T1",
                "name": "Urine myoglobin",
                "performed_at": LATER,
                "result": "Raised.",
                "consent": "K-SAMPLE",
            }
        ]
        assert codes_at(doc, "A16.1") == []
        set_at(doc, "/diagnostic_tests/0/performed_at", BEFORE_CONSENT)
        assert codes_at(doc, "A16.1") == [("hard", "/diagnostic_tests/0")]

    def test_instrument_administered_before_testing_consent_is_refused(self, doc: Doc) -> None:
        # K-PSYTEST was obtained on 3 March.
        set_at(doc, "/psychological_evaluations/0/instruments/0/administered_on", "2026-03-02")
        assert codes_at(doc, "A16.1") == [
            ("hard", "/psychological_evaluations/0/instruments/0/administered_on")
        ]

    def test_instrument_administered_on_the_day_testing_consent_was_withdrawn_is_refused(
        self, doc: Doc
    ) -> None:
        set_at(doc, "/consents/6/decision", "withdrawn")
        set_at(doc, "/consents/6/withdrawn_at", "2026-03-03T10:00:00+01:00")
        assert codes_at(doc, "A16.1") == [
            ("hard", "/psychological_evaluations/0/instruments/0/administered_on")
        ]

    def test_intimate_photograph_taken_before_intimate_consent_is_refused(self, doc: Doc) -> None:
        set_at(doc, "/photographs/2/intimate", True)
        set_at(doc, "/photographs/2/consents/-", "K-INTIMATE")
        set_at(doc, "/consents/-", consent("K-INTIMATE", "photography_intimate", obtained_at=LATER))
        hard = [
            p
            for p in problems(doc)
            if p.code in ("A16.1", "A16.2") and p.pointer.startswith("/photographs/2")
        ]
        assert hard

    def test_photograph_of_an_intimate_finding_before_intimate_consent_is_refused(
        self, doc: Doc
    ) -> None:
        set_at(doc, "/findings/1/location", {"region": "genitals"})  # shown in P4, unmarked
        set_at(doc, "/photographs/3/consents/-", "K-INTIMATE")
        set_at(doc, "/consents/-", consent("K-INTIMATE", "photography_intimate", obtained_at=LATER))
        assert ("hard", "/photographs/3") in codes_at(doc, "A16.1")


# -- rule 2: intimate and identification photographs have their own consent ---------------


class TestRule2PhotographScopes:
    def test_sample_identification_photograph_has_face_consent(self, doc: Doc) -> None:
        assert codes_at(doc, "A16.2") == []

    def test_intimate_photograph_without_intimate_consent_is_refused(self, doc: Doc) -> None:
        set_at(doc, "/photographs/2/intimate", True)
        assert codes_at(doc, "A16.2") == [("hard", "/photographs/2/consents")]

    def test_intimate_photograph_with_intimate_consent_stands(self, doc: Doc) -> None:
        set_at(doc, "/photographs/2/intimate", True)
        set_at(doc, "/photographs/2/consents/-", "K-INTIMATE")
        set_at(doc, "/consents/-", consent("K-INTIMATE", "photography_intimate"))
        assert codes_at(doc, "A16.2") == []

    def test_identification_photograph_without_face_consent_is_refused(self, doc: Doc) -> None:
        set_at(doc, "/photographs/0/consents", ["K-PHOTO"])
        assert codes_at(doc, "A16.2") == [("hard", "/photographs/0/consents")]

    @pytest.mark.parametrize(
        "withdrawal",
        [{"decision": "withdrawn", "withdrawn_at": WITHDRAWN}, {"withdrawn_at": WITHDRAWN}],
    )
    def test_consent_withdrawn_after_the_photograph_still_covers_it(
        self, doc: Doc, withdrawal: Doc
    ) -> None:
        for name, value in withdrawal.items():
            set_at(doc, f"/consents/4/{name}", value)
        assert codes_at(doc, "A16.2") == []
        evaluation = Evaluation.from_json(doc)
        face = evaluation.photographs[0]  # the identification photograph, under consent 4
        withdrawn = photograph_consent_withdrawn(evaluation, face)
        assert withdrawn is not None
        assert photograph_restricted(evaluation, face)
        assert withdrawn.isoformat() == "2026-03-02T10:10:00+00:00"

    def test_identification_photograph_with_refused_face_consent_is_refused(self, doc: Doc) -> None:
        set_at(doc, "/consents/4/decision", "refused")
        set_at(doc, "/consents/4/refusal_reason", "Does not want his face photographed.")
        assert codes_at(doc, "A16.2") == [("hard", "/photographs/0/consents")]

    @pytest.mark.parametrize(
        "finding",
        [
            {"location": {"region": "genitals"}},
            {"location": {"region": "anus"}},
            {"location": {"region": "breast", "laterality": "left"}},
            {"location": {"region": "groin"}, "system": "genitourinary"},
            {"location": {"region": "buttock"}, "system": "anal"},
            {"location": {"region": "groin"}, "lesion_type": "genital_injury"},
        ],
        ids=["genitals", "anus", "breast", "genitourinary", "anal", "genital injury"],
    )
    def test_unmarked_photograph_of_an_intimate_finding_is_refused(
        self, doc: Doc, finding: Doc
    ) -> None:
        # P4 (/photographs/3) shows F2 (/findings/1) and names no region of its own.
        doc["findings"][1].update(finding)
        remove_at(doc, "/photographs/3/body_region")
        assert codes_at(doc, "A16.2") == [
            ("hard", "/photographs/3/intimate"),
            ("hard", "/photographs/3/consents"),
        ]

    def test_photograph_a_finding_names_is_intimate_with_that_finding(self, doc: Doc) -> None:
        # F1 names P2 and P3 as its photographs; P2 no longer names F1 or its region.
        set_at(doc, "/findings/0/location", {"region": "breast", "laterality": "right"})
        set_at(doc, "/photographs/1/findings", [])
        remove_at(doc, "/photographs/1/body_region")
        assert codes_at(doc, "A16.2") == [
            ("hard", "/photographs/1/intimate"),
            ("hard", "/photographs/1/consents"),
            ("hard", "/photographs/2/intimate"),
            ("hard", "/photographs/2/consents"),
        ]

    def test_photograph_of_an_intimate_region_needs_intimate_consent(self, doc: Doc) -> None:
        set_at(doc, "/photographs/2/body_region", "genitals")
        assert codes_at(doc, "A16.2") == [
            ("hard", "/photographs/2/intimate"),
            ("hard", "/photographs/2/consents"),
        ]

    def test_marked_photograph_of_an_intimate_finding_with_consent_stands(self, doc: Doc) -> None:
        set_at(doc, "/findings/1/location", {"region": "genitals"})
        remove_at(doc, "/photographs/3/body_region")
        set_at(doc, "/photographs/3/intimate", True)
        set_at(doc, "/photographs/3/consents/-", "K-INTIMATE")
        set_at(doc, "/consents/-", consent("K-INTIMATE", "photography_intimate"))
        assert codes_at(doc, "A16.2") == []

    def test_which_photographs_are_intimate(self, doc: Doc) -> None:
        set_at(doc, "/findings/1/location", {"region": "anus"})  # shown in P4
        set_at(doc, "/photographs/0/intimate", True)
        set_at(doc, "/photographs/1/body_region", "breast")
        evaluation = Evaluation.from_json(doc)
        assert [photograph_is_intimate(evaluation, p) for p in evaluation.photographs] == [
            True,  # marked so
            True,  # of an intimate region
            False,  # of the back
            True,  # of a finding in an intimate region
        ]


# -- rule 3: refusals give a reason; minors and people lacking capacity have a proxy -------


class TestRule3RefusalsAndProxies:
    def test_sample_refusal_gives_its_reason(self, doc: Doc) -> None:
        assert doc["consents"][2]["decision"] == "refused"
        assert codes_at(doc, "A16.3") == []

    def test_refusal_without_reason_is_refused(self, doc: Doc) -> None:
        remove_at(doc, "/consents/2/refusal_reason")
        assert codes_at(doc, "A16.3") == [("hard", "/consents/2/refusal_reason")]

    @pytest.mark.parametrize("capacity", ["minor", "lacks_capacity"])
    def test_consent_without_proxy_for_minor_or_incapable_person_is_refused(
        self, doc: Doc, capacity: str
    ) -> None:
        set_at(doc, "/consents/0/capacity", capacity)
        assert codes_at(doc, "A16.3") == [("hard", "/consents/0/proxy")]

    @pytest.mark.parametrize("capacity", ["minor", "lacks_capacity"])
    def test_consent_through_a_proxy_stands(self, doc: Doc, capacity: str) -> None:
        set_at(doc, "/consents/0/capacity", capacity)
        set_at(doc, "/consents/0/proxy", {"relationship": "mother", "authority": "parent"})
        assert codes_at(doc, "A16.3") == []


# -- rule 4: close-up, mid-range and special-lighting photographs show a finding ------------


class TestRule4FindingPhotographs:
    @pytest.mark.parametrize("role", ["orientation", "identification", "scene", "document_scan"])
    def test_photograph_of_other_roles_may_name_no_finding(self, doc: Doc, role: str) -> None:
        set_at(doc, "/photographs/1/role", role)
        set_at(doc, "/photographs/1/findings", [])
        assert codes_at(doc, "A16.4") == []

    @pytest.mark.parametrize(
        "role", ["close_up", "close_up_with_scale", "mid_range", "special_lighting"]
    )
    def test_finding_photograph_naming_no_finding_is_refused(self, doc: Doc, role: str) -> None:
        set_at(doc, "/photographs/1/role", role)
        set_at(doc, "/photographs/1/findings", [])
        assert codes_at(doc, "A16.4") == [("hard", "/photographs/1/findings")]


# -- rule 5: close-ups carry a scale and a colour reference, or say why not -----------------


class TestRule5ScaleAndColourReference:
    def test_close_up_with_scale_and_colour_reference_is_no_departure(self, doc: Doc) -> None:
        assert [p for p in codes_at(doc, "A16.5") if p[1].startswith("/photographs/2")] == []

    def test_photograph_other_than_close_up_needs_neither(self, doc: Doc) -> None:
        # P1 (identification) has no scale and no colour reference.
        assert [p for p in codes_at(doc, "A16.5") if p[1].startswith("/photographs/0")] == []

    def test_close_up_without_reference_but_with_reason_is_a_departure(self, doc: Doc) -> None:
        [problem] = [p for p in problems(doc) if p.code == "A16.5"]
        assert (problem.severity, problem.pointer) == (Severity.SOFT, "/photographs/3")
        assert problem.reason == doc["photographs"][3]["missing_reference_reason"]

    def test_close_up_without_reference_or_reason_is_refused(self, doc: Doc) -> None:
        remove_at(doc, "/photographs/3/missing_reference_reason")
        assert codes_at(doc, "A16.5") == [("hard", "/photographs/3/missing_reference_reason")]

    @pytest.mark.parametrize("missing", ["scale_present", "colour_reference_present"])
    def test_close_up_with_scale_role_missing_either_reference_is_refused(
        self, doc: Doc, missing: str
    ) -> None:
        set_at(doc, f"/photographs/2/{missing}", False)
        assert ("hard", "/photographs/2/missing_reference_reason") in codes_at(doc, "A16.5")


# -- rule 6: photographed lesions have an orientation and a scaled close-up; one ID photo --


class TestRule6PhotographSeries:
    def test_sample_back_lesion_has_its_series(self, doc: Doc) -> None:
        # The wrist (F2) lacks an orientation photograph: the sample's recorded departure.
        assert codes_at(doc, "A16.6") == [("soft", "/findings/1")]

    def test_lesion_without_orientation_photograph_is_a_departure(self, doc: Doc) -> None:
        set_at(doc, "/photographs/1/role", "mid_range")
        assert codes_at(doc, "A16.6") == [("soft", "/findings/0"), ("soft", "/findings/1")]

    def test_orientation_photograph_of_the_region_orients_the_lesion(self, doc: Doc) -> None:
        set_at(doc, "/photographs/1/findings", [])  # still an orientation of the upper back
        assert codes_at(doc, "A16.6") == [("soft", "/findings/1")]

    def test_lesion_without_close_up_with_scale_is_a_departure(self, doc: Doc) -> None:
        set_at(doc, "/photographs/2/role", "mid_range")
        assert codes_at(doc, "A16.6") == [("soft", "/findings/0"), ("soft", "/findings/1")]

    def test_close_up_role_with_a_scale_counts_as_close_up_with_scale(self, doc: Doc) -> None:
        set_at(doc, "/photographs/2/role", "close_up")  # scale_present stays true
        assert codes_at(doc, "A16.6") == [("soft", "/findings/1")]

    def test_close_up_without_scale_is_no_close_up_with_scale(self, doc: Doc) -> None:
        set_at(doc, "/photographs/2/role", "close_up")
        set_at(doc, "/photographs/2/scale_present", False)
        set_at(doc, "/photographs/2/missing_reference_reason", "No ruler to hand.")
        assert codes_at(doc, "A16.6") == [("soft", "/findings/0"), ("soft", "/findings/1")]

    def test_unphotographed_lesion_needs_no_series(self, doc: Doc) -> None:
        assert doc["findings"][2]["kind"] == "lesion"
        assert "photographs" not in doc["findings"][2]
        assert ("soft", "/findings/2") not in codes_at(doc, "A16.6")

    def test_no_identification_photograph_is_a_departure(self, doc: Doc) -> None:
        set_at(doc, "/photographs/0/role", "scene")
        assert ("soft", "/photographs") in codes_at(doc, "A16.6")

    def test_two_identification_photographs_are_a_departure(self, doc: Doc) -> None:
        second = copy.deepcopy(doc["photographs"][0])
        second["photo_id"] = "P5"
        set_at(doc, "/photographs/-", second)
        assert codes_at(doc, "A16.6") == [("soft", "/findings/1"), ("soft", "/photographs")]

    def test_evaluation_without_photographs_departs_from_one_identification_photograph(
        self, doc: Doc
    ) -> None:
        doc["photographs"] = []
        assert codes_at(doc, "A16.6") == [("soft", "/photographs")]


# -- rule 7: every lesion is on a body diagram; every mark points at a finding -------------


class TestRule7BodyDiagrams:
    def test_sample_marks_every_lesion(self, doc: Doc) -> None:
        assert codes_at(doc, "A16.7") == []

    def test_lesion_without_mark_is_refused(self, doc: Doc) -> None:
        remove_at(doc, "/diagram_annotations/0")  # A1 marks F1
        assert codes_at(doc, "A16.7") == [("hard", "/findings/0")]

    def test_finding_other_than_lesion_needs_no_mark(self, doc: Doc) -> None:
        remove_at(doc, "/diagram_annotations/3")  # A4 marks F4, a neurological sign
        assert codes_at(doc, "A16.7") == []

    def test_mark_pointing_at_missing_finding_is_refused(self, doc: Doc) -> None:
        set_at(
            doc,
            "/diagram_annotations/-",
            {"annotation_id": "A5", "finding": "F9", "view": "front", "x": 1, "y": 1, "number": 9},
        )
        assert codes_at(doc, "A16.7") == [("hard", "/diagram_annotations/4/finding")]


# -- rule 8: every opinion has a target of one of three kinds -------------------------------


class TestRule8OpinionTargets:
    def test_sample_opinions_target_alleged_methods_of_the_evaluation(self, doc: Doc) -> None:
        assert codes_at(doc, "A16.8") == []

    def test_alleged_method_not_in_the_evaluation_is_refused(self, doc: Doc) -> None:
        set_at(doc, "/opinions/0/target/method", "M9")
        assert codes_at(doc, "A16.8") == [("hard", "/opinions/0/target/method")]

    def test_alleged_method_target_naming_no_method_is_refused(self, doc: Doc) -> None:
        remove_at(doc, "/opinions/0/target/method")
        assert codes_at(doc, "A16.8") == [("hard", "/opinions/0/target/method")]

    def test_hypothesised_mechanism_with_reason_unattributed_stands(self, doc: Doc) -> None:
        set_at(
            doc,
            "/opinions/0/target",
            {
                "kind": "hypothesised_mechanism",
                "mechanism": "Blows with a rod-shaped object",
                "reason_unattributed": ["blindfolded"],
            },
        )
        assert codes_at(doc, "A16.8") == []

    def test_hypothesised_mechanism_without_reason_unattributed_is_refused(self, doc: Doc) -> None:
        set_at(
            doc,
            "/opinions/0/target",
            {"kind": "hypothesised_mechanism", "mechanism": "Blows with a rod-shaped object"},
        )
        assert codes_at(doc, "A16.8") == [("hard", "/opinions/0/target/reason_unattributed")]

    def test_hypothesised_mechanism_not_described_is_refused(self, doc: Doc) -> None:
        set_at(
            doc,
            "/opinions/0/target",
            {"kind": "hypothesised_mechanism", "reason_unattributed": ["hooded"]},
        )
        assert codes_at(doc, "A16.8") == [("hard", "/opinions/0/target/mechanism")]

    def test_named_alternative_cause_stands(self, doc: Doc) -> None:
        set_at(doc, "/opinions/0/target", {"kind": "alternative_cause", "cause": "A fall"})
        assert codes_at(doc, "A16.8") == []

    def test_alternative_cause_not_named_is_refused(self, doc: Doc) -> None:
        set_at(doc, "/opinions/0/target", {"kind": "alternative_cause"})
        assert codes_at(doc, "A16.8") == [("hard", "/opinions/0/target/cause")]


# -- rule 9: assessed opinions have a level; open levels list alternatives ----------------


class TestRule9Levels:
    def test_sample_levels_list_their_alternatives(self, doc: Doc) -> None:
        assert codes_at(doc, "A16.9") == []

    def test_assessed_opinion_without_level_is_refused(self, doc: Doc) -> None:
        remove_at(doc, "/opinions/0/level")
        assert codes_at(doc, "A16.9") == [("hard", "/opinions/0/level")]

    def test_opinion_not_assessable_without_level_stands(self, doc: Doc) -> None:
        set_at(doc, "/opinions/0/status", "not_assessable")
        remove_at(doc, "/opinions/0/level")
        assert codes_at(doc, "A16.9") == []

    def test_opinion_not_assessable_with_a_level_is_refused(self, doc: Doc) -> None:
        set_at(doc, "/opinions/0/status", "not_assessable")
        assert codes_at(doc, "A16.9") == [("hard", "/opinions/0/level")]

    @pytest.mark.parametrize("level", ["consistent_with", "highly_consistent_with", "typical_of"])
    def test_open_level_without_alternatives_is_refused(self, doc: Doc, level: str) -> None:
        set_at(doc, "/opinions/0/level", level)
        remove_at(doc, "/opinions/0/alternatives")
        assert codes_at(doc, "A16.9") == [("hard", "/opinions/0/alternatives")]

    def test_not_consistent_with_needs_no_alternatives(self, doc: Doc) -> None:
        set_at(doc, "/opinions/0/level", "not_consistent_with")
        remove_at(doc, "/opinions/0/alternatives")
        assert codes_at(doc, "A16.9") == []

    def test_diagnostic_of_without_alternatives_excluded_is_refused(self, doc: Doc) -> None:
        set_at(doc, "/opinions/0/level", "diagnostic_of")
        remove_at(doc, "/opinions/0/alternatives")
        assert codes_at(doc, "A16.9") == [("hard", "/opinions/0/alternatives")]

    def test_diagnostic_of_with_alternatives_excluded_stands(self, doc: Doc) -> None:
        set_at(doc, "/opinions/0/level", "diagnostic_of")
        assert codes_at(doc, "A16.9") == []


# -- rule 10: a sealed evaluation has its overall opinion -----------------------------------


def only_negative_findings(doc: Doc) -> None:
    """Keep only the negative finding F5, and what does not depend on the others."""
    doc["findings"] = [f for f in doc["findings"] if f["kind"] == "negative_finding"]
    doc["diagram_annotations"] = []
    doc["photographs"] = doc["photographs"][:1]  # the identification photograph
    doc["opinions"] = [o for o in doc["opinions"] if o["domain"] == "psychological"]


class TestRule10OverallOpinion:
    def test_sample_is_sealed_with_its_overall_opinion(self, doc: Doc) -> None:
        assert codes_at(doc, "A16.10", sealing=True) == []

    def test_sealing_without_overall_opinion_is_refused(self, doc: Doc) -> None:
        del doc["overall_opinion"]
        assert codes_at(doc, "A16.10", sealing=True) == [("hard", "/overall_opinion")]

    def test_draft_without_overall_opinion_stands(self, doc: Doc) -> None:
        del doc["overall_opinion"]
        assert codes_at(doc, "A16.10") == []

    def test_no_positive_findings_without_absence_statement_is_refused(self, doc: Doc) -> None:
        only_negative_findings(doc)
        assert codes_at(doc, "A16.10") == [
            ("hard", "/overall_opinion/absence_of_findings_statement")
        ]

    def test_no_positive_findings_with_absence_statement_stands(self, doc: Doc) -> None:
        only_negative_findings(doc)
        set_at(
            doc,
            "/overall_opinion/absence_of_findings_statement",
            "The absence of physical findings does not exclude torture or ill-treatment.",
        )
        assert codes_at(doc, "A16.10", sealing=True) == []


# -- rule 11: a psychological evaluation has its opinion; none is a departure ---------------


class TestRule11PsychologicalOpinion:
    def test_sample_psychological_evaluation_has_its_opinion(self, doc: Doc) -> None:
        assert codes_at(doc, "A16.11") == []

    def test_psychological_evaluation_without_opinion_is_refused(self, doc: Doc) -> None:
        remove_at(doc, "/opinions/2")  # O3, the psychological opinion
        assert codes_at(doc, "A16.11") == [("hard", "/psychological_evaluations/0")]

    def test_no_psychological_evaluation_is_a_departure(self, doc: Doc) -> None:
        del doc["psychological_evaluations"]
        remove_at(doc, "/opinions/2")
        assert codes_at(doc, "A16.11") == [("soft", "/psychological_evaluations")]


# -- rule 12: officials present are justified -----------------------------------------------


class TestRule12OfficialsPresent:
    def test_sample_prison_officer_is_justified(self, doc: Doc) -> None:
        # The interpreter (persons_present/1) states none of the three: not an official.
        assert codes_at(doc, "A16.12") == []

    @pytest.mark.parametrize("field", ["justification", "within_earshot", "requested_by"])
    def test_official_missing_a_statement_is_refused(self, doc: Doc, field: str) -> None:
        remove_at(doc, f"/sessions/0/persons_present/2/{field}")
        assert codes_at(doc, "A16.12") == [("hard", f"/sessions/0/persons_present/2/{field}")]

    @pytest.mark.parametrize("role", sorted(r.value for r in OFFICIAL_ROLES))
    def test_every_official_role_needs_all_three_statements(self, doc: Doc, role: str) -> None:
        set_at(doc, "/sessions/0/persons_present/1/role", role)
        where = "/sessions/0/persons_present/1"
        assert codes_at(doc, "A16.12") == [
            ("hard", f"{where}/justification"),
            ("hard", f"{where}/within_earshot"),
            ("hard", f"{where}/requested_by"),
        ]


# -- rule 13: interpreters tied to the case are a departure ---------------------------------


class TestRule13InterpreterIndependence:
    def test_professional_interpreter_is_no_departure(self, doc: Doc) -> None:
        assert codes_at(doc, "A16.13") == []

    @pytest.mark.parametrize("tie", sorted(t.value for t in NON_INDEPENDENT_INTERPRETER))
    def test_interpreter_tied_to_the_case_is_a_departure(self, doc: Doc, tie: str) -> None:
        set_at(doc, "/interpreters/0/ties", ["professional", tie])
        assert codes_at(doc, "A16.13") == [("soft", "/interpreters/0/ties")]


# -- rule 14: to seal, every evaluator is qualified, declares, and has their own key --------


class TestRule14EvaluatorCredentials:
    def test_sample_evaluators_may_seal(self, doc: Doc) -> None:
        assert codes_at(doc, "A16.14", sealing=True) == []

    def test_sealing_evaluator_without_qualifications_is_refused(self, doc: Doc) -> None:
        set_at(doc, "/evaluators/1/qualifications", [])
        assert codes_at(doc, "A16.14", sealing=True) == [("hard", "/evaluators/1/qualifications")]

    def test_sealing_without_every_declaration_is_refused(self, doc: Doc) -> None:
        remove_at(doc, "/declarations/1")
        assert codes_at(doc, "A16.14", sealing=True) == [("hard", "/declarations")]

    def test_sealing_with_two_evaluators_on_one_key_is_refused(self, doc: Doc) -> None:
        set_at(doc, "/evaluators/1/key_id", PHYSICIAN_KEY)
        assert codes_at(doc, "A16.14", sealing=True) == [("hard", "/evaluators")]

    def test_credentials_are_not_required_before_sealing(self, doc: Doc) -> None:
        set_at(doc, "/evaluators/1/qualifications", [])
        set_at(doc, "/evaluators/1/key_id", PHYSICIAN_KEY)
        doc["declarations"] = []
        assert codes_at(doc, "A16.14") == []


# -- rule 15: addenda name the sealed digest they supersede ---------------------------------


def addendum(**fields: Any) -> Doc:
    return {
        "supersedes": "ab" * 32,
        "reason": "Corrected the measured length of the back bruises.",
        "changed": ["/findings/0/size/length_mm"],
        "made_on": "2026-03-10",
        **fields,
    }


class TestRule15Addenda:
    def test_addendum_naming_the_sealed_digest_stands(self, doc: Doc) -> None:
        doc["addenda"] = [addendum()]
        assert codes_at(doc, "A16.15") == []

    @pytest.mark.parametrize("digest", ["ab" * 31, "AB" * 32, "not a digest"])
    def test_addendum_without_a_sealed_digest_is_refused(self, doc: Doc, digest: str) -> None:
        doc["addenda"] = [addendum(supersedes=digest)]
        assert codes_at(doc, "A16.15") == [("hard", "/addenda/0/supersedes")]

    def test_addendum_changing_something_not_a_json_pointer_is_refused(self, doc: Doc) -> None:
        doc["addenda"] = [addendum(changed=["/findings/0/size", "findings/1"])]
        assert codes_at(doc, "A16.15") == [("hard", "/addenda/0/changed/1")]


# -- rule 16: a photograph's hash is its evidence item's; derivatives keep the original -----


def derived_photograph(sha256: str) -> Doc:
    return {
        "photo_id": "P5",
        "item": "ITEM-PHOTO-5",
        "sha256": sha256,
        "media_type": "image/jpeg",
        "captured_at": "2026-03-02T11:00:00+01:00",
        "captured_by": "C-PHYS",
        "role": "close_up_with_scale",
        "scale_present": True,
        "colour_reference_present": True,
        "intimate": False,
        "location_metadata": "none",
        "consents": ["K-PHOTO"],
        "findings": ["F1"],
        "derived_from": "P3",
        "transformation": "exif_strip",
    }


class TestRule16PhotographHashes:
    def test_photographs_matching_their_items_stand(self, doc: Doc) -> None:
        assert codes_at(doc, "A16.16", evidence=lookup(sample_case())) == []

    def test_photograph_hash_differing_from_its_item_is_refused(self, doc: Doc) -> None:
        case = sample_case()
        case[PHOTOS[2].item] = file_facts(OTHER_SHA256)
        assert codes_at(doc, "A16.16", evidence=lookup(case)) == [("hard", "/photographs/2/sha256")]

    def test_photograph_whose_item_the_case_lacks_is_refused(self, doc: Doc) -> None:
        case = sample_case()
        del case[PHOTOS[2].item]
        assert codes_at(doc, "A16.16", evidence=lookup(case)) == [("hard", "/photographs/2/item")]

    def test_photograph_naming_a_physical_item_is_refused(self, doc: Doc) -> None:
        set_at(doc, "/photographs/2/item", SAMPLE_ITEM)
        assert codes_at(doc, "A16.16", evidence=lookup(sample_case())) == [
            ("hard", "/photographs/2/item")
        ]

    def test_hashes_are_not_checked_without_evidence_lookup(self, doc: Doc) -> None:
        set_at(doc, "/photographs/2/sha256", OTHER_SHA256)
        assert codes_at(doc, "A16.16") == []

    def test_derived_photograph_with_its_own_bytes_stands(self, doc: Doc) -> None:
        set_at(doc, "/photographs/-", derived_photograph(OTHER_SHA256))
        case = {**sample_case(), "ITEM-PHOTO-5": file_facts(OTHER_SHA256)}
        assert codes_at(doc, "A16.16", evidence=lookup(case)) == []

    def test_derived_photograph_with_its_originals_bytes_is_refused(self, doc: Doc) -> None:
        set_at(doc, "/photographs/-", derived_photograph(PHOTOS[2].sha256))
        assert codes_at(doc, "A16.16") == [("hard", "/photographs/4/sha256")]


# -- rule 17: every sample is a sealed item held by an evaluator or handed over -------------


class TestRule17SamplesInCustody:
    def test_sealed_sample_held_by_an_evaluator_stands(self, doc: Doc) -> None:
        assert codes_at(doc, "A16.17", evidence=lookup(sample_case())) == []

    def test_sample_held_by_the_other_evaluator_stands(self, doc: Doc) -> None:
        case = {**sample_case(), SAMPLE_ITEM: physical_facts(holder=PSYCHOLOGIST_KEY)}
        assert codes_at(doc, "A16.17", evidence=lookup(case)) == []

    def test_sample_handed_over_to_someone_else_stands(self, doc: Doc) -> None:
        case = {**sample_case(), SAMPLE_ITEM: physical_facts(holder=OTHER_SHA256, handed_over=True)}
        assert codes_at(doc, "A16.17", evidence=lookup(case)) == []

    def test_sample_under_another_seal_is_refused(self, doc: Doc) -> None:
        case = {**sample_case(), SAMPLE_ITEM: physical_facts(seals=("S-OTHER",))}
        assert codes_at(doc, "A16.17", evidence=lookup(case)) == [("hard", "/samples/0/seal")]

    def test_sample_naming_a_digital_item_is_refused(self, doc: Doc) -> None:
        set_at(doc, "/samples/0/item", PHOTOS[0].item)
        assert codes_at(doc, "A16.17", evidence=lookup(sample_case())) == [
            ("hard", "/samples/0/item")
        ]

    def test_sample_whose_item_the_case_lacks_is_refused(self, doc: Doc) -> None:
        case = sample_case()
        del case[SAMPLE_ITEM]
        assert codes_at(doc, "A16.17", evidence=lookup(case)) == [("hard", "/samples/0/item")]

    def test_sample_neither_held_by_an_evaluator_nor_handed_over_is_refused(self, doc: Doc) -> None:
        case = {**sample_case(), SAMPLE_ITEM: physical_facts(holder=OTHER_SHA256)}
        assert codes_at(doc, "A16.17", evidence=lookup(case)) == [("hard", "/samples/0/item")]

    def test_samples_are_not_checked_without_evidence_lookup(self, doc: Doc) -> None:
        set_at(doc, "/samples/0/seal", "S-OTHER")
        assert codes_at(doc, "A16.17") == []


# -- rule 18: a lesion's age is a range ------------------------------------------------------


class TestRule18AgeRanges:
    def test_age_range_is_no_departure(self, doc: Doc) -> None:
        assert codes_at(doc, "A16.18") == []

    def test_point_estimate_of_age_is_a_departure(self, doc: Doc) -> None:
        set_at(doc, "/findings/0/estimated_age/min_days", 7)
        set_at(doc, "/findings/0/estimated_age/max_days", 7)
        assert codes_at(doc, "A16.18") == [("soft", "/findings/0/estimated_age")]


# -- rule 19: nothing of the identity record appears in the document ------------------------


@pytest.fixture
def identity() -> IdentityRecord:
    return IdentityRecord.create(
        SAMPLE_SUBJECT_ID,
        ("Karim Haddad",),
        aliases=("Abu Samir",),
        phone="+000 555 0134",
        facility_number="RP-88213",
        address="14 Rue des Oliviers, Fictional City",
    )


@pytest.fixture
def committed(doc: Doc, identity: IdentityRecord) -> Doc:
    """The sample whose subject carries the identity record's commitment."""
    set_at(doc, "/subject/identity_commitment", identity.commitment())
    return doc


NARRATIVE = "/alleged_events/0/narrative/text"


class TestRule19NoIdentityInDocument:
    def test_committed_identity_absent_from_the_document_stands(
        self, committed: Doc, identity: IdentityRecord
    ) -> None:
        assert codes_at(committed, "A16.19", identity=identity) == []

    @pytest.mark.parametrize("detail", ["Karim Haddad", "KARIM HADDAD", "Abu Samir", "RP-88213"])
    def test_identifying_detail_in_a_narrative_is_refused(
        self, committed: Doc, identity: IdentityRecord, detail: str
    ) -> None:
        committed["alleged_events"][0]["narrative"]["text"] += f" He gave his name as {detail}."
        assert codes_at(committed, "A16.19", identity=identity) == [("hard", NARRATIVE)]

    def test_phone_number_in_restrictions_statement_is_refused(
        self, committed: Doc, identity: IdentityRecord
    ) -> None:
        committed["restrictions_statement"] += " Family reachable at +000 555 0134."
        assert codes_at(committed, "A16.19", identity=identity) == [
            ("hard", "/restrictions_statement")
        ]

    def test_very_short_identity_values_are_not_searched(self, committed: Doc) -> None:
        identity = IdentityRecord.create(SAMPLE_SUBJECT_ID, ("Al",))
        set_at(committed, "/subject/identity_commitment", identity.commitment())
        assert codes_at(committed, "A16.19", identity=identity) == []

    def test_address_in_a_narrative_is_refused(
        self, committed: Doc, identity: IdentityRecord
    ) -> None:
        committed["alleged_events"][0]["narrative"]["text"] += (
            " He was arrested at 14 Rue des Oliviers, Fictional City."
        )
        assert codes_at(committed, "A16.19", identity=identity) == [("hard", NARRATIVE)]

    def test_commitment_not_matching_the_identity_record_is_refused(
        self, doc: Doc, identity: IdentityRecord
    ) -> None:
        assert codes_at(doc, "A16.19", identity=identity) == [
            ("hard", "/subject/identity_commitment")
        ]

    def test_identity_record_of_another_subject_is_refused(self, committed: Doc) -> None:
        other = IdentityRecord.create("9d5e1f2a-3b4c-4d5e-8f60-718293a4b5c6", ("Karim Haddad",))
        assert codes_at(committed, "A16.19", identity=other) == [("hard", "/subject/subject_id")]

    def test_identity_is_not_checked_without_identity_record(self, committed: Doc) -> None:
        committed["alleged_events"][0]["narrative"]["text"] += " Karim Haddad."
        assert codes_at(committed, "A16.19") == []

    @pytest.mark.parametrize(
        "written",
        [
            unicodedata.normalize("NFD", "José Peña"),
            "José  Peña",
            "JOSÉ PEÑA",
            "josé peña",
            "José\nPeña",
            "José\u00a0Peña",
            "Jo\u00adsé Pe\u200bña",
            "\uff2aosé Peña",
        ],
        ids=[
            "nfd",
            "two spaces",
            "upper case",
            "lower case",
            "line break",
            "nbsp",
            "invisible",
            "fullwidth",
        ],
    )
    def test_a_name_written_another_way_is_refused(self, doc: Doc, written: str) -> None:
        identity = IdentityRecord.create(SAMPLE_SUBJECT_ID, ("José Peña",))
        set_at(doc, "/subject/identity_commitment", identity.commitment())
        doc["alleged_events"][0]["narrative"]["text"] += f" He gave his name as {written}."
        assert codes_at(doc, "A16.19", identity=identity) == [("hard", NARRATIVE)]

    @pytest.mark.parametrize(
        "recorded",
        [unicodedata.normalize("NFD", "José Peña"), " José   Peña ", "JOSÉ PEÑA"],
        ids=["nfd", "spaces", "upper case"],
    )
    def test_a_name_recorded_another_way_is_found(self, doc: Doc, recorded: str) -> None:
        identity = IdentityRecord.create(SAMPLE_SUBJECT_ID, (recorded,))
        set_at(doc, "/subject/identity_commitment", identity.commitment())
        doc["alleged_events"][0]["narrative"]["text"] += " He gave his name as José Peña."
        assert codes_at(doc, "A16.19", identity=identity) == [("hard", NARRATIVE)]


# -- rule 20: the report's elements are all there --------------------------------------------


class TestRule20Completeness:
    def test_sample_report_is_complete(self, doc: Doc) -> None:
        assert codes_at(doc, "A16.20", sealing=True) == []

    @pytest.mark.parametrize(
        "part",
        ["alleged_events", "symptoms", "findings", "opinions", "recommendations", "declarations"],
    )
    def test_missing_report_element_is_a_departure(self, doc: Doc, part: str) -> None:
        doc[part] = []
        assert codes_at(doc, "A16.20") == [("soft", f"/{part}")]


# -- references and identifiers --------------------------------------------------------------


class TestReferences:
    def test_sample_references_resolve(self, doc: Doc) -> None:
        assert codes_at(doc, "REFERENCE") == []

    @pytest.mark.parametrize(
        ("pointer", "missing"),
        [
            ("/findings/0/photographs/0", "P9"),
            ("/photographs/1/consents/0", "K-NONE"),
            ("/opinions/0/findings/0", "F9"),
            ("/findings/0/examiner", "C-NOBODY"),
            ("/findings/0/session", "S9"),
            ("/findings/0/attribution/method", "M9"),
            ("/samples/0/consent", "K-NONE"),
            ("/sessions/0/interpreter", "INT-9"),
            ("/opinions/2/psychological_evaluation", "PE9"),
            ("/psychological_evaluations/0/sessions/0", "S9"),
            ("/declarations/0/clinician", "C-NOBODY"),
        ],
    )
    def test_reference_to_a_missing_part_is_refused(
        self, doc: Doc, pointer: str, missing: str
    ) -> None:
        set_at(doc, pointer, missing)
        assert codes_at(doc, "REFERENCE") == [("hard", pointer)]

    @pytest.mark.parametrize(
        ("pointer", "taken"),
        [
            ("/findings/1/finding_id", "F1"),
            ("/consents/1/consent_id", "K-INT"),
            ("/photographs/3/photo_id", "P1"),
            ("/opinions/1/opinion_id", "O1"),
            ("/alleged_events/0/methods/1/method_id", "M1"),
        ],
    )
    def test_identifier_used_twice_is_refused(self, doc: Doc, pointer: str, taken: str) -> None:
        set_at(doc, pointer, taken)
        assert codes_at(doc, "DUPLICATE_ID") == [("hard", pointer)]

    def test_diagram_number_used_twice_on_one_view_is_refused(self, doc: Doc) -> None:
        set_at(doc, "/diagram_annotations/1/number", 1)  # A1 is number 1 on the back too
        assert codes_at(doc, "DUPLICATE_ID") == [("hard", "/diagram_annotations/1/number")]

    def test_diagram_number_may_repeat_on_another_view(self, doc: Doc) -> None:
        assert doc["diagram_annotations"][3]["number"] == doc["diagram_annotations"][0]["number"]
        assert codes_at(doc, "DUPLICATE_ID") == []


# -- departures: reasons stated in the document explain the soft problems --------------------


class TestDepartureReasons:
    def test_declared_departure_reason_is_attached_to_its_problem(self, doc: Doc) -> None:
        [problem] = [p for p in problems(doc) if p.code == "A16.6"]
        assert problem.pointer == doc["departures"][0]["element"] == "/findings/1"
        assert problem.reason == doc["departures"][0]["reason"]
        assert problem.to_dict()["reason"] == problem.reason

    def test_departure_for_another_rule_explains_nothing(self, doc: Doc) -> None:
        set_at(doc, "/departures/0/rule", 18)
        [problem] = [p for p in problems(doc) if p.code == "A16.6"]
        assert problem.reason is None
        assert "reason" not in problem.to_dict()

    def test_departure_for_another_element_explains_nothing(self, doc: Doc) -> None:
        set_at(doc, "/departures/0/element", "/findings/0")
        [problem] = [p for p in problems(doc) if p.code == "A16.6"]
        assert problem.reason is None

    def test_declared_departure_explains_a_missing_psychological_evaluation(self, doc: Doc) -> None:
        del doc["psychological_evaluations"]
        remove_at(doc, "/opinions/2")
        reason = "A field mission without time for a psychological evaluation (IP22 ¶635)."
        set_at(
            doc,
            "/departures/-",
            {"rule": 11, "element": "/psychological_evaluations", "reason": reason},
        )
        [problem] = [p for p in problems(doc) if p.code == "A16.11"]
        assert (problem.severity, problem.reason) == (Severity.SOFT, reason)

    def test_declared_departure_does_not_excuse_a_hard_problem(self, doc: Doc) -> None:
        remove_at(doc, "/diagram_annotations/0")
        set_at(
            doc,
            "/departures/-",
            {"rule": 7, "element": "/findings/0", "reason": "No diagram form available."},
        )
        report = validate_doc(doc)
        [problem] = [p for p in report.problems if p.code == "A16.7"]
        assert (problem.severity, problem.reason) == (Severity.HARD, None)
        assert not report.ok

    def test_report_separates_hard_problems_from_departures(self, doc: Doc) -> None:
        remove_at(doc, "/diagram_annotations/0")
        out = validate_doc(doc).to_dict()
        assert out["ok"] is False
        assert [p["field"] for p in out["problems"]] == ["/findings/0"]
        assert [(p["code"], p["field"]) for p in out["departures"]] == SAMPLE_DEPARTURES


class TestReviewFindings:
    """Cases found in review: a withdrawal stated in a separate record, self-declared
    intimacy, and consent given under coercion."""

    def test_a_withdrawal_in_its_own_record_ends_an_earlier_grant(self, doc: Doc) -> None:
        withdrawal = copy.deepcopy(doc["consents"][1])  # the physical examination consent
        withdrawal.update(
            consent_id="K-EXAM-W",
            decision="withdrawn",
            withdrawn_at="2026-03-02T10:30:00+01:00",
        )
        doc["consents"].append(withdrawal)
        # Findings were examined at 10:40, after the withdrawal.
        assert ("hard", "/findings/0") in codes_at(doc, "A16.1")

    def test_a_grant_after_a_withdrawal_counts_again(self, doc: Doc) -> None:
        withdrawal = copy.deepcopy(doc["consents"][1])
        withdrawal.update(
            consent_id="K-EXAM-W",
            decision="withdrawn",
            obtained_at="2026-03-02T10:00:00+01:00",
            withdrawn_at="2026-03-02T10:10:00+01:00",
        )
        doc["consents"].append(withdrawal)
        assert codes_at(doc, "A16.1") == []

    def test_a_photograph_of_an_intimate_region_must_be_marked_intimate(self, doc: Doc) -> None:
        set_at(doc, "/photographs/2/body_region", "genitals")
        assert ("hard", "/photographs/2/intimate") in codes_at(doc, "A16.2")

    @pytest.mark.parametrize("decision", ["granted", "withdrawn"])
    def test_consent_given_under_coercion_permits_nothing(self, doc: Doc, decision: str) -> None:
        # Withdrawn later or not, a consent given under duress never covered anything.
        set_at(doc, "/consents/3/voluntary", False)  # photography
        set_at(doc, "/consents/3/decision", decision)
        set_at(doc, "/consents/3/withdrawn_at", LATER)
        assert ("hard", "/photographs/0") in codes_at(doc, "A16.1")

    def test_testing_consent_given_under_coercion_covers_no_instrument(self, doc: Doc) -> None:
        set_at(doc, "/consents/6/voluntary", False)  # psychological testing
        set_at(doc, "/consents/6/decision", "withdrawn")
        set_at(doc, "/consents/6/withdrawn_at", "2026-03-09T10:00:00+01:00")  # days later
        assert ("hard", "/psychological_evaluations/0/instruments/0/administered_on") in codes_at(
            doc, "A16.1"
        )


class TestDeparturesBeforeSealing:
    """Soft rules are allowed, but to seal each departure is stated with its reason."""

    def test_a_stated_departure_allows_sealing(self, doc: Doc) -> None:
        assert [p for p in problems(doc, sealing=True) if p.severity == "hard"] == []

    def test_an_unstated_departure_stops_sealing_but_not_recording(self, doc: Doc) -> None:
        doc["departures"] = []  # the sample's stated reason for rule 6 is gone
        assert codes_at(doc, "A16.6") == [("soft", "/findings/1")]
        assert codes_at(doc, "A16.6", sealing=True) == [
            ("soft", "/findings/1"),
            ("hard", "/findings/1"),
        ]
