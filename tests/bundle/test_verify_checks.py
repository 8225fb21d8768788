"""Three checks of bundle verification beyond the members, proofs and chains: the counts the
exported event signs, records no event names, and checkpoints the verifier held from earlier.

Bundles are rewritten member by member into well-formed bundles (see conftest). Where a test
needs a signature a tamperer could not make, it signs with the deterministic keys of the test
cast, which the verifier trusts: what it proves is that the check holds even against a trusted
exporter or a log key that signed two histories.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
import cbor2
import pytest

from custody.bundle import BundleVerification, export_bundle, verify_bundle
from custody.bundle._contents import CarriedPhotograph
from custody.bundle._layout import (
    CLOSING,
    ENTRIES,
    INCLUSION,
    MANIFEST,
    RECORDS,
    Closing,
    EarlierCheckpoint,
    ListedMember,
    Manifest,
    record_member,
)
from custody.bundle._zip import ZipReader
from custody.cli._bundle import _verification_lines
from custody.crypto import EMPTY_ROOT, Checkpoint, sign_checkpoint
from custody.ledger import open_statement, sign_event
from custody.model import Event
from custody.report import render_bundle_report
from custody.testing import TEST_ORIGIN, Cast, fixed_key
from custody.verify import Location, Problem

if TYPE_CHECKING:
    from bundle.conftest import BundleCase, Prepared

Members = list[tuple[str, bytes]]
CAST = Cast()  # the deterministic keys the case of conftest is signed with
MALLORY = fixed_key("mallory")
HELD = "log consistent with held checkpoints"
OTHER_ROOT = hashlib.sha256(b"another history").digest()


# --- helpers --------------------------------------------------------------------------------


def found(result: BundleVerification, code: str) -> list[Problem]:
    return [p for p in result.report.problems if p.code == code]


def codes(result: BundleVerification) -> set[str]:
    return result.report.problem_codes()


def check(result: BundleVerification, name: str) -> tuple[int, int]:
    """How often the check ``name`` ran and failed."""
    (ran,) = [c for c in result.report.checks if c.name == name]
    return ran.performed, ran.failed


def replace(members: Members, name: str, data: bytes) -> Members:
    assert name in dict(members)
    return [(n, data if n == name else d) for n, d in members]


def closing_of(members: Members) -> Closing:
    return Closing.from_cbor(dict(members)[CLOSING])


def exported_event(members: Members) -> Event:
    return open_statement(closing_of(members).entry).event


def with_export_details(members: Members, details: dict[str, Any]) -> Members:
    """``members`` with the exported event's details replaced, re-signed by its exporter (a
    key the verifier trusts): only what the details say can be caught.
    """
    event = exported_event(members)
    assert event.actor == CAST.investigator.key_id
    forged = attrs.evolve(event, body=attrs.evolve(event.body, details=details))
    entry = sign_event(forged, CAST.investigator, origin=TEST_ORIGIN).entry
    closing = attrs.evolve(closing_of(members), entry=entry)
    return replace(members, CLOSING, closing.to_cbor())


def signed_counts(members: Members) -> dict[str, Any]:
    return dict(exported_event(members).body.details["bundle"])


def sequence(data: bytes) -> list[Any]:
    """The items of a CBOR sequence, read with cbor2 (not the reader under test)."""
    stream, items = io.BytesIO(data), []
    while stream.tell() < len(data):
        items.append(cbor2.load(stream))
    return items


def without_last_event(members: Members) -> Members:
    """The last event of entries.cborseq and its proof dropped, the manifest listing the
    shorter entries.cborseq.
    """
    found = dict(members)
    entries = b"".join(cbor2.dumps(item) for item in sequence(found[ENTRIES])[:-1])
    proofs = b"".join(cbor2.dumps(item) for item in sequence(found[INCLUSION])[:-1])
    members = replace(replace(members, ENTRIES, entries), INCLUSION, proofs)
    return relisted(members, ENTRIES)


def relisted(members: Members, name: str) -> Members:
    """``members`` with the manifest listing ``name``'s present SHA-256 and size."""
    data = dict(members)[name]
    manifest = Manifest.from_cbor(dict(members)[MANIFEST])
    listed = tuple(
        attrs.evolve(m, sha256=hashlib.sha256(data).digest(), size=len(data))
        if m.name == name
        else m
        for m in manifest.members
    )
    return replace(members, MANIFEST, attrs.evolve(manifest, members=listed).to_cbor())


