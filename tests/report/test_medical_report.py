"""The medical report: structure, languages, diagrams, photographs, signatures and escaping.

The sample evaluation is rendered with four real JPEGs from the shared test data as its
photographs, in every language of the report. The HTML is read back with the standard
library's parser, so the checks are about elements and attributes, not about strings.
"""

from __future__ import annotations

import ast
import base64
import copy
import hashlib
import importlib
import inspect
import io
import os
import re
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import attrs
import pytest
from PIL import Image

from custody.errors import InvalidInput
from custody.medical import (
    ConsistencyLevel,
    Evaluation,
    EvaluationStatus,
    SamplePhoto,
    record_evaluation,
    review_evaluation,
    sample_evaluation,
    seal_evaluation,
)
from custody.report import _examination_sections, _report_context, draw_diagram
from custody.report._i18n import LABELS, LANGUAGES, label, term
from custody.report._medical_report import (
    DIAGRAM_DPI,
    THUMBNAIL_SIDE,
    PhotoImage,
    ReviewNote,
    Signature,
    diagram_png_for,
    render_medical_report,
    reviews_of,
    signatures_of,
)
from custody.testing import Clinicians, fixed_key, new_ledger, prepare_medical_case
from html_page import Page

IMAGES = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "images"
#: The sample's four photographs: identification, orientation of the back, close-up of the
#: back, close-up of the wrist.
PHOTO_FILES = ("Canon_40D.jpg", "Nikon_D70.jpg", "Pentax_K10D.jpg", "Sony_HDR-HC3.jpg")
PHOTO_IDS = ("P1", "P2", "P3", "P4")
PHYSICIAN = fixed_key("medical-report/physician").key_id.hex()
PSYCHOLOGIST = fixed_key("medical-report/psychologist").key_id.hex()
DIGEST = hashlib.sha256(b"the evaluation digest of the sample").hexdigest()
SIGNED_AT = datetime(2026, 3, 4, 16, 30, tzinfo=UTC)
REVIEWER = fixed_key("medical-report/reviewer").key_id.hex()
REVIEWED_AT = datetime(2026, 3, 4, 11, 5, tzinfo=UTC)

#: Each section's id and the label key of its heading.
SECTIONS = {
    "case-and-context": "case_and_context",
    "clinicians": "clinicians",
    "conditions": "conditions",
    "restrictions": "restrictions",
    "consent": "consent",
    "history": "history_and_allegations",
    "symptoms": "symptoms",
    "physical-examination": "physical_examination",
    "body-diagrams": "body_diagrams",
    "photographs": "photographs",
    "samples": "samples",
    "psychological-evaluation": "psychological_evaluation",
    "interpretation": "interpretation",
    "overall-opinion": "overall_opinion",
    "recommendations": "recommendations",
    "departures": "departures",
    "declarations": "declarations",
    "signatures": "signatures",
    "addenda": "addenda",
}
HOSTILE = '<script>alert("x")</script> "><img src=x onerror=alert(1)>'


# --- reading the HTML back --------------------------------------------------------------------


def decoded(uri: str) -> Image.Image:
    header, _, data = uri.partition(",")
    assert header.startswith("data:image/")
    assert header.endswith(";base64")
    return Image.open(io.BytesIO(base64.b64decode(data, validate=True)))


# --- the sample -------------------------------------------------------------------------------


def sample_document(files: dict[str, bytes]) -> dict[str, Any]:
    """The sample evaluation whose photographs are ``files`` (their SHA-256 recorded)."""
    photos = [
        SamplePhoto(item=f"ITEM-{photo_id}", sha256=hashlib.sha256(files[photo_id]).hexdigest())
        for photo_id in PHOTO_IDS
    ]
    return sample_evaluation(
        physician_key=PHYSICIAN,
        psychologist_key=PSYCHOLOGIST,
        identity_commitment=hashlib.sha256(b"identity").hexdigest(),
        photos=photos,
        sample_item="ITEM-S1",
    )


def physician_signature(digest: str = DIGEST) -> Signature:
    return Signature(
        clinician_id="C-PHYS",
        name="Dr Amina Verhoeven (fictional)",
        key_id=PHYSICIAN,
        signed_at=SIGNED_AT,
        digest=digest,
        place="Geneva (fictional)",
    )


