"""The sections of the medical report that conclude it: interpretation, overall opinion,
recommendations, departures from the Protocol, declarations, signatures and addenda."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Final

from custody.medical import (
    AlternativeCause,
    Clinician,
    ConsistencyLevel,
    ConsistencyOpinion,
    ConsistencyStatus,
    Declaration,
    Departure,
    OpinionTarget,
    RuleProblem,
    TargetKind,
    validate,
)
from custody.report._html import (
    Html,
    Node,
    blocks,
    bullet_list,
    code,
    day,
    el,
    h3,
    join,
    link,
    moment,
    note,
    row,
    tbody,
)
from custody.report._report_context import (
    Part,
    ReportContext,
    dl,
    finding_ref,
    method_ref,
    none_recorded,
    table,
)

if TYPE_CHECKING:
    from custody.report._medical_report import ReviewNote, Signature

__all__ = ["CONCLUSION_PARTS"]


# --- interpretation and opinion ---------------------------------------------------------------


def _interpretation(r: ReportContext) -> Html | None:
    return blocks(*(_opinion(r, o) for o in r.evaluation.opinions))


def _opinion(r: ReportContext, o: ConsistencyOpinion) -> Html:
    assessed: tuple[str, Node]
    if o.psychological_evaluation is not None and not o.findings:
        pe = o.psychological_evaluation
        assessed = ("psychological_evaluation", link(f"psych-{pe}", pe))
    else:
        assessed = ("findings_assessed", bullet_list(finding_ref(r, f) for f in o.findings))
    self_harm = join([r.yes_no(o.self_harm_considered), o.self_harm_reasoning], ": ")
    fields = [
        assessed,
        ("assessed_against", _target(r, o.target)),
        ("rationale", r.prose(o.rationale)),
        ("basis", r.terms(o.basis)),
        ("self_harm_considered", self_harm),
        ("opinion_by", r.clinician(o.author)),
    ]
    return el(
        "article",
        h3(f"{r.t('opinion')} {o.opinion_id} — {r.term(o.domain)}"),
        _verdict(r, _level(r, o.level, o.status)),
        dl(r, fields),
        _alternatives(r, o.alternatives),
        id=f"opinion-{o.opinion_id}",
        class_="opinion card",
    )


def _level(
    r: ReportContext, opinion_level: ConsistencyLevel | None, status: ConsistencyStatus
) -> Html:
    """The level of consistency in the Protocol's exact term, highlighted."""
    if status is ConsistencyStatus.NOT_ASSESSABLE or opinion_level is None:
        return el("strong", r.term(ConsistencyStatus.NOT_ASSESSABLE), class_="level unassessed")
    return el("strong", r.term(opinion_level), class_="level", data_level=opinion_level.value)


def _verdict(r: ReportContext, level: Html) -> Html:
    caption = el("span", r.t("consistency_level"), ":", class_="k")
    return el("p", caption, " ", level, class_="verdict")


def _target(r: ReportContext, target: OpinionTarget) -> Node:
    what: Node = None
    if target.kind is TargetKind.ALLEGED_METHOD and target.method is not None:
        what = method_ref(r, target.method)
    elif target.kind is TargetKind.HYPOTHESISED_MECHANISM:
        what = join(
            [target.mechanism, r.pair("perception_limits", r.terms(target.reason_unattributed))]
        )
    elif target.kind is TargetKind.ALTERNATIVE_CAUSE:
        what = target.cause
    circumstances = r.pair("circumstances", target.circumstances)
    return join([join([r.term(target.kind), what], ": "), circumstances])


def _alternatives(r: ReportContext, alternatives: Sequence[AlternativeCause]) -> Html | None:
    heading = el("h4", r.t("alternative_causes"))
    if not alternatives:
        return blocks(heading, none_recorded(r))
    rows = (row([a.cause, a.likelihood, a.reason]) for a in alternatives)
    return blocks(heading, table(r, ["cause", "likelihood", "reason"], tbody(rows)))


def _overall_opinion(r: ReportContext) -> Html | None:
    o = r.evaluation.overall_opinion
    if o is None:
        return note(r.t("no_overall_opinion"))
    return blocks(
        _verdict(r, _level(r, o.level, ConsistencyStatus.ASSESSED)),
        dl(r, [("considers", r.terms(o.considers))]),
        r.prose(o.narrative),
        dl(
            r,
            [
                ("absence_of_findings", o.absence_of_findings_statement),
                ("current_symptoms_and_disabilities", o.current_symptoms_and_disabilities),
                ("effects_on_social_functioning", o.likely_effects_on_social_functioning),
                ("limitations", o.limitations),
            ],
        ),
    )


def _recommendations(r: ReportContext) -> Html | None:
    items = [
        el(
            "li",
            el("span", r.term(x.urgency), class_=f"urgency {x.urgency.value}"),
            " ",
            el("strong", r.term(x.kind)),
            ": ",
            x.text,
        )
        for x in r.evaluation.recommendations
    ]
    return el("ol", items, class_="recommendations") if items else None


# --- departures, declarations, signatures, addenda --------------------------------------------


def _departures(r: ReportContext) -> Html | None:
    """What validation finds (rules broken; departures, with the reasons the evaluators
    state) and the departures the evaluators declare."""
    report = validate(r.evaluation)
    declared = r.evaluation.departures
    return blocks(
        _rules_broken(r, report.hard) if report.hard else None,
        h3(r.t("departures_found")),
        _departures_found(r, report.departures) if report.departures else none_recorded(r),
        h3(r.t("departures_declared")),
        _departures_declared(r, declared) if declared else none_recorded(r),
    )


