"""Reports list at most MAX_LISTED problems and notices; the rest are counted, never lost."""

from __future__ import annotations

import pytest

from custody.errors import VerificationError
from custody.verify import MAX_LISTED, Location
from custody.verify._report import ReportBuilder

CHECKS = {"BROKEN": "things intact", "NOTED": "things intact"}


def test_problems_past_the_limit_are_counted_not_listed() -> None:
    builder = ReportBuilder("ledger x", CHECKS)
    builder.ran("things intact", MAX_LISTED + 7)
    for index in range(MAX_LISTED + 7):
        builder.fail("BROKEN", Location(index=index), "broken")
        builder.notice("NOTED", Location(index=index), "noted")
    report = builder.build()
    assert len(report.problems) == MAX_LISTED
    assert report.problems[-1].where.index == MAX_LISTED - 1
    assert report.problems_omitted == 7
    assert report.problem_count == MAX_LISTED + 7
    assert (len(report.notices), report.notices_omitted) == (MAX_LISTED, 7)
    assert not report.ok
    assert report.checks[0].failed == MAX_LISTED + 7  # the checks count every failure
    as_dict = report.to_dict()
    assert (as_dict["problems_omitted"], as_dict["notices_omitted"]) == (7, 7)
    with pytest.raises(VerificationError, match=f"and {MAX_LISTED + 6} more"):
        report.raise_for_problems()


def test_a_report_under_the_limit_omits_nothing() -> None:
    builder = ReportBuilder("ledger x", CHECKS)
    builder.ran("things intact")
    builder.fail("BROKEN", Location(index=1), "broken")
    report = builder.build()
    assert (report.problems_omitted, report.notices_omitted, report.problem_count) == (0, 0, 1)
    assert report.to_dict()["problems_omitted"] == 0
