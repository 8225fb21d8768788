"""The sections of the medical report about the case and the account: case and context,
clinicians, conditions of the examination, restrictions, consent, history and symptoms."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final

from custody.medical import (
    HURIDOCS_CODES,
    NON_INDEPENDENT_INTERPRETER,
    AllegedEvent,
    AllegedMethod,
    ApproximateDate,
    Clinician,
    ConsentRecord,
    DatePrecision,
    Experience,
    Independence,
    PersonPresent,
    Registration,
    Restriction,
    RestrictionKind,
    Session,
    Subject,
    Symptom,
    restrictions,
)
from custody.report._html import (
    RANGE,
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
    none_recorded,
    session_ref,
    table,
)

__all__ = ["CASE_PARTS"]


# --- case and context, clinicians -------------------------------------------------------------


def _case_and_context(r: ReportContext) -> Html | None:
    e = r.evaluation
    requester = e.requested_by
    requested_by = join(
        [r.term(requester.role), requester.organisation, r.pair("reference", requester.reference)]
    )
    return blocks(
        dl(
            r,
            [
                ("evaluation_id", code(e.evaluation_id)),
                ("protocol_version", r.term(e.protocol_version)),
                ("context", r.term(e.context)),
                ("purpose", r.term(e.purpose)),
                ("requested_by", requested_by),
                ("free_text_language", code(e.language)),
            ],
        ),
        h3(r.t("person_examined")),
        _subject(r, e.subject),
        note(r.t("identity_withheld")),
        _records_reviewed(r),
    )


def _subject(r: ReportContext, subject: Subject) -> Html | None:
    if subject.age_years is not None:
        age = f"{subject.age_years} {r.t('years')}"
    else:
        assert subject.age_range is not None  # the model holds exactly one of the two
        low, high = subject.age_range.min_years, subject.age_range.max_years
        age = f"{low}{RANGE}{high} {r.t('years')}"
    return dl(
        r,
        [
            ("subject_pseudonym", code(subject.subject_id)),
            ("age", age),
            ("sex_at_birth", r.maybe(subject.sex_at_birth)),
            ("languages_spoken", ", ".join(subject.languages)),
            ("custody_status", r.term(subject.custody_status)),
            ("handedness", r.maybe(subject.handedness)),
            ("skin_phototype", r.maybe(subject.skin_phototype)),
        ],
    )


def _records_reviewed(r: ReportContext) -> Html | None:
    records = r.evaluation.records_reviewed
    if not records:
        return None
    rows = (
        row([r.term(x.type), x.description, code(x.sha256) if x.sha256 else None]) for x in records
    )
    return blocks(
        h3(r.t("records_reviewed")),
        table(r, ["record_type", "description", "sha256"], tbody(rows)),
    )


def _clinicians(r: ReportContext) -> Html | None:
    return blocks(*(_clinician(r, c) for c in r.evaluation.evaluators))


def _clinician(r: ReportContext, c: Clinician) -> Html:
    fields = [
        ("profession", join([r.term(c.profession), c.specialty])),
        ("role", r.term(c.role)),
        ("affiliation", c.affiliation),
        ("registration", _registration(r, c.registration)),
        (
            "qualifications",
            bullet_list(f"{q.title}, {q.institution} ({q.year})" for q in c.qualifications),
        ),
        ("ip_training", bullet_list(f"{t.course}, {t.provider} ({t.year})" for t in c.ip_training)),
        ("experience", _experience(r, c.experience)),
        ("independence", _independence(r, c.independence)),
    ]
    return el("article", h3(c.name), dl(r, fields), id=f"clinician-{c.clinician_id}", class_="card")


def _registration(r: ReportContext, registration: Registration) -> Node:
    valid = day(registration.valid_until) if registration.valid_until else None
    number = r.pair("registration_number", registration.number)
    return join(
        [registration.body, registration.jurisdiction, number, r.pair("valid_until", valid)]
    )


def _experience(r: ReportContext, experience: Experience) -> Node:
    return join(
        [
            r.pair("prior_evaluations", str(experience.evaluations)),
            r.pair("years_of_practice", str(experience.years)),
            r.pair("working_languages", ", ".join(experience.languages)),
        ]
    )


def _independence(r: ReportContext, independence: Independence) -> Node:
    by_authority = r.yes_no(independence.employed_by_detaining_authority)
    return join(
        [
            r.pair("employed_by_state", r.yes_no(independence.employed_by_state)),
            r.pair("employed_by_detaining_authority", by_authority),
            r.pair("conflicts_declared", independence.conflicts_declared),
        ]
    )


# --- conditions, restrictions, consent --------------------------------------------------------


def _conditions(r: ReportContext) -> Html | None:
    return blocks(*(_session(r, s) for s in r.evaluation.sessions), _interpreters(r))


def _session(r: ReportContext, s: Session) -> Html:
    interpreter = None
    if s.interpreter is not None:
        interpreter = link(f"interpreter-{s.interpreter}", s.interpreter)
    fields = [
        ("session_start", moment(s.start)),
        ("session_end", moment(s.end)),
        ("location", r.term(s.location_type)),
        ("privacy", r.term(s.privacy)),
        ("interpreter", interpreter),
        ("restraints", _restraints(r, s)),
        ("time_limited", join([r.yes_no(s.time_limited), s.limitation_note])),
        ("subject_condition", s.subject_condition),
        ("conditions_notes", s.conditions_notes),
    ]
    return el(
        "article",
        h3(f"{r.t('session')} {s.session_id}"),
        dl(r, fields),
        el("h4", r.t("persons_present")),
        _persons_present(r, s.persons_present),
        id=f"session-{s.session_id}",
        class_="card",
    )


def _restraints(r: ReportContext, s: Session) -> Node:
    restraints = s.restraints
    if not restraints.present:
        return r.t("no")
    removed = r.pair("removed_on_request", r.yes_no(restraints.removed_on_request))
    return join([r.maybe(restraints.type) or r.t("yes"), removed])


def _persons_present(r: ReportContext, persons: Sequence[PersonPresent]) -> Html:
    headers = ["present_role", "affiliation", "requested_by", "within_earshot", "within_sight"]
    return table(r, [*headers, "justification"], tbody(_person(r, p) for p in persons))


def _person(r: ReportContext, p: PersonPresent) -> Html:
    """A person present; only evaluators are named (others are third parties)."""
    role: Node = r.term(p.role)
    if p.clinician_id is not None and r.evaluation.evaluator(p.clinician_id) is not None:
        role = join([role, link(f"clinician-{p.clinician_id}", r.clinician(p.clinician_id))], ": ")
    return row(
        [
            role,
            p.affiliation,
            r.maybe(p.requested_by),
            r.yes_no(p.within_earshot),
            r.yes_no(p.within_sight),
            p.justification,
        ]
    )


def _interpreters(r: ReportContext) -> Html | None:
    interpreters = r.evaluation.interpreters
    if not interpreters:
        return None
    headers = ["interpreter", "languages", "affiliation", "ties", "mode", "confidentiality"]
    rows = (
        row(
            [
                i.interpreter_id,
                ", ".join(i.languages),
                i.affiliation,
                r.terms(i.ties),
                r.term(i.mode),
                r.yes_no(i.confidentiality_undertaking),
            ],
            id=f"interpreter-{i.interpreter_id}",
        )
        for i in interpreters
    )
    return blocks(h3(r.t("interpreters")), table(r, headers, tbody(rows)))


#: The label of each kind of restriction the data shows.
_RESTRICTION_LABELS: Final[Mapping[RestrictionKind, str]] = {
    RestrictionKind.OFFICIAL_PRESENT: "restriction_official_present",
    RestrictionKind.RESTRAINED: "restriction_restrained",
    RestrictionKind.NOT_PRIVATE: "restriction_not_private",
    RestrictionKind.TIME_LIMITED: "restriction_time_limited",
    RestrictionKind.INTERPRETER_NOT_INDEPENDENT: "restriction_interpreter_not_independent",
    RestrictionKind.CONSENT_LIMITED: "restriction_consent_limited",
}


def _restrictions(r: ReportContext) -> Html | None:
    statement = r.evaluation.restrictions_statement
    found = [_restriction(r, x) for x in restrictions(r.evaluation)]
    return blocks(
        h3(r.t("restrictions_shown_by_record")),
        bullet_list(found, class_="restrictions") or none_recorded(r),
        h3(r.t("evaluators_statement")) if statement else None,
        r.prose(statement),
    )


def _restriction(r: ReportContext, restriction: Restriction) -> Html | None:
    where, detail = _restriction_detail(r, restriction)
    kind = el("strong", r.t(_RESTRICTION_LABELS[restriction.kind]))
    return join([kind, where, detail], " — ")


def _restriction_detail(r: ReportContext, restriction: Restriction) -> tuple[Node, Node]:
    """Where the record shows the restriction (a link) and what it records, in the report's
    language; the restriction's own detail (codes and free text) if the pointer is unknown."""
    e = r.evaluation
    match restriction.pointer.split("/")[1:]:
        case ["sessions", index, *rest] if index.isdigit() and int(index) < len(e.sessions):
            session = e.sessions[int(index)]
            detail = _session_restriction(r, restriction.kind, session, rest)
            return session_ref(r, session.session_id), detail
        case ["consents", index] if index.isdigit() and int(index) < len(e.consents):
            consent = e.consents[int(index)]
            where = link(f"consent-{consent.consent_id}", r.term(consent.scope))
            return where, join([r.term(consent.decision), consent.limits])
    return None, restriction.detail


