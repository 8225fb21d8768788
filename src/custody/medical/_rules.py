"""The Protocol's validation rules: hard rules refuse a document, soft rules record departures.

Rules are numbered as in the data-model reference, section A.16 (``docs/medical.md`` lists
them with their sources). Every rule runs on every document and every problem is reported
with the JSON Pointer of the field that causes it, so a clinician fixes a document in one
pass. Rules that need the ledger (photographs matching their evidence items, samples under
custody) run when the caller gives an :class:`EvidenceLookup`, as recording and sealing do.
"""

from __future__ import annotations

import enum
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from typing import Any

import attrs

from custody.medical._documents import pointer_to
from custody.medical._evaluation import Evaluation
from custody.medical._findings import Photograph, PhysicalFinding
from custody.medical._people import IdentityRecord
from custody.medical._sessions import ConsentRecord
from custody.medical._terms import (
    CLOSE_UP_ROLES,
    FINDING_PHOTO_ROLES,
    LEVELS_NEEDING_ALTERNATIVES,
    NON_INDEPENDENT_INTERPRETER,
    OFFICIAL_ROLES,
    BodyRegion,
    BodySystem,
    Capacity,
    ConsentDecision,
    ConsentScope,
    ConsistencyLevel,
    ConsistencyStatus,
    FindingKind,
    LesionType,
    OpinionDomain,
    PhotoRole,
    TargetKind,
)


class Severity(enum.StrEnum):
    """Hard problems refuse the document; soft ones are departures from the Protocol."""

    HARD = "hard"
    SOFT = "soft"


@attrs.frozen
class RuleProblem:
    """One broken rule.

    Attributes:
        code: ``A16.<n>`` for the reference's rule n, ``REFERENCE`` for a reference to
            something the document does not hold, ``DUPLICATE_ID`` for an identifier used twice.
        severity: hard (refused) or soft (a departure).
        pointer: the JSON Pointer of the field that causes it.
        message: what is wrong, in words.
        reason: for a departure, the evaluators' stated reason when they gave one.
    """

    code: str
    severity: Severity
    pointer: str
    message: str
    reason: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The problem as a JSON-ready dict."""
        out = {"code": self.code, "severity": self.severity.value, "field": self.pointer}
        out["message"] = self.message
        if self.reason is not None:
            out["reason"] = self.reason
        return out


@attrs.frozen
class ValidationReport:
    """Every problem of one document. ``ok`` means no hard problem (departures may remain)."""

    problems: tuple[RuleProblem, ...]

    @property
    def ok(self) -> bool:
        """Whether the document breaks no hard rule."""
        return not self.hard

    @property
    def hard(self) -> tuple[RuleProblem, ...]:
        """Problems that refuse the document."""
        return tuple(p for p in self.problems if p.severity is Severity.HARD)

    @property
    def departures(self) -> tuple[RuleProblem, ...]:
        """Departures from the Protocol the document records or should record."""
        return tuple(p for p in self.problems if p.severity is Severity.SOFT)

    def to_dict(self) -> dict[str, Any]:
        """The report as a JSON-ready dict."""
        return {
            "ok": self.ok,
            "problems": [p.to_dict() for p in self.hard],
            "departures": [p.to_dict() for p in self.departures],
        }


@attrs.frozen
class ItemFacts:
    """What the ledger says of an evidence item a photograph or a sample names.

    Attributes:
        sha256: for a file, the SHA-256 recorded when it was acquired or derived.
        seals: the seal numbers it was acquired with.
        holder: the key id of whoever holds it now.
        handed_over: whether it has been transferred and received since.
    """

    sha256: bytes | None
    seals: tuple[str, ...]
    holder: bytes | None
    handed_over: bool


#: Looks up an item of the evaluation's case by reference; ``None`` if there is none.
EvidenceLookup = Callable[[str], ItemFacts | None]


def validate(
    evaluation: Evaluation,
    *,
    sealing: bool = False,
    evidence: EvidenceLookup | None = None,
    identity: IdentityRecord | None = None,
) -> ValidationReport:
    """Check ``evaluation`` against every rule; never raises for a broken rule.

    Args:
        evaluation: the document.
        sealing: also apply the rules for sealing (overall opinion, qualifications,
            declarations, and every departure stated with its reason).
        evidence: looks up the case's evidence items, for rules 16 and 17; without it those
            rules check only what the document itself holds.
        identity: the subject's identity record, to check that none of it appears in the
            document (rule 19) and that the subject's commitment matches it.
    """
    check = _Checker(evaluation, sealing, evidence, identity)
    problems = list(_explained(list(check.run()), evaluation))
    if sealing:
        problems += _unrecorded_departures(problems)
    return ValidationReport(tuple(problems))


def _unrecorded_departures(problems: list[RuleProblem]) -> list[RuleProblem]:
    """To seal, every departure from the Protocol is stated in the document with its reason
    (soft rules are allowed, but must be recorded)."""
    return [
        _hard(
            problem.code,
            problem.pointer,
            f"departure not recorded ({problem.message}): state it in /departures with "
            f"rule {problem.code[4:]}, element {problem.pointer} and the reason",
        )
        for problem in problems
        if problem.severity is Severity.SOFT and problem.reason is None
    ]


def _explained(problems: list[RuleProblem], evaluation: Evaluation) -> Iterator[RuleProblem]:
    """Attach the evaluators' stated reasons to the departures they explain."""
    reasons: dict[tuple[int | None, str], str] = {
        (d.rule, d.element): d.reason for d in evaluation.departures if d.rule
    }
    for problem in problems:
        rule = int(problem.code[4:]) if problem.code.startswith("A16.") else None
        reason = reasons.get((rule, problem.pointer))
        if problem.severity is Severity.SOFT and reason is not None:
            problem = attrs.evolve(problem, reason=reason)
        yield problem


