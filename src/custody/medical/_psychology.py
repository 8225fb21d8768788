"""The psychological evaluation (IP22 ch. VI), which the Protocol holds always necessary (¶229)."""

from __future__ import annotations

from datetime import date

import attrs

from custody.medical._fields import (
    choice,
    day,
    flag,
    language,
    listing,
    local_id,
    optional_short,
    optional_text,
    reference,
    references,
    short,
    text,
)
from custody.medical._terms import Certainty, DiagnosisSystem


@attrs.frozen(kw_only=True)
class PsychologicalHistory:
    """The history taken for the psychological evaluation.

    Attributes:
        pre_torture: life before the alleged events.
        torture_and_detention: the alleged events, from the psychological point of view.
        post_torture: life since.
        current_complaints: what troubles the person now.
        past_psychiatric: earlier psychiatric history.
        substance_use: use of alcohol and drugs (IP22 ¶510).
        medical_incl_head_injury: medical history, head injuries included.
    """

    pre_torture: str | None = optional_text()
    torture_and_detention: str | None = optional_text()
    post_torture: str | None = optional_text()
    current_complaints: str | None = optional_text()
    past_psychiatric: str | None = optional_text()
    substance_use: str | None = optional_text()
    medical_incl_head_injury: str | None = optional_text()


@attrs.frozen(kw_only=True)
class MentalStatus:
    """The mental status examination.

    Attributes:
        appearance_behaviour: appearance and behaviour.
        rapport: rapport with the evaluator.
        speech: speech.
        mood: mood, as the person reports it.
        affect: affect, as observed.
        perception: perception (hallucinations, dissociation).
        thought_content: thought content, suicidal ideation included.
        thought_process: thought process.
        cognition: orientation, memory, concentration.
        insight_judgement: insight and judgement.
    """

    appearance_behaviour: str | None = optional_text()
    rapport: str | None = optional_text()
    speech: str | None = optional_text()
    mood: str | None = optional_text()
    affect: str | None = optional_text()
    perception: str | None = optional_text()
    thought_content: str | None = optional_text()
    thought_process: str | None = optional_text()
    cognition: str | None = optional_text()
    insight_judgement: str | None = optional_text()


@attrs.frozen(kw_only=True)
class Instrument:
    """A psychometric instrument administered (IP22 ¶¶550-565: mind cross-cultural validity).

    Attributes:
        name: the instrument.
        language: the language it was given in (BCP 47).
        validated_for_population: whether it is validated for the person's population.
        administered_by: the evaluator who gave it, by identifier.
        administered_on: when.
        version: the version.
        raw_score: the score.
        interpretation: what the score means here.
    """

    name: str = short()
    language: str = language()
    validated_for_population: bool = flag()
    administered_by: str = reference()
    administered_on: date = day()
    version: str | None = optional_short()
    raw_score: str | None = optional_short()
    interpretation: str | None = optional_text()


@attrs.frozen(kw_only=True)
class Diagnosis:
    """A diagnosis with its classification code (for example ICD-11 6B40, PTSD).

    Attributes:
        system: ICD-11, ICD-10, DSM-5-TR, DSM-5 or other.
        code: the code in that classification.
        label: the diagnosis in words.
        certainty: confirmed, provisional or rule-out.
        made_on: when it was made.
        criteria_met: the criteria found.
    """

    system: DiagnosisSystem = choice(DiagnosisSystem)
    code: str = short()
    label: str = short()
    certainty: Certainty = choice(Certainty)
    made_on: date = day()
    criteria_met: str | None = optional_text()


@attrs.frozen(kw_only=True)
class Inconsistency:
    """An inconsistency in the account, and how it was explored (IP22 ¶347).

    Attributes:
        description: what is inconsistent.
        possible_explanations: memory, trauma, interpretation, culture...
        clarification_sought: whether the evaluator asked the person about it.
    """

    description: str = text()
    possible_explanations: str = text()
    clarification_sought: bool = flag()


@attrs.frozen(kw_only=True)
class ExaggerationAssessment:
    """Whether exaggeration or fabrication was suspected, and what was done.

    Attributes:
        suspected: whether it was suspected.
        second_opinion_obtained: whether a second clinician was asked.
        grounds: the grounds for the suspicion.
    """

    suspected: bool = flag()
    second_opinion_obtained: bool = flag()
    grounds: str | None = optional_text()


@attrs.frozen(kw_only=True)
class PsychologicalEvaluation:
    """A psychological evaluation; its consistency opinion is among the evaluation's opinions.

    Attributes:
        psych_eval_id: identifier inside the document.
        evaluator: the evaluator responsible, by identifier.
        sessions: the sessions it took, by identifier.
        cultural_and_language_considerations: idioms of distress, interpretation (IP22 ¶¶294-297).
        history: the history taken.
        mental_status: the mental status examination.
        social_functioning: how the person functions socially.
        instruments: psychometric instruments used.
        diagnoses: diagnoses made; none is a meaningful answer, not a gap.
        neuropsychological_assessment: a neuropsychological assessment (IP22 ¶511).
        coexisting_stressors: exile, persecution, loss (IP22 ¶540(d)).
        protective_factors_and_coping: what helps the person cope (¶541).
        course_and_timeframe: how symptoms ran in relation to the events (¶540(c)).
        physical_contributors: head injury and other physical causes (¶540(e)).
        inconsistencies: inconsistencies and how they were explored.
        internal_consistency_notes: consistency within the account (¶¶349-352).
        external_consistency_notes: consistency with other information (¶353).
        exaggeration: whether exaggeration or fabrication was suspected.
    """

    psych_eval_id: str = local_id()
    evaluator: str = reference()
    sessions: tuple[str, ...] = references(at_least=1)
    cultural_and_language_considerations: str = text()
    history: PsychologicalHistory = attrs.field()
    mental_status: MentalStatus = attrs.field()
    social_functioning: str = text()
    instruments: tuple[Instrument, ...] = listing()
    diagnoses: tuple[Diagnosis, ...] = listing()
    neuropsychological_assessment: str | None = optional_text()
    coexisting_stressors: str | None = optional_text()
    protective_factors_and_coping: str | None = optional_text()
    course_and_timeframe: str | None = optional_text()
    physical_contributors: str | None = optional_text()
    inconsistencies: tuple[Inconsistency, ...] = listing()
    internal_consistency_notes: str | None = optional_text()
    external_consistency_notes: str | None = optional_text()
    exaggeration: ExaggerationAssessment | None = None
