"""What the person alleges: episodes, methods, and the complaints that followed."""

from __future__ import annotations

from datetime import date

import attrs

from custody.medical._fields import (
    FieldConflict,
    choice,
    flag,
    language,
    listing,
    local_id,
    members,
    optional_choice,
    optional_count,
    optional_day,
    optional_short,
    optional_text,
    refuse_inconsistencies,
    text,
)
from custody.medical._terms import (
    BodyRegion,
    Consciousness,
    CustodyContext,
    DatePrecision,
    MethodCategory,
    NarrativeSource,
    PerceptionLimit,
    SymptomDomain,
)


@attrs.frozen(kw_only=True)
class ApproximateDate:
    """A date as precisely as the person could give it.

    Attributes:
        precision: exact, day, month, year, approximate or unknown.
        earliest: the earliest the date can be.
        latest: the latest it can be (equal to earliest for an exact day).
    """

    precision: DatePrecision = choice(DatePrecision)
    earliest: date | None = optional_day()
    latest: date | None = optional_day()

    def __attrs_post_init__(self) -> None:
        problems: list[FieldConflict] = []
        known = self.precision is not DatePrecision.UNKNOWN
        if known and (self.earliest is None or self.latest is None):
            problems.append(("earliest", "give earliest and latest unless the date is unknown"))
        if self.earliest and self.latest and self.latest < self.earliest:
            problems.append(("latest", "must not be before earliest"))
        refuse_inconsistencies(problems)


@attrs.frozen(kw_only=True)
class Narrative:
    """An account of what happened.

    Attributes:
        text: the account.
        source: whose account it is.
        language: the language it is written in (BCP 47).
        verbatim: whether these are the person's own words rather than a summary.
    """

    text: str = text()
    source: NarrativeSource = choice(NarrativeSource)
    language: str = language()
    verbatim: bool = flag()


@attrs.frozen(kw_only=True)
class Perpetrators:
    """The alleged perpetrators as described (naming people alleges serious crime).

    Attributes:
        affiliation: the force or body they belonged to.
        uniform: uniforms or insignia seen.
        rank: ranks, as described.
        number: how many there were.
        names: names given by the person (withheld from most disclosures).
    """

    affiliation: str | None = optional_short()
    uniform: str | None = optional_text()
    rank: str | None = optional_short()
    number: int | None = optional_count(minimum=1, maximum=1000)
    names: str | None = optional_text()


@attrs.frozen(kw_only=True)
class AllegedMethod:
    """One method of torture or ill-treatment the person describes.

    Attributes:
        method_id: identifier inside the document.
        category: the method's category (with its HURIDOCS codes).
        description: the person's description of it.
        huridocs_code: a more precise HURIDOCS micro-thesaurus 5 code.
        instrument: the object or device used.
        body_regions: the parts of the body targeted.
        position: the position the person was held in (for suspension and the like).
        frequency: how often.
        duration: for how long.
        subject_conscious: whether the person was conscious.
        acute_sequelae: what followed at once: bleeding, inability to walk, treatment.
    """

    method_id: str = local_id()
    category: MethodCategory = choice(MethodCategory)
    description: str = text()
    huridocs_code: str | None = optional_short()
    instrument: str | None = optional_text()
    body_regions: tuple[BodyRegion, ...] = members(BodyRegion)
    position: str | None = optional_text()
    frequency: str | None = optional_short()
    duration: str | None = optional_short()
    subject_conscious: Consciousness | None = optional_choice(Consciousness)
    acute_sequelae: str | None = optional_text()


@attrs.frozen(kw_only=True)
class AllegedEvent:
    """One episode of detention or ill-treatment as alleged.

    Attributes:
        event_id: identifier inside the document.
        when: when it happened, as precisely as known.
        narrative: the account of the episode.
        methods: the methods alleged (none for an episode of psychological harm alone).
        duration: how long the episode lasted.
        place: where it happened (a sensitive place).
        custody_context: where in detention it happened.
        perpetrators: the alleged perpetrators.
        perception_limits: why the person cannot describe some causes (IP22 ¶421).
        conditions_of_detention: the conditions the person was held in.
        disclosure_timing: when and to whom the person first disclosed it.
    """

    event_id: str = local_id()
    when: ApproximateDate = attrs.field()
    narrative: Narrative = attrs.field()
    methods: tuple[AllegedMethod, ...] = listing()
    duration: str | None = optional_short()
    place: str | None = optional_text()
    custody_context: CustodyContext | None = optional_choice(CustodyContext)
    perpetrators: Perpetrators | None = None
    perception_limits: tuple[PerceptionLimit, ...] = members(PerceptionLimit)
    conditions_of_detention: str | None = optional_text()
    disclosure_timing: str | None = optional_text()


@attrs.frozen(kw_only=True)
class Symptom:
    """An acute or chronic complaint (IP22 ¶398).

    Attributes:
        symptom_id: identifier inside the document.
        domain: physical or psychological.
        description: the complaint.
        onset: when it began relative to the alleged events.
        current: whether the person still has it.
        severity: how severe.
        frequency: how often.
        duration: for how long.
        disability: any disability it causes.
        treatment: treatment received.
    """

    symptom_id: str = local_id()
    domain: SymptomDomain = choice(SymptomDomain)
    description: str = text()
    onset: str = text()
    current: bool = flag()
    severity: str | None = optional_short()
    frequency: str | None = optional_short()
    duration: str | None = optional_short()
    disability: str | None = optional_text()
    treatment: str | None = optional_text()
