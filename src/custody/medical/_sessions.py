"""Sessions and consent: the conditions under which the person was seen, and what they agreed to."""

from __future__ import annotations

from datetime import datetime

import attrs

from custody.medical._fields import (
    FieldConflict,
    choice,
    flag,
    language,
    listing,
    local_id,
    moment,
    optional_choice,
    optional_flag,
    optional_moment,
    optional_reference,
    optional_short,
    optional_text,
    reference,
    refuse_inconsistencies,
    short,
)
from custody.medical._people import PersonPresent
from custody.medical._terms import (
    Capacity,
    ConsentDecision,
    ConsentMethod,
    ConsentScope,
    Privacy,
    RestraintType,
    SessionLocation,
)


@attrs.frozen(kw_only=True)
class Restraints:
    """Restraints on the person during a session.

    Attributes:
        present: whether the person was restrained.
        type: the kind of restraint.
        removed_on_request: whether the restraints were removed when the clinician asked.
    """

    present: bool = flag()
    type: RestraintType | None = optional_choice(RestraintType)
    removed_on_request: bool | None = optional_flag()

    def __attrs_post_init__(self) -> None:
        problems: list[FieldConflict] = []
        if self.present and self.type is None:
            problems.append(("type", "say which restraint was used"))
        refuse_inconsistencies(problems)


@attrs.frozen(kw_only=True)
class Session:
    """One sitting of interview or examination (IP22 ¶356: conditions of the evaluation).

    Attributes:
        session_id: identifier inside the document.
        start: when the session began.
        end: when it ended.
        location_type: the kind of place.
        privacy: whether others could hear or see (IP22 ¶313).
        persons_present: everyone present besides the subject, the evaluators included.
        restraints: restraints on the person.
        time_limited: whether the time available was limited.
        limitation_note: what limited the time, and how.
        location: the place (a sensitive place).
        interpreter: the interpreter of the session, by identifier.
        subject_condition: fatigue, intoxication, acute distress.
        conditions_notes: light, temperature, access to a toilet (IP22 ¶311).
    """

    session_id: str = local_id()
    start: datetime = moment()
    end: datetime = moment()
    location_type: SessionLocation = choice(SessionLocation)
    privacy: Privacy = choice(Privacy)
    persons_present: tuple[PersonPresent, ...] = listing(at_least=1)
    restraints: Restraints = attrs.field()
    time_limited: bool = flag()
    limitation_note: str | None = optional_text()
    location: str | None = optional_text()
    interpreter: str | None = optional_reference()
    subject_condition: str | None = optional_text()
    conditions_notes: str | None = optional_text()

    def __attrs_post_init__(self) -> None:
        problems: list[FieldConflict] = []
        if self.end < self.start:
            problems.append(("end", "must not be before start"))
        if self.time_limited and self.limitation_note is None:
            problems.append(("limitation_note", "say what limited the time"))
        refuse_inconsistencies(problems)


@attrs.frozen(kw_only=True)
class InformedElements:
    """What the person was told before deciding (IP22 ¶400, ¶402).

    Attributes:
        purpose_explained: the purpose of the evaluation.
        recipients_of_report_explained: who will receive the report.
        possible_use_in_proceedings_explained: that it may be used in proceedings.
        risks_incl_reprisals_explained: the risks, reprisals included.
        right_to_refuse_or_stop_explained: the right to refuse or stop at any time.
        limits_of_confidentiality_explained: the limits of confidentiality.
        storage_and_access_explained: how records and images are stored and who may see them.
    """

    purpose_explained: bool = flag()
    recipients_of_report_explained: bool = flag()
    possible_use_in_proceedings_explained: bool = flag()
    risks_incl_reprisals_explained: bool = flag()
    right_to_refuse_or_stop_explained: bool = flag()
    limits_of_confidentiality_explained: bool = flag()
    storage_and_access_explained: bool = flag()

    def all_explained(self) -> bool:
        """Whether every element was explained."""
        return all(attrs.astuple(self))


@attrs.frozen(kw_only=True)
class Proxy:
    """Who consented for a minor or a person lacking capacity.

    Attributes:
        relationship: the proxy's relation to the person.
        authority: what gives the proxy authority to consent.
        name: the proxy's name (kept out of most disclosures).
    """

    relationship: str = short()
    authority: str = short()
    name: str | None = optional_short()


@attrs.frozen(kw_only=True)
class ConsentRecord:
    """The person's decision for one scope; one scope is never inferred from another.

    Attributes:
        consent_id: identifier inside the document.
        scope: what the decision covers.
        decision: granted, refused, granted with limits, or withdrawn.
        informed: what the person was told.
        voluntary: the person decided without coercion (consent under duress is invalid).
        capacity: the person's capacity to consent.
        method: how consent was given.
        language: the language consent was taken in (BCP 47).
        obtained_at: when the decision was given.
        obtained_by: the evaluator who took it, by identifier.
        limits: what the person did not agree to (for ``granted_with_limits``).
        refusal_reason: the reason for a refusal, or that none was given.
        proxy: who consented on the person's behalf (minors, lack of capacity).
        witness: who witnessed it (never an official of the detaining authority).
        interpreter: the interpreter it was taken through, by identifier.
        withdrawn_at: when consent was withdrawn.
    """

    consent_id: str = local_id()
    scope: ConsentScope = choice(ConsentScope)
    decision: ConsentDecision = choice(ConsentDecision)
    informed: InformedElements = attrs.field()
    voluntary: bool = flag()
    capacity: Capacity = choice(Capacity)
    method: ConsentMethod = choice(ConsentMethod)
    language: str = language()
    obtained_at: datetime = moment()
    obtained_by: str = reference()
    limits: str | None = optional_text()
    refusal_reason: str | None = optional_text()
    proxy: Proxy | None = None
    witness: str | None = optional_short()
    interpreter: str | None = optional_reference()
    withdrawn_at: datetime | None = optional_moment()

    def __attrs_post_init__(self) -> None:
        problems: list[FieldConflict] = []
        if self.decision is ConsentDecision.GRANTED_WITH_LIMITS and self.limits is None:
            problems.append(("limits", "say what the limits are"))
        if self.decision is ConsentDecision.WITHDRAWN and self.withdrawn_at is None:
            problems.append(("withdrawn_at", "say when consent was withdrawn"))
        if self.withdrawn_at is not None and self.withdrawn_at < self.obtained_at:
            problems.append(("withdrawn_at", "must not be before obtained_at"))
        refuse_inconsistencies(problems)

    @property
    def permits(self) -> bool:
        """Whether the decision allows the scope's acts (possibly with limits).

        Consent given under coercion is no consent (IP22: consent under duress is invalid).
        """
        granted = (ConsentDecision.GRANTED, ConsentDecision.GRANTED_WITH_LIMITS)
        return self.voluntary and self.decision in granted

    @property
    def withdrawn(self) -> bool:
        """Whether the person has withdrawn this consent (at ``withdrawn_at``)."""
        return self.decision is ConsentDecision.WITHDRAWN or self.withdrawn_at is not None

    def covered(self, when: datetime) -> bool:
        """Whether the consent covered an act at ``when``: given voluntarily and not yet
        withdrawn then. A record whose decision is ``withdrawn`` was given once, and covers
        what was done before its withdrawal."""
        given = self.decision is ConsentDecision.WITHDRAWN or self.permits
        return given and self.voluntary and (self.withdrawn_at is None or when < self.withdrawn_at)
