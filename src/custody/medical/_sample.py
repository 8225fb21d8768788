"""A complete, fictional evaluation: for tests, examples and trying the tools out.

Every person, place and event in it is invented. It is built to exercise the whole model:
several lesions with body-diagram marks and photographs, a negative finding, consent with
limits, a prison officer present with a justification, an interpreter, a psychological
evaluation with a diagnosis, and an opinion for each.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import attrs

#: The subject's pseudonym and the evaluation's id in the sample (random UUIDs, fixed here).
SAMPLE_EVALUATION_ID = "6f1d2c3b-8e4a-4f5b-9c6d-7e8f9a0b1c2d"
SAMPLE_SUBJECT_ID = "0b5f2c6e-4c1d-4a8e-9f3b-2d7c1e5a9b40"


@attrs.frozen
class SamplePhoto:
    """A photograph's evidence item in the case: its reference and SHA-256 (hexadecimal)."""

    item: str
    sha256: str
    media_type: str = "image/jpeg"


def sample_evaluation(
    *,
    physician_key: str,
    psychologist_key: str,
    identity_commitment: str,
    photos: Sequence[SamplePhoto],
    sample_item: str | None = None,
    sample_seal: str = "S-20260302-0007",
) -> dict[str, Any]:
    """The sample evaluation as a JSON document.

    Args:
        physician_key: the forensic physician's signing key id (hexadecimal).
        psychologist_key: the psychologist's signing key id (hexadecimal).
        identity_commitment: the commitment of the subject's identity record.
        photos: four photograph items from intake: identification, orientation of the
            back, a close-up of the back with scale, and a close-up of the wrist.
        sample_item: a physical evidence item holding a urine sample, if the case has one.
        sample_seal: the seal on that sample.
    """
    if len(photos) != 4:
        raise ValueError("the sample evaluation takes four photographs")
    document: dict[str, Any] = {
        "evaluation_id": SAMPLE_EVALUATION_ID,
        "protocol_version": "IP-2022",
        "context": "custodial",
        "purpose": "criminal_proceedings",
        "requested_by": {
            "role": "npm",
            "organisation": "National Preventive Mechanism (fictional)",
            "reference": "NPM-2026-031",
        },
        "language": "en",
        "evaluators": [_physician(physician_key), _psychologist(psychologist_key)],
        "subject": {
            "subject_id": SAMPLE_SUBJECT_ID,
            "identity_commitment": identity_commitment,
            "languages": ["ar", "fr"],
            "custody_status": "in_custody",
            "age_range": {"min_years": 25, "max_years": 30},
            "sex_at_birth": "male",
            "handedness": "right",
            "skin_phototype": "IV",
            "place_of_detention": "Remand prison, wing C (fictional)",
        },
        "interpreters": [
            {
                "interpreter_id": "INT-1",
                "languages": ["ar", "en"],
                "affiliation": "Court interpreters' association (fictional)",
                "ties": ["professional"],
                "confidentiality_undertaking": True,
                "mode": "in_person",
                "gender": "female",
            }
        ],
        "sessions": [_examination_session(), _interview_session()],
        "consents": _consents(),
        "alleged_events": [_alleged_event()],
        "symptoms": _symptoms(),
        "findings": _findings(),
        "diagram_annotations": _annotations(),
        "photographs": _photographs(photos),
        "psychological_evaluations": [_psychological_evaluation()],
        "opinions": _opinions(),
        "overall_opinion": _overall_opinion(),
        "recommendations": _recommendations(),
        "restrictions_statement": (
            "A prison officer remained at the door of the examination room for part of the "
            "first session; he could see but not hear the examination. The examination of "
            "the genital region was declined and not performed."
        ),
        "declarations": [
            _declaration("C-PHYS", "Geneva (fictional)"),
            _declaration("C-PSY", "Geneva (fictional)"),
        ],
        "departures": [
            {
                "rule": 6,
                "element": "/findings/1",
                "reason": "The prison's time limit allowed no orientation photograph of the wrist.",
            }
        ],
        "records_reviewed": [
            {
                "type": "custody_medical_record",
                "description": "Prison admission health screening of 28 February 2026.",
            }
        ],
    }
    if sample_item is not None:
        document["samples"] = [_urine_sample(sample_item, sample_seal)]
    return document