class _Checker:
    """One validation run: indexes of the document's parts, then each rule in turn."""

    def __init__(
        self,
        evaluation: Evaluation,
        sealing: bool,
        evidence: EvidenceLookup | None,
        identity: IdentityRecord | None,
    ) -> None:
        self.e = evaluation
        self.sealing = sealing
        self.evidence = evidence
        self.identity = identity
        self.evaluators = {c.clinician_id for c in evaluation.evaluators}
        self.sessions = {s.session_id: s for s in evaluation.sessions}
        self.consents = {c.consent_id: c for c in evaluation.consents}
        self.findings = {f.finding_id: f for f in evaluation.findings}
        self.photos = {p.photo_id: p for p in evaluation.photographs}
        self.methods = {m.method_id for event in evaluation.alleged_events for m in event.methods}
        self.psych = {p.psych_eval_id for p in evaluation.psychological_evaluations}
        self.tests = {t.test_id for t in evaluation.diagnostic_tests}
        self.interpreters = {i.interpreter_id: i for i in evaluation.interpreters}

    def run(self) -> Iterator[RuleProblem]:
        yield from self.unique_ids()
        yield from self.references()
        for rule in (
            self.rule1_consent_before_capture,
            self.rule2_photograph_consents,
            self.rule3_refusals_and_proxies,
            self.rule4_finding_photographs,
            self.rule5_scale_and_colour_reference,
            self.rule6_photograph_series,
            self.rule7_body_diagrams,
            self.rule8_opinion_targets,
            self.rule9_levels,
            self.rule10_overall_opinion,
            self.rule11_psychological_opinion,
            self.rule12_officials_present,
            self.rule13_interpreter_independence,
            self.rule14_evaluator_credentials,
            self.rule15_addenda,
            self.rule16_photograph_hashes,
            self.rule17_samples_in_custody,
            self.rule18_age_ranges,
            self.rule19_no_identity_in_document,
            self.rule20_completeness,
        ):
            yield from rule()

    # -- document integrity -----------------------------------------------------------

    def unique_ids(self) -> Iterator[RuleProblem]:
        parts: list[tuple[str, Iterable[Any], str]] = [
            ("evaluators", self.e.evaluators, "clinician_id"),
            ("sessions", self.e.sessions, "session_id"),
            ("consents", self.e.consents, "consent_id"),
            ("interpreters", self.e.interpreters, "interpreter_id"),
            ("alleged_events", self.e.alleged_events, "event_id"),
            ("symptoms", self.e.symptoms, "symptom_id"),
            ("findings", self.e.findings, "finding_id"),
            ("diagram_annotations", self.e.diagram_annotations, "annotation_id"),
            ("photographs", self.e.photographs, "photo_id"),
            ("samples", self.e.samples, "sample_id"),
            ("diagnostic_tests", self.e.diagnostic_tests, "test_id"),
            ("psychological_evaluations", self.e.psychological_evaluations, "psych_eval_id"),
            ("opinions", self.e.opinions, "opinion_id"),
        ]
        for name, entries, key in parts:
            seen: set[str] = set()
            for n, entry in enumerate(entries):
                value = getattr(entry, key)
                if value in seen:
                    yield _hard("DUPLICATE_ID", f"/{name}/{n}/{key}", f"{value!r} is used twice")
                seen.add(value)
        methods: set[str] = set()
        for a, event in enumerate(self.e.alleged_events):
            for m, method in enumerate(event.methods):
                if method.method_id in methods:
                    where = f"/alleged_events/{a}/methods/{m}/method_id"
                    yield _hard("DUPLICATE_ID", where, f"{method.method_id!r} is used twice")
                methods.add(method.method_id)
        numbers: set[tuple[str, int]] = set()
        for n, mark in enumerate(self.e.diagram_annotations):
            if (mark.view, mark.number) in numbers:
                where = f"/diagram_annotations/{n}/number"
                yield _hard(
                    "DUPLICATE_ID",
                    where,
                    f"number {mark.number} is used twice on the {mark.view} view",
                )
            numbers.add((mark.view, mark.number))

    def references(self) -> Iterator[RuleProblem]:
        """Every reference names a part the document holds (rules 7 and 8 name their own)."""
        yield from self._refs(self.evaluators, "evaluator", self._evaluator_refs())
        yield from self._refs(set(self.sessions), "session", self._session_refs())
        yield from self._refs(set(self.consents), "consent record", self._consent_refs())
        yield from self._refs(set(self.photos), "photograph", self._photo_refs())
        yield from self._refs(set(self.findings), "finding", self._finding_refs())
        yield from self._refs(self.methods, "alleged method", self._attribution_refs())
        yield from self._refs(self.psych, "psychological evaluation", self._psych_refs())
        yield from self._refs(self.tests, "diagnostic test", self._test_refs())
        yield from self._refs(set(self.interpreters), "interpreter", self._interpreter_refs())

    def _refs(
        self, known: set[str], what: str, refs: Iterable[tuple[str, str | None]]
    ) -> Iterator[RuleProblem]:
        for pointer, ref in refs:
            if ref is not None and ref not in known:
                yield _hard(
                    "REFERENCE", pointer, f"names {what} {ref!r}, which the document does not hold"
                )

    def _evaluator_refs(self) -> Iterator[tuple[str, str | None]]:
        for n, f in enumerate(self.e.findings):
            yield f"/findings/{n}/examiner", f.examiner
        for n, p in enumerate(self.e.photographs):
            yield f"/photographs/{n}/captured_by", p.captured_by
        for n, c in enumerate(self.e.consents):
            yield f"/consents/{n}/obtained_by", c.obtained_by
        for n, s in enumerate(self.e.samples):
            yield f"/samples/{n}/collected_by", s.collected_by
        for n, psych in enumerate(self.e.psychological_evaluations):
            yield f"/psychological_evaluations/{n}/evaluator", psych.evaluator
            for i, instrument in enumerate(psych.instruments):
                where = f"/psychological_evaluations/{n}/instruments/{i}/administered_by"
                yield where, instrument.administered_by
        for n, o in enumerate(self.e.opinions):
            yield f"/opinions/{n}/author", o.author
        for n, d in enumerate(self.e.declarations):
            yield f"/declarations/{n}/clinician", d.clinician
        for n, session in enumerate(self.e.sessions):
            for i, person in enumerate(session.persons_present):
                yield f"/sessions/{n}/persons_present/{i}/clinician_id", person.clinician_id

    def _session_refs(self) -> Iterator[tuple[str, str | None]]:
        for n, f in enumerate(self.e.findings):
            yield f"/findings/{n}/session", f.session
        for n, p in enumerate(self.e.psychological_evaluations):
            for i, session in enumerate(p.sessions):
                yield f"/psychological_evaluations/{n}/sessions/{i}", session

    def _consent_refs(self) -> Iterator[tuple[str, str | None]]:
        for n, p in enumerate(self.e.photographs):
            for i, consent in enumerate(p.consents):
                yield f"/photographs/{n}/consents/{i}", consent
        for n, s in enumerate(self.e.samples):
            yield f"/samples/{n}/consent", s.consent
        for n, t in enumerate(self.e.diagnostic_tests):
            yield f"/diagnostic_tests/{n}/consent", t.consent

    def _photo_refs(self) -> Iterator[tuple[str, str | None]]:
        for n, f in enumerate(self.e.findings):
            for i, photo in enumerate(f.photographs):
                yield f"/findings/{n}/photographs/{i}", photo
        for n, p in enumerate(self.e.photographs):
            yield f"/photographs/{n}/derived_from", p.derived_from

    def _finding_refs(self) -> Iterator[tuple[str, str | None]]:
        for n, p in enumerate(self.e.photographs):
            for i, finding in enumerate(p.findings):
                yield f"/photographs/{n}/findings/{i}", finding
        for n, o in enumerate(self.e.opinions):
            for i, finding in enumerate(o.findings):
                yield f"/opinions/{n}/findings/{i}", finding
        for n, t in enumerate(self.e.diagnostic_tests):
            for i, finding in enumerate(t.findings):
                yield f"/diagnostic_tests/{n}/findings/{i}", finding

    def _attribution_refs(self) -> Iterator[tuple[str, str | None]]:
        for n, f in enumerate(self.e.findings):
            yield f"/findings/{n}/attribution/method", f.attribution.method

    def _psych_refs(self) -> Iterator[tuple[str, str | None]]:
        for n, o in enumerate(self.e.opinions):
            yield f"/opinions/{n}/psychological_evaluation", o.psychological_evaluation

    def _test_refs(self) -> Iterator[tuple[str, str | None]]:
        for n, f in enumerate(self.e.findings):
            for i, test in enumerate(f.diagnostic_tests):
                yield f"/findings/{n}/diagnostic_tests/{i}", test

    def _interpreter_refs(self) -> Iterator[tuple[str, str | None]]:
        for n, s in enumerate(self.e.sessions):
            yield f"/sessions/{n}/interpreter", s.interpreter
        for n, c in enumerate(self.e.consents):
            yield f"/consents/{n}/interpreter", c.interpreter

    # -- consent ------------------------------------------------------------------------

    def rule1_consent_before_capture(self) -> Iterator[RuleProblem]:
        """Nothing is examined, photographed, collected or tested outside a granted consent."""
        for n, finding in enumerate(self.e.findings):
            session = self.sessions.get(finding.session)
            if session is not None:  # finding nothing is still an examination
                scope = _examination_scope(finding)
                at = finding.examined_at or session.start
                yield from self._consented(scope, at, f"/findings/{n}", None)
        for n, photo in enumerate(self.e.photographs):
            for scope in _photograph_scopes(self.e, photo):
                yield from self._consented(
                    scope, photo.captured_at, f"/photographs/{n}", photo.consents
                )
        for n, sample in enumerate(self.e.samples):
            yield from self._consented(
                ConsentScope.BIOLOGICAL_SAMPLING,
                sample.collected_at,
                f"/samples/{n}",
                (sample.consent,),
            )
        for n, test in enumerate(self.e.diagnostic_tests):
            named = (test.consent,) if test.consent else None
            yield from self._consented(
                self._test_scope(test.consent), test.performed_at, f"/diagnostic_tests/{n}", named
            )
        yield from self._instruments_consented()

    def _test_scope(self, named: str | None) -> ConsentScope:
        """The consent scope a diagnostic test needs: a laboratory test of a sample relies on
        the biological-sampling consent it names; any other test, on diagnostic imaging."""
        record = self.consents.get(named) if named else None
        if record is not None and record.scope is ConsentScope.BIOLOGICAL_SAMPLING:
            return ConsentScope.BIOLOGICAL_SAMPLING
        return ConsentScope.DIAGNOSTIC_IMAGING

    def _instruments_consented(self) -> Iterator[RuleProblem]:
        for n, psych in enumerate(self.e.psychological_evaluations):
            for i, instrument in enumerate(psych.instruments):
                day = instrument.administered_on
                granted = [
                    c
                    for c in self._scope(ConsentScope.PSYCHOLOGICAL_TESTING)
                    if c.obtained_at.date() <= day
                    and (c.withdrawn_at is None or c.withdrawn_at.date() > day)
                ]
                if not granted:
                    where = f"/psychological_evaluations/{n}/instruments/{i}/administered_on"
                    yield _hard(
                        "A16.1",
                        where,
                        "no psychological_testing consent was granted by that day",
                    )

    def _consented(
        self, scope: ConsentScope, at: datetime, where: str, named: Iterable[str] | None
    ) -> Iterator[RuleProblem]:
        candidates = self._scope(scope)
        if named is not None:
            named = set(named)
            candidates = [c for c in candidates if c.consent_id in named]
        earlier = [c for c in candidates if c.obtained_at <= at]
        # A withdrawal ends every earlier grant of the scope, whichever record states it.
        withdrawals = [
            c.withdrawn_at
            for c in self.e.consents
            if c.scope is scope and c.withdrawn_at and c.withdrawn_at <= at
        ]
        if any(all(w <= c.obtained_at for w in withdrawals) for c in earlier):
            return
        if earlier:
            yield _hard("A16.1", where, f"captured after the {scope.value} consent was withdrawn")
        else:
            which = "the consent records it names hold no" if named is not None else "no"
            yield _hard(
                "A16.1", where, f"{which} {scope.value} consent granted before {at.isoformat()}"
            )

    def _scope(self, scope: ConsentScope) -> list[ConsentRecord]:
        """The consents of ``scope`` that were given: granted, or granted and later withdrawn,
        and in either case voluntarily (a consent under duress is no consent)."""
        given = (
            ConsentDecision.GRANTED,
            ConsentDecision.GRANTED_WITH_LIMITS,
            ConsentDecision.WITHDRAWN,
        )
        return [
            c for c in self.e.consents if c.scope is scope and c.voluntary and c.decision in given
        ]

    def rule2_photograph_consents(self) -> Iterator[RuleProblem]:
        """Intimate photographs and identification photographs need their own scopes."""
        for n, photo in enumerate(self.e.photographs):
            # The consents that covered the photograph when it was taken: a later withdrawal
            # stops its disclosure (reports), not the record of what was consented to.
            scopes = {
                self.consents[c].scope
                for c in photo.consents
                if c in self.consents and self.consents[c].covered(photo.captured_at)
            }
            uninformed = [
                c
                for c in photo.consents
                if c in self.consents and not self.consents[c].informed.all_explained()
            ]
            for consent in uninformed:
                yield _hard(
                    "A16.2",
                    f"/consents/{self._consent_index(consent)}/informed",
                    "consent to photography needs every element explained (IP22 ¶402)",
                )
            if not photo.intimate:
                yield from self._unmarked_intimacy(n, photo)
            if (
                photograph_is_intimate(self.e, photo)
                and ConsentScope.PHOTOGRAPHY_INTIMATE not in scopes
            ):
                yield _hard(
                    "A16.2",
                    f"/photographs/{n}/consents",
                    "an intimate photograph needs a granted photography_intimate consent",
                )
            if (
                photo.role is PhotoRole.IDENTIFICATION
                and ConsentScope.PHOTOGRAPHY_FACE_IDENTIFYING not in scopes
            ):
                yield _hard(
                    "A16.2",
                    f"/photographs/{n}/consents",
                    "an identification photograph needs a granted photography_face_identifying "
                    "consent",
                )

    def _unmarked_intimacy(self, n: int, photo: Photograph) -> Iterator[RuleProblem]:
        """A photograph of an intimate region, or of a finding in one, is marked intimate."""
        where = f"/photographs/{n}/intimate"
        if photo.body_region in _INTIMATE_REGIONS:
            yield _hard(
                "A16.2", where, f"a photograph of the {photo.body_region.value} is intimate"
            )
            return
        shown = _intimate_findings(self.e, photo)
        if shown:
            names = ", ".join(repr(f.finding_id) for f in shown)
            yield _hard(
                "A16.2",
                where,
                f"shows intimate finding(s) {names}: the photograph is intimate",
            )

    def _consent_index(self, consent_id: str) -> int:
        return next(i for i, c in enumerate(self.e.consents) if c.consent_id == consent_id)

    def rule3_refusals_and_proxies(self) -> Iterator[RuleProblem]:
        """A refusal states its reason; minors and people lacking capacity have a proxy."""
        for n, consent in enumerate(self.e.consents):
            if consent.decision is ConsentDecision.REFUSED and consent.refusal_reason is None:
                yield _hard(
                    "A16.3",
                    f"/consents/{n}/refusal_reason",
                    "a refusal needs its reason (or 'declined to give a reason')",
                )
            if consent.capacity is not Capacity.HAS_CAPACITY and consent.proxy is None:
                yield _hard(
                    "A16.3",
                    f"/consents/{n}/proxy",
                    f"consent for a person who is {consent.capacity.value.replace('_', ' ')} "
                    f"needs a proxy",
                )

    # -- photographs and diagrams -------------------------------------------------------

    def rule4_finding_photographs(self) -> Iterator[RuleProblem]:
        """Close-up, mid-range and special-lighting photographs show a finding."""
        for n, photo in enumerate(self.e.photographs):
            if photo.role in FINDING_PHOTO_ROLES and not photo.findings:
                yield _hard(
                    "A16.4",
                    f"/photographs/{n}/findings",
                    f"a {photo.role.value} photograph must name the findings it shows",
                )

    def rule5_scale_and_colour_reference(self) -> Iterator[RuleProblem]:
        """Close-ups carry a scale and a colour reference (IP22 ¶402), or a reason why not."""
        for n, photo in enumerate(self.e.photographs):
            if photo.role not in CLOSE_UP_ROLES:
                continue
            missing = [
                name
                for name, present in (
                    ("scale", photo.scale_present),
                    ("colour reference", photo.colour_reference_present),
                )
                if not present
            ]
            if not missing:
                continue
            what = " and ".join(missing)
            if photo.missing_reference_reason is None:
                yield _hard(
                    "A16.5",
                    f"/photographs/{n}/missing_reference_reason",
                    f"a close-up without {what} needs the reason",
                )
            else:
                yield _soft(
                    "A16.5",
                    f"/photographs/{n}",
                    f"close-up without {what}",
                    photo.missing_reference_reason,
                )

    def rule6_photograph_series(self) -> Iterator[RuleProblem]:
        """Each photographed lesion has an orientation shot and a close-up with scale;
        the evaluation has one identification photograph."""
        for n, finding in enumerate(self.e.findings):
            shown_in = [p for p in self.e.photographs if finding.finding_id in p.findings]
            if not finding.is_lesion or not shown_in:
                continue
            if not any(_orients(p, finding) for p in self.e.photographs):
                yield _soft(
                    "A16.6",
                    f"/findings/{n}",
                    "photographed lesion without an orientation photograph",
                )
            if not any(_close_up_with_scale(p) for p in shown_in):
                yield _soft(
                    "A16.6", f"/findings/{n}", "photographed lesion without a close-up with scale"
                )
        # Photographs refused or not permitted still leave the evaluation without its
        # identification image: a departure the evaluator states with that reason.
        identification = [p for p in self.e.photographs if p.role is PhotoRole.IDENTIFICATION]
        if len(identification) != 1:
            yield _soft(
                "A16.6",
                "/photographs",
                f"{len(identification)} identification photographs where one is expected",
            )

    def rule7_body_diagrams(self) -> Iterator[RuleProblem]:
        """Every lesion is marked on a body diagram; every mark points at a finding."""
        marked = {a.finding for a in self.e.diagram_annotations}
        for n, finding in enumerate(self.e.findings):
            if finding.is_lesion and finding.finding_id not in marked:
                yield _hard("A16.7", f"/findings/{n}", "a lesion needs a mark on a body diagram")
        for n, mark in enumerate(self.e.diagram_annotations):
            if mark.finding not in self.findings:
                yield _hard(
                    "A16.7",
                    f"/diagram_annotations/{n}/finding",
                    f"marks finding {mark.finding!r}, which the document does not hold",
                )

    # -- opinions -----------------------------------------------------------------------

    def rule8_opinion_targets(self) -> Iterator[RuleProblem]:
        """An opinion assesses an alleged method of this evaluation, a hypothesised
        mechanism with the reason the cause is unattributed, or a named alternative cause."""
        for n, opinion in enumerate(self.e.opinions):
            target, where = opinion.target, f"/opinions/{n}/target"
            if target.kind is TargetKind.ALLEGED_METHOD:
                if target.method not in self.methods:
                    yield _hard(
                        "A16.8",
                        f"{where}/method",
                        f"names alleged method {target.method!r}, which no alleged event of this "
                        f"evaluation holds",
                    )
            elif target.kind is TargetKind.HYPOTHESISED_MECHANISM:
                if target.mechanism is None:
                    yield _hard(
                        "A16.8", f"{where}/mechanism", "a hypothesised mechanism must be described"
                    )
                if not target.reason_unattributed:
                    yield _hard(
                        "A16.8",
                        f"{where}/reason_unattributed",
                        "say why the person cannot describe the cause (IP22 ¶421)",
                    )
            elif target.cause is None:
                yield _hard("A16.8", f"{where}/cause", "name the alternative cause assessed")

    def rule9_levels(self) -> Iterator[RuleProblem]:
        """Assessed opinions give a level; open levels list the alternatives considered."""
        for n, opinion in enumerate(self.e.opinions):
            where = f"/opinions/{n}"
            if opinion.status is ConsistencyStatus.ASSESSED and opinion.level is None:
                yield _hard("A16.9", f"{where}/level", "an assessed opinion needs its level")
            if opinion.status is ConsistencyStatus.NOT_ASSESSABLE and opinion.level is not None:
                yield _hard("A16.9", f"{where}/level", "an opinion not assessable has no level")
            if opinion.level in LEVELS_NEEDING_ALTERNATIVES and not opinion.alternatives:
                yield _hard(
                    "A16.9",
                    f"{where}/alternatives",
                    f"'{opinion.level.value.replace('_', ' ')}' leaves other causes open: list "
                    f"those considered",
                )
            if opinion.level is ConsistencyLevel.DIAGNOSTIC_OF and not opinion.alternatives:
                yield _hard(
                    "A16.9",
                    f"{where}/alternatives",
                    "'diagnostic of' excludes every other cause: list each with why it is excluded",
                )

    def rule10_overall_opinion(self) -> Iterator[RuleProblem]:
        """A sealed evaluation has its overall opinion; with no physical findings, it says
        that their absence does not exclude torture."""
        overall = self.e.overall_opinion
        if overall is None:
            if self.sealing:
                yield _hard(
                    "A16.10", "/overall_opinion", "an evaluation is sealed with its overall opinion"
                )
            return
        positive = [f for f in self.e.findings if f.kind is not FindingKind.NEGATIVE_FINDING]
        if not positive and overall.absence_of_findings_statement is None:
            yield _hard(
                "A16.10",
                "/overall_opinion/absence_of_findings_statement",
                "with no physical findings, state that their absence does not exclude torture",
            )

    def rule11_psychological_opinion(self) -> Iterator[RuleProblem]:
        """A psychological evaluation has its consistency opinion; none is a departure."""
        assessed = {
            o.psychological_evaluation
            for o in self.e.opinions
            if o.domain is OpinionDomain.PSYCHOLOGICAL
        }
        for n, psych in enumerate(self.e.psychological_evaluations):
            if psych.psych_eval_id not in assessed:
                yield _hard(
                    "A16.11",
                    f"/psychological_evaluations/{n}",
                    "a psychological evaluation needs a psychological consistency opinion",
                )
        if not self.e.psychological_evaluations:
            yield _soft(
                "A16.11",
                "/psychological_evaluations",
                "no psychological evaluation (IP22 ¶229: it is always necessary)",
            )

    # -- conditions of the evaluation ---------------------------------------------------

    def rule12_officials_present(self) -> Iterator[RuleProblem]:
        """An official present is justified, with who asked and whether they could hear."""
        for s, session in enumerate(self.e.sessions):
            for p, person in enumerate(session.persons_present):
                if person.role not in OFFICIAL_ROLES:
                    continue
                where = f"/sessions/{s}/persons_present/{p}"
                for name in ("justification", "within_earshot", "requested_by"):
                    if getattr(person, name) is None:
                        missing = name.replace("_", " ")
                        yield _hard(
                            "A16.12",
                            f"{where}/{name}",
                            f"an official present ({person.role.value}) needs {missing}",
                        )

    def rule13_interpreter_independence(self) -> Iterator[RuleProblem]:
        """Interpreters tied to the facility, the person or the authorities are a departure."""
        for n, interpreter in enumerate(self.e.interpreters):
            ties = [t.value for t in interpreter.ties if t in NON_INDEPENDENT_INTERPRETER]
            if ties:
                yield _soft(
                    "A16.13",
                    f"/interpreters/{n}/ties",
                    f"interpreter not independent ({', '.join(ties)}; IP22 ¶298)",
                )

    # -- signing and integrity ----------------------------------------------------------

    def rule14_evaluator_credentials(self) -> Iterator[RuleProblem]:
        """To seal, every evaluator states qualifications and makes a declaration."""
        if not self.sealing:
            return
        declared = {d.clinician for d in self.e.declarations}
        for n, clinician in enumerate(self.e.evaluators):
            if not clinician.qualifications:
                yield _hard(
                    "A16.14",
                    f"/evaluators/{n}/qualifications",
                    "an evaluator states qualifications before sealing",
                )
            if clinician.clinician_id not in declared:
                yield _hard(
                    "A16.14",
                    "/declarations",
                    f"evaluator {clinician.clinician_id!r} has made no declaration",
                )
        keys = [c.key_id for c in self.e.evaluators]
        if len(set(keys)) != len(keys):
            yield _hard("A16.14", "/evaluators", "two evaluators name the same signing key")

    def rule15_addenda(self) -> Iterator[RuleProblem]:
        """Changes after sealing are addenda naming the sealed digest they supersede."""
        for n, note in enumerate(self.e.addenda):
            if len(note.supersedes) != 64 or any(
                c not in "0123456789abcdef" for c in note.supersedes
            ):
                yield _hard(
                    "A16.15",
                    f"/addenda/{n}/supersedes",
                    "must be the 64-hex-digit evaluation digest of the sealed version",
                )
            for c, pointer in enumerate(note.changed):
                if not pointer.startswith("/"):
                    yield _hard("A16.15", f"/addenda/{n}/changed/{c}", "must be a JSON Pointer")

    def rule16_photograph_hashes(self) -> Iterator[RuleProblem]:
        """A photograph's hash is its evidence item's; derived photographs name the original."""
        for n, photo in enumerate(self.e.photographs):
            where = f"/photographs/{n}"
            origin = self.photos.get(photo.derived_from or "")
            if origin is not None and origin.sha256 == photo.sha256:
                yield _hard(
                    "A16.16",
                    f"{where}/sha256",
                    "a derived photograph cannot have its original's bytes",
                )
            if self.evidence is None:
                continue
            facts = self.evidence(photo.item)
            if facts is None or facts.sha256 is None:
                yield _hard(
                    "A16.16", f"{where}/item", f"the case holds no file item {photo.item!r}"
                )
            elif facts.sha256.hex() != photo.sha256:
                yield _hard(
                    "A16.16",
                    f"{where}/sha256",
                    f"differs from the SHA-256 recorded for item {photo.item!r}",
                )

    def rule17_samples_in_custody(self) -> Iterator[RuleProblem]:
        """Every sample is a sealed evidence item held by an evaluator or handed over."""
        if self.evidence is None:
            return
        keys = {bytes.fromhex(c.key_id) for c in self.e.evaluators}
        for n, sample in enumerate(self.e.samples):
            where = f"/samples/{n}"
            facts = self.evidence(sample.item)
            if facts is None or facts.sha256 is not None:
                yield _hard(
                    "A16.17", f"{where}/item", f"the case holds no physical item {sample.item!r}"
                )
                continue
            if sample.seal not in facts.seals:
                yield _hard(
                    "A16.17",
                    f"{where}/seal",
                    f"seal {sample.seal!r} is not among the seals item {sample.item!r} was "
                    f"recorded with",
                )
            if facts.holder not in keys and not facts.handed_over:
                yield _hard(
                    "A16.17",
                    f"{where}/item",
                    "the sample is neither held by an evaluator nor handed over with a signed "
                    "receipt",
                )

    def rule18_age_ranges(self) -> Iterator[RuleProblem]:
        """A lesion's age is estimated as a range, never a point."""
        for n, finding in enumerate(self.e.findings):
            age = finding.estimated_age
            if age is not None and age.min_days == age.max_days:
                yield _soft(
                    "A16.18",
                    f"/findings/{n}/estimated_age",
                    "a point estimate of age: ageing by appearance supports only a range",
                )

    # -- privacy ------------------------------------------------------------------------

    def rule19_no_identity_in_document(self) -> Iterator[RuleProblem]:
        """No identifying detail of the subject appears in the document, whose fields are
        committed into signed events. Both sides are compared folded (:func:`_folded`), so
        case, Unicode normal form and spacing hide nothing."""
        if self.identity is None:
            return
        if self.identity.subject_id != self.e.subject.subject_id:
            yield _hard("A16.19", "/subject/subject_id", "is not the identity record's subject")
        elif self.identity.commitment() != self.e.subject.identity_commitment:
            yield _hard(
                "A16.19", "/subject/identity_commitment", "does not match the identity record"
            )
        needles = _identifying_strings(self.identity)
        for pointer, value in _strings(self.e.to_json(), ""):
            folded = _folded(value)
            for needle in needles:
                if needle in folded:
                    yield _hard("A16.19", pointer, "holds an identifying detail of the subject")
                    break

    def rule20_completeness(self) -> Iterator[RuleProblem]:
        """The report's elements (IP22 ¶356) are all there; a missing one is a departure."""
        parts = {
            "alleged_events": "no allegations recorded",
            "symptoms": "no symptoms recorded",
            "findings": "no physical findings recorded (negatives included)",
            "opinions": "no interpretation of findings",
            "recommendations": "no recommendations",
            "declarations": "no declarations",
        }
        for name, message in parts.items():
            if not getattr(self.e, name):
                yield _soft("A16.20", f"/{name}", message)


