"""Plain-text and JSON renderings for the terminal."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from custody.errors import InvalidInput
from custody.ledger import RecordedEvent
from custody.model import EVALUATION_EVENTS, Actor, Case, EvaluationClaim, EventBody
from custody.verify import VerificationReport


def actor_lines(actors: Sequence[Actor]) -> list[str]:
    """One line per registered actor."""
    if not actors:
        return ["No actors registered."]
    return [
        f"{a.key_id_hex[:16]}  {a.name} ({a.role}"
        + (f", {a.organisation})" if a.organisation else ")")
        for a in actors
    ]


def case_lines(
    cases: Sequence[Case], actors: Mapping[bytes, Actor], items: Mapping[str, int]
) -> list[str]:
    """One line per case."""
    if not cases:
        return ["No cases."]
    return [
        f"{c.reference}  opened {c.opened_at:%Y-%m-%d %H:%M} UTC by "
        f"{_who(c.opened_by, actors)}, {items[c.reference]} item(s)"
        + (f" — {c.purpose}" if c.purpose else "")
        for c in cases
    ]


def timeline_lines(
    case: str, timeline: Sequence[RecordedEvent], actors: Mapping[bytes, Actor]
) -> list[str]:
    """A readable custody timeline: one line per event, in log order."""
    lines = [f"Custody timeline of case {case} (times are claimed, UTC)", ""]
    for recorded in timeline:
        event = recorded.event
        subject = event.item or "(case)"
        lines.append(
            f"{event.body.time:%Y-%m-%d %H:%M:%S}  {subject:<16} #{event.seq:<3} "
            f"{event.type.value:<12} {_who(event.actor, actors)}"
        )
        lines.extend(f"{'':43}{detail}" for detail in _details(event.body, actors))
    return lines


def timeline_json(
    timeline: Sequence[RecordedEvent], actors: Mapping[bytes, Actor]
) -> list[dict[str, Any]]:
    """The timeline for scripts: the event fields plus log index, leaf hash and actor."""
    rows = []
    for recorded in timeline:
        event = recorded.event
        actor = actors.get(event.actor)
        payload = _jsonable(event.to_dict())
        payload["time"] = event.body.time.isoformat().replace("+00:00", "Z")
        payload.update(
            index=recorded.index,
            leaf_hash=recorded.leaf_hash.hex(),
            actor_name=actor.name if actor else None,
        )
        rows.append(payload)
    return rows


def report_lines(report: VerificationReport) -> list[str]:
    """The verdict first, then the checks, problems and notices."""
    verdict = (
        "VERIFIED: every check passed."
        if report.ok
        else f"FAILED: {report.problem_count} problem(s) found."
    )
    lines = [f"{report.subject}", verdict, "", "Checks:"]
    for check in report.checks:
        mark = "ok  " if check.passed else ("--  " if check.performed == 0 else "FAIL")
        lines.append(f"  {mark} {check.name} ({check.performed} performed, {check.failed} failed)")
    if report.problems:
        lines += ["", "Problems:"] + [
            f"  {p.code} at {p.where}: {p.message}" for p in report.problems
        ]
        if report.problems_omitted:
            lines.append(f"  ... and {report.problems_omitted} more, not listed")
    if report.notices:
        lines += ["", "Notices:"] + [
            f"  {n.code} at {n.where}: {n.message}" for n in report.notices
        ]
        if report.notices_omitted:
            lines.append(f"  ... and {report.notices_omitted} more, not listed")
    return lines


def _details(body: EventBody, actors: Mapping[bytes, Actor]) -> list[str]:
    details = []
    if body.description:
        details.append(f"description: {body.description}")
    if body.packaging:
        details.append(f"packaging: {body.packaging}")
    if body.recipient:
        details.append(f"to: {_who(body.recipient, actors)}")
    elif body.counterparty:
        details.append(f"counterparty: {body.counterparty}")
    if body.seals or body.seal_state:
        seals = ", ".join(body.seals) or "none"
        state = f" ({body.seal_state.value})" if body.seal_state else ""
        details.append(f"seals: {seals}{state}")
    for label, value in (
        ("place", body.place.name if body.place else None),
        ("purpose", body.purpose),
        ("condition", body.condition),
    ):
        if value:
            details.append(f"{label}: {value}")
    details += [f"file: {a.name} sha256:{a.sha256.hex()} ({a.size} bytes)" for a in body.artifacts]
    if body.type in EVALUATION_EVENTS:
        details += _evaluation_details(body, actors)
    return details


def _evaluation_details(body: EventBody, actors: Mapping[bytes, Actor]) -> list[str]:
    """What an evaluation event states, in short: digests by their first 16 hex digits."""
    try:
        claim = EvaluationClaim.from_body(body)
    except InvalidInput as exc:
        return [f"evaluation: malformed ({exc})"]
    if claim.version is None:
        return [f"evaluation digest: {claim.digest.hex()[:16]}"]
    details = [
        f"evaluation version {claim.version}: digest {claim.digest.hex()[:16]}, "
        f"{len(claim.fields)} field(s)"
    ]
    if claim.supersedes is not None:
        details.append(f"supersedes: {claim.supersedes.hex()[:16]}")
    details.append("evaluators: " + ", ".join(_who(key, actors) for key in claim.evaluators))
    return details


def _who(key_id: bytes, actors: Mapping[bytes, Actor]) -> str:
    actor = actors.get(key_id)
    return f"{actor.name} ({actor.role})" if actor else f"key {key_id.hex()[:16]}…"


def _jsonable(value: Any) -> Any:
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value
