"""The sections of the medical report about the examinations: physical examination, body
diagrams, photographs, samples and psychological evaluation."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Sequence
from typing import Final

from PIL import Image

from custody.errors import CustodyError
from custody.medical import (
    AgeEstimate,
    Diagnosis,
    DiagnosticTest,
    DiagramAnnotation,
    DiagramView,
    Evaluation,
    FindingKind,
    Inconsistency,
    Instrument,
    Photograph,
    PhysicalFinding,
    PsychologicalEvaluation,
    Sample,
    Size,
    photograph_consent_withdrawn,
    photograph_is_intimate,
)
from custody.report._diagrams import Marker, draw_diagram
from custody.report._html import (
    RANGE,
    TIMES,
    Html,
    Node,
    blocks,
    code,
    data_uri,
    day,
    el,
    h3,
    join,
    link,
    moment,
    note,
    placeholder,
    row,
    tbody,
    void,
)
from custody.report._report_context import (
    Part,
    ReportContext,
    body_location,
    dl,
    finding_ref,
    finding_summary,
    method_ref,
    none_recorded,
    session_ref,
    table,
)
from custody.report._thumbnails import make_thumbnail

__all__ = ["DIAGRAM_DPI", "EXAMINATION_PARTS", "diagram_files"]

#: The resolution the body diagrams are drawn at (the whole-body view is A5 at this dpi).
DIAGRAM_DPI: Final = 300


# --- physical examination ---------------------------------------------------------------------

_FINDING_COLUMNS = (
    "diagram_number",
    "finding",
    "body_system",
    "finding_kind",
    "lesion_type",
    "location_on_body",
    "size",
    "shape",
    "colour",
    "surface",
    "borders",
    "healing_stage",
    "estimated_age",
    "subject_attribution",
)


def _physical_examination(r: ReportContext) -> Html | None:
    findings = r.evaluation.findings
    positive = [f for f in findings if f.kind is not FindingKind.NEGATIVE_FINDING]
    negative = [f for f in findings if f.kind is FindingKind.NEGATIVE_FINDING]
    findings_table = negative_list = None
    if positive:
        bodies = (_finding_rows(r, f) for f in positive)
        findings_table = table(r, _FINDING_COLUMNS, *bodies, class_="findings")
    if negative:
        negative_list = el("ul", (_negative(r, f) for f in negative), class_="negative")
    return blocks(
        h3(r.t("findings")),
        findings_table or none_recorded(r),
        h3(r.t("negative_findings")),
        negative_list or none_recorded(r),
        _diagnostic_tests(r),
    )


def _finding_rows(r: ReportContext, f: PhysicalFinding) -> Html:
    """A finding's row of attributes and, below it, its description and the rest."""
    colours = join([r.terms(f.colours), f.colour_note])
    borders = None
    if f.borders is not None:
        b = f.borders
        borders = join([r.maybe(b.definition), r.maybe(b.regularity), b.description], ", ")
    lesion = join([r.maybe(f.lesion_type), r.maybe(f.burn_depth)], ", ")
    cells = [
        _diagram_numbers(r, f.finding_id),
        el("strong", f.finding_id),
        r.term(f.system),
        r.term(f.kind),
        lesion,
        body_location(r, f.location),
        _size(r, f.size, f.size_not_measurable_reason),
        r.maybe(f.shape),
        colours,
        join([r.maybe(f.surface), r.maybe(f.level)], ", "),
        borders,
        r.maybe(f.healing_stage),
        _estimated_age(r, f.estimated_age),
        _attribution(r, f),
    ]
    main = row(cells, id=f"finding-{f.finding_id}")
    detail = el(
        "tr", el("td", _finding_details(r, f), colspan=len(_FINDING_COLUMNS)), class_="detail"
    )
    return el("tbody", main, detail)


def _size(r: ReportContext, size: Size | None, reason: str | None) -> Node:
    if size is None:
        return join([r.t("not_measurable"), reason], ": ") if reason else None
    dimensions = f" {TIMES} ".join(str(d) for d in (size.length_mm, size.width_mm) if d is not None)
    depth = f"; {r.t('depth')} {size.depth_mm} mm" if size.depth_mm is not None else ""
    return f"{dimensions} mm{depth} ({r.term(size.method)})"