_INTIMATE_REGIONS = frozenset({BodyRegion.GENITALS, BodyRegion.ANUS, BodyRegion.BREAST})
_INTIMATE_SYSTEMS = frozenset({BodySystem.GENITOURINARY, BodySystem.ANAL})
_INTIMATE_LESIONS = frozenset({LesionType.GENITAL_INJURY, LesionType.ANAL_INJURY})


def photograph_is_intimate(evaluation: Evaluation, photo: Photograph) -> bool:
    """Whether ``photo`` of ``evaluation`` shows intimate parts (restricted viewing).

    It does if it is marked ``intimate``, if the region it shows is the genitals, the anus
    or the breast, or if a finding it shows (named in its ``findings``, or naming it in the
    finding's ``photographs``) is in one of those regions, in the genitourinary or anal
    system, or is a genital or anal injury. Rule 2 asks for ``photography_intimate``
    consent for each such photograph, and reports never reproduce one. Whether the
    ``intimate`` flag is set as it should be is rule 2's concern, not this function's.
    """
    return (
        photo.intimate
        or photo.body_region in _INTIMATE_REGIONS
        or bool(_intimate_findings(evaluation, photo))
    )


def photograph_consent_withdrawn(evaluation: Evaluation, photo: Photograph) -> datetime | None:
    """When the person withdrew a consent ``photo`` was taken under, or ``None``.

    A withdrawal by any record of the same scope counts, as for rule 1. The person has then
    stopped further disclosure of the photograph (IP22 ¶402), so reports do not reproduce it;
    the evaluation still records that it was taken.
    """
    named = {c.consent_id: c.scope for c in evaluation.consents if c.consent_id in photo.consents}
    withdrawals = [
        c.withdrawn_at or c.obtained_at
        for c in evaluation.consents
        if c.scope in named.values() and c.withdrawn
    ]
    return min(withdrawals, default=None)