def _message(problem: RuleProblem) -> Html:
    return el("span", problem.message, lang="en")  # validation speaks English only


def _rules_broken(r: ReportContext, problems: Sequence[RuleProblem]) -> Html:
    items = (join([code(p.code), code(p.pointer), _message(p)], " — ") for p in problems)
    heading = el("p", el("strong", r.t("rules_broken")))
    return el("div", heading, bullet_list(items), class_="warning")


def _departures_found(r: ReportContext, problems: Sequence[RuleProblem]) -> Html:
    rows = (
        row([code(p.code), code(p.pointer), _message(p), p.reason or r.t("no_reason_stated")])
        for p in problems
    )
    return table(r, ["rule", "field", "problem", "stated_reason"], tbody(rows))


def _departures_declared(r: ReportContext, departures: Sequence[Departure]) -> Html:
    rows = (
        row([code(d.element), str(d.rule) if d.rule is not None else None, d.reason])
        for d in departures
    )
    return table(r, ["element", "rule", "reason"], tbody(rows))


def _declarations(r: ReportContext) -> Html | None:
    return blocks(*(_declaration(r, d) for d in r.evaluation.declarations))


def _declaration(r: ReportContext, d: Declaration) -> Html:
    return el(
        "article",
        h3(r.clinician(d.clinician)),
        el("blockquote", r.prose(d.statement)),
        dl(r, [("location", d.place), ("date", day(d.made_on))]),
        class_="declaration card",
    )


def _signatures(r: ReportContext) -> Html | None:
    return blocks(
        note(r.t("signatures_note")),
        *(_signature(r, c) for c in r.evaluation.evaluators),
        _reviews(r),
    )


def _signature(r: ReportContext, c: Clinician) -> Html:
    """An evaluator's seal: the key in full and as a fingerprint, when, where, over what."""
    s = r.signatures.get(c.clinician_id)
    key = s.key_id if s is not None else c.key_id
    fields: list[tuple[str, Node]] = [
        ("role", r.term(c.role)),
        ("key_id", code(key)),
        ("key_fingerprint", _fingerprint(key)),
    ]
    if s is not None:
        fields += [
            ("signed_as", s.name if s.name != c.name else None),
            ("signed_at", moment(s.signed_at)),
            ("signing_place", s.place),
            ("signed_digest", code(s.digest)),
        ]
    state = "signed" if s is not None else "not_signed"
    return el(
        "article",
        h3(c.name),
        el("p", el("strong", r.t(state)), class_=state.replace("_", "-")),
        dl(r, fields),
        _signature_warnings(r, c, s) if s is not None else None,
        id=f"signature-{c.clinician_id}",
        class_="signature card",
    )


def _fingerprint(key_id: str) -> Html:
    """A key id in groups of four hexadecimal digits, for reading aloud and comparing."""
    groups = " ".join(key_id[i : i + 4] for i in range(0, len(key_id), 4))
    return el("code", groups, class_="fingerprint")


def _signature_warnings(r: ReportContext, c: Clinician, s: Signature) -> Html | None:
    warnings: list[Node] = []
    if s.key_id != c.key_id:
        warnings.append(join([r.t("key_differs"), r.pair("declared_key", code(c.key_id))]))
    if r.digest is not None and s.digest != r.digest:
        warnings.append(r.t("digest_differs"))
    return el("div", bullet_list(warnings), class_="warning") if warnings else None


def _reviews(r: ReportContext) -> Html | None:
    """The reviews of the version by someone who is not an evaluator; nothing when the caller
    says nothing about reviews, so that silence is never read as "not reviewed"."""
    if r.reviews is None:
        return None
    shown = blocks(*(_review(r, n) for n in r.reviews)) or el(
        "p", r.t("no_review_recorded"), class_="none"
    )
    return el("div", h3(r.t("review")), shown, id="reviews", class_="reviews")


def _review(r: ReportContext, n: ReviewNote) -> Html:
    """One review: the reviewer's key in full and as a fingerprint, when, over what."""
    fields: list[tuple[str, Node]] = [
        ("reviewer_key_id", code(n.key_id)),
        ("key_fingerprint", _fingerprint(n.key_id)),
        ("reviewed_at", moment(n.reviewed_at)),
        ("reviewed_digest", code(n.digest)),
    ]
    differs = r.digest is not None and n.digest != r.digest
    warning = el("div", bullet_list([r.t("review_digest_differs")]), class_="warning")
    return el("article", dl(r, fields), warning if differs else None, class_="review card")


def _addenda(r: ReportContext) -> Html | None:
    items = [
        el(
            "article",
            h3(day(a.made_on)),
            dl(
                r,
                [
                    ("supersedes", code(a.supersedes)),
                    ("reason", a.reason),
                    ("fields_changed", join((code(c) for c in a.changed), ", ")),
                ],
            ),
            class_="addendum card",
        )
        for a in r.evaluation.addenda
    ]
    return blocks(*items)


#: This module's sections, in the order of the report.
CONCLUSION_PARTS: Final = (
    Part("interpretation", "interpretation", True, _interpretation),
    Part("overall-opinion", "overall_opinion", False, _overall_opinion),
    Part("recommendations", "recommendations", False, _recommendations),
    Part("departures", "departures", False, _departures),
    Part("declarations", "declarations", True, _declarations),
    Part("signatures", "signatures", False, _signatures),
    Part("addenda", "addenda", False, _addenda),
)