def _session_restriction(
    r: ReportContext, kind: RestrictionKind, session: Session, rest: Sequence[str]
) -> Node:
    match kind, rest:
        case RestrictionKind.OFFICIAL_PRESENT, ["persons_present", index] if index.isdigit():
            person = session.persons_present[int(index)]
            return join([r.term(person.role), person.justification])
        case RestrictionKind.RESTRAINED, _:
            return r.maybe(session.restraints.type)
        case RestrictionKind.NOT_PRIVATE, _:
            return r.term(session.privacy)
        case RestrictionKind.TIME_LIMITED, _:
            return session.limitation_note
        case RestrictionKind.INTERPRETER_NOT_INDEPENDENT, _:
            interpreter = r.interpreters.get(session.interpreter or "")
            ties = interpreter.ties if interpreter is not None else ()
            return r.terms(tie for tie in ties if tie in NON_INDEPENDENT_INTERPRETER)
    return None


def _consent(r: ReportContext) -> Html | None:
    consents = r.evaluation.consents
    if not consents:
        return None
    headers = ["consent_scope", "consent_decision", "consent_limits", "refusal_reason"]
    headers += ["obtained_at", "obtained_by", "how_obtained"]
    return table(r, headers, tbody(_consent_row(r, c) for c in consents), class_="consents")