def _physician(key: str) -> dict[str, Any]:
    return {
        "clinician_id": "C-PHYS",
        "name": "Dr Amina Verhoeven (fictional)",
        "profession": "forensic_physician",
        "role": "physical",
        "registration": {
            "body": "Medical Council (fictional)",
            "jurisdiction": "Fictional Republic",
            "number": "FP-04417",
            "valid_until": "2028-12-31",
        },
        "qualifications": [
            {"title": "MD", "institution": "University Medical School (fictional)", "year": 2009},
            {
                "title": "Specialist in forensic medicine",
                "institution": "National Board (fictional)",
                "year": 2015,
            },
        ],
        "ip_training": [
            {
                "course": "Istanbul Protocol: medical documentation",
                "provider": "Rehabilitation centre (fictional)",
                "year": 2023,
            }
        ],
        "experience": {"evaluations": 64, "years": 16, "languages": ["en", "fr"]},
        "affiliation": "Independent forensic medicine unit (fictional)",
        "independence": {"employed_by_state": False, "employed_by_detaining_authority": False},
        "key_id": key,
    }


def _psychologist(key: str) -> dict[str, Any]:
    return {
        "clinician_id": "C-PSY",
        "name": "Dr Tomas Lindqvist (fictional)",
        "profession": "clinical_psychologist",
        "role": "psychological",
        "registration": {
            "body": "Board of Psychologists (fictional)",
            "jurisdiction": "Fictional Republic",
            "number": "PS-11802",
        },
        "qualifications": [
            {
                "title": "PhD in clinical psychology",
                "institution": "Fictional University",
                "year": 2012,
            }
        ],
        "experience": {"evaluations": 38, "years": 12, "languages": ["en", "ar"]},
        "affiliation": "Trauma psychology service (fictional)",
        "independence": {"employed_by_state": False, "employed_by_detaining_authority": False},
        "key_id": key,
    }


def _examination_session() -> dict[str, Any]:
    return {
        "session_id": "S1",
        "start": "2026-03-02T10:15:00+01:00",
        "end": "2026-03-02T12:05:00+01:00",
        "location_type": "detention_facility_medical_unit",
        "location": "Remand prison medical unit, room 2 (fictional)",
        "privacy": "visible_by_others",
        "persons_present": [
            {
                "role": "clinician",
                "affiliation": "Independent forensic medicine unit",
                "clinician_id": "C-PHYS",
            },
            {"role": "interpreter", "affiliation": "Court interpreters' association"},
            {
                "role": "prison_officer",
                "affiliation": "Prison service (fictional)",
                "requested_by": "authority",
                "within_earshot": False,
                "within_sight": True,
                "justification": (
                    "The prison director required an officer at the open door; the physician "
                    "asked for him to stand out of earshot, which he did."
                ),
            },
        ],
        "interpreter": "INT-1",
        "restraints": {"present": True, "type": "handcuffs", "removed_on_request": True},
        "time_limited": True,
        "limitation_note": "The prison allowed two hours for the examination.",
        "conditions_notes": "Good artificial light; room warm; examination couch available.",
    }


def _interview_session() -> dict[str, Any]:
    return {
        "session_id": "S2",
        "start": "2026-03-03T09:00:00+01:00",
        "end": "2026-03-03T11:30:00+01:00",
        "location_type": "detention_facility_other_room",
        "privacy": "private",
        "persons_present": [
            {
                "role": "clinician",
                "affiliation": "Trauma psychology service",
                "clinician_id": "C-PSY",
            },
            {"role": "interpreter", "affiliation": "Court interpreters' association"},
        ],
        "interpreter": "INT-1",
        "restraints": {"present": False},
        "time_limited": False,
    }


