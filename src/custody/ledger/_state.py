"""The custody state machine: which histories are possible.

A chain is a case's own chain, an item's chain, or a medical evaluation's chain (started by
``evaluation_recorded``: drafts, reviews, seals and addenda, never clinical content); each
kind has its own rules (``docs/verification.md``, ``docs/formats.md`` section 9).

The same rules serve two callers. On append, any violation refuses the event
(:class:`~custody.errors.TransitionRefused`); on verification, every violation becomes a
problem in the report and the machine moves on, so one bad event does not hide the rest.
"""

from __future__ import annotations

from collections.abc import Collection

import attrs

from custody.errors import InvalidInput
from custody.model import (
    EVALUATION_EVENTS,
    FINAL_EVENTS,
    FIRST_ITEM_EVENTS,
    VERSIONING_EVENTS,
    EvaluationClaim,
    Event,
    EventType,
    SealState,
)

# Events only the current holder may record: they move, seal or end custody of the item.
_HOLDER_ONLY = frozenset(
    {
        EventType.SEALED,
        EventType.TRANSFERRED,
        EventType.STORED,
        EventType.RETURNED,
        EventType.DISPOSED,
    }
)
# Events about the record rather than the item: allowed in transit and after custody ends.
_RECORD_ONLY = frozenset({EventType.EXPORTED})
_CASE_CHAIN_EVENTS = frozenset({EventType.OPENED, EventType.EXPORTED})
# Examinations that may open the packaging (seal state "broken").
_OPENING = frozenset({EventType.ACCESSED, EventType.ANALYSED})
# Events that may say which seals they saw; INTACT must then match what the item carries.
_SEAL_OBSERVING = frozenset(
    {
        EventType.STORED,
        EventType.ACCESSED,
        EventType.ANALYSED,
        EventType.RETURNED,
        EventType.DISPOSED,
    }
)


@attrs.frozen
class Violation:
    """One broken rule: a stable code and a sentence naming what is wrong."""

    code: str
    message: str


@attrs.frozen
class PendingTransfer:
    """A transfer released by the holder and not yet acknowledged by its recipient."""

    recipient: bytes
    seals: tuple[str, ...]


@attrs.frozen
class EvaluationProgress:
    """Where a medical evaluation stands, from the events of its chain.

    Attributes:
        version: the current version, 0 for the first draft (``None`` until a well-formed
            ``evaluation_recorded`` event).
        digest: the evaluation digest of the current version.
        evaluators: key ids of the current version's evaluators.
        sealed_by: the evaluators who have sealed the current digest.
    """

    version: int | None = None
    digest: bytes | None = None
    evaluators: frozenset[bytes] = frozenset()
    sealed_by: frozenset[bytes] = frozenset()

    @property
    def sealed(self) -> bool:
        """Whether every evaluator of the current version has sealed its digest."""
        return bool(self.evaluators) and self.evaluators <= self.sealed_by


@attrs.frozen
class ChainState:
    """What the events of one chain so far establish.

    Attributes:
        next_seq: the sequence number the next event must carry.
        head: leaf hash of the last event (``None`` for an empty chain).
        holder: key id of the actor who holds the item.
        seals: seal numbers the item carries now.
        pending: a transfer awaiting acknowledgement.
        ended_by: the event type that ended custody (returned or disposed).
        evaluation: for the chain of a medical evaluation (started by an evaluation
            event), where the evaluation stands; ``None`` for item and case chains.
    """

    next_seq: int = 0
    head: bytes | None = None
    holder: bytes | None = None
    seals: tuple[str, ...] = ()
    pending: PendingTransfer | None = None
    ended_by: EventType | None = None
    evaluation: EvaluationProgress | None = None


EMPTY = ChainState()


def violations(state: ChainState, event: Event, *, case_opened: bool = True) -> list[Violation]:
    """Every rule ``event`` breaks when appended to a chain in ``state``.

    Args:
        state: the chain's state before the event.
        event: the event.
        case_opened: whether the event's case has been opened (an item's first event must
            come after its case's ``opened`` event).
    """
    found = _link_violations(state, event)
    if event.item is None:
        found += _case_chain_violations(state, event)
        return found
    if event.type in EVALUATION_EVENTS or state.evaluation is not None:
        found += _evaluation_violations(state, event)
    else:
        found += _item_violations(state, event)
    if state.next_seq == 0 and not case_opened:
        found.append(Violation("CASE_NOT_OPENED", "the item's case has not been opened"))
    return found


