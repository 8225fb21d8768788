"""Tampering with a bundle: every change is caught by verification and reported where it is.

Each tampered bundle is a well-formed ZIP (rewritten with the library's writer), so the
reader accepts it and verification must find the change: ``ok`` false, and a problem whose
code and location name the member, the event or the item changed. Where a test also fixes
the manifest's entry for what it changed, only the signed export can catch it.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
import cbor2
import pytest

from custody import encoding
from custody.bundle import BundleVerification, FileStatus
from custody.bundle._layout import (
    CLOSING,
    ENTRIES,
    FILES,
    INCLUSION,
    KEYS,
    MANIFEST,
    README,
    RECORDS,
    UNLISTED,
    ClaimedKey,
    ClaimedKeys,
    Closing,
    Manifest,
    entry_item,
    inclusion_item,
)
from custody.bundle._verify import MAX_MALFORMED_ITEMS
from custody.crypto import leaf_hash
from custody.ledger import open_statement, sign_event
from custody.model import Event, EventBody, EventType
from custody.testing import TEST_ORIGIN, fixed_key
from custody.verify import Location, TrustPolicy

if TYPE_CHECKING:
    from bundle.conftest import BundleCase, CliRun

Members = list[tuple[str, bytes]]
Tampered = Callable[..., BundleVerification]
Rewrite = Callable[[Members], Members]
CliVerify = Callable[[Path, Path], "CliRun"]
MALLORY = fixed_key("mallory")
#: Problems that may name a change to a member the manifest cannot list.
UNLISTED_CODES = ("MANIFEST_", "EXPORT_", "CHECKPOINT_", "INCLUSION_", "CONSISTENCY_")


# --- helpers --------------------------------------------------------------------------------


def problems(result: BundleVerification, code: str) -> list[Location]:
    """Where ``result`` reports ``code``."""
    return [p.where for p in result.report.problems if p.code == code]


def assert_found(result: BundleVerification, code: str, **where: object) -> None:
    """``result`` is not ok and reports ``code`` at a location with all of ``where``'s parts."""
    assert not result.report.ok
    found = [
        p.where
        for p in result.report.problems
        if p.code == code and all(getattr(p.where, k) == v for k, v in where.items())
    ]
    assert found, f"no {code} at {where}; the problems are:\n" + "\n".join(
        map(str, result.report.problems)
    )


def codes(result: BundleVerification) -> set[str]:
    return result.report.problem_codes()


def replace(members: Members, name: str, data: bytes) -> Members:
    assert name in dict(members)
    return [(n, data if n == name else d) for n, d in members]


def replacing(name: str, data: bytes) -> Callable[[Members], Members]:
    """A transform giving member ``name`` the bytes ``data``."""
    return lambda members: replace(members, name, data)


def fix_manifest(members: Members) -> Members:
    """``members`` with the manifest listing each listed member's present SHA-256 and size, so
    only the exported event's signature over the manifest can show what changed.
    """
    found = dict(members)
    manifest = Manifest.from_cbor(found[MANIFEST])
    listed = tuple(
        attrs.evolve(m, sha256=hashlib.sha256(found[m.name]).digest(), size=len(found[m.name]))
        if m.name in found
        else m
        for m in manifest.members
    )
    return replace(members, MANIFEST, attrs.evolve(manifest, members=listed).to_cbor())


@attrs.frozen
class Entry:
    """One event of entries.cborseq with the matching item of inclusion.cborseq."""

    index: int
    entry: bytes
    proof: tuple[bytes, ...]

    @property
    def event(self) -> Event:
        return open_statement(self.entry).event

    @property
    def where(self) -> dict[str, object]:
        event = self.event
        return {"case": event.case, "item": event.item, "seq": event.seq, "index": self.index}


def cbor_sequence(data: bytes) -> list[Any]:
    """The items of a CBOR sequence, read with cbor2 (not the reader under test)."""
    stream = io.BytesIO(data)
    items = []
    while stream.tell() < len(data):
        items.append(cbor2.load(stream))
    return items


def entries_of(members: Members) -> list[Entry]:
    found = dict(members)
    events = cbor_sequence(found[ENTRIES])
    proofs = cbor_sequence(found[INCLUSION])
    assert [e[0] for e in events] == [p[0] for p in proofs]
    return [
        Entry(index, entry, tuple(proof))
        for (index, entry), (_, proof) in zip(events, proofs, strict=True)
    ]