_INFORMED = {
    "purpose_explained": True,
    "recipients_of_report_explained": True,
    "possible_use_in_proceedings_explained": True,
    "risks_incl_reprisals_explained": True,
    "right_to_refuse_or_stop_explained": True,
    "limits_of_confidentiality_explained": True,
    "storage_and_access_explained": True,
}


def _consent(consent_id: str, scope: str, at: str, by: str, **more: Any) -> dict[str, Any]:
    return {
        "consent_id": consent_id,
        "scope": scope,
        "decision": more.pop("decision", "granted"),
        "informed": dict(_INFORMED),
        "voluntary": True,
        "capacity": "has_capacity",
        "method": "written_signature",
        "language": "ar",
        "obtained_at": at,
        "obtained_by": by,
        "interpreter": "INT-1",
        **more,
    }


def _consents() -> list[dict[str, Any]]:
    at = "2026-03-02T10:20:00+01:00"
    return [
        _consent("K-INT", "interview", at, "C-PHYS"),
        _consent(
            "K-EXAM",
            "physical_examination",
            at,
            "C-PHYS",
            decision="granted_with_limits",
            limits="No examination of the genital region.",
        ),
        _consent(
            "K-GEN",
            "genital_anal_examination",
            at,
            "C-PHYS",
            decision="refused",
            refusal_reason="Declined to give a reason.",
        ),
        _consent("K-PHOTO", "photography", at, "C-PHYS"),
        _consent("K-FACE", "photography_face_identifying", at, "C-PHYS"),
        _consent("K-SAMPLE", "biological_sampling", at, "C-PHYS"),
        _consent("K-PSYTEST", "psychological_testing", "2026-03-03T09:05:00+01:00", "C-PSY"),
        _consent("K-DISCLOSE", "disclosure_to_requesting_party", at, "C-PHYS"),
    ]


def _alleged_event() -> dict[str, Any]:
    return {
        "event_id": "E1",
        "when": {"precision": "day", "earliest": "2026-02-24", "latest": "2026-02-24"},
        "duration": "About six hours",
        "custody_context": "interrogation",
        "place": "Police station interrogation room (fictional)",
        "perpetrators": {
            "affiliation": "Police (fictional)",
            "uniform": "Plain clothes",
            "number": 3,
        },
        "narrative": {
            "text": (
                "He states that during questioning he was made to kneel with his hands cuffed "
                "behind his back, and was struck repeatedly across the back with a flexible "
                "baton. The handcuffs were tightened when he did not answer."
            ),
            "source": "subject_account",
            "language": "en",
            "verbatim": False,
        },
        "methods": [
            {
                "method_id": "M1",
                "category": "blunt_trauma",
                "huridocs_code": "030101",
                "description": "Repeated blows across the back with a flexible baton.",
                "instrument": "Flexible rubber baton",
                "body_regions": ["upper_back", "lower_back"],
                "subject_conscious": "yes",
                "acute_sequelae": "Pain on lying down for about a week.",
            },
            {
                "method_id": "M2",
                "category": "positional_other",
                "huridocs_code": "0311",
                "description": (
                    "Tight handcuffing behind the back for several hours while kneeling."
                ),
                "instrument": "Metal handcuffs",
                "body_regions": ["wrist"],
                "duration": "About five hours",
                "subject_conscious": "yes",
                "acute_sequelae": "Numbness of the left thumb since.",
            },
        ],
        "disclosure_timing": "First told the monitoring team on 2 March 2026.",
    }


def _symptoms() -> list[dict[str, Any]]:
    return [
        {
            "symptom_id": "SY1",
            "domain": "physical",
            "description": "Numbness over the back of the left thumb.",
            "onset": "Since the handcuffing on 24 February 2026",
            "current": True,
            "severity": "mild",
        },
        {
            "symptom_id": "SY2",
            "domain": "psychological",
            "description": "Nightmares about the interrogation and startling at keys in doors.",
            "onset": "Within days of the alleged events",
            "current": True,
            "frequency": "most nights",
        },
    ]