def photograph_restricted(evaluation: Evaluation, photo: Photograph) -> bool:
    """Whether reports must not reproduce ``photo``: it is intimate, or a consent it was
    taken under was withdrawn. Its facts are still listed."""
    return photograph_is_intimate(evaluation, photo) or (
        photograph_consent_withdrawn(evaluation, photo) is not None
    )


def _intimate_findings(evaluation: Evaluation, photo: Photograph) -> list[PhysicalFinding]:
    """The findings ``photo`` shows that are intimate, linked from either side."""
    return [
        finding
        for finding in evaluation.findings
        if (finding.finding_id in photo.findings or photo.photo_id in finding.photographs)
        and _is_intimate_finding(finding)
    ]


def _is_intimate_finding(finding: PhysicalFinding) -> bool:
    return (
        finding.location.region in _INTIMATE_REGIONS
        or finding.system in _INTIMATE_SYSTEMS
        or finding.lesion_type in _INTIMATE_LESIONS
    )


def _examination_scope(finding: PhysicalFinding) -> ConsentScope:
    intimate_regions = (BodyRegion.GENITALS, BodyRegion.ANUS)
    if finding.system in (BodySystem.GENITOURINARY, BodySystem.ANAL) or (
        finding.location.region in intimate_regions
    ):
        return ConsentScope.GENITAL_ANAL_EXAMINATION
    if finding.location.region is BodyRegion.BREAST:
        return ConsentScope.BREAST_EXAMINATION
    return ConsentScope.PHYSICAL_EXAMINATION


