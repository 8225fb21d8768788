"""What every section of the medical report reads, and the pieces several sections share.

The sections are functions of a :class:`ReportContext` (named ``r`` throughout): the
evaluation, the report's language, what the caller gave, and lookups by identifier. Each
module of sections lists its own in report order as :class:`Part` s.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from custody.medical import (
    AllegedMethod,
    BodyLocation,
    DiagramAnnotation,
    Evaluation,
    Interpreter,
    PhysicalFinding,
)
from custody.report._html import TIMES, Html, Node, el, escaped, link
from custody.report._i18n import label, term

if TYPE_CHECKING:
    from custody.report._medical_report import ReviewNote, Signature

__all__ = [
    "Part",
    "ReportContext",
    "body_location",
    "dl",
    "finding_ref",
    "finding_summary",
    "method_ref",
    "none_recorded",
    "session_ref",
    "table",
]


def _by_id(items: Iterable[Any], key: str) -> dict[str, Any]:
    return {getattr(item, key): item for item in items}


@attrs.frozen
class ReportContext:
    """What every section reads: the evaluation, the report's language, what the caller gave,
    and lookups by identifier. The functions that build the sections take it as ``r``."""

    evaluation: Evaluation
    language: str
    signatures: Mapping[str, Signature]
    photo_files: Mapping[str, bytes]
    digest: str | None
    reviews: Sequence[ReviewNote] | None
    findings: Mapping[str, PhysicalFinding] = attrs.field(init=False)
    methods: Mapping[str, AllegedMethod] = attrs.field(init=False)
    interpreters: Mapping[str, Interpreter] = attrs.field(init=False)
    marks: Mapping[str, tuple[DiagramAnnotation, ...]] = attrs.field(init=False)

    @findings.default
    def _findings(self) -> Mapping[str, PhysicalFinding]:
        return _by_id(self.evaluation.findings, "finding_id")

    @methods.default
    def _methods(self) -> Mapping[str, AllegedMethod]:
        events = self.evaluation.alleged_events
        return _by_id((m for event in events for m in event.methods), "method_id")

    @interpreters.default
    def _interpreters(self) -> Mapping[str, Interpreter]:
        return _by_id(self.evaluation.interpreters, "interpreter_id")

    @marks.default
    def _marks(self) -> Mapping[str, tuple[DiagramAnnotation, ...]]:
        marks: dict[str, list[DiagramAnnotation]] = {}
        for annotation in self.evaluation.diagram_annotations:
            marks.setdefault(annotation.finding, []).append(annotation)
        return {finding: tuple(found) for finding, found in marks.items()}

    def t(self, key: str) -> str:
        """The heading or field label ``key`` in the report's language."""
        return label(key, self.language)

    def term(self, member: enum.Enum) -> str:
        """An enumeration member's label in the report's language."""
        return term(member, self.language)

    def maybe(self, member: enum.Enum | None) -> str | None:
        return None if member is None else self.term(member)

    def terms(self, members: Iterable[enum.Enum]) -> str | None:
        return ", ".join(self.term(member) for member in members) or None

    def yes_no(self, value: bool | None) -> str | None:
        return None if value is None else self.t("yes" if value else "no")

    def pair(self, key: str, value: Node) -> Html | None:
        """``Label: value``, for several facts on one line; ``None`` without a value."""
        if value is None or value == "":
            return None
        return el("span", el("span", self.t(key), ":", class_="k"), " ", value, class_="pair")

    def clinician(self, clinician_id: str) -> str:
        found = self.evaluation.evaluator(clinician_id)
        return found.name if found is not None else clinician_id

    def prose(self, text: str | None) -> Html | None:
        """A paragraph of free text, marked with its language when it is not the report's."""
        if text is None:
            return None
        written = self.evaluation.language
        return el("p", text, class_="prose", lang=written if written != self.language else None)


@attrs.frozen
class Part:
    """A section of the report: its anchor, its heading, whether it starts a printed page."""

    id: str
    key: str
    new_page: bool
    body: Callable[[ReportContext], Html | None]


# --- pieces several sections use --------------------------------------------------------------


def dl(r: ReportContext, rows: Iterable[tuple[str, Node]]) -> Html | None:
    """Fields as a definition list, label then value; rows without a value left out."""
    entries = [
        el("div", el("dt", r.t(key)), el("dd", value))
        for key, value in rows
        if value is not None and value != ""
    ]
    return el("dl", entries, class_="fields") if entries else None


def table(
    r: ReportContext, headers: Sequence[str], *bodies: Html, class_: str | None = None
) -> Html:
    """A table with a header row of labels (by key) and the ``tbody`` elements given."""
    head = el("thead", el("tr", (el("th", r.t(key), scope="col") for key in headers)))
    return el("table", head, bodies, class_=class_)


def none_recorded(r: ReportContext) -> Html:
    return el("p", r.t("none_recorded"), class_="none")


def finding_ref(r: ReportContext, finding_id: str) -> Html:
    """A link to a finding's row with its short description (plain if it is not there)."""
    finding = r.findings.get(finding_id)
    if finding is None:
        return escaped(finding_id)
    anchor = link(f"finding-{finding_id}", finding_id)
    return Html(anchor + escaped(f" — {finding_summary(r, finding)}"))


def method_ref(r: ReportContext, method_id: str) -> Html:
    method = r.methods.get(method_id)
    if method is None:
        return escaped(method_id)
    return link(f"method-{method_id}", f"{method_id} — {r.term(method.category)}")


def session_ref(r: ReportContext, session_id: str) -> Html:
    known = any(s.session_id == session_id for s in r.evaluation.sessions)
    text = f"{r.t('session')} {session_id}"
    return link(f"session-{session_id}", text) if known else escaped(text)


def body_location(r: ReportContext, location: BodyLocation) -> str:
    parts = [r.term(location.region), r.maybe(location.laterality), r.maybe(location.aspect)]
    if location.landmark is not None:
        distance = f" ({location.distance_mm} mm)" if location.distance_mm is not None else ""
        parts.append(f"{r.t('landmark')}: {location.landmark}{distance}")
    return ", ".join(part for part in parts if part)


def finding_summary(r: ReportContext, finding: PhysicalFinding) -> str:
    """A short description in the report's language: the type of finding and where it is."""
    what = r.term(finding.lesion_type) if finding.lesion_type else r.term(finding.kind)
    count = f" ({TIMES}{finding.count})" if finding.count > 1 else ""
    return f"{what}{count}, {body_location(r, finding.location)}"