def _estimated_age(r: ReportContext, estimate: AgeEstimate | None) -> Node:
    if estimate is None:
        return None
    unit = r.t("day" if estimate.max_days == 1 else "days")
    span = f"{estimate.min_days}{RANGE}{estimate.max_days} {unit}"
    if estimate.min_days == estimate.max_days:
        span = f"{estimate.min_days} {unit}"
    confidence = r.pair("confidence", r.term(estimate.confidence))
    return join([span, confidence, r.pair("basis", estimate.basis)])


def _finding_details(r: ReportContext, f: PhysicalFinding) -> Html | None:
    examined = moment(f.examined_at) if f.examined_at else None
    photos = join((link(f"photo-{p}", p) for p in f.photographs), ", ")
    tests = join((link(f"test-{t}", t) for t in f.diagnostic_tests), ", ")
    facts = join(
        [
            r.pair("count", str(f.count) if f.count > 1 else None),
            r.pair("arrangement", r.maybe(f.arrangement)),
            r.pair("pattern", f.pattern_match),
            r.pair("tenderness_or_function", f.tenderness_or_function),
            r.pair("observed_by_examiner", r.yes_no(f.independent_of_self_report)),
            r.pair("examined_by", r.clinician(f.examiner)),
            r.pair("examined_at", examined),
            r.pair("session", session_ref(r, f.session)),
            r.pair("photographs", photos),
            r.pair("diagnostic_tests", tests),
        ],
        " · ",
    )
    return blocks(el("p", f.description, class_="description"), el("p", facts, class_="facts"))


def _attribution(r: ReportContext, f: PhysicalFinding) -> Node:
    attribution = f.attribution
    method = method_ref(r, attribution.method) if attribution.method else None
    return join([r.term(attribution.kind), method], ": ")


def _diagram_numbers(r: ReportContext, finding_id: str) -> Node:
    marks = r.marks.get(finding_id, ())
    return join(
        (
            link(f"diagram-{a.view.value}", f"{a.number} ({r.term(a.view)})")
            for a in sorted(marks, key=lambda a: (list(DiagramView).index(a.view), a.number))
        ),
        ", ",
    )


def _negative(r: ReportContext, f: PhysicalFinding) -> Html:
    where = f"{r.term(f.system)}, {body_location(r, f.location)}"
    return el(
        "li",
        el("strong", f.finding_id),
        " — ",
        where,
        ": ",
        f.description,
        id=f"finding-{f.finding_id}",
    )


def _diagnostic_tests(r: ReportContext) -> Html | None:
    tests = r.evaluation.diagnostic_tests
    if not tests:
        return None
    headers = ["test", "performed_at", "result", "findings"]
    return blocks(
        h3(r.t("diagnostic_tests")),
        table(r, headers, tbody(_test_row(r, t) for t in tests)),
    )


def _test_row(r: ReportContext, t: DiagnosticTest) -> Html:
    findings = join((finding_ref(r, f) for f in t.findings), "; ")
    cells = [join([el("strong", t.test_id), t.name], " — "), moment(t.performed_at)]
    return row([*cells, t.result, findings], id=f"test-{t.test_id}")


# --- body diagrams ----------------------------------------------------------------------------


def _body_diagrams(r: ReportContext) -> Html | None:
    return blocks(*(_diagram(r, view, marks) for view, marks in _marks_by_view(r.evaluation)))


def _marks_by_view(
    evaluation: Evaluation,
) -> list[tuple[DiagramView, list[DiagramAnnotation]]]:
    """The views the annotations use, in the enumeration's order, each with its marks."""
    by_view: dict[DiagramView, list[DiagramAnnotation]] = {}
    for annotation in evaluation.diagram_annotations:
        by_view.setdefault(annotation.view, []).append(annotation)
    return [
        (view, sorted(by_view[view], key=lambda a: a.number))
        for view in DiagramView
        if view in by_view
    ]


