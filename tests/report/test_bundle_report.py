"""The bundle verification report: verdict first, escaping, self-containment, images, caps.

The bundle verifier is written elsewhere; here :func:`sample_verification` builds by hand
what it would report for a realistic bundle: three people moving two items (one sealed
physical item, one file), a seal found broken on receipt, and a medical evaluation sealed by
its two evaluators, with four photographs (one of them intimate). The HTML is read back with
the standard library's parser, so most checks are about elements, not strings.
"""

from __future__ import annotations

import hashlib
import io
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import attrs
import pytest
from PIL import Image

from custody.bundle._contents import (
    BundleEvaluation,
    BundleFile,
    BundleItem,
    BundleSigner,
    BundleVerification,
    ExportFacts,
    FileStatus,
    TimelineEvent,
)
from custody.bundle._verify import CHECK_OF_CODE
from custody.medical import Evaluation, SamplePhoto, sample_evaluation
from custody.report._bundle_report import _FALLBACK, explain_problem, render_bundle_report
from custody.report._html import data_uri
from custody.report._medical_report import diagram_png_for
from custody.report._thumbnails import make_thumbnail
from custody.report._timeline import MAX_LANES
from custody.testing import SAMPLE_TIME, Cast, Clinicians
from custody.verify import Check, Location, Problem, VerificationReport
from html_page import Page

CAST = Cast()
CLINICIANS = Clinicians()
INES, CARL = CAST.investigator.key_id, CAST.courier.key_id
AMINA, TOMAS = CLINICIANS.physician.key_id, CLINICIANS.psychologist.key_id
CASE = "NPM-2026-014"
BUNDLE = "exports/NPM-2026-014 bundle.zip"
HOSTILE = '<script>alert("x")</script> "><img src=x onerror=alert(1)> &amp;'
VERIFIED = (
    "VERIFIED: every file, signature and event in this bundle checked out against the keys "
    "you trust."
)
EXTERNAL = re.compile(r'(src|href)="(?!data:|#)')


# --- the sample bundle ------------------------------------------------------------------------


