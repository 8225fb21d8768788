"""The restrictions statement, drafted from what the sessions and consents record.

IP22 ¶356 asks the report to state the conditions of the evaluation: officials present,
restraints, lack of privacy, time limits, interpreters who were not independent, parts of the
examination the person declined. These follow from the document, so the report states them
from the data and the evaluators add their own words in ``restrictions_statement``.
"""

from __future__ import annotations

import enum

import attrs

from custody.medical._evaluation import Evaluation
from custody.medical._terms import (
    NON_INDEPENDENT_INTERPRETER,
    OFFICIAL_ROLES,
    ConsentDecision,
    Privacy,
)


class RestrictionKind(enum.StrEnum):
    """Kinds of restriction the data shows."""

    OFFICIAL_PRESENT = "official_present"
    RESTRAINED = "restrained"
    NOT_PRIVATE = "not_private"
    TIME_LIMITED = "time_limited"
    INTERPRETER_NOT_INDEPENDENT = "interpreter_not_independent"
    CONSENT_LIMITED = "consent_limited"


@attrs.frozen
class Restriction:
    """One restriction, where the document shows it, and the detail recorded there.

    Attributes:
        kind: the kind of restriction.
        pointer: the JSON Pointer of the record that shows it.
        detail: what was recorded (a role, a restraint, a limit, a note).
    """

    kind: RestrictionKind
    pointer: str
    detail: str


def restrictions(evaluation: Evaluation) -> list[Restriction]:
    """Every restriction the sessions, interpreters and consents of ``evaluation`` record."""
    found: list[Restriction] = []
    interpreters = {i.interpreter_id: i for i in evaluation.interpreters}
    for s, session in enumerate(evaluation.sessions):
        where = f"/sessions/{s}"
        for p, person in enumerate(session.persons_present):
            if person.role in OFFICIAL_ROLES:
                detail = person.role.value
                if person.justification:
                    detail += f": {person.justification}"
                found.append(
                    Restriction(
                        RestrictionKind.OFFICIAL_PRESENT, f"{where}/persons_present/{p}", detail
                    )
                )
        if session.restraints.present:
            kind = session.restraints.type.value if session.restraints.type else "restraint"
            found.append(Restriction(RestrictionKind.RESTRAINED, f"{where}/restraints", kind))
        if session.privacy is not Privacy.PRIVATE:
            found.append(
                Restriction(RestrictionKind.NOT_PRIVATE, f"{where}/privacy", session.privacy.value)
            )
        if session.time_limited:
            note = session.limitation_note or ""
            found.append(Restriction(RestrictionKind.TIME_LIMITED, f"{where}/time_limited", note))
        interpreter = interpreters.get(session.interpreter or "")
        if interpreter is not None and NON_INDEPENDENT_INTERPRETER & set(interpreter.ties):
            ties = ", ".join(t.value for t in interpreter.ties if t in NON_INDEPENDENT_INTERPRETER)
            found.append(
                Restriction(
                    RestrictionKind.INTERPRETER_NOT_INDEPENDENT, f"{where}/interpreter", ties
                )
            )
    for c, consent in enumerate(evaluation.consents):
        if consent.decision is not ConsentDecision.GRANTED:
            detail = consent.scope.value + f" {consent.decision.value}"
            if consent.limits:
                detail += f": {consent.limits}"
            found.append(Restriction(RestrictionKind.CONSENT_LIMITED, f"/consents/{c}", detail))
    return found