def with_entries(members: Members, entries: list[Entry]) -> Members:
    """``members`` with entries.cborseq and inclusion.cborseq made of ``entries``."""
    members = replace(members, ENTRIES, b"".join(entry_item(e.index, e.entry) for e in entries))
    return replace(
        members, INCLUSION, b"".join(inclusion_item(e.index, list(e.proof)) for e in entries)
    )


def dropping(entries: list[Entry], dropped: Entry, *, fixed: bool = True) -> Rewrite:
    """A rewrite leaving ``dropped`` out of ``entries`` (and, if ``fixed``, listing the
    changed members' new hashes in the manifest, as a careful forger would)."""
    kept = [e for e in entries if e != dropped]
    if fixed:
        return lambda members: fix_manifest(with_entries(members, kept))
    return lambda members: with_entries(members, kept)


def chain_of(entries: list[Entry], item: str | None) -> list[Entry]:
    return [e for e in entries if e.event.item == item]


def longest_item_chain(entries: list[Entry]) -> list[Entry]:
    items = {e.event.item for e in entries if e.event.item is not None}
    return max((chain_of(entries, item) for item in items), key=len)


def file_members(members: Members) -> list[str]:
    return [name for name, _ in members if name.startswith(FILES)]


def record_members(members: Members) -> list[str]:
    return [name for name, _ in members if name.startswith(RECORDS)]


def item_of_file(entries: list[Entry], member: str) -> str:
    digest = bytes.fromhex(member.removeprefix(FILES).partition(".")[0])
    (item,) = {
        e.event.item
        for e in entries
        if e.event.seq == 0 and any(a.sha256 == digest for a in e.event.body.artifacts)
    }
    assert item is not None
    return item


def evaluation_entry(entries: list[Entry]) -> Entry:
    """The event that recorded the evaluation whose record the bundle carries."""
    (recorded,) = [e for e in entries if e.event.type is EventType.EVALUATION_RECORDED]
    return recorded


def without_key(trust: TrustPolicy, key_id: bytes) -> TrustPolicy:
    kept = tuple(k for k in trust.keys if k.key_id != key_id)
    assert len(kept) == len(trust.keys) - 1
    return attrs.evolve(trust, keys=kept)


@pytest.fixture
def tampered(bundle_case: BundleCase, tmp_path: Path) -> Tampered:
    """Rewrite the bundle through a transform and verify the result."""
    counter = iter(range(10_000))

    def run(
        transform: Callable[[Members], Members], trust: TrustPolicy | None = None
    ) -> BundleVerification:
        out = bundle_case.rewrite(tmp_path / f"tampered-{next(counter)}.bundle", transform)
        return bundle_case.verify(out, trust)

    return run


# --- the untouched bundle -------------------------------------------------------------------


def test_the_untouched_bundle_verifies(bundle_case: BundleCase) -> None:
    result = bundle_case.verify()
    assert result.report.ok, result.report.problems
    assert result.report.problems == ()
    assert result.case == bundle_case.case
    assert result.export is not None
    checks = {check.name: check for check in result.report.checks}
    for name in (
        "members match the manifest",
        "manifest signed by the export",
        "checkpoint signatures",
        "earlier checkpoints consistent",
        "events included in the signed log",
        "signatures",
        "files match their recorded hashes",
    ):
        assert checks[name].passed, checks[name]
    files = [f for item in result.items for f in item.files]
    assert files
    assert {f.status for f in files} == {FileStatus.VERIFIED}
    assert [e.status for e in result.evaluations] == ["sealed"]


def test_the_untouched_bundle_verifies_on_the_command_line(
    bundle_case: BundleCase, cli_verify: CliVerify
) -> None:
    ran = cli_verify(bundle_case.path, bundle_case.trust_file)
    assert ran.code == 0, ran.err
    assert "Traceback" not in ran.err


# --- one changed byte -----------------------------------------------------------------------

MEMBER_KINDS = [README, MANIFEST, CLOSING, INCLUSION, KEYS, ENTRIES, RECORDS, FILES]


def members_of_kind(members: Members, kind: str) -> list[str]:
    names = [
        name
        for name, _ in members
        if name == kind or (kind.endswith("/") and name.startswith(kind))
    ]
    assert names, kind
    return names