def _lesion(finding_id: str, **fields: Any) -> dict[str, Any]:
    return {
        "finding_id": finding_id,
        "system": "skin",
        "kind": "lesion",
        "count": 1,
        "examiner": "C-PHYS",
        "session": "S1",
        "examined_at": "2026-03-02T10:40:00+01:00",
        **fields,
    }


def _findings() -> list[dict[str, Any]]:
    return [
        _lesion(
            "F1",
            lesion_type="contusion_bruise",
            count=3,
            location={"region": "upper_back", "laterality": "bilateral", "aspect": "posterior"},
            description=(
                "Three parallel linear bruises across the upper back, each with a pale centre "
                "between two bands of bruising."
            ),
            size={"length_mm": 140, "width_mm": 25, "method": "ruler"},
            shape="tramline",
            colours=["purple", "yellow"],
            arrangement="parallel",
            pattern_match="Tramline pattern of a blow with a rod-shaped object",
            healing_stage="healing",
            estimated_age={
                "min_days": 4,
                "max_days": 10,
                "basis": "Colour and margins; ageing by colour is imprecise",
                "confidence": "low",
            },
            attribution={"kind": "alleged_method", "method": "M1"},
            independent_of_self_report=True,
            photographs=["P2", "P3"],
        ),
        _lesion(
            "F2",
            lesion_type="abrasion",
            location={"region": "wrist", "laterality": "left", "aspect": "dorsal"},
            description="Circumferential band of healing abrasion around the left wrist.",
            size={"length_mm": 60, "width_mm": 6, "method": "ruler"},
            shape="linear",
            colours=["brown"],
            surface="scabbed",
            healing_stage="healing",
            attribution={"kind": "alleged_method", "method": "M2"},
            independent_of_self_report=True,
            photographs=["P4"],
        ),
        _lesion(
            "F3",
            lesion_type="scar",
            location={"region": "knee", "laterality": "right", "aspect": "anterior"},
            description="Old pale scar over the right knee.",
            size={"length_mm": 30, "width_mm": 4, "method": "ruler"},
            colours=["hypopigmented"],
            healing_stage="healed_scar",
            attribution={"kind": "accident"},
        ),
        {
            "finding_id": "F4",
            "system": "nervous_system",
            "kind": "neurological_sign",
            "location": {"region": "hand", "laterality": "left", "aspect": "dorsal"},
            "count": 1,
            "description": (
                "Reduced light-touch sensation over the dorsal web space of the left thumb."
            ),
            "attribution": {"kind": "alleged_method", "method": "M2"},
            "examiner": "C-PHYS",
            "session": "S1",
            "examined_at": "2026-03-02T10:40:00+01:00",
        },
        {
            "finding_id": "F5",
            "system": "head_face",
            "kind": "negative_finding",
            "location": {"region": "face"},
            "count": 1,
            "description": "No injury of the face, scalp or ears.",
            "attribution": {"kind": "not_asked"},
            "examiner": "C-PHYS",
            "session": "S1",
            "examined_at": "2026-03-02T10:40:00+01:00",
        },
    ]


def _annotations() -> list[dict[str, Any]]:
    return [
        {"annotation_id": "A1", "finding": "F1", "view": "back", "x": 5000, "y": 2500, "number": 1},
        {"annotation_id": "A2", "finding": "F2", "view": "back", "x": 2696, "y": 4905, "number": 2},
        {
            "annotation_id": "A3",
            "finding": "F3",
            "view": "front",
            "x": 4392,
            "y": 6857,
            "number": 3,
        },
        {
            "annotation_id": "A4",
            "finding": "F4",
            "view": "hands_dorsal",
            "x": 2429,
            "y": 6351,
            "number": 1,
        },
    ]


