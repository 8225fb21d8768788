"""Verification reports: every check performed and every problem, with where it is."""

from __future__ import annotations

from typing import Any

import attrs

from custody.errors import VerificationError

#: Problems, and notices, a report lists in full; any more are counted, not kept, so that
#: input built to fail everywhere cannot exhaust the verifier's memory. The checks still
#: count every failure.
MAX_LISTED = 10_000


@attrs.frozen
class Location:
    """Where a problem is. Every part is optional; the more parts, the more precise.

    Attributes:
        case: case reference.
        item: item reference (``None`` for the case's own chain).
        seq: sequence number of the event in its chain.
        index: leaf index of the entry in the Merkle log.
        checkpoint: size of the checkpoint concerned.
        member: the part concerned by name: a file, a bundle member, a held checkpoint.
    """

    case: str | None = None
    item: str | None = None
    seq: int | None = None
    index: int | None = None
    checkpoint: int | None = None
    member: str | None = None

    def __str__(self) -> str:
        parts = []
        if self.case is not None:
            parts.append(f"case {self.case}")
        if self.item is not None:
            parts.append(f"item {self.item}")
        if self.seq is not None:
            parts.append(f"event #{self.seq}")
        if self.index is not None:
            parts.append(f"log entry {self.index}")
        if self.checkpoint is not None:
            parts.append(f"checkpoint of size {self.checkpoint}")
        if self.member is not None:
            parts.append(self.member)
        return ", ".join(parts) or "ledger"

    def to_dict(self) -> dict[str, Any]:
        """The location's known parts as a JSON-ready dict."""
        return {k: v for k, v in attrs.asdict(self).items() if v is not None}


@attrs.frozen
class Problem:
    """One thing that failed: a stable code (see ``docs/errors.md``), where, and why."""

    code: str
    where: Location
    message: str

    def __str__(self) -> str:
        return f"{self.code} at {self.where}: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        """The problem as a JSON-ready dict."""
        return {"code": self.code, "where": self.where.to_dict(), "message": self.message}


@attrs.frozen
class Check:
    """One kind of check, how many times it ran, and whether it always passed."""

    name: str
    performed: int
    failed: int

    @property
    def passed(self) -> bool:
        """True when it ran and never failed; a check that never ran does not pass."""
        return self.performed > 0 and self.failed == 0

    def to_dict(self) -> dict[str, Any]:
        """The check as a JSON-ready dict."""
        return {
            "name": self.name,
            "performed": self.performed,
            "failed": self.failed,
            "passed": self.passed,
        }


@attrs.frozen
class VerificationReport:
    """The outcome of a verification.

    ``ok`` is true only when there is no problem. A check that had nothing to examine
    (an empty log has no signatures) is listed with ``performed == 0`` and does not make
    the report fail. ``notices`` are recorded facts a reader must see that are not
    failures, such as seals a recipient declared broken. Past :data:`MAX_LISTED` of
    either, the rest are only counted: ``problems_omitted`` and ``notices_omitted``.
    """

    subject: str
    checks: tuple[Check, ...]
    problems: tuple[Problem, ...]
    notices: tuple[Problem, ...] = ()
    problems_omitted: int = 0
    notices_omitted: int = 0

    @property
    def ok(self) -> bool:
        """True when nothing failed."""
        return not self.problems and not self.problems_omitted

    @property
    def problem_count(self) -> int:
        """Every problem found, listed or not."""
        return len(self.problems) + self.problems_omitted

    def raise_for_problems(self) -> None:
        """Raise :class:`VerificationError` (carrying this report) unless ``ok``."""
        if not self.ok:
            first = self.problems[0]
            others = self.problem_count - 1
            more = f" (and {others} more)" if others else ""
            raise VerificationError(f"{self.subject}: {first}{more}", report=self)

    def problem_codes(self) -> set[str]:
        """The distinct problem codes, handy for tests and scripts."""
        return {problem.code for problem in self.problems}

    def to_dict(self) -> dict[str, Any]:
        """The whole report as a JSON-ready dict."""
        return {
            "subject": self.subject,
            "ok": self.ok,
            "checks": [check.to_dict() for check in self.checks],
            "problems": [problem.to_dict() for problem in self.problems],
            "problems_omitted": self.problems_omitted,
            "notices": [notice.to_dict() for notice in self.notices],
            "notices_omitted": self.notices_omitted,
        }


class ReportBuilder:
    """Collects checks and problems while a verifier runs, then freezes them."""

    def __init__(self, subject: str, check_of_code: dict[str, str]) -> None:
        self.subject = subject
        self._check_of_code = check_of_code
        self._performed: dict[str, int] = {name: 0 for name in check_of_code.values()}
        self._failed: dict[str, int] = dict.fromkeys(self._performed, 0)
        # Verifiers run the same few sets of checks per entry: count the sets, add up later.
        self._ran_sets: dict[tuple[str, ...], int] = {}
        self._problems: list[Problem] = []
        self._notices: list[Problem] = []
        self._problems_omitted = 0
        self._notices_omitted = 0

    def ran(self, check: str, times: int = 1) -> None:
        """Count ``times`` executions of ``check``."""
        self._performed[check] += times

    def ran_each(self, checks: tuple[str, ...]) -> None:
        """Count one execution of each of ``checks``."""
        self._ran_sets[checks] = self._ran_sets.get(checks, 0) + 1

    def fail(self, code: str, where: Location, message: str) -> None:
        """Record a problem; the check it belongs to counts one failure."""
        self._failed[self._check_of_code[code]] += 1
        if len(self._problems) < MAX_LISTED:
            self._problems.append(Problem(code, where, message))
        else:
            self._problems_omitted += 1

    def notice(self, code: str, where: Location, message: str) -> None:
        """Record a fact the reader must see that is not a failure."""
        if len(self._notices) < MAX_LISTED:
            self._notices.append(Problem(code, where, message))
        else:
            self._notices_omitted += 1

    def build(self) -> VerificationReport:
        """The finished, immutable report."""
        for ran, times in self._ran_sets.items():
            for check in ran:
                self._performed[check] += times
        self._ran_sets.clear()
        checks = tuple(
            Check(name, self._performed[name], self._failed[name]) for name in self._performed
        )
        return VerificationReport(
            self.subject,
            checks,
            tuple(self._problems),
            tuple(self._notices),
            self._problems_omitted,
            self._notices_omitted,
        )