def _photograph_scopes(evaluation: Evaluation, photo: Photograph) -> list[ConsentScope]:
    scopes = [ConsentScope.PHOTOGRAPHY]
    if photograph_is_intimate(evaluation, photo):
        scopes.append(ConsentScope.PHOTOGRAPHY_INTIMATE)
    if photo.role is PhotoRole.IDENTIFICATION:
        scopes.append(ConsentScope.PHOTOGRAPHY_FACE_IDENTIFYING)
    return scopes


def _orients(photo: Photograph, finding: PhysicalFinding) -> bool:
    if photo.role is not PhotoRole.ORIENTATION:
        return False
    return finding.finding_id in photo.findings or photo.body_region is finding.location.region


def _close_up_with_scale(photo: Photograph) -> bool:
    return photo.role is PhotoRole.CLOSE_UP_WITH_SCALE or (
        photo.role is PhotoRole.CLOSE_UP and photo.scale_present
    )


def _identifying_strings(identity: IdentityRecord) -> list[str]:
    values = [*identity.names, *identity.aliases, *identity.identity_documents]
    single = (
        identity.phone,
        identity.email,
        identity.facility_number,
        identity.address,
        identity.place_of_birth,
        identity.next_of_kin,
        identity.date_of_birth.isoformat() if identity.date_of_birth else None,
    )
    values += [v for v in single if v]
    folded = [_folded(v) for v in values]
    # Very short values (initials) would match everywhere and prove nothing.
    return [v for v in folded if len(v) >= 4]


def _folded(text: str) -> str:
    """``text`` as rule 19 compares it: NFKC, case folded, invisible format characters
    (soft hyphens, zero-width spaces) dropped, and each run of white space one space.

    So "JOSÉ  PEÑA", "José Peña" written with combining accents (NFD), or split across a
    line all match "José Peña".
    """
    text = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())
    visible = "".join(c for c in text if unicodedata.category(c) != "Cf")
    return " ".join(visible.split())


def _strings(value: Any, pointer: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield pointer, value
    elif isinstance(value, dict):
        for key, inner in value.items():
            yield from _strings(inner, pointer_to(pointer, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from _strings(inner, pointer_to(pointer, index))


def _hard(code: str, pointer: str, message: str) -> RuleProblem:
    return RuleProblem(code, Severity.HARD, pointer, message)


def _soft(code: str, pointer: str, message: str, reason: str | None = None) -> RuleProblem:
    return RuleProblem(code, Severity.SOFT, pointer, message, reason)