def _consent_row(r: ReportContext, c: ConsentRecord) -> Html:
    decision: Node = r.term(c.decision)
    if not c.permits:
        decision = el("strong", decision)
    withdrawn = r.pair("withdrawn_at", moment(c.withdrawn_at) if c.withdrawn_at else None)
    proxy = None
    if c.proxy is not None:  # the proxy's name stays out: a third party
        proxy = r.pair("proxy", f"{c.proxy.relationship} ({c.proxy.authority})")
    how = join(
        [
            r.term(c.method),
            r.term(c.capacity),
            r.pair("voluntary", r.yes_no(c.voluntary)),
            r.pair("informed_of_all", r.yes_no(c.informed.all_explained())),
            r.pair("consent_language", c.language),
            proxy,
        ]
    )
    return row(
        [
            r.term(c.scope),
            join([decision, withdrawn]),
            c.limits,
            c.refusal_reason,
            moment(c.obtained_at),
            r.clinician(c.obtained_by),
            how,
        ],
        id=f"consent-{c.consent_id}",
    )


# --- history and symptoms ---------------------------------------------------------------------


def _history(r: ReportContext) -> Html | None:
    return blocks(*(_alleged_event(r, event) for event in r.evaluation.alleged_events))


def _alleged_event(r: ReportContext, event: AllegedEvent) -> Html:
    perpetrators = None
    if event.perpetrators is not None:  # their names are left out of the report
        p = event.perpetrators
        number = str(p.number) if p.number is not None else None
        perpetrators = join([p.affiliation, p.uniform, p.rank, r.pair("number", number)])
    fields = [
        ("date", _approximate_date(r, event.when)),
        ("duration", event.duration),
        ("custody_context", r.maybe(event.custody_context)),
        ("perpetrators", perpetrators),
        ("perception_limits", r.terms(event.perception_limits)),
        ("conditions_of_detention", event.conditions_of_detention),
        ("disclosure", event.disclosure_timing),
    ]
    return el(
        "article",
        h3(f"{r.t('alleged_event')} {event.event_id}"),
        dl(r, fields),
        _narrative(r, event),
        blocks(*(_method(r, m) for m in event.methods)),
        id=f"event-{event.event_id}",
        class_="event",
    )