def _diagram(r: ReportContext, view: DiagramView, marks: Sequence[DiagramAnnotation]) -> Html:
    """One view with its numbered marks, and its legend as text linking to the findings."""
    legend = "; ".join(f"{a.number}. {_legend_text(r, a)}" for a in marks)
    alt = f"{r.t('body_diagram')}, {r.term(view)}: {legend}"
    entries = (
        el("li", link(f"finding-{a.finding}", a.finding), ": ", _legend_text(r, a), value=a.number)
        for a in marks
    )
    return el(
        "figure",
        _diagram_image(r, view, marks, alt),
        el("figcaption", el("strong", r.term(view)), el("ol", entries, class_="legend")),
        id=f"diagram-{view.value}",
        class_="diagram",
    )


def _legend_text(r: ReportContext, annotation: DiagramAnnotation) -> str:
    """A mark's short description in the report's language: what the finding is, where."""
    finding = r.findings.get(annotation.finding)
    return finding_summary(r, finding) if finding is not None else annotation.finding


def _drawn(r: ReportContext, view: DiagramView, marks: Sequence[DiagramAnnotation]) -> Image.Image:
    """The diagram of ``view`` with ``marks``, titled and with its legend, in the language.

    Raises:
        CustodyError: the marks cannot be drawn (two with one number, say).
    """
    # A marker's label is one line of at most 200 characters.
    markers = [
        Marker(a.number, a.x, a.y, f"{a.finding}: {_legend_text(r, a)}"[:200]) for a in marks
    ]
    return draw_diagram(view, markers, dpi=DIAGRAM_DPI, title=r.term(view), language=r.language)


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG", dpi=(DIAGRAM_DPI, DIAGRAM_DPI))
    return out.getvalue()


def _diagram_image(
    r: ReportContext, view: DiagramView, marks: Sequence[DiagramAnnotation], alt: str
) -> Html:
    try:
        image = _drawn(r, view, marks)
    except CustodyError:  # the legend below still lists every mark
        return placeholder(r.t("diagram_not_available"))
    width, height = (round(side * 96 / DIAGRAM_DPI) for side in image.size)  # CSS pixels
    uri = data_uri("image/png", _png(image))
    return void("img", src=uri, alt=alt, width=width, height=height)


def diagram_files(r: ReportContext) -> dict[str, bytes]:
    """The body diagrams as the report draws them: PNG files by view code, in the views' order.

    Raises:
        CustodyError: a view's marks cannot be drawn.
    """
    return {
        view.value: _png(_drawn(r, view, marks)) for view, marks in _marks_by_view(r.evaluation)
    }


# --- photographs ------------------------------------------------------------------------------


def _photographs(r: ReportContext) -> Html | None:
    photos = r.evaluation.photographs
    if not photos:
        return None
    return blocks(
        note(r.t("photographs_note")),
        el("div", (_photo(r, p) for p in photos), class_="photo-grid"),
    )


def _photo(r: ReportContext, p: Photograph) -> Html:
    caption = el("figcaption", el("strong", p.photo_id, " — ", r.term(p.role)), _photo_facts(r, p))
    return el("figure", _picture(r, p), caption, id=f"photo-{p.photo_id}", class_="photo")


def _picture(r: ReportContext, p: Photograph) -> Html:
    """The thumbnail, or a placeholder saying why there is none."""
    if photograph_is_intimate(r.evaluation, p):
        return placeholder(r.t("intimate_not_reproduced"), "intimate")
    withdrawn = photograph_consent_withdrawn(r.evaluation, p)
    if withdrawn is not None:
        return placeholder(f"{r.t('consent_withdrawn_not_reproduced')} {withdrawn.date()}")
    data = r.photo_files.get(p.photo_id)
    if data is None:
        return placeholder(f"{r.t('image_not_available')}: {r.t('image_not_supplied')}")
    if hashlib.sha256(data).hexdigest() != p.sha256.lower():
        return placeholder(f"{r.t('image_not_available')}: {r.t('image_hash_mismatch')}")
    thumbnail = make_thumbnail(data)
    if thumbnail is None:
        return placeholder(f"{r.t('image_not_available')}: {r.t('image_unreadable')}")
    alt = f"{r.t('photograph')} {p.photo_id}: {r.term(p.role)}"
    if p.body_region is not None:
        alt += f", {r.term(p.body_region)}"
    uri = data_uri("image/jpeg", thumbnail.jpeg)
    return void("img", src=uri, alt=alt, width=thumbnail.width, height=thumbnail.height)