def with_record_after(members: Members, after: str, data: bytes) -> Members:
    """``members`` with a record member of ``data`` right after ``after``, in the bundle and
    in the manifest's list alike, so that it is where the manifest says.
    """
    digest = hashlib.sha256(data).digest()
    added = ListedMember(record_member(digest), digest, len(data))
    names = [n for n, _ in members]
    position = names.index(after) + 1
    members = [*members[:position], (added.name, data), *members[position:]]
    manifest = Manifest.from_cbor(dict(members)[MANIFEST])
    at = [m.name for m in manifest.members].index(after) + 1
    listed = (*manifest.members[:at], added, *manifest.members[at:])
    return replace(members, MANIFEST, attrs.evolve(manifest, members=listed).to_cbor())


def checkpoint_note(size: int, root: bytes, signer: Any = CAST.log) -> str:
    """A checkpoint of the test log, signed by ``signer`` (the log key by default)."""
    return sign_checkpoint(Checkpoint(TEST_ORIGIN, size, root), signer, key_name=TEST_ORIGIN)


def proven_notes(members: Members) -> tuple[Checkpoint, list[str]]:
    """The closing checkpoint, and the notes of every checkpoint the bundle proves."""
    closing = closing_of(members)
    text = closing.checkpoint.partition("\n\n")[0] + "\n"
    return Checkpoint.from_text(text), [closing.checkpoint, *(e.note for e in closing.earlier)]


def sizes_of(notes: list[str]) -> list[int]:
    return [int(note.splitlines()[1]) for note in notes]


Verify = Callable[..., BundleVerification]


@pytest.fixture
def verify_rewritten(library_bundle: BundleCase, tmp_path: Path) -> Verify:
    """Rewrite the library bundle through a transform and verify the result."""
    counter = iter(range(1000))

    def run(transform: Callable[[Members], Members], **options: Any) -> BundleVerification:
        out = library_bundle.rewrite(tmp_path / f"rewritten-{next(counter)}.bundle", transform)
        return verify_bundle(out, library_bundle.trust, workers=1, **options)

    return run


def verify_holding(bundle: BundleCase, *notes: str) -> BundleVerification:
    return verify_bundle(bundle.path, bundle.trust, workers=1, held_checkpoints=notes)


# --- 1. the counts the exported event signs -------------------------------------------------


def test_the_untouched_bundle_signs_its_own_counts(library_bundle: BundleCase) -> None:
    members = library_bundle.members()
    counts = signed_counts(members)
    manifest = Manifest.from_cbor(dict(members)[MANIFEST])
    assert counts["events"] == len(sequence(dict(members)[ENTRIES]))
    assert counts["files"] == sum(1 for m in manifest.members if m.name.startswith("files/"))
    assert counts["withheld"] == len(manifest.withheld) == 0
    result = library_bundle.verify()
    assert result.report.ok, result.report.problems
    assert check(result, "closing export event") == (2, 0)  # the record, and its counts


@pytest.mark.parametrize(
    ("name", "told"),
    [
        ("events", "the exported event counts {signed} events; entries.cborseq holds {held}"),
        (
            "files",
            "the exported event counts {signed} carried files; "
            "the manifest lists {held} files/ members",
        ),
        (
            "withheld",
            "the exported event counts {signed} withheld files; the manifest withholds {held}",
        ),
    ],
)
def test_an_export_signing_other_counts_is_caught(
    library_bundle: BundleCase, verify_rewritten: Verify, name: str, told: str
) -> None:
    counts = signed_counts(library_bundle.members())
    wrong = {**counts, name: counts[name] + 2}
    result = verify_rewritten(lambda m: with_export_details(m, {"bundle": wrong}))
    (problem,) = found(result, "EXPORT_COUNTS")
    assert problem.where.member == CLOSING
    assert problem.where.index == closing_of(library_bundle.members()).index
    assert problem.message == told.format(signed=wrong[name], held=counts[name])
    assert "MANIFEST_CHANGED" not in codes(result)  # the manifest is the one signed


@pytest.mark.parametrize(
    ("details", "field"),
    [
        ({}, "details.bundle"),
        ({"bundle": "custody-bundle/1"}, "details.bundle"),
        ({"bundle": {"format": "custody-bundle/1", "events": 1, "files": 4}}, "details.bundle"),
        (
            {"bundle": {"format": "custody-bundle/2", "events": 1, "files": 4, "withheld": 0}},
            "details.bundle.format",
        ),
        (
            {"bundle": {"format": "custody-bundle/1", "events": True, "files": 4, "withheld": 0}},
            "details.bundle.events",
        ),
        (
            {"bundle": {"format": "custody-bundle/1", "events": 1, "files": -4, "withheld": 0}},
            "details.bundle.files",
        ),
    ],
    ids=["absent", "not-a-map", "a-count-missing", "another-format", "a-boolean", "negative"],
)
def test_missing_or_malformed_counts_are_export_malformed(
    verify_rewritten: Verify, details: dict[str, Any], field: str
) -> None:
    result = verify_rewritten(lambda m: with_export_details(m, details))
    (problem,) = found(result, "EXPORT_MALFORMED")
    assert problem.where.member == CLOSING
    assert field in problem.message
    assert "EXPORT_COUNTS" not in codes(result)


