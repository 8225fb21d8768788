"""Seals recorded as broken: noticed on receipt and when recorded by someone not holding the
item, which ends the item's seals; the holder opening them to work is routine."""

from __future__ import annotations

from datetime import timedelta

from custody.ledger import Ledger
from custody.model import EventBody, EventType, SealState
from custody.testing import SAMPLE_TIME, Cast
from custody.verify import verify_ledger

LATER = SAMPLE_TIME + timedelta(days=1)


def broken_seal_notices(ledger: Ledger) -> list[str]:
    report = verify_ledger(ledger)
    assert report.ok
    return [n.message for n in report.notices if n.code == "SEALS_REPORTED_BROKEN"]


def test_the_holder_opening_the_seals_is_not_noticed(sample_ledger: Ledger) -> None:
    assert broken_seal_notices(sample_ledger) == []  # the analyst opened them to analyse


def test_someone_not_holding_the_item_who_breaks_its_seals_is_noticed(
    sample_ledger: Ledger, cast: Cast
) -> None:
    body = EventBody(EventType.ACCESSED, LATER, seal_state=SealState.BROKEN)
    recorded = sample_ledger.record("CASE-1", "ITEM-1", body, cast.courier)
    assert sample_ledger.state("CASE-1", "ITEM-1").seals == ()
    report = verify_ledger(sample_ledger)
    (notice,) = [n for n in report.notices if n.code == "SEALS_REPORTED_BROKEN"]
    assert notice.where.index == recorded.index
    assert notice.message == (
        "someone who did not hold the item recorded its seals as broken (accessed)"
    )
