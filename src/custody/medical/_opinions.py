"""Interpretation: consistency opinions, the overall opinion, recommendations, declarations."""

from __future__ import annotations

from datetime import date

import attrs

from custody.medical._fields import (
    FieldConflict,
    choice,
    day,
    listing,
    local_id,
    members,
    optional_choice,
    optional_count,
    optional_flag,
    optional_reference,
    optional_text,
    reference,
    references,
    refuse_inconsistencies,
    short,
    text,
)
from custody.medical._terms import (
    ConsistencyLevel,
    ConsistencyStatus,
    OpinionBasis,
    OpinionDomain,
    OverallBasis,
    PerceptionLimit,
    RecommendationKind,
    TargetKind,
    Urgency,
)


@attrs.frozen(kw_only=True)
class OpinionTarget:
    """What the findings are assessed against.

    Attributes:
        kind: an alleged method; a mechanism the clinician hypothesises because the person
            cannot describe the cause (IP22 ¶421); or an alternative cause another party
            claims.
        method: the alleged method, by identifier (kind ``alleged_method``).
        circumstances: how the method was applied as alleged (for example "while
            unconscious").
        mechanism: the hypothesised mechanism (kind ``hypothesised_mechanism``).
        reason_unattributed: why the person cannot describe the cause.
        cause: the alternative cause (kind ``alternative_cause``).
    """

    kind: TargetKind = choice(TargetKind)
    method: str | None = optional_reference()
    circumstances: str | None = optional_text()
    mechanism: str | None = optional_text()
    reason_unattributed: tuple[PerceptionLimit, ...] = members(PerceptionLimit)
    cause: str | None = optional_text()


@attrs.frozen(kw_only=True)
class AlternativeCause:
    """A cause other than the alleged one that was weighed (courts look for this).

    Attributes:
        cause: the alternative cause (accident, self-infliction, a medical procedure...).
        likelihood: how likely the clinician finds it.
        reason: why.
    """

    cause: str = short()
    likelihood: str = short()
    reason: str = text()


@attrs.frozen(kw_only=True)
class ConsistencyOpinion:
    """A level of consistency between findings and an alleged method (IP22 ¶418, ¶543).

    Attributes:
        opinion_id: identifier inside the document.
        domain: physical or psychological findings.
        target: what the findings are assessed against.
        status: assessed, or not assessable (IP22 ¶421).
        rationale: why this level.
        basis: what the opinion rests on.
        author: the evaluator giving it, by identifier.
        findings: the physical findings assessed, by identifier (physical opinions).
        psychological_evaluation: the psychological evaluation assessed, by identifier.
        level: the level of consistency (when assessed).
        alternatives: alternative causes considered.
        self_harm_considered: whether self-infliction was considered (IP22 ¶423).
        self_harm_reasoning: the reasoning about self-infliction.
    """

    opinion_id: str = local_id()
    domain: OpinionDomain = choice(OpinionDomain)
    target: OpinionTarget = attrs.field()
    status: ConsistencyStatus = choice(ConsistencyStatus)
    rationale: str = text()
    basis: tuple[OpinionBasis, ...] = members(OpinionBasis, at_least=1)
    author: str = reference()
    findings: tuple[str, ...] = references()
    psychological_evaluation: str | None = optional_reference()
    level: ConsistencyLevel | None = optional_choice(ConsistencyLevel)
    alternatives: tuple[AlternativeCause, ...] = listing()
    self_harm_considered: bool | None = optional_flag()
    self_harm_reasoning: str | None = optional_text()

    def __attrs_post_init__(self) -> None:
        problems: list[FieldConflict] = []
        physical = self.domain is OpinionDomain.PHYSICAL
        if physical and not self.findings:
            problems.append(("findings", "a physical opinion names the findings it assesses"))
        if not physical and self.psychological_evaluation is None:
            problems.append(
                (
                    "psychological_evaluation",
                    "a psychological opinion names the psychological evaluation",
                )
            )
        refuse_inconsistencies(problems)


@attrs.frozen(kw_only=True)
class OverallOpinion:
    """The clinician's opinion on torture or ill-treatment as alleged, in the same five
    levels, weighing all the findings together (IP22 ¶424).

    Attributes:
        level: the level of consistency of all findings with the allegations.
        considers: the evidence weighed (IP22 ¶269(e)).
        narrative: the reasoning across all findings.
        current_symptoms_and_disabilities: the person's present state (IP22 ¶425).
        likely_effects_on_social_functioning: effects on daily life (IP22 ¶425).
        absence_of_findings_statement: that an absence of physical findings does not
            exclude torture (required when no physical finding is linked).
        limitations: what limited the evaluation.
    """

    level: ConsistencyLevel = choice(ConsistencyLevel)
    considers: tuple[OverallBasis, ...] = members(OverallBasis, at_least=1)
    narrative: str = text()
    current_symptoms_and_disabilities: str = text()
    likely_effects_on_social_functioning: str = text()
    absence_of_findings_statement: str | None = optional_text()
    limitations: str | None = optional_text()


@attrs.frozen(kw_only=True)
class Recommendation:
    """A recommendation (IP22 ¶¶314-316: not returning the person to the place of detention).

    Attributes:
        kind: the kind of recommendation.
        text: the recommendation.
        urgency: routine, priority or urgent.
    """

    kind: RecommendationKind = choice(RecommendationKind)
    text: str = text()
    urgency: Urgency = choice(Urgency)


@attrs.frozen(kw_only=True)
class Declaration:
    """An evaluator's statement of truth and independence, with date and place.

    Attributes:
        clinician: the evaluator declaring, by identifier.
        statement: the statement.
        place: where it is made.
        made_on: the date.
    """

    clinician: str = reference()
    statement: str = text()
    place: str = short()
    made_on: date = day()


@attrs.frozen(kw_only=True)
class Departure:
    """A departure from the Protocol, stated with its reason (IP22 ¶635).

    Attributes:
        element: what departs: a JSON Pointer into the document, or words.
        reason: why.
        rule: the validation rule it answers, when it answers one.
    """

    element: str = text(limit=1000)
    reason: str = text()
    rule: int | None = optional_count(minimum=1, maximum=99)


@attrs.frozen(kw_only=True)
class AddendumNote:
    """A change made after sealing, stated in the new version (IP: amendments traceable).

    Attributes:
        supersedes: the evaluation digest of the sealed version it replaces (hexadecimal).
        reason: why the change was made.
        changed: the fields changed, as JSON Pointers.
        made_on: when.
    """

    supersedes: str = short()
    reason: str = text()
    changed: tuple[str, ...] = listing(at_least=1)
    made_on: date = day()