def psychologist_signature() -> Signature:
    return Signature("C-PSY", "Dr Tomas Lindqvist (fictional)", PSYCHOLOGIST, SIGNED_AT, DIGEST)


def review_note(digest: str = DIGEST) -> ReviewNote:
    return ReviewNote(key_id=REVIEWER, reviewed_at=REVIEWED_AT, digest=digest)


def reviewed(evaluation: Evaluation, reviews: Any, language: str = "en") -> Page:
    """The report of ``evaluation`` with ``reviews``, sealed by the physician only."""
    text = render_medical_report(
        evaluation,
        language=language,
        signatures=[physician_signature()],
        digest=DIGEST,
        reviews=reviews,
    )
    return Page(text)


@pytest.fixture(scope="module")
def files() -> dict[str, bytes]:
    return {
        p: (IMAGES / "jpg" / name).read_bytes()
        for p, name in zip(PHOTO_IDS, PHOTO_FILES, strict=True)
    }


@pytest.fixture(scope="module")
def evaluation(files: dict[str, bytes]) -> Evaluation:
    return Evaluation.from_json(sample_document(files))


@pytest.fixture(scope="module")
def reports(evaluation: Evaluation, files: dict[str, bytes]) -> dict[str, str]:
    """The sample in every language, sealed by the physician only."""
    return {
        language: render_medical_report(
            evaluation,
            language=language,
            signatures=[physician_signature()],
            photographs=files,
            digest=DIGEST,
        )
        for language in LANGUAGES
    }


@pytest.fixture(scope="module")
def pages(reports: dict[str, str]) -> dict[str, Page]:
    return {language: Page(text) for language, text in reports.items()}


def render(document: dict[str, Any], files: dict[str, bytes], **options: Any) -> Page:
    return Page(render_medical_report(Evaluation.from_json(document), photographs=files, **options))