def advance(state: ChainState, event: Event, leaf_hash: bytes) -> ChainState:
    """The chain's state after ``event`` (applied even if it broke rules, for reporting)."""
    body, kind = event.body, event.body.type
    if kind in EVALUATION_EVENTS or state.evaluation is not None:
        evaluation = _evaluation_after(state, event)
        return attrs.evolve(state, next_seq=event.seq + 1, head=leaf_hash, evaluation=evaluation)
    holder, seals, pending, ended_by = state.holder, state.seals, state.pending, state.ended_by
    if kind in FIRST_ITEM_EVENTS:
        holder, seals = event.actor, body.seals
    elif kind is EventType.SEALED:
        seals = body.seals
    elif kind is EventType.TRANSFERRED and body.recipient is not None:
        pending = PendingTransfer(body.recipient, body.seals)
    elif kind is EventType.RECEIVED:
        holder, seals, pending = event.actor, body.seals, None
    elif kind in FINAL_EVENTS:
        ended_by = kind
    elif kind in _OPENING and body.seal_state is SealState.BROKEN:
        seals = ()  # opened for examination; a later "sealed" event reseals it
    return ChainState(event.seq + 1, leaf_hash, holder, seals, pending, ended_by)


def _link_violations(state: ChainState, event: Event) -> list[Violation]:
    found = []
    if event.seq != state.next_seq:
        found.append(
            Violation(
                "CHAIN_SEQ", f"sequence number {event.seq} where {state.next_seq} was expected"
            )
        )
    if event.prev != state.head:
        found.append(Violation("CHAIN_PREV", "does not link to the previous event of its chain"))
    return found


def _case_chain_violations(state: ChainState, event: Event) -> list[Violation]:
    kind = event.type
    if kind not in _CASE_CHAIN_EVENTS:
        return [Violation("EVENT_NOT_ALLOWED", f"{_article(kind)} {kind} event must name an item")]
    if (kind is EventType.OPENED) != (state.next_seq == 0 and event.seq == 0):
        return [Violation("FIRST_EVENT", "a case chain starts with exactly one opened event")]
    return []


def _item_violations(state: ChainState, event: Event) -> list[Violation]:
    kind = event.type
    first = state.next_seq == 0
    if kind is EventType.OPENED:
        return [Violation("EVENT_NOT_ALLOWED", "an opened event is about a case, not an item")]
    if first or kind in FIRST_ITEM_EVENTS:
        if not (first and kind in FIRST_ITEM_EVENTS):
            return [
                Violation(
                    "FIRST_EVENT", "an item chain starts with exactly one acquired or derived event"
                )
            ]
        return []
    if kind in _RECORD_ONLY:
        return []
    if state.ended_by is not None:
        return [
            Violation(
                "AFTER_END", f"{_article(kind)} {kind} event after the item was {state.ended_by}"
            )
        ]
    if state.pending is not None:
        return _pending_violations(state.pending, event)
    if kind is EventType.RECEIVED:
        return [Violation("RECEIVE_WITHOUT_TRANSFER", "received, but no transfer is pending")]
    return _holding_violations(state, event)


def _pending_violations(pending: PendingTransfer, event: Event) -> list[Violation]:
    if event.type is not EventType.RECEIVED:
        return [
            Violation(
                "TRANSFER_UNACKNOWLEDGED",
                f"{_article(event.type)} {event.type} event before the pending transfer "
                "was received",
            )
        ]
    if event.actor != pending.recipient:
        return [
            Violation(
                "WRONG_RECIPIENT",
                f"received by {event.actor.hex()[:16]}…, but the transfer named "
                f"{pending.recipient.hex()[:16]}…",
            )
        ]
    return _receipt_seal_violations(pending.seals, event)


def _receipt_seal_violations(released: tuple[str, ...], event: Event) -> list[Violation]:
    state, seen = event.body.seal_state, event.body.seals
    if state is None:
        return [Violation("SEAL_STATE_MISSING", "a receipt must state the seals seen")]
    if state is SealState.INTACT and seen != released:
        return [
            Violation(
                "SEAL_MISMATCH",
                f"seals {_show(seen)} seen as intact, but {_show(released)} were released",
            )
        ]
    if state is SealState.UNSEALED and released:
        return [
            Violation(
                "SEAL_MISMATCH", f"received unsealed, but seals {_show(released)} were released"
            )
        ]
    return []