def _photo_facts(r: ReportContext, p: Photograph) -> Html | None:
    findings = join((finding_ref(r, f) for f in p.findings), "; ")
    scale = join([r.yes_no(p.scale_present), r.maybe(p.scale_type)], ", ")
    colour = join([r.yes_no(p.colour_reference_present), p.colour_reference_type], ", ")
    derived = None
    if p.derived_from is not None:
        derived = join([link(f"photo-{p.derived_from}", p.derived_from), p.transformation], ", ")
    fields = [
        ("body_region", r.maybe(p.body_region)),
        ("findings_shown", findings),
        ("scale", scale),
        ("colour_reference", colour),
        ("missing_reference_reason", p.missing_reference_reason),
        ("lighting", r.maybe(p.lighting)),
        ("quality", r.terms(p.quality_flags)),
        ("captured_at", moment(p.captured_at)),
        ("captured_by", r.clinician(p.captured_by)),
        ("device", p.device),
        ("derived_from", derived),
        ("location_metadata", r.term(p.location_metadata)),
        ("evidence_item", code(p.item)),
        ("sha256_original", code(p.sha256)),
    ]
    return dl(r, fields)


# --- samples ----------------------------------------------------------------------------------


def _samples(r: ReportContext) -> Html | None:
    samples = r.evaluation.samples
    if not samples:
        return None
    headers = ["sample", "sample_type", "collected", "collection", "seal", "storage"]
    rows = (_sample_row(r, s) for s in samples)
    return table(r, [*headers, "analyses", "results"], tbody(rows))


def _sample_row(r: ReportContext, s: Sample) -> Html:
    collected = join([moment(s.collected_at), r.clinician(s.collected_by)])
    consent = link(f"consent-{s.consent}", s.consent)
    collection = join([s.method, s.container, r.pair("site", s.site), r.pair("consent", consent)])
    sample = join([el("strong", s.sample_id), r.pair("evidence_item", code(s.item))], " — ")
    seal = join([code(s.seal), r.pair("label_text", s.label_text)])
    cells = [sample, r.term(s.type), collected, collection, seal, r.term(s.storage)]
    return row([*cells, r.terms(s.analyses), s.results], id=f"sample-{s.sample_id}")


# --- psychological evaluation -----------------------------------------------------------------

_HISTORY_FIELDS = (
    "pre_torture",
    "torture_and_detention",
    "post_torture",
    "current_complaints",
    "past_psychiatric",
    "substance_use",
    "medical_incl_head_injury",
)
_MENTAL_STATUS_FIELDS = (
    "appearance_behaviour",
    "rapport",
    "speech",
    "mood",
    "affect",
    "perception",
    "thought_content",
    "thought_process",
    "cognition",
    "insight_judgement",
)
_OTHER_PSYCHOLOGICAL_FIELDS = (
    "social_functioning",
    "neuropsychological_assessment",
    "coexisting_stressors",
    "protective_factors_and_coping",
    "course_and_timeframe",
    "physical_contributors",
)


def _psychological(r: ReportContext) -> Html | None:
    evaluations = r.evaluation.psychological_evaluations
    return blocks(*(_psychological_evaluation(r, pe) for pe in evaluations))