def _photo(photo_id: str, photo: SamplePhoto, role: str, **fields: Any) -> dict[str, Any]:
    return {
        "photo_id": photo_id,
        "item": photo.item,
        "sha256": photo.sha256,
        "media_type": photo.media_type,
        "captured_at": "2026-03-02T11:00:00+01:00",
        "captured_by": "C-PHYS",
        "role": role,
        "scale_present": fields.pop("scale_present", True),
        "colour_reference_present": fields.pop("colour_reference_present", True),
        "intimate": False,
        "location_metadata": "none",
        "consents": fields.pop("consents", ["K-PHOTO"]),
        "lighting": "artificial",
        **fields,
    }


def _photographs(photos: Sequence[SamplePhoto]) -> list[dict[str, Any]]:
    face, back, back_close, wrist = photos
    return [
        _photo(
            "P1",
            face,
            "identification",
            consents=["K-PHOTO", "K-FACE"],
            scale_present=False,
            colour_reference_present=False,
        ),
        _photo("P2", back, "orientation", findings=["F1"], body_region="upper_back"),
        _photo(
            "P3",
            back_close,
            "close_up_with_scale",
            findings=["F1"],
            scale_type="ABFO_No2",
            colour_reference_type="ABFO No. 2 grey and colour patches",
            body_region="upper_back",
        ),
        _photo(
            "P4",
            wrist,
            "close_up",
            findings=["F2"],
            scale_type="ruler",
            colour_reference_present=False,
            missing_reference_reason="The colour card was not in the room for this photograph.",
            body_region="wrist",
        ),
    ]


def _urine_sample(item: str, seal: str) -> dict[str, Any]:
    return {
        "sample_id": "SM1",
        "item": item,
        "type": "urine",
        "collected_at": "2026-03-02T11:40:00+01:00",
        "collected_by": "C-PHYS",
        "consent": "K-SAMPLE",
        "method": "Clean-catch midstream sample",
        "container": "Sterile 60 ml container in a sealed evidence bag",
        "seal": seal,
        "label_text": "SM1 urine 2026-03-02 11:40",
        "storage": "refrigerated",
        "analyses": ["myoglobin", "toxicology"],
    }


def _psychological_evaluation() -> dict[str, Any]:
    return {
        "psych_eval_id": "PE1",
        "evaluator": "C-PSY",
        "sessions": ["S2"],
        "cultural_and_language_considerations": (
            "Interviewed in Arabic through a professional interpreter; he describes distress "
            "mostly through bodily complaints, which was taken into account."
        ),
        "history": {
            "pre_torture": "Worked as a mechanic; no earlier psychiatric care.",
            "torture_and_detention": (
                "See the alleged events; he was held incommunicado for two days."
            ),
            "current_complaints": "Nightmares, poor sleep, startle at keys and footsteps.",
            "past_psychiatric": "None reported.",
            "substance_use": "No alcohol; smokes ten cigarettes a day.",
            "medical_incl_head_injury": "No head injury reported.",
        },
        "mental_status": {
            "appearance_behaviour": "Tired, cooperative, guarded at first.",
            "mood": "Low.",
            "affect": "Anxious, appropriate to content.",
            "thought_content": "Intrusive memories of the interrogation; no suicidal ideation.",
            "cognition": "Oriented; concentration reduced.",
        },
        "social_functioning": "Withdrawn from other detainees; keeps to his cell.",
        "instruments": [
            {
                "name": "Harvard Trauma Questionnaire",
                "language": "ar",
                "validated_for_population": True,
                "administered_by": "C-PSY",
                "administered_on": "2026-03-03",
                "raw_score": "2.7",
                "interpretation": "Above the usual threshold for clinically significant symptoms.",
            }
        ],
        "diagnoses": [
            {
                "system": "ICD-11",
                "code": "6B40",
                "label": "Post-traumatic stress disorder",
                "certainty": "provisional",
                "made_on": "2026-03-03",
            }
        ],
        "coexisting_stressors": "Uncertainty about his trial; separation from his family.",
        "course_and_timeframe": "Symptoms began within days of the alleged events.",
        "inconsistencies": [
            {
                "description": "Gave the number of officers first as two, later as three.",
                "possible_explanations": "Stress during the events; one officer came and went.",
                "clarification_sought": True,
            }
        ],
    }