def jpeg(colour: tuple[int, int, int]) -> bytes:
    """A small real photograph stand-in: a JPEG of one colour with a darker square."""
    image = Image.new("RGB", (64, 48), colour)
    image.paste(tuple(c // 2 for c in colour), (16, 12, 48, 36))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


PHOTOS = {
    f"P{n + 1}": jpeg(colour)
    for n, colour in enumerate([(200, 60, 60), (60, 200, 60), (60, 60, 200), (200, 200, 60)])
}
INTIMATE = "P3"


@attrs.frozen
class InMemory:
    """A photograph file already in memory (the verifier's come from the bundle)."""

    data: bytes

    def read(self) -> bytes:
        return self.data


def in_memory(photos: dict[str, bytes]) -> dict[str, InMemory]:
    return {photo_id: InMemory(data) for photo_id, data in photos.items()}


def sample_evaluation_object() -> Evaluation:
    """The sample evaluation, its photographs the JPEGs above, P3 marked intimate."""
    photos = [
        SamplePhoto(item=f"PHOTO-{n}", sha256=hashlib.sha256(data).hexdigest())
        for n, data in enumerate(PHOTOS.values(), start=1)
    ]
    document = sample_evaluation(
        physician_key=AMINA.hex(),
        psychologist_key=TOMAS.hex(),
        identity_commitment=hashlib.sha256(b"identity").hexdigest(),
        photos=photos,
        sample_item="SAMPLE-SM1",
    )
    document["photographs"][2]["intimate"] = True
    return Evaluation.from_json(document)


EVALUATION = sample_evaluation_object()


def timeline_event(
    index: int, item: str | None, seq: int, type_: str, actor: bytes, minutes: int, **fields: Any
) -> TimelineEvent:
    values: dict[str, Any] = {
        "recipient": None,
        "seals": (),
        "seal_state": None,
        "place": None,
        "purpose": None,
        "problems": 0,
    }
    values.update(fields)
    return TimelineEvent(
        index=index,
        item=item,
        seq=seq,
        type=type_,
        time=SAMPLE_TIME + timedelta(minutes=minutes),
        actor=actor,
        **values,
    )


def sample_timeline() -> tuple[TimelineEvent, ...]:
    lab = "Forensic Laboratory, intake desk"
    rows: list[tuple[str | None, str, bytes, int, dict[str, Any]]] = [
        (None, "opened", INES, 0, {"purpose": "visit of 2 March"}),
        (
            "ITEM-1",
            "acquired",
            INES,
            15,
            {"seals": ("S-0001",), "seal_state": "intact", "place": "Detention centre, room 12"},
        ),
        ("PHOTO-1", "acquired", INES, 20, {}),
        (
            "ITEM-1",
            "transferred",
            INES,
            30,
            {"recipient": CARL, "seals": ("S-0001",), "purpose": "transport to the laboratory"},
        ),
        ("ITEM-1", "received", CARL, 45, {"seals": ("S-0001",), "seal_state": "intact"}),
        ("ITEM-1", "transferred", CARL, 60, {"recipient": AMINA, "seals": ("S-0001",)}),
        (
            "ITEM-1",
            "received",
            AMINA,
            90,
            {"seals": ("S-0001",), "seal_state": "broken", "place": lab},
        ),
        ("ITEM-1", "sealed", AMINA, 100, {"seals": ("S-0002",), "seal_state": "intact"}),
        ("PHOTO-1", "transferred", INES, 110, {"recipient": AMINA}),
        ("PHOTO-1", "received", AMINA, 115, {"seal_state": "unsealed"}),
        ("EV-1", "evaluation_recorded", AMINA, 200, {}),
        ("EV-1", "evaluation_sealed", AMINA, 210, {}),
        ("EV-1", "evaluation_sealed", TOMAS, 220, {}),
        (None, "exported", INES, 300, {"purpose": "for the court"}),
    ]
    seqs: dict[str | None, int] = {}
    events = []
    for index, (item, type_, actor, minutes, fields) in enumerate(rows):
        seqs[item] = seqs.get(item, -1) + 1
        events.append(timeline_event(index, item, seqs[item], type_, actor, minutes, **fields))
    return tuple(events)


def sample_items() -> tuple[BundleItem, ...]:
    photo = PHOTOS["P1"]
    return (
        BundleItem(
            reference="ITEM-1",
            kind="physical",
            description="Cotton T-shirt, blood-stained",
            files=(),
            seals=("S-0002",),
            holder=AMINA,
            ended_by=None,
            events=6,
        ),
        BundleItem(
            reference="PHOTO-1",
            kind="digital",
            description="Photograph of the cell",
            files=(
                BundleFile(
                    "IMG_0001.jpg",
                    hashlib.sha256(photo).digest(),
                    len(photo),
                    "image/jpeg",
                    "files/PHOTO-1/IMG_0001.jpg",
                    FileStatus.VERIFIED,
                ),
                BundleFile(
                    "scan.tiff",
                    hashlib.sha256(b"scan").digest(),
                    12_345_678,
                    "image/tiff",
                    None,
                    FileStatus.WITHHELD,
                ),
            ),
            seals=(),
            holder=AMINA,
            ended_by=None,
            events=3,
        ),
    )


def signer(key: bytes, name: str, role: str, organisation: str, events: int) -> BundleSigner:
    return BundleSigner(
        key_id=key,
        public_key=hashlib.sha256(key).digest(),
        claimed_name=name,
        claimed_role=role,
        claimed_organisation=organisation,
        trusted_name=name,
        trusted_roles=(role,),
        events=events,
    )


def sample_report(problems: tuple[Problem, ...] = ()) -> VerificationReport:
    checks: tuple[Check, ...] = (
        Check("bundle members listed", 7, 0),
        Check("signatures", 14, 0),
        Check("chain links", 14, 0),
        Check("custody transitions", 14, 0),
        Check("log consistent with held checkpoints", 0, 0),
    )
    if problems:
        checks = (*checks, Check("bundle members unchanged", 7, len(problems)))
    broken = Problem(
        "SEALS_REPORTED_BROKEN",
        Location(case=CASE, item="ITEM-1", seq=4, index=6),
        "the recipient recorded the seals S-0001 as broken",
    )
    return VerificationReport(f"bundle {BUNDLE}", checks, problems, (broken,))


def sample_verification(problems: tuple[Problem, ...] = ()) -> BundleVerification:
    """A realistic verification of a bundle: ok when no problems are given."""
    evaluation = BundleEvaluation(
        reference="EV-1",
        status="sealed",
        version=0,
        digest=hashlib.sha256(b"digest of EV-1").digest(),
        evaluators=(AMINA, TOMAS),
        sealed_by=(AMINA, TOMAS),
        evaluation=EVALUATION,
        photographs=in_memory(PHOTOS),
    )
    return BundleVerification(
        report=sample_report(problems),
        bundle=BUNDLE,
        case=CASE,
        origin="npm.example/ledger",
        export=ExportFacts(
            exported_by=INES,
            exported_at=SAMPLE_TIME + timedelta(minutes=300),
            purpose="for the court",
            log_size=18,
            root_hash=hashlib.sha256(b"root").digest(),
        ),
        items=sample_items(),
        signers=(
            signer(INES, "Ines Investigator", "investigator", "Monitoring Body", 6),
            signer(CARL, "Carl Courier", "courier", "Evidence Transport", 2),
            signer(AMINA, "Dr Amina Verhoeven", "forensic physician", "Unit", 5),
            signer(TOMAS, "Dr Tomas Lindqvist", "psychologist", "Unit", 1),
        ),
        timeline=sample_timeline(),
        evaluations=(evaluation,),
    )


CHANGED = Problem(
    "MEMBER_CHANGED",
    Location(case=CASE, member="files/PHOTO-1/IMG_0001.jpg"),
    "its SHA-256 is not the one listed in the manifest",
)


# --- reading the HTML back --------------------------------------------------------------------


@pytest.fixture(scope="module")
def ok_html() -> str:
    return render_bundle_report(sample_verification(), trust_source="court-trust.json")


@pytest.fixture(scope="module")
def failed_html() -> str:
    hostile = Problem("SIGNATURE_INVALID", Location(case=CASE, item=HOSTILE, seq=3), HOSTILE)
    return render_bundle_report(sample_verification((CHANGED, hostile)))


# --- the verdict ------------------------------------------------------------------------------


def test_verified_verdict_comes_first(ok_html: str) -> None:
    page = Page(ok_html)
    verdict = page["verdict"]
    text = " ".join(verdict.text().split())
    assert VERIFIED in text
    assert "Case NPM-2026-014 · 2 items · 14 events · 2 files" in text
    assert "exported 2026-03-02T14:00:00 UTC by Ines Investigator (trusted)" in text
    assert "1 thing to note" in text
    assert ok_html.index(VERIFIED) < ok_html.index('id="items"')
    assert "NOT VERIFIED" not in ok_html


def test_failed_verdict_lists_the_first_problems_and_links_to_all(failed_html: str) -> None:
    page = Page(failed_html)
    verdict = page["verdict"]
    text = " ".join(verdict.text().split())
    assert text.startswith("NOT VERIFIED: 2 problems were found.")
    assert failed_html.index("NOT VERIFIED") < failed_html.index('id="items"')
    listed = [li.text() for li in verdict.iter("li")]
    assert len(listed) == 2
    assert explain_problem("MEMBER_CHANGED") in listed[0]
    assert "files/PHOTO-1/IMG_0001.jpg" in listed[0]
    assert any(a.attributes["href"] == "#problems" for a in verdict.iter("a"))
    assert VERIFIED not in failed_html


def test_verdict_caps_the_problems_it_lists() -> None:
    problems = tuple(
        Problem("CHAIN_PREV", Location(case=CASE, item="ITEM-1", seq=n), f"problem {n}")
        for n in range(12)
    )
    page = Page(render_bundle_report(sample_verification(problems)))
    verdict = page["verdict"]
    assert len(list(verdict.iter("li"))) == 5
    assert "7 more not shown here." in verdict.text()
    assert len([r for r in page["problems"].iter("tr") if "id" in r.attributes]) == 12


def test_untrusted_signers_are_worded_apart() -> None:
    untrusted = Problem(
        "KEY_UNTRUSTED", Location(case=CASE, item="ITEM-1", seq=2), "key not in the policy"
    )
    page = Page(render_bundle_report(sample_verification((untrusted,))))
    text = " ".join(page["verdict"].text().split())
    assert text.startswith("NOT VERIFIED: 1 problem was found.")
    assert "signed by a key your trust policy does not list" in text.lower()
    assert "the evidence may be intact, but you cannot know who signed it" in text
    assert "Every problem found is about who signed, not about changes" in text
    for code in ("KEY_UNKNOWN", "LOG_UNTRUSTED"):
        assert "trust policy does not list" in explain_problem(code)
    assert "another period" in explain_problem("KEY_NOT_VALID")


def test_every_bundle_problem_code_has_plain_words_of_its_own_or_its_family() -> None:
    assert [code for code in CHECK_OF_CODE if explain_problem(code) == _FALLBACK] == []
    assert "kept earlier" in explain_problem("CHECKPOINT_UNPROVEN")
    assert "none of its signed events" in explain_problem("RECORD_UNREFERENCED")


def test_untrusted_exporter_is_not_called_trusted() -> None:
    v = sample_verification()
    signers = tuple(
        attrs.evolve(s, trusted_name=None, trusted_roles=()) if s.key_id == INES else s
        for s in v.signers
    )
    page = Page(render_bundle_report(attrs.evolve(v, signers=signers)))
    text = " ".join(page["verdict"].text().split())
    assert "by Ines Investigator (claimed), not listed in your trust policy" in text
    (ines,) = [
        a
        for a in page.root.iter("article")
        if "Ines" in a.text() and "signer" in a.attributes["class"]
    ]
    assert "NOT TRUSTED (claimed only)" in ines.text()


# --- escaping and self-containment ------------------------------------------------------------


def test_hostile_text_is_escaped(failed_html: str) -> None:
    assert "<script>" not in failed_html
    assert "<img src=x" not in failed_html
    page = Page(failed_html)
    assert not list(page.root.iter("script"))
    problems = page["problems"].text()
    assert HOSTILE in problems  # shown as text, exactly
    assert all(img.attributes["src"].startswith("data:") for img in page.root.iter("img"))


def test_hostile_bundle_text_everywhere_is_escaped() -> None:
    v = sample_verification()
    item = attrs.evolve(v.items[0], reference=HOSTILE, description=HOSTILE, seals=(HOSTILE,))
    signers = (
        attrs.evolve(v.signers[0], claimed_name=HOSTILE, trusted_name=HOSTILE),
        *v.signers[1:],
    )
    timeline = tuple(
        attrs.evolve(e, item=HOSTILE, place=HOSTILE, purpose=HOSTILE, seals=(HOSTILE,))
        if e.item == "ITEM-1"
        else e
        for e in v.timeline
    )
    hostile = attrs.evolve(
        v,
        bundle=HOSTILE,
        case=HOSTILE,
        origin=HOSTILE,
        items=(item, *v.items[1:]),
        signers=signers,
        timeline=timeline,
    )
    html = render_bundle_report(hostile, trust_source=HOSTILE)
    assert "<script>" not in html
    assert "<img src=x" not in html
    assert EXTERNAL.search(html) is None
    Page(html)


def test_no_external_reference(ok_html: str, failed_html: str) -> None:
    for html in (ok_html, failed_html):
        assert EXTERNAL.search(html) is None
        assert "http://" not in html
        assert "https://" not in html
        assert "<script" not in html
        assert "<link" not in html


def test_the_html_parses_cleanly(ok_html: str, failed_html: str) -> None:
    for html in (ok_html, failed_html):
        assert html.startswith('<!DOCTYPE html>\n<html lang="en">')
        page = Page(html)
        ids = [e.attributes["id"] for e in page.root.iter() if "id" in e.attributes]
        assert len(ids) == len(set(ids))  # ids are unique
        for anchor in page.root.iter("a"):
            assert anchor.attributes["href"][1:] in page.ids


def test_same_input_same_text(ok_html: str) -> None:
    assert render_bundle_report(sample_verification(), trust_source="court-trust.json") == ok_html


def test_sections_in_the_order_a_judge_reads_them(ok_html: str) -> None:
    page = Page(ok_html)
    sections = [s.attributes["id"] for s in page.root.iter("section")]
    assert sections == [
        "bundle",
        "items",
        "timeline",
        "signers",
        "evaluations",
        "checks",
        "problems",
        "notices",
        "check-yourself",
    ]


def test_print_rules(ok_html: str) -> None:
    assert "@media print" in ok_html
    assert "break-inside: avoid" in ok_html
    assert "figure.timeline svg { display: block; width: 100%;" in ok_html


# --- items, timeline, signers -----------------------------------------------------------------


def test_items_show_their_files_and_hashes(ok_html: str) -> None:
    page = Page(ok_html)
    photo = page["item-2"]
    text = photo.text()
    sha = hashlib.sha256(PHOTOS["P1"]).hexdigest()
    assert sha in text  # in full
    assert "withheld (hash only)" in text
    assert "12,345,678 bytes (12.3 MB)" in text
    assert "Dr Amina Verhoeven" in text
    hashes = [c for c in photo.iter("code") if "hash" in c.attributes.get("class", "")]
    assert len(hashes) == 2


def test_changed_and_missing_files_stand_out() -> None:
    v = sample_verification((CHANGED,))
    files = tuple(
        attrs.evolve(f, status=s)
        for f, s in zip(v.items[1].files, (FileStatus.CHANGED, FileStatus.MISSING), strict=True)
    )
    item = attrs.evolve(v.items[1], files=files, holder=None, ended_by="disposed")
    page = Page(render_bundle_report(attrs.evolve(v, items=(v.items[0], item))))
    statuses = [
        s.text() for s in page["item-2"].iter("span") if "file-status" in s.attributes["class"]
    ]
    assert statuses == ["CHANGED", "MISSING"]
    assert "nobody: custody ended (disposed)" in page["item-2"].text()


def test_timeline_figure_notes_and_table(ok_html: str) -> None:
    page = Page(ok_html)
    section = page["timeline"]
    (svg,) = section.iter("svg")
    lanes = [g for g in svg.iter("g") if g.attributes.get("class") == "lane"]
    assert len(lanes) == 2  # ITEM-1 and PHOTO-1; not the evaluation, not the case
    caption = next(section.iter("figcaption")).text()
    assert "claimed times" in caption
    notes = [li.text() for li in section.iter("li")]
    assert len(notes) == 6  # every event naming seals on the drawn lanes
    assert "BROKEN" in notes[4]
    (table,) = [t for t in section.iter("table")]
    rows = list(next(table.iter("tbody")).iter("tr"))
    assert len(rows) == 14  # every event, in log order
    assert [r.attributes["id"] for r in rows] == [f"event-{n}" for n in range(14)]
    headers = [th.text() for th in table.iter("th")]
    assert headers[:3] == ["Time (claimed)", "Item", "Event"]


def test_two_hundred_items_cap_the_lanes() -> None:
    v = sample_verification()
    events = tuple(
        timeline_event(n, f"ITEM-{n:03d}", 0, "acquired", (INES, CARL, AMINA)[n % 3], n)
        for n in range(200)
    )
    items = tuple(
        BundleItem(f"ITEM-{n:03d}", "physical", None, (), (), INES, None, 1) for n in range(200)
    )
    html = render_bundle_report(attrs.evolve(v, timeline=events, items=items))
    page = Page(html)
    (svg,) = page["timeline"].iter("svg")
    assert len([g for g in svg.iter("g") if g.attributes.get("class") == "lane"]) == MAX_LANES
    assert "160 more items not drawn; see the table." in svg.text()
    assert (
        "160 more items not drawn; see the table."
        in next(page["timeline"].iter("figcaption")).text()
    )


def test_signers_show_claims_trust_and_fingerprints(ok_html: str) -> None:
    page = Page(ok_html)
    section = page["signers"]
    assert "are claims" in section.text()
    cards = [a for a in section.iter("article")]
    assert len(cards) == 4
    fingerprint = next(c for c in cards[0].iter("code") if "fingerprint" in c.attributes["class"])
    hex_id = INES.hex()
    assert fingerprint.text() == " ".join(hex_id[i : i + 4] for i in range(0, len(hex_id), 4))
    assert all("TRUSTED" in card.text() for card in cards)


# --- evaluations ------------------------------------------------------------------------------


def test_evaluation_diagrams_and_thumbnails_are_data_uris(ok_html: str) -> None:
    page = Page(ok_html)
    section = page["evaluations"]
    sources = [img.attributes["src"] for img in section.iter("img")]
    diagrams = diagram_png_for(EVALUATION)
    for png in diagrams.values():
        assert data_uri("image/png", png) in sources
    for photo_id in ("P1", "P2", "P4"):
        thumbnail = make_thumbnail(PHOTOS[photo_id])
        assert thumbnail is not None
        assert data_uri("image/jpeg", thumbnail.jpeg) in sources
    assert len(sources) == len(diagrams) + 3
    text = section.text()
    assert "Dr Amina Verhoeven, Dr Tomas Lindqvist" in text
    assert "sealed: every evaluator signed this version" in text
    assert "Highly consistent" in text or "highly consistent" in text


def test_intimate_photographs_are_never_shown(ok_html: str) -> None:
    thumbnail = make_thumbnail(PHOTOS[INTIMATE])
    assert thumbnail is not None
    assert data_uri("image/jpeg", thumbnail.jpeg) not in ok_html
    assert data_uri("image/jpeg", PHOTOS[INTIMATE]) not in ok_html
    assert "Intimate photograph: not reproduced" in ok_html


def test_a_photograph_whose_bytes_do_not_match_is_not_shown() -> None:
    v = sample_verification()
    evaluation = attrs.evolve(
        v.evaluations[0], photographs=in_memory({**PHOTOS, "P1": PHOTOS["P2"]})
    )
    page = Page(render_bundle_report(attrs.evolve(v, evaluations=(evaluation,))))
    text = page["evaluations"].text()
    assert "does not match the recorded SHA-256" in text


def test_an_unreadable_evaluation_record_is_said() -> None:
    v = sample_verification()
    evaluation = attrs.evolve(v.evaluations[0], evaluation=None, photographs={})
    page = Page(render_bundle_report(attrs.evolve(v, evaluations=(evaluation,))))
    section = page["evaluations"]
    assert "could not be read" in section.text()
    assert not list(section.iter("img"))


# --- checks, problems, how to check -----------------------------------------------------------


def test_every_check_with_its_result(failed_html: str) -> None:
    page = Page(failed_html)
    rows = [[td.text() for td in tr.iter("td")] for tr in page["checks"].iter("tr")][1:]
    results = {r[0]: r[3] for r in rows}
    assert results["signatures"] == "passed"
    assert results["log consistent with held checkpoints"] == "nothing to check"
    assert results["bundle members unchanged"] == "FAILED"


def test_problems_in_full_with_plain_explanations(failed_html: str) -> None:
    page = Page(failed_html)
    first = [td.text() for td in page["problem-1"].iter("td")]
    assert first[0] == "MEMBER_CHANGED"
    assert first[1] == "case NPM-2026-014, files/PHOTO-1/IMG_0001.jpg"
    assert first[3] == explain_problem("MEMBER_CHANGED")
    notices = page["notices"].text()
    assert "SEALS_REPORTED_BROKEN" in notices
    assert "not a failure" in notices


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("MEMBER_CHANGED", "changed after export"),
        ("CHAIN_SEQ", "missing, inserted or out of order"),
        ("CHAIN_PREV", "missing, inserted or out of order"),
        ("INCLUSION_INVALID", "not part of the signed log"),
        ("CHECKPOINT_SIGNATURE", "signed summary"),
        ("CHECKPOINT_SOMETHING_NEW", "signed summary"),
        ("MEDICAL_DIGEST", "medical evaluation"),
        ("EXPORT_MISSING", "export"),
        ("MANIFEST_MALFORMED", "list of its own contents"),
        ("FILE_SIZE", "fingerprint (SHA-256)"),
        ("SEAL_MISMATCH", "seal"),
        ("NO_SUCH_CODE", "A check failed"),
    ],
)
def test_explanations_by_code_and_family(code: str, words: str) -> None:
    assert words in explain_problem(code)


def test_how_to_check_names_the_bundle_and_the_trust_policy(ok_html: str) -> None:
    page = Page(ok_html)
    (command,) = page["check-yourself"].iter("pre")
    assert (
        command.text()
        == "custody verify 'exports/NPM-2026-014 bundle.zip' --trust court-trust.json"
    )
    assert "README.txt" in page["check-yourself"].text()


def test_how_to_check_without_a_trust_source(failed_html: str) -> None:
    page = Page(failed_html)
    (command,) = page["check-yourself"].iter("pre")
    assert command.text().endswith("--trust TRUST")
    assert "Replace TRUST" in page["check-yourself"].text()


def test_a_bundle_without_export_facts_or_case() -> None:
    v = attrs.evolve(sample_verification(), export=None, case=None, evaluations=())
    page = Page(render_bundle_report(v))
    text = page["verdict"].text()
    assert "Case not stated" in text
    assert "the export record could not be read" in text
    assert "None in this bundle." in page["evaluations"].text()


def test_a_timeline_at_one_instant_still_renders() -> None:
    v = sample_verification()
    moment = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    timeline = tuple(attrs.evolve(e, time=moment) for e in v.timeline)
    Page(render_bundle_report(attrs.evolve(v, timeline=timeline)))