def _holding_violations(state: ChainState, event: Event) -> list[Violation]:
    kind, body = event.type, event.body
    found = []
    if kind in _HOLDER_ONLY and event.actor != state.holder:
        found.append(Violation("NOT_HOLDER", f"only the current holder may record {kind}"))
    if kind is EventType.TRANSFERRED:
        found += _transfer_violations(state, event)
    elif kind is EventType.SEALED and not body.seals:
        found.append(Violation("SEALS_MISSING", "a sealed event must list the new seals"))
    elif kind is EventType.RETURNED and body.counterparty is None:
        found.append(Violation("COUNTERPARTY_MISSING", "a return must name who received it"))
    elif (
        kind in _SEAL_OBSERVING
        and body.seal_state is SealState.INTACT
        and body.seals != state.seals
    ):
        found.append(
            Violation(
                "SEAL_MISMATCH",
                f"seals {_show(body.seals)} seen as intact, "
                f"but the item carries {_show(state.seals)}",
            )
        )
    return found


def _transfer_violations(state: ChainState, event: Event) -> list[Violation]:
    body = event.body
    if body.counterparty is None:
        return [Violation("RECIPIENT_MISSING", "a transfer must name its recipient's key id")]
    if body.recipient is None:
        return [
            Violation(
                "RECIPIENT_MISSING",
                "a transfer's counterparty must be the recipient's key id (64 hex)",
            )
        ]
    if body.recipient == event.actor:
        return [Violation("SELF_TRANSFER", "the holder cannot transfer an item to themselves")]
    if body.seals != state.seals:
        return [
            Violation(
                "SEAL_MISMATCH",
                f"released with seals {_show(body.seals)}, but the "
                f"item carries {_show(state.seals)}",
            )
        ]
    return []


# -- medical evaluation chains --------------------------------------------------------------


def _evaluation_violations(state: ChainState, event: Event) -> list[Violation]:
    kind, progress = event.type, state.evaluation
    if progress is None and state.next_seq > 0:
        return [
            Violation(
                "EVENT_NOT_ALLOWED",
                f"{_article(kind)} {kind} event belongs on an evaluation's own chain, "
                "not an item's",
            )
        ]
    if progress is None:
        return _first_evaluation_violations(event)
    if kind in _RECORD_ONLY:
        return []
    if kind not in EVALUATION_EVENTS:
        return [
            Violation(
                "EVENT_NOT_ALLOWED",
                f"{_article(kind)} {kind} event on an evaluation's chain, which holds only "
                "evaluation events and exports",
            )
        ]
    claim = _claim(event)
    if isinstance(claim, Violation):
        return [claim]
    return _EVALUATION_RULES[kind](progress, claim, event)


def _claim(event: Event) -> EvaluationClaim | Violation:
    try:
        return EvaluationClaim.from_body(event.body)
    except InvalidInput as exc:
        return Violation("EVALUATION_DETAILS", str(exc))


def _first_evaluation_violations(event: Event) -> list[Violation]:
    if event.type is not EventType.EVALUATION_RECORDED:
        return [
            Violation(
                "FIRST_EVENT",
                "an evaluation chain starts with exactly one evaluation_recorded event",
            )
        ]
    claim = _claim(event)
    if isinstance(claim, Violation):
        return [claim]
    found = []
    if claim.version != 0:
        found.append(
            Violation(
                "FIRST_EVENT", f"the first draft of an evaluation is version 0, not {claim.version}"
            )
        )
    return found + _evaluator_violations(claim.evaluators, event)


def _draft_violations(
    progress: EvaluationProgress, claim: EvaluationClaim, event: Event
) -> list[Violation]:
    found = []
    if progress.sealed:
        found.append(
            Violation(
                "EVALUATION_SEALED_ALREADY",
                "a new draft of a sealed evaluation; record an addendum instead",
            )
        )
    found += _version_violations(progress, claim)
    return found + _reviser_violations(progress, claim, event)


def _review_violations(
    progress: EvaluationProgress, claim: EvaluationClaim, event: Event
) -> list[Violation]:
    found = _digest_violations(progress, claim, "reviewed")
    if event.actor in progress.evaluators:
        found.append(
            Violation("REVIEW_BY_EVALUATOR", "an evaluator cannot review their own evaluation")
        )
    return found