def _psychological_evaluation(r: ReportContext, pe: PsychologicalEvaluation) -> Html:
    sessions = join((session_ref(r, s) for s in pe.sessions), ", ")
    return el(
        "article",
        h3(f"{r.t('psychological_evaluation')} {pe.psych_eval_id}"),
        dl(
            r,
            [
                ("evaluator", r.clinician(pe.evaluator)),
                ("sessions", sessions),
                ("cultural_and_language_considerations", pe.cultural_and_language_considerations),
            ],
        ),
        el("h4", r.t("psychological_history")),
        _fields_of(r, pe.history, _HISTORY_FIELDS),
        el("h4", r.t("mental_status")),
        _fields_of(r, pe.mental_status, _MENTAL_STATUS_FIELDS),
        _fields_of(r, pe, _OTHER_PSYCHOLOGICAL_FIELDS),
        _instruments(r, pe.instruments),
        _diagnoses(r, pe.diagnoses),
        _consistency_of_account(r, pe),
        id=f"psych-{pe.psych_eval_id}",
    )


def _fields_of(r: ReportContext, record: object, names: Sequence[str]) -> Html:
    """The free-text attributes ``names`` of ``record``, labelled by the same keys."""
    return dl(r, [(name, getattr(record, name)) for name in names]) or none_recorded(r)


def _instruments(r: ReportContext, instruments: Sequence[Instrument]) -> Html | None:
    if not instruments:
        return None
    headers = ["instrument", "instrument_language", "validated_for_population"]
    headers += ["administered", "score", "score_interpretation"]
    return blocks(
        el("h4", r.t("instruments")),
        note(r.t("instrument_caution")),
        table(r, headers, tbody(_instrument_row(r, i) for i in instruments)),
    )


def _instrument_row(r: ReportContext, i: Instrument) -> Html:
    validated: Node = r.yes_no(i.validated_for_population)
    if not i.validated_for_population:
        validated = el("strong", join([validated, r.t("not_validated_caution")], ": "))
    administered = join([r.clinician(i.administered_by), day(i.administered_on)], ", ")
    name = join([i.name, i.version], ", ")
    cells = [name, i.language, validated, administered, i.raw_score, i.interpretation]
    return row(cells)


def _diagnoses(r: ReportContext, diagnoses: Sequence[Diagnosis]) -> Html:
    heading = el("h4", r.t("diagnoses"))
    if not diagnoses:
        return blocks(heading, note(r.t("no_diagnosis"))) or heading
    headers = ["classification", "code", "diagnosis", "certainty", "date", "criteria_met"]
    rows = (
        row(
            [
                r.term(d.system),
                code(d.code),
                d.label,
                r.term(d.certainty),
                day(d.made_on),
                d.criteria_met,
            ]
        )
        for d in diagnoses
    )
    return blocks(heading, table(r, headers, tbody(rows))) or heading


def _consistency_of_account(r: ReportContext, pe: PsychologicalEvaluation) -> Html | None:
    exaggeration = None
    if pe.exaggeration is not None:
        x = pe.exaggeration
        exaggeration = join(
            [
                r.pair("suspected", r.yes_no(x.suspected)),
                r.pair("second_opinion_obtained", r.yes_no(x.second_opinion_obtained)),
                r.pair("grounds", x.grounds),
            ]
        )
    return blocks(
        el("h4", r.t("consistency_of_account")),
        _inconsistencies(r, pe.inconsistencies),
        dl(
            r,
            [
                ("internal_consistency_notes", pe.internal_consistency_notes),
                ("external_consistency_notes", pe.external_consistency_notes),
                ("exaggeration", exaggeration),
            ],
        ),
    )


def _inconsistencies(r: ReportContext, inconsistencies: Sequence[Inconsistency]) -> Html | None:
    if not inconsistencies:
        return None
    headers = ["inconsistency", "possible_explanations", "clarification_sought"]
    rows = (
        row([i.description, i.possible_explanations, r.yes_no(i.clarification_sought)])
        for i in inconsistencies
    )
    return table(r, headers, tbody(rows))


#: This module's sections, in the order of the report.
EXAMINATION_PARTS: Final = (
    Part("physical-examination", "physical_examination", True, _physical_examination),
    Part("body-diagrams", "body_diagrams", True, _body_diagrams),
    Part("photographs", "photographs", True, _photographs),
    Part("samples", "samples", False, _samples),
    Part("psychological-evaluation", "psychological_evaluation", True, _psychological),
)