def _alternatives() -> list[dict[str, Any]]:
    return [
        {
            "cause": "Fall",
            "likelihood": "unlikely",
            "reason": "A fall does not produce several parallel tramline bruises.",
        },
        {
            "cause": "Self-infliction",
            "likelihood": "very unlikely",
            "reason": "The upper back is out of reach for blows of this kind.",
        },
    ]


def _opinions() -> list[dict[str, Any]]:
    return [
        {
            "opinion_id": "O1",
            "domain": "physical",
            "findings": ["F1"],
            "target": {"kind": "alleged_method", "method": "M1"},
            "status": "assessed",
            "level": "highly_consistent_with",
            "rationale": (
                "Parallel tramline bruises are characteristic of blows with a rod-shaped object."
            ),
            "alternatives": _alternatives(),
            "self_harm_considered": True,
            "self_harm_reasoning": "The site is out of reach.",
            "basis": ["clinical_exam", "photographs"],
            "author": "C-PHYS",
        },
        {
            "opinion_id": "O2",
            "domain": "physical",
            "findings": ["F2", "F4"],
            "target": {
                "kind": "alleged_method",
                "method": "M2",
                "circumstances": "Handcuffs tightened behind the back for several hours",
            },
            "status": "assessed",
            "level": "consistent_with",
            "rationale": "Circumferential wrist abrasion with a superficial radial nerve deficit.",
            "alternatives": [
                {
                    "cause": "Lawful handcuffing at arrest",
                    "likelihood": "possible",
                    "reason": "Ordinary handcuffing can abrade the wrist, less often the nerve.",
                }
            ],
            "basis": ["clinical_exam"],
            "author": "C-PHYS",
        },
        {
            "opinion_id": "O3",
            "domain": "psychological",
            "psychological_evaluation": "PE1",
            "target": {"kind": "alleged_method", "method": "M1"},
            "status": "assessed",
            "level": "consistent_with",
            "rationale": "The symptoms and their onset fit the account of the interrogation.",
            "alternatives": [
                {
                    "cause": "Stress of detention alone",
                    "likelihood": "possible contributor",
                    "reason": (
                        "Detention stress adds to but does not explain the content of the "
                        "intrusions."
                    ),
                }
            ],
            "basis": ["clinical_exam", "literature"],
            "author": "C-PSY",
        },
    ]


def _overall_opinion() -> dict[str, Any]:
    return {
        "level": "highly_consistent_with",
        "considers": [
            "physical_findings",
            "psychological_findings",
            "historical_information",
            "photographic_findings",
        ],
        "narrative": (
            "Taken together, the patterned bruising of the back, the wrist injury with nerve "
            "involvement and the psychological findings are highly consistent with the "
            "account of beating and prolonged tight handcuffing."
        ),
        "current_symptoms_and_disabilities": "Numbness of the left thumb; post-traumatic symptoms.",
        "likely_effects_on_social_functioning": (
            "Withdrawal and poor sleep limit his daily functioning."
        ),
    }


def _recommendations() -> list[dict[str, Any]]:
    return [
        {
            "kind": "do_not_return_to_place_of_detention",
            "text": "He should not be returned to the custody of the police station concerned.",
            "urgency": "urgent",
        },
        {
            "kind": "specialist_referral",
            "text": "Neurological review of the left superficial radial nerve.",
            "urgency": "priority",
        },
        {
            "kind": "psychological_care",
            "text": "Trauma-focused psychological care, with an interpreter.",
            "urgency": "priority",
        },
    ]


def _declaration(clinician: str, place: str) -> dict[str, Any]:
    return {
        "clinician": clinician,
        "statement": (
            "I declare that this report is true to the best of my knowledge, that I have "
            "reported all findings including those that do not support the allegations, and "
            "that I have acted independently of any party."
        ),
        "place": place,
        "made_on": "2026-03-04",
    }