def _seal_violations(
    progress: EvaluationProgress, claim: EvaluationClaim, event: Event
) -> list[Violation]:
    found = _digest_violations(progress, claim, "sealed")
    if event.actor not in progress.evaluators:
        found += _evaluator_violations(progress.evaluators, event)
    elif event.actor in progress.sealed_by:
        found.append(Violation("SEALED_TWICE", "this evaluator has sealed this version already"))
    return found


def _addendum_violations(
    progress: EvaluationProgress, claim: EvaluationClaim, event: Event
) -> list[Violation]:
    found = []
    if not progress.sealed:
        found.append(
            Violation(
                "ADDENDUM_BEFORE_SEAL",
                "an addendum before every evaluator sealed the evaluation; record a new "
                "draft instead",
            )
        )
    elif claim.supersedes != progress.digest:
        found.append(
            Violation(
                "ADDENDUM_SUPERSEDES",
                f"the addendum supersedes {_short(claim.supersedes)}, but the sealed "
                f"evaluation is {_short(progress.digest)}",
            )
        )
    found += _version_violations(progress, claim)
    return found + _reviser_violations(progress, claim, event)


def _reviser_violations(
    progress: EvaluationProgress, claim: EvaluationClaim, event: Event
) -> list[Violation]:
    """A new version is signed by an evaluator of it who is also an evaluator of the version
    it replaces: the new version names its own evaluators, so it could otherwise name
    whoever signs it and take the evaluation over."""
    found = _evaluator_violations(claim.evaluators, event)
    if not found and event.actor not in progress.evaluators:
        found.append(
            Violation(
                "NOT_AN_EVALUATOR",
                "only an evaluator of the current version may record the next version",
            )
        )
    return found


_EVALUATION_RULES = {
    EventType.EVALUATION_RECORDED: _draft_violations,
    EventType.EVALUATION_REVIEWED: _review_violations,
    EventType.EVALUATION_SEALED: _seal_violations,
    EventType.EVALUATION_ADDENDUM: _addendum_violations,
}


def _version_violations(progress: EvaluationProgress, claim: EvaluationClaim) -> list[Violation]:
    expected = None if progress.version is None else progress.version + 1
    if claim.version == expected:
        return []
    return [
        Violation(
            "EVALUATION_VERSION",
            f"version {claim.version} where {expected} was expected"
            if expected is not None
            else "no earlier well-formed version to follow",
        )
    ]


def _digest_violations(
    progress: EvaluationProgress, claim: EvaluationClaim, kind: str
) -> list[Violation]:
    if claim.digest == progress.digest:
        return []
    return [
        Violation(
            "EVALUATION_DIGEST",
            f"{kind} {_short(claim.digest)}, but the current version is {_short(progress.digest)}",
        )
    ]


def _evaluator_violations(evaluators: Collection[bytes], event: Event) -> list[Violation]:
    if event.actor in evaluators:
        return []
    return [
        Violation(
            "NOT_AN_EVALUATOR",
            f"only an evaluator of this version may record {event.type}",
        )
    ]


def _evaluation_after(state: ChainState, event: Event) -> EvaluationProgress | None:
    """Where the evaluation stands after ``event``; ``None`` unless this is its chain."""
    progress = state.evaluation
    if progress is None:
        if state.next_seq > 0 or event.item is None:
            return None  # an evaluation event forced onto an item or case chain
        progress = EvaluationProgress()
    kind = event.type
    if kind not in EVALUATION_EVENTS:
        return progress
    claim = _claim(event)
    if isinstance(claim, Violation):
        return progress
    if kind in VERSIONING_EVENTS:
        return EvaluationProgress(claim.version, claim.digest, frozenset(claim.evaluators))
    if (
        kind is EventType.EVALUATION_SEALED
        and claim.digest == progress.digest
        and event.actor in progress.evaluators
    ):
        return attrs.evolve(progress, sealed_by=progress.sealed_by | {event.actor})
    return progress


def _short(digest: bytes | None) -> str:
    return "nothing" if digest is None else digest.hex()[:16] + "…"


def _article(kind: EventType) -> str:
    return "an" if kind.value[0] in "aeiou" else "a"


def _show(seals: tuple[str, ...]) -> str:
    return "[" + ", ".join(seals) + "]" if seals else "none"
