"""Cases, items and custody events: per-item hash chains in one append-only Merkle log."""

from custody.ledger._ledger import Draft, Ledger, RecordedEvent
from custody.ledger._state import (
    EMPTY,
    ChainState,
    EvaluationProgress,
    PendingTransfer,
    Violation,
    advance,
    violations,
)
from custody.ledger._statement import (
    EVENT_CONTENT_TYPE,
    MAX_ENTRY_SIZE,
    Statement,
    open_statement,
    sign_event,
    subject_of,
)

__all__ = [
    "EMPTY",
    "EVENT_CONTENT_TYPE",
    "MAX_ENTRY_SIZE",
    "ChainState",
    "Draft",
    "EvaluationProgress",
    "Ledger",
    "PendingTransfer",
    "RecordedEvent",
    "Statement",
    "Violation",
    "advance",
    "open_statement",
    "sign_event",
    "subject_of",
    "violations",
]