def positions(size: int) -> list[int]:
    """Where to change a member: every 7th byte of a small one; otherwise the start, the
    quarters, the middle and the end.
    """
    if size <= 64:
        return [*range(0, size, 7), size - 1]
    return sorted({0, 1, size // 4, size // 2, 3 * size // 4, size - 2, size - 1})


@pytest.mark.parametrize("kind", MEMBER_KINDS)
def test_a_changed_byte_of_any_member_is_caught_there(
    bundle_case: BundleCase,
    tmp_path: Path,
    kind: str,
) -> None:
    members = bundle_case.members()
    failures: list[str] = []
    for name in members_of_kind(members, kind):
        data = dict(members)[name]
        for at in positions(len(data)):
            for flip in (0x01, 0xFF):
                changed = bytearray(data)
                changed[at] ^= flip
                out = tmp_path / f"{len(failures)}-{at}-{flip}.bundle"
                bundle_case.rewrite(out, replacing(name, bytes(changed)))
                try:
                    result = bundle_case.verify(out)
                except Exception as exc:
                    failures.append(f"{name} byte {at} ^ {flip:#04x}: raised {exc!r}")
                    out.unlink()
                    continue
                out.unlink()
                if not _names_change(result, name):
                    failures.append(
                        f"{name} byte {at} ^ {flip:#04x}: "
                        f"{[str(p) for p in result.report.problems] or 'ok'}"
                    )
    assert not failures, "\n".join(failures)


def _names_change(result: BundleVerification, name: str) -> bool:
    if result.report.ok:
        return False
    found = result.report.problems
    if name not in UNLISTED:
        return any(p.code == "MEMBER_CHANGED" and p.where.member == name for p in found)
    return any(p.code.startswith(UNLISTED_CODES) or p.code == "MEMBER_MALFORMED" for p in found)


def test_a_changed_byte_fails_on_the_command_line(
    bundle_case: BundleCase, cli_verify: CliVerify, tmp_path: Path
) -> None:
    def change(members: Members) -> Members:
        data = bytearray(dict(members)[ENTRIES])
        data[len(data) // 2] ^= 1
        return replace(members, ENTRIES, bytes(data))

    ran = cli_verify(bundle_case.rewrite(tmp_path / "t.bundle", change), bundle_case.trust_file)
    assert ran.code == 1, (ran.out, ran.err)
    assert "Traceback" not in ran.err
    assert ENTRIES in ran.out + ran.err


# --- members removed, added, renamed, reordered --------------------------------------------


@pytest.mark.parametrize("kind", MEMBER_KINDS)
def test_a_removed_member_is_missing(
    bundle_case: BundleCase, tampered: Tampered, kind: str
) -> None:
    members = bundle_case.members()
    entries = entries_of(members)
    for name in members_of_kind(members, kind):
        result = tampered(lambda m, n=name: [(k, d) for k, d in m if k != n])
        assert_found(result, "MEMBER_MISSING", member=name)
        if kind == FILES:
            assert_found(result, "FILE_MISSING", item=item_of_file(entries, name), member=name)
        if kind == RECORDS:
            assert_found(result, "MEDICAL_RECORD_MISSING", **evaluation_entry(entries).where)
        if kind == MANIFEST:
            assert_found(result, "MANIFEST_CHANGED", member=MANIFEST)


@pytest.mark.parametrize(
    "name",
    ["notes.txt", FILES + "00" * 32 + ".jpg", RECORDS + "00" * 32 + ".cbor", "files/IMG_0001.jpg"],
)
def test_an_extra_member_is_unexpected(tampered: Tampered, name: str) -> None:
    result = tampered(lambda m: [*m, (name, b"added later\n")])
    assert_found(result, "MEMBER_UNEXPECTED", member=name)
    if name.startswith(FILES):
        assert_found(result, "FILE_NOT_RECORDED", member=name)


def test_an_extra_member_in_the_middle_is_unexpected(tampered: Tampered) -> None:
    result = tampered(lambda m: [*m[:3], ("extra.bin", b"\x00" * 100), *m[3:]])
    assert_found(result, "MEMBER_UNEXPECTED", member="extra.bin")


def test_a_renamed_file_member_is_missing_and_unexpected(
    bundle_case: BundleCase, tampered: Tampered
) -> None:
    members = bundle_case.members()
    old = file_members(members)[0]
    new = old.rpartition(".")[0] + ".png"
    item = item_of_file(entries_of(members), old)
    result = tampered(lambda m: [(new if n == old else n, d) for n, d in m])
    assert_found(result, "MEMBER_MISSING", member=old)
    assert_found(result, "MEMBER_UNEXPECTED", member=new)
    assert_found(result, "FILE_MISSING", item=item, member=old)
    assert_found(result, "FILE_NOT_RECORDED", member=new)


def test_a_renamed_record_member_is_missing(bundle_case: BundleCase, tampered: Tampered) -> None:
    members = bundle_case.members()
    old = record_members(members)[0]
    new = RECORDS + "renamed.cbor"
    result = tampered(lambda m: [(new if n == old else n, d) for n, d in m])
    assert_found(result, "MEMBER_MISSING", member=old)
    assert_found(result, "MEMBER_UNEXPECTED", member=new)
    assert_found(result, "MEDICAL_RECORD_MISSING", **evaluation_entry(entries_of(members)).where)


@pytest.mark.parametrize(
    ("first", "second"),
    [(README, MANIFEST), (CLOSING, INCLUSION), (KEYS, ENTRIES), (ENTRIES, RECORDS), (FILES, FILES)],
)
def test_two_swapped_members_are_out_of_order(
    bundle_case: BundleCase, tampered: Tampered, first: str, second: str
) -> None:
    names = [name for name, _ in bundle_case.members()]
    a = members_of_kind(bundle_case.members(), first)[0]
    b = members_of_kind(bundle_case.members(), second)[-1]
    assert a != b

    def swap(members: Members) -> Members:
        i, j = names.index(a), names.index(b)
        swapped = list(members)
        swapped[i], swapped[j] = swapped[j], swapped[i]
        return swapped

    result = tampered(swap)
    assert codes(result) == {"MEMBER_ORDER"}
    assert_found(result, "MEMBER_ORDER", member=b)


# --- events dropped, reordered, with swapped signatures ------------------------------------


def test_a_dropped_event_breaks_its_chain_and_the_signed_manifest(
    bundle_case: BundleCase, tampered: Tampered
) -> None:
    entries = entries_of(bundle_case.members())
    chain = longest_item_chain(entries)
    dropped, after = chain[len(chain) // 2], chain[len(chain) // 2 + 1]
    result = tampered(dropping(entries, dropped))
    assert_found(result, "MANIFEST_CHANGED", member=MANIFEST)
    assert "MEMBER_CHANGED" not in codes(result)
    chain_problems = [
        p.where for p in result.report.problems if p.code in ("CHAIN_SEQ", "CHAIN_PREV")
    ]
    assert chain_problems, result.report.problems
    assert all(
        (w.case, w.item, w.seq, w.index) == tuple(after.where.values()) for w in chain_problems
    ), chain_problems


def test_a_dropped_last_event_cuts_its_chain(bundle_case: BundleCase, tampered: Tampered) -> None:
    entries = entries_of(bundle_case.members())
    last = longest_item_chain(entries)[-1]
    result = tampered(dropping(entries, last))
    assert_found(result, "MANIFEST_CHANGED", member=MANIFEST)
    assert "MEMBER_CHANGED" not in codes(result)
    event = last.event
    assert_found(result, "CHAIN_CUT", case=event.case, item=event.item, seq=event.seq)


def test_a_dropped_single_event_chain_is_missing(
    bundle_case: BundleCase, tampered: Tampered
) -> None:
    members = bundle_case.members()
    entries = entries_of(members)
    member = file_members(members)[0]
    item = item_of_file(entries, member)
    (only,) = chain_of(entries, item)
    result = tampered(dropping(entries, only))
    assert_found(result, "MANIFEST_CHANGED", member=MANIFEST)
    assert_found(result, "CHAIN_MISSING", case=bundle_case.case, item=item)
    assert_found(result, "FILE_NOT_RECORDED", member=member)


def test_a_dropped_event_without_fixing_the_manifest(
    bundle_case: BundleCase, tampered: Tampered
) -> None:
    entries = entries_of(bundle_case.members())
    chain = longest_item_chain(entries)
    dropped = chain[1]
    result = tampered(dropping(entries, dropped, fixed=False))
    assert_found(result, "MEMBER_CHANGED", member=ENTRIES)
    assert_found(result, "CHAIN_SEQ", item=dropped.event.item, seq=dropped.event.seq + 1)


def test_a_dropped_event_fails_on_the_command_line(
    bundle_case: BundleCase, cli_verify: CliVerify, tmp_path: Path
) -> None:
    entries = entries_of(bundle_case.members())
    dropped = longest_item_chain(entries)[1]
    out = bundle_case.rewrite(tmp_path / "t.bundle", dropping(entries, dropped))
    ran = cli_verify(out, bundle_case.trust_file)
    assert ran.code == 1, (ran.out, ran.err)
    assert "Traceback" not in ran.err


def test_two_reordered_events_are_out_of_log_order(
    bundle_case: BundleCase, tampered: Tampered
) -> None:
    entries = entries_of(bundle_case.members())
    chain = longest_item_chain(entries)
    first, second = chain[1], chain[2]
    i, j = entries.index(first), entries.index(second)
    reordered = list(entries)
    reordered[i], reordered[j] = second, first
    result = tampered(lambda m: fix_manifest(with_entries(m, reordered)))
    assert_found(result, "MANIFEST_CHANGED", member=MANIFEST)
    assert_found(result, "ENTRY_ORDER", index=first.index)
    assert_found(result, "CHAIN_SEQ", **second.where)


def test_two_reordered_events_of_different_chains_are_out_of_log_order(
    bundle_case: BundleCase, tampered: Tampered
) -> None:
    entries = entries_of(bundle_case.members())
    i = next(
        n for n in range(len(entries) - 1) if entries[n].event.item != entries[n + 1].event.item
    )
    reordered = list(entries)
    reordered[i], reordered[i + 1] = entries[i + 1], entries[i]
    result = tampered(lambda m: fix_manifest(with_entries(m, reordered)))
    assert_found(result, "MANIFEST_CHANGED", member=MANIFEST)
    assert_found(result, "ENTRY_ORDER", index=entries[i].index)


def _swap_signatures(first: Entry, second: Entry) -> tuple[Entry, Entry]:
    # A COSE_Sign1 entry ends with its Ed25519 signature: a 64-byte string (0x58 0x40 ...).
    assert first.entry[-66:-64] == second.entry[-66:-64] == b"\x58\x40"
    return (
        attrs.evolve(first, entry=first.entry[:-64] + second.entry[-64:]),
        attrs.evolve(second, entry=second.entry[:-64] + first.entry[-64:]),
    )


@pytest.mark.parametrize("fixed", [False, True], ids=["manifest-as-is", "manifest-fixed"])
def test_swapped_signatures_fail_at_both_events(
    bundle_case: BundleCase, tampered: Tampered, fixed: bool
) -> None:
    entries = entries_of(bundle_case.members())
    chain = longest_item_chain(entries)
    a, b = chain[1], chain[-2]
    swapped_a, swapped_b = _swap_signatures(a, b)
    changed = [swapped_a if e == a else swapped_b if e == b else e for e in entries]

    def swap(members: Members) -> Members:
        members = with_entries(members, changed)
        return fix_manifest(members) if fixed else members

    result = tampered(swap)
    for entry in (a, b):
        assert_found(result, "SIGNATURE_INVALID", **entry.where)
        assert_found(result, "INCLUSION_INVALID", **entry.where)
    assert {(w.item, w.seq) for w in problems(result, "SIGNATURE_INVALID")} == {
        (a.event.item, a.event.seq),
        (b.event.item, b.event.seq),
    }


# --- evidence files -------------------------------------------------------------------------


@pytest.mark.parametrize("fixed", [False, True], ids=["manifest-as-is", "manifest-fixed"])
@pytest.mark.parametrize("size", ["same-size", "other-size"])
def test_a_replaced_evidence_file_is_changed(
    bundle_case: BundleCase, tampered: Tampered, fixed: bool, size: str
) -> None:
    members = bundle_case.members()
    name = file_members(members)[-1]
    item = item_of_file(entries_of(members), name)
    original = dict(members)[name]
    other = b"X" * len(original) if size == "same-size" else original + b" and more"

    def swap(members: Members) -> Members:
        members = replace(members, name, other)
        return fix_manifest(members) if fixed else members

    result = tampered(swap)
    assert_found(result, "FILE_CHANGED", item=item, member=name)
    if fixed:
        assert_found(result, "MANIFEST_CHANGED", member=MANIFEST)
        assert "MEMBER_CHANGED" not in codes(result)
    else:
        assert_found(result, "MEMBER_CHANGED", member=name)
    (found,) = [f for i in result.items if i.reference == item for f in i.files]
    assert found.status is FileStatus.CHANGED


# --- untrusted signers ----------------------------------------------------------------------


def _claim_mallory(members: Members) -> Members:
    keys = ClaimedKeys.from_cbor(dict(members)[KEYS])
    mallory = ClaimedKey(MALLORY.public.to_bytes(), "Mallory", "investigator", None)
    claimed = attrs.evolve(keys, actors=(*keys.actors, mallory))
    return replace(members, KEYS, claimed.to_cbor())


@pytest.mark.parametrize(
    ("claimed", "code"),
    [(False, "KEY_UNKNOWN"), (True, "KEY_UNTRUSTED")],
    ids=["unknown", "claimed"],
)
def test_an_event_re_signed_by_an_untrusted_key(
    bundle_case: BundleCase, tampered: Tampered, claimed: bool, code: str
) -> None:
    entries = entries_of(bundle_case.members())
    target = longest_item_chain(entries)[2]
    forged_event = attrs.evolve(target.event, actor=MALLORY.key_id)
    forged = attrs.evolve(target, entry=sign_event(forged_event, MALLORY, origin=TEST_ORIGIN).entry)

    def forge(members: Members) -> Members:
        members = with_entries(members, [forged if e == target else e for e in entries])
        return fix_manifest(_claim_mallory(members) if claimed else members)

    result = tampered(forge)
    assert_found(result, code, **target.where)
    assert_found(result, "INCLUSION_INVALID", **target.where)
    assert_found(result, "MANIFEST_CHANGED", member=MANIFEST)
    assert not [w for w in problems(result, "SIGNATURE_INVALID") if w.index == target.index]


def test_an_event_appended_by_an_untrusted_key(bundle_case: BundleCase, tampered: Tampered) -> None:
    entries = entries_of(bundle_case.members())
    last = longest_item_chain(entries)[-1]
    head = last.event
    appended_event = Event(
        head.case,
        head.item,
        head.seq + 1,
        leaf_hash(last.entry),
        MALLORY.key_id,
        EventBody(EventType.ACCESSED, head.body.time + timedelta(hours=1), purpose="a look"),
    )
    index = max(e.index for e in entries) + 2  # after the closing export, too
    appended = Entry(
        index, sign_event(appended_event, MALLORY, origin=TEST_ORIGIN).entry, last.proof
    )
    result = tampered(lambda m: fix_manifest(with_entries(m, [*entries, appended])))
    where = {"case": head.case, "item": head.item, "seq": head.seq + 1, "index": index}
    assert_found(result, "KEY_UNKNOWN", **where)
    assert_found(result, "INCLUSION_INVALID", **where)
    assert_found(result, "CHAIN_CUT", case=head.case, item=head.item, seq=head.seq)
    assert_found(result, "MANIFEST_CHANGED", member=MANIFEST)


@pytest.mark.parametrize("whose", ["an-item-event", "the-exporter"])
def test_a_signer_the_policy_lacks_is_untrusted_at_each_event(
    bundle_case: BundleCase, whose: str
) -> None:
    members = bundle_case.members()
    entries = entries_of(members)
    export = open_statement(Closing.from_cbor(dict(members)[CLOSING]).entry).event
    if whose == "the-exporter":
        actor = export.actor
    else:
        actor = longest_item_chain(entries)[2].event.actor
        assert actor != export.actor
    signed = {(e.event.case, e.event.item, e.event.seq) for e in entries if e.event.actor == actor}
    if whose == "the-exporter":
        signed.add((export.case, export.item, export.seq))
    result = bundle_case.verify(trust=without_key(bundle_case.trust, actor))
    assert codes(result) == {"KEY_UNTRUSTED"}
    assert {(w.case, w.item, w.seq) for w in problems(result, "KEY_UNTRUSTED")} == signed
    (signer,) = [s for s in result.signers if s.key_id == actor]
    assert signer.trusted_name is None
    assert signer.claimed_name is not None


def test_an_untrusted_signer_fails_on_the_command_line(
    bundle_case: BundleCase, cli_verify: CliVerify, tmp_path: Path
) -> None:
    actor = longest_item_chain(entries_of(bundle_case.members()))[2].event.actor
    trust_file = tmp_path / "trust.json"
    trust_file.write_text(json.dumps(without_key(bundle_case.trust, actor).to_dict()))
    ran = cli_verify(bundle_case.path, trust_file)
    assert ran.code == 1, (ran.out, ran.err)
    assert "KEY_UNTRUSTED" in ran.out + ran.err


FORGED_LINES = "VERIFIED{0}checks: 25 passed, 0 failed, 0 with nothing to check (9 performed)"


def _forge_lines(members: Members) -> Members:
    """The manifest's case and origin and every claimed name end in lines of their own,
    each with another line break."""
    found = dict(members)
    manifest = Manifest.from_cbor(found[MANIFEST])
    manifest = attrs.evolve(
        manifest,
        case=f"{manifest.case}\n{FORGED_LINES.format(chr(10))}",
        origin=f"{manifest.origin}\u2029{FORGED_LINES.format(chr(0x2029))}",
    )
    keys = ClaimedKeys.from_cbor(found[KEYS])
    forged = FORGED_LINES.format("\u2028")
    actors = tuple(attrs.evolve(a, name=f"{a.name}\u2028{forged}") for a in keys.actors)
    members = replace(members, KEYS, attrs.evolve(keys, actors=actors).to_cbor())
    return fix_manifest(replace(members, MANIFEST, manifest.to_cbor()))


def test_bundle_text_cannot_add_lines_to_the_command_line_output(
    bundle_case: BundleCase, cli_verify: CliVerify, tmp_path: Path
) -> None:
    actor = longest_item_chain(entries_of(bundle_case.members()))[2].event.actor
    trust_file = tmp_path / "trust.json"
    trust_file.write_text(json.dumps(without_key(bundle_case.trust, actor).to_dict()))
    bundle = bundle_case.rewrite(tmp_path / "forged-lines.bundle", _forge_lines)
    ran = cli_verify(bundle, trust_file)
    assert ran.code == 1, (ran.out, ran.err)
    lines = ran.out.splitlines()
    assert lines[0].startswith("NOT VERIFIED: ")
    assert "VERIFIED" not in lines[1:]
    assert [line for line in lines if line.startswith("checks:")] == [lines[-1]]
    assert f"case {bundle_case.case}\\x0aVERIFIED\\x0achecks: 25 passed" in lines[1]
    assert "\\u2029VERIFIED\\u2029checks" in lines[1]
    assert any("not in your trust policy" in line and "\\u2028VERIFIED" in line for line in lines)


def test_a_policy_without_the_log_is_log_untrusted(bundle_case: BundleCase) -> None:
    result = bundle_case.verify(trust=attrs.evolve(bundle_case.trust, logs=()))
    assert codes(result) == {"LOG_UNTRUSTED"}
    assert problems(result, "LOG_UNTRUSTED") == [Location(member=CLOSING)]


def test_a_policy_with_another_log_key_fails_the_checkpoints(bundle_case: BundleCase) -> None:
    (log,) = bundle_case.trust.logs
    other = attrs.evolve(log, public_key=MALLORY.public)
    result = bundle_case.verify(trust=attrs.evolve(bundle_case.trust, logs=(other,)))
    assert_found(result, "CHECKPOINT_SIGNATURE", member=CLOSING)
    assert not result.report.ok


@pytest.mark.parametrize("bound", ["valid_until", "valid_from"])
def test_a_key_outside_its_validity_is_not_valid_at_its_events(
    bundle_case: BundleCase, bound: str
) -> None:
    entries = entries_of(bundle_case.members())
    actor = longest_item_chain(entries)[2].event.actor
    times = [e.event.body.time for e in entries if e.event.actor == actor]
    limit = (
        min(times) - timedelta(days=1) if bound == "valid_until" else max(times) + timedelta(days=1)
    )
    trust = bundle_case.trust
    keys = tuple(
        k
        if k.key_id != actor
        else attrs.evolve(k, valid_until=limit)
        if bound == "valid_until"
        else attrs.evolve(k, valid_from=limit)
        for k in trust.keys
    )
    result = bundle_case.verify(trust=attrs.evolve(trust, keys=keys))
    assert codes(result) == {"KEY_NOT_VALID"}
    expected = {(e.event.item, e.event.seq, e.index) for e in entries if e.event.actor == actor}
    assert {(w.item, w.seq, w.index) for w in problems(result, "KEY_NOT_VALID")} == expected


# --- medical records ------------------------------------------------------------------------


@pytest.mark.parametrize("fixed", [False, True], ids=["manifest-as-is", "manifest-fixed"])
def test_a_changed_medical_record_is_reported_at_the_evaluation(
    bundle_case: BundleCase, tampered: Tampered, fixed: bool
) -> None:
    members = bundle_case.members()
    (name,) = record_members(members)
    recorded = evaluation_entry(entries_of(members))
    record = dict(members)[name]
    at = record.index(b"purple") + 5

    def change(members: Members) -> Members:
        members = replace(members, name, record[:at] + b"f" + record[at + 1 :])  # "purplf"
        return fix_manifest(members) if fixed else members

    result = tampered(change)
    assert_found(result, "MEDICAL_RECORD_CHANGED", **recorded.where)
    assert_found(result, "MEDICAL_FIELD_CHANGED", **recorded.where)
    (field,) = problems(result, "MEDICAL_FIELD_CHANGED")
    assert field.member is not None
    assert field.member.startswith("field /")
    if fixed:
        assert_found(result, "MANIFEST_CHANGED", member=MANIFEST)
        assert "MEMBER_CHANGED" not in codes(result)
    else:
        assert_found(result, "MEMBER_CHANGED", member=name)
    (evaluation,) = result.evaluations
    assert evaluation.reference == recorded.event.item
    assert evaluation.evaluation is None  # the changed record is not shown as the document


def test_a_medical_record_replaced_by_garbage_is_malformed(
    bundle_case: BundleCase, tampered: Tampered
) -> None:
    members = bundle_case.members()
    (name,) = record_members(members)
    recorded = evaluation_entry(entries_of(members))
    result = tampered(lambda m: fix_manifest(replace(m, name, b"\xff not a record")))
    assert_found(result, "MEDICAL_RECORD_CHANGED", **recorded.where)
    assert_found(result, "MEDICAL_RECORD_MALFORMED", **recorded.where)
    assert_found(result, "MANIFEST_CHANGED", member=MANIFEST)


# --- damaged, not hostile: lengths claimed past a member's end ------------------------------

CLAIMS_PAST_THE_END = {
    "a-2**60-byte-string": b"\x82\x00\x5b" + (2**60).to_bytes(8, "big"),
    "2**60-elements": b"\x9b" + (2**60).to_bytes(8, "big"),
    "a-string-one-byte-too-long": b"\x82\x00\x45abcd",
}


@pytest.mark.parametrize("member", [ENTRIES, INCLUSION])
@pytest.mark.parametrize("claim", list(CLAIMS_PAST_THE_END))
def test_an_item_claiming_more_than_its_member_holds_is_malformed(
    bundle_case: BundleCase, tampered: Tampered, member: str, claim: str
) -> None:
    # One changed byte of a length can claim this much; it is a damaged member, not an attack.
    def append(members: Members) -> Members:
        return replace(members, member, dict(members)[member] + CLAIMS_PAST_THE_END[claim])

    items = len(entries_of(bundle_case.members()))
    result = tampered(append)
    assert_found(result, "MEMBER_MALFORMED", member=member)
    (malformed,) = [p for p in result.report.problems if p.code == "MEMBER_MALFORMED"]
    assert f"{member} item {items + 1}" in malformed.message
    assert "truncated" in malformed.message


@pytest.mark.parametrize("extra", ["a-copy-of-the-last-proof", "garbage", "one-zero-byte"])
def test_anything_after_the_last_inclusion_proof_is_caught(
    bundle_case: BundleCase, tampered: Tampered, extra: str
) -> None:
    # inclusion.cborseq is not listed in the manifest: only its reader can notice an addition.
    def append(members: Members) -> Members:
        data = dict(members)[INCLUSION]
        last = entries_of(members)[-1]
        added = {
            "a-copy-of-the-last-proof": inclusion_item(last.index, list(last.proof)),
            "garbage": b"\xff\xfe not a proof",
            "one-zero-byte": b"\x00",
        }[extra]
        return replace(members, INCLUSION, data + added)

    result = tampered(append)
    assert not result.report.ok
    assert [
        p
        for p in result.report.problems
        if p.where.member is not None and p.where.member.startswith(INCLUSION)
    ], result.report.problems


# --- malformed items of entries.cborseq ----------------------------------------------------


def test_a_malformed_event_item_blames_itself_not_the_events_after_it(
    tampered: Tampered, bundle_case: BundleCase
) -> None:
    entries = entries_of(bundle_case.members())
    damaged = entries[len(entries) // 2]

    def damage(members: Members) -> Members:
        items = [
            encoding.encode([e.index, e.entry, 0]) if e == damaged else entry_item(e.index, e.entry)
            for e in entries
        ]
        return replace(members, ENTRIES, b"".join(items))

    result = tampered(damage)
    position = entries.index(damaged) + 1
    assert_found(result, "MEMBER_MALFORMED", member=f"{ENTRIES} item {position}")
    # Its inclusion proof is passed over with it: every other event keeps its own.
    assert problems(result, "INCLUSION_MISSING") == []
    assert [p for p in result.report.problems if p.where.member == INCLUSION] == []


def test_a_member_of_many_malformed_items_is_read_only_so_far(
    tampered: Tampered, bundle_case: BundleCase
) -> None:
    # Tiny wrong-shaped items cost far more to report than events do: reading stops.
    junk = b"\x00" * (MAX_MALFORMED_ITEMS + 500)
    result = tampered(lambda m: replace(m, ENTRIES, dict(m)[ENTRIES] + junk))
    cut = [
        p
        for p in result.report.problems
        if p.code == "MEMBER_MALFORMED" and p.where.member == ENTRIES
    ]
    assert [p.message for p in cut] == [
        f"{MAX_MALFORMED_ITEMS} malformed items: the rest is not read"
    ]
    items = [p for p in problems(result, "MEMBER_MALFORMED") if p.member != ENTRIES]
    assert len(items) == MAX_MALFORMED_ITEMS
    assert problems(result, "INCLUSION_MISSING") == []
