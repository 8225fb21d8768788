"""Fuzzing bundle verification: whatever the bytes, a report or BundleUnreadable, nothing else;
and a report on changed content is never ``ok``.

Two kinds of damage to the realistic bundle: bytes of the file flipped, inserted, deleted or
cut anywhere (often in the ZIP structure near the end, where the reader must refuse), and
bytes of one member changed the same way, then written as a valid ZIP again (so the reader
accepts it and the verifier must catch the change).

A raw change may touch only ZIP fields the reader ignores (time stamps, the "version made
by"), leaving every member as it was: that bundle carries the same signed content, so it
may verify. A report may be ``ok`` only then: when the members, names and bytes in order,
are the original ones.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from hypothesis import event, given, settings
from hypothesis import strategies as st

from custody.bundle import verify_bundle
from custody.bundle._zip import ZipReader
from custody.errors import BundleUnreadable

if TYPE_CHECKING:
    from bundle.conftest import BundleCase

Op = tuple[str, int, int, bytes]
FUZZ = settings(max_examples=150, deadline=None)


def ops(size: int) -> st.SearchStrategy[list[Op]]:
    """One to three changes at offsets anywhere in ``size`` bytes, or in their last 2 KiB."""
    anywhere = st.integers(0, size)  # an insertion may append
    near_end = st.integers(max(size - 2048, 0), size)
    offset = anywhere | near_end
    op = st.one_of(
        st.tuples(st.just("flip"), offset, st.integers(1, 255), st.just(b"")),
        st.tuples(st.just("insert"), offset, st.just(0), st.binary(min_size=1, max_size=16)),
        st.tuples(st.just("delete"), offset, st.integers(1, 64), st.just(b"")),
        st.tuples(st.just("truncate"), offset, st.just(0), st.just(b"")),
    )
    return st.lists(op, min_size=1, max_size=3)


def mutate(data: bytes, changes: list[Op]) -> bytes:
    out = bytearray(data)
    for kind, offset, amount, inserted in changes:
        at = min(offset, max(len(out) - 1, 0))
        if kind == "flip" and out:
            out[at] ^= amount
        elif kind == "insert":
            at = min(offset, len(out))
            out[at:at] = inserted
        elif kind == "delete":
            del out[at : at + amount]
        elif kind == "truncate":
            del out[at:]
    return bytes(out)


def members_of(path: Path) -> list[tuple[str, bytes]] | None:
    """The members as the reader sees them, or ``None`` if it refuses the file."""
    try:
        with ZipReader(path) as archive:
            return [(m.name, archive.read(m, m.size)) for m in archive.members]
    except BundleUnreadable:
        return None


def check(bundle_case: BundleCase, data: bytes, folder: str) -> None:
    """Verify ``data``: a report or BundleUnreadable; ``ok`` only with the original members."""
    path = Path(folder) / "fuzzed.bundle"
    path.write_bytes(data)
    try:
        result = verify_bundle(path, bundle_case.trust, workers=1)
    except BundleUnreadable:
        event("refused: BundleUnreadable")
        return
    event(f"report, ok={result.report.ok}")
    if result.report.ok:
        assert members_of(path) == bundle_case.members(), "changed content verified"


@FUZZ
@given(data=st.data())
def test_changed_bundle_bytes_give_a_report_or_bundle_unreadable(
    library_bundle: BundleCase, data: st.DataObject
) -> None:
    original = library_bundle.path.read_bytes()
    changed = mutate(original, data.draw(ops(len(original)), label="changes"))
    with tempfile.TemporaryDirectory() as folder:
        check(library_bundle, changed, folder)


@FUZZ
@given(data=st.data())
def test_changed_member_bytes_in_a_well_formed_bundle_are_never_ok(
    library_bundle: BundleCase, data: st.DataObject
) -> None:
    members = library_bundle.members()
    position = data.draw(st.integers(0, len(members) - 1), label="member")
    name, content = members[position]
    changed = mutate(content, data.draw(ops(len(content)), label="changes"))
    members[position] = (name, changed)
    with tempfile.TemporaryDirectory() as folder:
        path = library_bundle.rewrite(Path(folder) / "fuzzed.bundle", lambda _: members)
        try:
            result = verify_bundle(path, library_bundle.trust, workers=1)
        except BundleUnreadable:
            event(f"refused: BundleUnreadable ({name.partition('/')[0]})")
            return
        event(f"report, ok={result.report.ok}")
        assert result.report.ok is (changed == content), (name, result.report.problems)