# --- structure and language -------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_section_is_there_with_its_heading_in_the_language(
    pages: dict[str, Page], language: str
) -> None:
    page = pages[language]
    (html,) = page.root.iter("html")
    assert html.attributes["lang"] == language
    sections = [s.attributes["id"] for s in page.root.iter("section") if "id" in s.attributes]
    assert [s for s in sections if s in SECTIONS] == list(SECTIONS)  # all, in report order
    for section_id, key in SECTIONS.items():
        heading = next(page[section_id].iter("h2"))
        assert heading.text() == label(key, language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_levels_are_the_protocols_terms_highlighted(
    pages: dict[str, Page], evaluation: Evaluation, language: str
) -> None:
    page = pages[language]
    for opinion in evaluation.opinions:
        assert opinion.level is not None
        (level,) = page[f"opinion-{opinion.opinion_id}"].by_class("level")
        assert level.tag == "strong"
        assert level.text() == term(opinion.level, language)
    (overall,) = page["overall-opinion"].by_class("level")
    assert overall.text() == term(ConsistencyLevel.HIGHLY_CONSISTENT_WITH, language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_opinions_link_to_the_findings_and_methods_they_assess(
    pages: dict[str, Page], language: str
) -> None:
    page = pages[language]
    links = {
        opinion: {a.attributes["href"] for a in page[f"opinion-{opinion}"].iter("a")}
        for opinion in ("O1", "O2", "O3")
    }
    assert {"#finding-F1", "#method-M1"} <= links["O1"]
    assert {"#finding-F2", "#finding-F4", "#method-M2"} <= links["O2"]
    assert {"#psych-PE1", "#method-M1"} <= links["O3"]
    assert page["finding-F1"].tag == "tr"  # the finding's row in the findings table
    assert page["method-M1"].tag == "section"
    for anchor in page.root.iter("a"):
        href = anchor.attributes["href"]
        assert href.startswith("#"), href
        assert href[1:] in page.ids, href


@pytest.mark.parametrize("language", LANGUAGES)
def test_findings_table_and_negative_findings(pages: dict[str, Page], language: str) -> None:
    page = pages[language]
    (table,) = page["physical-examination"].iter("table")
    assert next(table.iter("thead"))
    rows = [page[f"finding-{f}"] for f in ("F1", "F2", "F3", "F4")]
    assert all(row.tag == "tr" for row in rows)
    first = [cell.text() for cell in rows[0].iter("td")]
    assert "140 \u00d7 25 mm" in first[6]  # x: the multiplication sign
    assert first[12].startswith("4\u201310 ")  # the estimated age, always a range
    negative = page["finding-F5"]
    assert negative.tag == "li"
    assert "No injury of the face, scalp or ears." in negative.text()


@pytest.mark.parametrize("language", LANGUAGES)
def test_body_diagrams_are_embedded_pngs(pages: dict[str, Page], language: str) -> None:
    page = pages[language]
    figures = [f for f in page["body-diagrams"].iter("figure")]
    assert [f.attributes["id"] for f in figures] == [
        "diagram-front",
        "diagram-back",
        "diagram-hands_dorsal",
    ]
    for figure in figures:
        (img,) = figure.iter("img")
        assert img.attributes["alt"]
        with decoded(img.attributes["src"]) as png:
            assert png.format == "PNG"
            assert round(png.info["dpi"][0]) == DIAGRAM_DPI
            assert png.width >= 1748 or png.height >= 1748  # a print-size figure at 300 dpi
            assert int(img.attributes["width"]) == round(png.width * 96 / DIAGRAM_DPI)
            assert int(img.attributes["height"]) == round(png.height * 96 / DIAGRAM_DPI)
        assert next(figure.iter("figcaption"))
    legend = [li.attributes["value"] for li in page["diagram-back"].iter("li")]
    assert legend == ["1", "2"]


def test_diagram_files_are_the_reports_diagrams(
    pages: dict[str, Page], evaluation: Evaluation
) -> None:
    pngs = diagram_png_for(evaluation, language="es")
    assert list(pngs) == ["front", "back", "hands_dorsal"]
    for view, png in pngs.items():
        (img,) = pages["es"][f"diagram-{view}"].iter("img")
        assert img.attributes["src"] == "data:image/png;base64," + base64.b64encode(png).decode()


@pytest.mark.parametrize("language", LANGUAGES)
def test_diagrams_print_the_side_letters_of_the_reports_language(
    evaluation: Evaluation, language: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[object] = []

    def drawing(*args: Any, **options: Any) -> Image.Image:
        asked.append(options.get("language"))
        return draw_diagram(*args, **options)

    monkeypatch.setattr(_examination_sections, "draw_diagram", drawing)
    diagram_png_for(evaluation, language=language)
    render_medical_report(evaluation, language=language)
    assert asked == [language] * 6  # three views, for the files and for the report


@pytest.mark.parametrize("language", LANGUAGES)
def test_photographs_are_small_clean_thumbnails(pages: dict[str, Page], language: str) -> None:
    page = pages[language]
    for photo_id in PHOTO_IDS:
        (img,) = page[f"photo-{photo_id}"].iter("img")
        with decoded(img.attributes["src"]) as thumbnail:
            assert thumbnail.format == "JPEG"
            assert max(thumbnail.size) <= THUMBNAIL_SIDE
            assert not thumbnail.getexif()
            assert (int(img.attributes["width"]), int(img.attributes["height"])) == thumbnail.size


@pytest.mark.parametrize("language", LANGUAGES)
def test_signatures_list_every_evaluator(pages: dict[str, Page], language: str) -> None:
    page = pages[language]
    signed = page["signature-C-PHYS"]
    (fingerprint,) = signed.by_class("fingerprint")
    assert fingerprint.text() == " ".join(PHYSICIAN[i : i + 4] for i in range(0, 64, 4))
    assert PHYSICIAN in signed.text()
    assert DIGEST in signed.text()
    assert "2026-03-04T16:30:00 UTC" in signed.text()
    unsigned = page["signature-C-PSY"]
    assert label("not_signed", language) in unsigned.text()
    assert PSYCHOLOGIST in unsigned.text()
    (status,) = page.root.by_class("status")
    assert label("status_draft", language) in status.text()


# --- privacy ----------------------------------------------------------------------------------


def test_intimate_photograph_is_never_embedded(files: dict[str, bytes]) -> None:
    document = sample_document(files)
    document["photographs"][2]["intimate"] = True  # P3, its file given all the same
    page = render(document, files)
    p3 = page["photo-P3"]
    assert not list(p3.iter("img"))
    (placeholder,) = p3.by_class("placeholder")
    assert placeholder.text() == label("intimate_not_reproduced", "en")
    assert len(list(page["photographs"].iter("img"))) == 3


@pytest.mark.parametrize(
    "finding",
    [{"location": {"region": "genitals"}}, {"location": {"region": "groin"}, "system": "anal"}],
    ids=["intimate region", "anal system"],
)
def test_photograph_of_an_intimate_finding_is_never_embedded(
    files: dict[str, bytes], finding: dict[str, Any]
) -> None:
    document = sample_document(files)
    document["findings"][1].update(finding)  # F2, shown in P4
    del document["photographs"][3]["body_region"]  # P4, not marked intimate, file given
    assert document["photographs"][3]["intimate"] is False
    page = render(document, files)
    assert not list(page["photo-P4"].iter("img"))
    (placeholder,) = page["photo-P4"].by_class("placeholder")
    assert placeholder.text() == label("intimate_not_reproduced", "en")
    assert len(list(page["photographs"].iter("img"))) == 3


def test_a_photograph_whose_consent_was_withdrawn_is_not_embedded(
    files: dict[str, bytes],
) -> None:
    document = sample_document(files)
    p1 = document["photographs"][0]
    (scope,) = [c["scope"] for c in document["consents"] if c["consent_id"] == p1["consents"][0]]
    for consent in document["consents"]:
        if consent["scope"] == scope:
            consent["withdrawn_at"] = "2026-03-05T09:00:00+00:00"
    page = render(document, files)
    shown = page[f"photo-{p1['photo_id']}"]
    assert not list(shown.iter("img"))
    (placeholder,) = shown.by_class("placeholder")
    assert placeholder.text() == f"{label('consent_withdrawn_not_reproduced', 'en')} 2026-03-05"


def test_no_identifying_or_sensitive_place_is_shown(
    reports: dict[str, str], evaluation: Evaluation
) -> None:
    for text in reports.values():
        assert "Remand prison, wing C" not in text  # the place of detention
        assert "room 2" not in text  # the session's place
        assert "Police station interrogation room" not in text  # the event's place
        assert evaluation.subject.identity_commitment not in text


@pytest.mark.parametrize(
    "photo",
    ["gps/DSCN0010.jpg", "orientation/landscape_6.jpg"],
    ids=["gps", "orientation"],
)
def test_thumbnails_drop_metadata_and_stand_upright(files: dict[str, bytes], photo: str) -> None:
    original = (IMAGES / "jpg" / photo).read_bytes()
    with Image.open(io.BytesIO(original)) as image:
        assert image.getexif()  # the original carries EXIF (GPS, or orientation 6)
    given = {**files, "P2": original}
    page = render(sample_document(given), given)
    (img,) = page["photo-P2"].iter("img")
    with decoded(img.attributes["src"]) as thumbnail:
        assert not thumbnail.getexif()
        assert "icc_profile" not in thumbnail.info
        assert thumbnail.size == (480, 360)  # 640 x 480 scaled; 450 x 600 turned upright


# --- broken and mismatched files --------------------------------------------------------------


@pytest.mark.parametrize(
    "broken",
    [
        (IMAGES / "jpg" / "corrupted.jpg").read_bytes(),  # libjpeg decodes it as grey blocks
        (IMAGES / "jpg" / "Canon_40D.jpg").read_bytes()[:4000],  # cut short
        b"\xff\xd8\xff\xe0 not really a JPEG",
        bytes(range(256)) * 3,
    ],
    ids=["corrupted", "truncated", "jpeg-header-only", "random-bytes"],
)
def test_a_broken_image_becomes_a_placeholder(files: dict[str, bytes], broken: bytes) -> None:
    given = {**files, "P4": broken}
    page = render(sample_document(given), given)
    p4 = page["photo-P4"]
    assert not list(p4.iter("img"))
    (placeholder,) = p4.by_class("placeholder")
    assert placeholder.text().startswith(label("image_not_available", "en"))
    assert label("image_unreadable", "en") in placeholder.text()


def test_a_file_not_matching_the_recorded_hash_is_not_shown(files: dict[str, bytes]) -> None:
    swapped = {**files, "P2": files["P3"]}  # a real photograph, but not this one
    page = render(sample_document(files), swapped)
    (placeholder,) = page["photo-P2"].by_class("placeholder")
    assert label("image_hash_mismatch", "en") in placeholder.text()


def test_a_photograph_without_its_file_says_so(files: dict[str, bytes]) -> None:
    page = render(sample_document(files), {})
    for photo_id in PHOTO_IDS:
        (placeholder,) = page[f"photo-{photo_id}"].by_class("placeholder")
        assert label("image_not_supplied", "en") in placeholder.text()


def test_photographs_may_be_given_as_photo_images(
    evaluation: Evaluation, files: dict[str, bytes], reports: dict[str, str]
) -> None:
    images = [PhotoImage(photo_id, data) for photo_id, data in files.items()]
    text = render_medical_report(
        evaluation, signatures=[physician_signature()], photographs=images, digest=DIGEST
    )
    assert text == reports["en"]


# --- untrusted text ---------------------------------------------------------------------------


def test_hostile_text_is_escaped(files: dict[str, bytes]) -> None:
    document = sample_document(files)
    document["alleged_events"][0]["narrative"]["text"] = HOSTILE
    document["evaluators"][0]["name"] = HOSTILE
    document["findings"][0]["description"] = HOSTILE
    document["opinions"][0]["rationale"] = HOSTILE
    document["restrictions_statement"] = HOSTILE
    document["requested_by"]["organisation"] = HOSTILE
    document["photographs"][2]["colour_reference_type"] = HOSTILE
    text = render_medical_report(Evaluation.from_json(document), photographs=files)
    page = Page(text)
    assert not list(page.root.iter("script"))
    for element in page.root.iter():
        assert not any(name.startswith("on") for name in element.attributes), element
        if element.tag == "img":
            assert element.attributes["src"].startswith("data:image/")
    (narrative,) = page["event-E1"].iter("blockquote")
    assert narrative.text() == HOSTILE  # shown as written, as text
    assert HOSTILE in page["clinician-C-PHYS"].text()
    assert "<script>" not in text
    assert "<img src=x" not in text


def test_the_document_is_self_contained(reports: dict[str, str], pages: dict[str, Page]) -> None:
    for text, page in zip(reports.values(), pages.values(), strict=True):
        assert text.startswith("<!DOCTYPE html>\n")
        assert not list(page.root.iter("script"))
        assert not list(page.root.iter("link"))
        for element in page.root.iter():
            for name in ("src", "href"):
                value = element.attributes.get(name)
                assert value is None or value.startswith(("#", "data:image/")), value
        policies = [
            m.attributes["content"]
            for m in page.root.iter("meta")
            if m.attributes.get("http-equiv") == "Content-Security-Policy"
        ]
        assert policies == [
            "default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
            "base-uri 'none'; form-action 'none'"
        ]


# --- the rest of the report -------------------------------------------------------------------


def test_restrictions_and_departures_are_stated(pages: dict[str, Page]) -> None:
    page = pages["en"]
    (restrictions,) = page["restrictions"].by_class("restrictions")
    items = [li.text() for li in restrictions.iter("li")]
    assert len(items) == 6
    assert items[0].startswith(label("restriction_official_present", "en"))
    assert "Within sight of others" not in items[0]  # the role, in words, not a code
    assert "prison_officer" not in page["restrictions"].text()
    assert "A prison officer remained at the door" in page["restrictions"].text()
    departures = page["departures"].text()
    assert "A16.5" in departures
    assert "A16.6" in departures
    assert "The colour card was not in the room for this photograph." in departures


def test_rules_broken_are_shown(files: dict[str, bytes]) -> None:
    document = sample_document(files)
    document["opinions"][0]["alternatives"] = []  # a level that needs alternatives (rule 9)
    page = render(document, files)
    (warning,) = page["departures"].by_class("warning")
    assert label("rules_broken", "en") in warning.text()


def test_status_is_the_callers_or_derived_from_the_signatures(
    evaluation: Evaluation, files: dict[str, bytes]
) -> None:
    both = [physician_signature(), psychologist_signature()]
    sealed = Page(render_medical_report(evaluation, signatures=both, digest=DIGEST))
    (status,) = sealed.root.by_class("status")
    assert label("status_sealed", "en") in status.text()
    given = Page(render_medical_report(evaluation, status="Sealed and verified on 2026-03-05"))
    (status,) = given.root.by_class("status")
    assert "Sealed and verified on 2026-03-05" in status.text()


def test_seals_in_the_ledger_become_the_reports_signatures(tmp_path: Path) -> None:
    clinicians = Clinicians()
    with new_ledger(tmp_path / "ledger.db") as ledger:
        document, _ = prepare_medical_case(ledger, clinicians, case="CASE-MED")
        evaluation = Evaluation.from_json(document)
        record_evaluation(ledger, "CASE-MED", evaluation, clinicians.physician)
        state = seal_evaluation(ledger, "CASE-MED", evaluation.evaluation_id, clinicians.physician)
    (signature,) = signatures_of(state)
    assert signature.clinician_id == "C-PHYS"
    assert signature.key_id == clinicians.physician.key_id.hex()
    assert signature.digest == state.digest.hex()
    assert state.status is EvaluationStatus.DRAFT
    text = render_medical_report(
        state.evaluation,
        language="es",
        signatures=[signature],
        status=state.status,  # a lifecycle status is shown in the report's language
        digest=state.digest.hex(),
    )
    page = Page(text)
    (status,) = page.root.by_class("status")
    assert label("status_draft", "es") in status.text()
    assert label("signed", "es") in page["signature-C-PHYS"].text()
    assert label("not_signed", "es") in page["signature-C-PSY"].text()


def test_a_signature_over_another_digest_is_flagged(evaluation: Evaluation) -> None:
    other = physician_signature(digest="00" * 32)
    both = [other, psychologist_signature()]
    page = Page(render_medical_report(evaluation, signatures=both, digest=DIGEST))
    (warning,) = page["signature-C-PHYS"].by_class("warning")
    assert label("digest_differs", "en") in warning.text()
    (status,) = page.root.by_class("status")
    assert label("status_draft", "en") in status.text()


# --- reviews ----------------------------------------------------------------------------------


def test_without_reviews_the_report_says_nothing_about_them(
    evaluation: Evaluation, files: dict[str, bytes], reports: dict[str, str]
) -> None:
    text = render_medical_report(
        evaluation,
        signatures=[physician_signature()],
        photographs=files,
        digest=DIGEST,
        reviews=None,
    )
    assert text == reports["en"]
    assert "reviews" not in Page(text).ids
    assert label("review", "en") not in text


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_review_recorded_is_said_in_the_language(evaluation: Evaluation, language: str) -> None:
    page = reviewed(evaluation, [], language)
    block = page["reviews"]
    assert next(block.iter("h3")).text() == label("review", language)
    (sentence,) = block.by_class("none")
    assert sentence.text() == label("no_review_recorded", language)
    assert not block.by_class("review")
    signatures = [s.attributes["id"] for s in page["signatures"].iter() if "id" in s.attributes]
    assert signatures[-1] == "reviews"  # after the evaluators' cards


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_review_shows_the_reviewers_key_and_when(evaluation: Evaluation, language: str) -> None:
    block = reviewed(evaluation, [review_note()], language)["reviews"]
    (card,) = block.by_class("review")
    (fingerprint,) = card.by_class("fingerprint")
    assert fingerprint.text() == " ".join(REVIEWER[i : i + 4] for i in range(0, 64, 4))
    assert REVIEWER in card.text()
    assert DIGEST in card.text()
    assert "2026-03-04T11:05:00 UTC" in card.text()
    assert label("reviewed_at", language) in card.text()
    assert not card.by_class("warning")
    assert label("no_review_recorded", language) not in block.text()


def test_a_review_of_another_digest_is_flagged(evaluation: Evaluation) -> None:
    block = reviewed(evaluation, [review_note(), review_note(digest="00" * 32)])["reviews"]
    current, other = block.by_class("review")
    assert not current.by_class("warning")
    (warning,) = other.by_class("warning")
    assert warning.text().strip() == label("review_digest_differs", "en")


@pytest.mark.parametrize(
    ("reviews", "field"),
    [
        ("not reviews", "reviews"),
        ([review_note(), "not a review"], "reviews[1]"),
        ([physician_signature()], "reviews[0]"),
    ],
    ids=["text", "wrong-type", "a-signature"],
)
def test_reviews_are_checked(evaluation: Evaluation, reviews: Any, field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        render_medical_report(evaluation, reviews=reviews)
    assert caught.value.field == field


def test_review_fields_are_validated_so_no_markup_gets_in(evaluation: Evaluation) -> None:
    with pytest.raises(InvalidInput, match="key_id"):
        ReviewNote(HOSTILE, REVIEWED_AT, DIGEST)
    with pytest.raises(InvalidInput, match="digest"):
        ReviewNote(REVIEWER, REVIEWED_AT, HOSTILE)
    with pytest.raises(InvalidInput, match="reviewed_at"):
        ReviewNote(REVIEWER, datetime(2026, 3, 4), DIGEST)  # naive
    with attrs.validators.disabled():
        hostile = ReviewNote(HOSTILE, REVIEWED_AT, DIGEST)
    with pytest.raises(InvalidInput) as caught:
        render_medical_report(evaluation, reviews=[hostile])
    assert caught.value.field == "key_id"


def test_reviews_in_the_ledger_become_the_reports_reviews(tmp_path: Path) -> None:
    clinicians = Clinicians()
    with new_ledger(tmp_path / "ledger.db") as ledger:
        document, _ = prepare_medical_case(ledger, clinicians, case="CASE-MED")
        evaluation = Evaluation.from_json(document)
        record_evaluation(ledger, "CASE-MED", evaluation, clinicians.physician)
        unreviewed = reviews_of(
            seal_evaluation(ledger, "CASE-MED", evaluation.evaluation_id, clinicians.physician)
        )
        state = review_evaluation(
            ledger, "CASE-MED", evaluation.evaluation_id, clinicians.reviewer, at=REVIEWED_AT
        )
    assert unreviewed == []
    assert reviews_of(state) == [
        ReviewNote(clinicians.reviewer.key_id.hex(), REVIEWED_AT, state.digest.hex())
    ]
    text = render_medical_report(
        state.evaluation, digest=state.digest.hex(), reviews=reviews_of(state), language="fr"
    )
    (card,) = Page(text)["reviews"].by_class("review")
    assert clinicians.reviewer.key_id.hex() in card.text()
    assert not card.by_class("warning")


@pytest.mark.parametrize(
    ("signatures", "field"),
    [
        ([attrs.evolve(psychologist_signature(), clinician_id="C-NOBODY")], "signatures[0]"),
        ([psychologist_signature(), psychologist_signature()], "signatures[1]"),
        (["not a signature"], "signatures[0]"),
    ],
    ids=["not-an-evaluator", "twice", "wrong-type"],
)
def test_signatures_are_checked(evaluation: Evaluation, signatures: list[Any], field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        render_medical_report(evaluation, signatures=signatures)
    assert caught.value.field == field


def test_signature_fields_are_validated() -> None:
    with pytest.raises(InvalidInput, match="key_id"):
        Signature("C-PSY", "Dr T", "ABCD", SIGNED_AT, DIGEST)
    with pytest.raises(InvalidInput, match="signed_at"):
        Signature("C-PSY", "Dr T", PSYCHOLOGIST, datetime(2026, 3, 4), DIGEST)  # naive


@pytest.mark.parametrize("language", ["de", "EN", "", "en-GB"])
def test_an_unsupported_language_is_refused(evaluation: Evaluation, language: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        render_medical_report(evaluation, language=language)
    assert caught.value.field == "language"


def test_the_same_input_gives_the_same_report(
    evaluation: Evaluation, files: dict[str, bytes], reports: dict[str, str]
) -> None:
    again = render_medical_report(
        copy.deepcopy(evaluation),
        language="fr",
        signatures=[physician_signature()],
        photographs=dict(files),
        digest=DIGEST,
    )
    assert again == reports["fr"]


# --- labels -----------------------------------------------------------------------------------

#: The modules that build the report's text, whose label keys are read from their source.
REPORT_MODULES = (
    "_medical_report",
    "_report_context",
    "_case_sections",
    "_examination_sections",
    "_conclusion_sections",
)
SNAKE_CASE = re.compile(r"[a-z][a-z0-9_]*")


def constants(nodes: Iterable[ast.AST]) -> list[str]:
    return [n.value for n in nodes if isinstance(n, ast.Constant) and isinstance(n.value, str)]


def label_keys_in(tree: ast.AST) -> list[str]:
    """The strings in ``tree`` written where the report modules write label keys: the key of
    ``r.t`` and ``r.pair``, a ``Part``'s heading, field rows ``("key", value)``, lists of
    keys (table headers, field names), tables mapping values to keys, and
    ``"a" if ... else "b"``."""
    found: list[str] = []
    for node in ast.walk(tree):
        match node:
            case ast.Call(func=ast.Attribute(attr="t" | "pair"), args=[key, *_]):
                found += constants(ast.walk(key))
            case ast.Call(func=ast.Name(id="Part"), args=[_, key, *_]):
                found += constants([key])
            case ast.Tuple(elts=[ast.Constant(value=str() as key), _]):
                found.append(key)
            case ast.List(elts=elts) | ast.Tuple(elts=elts) if all(
                isinstance(e, ast.Starred) or constants([e]) for e in elts
            ):
                found += constants(elts)
            case ast.Dict(values=values) if values and len(constants(values)) == len(values):
                found += constants(values)
            case ast.IfExp(
                body=ast.Constant(value=str() as a), orelse=ast.Constant(value=str() as b)
            ):
                found += [a, b]
    return found


def is_all(node: ast.stmt) -> bool:
    return isinstance(node, ast.Assign) and any(
        isinstance(target, ast.Name) and target.id == "__all__" for target in node.targets
    )


def report_label_keys() -> set[str]:
    """Every label key written in the source of the report modules, whatever branch uses it."""
    keys: set[str] = set()
    for name in REPORT_MODULES:
        module = importlib.import_module(f"custody.report.{name}")
        tree = ast.parse(inspect.getsource(module))
        tree.body = [node for node in tree.body if not is_all(node)]  # names, not labels
        keys.update(key for key in label_keys_in(tree) if SNAKE_CASE.fullmatch(key))
    return keys


def test_every_label_the_report_uses_is_in_labels_in_every_language() -> None:
    used = report_label_keys()
    assert len(used) > 250  # the scan finds the report's labels
    assert sorted(used - LABELS.keys()) == []
    for key in used:
        row = LABELS[key]
        assert len(row) == len(LANGUAGES), key
        assert all(text.strip() for text in row), key


def test_the_label_scan_sees_every_label_a_report_looks_up(
    evaluation: Evaluation, files: dict[str, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    looked_up: set[str] = set()

    def recording(key: str, language: str) -> str:
        looked_up.add(key)
        return label(key, language)

    monkeypatch.setattr(_report_context, "label", recording)
    render_medical_report(evaluation, signatures=[physician_signature()], photographs=files)
    render_medical_report(evaluation, status=EvaluationStatus.AMENDED)
    render_medical_report(evaluation, digest=DIGEST, reviews=[review_note(digest="00" * 32)])
    render_medical_report(evaluation, reviews=[])
    assert len(looked_up) > 200
    assert looked_up <= report_label_keys()


def test_reports_are_written_for_reading(reports: dict[str, str], tmp_path: Path) -> None:
    """Writes the sample reports where a person can open them (CUSTODY_REPORT_DIR)."""
    directory = Path(os.environ.get("CUSTODY_REPORT_DIR") or tmp_path)
    directory.mkdir(parents=True, exist_ok=True)
    for language, text in reports.items():
        path = directory / f"medical-report-sample-{language}.html"
        path.write_text(text, encoding="utf-8")
        assert path.read_text(encoding="utf-8") == text