def _approximate_date(r: ReportContext, when: ApproximateDate) -> Node:
    if when.earliest is None or when.precision is DatePrecision.UNKNOWN:
        return r.term(when.precision)
    span: Node = day(when.earliest)
    if when.latest is not None and when.latest != when.earliest:
        span = join([span, day(when.latest)], f" {RANGE} ")
    return join([span, f"({r.term(when.precision)})"], " ")


def _narrative(r: ReportContext, event: AllegedEvent) -> Html:
    """The account, marked as the person's own words or a summary, in its own language."""
    n = event.narrative
    kind = "verbatim" if n.verbatim else "summary"
    lang = n.language if n.language != r.language else None
    return el(
        "figure",
        el("figcaption", r.term(n.source), " · ", r.t(kind)),
        el("blockquote", n.text, class_=kind, lang=lang),
        class_="narrative",
    )


def _method(r: ReportContext, m: AllegedMethod) -> Html:
    category_codes = ", ".join(HURIDOCS_CODES.get(m.category, ()))
    huridocs = join([m.huridocs_code, r.pair("category_codes", category_codes or None)])
    fields = [
        ("description", m.description),
        ("huridocs_codes", huridocs),
        ("method_instrument", m.instrument),
        ("body_regions", r.terms(m.body_regions)),
        ("position", m.position),
        ("frequency", m.frequency),
        ("duration", m.duration),
        ("subject_conscious", r.maybe(m.subject_conscious)),
        ("acute_sequelae", m.acute_sequelae),
    ]
    return el(
        "section",
        el("h4", f"{r.t('alleged_method')} {m.method_id} — {r.term(m.category)}"),
        dl(r, fields),
        id=f"method-{m.method_id}",
        class_="method",
    )


def _symptoms(r: ReportContext) -> Html | None:
    symptoms = r.evaluation.symptoms
    if not symptoms:
        return None
    headers = ["symptom_domain", "complaint", "onset", "current", "course", "disability"]
    rows = (_symptom_row(r, s) for s in symptoms)
    return table(r, [*headers, "treatment"], tbody(rows))


def _symptom_row(r: ReportContext, s: Symptom) -> Html:
    course = join(
        [
            r.pair("severity", s.severity),
            r.pair("frequency", s.frequency),
            r.pair("duration", s.duration),
        ]
    )
    cells = [r.term(s.domain), s.description, s.onset, r.yes_no(s.current), course]
    return row([*cells, s.disability, s.treatment], id=f"symptom-{s.symptom_id}")


#: This module's sections, in the order of the report.
CASE_PARTS: Final = (
    Part("case-and-context", "case_and_context", True, _case_and_context),
    Part("clinicians", "clinicians", False, _clinicians),
    Part("conditions", "conditions", False, _conditions),
    Part("restrictions", "restrictions", False, _restrictions),
    Part("consent", "consent", False, _consent),
    Part("history", "history_and_allegations", True, _history),
    Part("symptoms", "symptoms", False, _symptoms),
)
