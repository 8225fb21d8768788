"""Trust policies and verification of ledgers, producing structured reports."""

from custody._processes import available_cores
from custody.verify._ledger import CHECK_OF_CODE, check_ledger, verify_ledger
from custody.verify._parallel import PARALLEL_THRESHOLD
from custody.verify._report import MAX_LISTED, Check, Location, Problem, VerificationReport
from custody.verify._trust import TrustedKey, TrustedLog, TrustPolicy

__all__ = [
    "CHECK_OF_CODE",
    "MAX_LISTED",
    "PARALLEL_THRESHOLD",
    "Check",
    "Location",
    "Problem",
    "TrustPolicy",
    "TrustedKey",
    "TrustedLog",
    "VerificationReport",
    "available_cores",
    "check_ledger",
    "verify_ledger",
]
