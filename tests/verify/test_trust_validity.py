"""Key validity in the trust policy: parsing, and KEY_NOT_VALID on verification."""

from __future__ import annotations

from datetime import timedelta

import pytest

from custody.errors import InvalidInput
from custody.ledger import Ledger
from custody.testing import SAMPLE_TIME, Cast
from custody.verify import TrustedKey, TrustedLog, TrustPolicy, verify_ledger


def _policy(cast: Cast, ledger: Ledger, **bounds: object) -> TrustPolicy:
    keys = [TrustedKey(actor.name, key.public) for actor, key in cast.actors()]
    courier = next(k for k in keys if k.public_key == cast.courier.public)
    keys[keys.index(courier)] = TrustedKey(
        courier.name,
        courier.public_key,
        ("courier",),
        bounds.get("valid_from"),  # type: ignore[arg-type]
        bounds.get("valid_until"),  # type: ignore[arg-type]
    )
    return TrustPolicy(tuple(keys), (TrustedLog(ledger.info.origin, cast.log.public),))


def test_events_inside_the_validity_verify(sample_ledger: Ledger, cast: Cast) -> None:
    policy = _policy(
        cast, sample_ledger, valid_from=SAMPLE_TIME, valid_until=SAMPLE_TIME + timedelta(days=1)
    )
    assert verify_ledger(sample_ledger, trust=policy).ok


def test_events_after_the_validity_are_not_trusted(sample_ledger: Ledger, cast: Cast) -> None:
    policy = _policy(cast, sample_ledger, valid_until=SAMPLE_TIME)
    report = verify_ledger(sample_ledger, trust=policy)
    problems = [p for p in report.problems if p.code == "KEY_NOT_VALID"]
    courier_events = [e for e in sample_ledger.entries() if e.event.actor == cast.courier.key_id]
    assert len(problems) == len(courier_events) > 0
    assert {p.where.index for p in problems} == {e.index for e in courier_events}
    assert "after its validity ended" in problems[0].message


def test_events_before_the_validity_are_not_trusted(sample_ledger: Ledger, cast: Cast) -> None:
    policy = _policy(cast, sample_ledger, valid_from=SAMPLE_TIME + timedelta(days=1))
    report = verify_ledger(sample_ledger, trust=policy)
    assert "KEY_NOT_VALID" in report.problem_codes()
    assert any("before its validity starts" in p.message for p in report.problems)


def test_validity_round_trips_through_json(cast: Cast, ledger: Ledger) -> None:
    policy = _policy(
        cast, ledger, valid_from=SAMPLE_TIME, valid_until=SAMPLE_TIME + timedelta(hours=5)
    )
    data = policy.to_dict()
    courier = next(k for k in data["keys"] if k["roles"] == ["courier"])
    assert courier["valid_from"] == "2026-03-02T09:00:00Z"
    assert courier["valid_until"] == "2026-03-02T14:00:00Z"
    assert TrustPolicy.from_dict(data) == policy


@pytest.mark.parametrize(
    ("bounds", "message"),
    [
        ({"valid_from": "yesterday"}, "ISO 8601"),
        ({"valid_from": "2026-01-01T00:00:00"}, "UTC offset"),
        ({"valid_until": 20260101}, "ISO 8601"),
        (
            {"valid_from": "2026-02-01T00:00:00Z", "valid_until": "2026-01-01T00:00:00Z"},
            "before valid_from",
        ),
    ],
)
def test_bad_validity_is_refused_naming_the_key(
    cast: Cast, bounds: dict[str, object], message: str
) -> None:
    entry = {"name": "C", "public_key": cast.courier.public.to_bytes().hex(), **bounds}
    with pytest.raises(InvalidInput, match=message) as caught:
        TrustPolicy.from_dict({"custody_trust": 1, "keys": [entry]})
    assert "keys[0]" in str(caught.value)


def test_a_key_listed_twice_is_refused(cast: Cast) -> None:
    courier = cast.courier.public.to_bytes().hex()
    entries = [
        {"name": "C", "public_key": courier, "valid_until": "2026-01-01T00:00:00Z"},
        {"name": "C again", "public_key": courier},
    ]
    with pytest.raises(InvalidInput, match=r"twice \(keys\[0\] and keys\[1\]\)"):
        TrustPolicy.from_dict({"custody_trust": 1, "keys": entries})


def test_a_log_listed_twice_is_refused(cast: Cast, ledger: Ledger) -> None:
    log = TrustedLog(ledger.info.origin, cast.log.public)
    with pytest.raises(InvalidInput, match=r"twice \(logs\[0\] and logs\[1\]\)"):
        TrustPolicy((), (log, TrustedLog(ledger.info.origin, cast.courier.public)))