def test_a_dropped_event_is_also_miscounted(
    library_bundle: BundleCase, verify_rewritten: Verify
) -> None:
    events = signed_counts(library_bundle.members())["events"]
    result = verify_rewritten(without_last_event)
    assert "MANIFEST_CHANGED" in codes(result)  # what catches it first
    (problem,) = found(result, "EXPORT_COUNTS")
    assert f"counts {events} events; entries.cborseq holds {events - 1}" in problem.message


def _cut_short(members: Members) -> Members:
    data = dict(members)[ENTRIES]
    return replace(members, ENTRIES, data[: len(data) // 2])


def _one_event_unreadable(members: Members) -> Members:
    items = sequence(dict(members)[ENTRIES])
    items[1] = [items[1][0], b"not a signed event"]
    return replace(members, ENTRIES, b"".join(cbor2.dumps(item) for item in items))


def _one_item_misshapen(members: Members) -> Members:
    items = sequence(dict(members)[ENTRIES])
    items[1] = "not [index, entry]"
    return replace(members, ENTRIES, b"".join(cbor2.dumps(item) for item in items))


@pytest.mark.parametrize(
    "damage",
    [
        lambda m: [(n, d) for n, d in m if n != ENTRIES],
        _cut_short,
        _one_event_unreadable,
        _one_item_misshapen,
    ],
    ids=["removed", "cut-short", "an-event-unreadable", "an-item-misshapen"],
)
def test_events_that_cannot_be_counted_are_not_miscounted(
    verify_rewritten: Verify, damage: Callable[[Members], Members]
) -> None:
    result = verify_rewritten(damage)
    assert not result.report.ok
    assert codes(result) & {"MEMBER_MISSING", "MEMBER_MALFORMED", "ENTRY_MALFORMED"}
    assert "EXPORT_COUNTS" not in codes(result)


# --- 2. records no event names --------------------------------------------------------------


def test_a_record_no_event_names_is_unreferenced(
    library_bundle: BundleCase, verify_rewritten: Verify
) -> None:
    members = library_bundle.members()
    (named,) = [n for n, _ in members if n.startswith(RECORDS)]
    document = b"a document no event signs for"
    added = record_member(hashlib.sha256(document).digest())
    result = verify_rewritten(lambda m: with_record_after(m, named, document))
    assert [p.where for p in found(result, "RECORD_UNREFERENCED")] == [Location(member=added)]
    assert "MANIFEST_CHANGED" in codes(result)  # the export signed the manifest without it
    assert not codes(result) & {"MEMBER_UNEXPECTED", "MEMBER_ORDER", "MEMBER_CHANGED"}
    listed = len(Manifest.from_cbor(dict(members)[MANIFEST]).members) + 1
    records = 2
    assert check(result, "members match the manifest") == (listed + records, 1)


def test_a_named_record_that_is_missing_is_not_unreferenced(verify_rewritten: Verify) -> None:
    result = verify_rewritten(lambda m: [(n, d) for n, d in m if not n.startswith(RECORDS)])
    assert {"MEMBER_MISSING", "MEDICAL_RECORD_MISSING"} <= codes(result)
    assert "RECORD_UNREFERENCED" not in codes(result)


# --- 3. checkpoints the verifier holds ------------------------------------------------------


def test_the_closing_checkpoint_held_verifies(library_bundle: BundleCase) -> None:
    _, notes = proven_notes(library_bundle.members())
    result = verify_holding(library_bundle, notes[0])
    assert result.report.ok, result.report.problems
    assert check(result, HELD) == (1, 0)


def test_each_earlier_checkpoint_held_verifies(library_bundle: BundleCase) -> None:
    _, notes = proven_notes(library_bundle.members())
    earlier = notes[1:]
    assert len(earlier) >= 2, "the case of conftest signs two checkpoints before the export"
    for note in earlier:
        result = verify_holding(library_bundle, note)
        assert result.report.ok, result.report.problems
        assert check(result, HELD) == (1, 0)
    assert check(verify_holding(library_bundle, *notes), HELD) == (len(notes), 0)


def test_the_empty_log_held_verifies(library_bundle: BundleCase) -> None:
    result = verify_holding(library_bundle, checkpoint_note(0, EMPTY_ROOT))
    assert result.report.ok, result.report.problems


def test_without_held_checkpoints_the_check_has_nothing_to_do(library_bundle: BundleCase) -> None:
    assert check(library_bundle.verify(), HELD) == (0, 0)


@pytest.mark.parametrize("which", ["closing", "earlier"])
def test_a_checkpoint_of_another_history_is_log_inconsistent(
    library_bundle: BundleCase, which: str
) -> None:
    _, notes = proven_notes(library_bundle.members())
    size = sizes_of(notes)[0 if which == "closing" else 1]
    result = verify_holding(library_bundle, notes[0], checkpoint_note(size, OTHER_ROOT))
    (problem,) = result.report.problems
    assert problem.code == "LOG_INCONSISTENT"
    assert problem.where == Location(checkpoint=size, member="held checkpoint 2")
    assert problem.message == (
        "the log the bundle proves differs from the one this checkpoint signed: "
        "the log was rewritten"
    )
    assert check(result, HELD) == (2, 1)


@pytest.mark.parametrize("which", ["between", "newer"])
def test_a_checkpoint_of_a_size_the_bundle_does_not_prove_is_unproven(
    library_bundle: BundleCase, which: str
) -> None:
    closing, notes = proven_notes(library_bundle.members())
    sizes = sizes_of(notes)
    size = min(sizes) + 1 if which == "between" else closing.size + 3
    assert size not in sizes
    result = verify_holding(library_bundle, checkpoint_note(size, OTHER_ROOT))
    (problem,) = result.report.problems
    assert problem.code == "CHECKPOINT_UNPROVEN"
    assert problem.where == Location(checkpoint=size, member="held checkpoint 1")
    assert f"no consistency proof from size {size}" in problem.message
    assert "export the case again" in problem.message
    assert "custody verify-ledger --checkpoint" in problem.message
    if which == "newer":
        assert f"newer than the closing checkpoint, of size {closing.size}" in problem.message


@pytest.mark.parametrize(
    ("note", "code"),
    [
        (lambda size: checkpoint_note(size, OTHER_ROOT, MALLORY), "CHECKPOINT_SIGNATURE"),
        (lambda size: "not a checkpoint\n", "CHECKPOINT_MALFORMED"),
    ],
    ids=["signed-by-another-key", "not-a-note"],
)
def test_a_held_checkpoint_the_log_key_did_not_sign_is_refused(
    library_bundle: BundleCase, note: Callable[[int], str], code: str
) -> None:
    closing, notes = proven_notes(library_bundle.members())
    result = verify_holding(library_bundle, notes[0], note(closing.size))
    (problem,) = result.report.problems
    assert problem.code == code
    assert problem.where == Location(member="held checkpoint 2")
    assert check(result, HELD) == (1, 0)  # only the first was compared


def test_without_a_verified_closing_checkpoint_held_ones_are_not_compared(
    library_bundle: BundleCase,
) -> None:
    (log,) = library_bundle.trust.logs
    trust = attrs.evolve(library_bundle.trust, logs=(attrs.evolve(log, public_key=MALLORY.public),))
    _, notes = proven_notes(library_bundle.members())
    result = verify_bundle(library_bundle.path, trust, workers=1, held_checkpoints=notes)
    assert [p.where.member for p in found(result, "CHECKPOINT_SIGNATURE")] == [CLOSING]
    assert check(result, HELD) == (0, 0)


def _members(path: Path) -> Members:
    with ZipReader(path) as archive:
        return [(m.name, archive.read(m, m.size)) for m in archive.members]


def test_a_newer_checkpoint_is_proven_by_exporting_again(
    prepared: Prepared, tmp_path: Path
) -> None:
    def export(name: str, purpose: str) -> Path:
        out = tmp_path / name
        export_bundle(
            prepared.ledger,
            prepared.case,
            out,
            exporter=prepared.cast.investigator,
            log_signer=prepared.cast.log,
            blobs=prepared.blobs,
            purpose=purpose,
        )
        return out

    first = export("first.bundle", "for the court")
    first_checkpoint = closing_of(_members(first)).checkpoint
    # Another purpose makes a new export, closed under a checkpoint signed after the first.
    second = export("second.bundle", "for the defence")
    newer, _ = proven_notes(_members(second))
    newer_checkpoint = closing_of(_members(second)).checkpoint
    trust = prepared.trust()

    stale = verify_bundle(first, trust, workers=1, held_checkpoints=[newer_checkpoint])
    assert [p.code for p in stale.report.problems] == ["CHECKPOINT_UNPROVEN"]
    assert f"size {newer.size}" in stale.report.problems[0].message

    held = [first_checkpoint, newer_checkpoint]
    again = verify_bundle(second, trust, workers=1, held_checkpoints=held)
    assert again.report.ok, again.report.problems
    assert check(again, HELD) == (2, 0)


# --- bounded memory: the timeline and the problem list stop growing, the checks go on -----------


def test_a_timeline_past_its_limit_keeps_the_first_events_and_counts_the_rest(
    library_bundle: BundleCase, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = library_bundle.verify()
    monkeypatch.setattr("custody.bundle._verify.MAX_TIMELINE", 3)
    cut = library_bundle.verify()
    assert cut.report.ok, cut.report.problems
    assert cut.timeline == whole.timeline[:3]
    assert cut.timeline_omitted == len(whole.timeline) - 3
    assert cut.to_dict()["timeline_omitted"] == cut.timeline_omitted
    assert whole.timeline_omitted == 0
    page = render_bundle_report(cut)
    assert f"{cut.timeline_omitted:,} later ones were verified but are not shown" in page


def test_problems_past_the_limit_are_counted_everywhere(
    library_bundle: BundleCase, verify_rewritten: Verify, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("custody.verify._report.MAX_LISTED", 1)
    result = verify_rewritten(lambda members: [m for m in members if m[0] != ENTRIES])
    report = result.report
    assert len(report.problems) == 1
    assert report.problems_omitted >= 1
    lines = _verification_lines(result)
    assert lines[0] == f"NOT VERIFIED: {report.problem_count} problems"
    assert f"  ... and {report.problems_omitted} more problem" in "\n".join(lines)
    assert f"{report.problems_omitted:,} more not listed" in render_bundle_report(result)


def test_photographs_are_read_from_the_bundle_only_when_a_report_needs_them(
    demo_bundle: BundleCase, tmp_path: Path
) -> None:
    result = demo_bundle.verify()
    (evaluation,) = result.evaluations
    assert evaluation.photographs
    for photo_id, carried in evaluation.photographs.items():
        assert isinstance(carried, CarriedPhotograph)  # a reference, not the bytes
        data = carried.read()
        assert data is not None
        photo = next(p for p in evaluation.evaluation.photographs if p.photo_id == photo_id)
        assert hashlib.sha256(data).hexdigest() == photo.sha256
    moved = attrs.evolve(next(iter(evaluation.photographs.values())), bundle=str(tmp_path / "x"))
    assert moved.read() is None


# --- the earlier checkpoints of closing.cbor -----------------------------------------------------


def with_earlier(members: Members, reorder: Callable[[list[Any], Any], list[Any]]) -> Members:
    """``members`` with closing.cbor's earlier checkpoints rearranged by ``reorder``, which
    also gets the closing checkpoint as an earlier one."""
    closing = closing_of(members)
    itself = EarlierCheckpoint(closing.checkpoint, ())
    earlier = tuple(reorder(list(closing.earlier), itself))
    return replace(members, CLOSING, attrs.evolve(closing, earlier=earlier).to_cbor())


@pytest.mark.parametrize(
    ("name", "reorder", "number"),
    [
        ("repeated", lambda earlier, _: [*earlier, earlier[-1]], "last"),
        ("newest first", lambda earlier, _: earlier[::-1], 2),
        ("the closing one", lambda earlier, itself: [*earlier, itself], "last"),
    ],
)
def test_earlier_checkpoints_out_of_order_are_malformed(
    library_bundle: BundleCase,
    verify_rewritten: Verify,
    name: str,
    reorder: Callable[[list[Any], Any], list[Any]],
    number: int | str,
) -> None:
    count = len(closing_of(library_bundle.members()).earlier)
    assert count >= 2
    result = verify_rewritten(lambda members: with_earlier(members, reorder))
    position = count + 1 if number == "last" else number
    (problem,) = found(result, "CHECKPOINT_MALFORMED")
    assert problem.where.member == f"{CLOSING} earlier checkpoint {position}", name
    assert "larger than the one before it" in problem.message


def test_fewer_earlier_checkpoints_prove_less_but_verify(
    library_bundle: BundleCase, verify_rewritten: Verify
) -> None:
    """The manifest cannot cover them (the closing record is made after it): dropping some
    changes nothing the bundle proves, only what a held checkpoint can be compared with."""
    result = verify_rewritten(lambda members: with_earlier(members, lambda earlier, _: []))
    assert result.report.ok, result.report.problems
