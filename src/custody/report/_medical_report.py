"""The medical report: an Istanbul Protocol evaluation as one self-contained HTML document.

:func:`render_medical_report` turns an :class:`~custody.medical.Evaluation` into the report a
court reads, in the order of a medico-legal report under the Protocol (IP22 ¶356, annex IV):
case and context, clinicians, conditions and restrictions, consent, history, symptoms,
physical examination, body diagrams, photographs, samples, psychological evaluation,
interpretation, overall opinion, recommendations, departures, declarations, signatures and
addenda. Every section carries a stable ``id`` (``#physical-examination``), every finding
``#finding-<id>``, every alleged method ``#method-<id>``, so opinions link to what they assess.

What the document holds, and what it does not:

* Labels and enumeration values are in the report's language (``custody.report._i18n``);
  free text is reproduced as the evaluators wrote it, in the evaluation's language. All text
  is HTML-escaped: an evaluation document is untrusted input.
* It is self-contained: CSS inline, images as ``data:`` URIs, no script, no external
  resource. Print CSS sets A4 pages and starts the major sections on a new page.
* Privacy. The subject appears under the pseudonym with non-identifying facts only. Fields
  the model marks as sensitive (the place of detention, the places of sessions and events,
  the names of perpetrators, interpreters and other persons present, case numbers elsewhere)
  are left out. Intimate photographs are never reproduced, only described. Other photographs
  appear as thumbnails re-encoded from their decoded pixels: upright, at most
  :data:`THUMBNAIL_SIDE` pixels, without EXIF, GPS or any other metadata, and only when the
  bytes given hash to the SHA-256 the evaluation records.
* Signatures are shown as the caller gives them; nothing here verifies them
  (``custody.verify`` does). The status line is the caller's, or derived from the
  signatures given.
* The output depends only on the arguments (and on the installed Pillow and fonts): the same
  input gives the same text. No clock is read.
"""

from __future__ import annotations

import base64
import enum
import hashlib
import html
import io
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any, Final

import attrs
from PIL import Image, ImageOps, UnidentifiedImageError

from custody.errors import CustodyError, InvalidInput

# libjpeg decodes a damaged JPEG without an error, as grey or smeared blocks, and a court must
# not be shown such a picture as the photograph; intake's walk over the JPEG markers finds the
# damage. It is private to intake, which should export a version for bytes.
from custody.intake import jpeg_structure_problem
from custody.medical import (
    HURIDOCS_CODES,
    NON_INDEPENDENT_INTERPRETER,
    AgeEstimate,
    AllegedEvent,
    AllegedMethod,
    AlternativeCause,
    ApproximateDate,
    BodyLocation,
    Clinician,
    ConsentRecord,
    ConsistencyLevel,
    ConsistencyOpinion,
    ConsistencyStatus,
    DatePrecision,
    Declaration,
    Departure,
    Diagnosis,
    DiagnosticTest,
    DiagramAnnotation,
    DiagramView,
    Evaluation,
    EvaluationState,
    EvaluationStatus,
    Experience,
    FindingKind,
    Inconsistency,
    Independence,
    Instrument,
    Interpreter,
    OpinionTarget,
    PersonPresent,
    Photograph,
    PhysicalFinding,
    PsychologicalEvaluation,
    Registration,
    Restriction,
    RestrictionKind,
    RuleProblem,
    Sample,
    Session,
    Size,
    Subject,
    Symptom,
    TargetKind,
    restrictions,
    validate,
)
from custody.report._diagrams import Marker, draw_diagram
from custody.report._i18n import LABELS, LANGUAGES, label, term

__all__ = [
    "DIAGRAM_DPI",
    "MAX_PHOTO_PIXELS",
    "THUMBNAIL_SIDE",
    "PhotoImage",
    "Signature",
    "diagram_png_for",
    "render_medical_report",
    "signatures_of",
]

#: The longest side of a photograph's thumbnail, in pixels.
THUMBNAIL_SIDE: Final = 480
#: The largest photograph decoded for a thumbnail, in pixels (below Pillow's own warning
#: limit); a larger one is shown as "image not available".
MAX_PHOTO_PIXELS: Final = 80_000_000
#: The resolution the body diagrams are drawn at (the whole-body view is A5 at this dpi).
DIAGRAM_DPI: Final = 300

_THUMBNAIL_QUALITY = 85
_PHOTO_FORMATS = ("JPEG", "PNG", "TIFF", "WEBP")
# What Pillow raises on files it cannot decode (see custody.intake._derive); MemoryError is
# the machine, not the file, and is left alone.
_DECODE_ERRORS = (
    OSError,
    ValueError,
    SyntaxError,
    EOFError,
    IndexError,
    KeyError,
    ZeroDivisionError,
    TypeError,
    Image.DecompressionBombError,
)
_HEX = re.compile(r"(?:[0-9a-f]{2}){1,64}")
_RANGE = "\u2013"  # an en dash, between the ends of a range
_TIMES = "\u00d7"  # a multiplication sign, between the dimensions of a size


# --- public types -----------------------------------------------------------------------------


def _require_text(value: Any, field: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput("must be non-empty text", field=field)


def _require_hex(value: Any, field: str) -> None:
    if not isinstance(value, str) or not _HEX.fullmatch(value):
        raise InvalidInput("must be lowercase hexadecimal, whole bytes", field=field)


def _require_moment(value: Any, field: str) -> None:
    if not isinstance(value, datetime) or value.tzinfo is None:
        raise InvalidInput("must be a timezone-aware datetime", field=field)


def _require_bytes(value: Any, field: str) -> None:
    if not isinstance(value, bytes):
        raise InvalidInput("must be bytes", field=field)


def _validator(
    check: Callable[[Any, str], None], *, optional: bool = False
) -> Callable[[Any, attrs.Attribute[Any], Any], None]:
    """An attrs validator running ``check`` on the value under the attribute's name."""

    def validate(_: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not (optional and value is None):
            check(value, attribute.name)

    return validate


@attrs.frozen
class Signature:
    """An evaluator's seal on the evaluation, as the report shows it (verified elsewhere).

    Attributes:
        clinician_id: the evaluator who signed, by identifier in the evaluation.
        name: the evaluator's name as signed.
        key_id: the signing key id (lowercase hexadecimal).
        signed_at: when the seal was signed (timezone-aware; shown in UTC).
        digest: the evaluation digest the signature covers (lowercase hexadecimal).
        place: where it was signed.
    """

    clinician_id: str = attrs.field(validator=_validator(_require_text))
    name: str = attrs.field(validator=_validator(_require_text))
    key_id: str = attrs.field(validator=_validator(_require_hex))
    signed_at: datetime = attrs.field(validator=_validator(_require_moment))
    digest: str = attrs.field(validator=_validator(_require_hex))
    place: str | None = attrs.field(
        default=None, validator=_validator(_require_text, optional=True)
    )


@attrs.frozen
class PhotoImage:
    """The file of one photograph of the evaluation, for its thumbnail in the report.

    Attributes:
        photo_id: the photograph's identifier in the evaluation.
        data: the image file's bytes as recorded at intake; shown only if their SHA-256 is
            the one the evaluation records for the photograph.
    """

    photo_id: str = attrs.field(validator=_validator(_require_text))
    data: bytes = attrs.field(validator=_validator(_require_bytes), repr=False)


def render_medical_report(
    evaluation: Evaluation,
    *,
    language: str = "en",
    signatures: Sequence[Signature] = (),
    photographs: Mapping[str, bytes] | Sequence[PhotoImage] | None = None,
    status: str | EvaluationStatus | None = None,
    digest: str | None = None,
) -> str:
    """The medico-legal report of ``evaluation``: a complete, self-contained HTML5 document.

    Args:
        evaluation: the evaluation. It need not pass :func:`custody.medical.validate`: the
            report lists the rules it breaks and its departures from the Protocol.
        language: the language of headings, labels and terms: ``"en"``, ``"es"`` or ``"fr"``.
            Free text is shown as written, in the evaluation's language.
        signatures: the evaluators' seals; an evaluator without one is shown as not signed.
        photographs: the photographs' files by photograph id (a mapping of id to bytes, or a
            sequence of :class:`PhotoImage`). A photograph without a file, or whose file does
            not match its recorded SHA-256 or does not decode completely, is shown as "image
            not available". Intimate photographs are never shown, whatever is given.
        status: the status line of the header, as the caller established it: an
            :class:`~custody.medical.EvaluationStatus` (shown in the report's language) or
            text (shown as given); by default, derived from ``signatures`` and ``digest``.
        digest: the evaluation digest (lowercase hexadecimal) of the version reported;
            signatures over another digest are flagged.

    Returns:
        The HTML text; the same arguments always give the same text.

    Raises:
        InvalidInput: ``language`` is not supported; a signature, a photograph file or the
            digest is malformed; a signature names no evaluator, or one evaluator twice.
    """
    _check_arguments(evaluation, language)
    if digest is not None:
        _require_hex(digest, "digest")
    if status is not None:
        _require_text(status, "status")
    report = _Report(
        evaluation=evaluation,
        language=language,
        signatures=_signatures_by_evaluator(evaluation, signatures),
        photo_files=_photo_files(photographs),
        digest=digest,
    )
    return _document(report, _status_line(report, status))


def signatures_of(state: EvaluationState) -> list[Signature]:
    """The seals on the current version of a recorded evaluation, for the report.

    One signature per evaluator who sealed, in the order of the evaluators, named as the
    evaluation names them. A seal by a key no evaluator declares is left out (the ledger
    refuses those anyway). The seals are read from the ledger's state, not verified again.
    """
    by_key = {seal.key_id.hex(): seal for seal in reversed(state.seals)}  # the first one wins
    return [
        Signature(
            clinician_id=c.clinician_id,
            name=c.name,
            key_id=c.key_id,
            signed_at=by_key[c.key_id].signed_at,
            digest=by_key[c.key_id].digest.hex(),
        )
        for c in state.evaluation.evaluators
        if c.key_id in by_key
    ]


def diagram_png_for(evaluation: Evaluation, *, language: str = "en") -> dict[str, bytes]:
    """The body diagrams of ``evaluation`` as the report draws them, as PNG files.

    Args:
        evaluation: the evaluation; one diagram per view its annotations use.
        language: the language of titles and legends, as for :func:`render_medical_report`.

    Returns:
        PNG bytes at :data:`DIAGRAM_DPI` by view code (``"back"``), in the views' order.

    Raises:
        InvalidInput: ``language`` is not supported, or a view's marks cannot be drawn (two
            marks with one number on the same view).
        CustodyError: Pillow cannot draw text (it was built without FreeType).
    """
    _check_arguments(evaluation, language)
    r = _Report(
        evaluation=evaluation, language=language, signatures={}, photo_files={}, digest=None
    )
    return {view.value: _png(_drawn(r, view, marks)) for view, marks in _marks_by_view(evaluation)}


def _check_arguments(evaluation: Evaluation, language: str) -> None:
    if not isinstance(evaluation, Evaluation):
        raise InvalidInput("must be an Evaluation", field="evaluation")
    if language not in LANGUAGES:
        raise InvalidInput(
            f"unsupported language {language!r}; supported: {', '.join(LANGUAGES)}",
            field="language",
        )


def _signatures_by_evaluator(
    evaluation: Evaluation, signatures: Sequence[Signature]
) -> dict[str, Signature]:
    if isinstance(signatures, str | bytes) or not isinstance(signatures, Sequence):
        raise InvalidInput("must be a sequence of Signature", field="signatures")
    found: dict[str, Signature] = {}
    for index, signature in enumerate(signatures):
        field = f"signatures[{index}]"
        if not isinstance(signature, Signature):
            raise InvalidInput("is not a Signature", field=field)
        attrs.validate(signature)  # validators can be switched off globally
        if evaluation.evaluator(signature.clinician_id) is None:
            raise InvalidInput(f"{signature.clinician_id!r} is not an evaluator", field=field)
        if signature.clinician_id in found:
            raise InvalidInput("is a second signature of the same evaluator", field=field)
        found[signature.clinician_id] = signature
    return found


def _photo_files(
    photographs: Mapping[str, bytes] | Sequence[PhotoImage] | None,
) -> dict[str, bytes]:
    if photographs is None:
        return {}
    if isinstance(photographs, Mapping):
        given = [PhotoImage(photo_id, data) for photo_id, data in photographs.items()]
    elif isinstance(photographs, Sequence) and not isinstance(photographs, str | bytes):
        given = list(photographs)
    else:
        raise InvalidInput("must be a mapping of id to bytes, or PhotoImages", field="photographs")
    files: dict[str, bytes] = {}
    for index, photo in enumerate(given):
        if not isinstance(photo, PhotoImage):
            raise InvalidInput("is not a PhotoImage", field=f"photographs[{index}]")
        attrs.validate(photo)
        files[photo.photo_id] = photo.data
    return files


# --- markup -----------------------------------------------------------------------------------


class Html(str):
    """Markup that is safe as it is: built by :func:`_el` or escaped by :func:`_text`."""

    __slots__ = ()


#: What an element may contain: safe markup, text (escaped when written), nothing, or a run.
Node = Html | str | None
Children = Node | Iterable[Node]

# Elements whose content goes on lines of its own, to keep the source readable.
_BLOCKS = frozenset(
    {
        *("html", "head", "body", "header", "main", "footer", "nav", "section", "article"),
        *("div", "table", "thead", "tbody", "tr", "ul", "ol", "dl", "figure", "figcaption"),
    }
)


def _text(value: str) -> Html:
    """``value`` escaped as an element's content; its line breaks kept as ``<br>``."""
    return Html(html.escape(value, quote=True).replace("\n", "<br>\n"))


def _flatten(children: Iterable[Children]) -> list[str]:
    out: list[str] = []
    for child in children:
        if isinstance(child, Html):
            out.append(child)
        elif isinstance(child, str):
            out.append(_text(child))
        elif child is not None:
            out.extend(_flatten(child))
    return [part for part in out if part]


def _attributes(attributes: Mapping[str, str | int | bool | None]) -> str:
    """` name="value"` pairs, escaped; ``class_`` is written ``class``, ``aria_label``
    ``aria-label``; ``None`` and ``False`` leave the attribute out."""
    parts = []
    for name, value in attributes.items():
        if value is None or value is False:
            continue
        name = name.rstrip("_").replace("_", "-")
        parts.append(f" {name}" if value is True else f' {name}="{html.escape(str(value))}"')
    return "".join(parts)


def _el(tag: str, *children: Children, **attributes: str | int | bool | None) -> Html:
    """The element ``tag`` holding ``children`` (text escaped), with ``attributes`` (escaped)."""
    inner = _flatten(children)
    start, end = f"<{tag}{_attributes(attributes)}>", f"</{tag}>"
    if tag in _BLOCKS and inner:
        return Html(start + "\n" + "\n".join(inner) + "\n" + end)
    return Html(start + "".join(inner) + end)


def _void(tag: str, **attributes: str | int | bool | None) -> Html:
    """A void element: ``img``, ``meta``."""
    return Html(f"<{tag}{_attributes(attributes)}>")


def _join(parts: Iterable[Node], separator: str = "; ") -> Html | None:
    """The parts present, joined by ``separator``; ``None`` when there are none."""
    present = _flatten(parts)
    return Html(_text(separator).join(present)) if present else None


def _blocks(*parts: Node) -> Html | None:
    """Block-level parts one per line; ``None`` when there are none."""
    present = _flatten(parts)
    return Html("\n".join(present)) if present else None


def _data_uri(media_type: str, data: bytes) -> str:
    return f"data:{media_type};base64,{base64.b64encode(data).decode('ascii')}"


# --- the report's view of the evaluation ------------------------------------------------------


def _by_id(items: Iterable[Any], key: str) -> dict[str, Any]:
    return {getattr(item, key): item for item in items}


@attrs.frozen
class _Report:
    """What every section reads: the evaluation, the report's language, what the caller gave,
    and lookups by identifier. The functions that build the sections take it as ``r``."""

    evaluation: Evaluation
    language: str
    signatures: Mapping[str, Signature]
    photo_files: Mapping[str, bytes]
    digest: str | None
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
        return _label(key, self.language)

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
        return _el("span", _el("span", self.t(key), ":", class_="k"), " ", value, class_="pair")

    def clinician(self, clinician_id: str) -> str:
        found = self.evaluation.evaluator(clinician_id)
        return found.name if found is not None else clinician_id

    def prose(self, text: str | None) -> Html | None:
        """A paragraph of free text, marked with its language when it is not the report's."""
        if text is None:
            return None
        written = self.evaluation.language
        return _el("p", text, class_="prose", lang=written if written != self.language else None)


def _label(key: str, language: str) -> str:
    """The label ``key`` from the shared table, else from this module's own table."""
    if key in LABELS:
        return label(key, language)
    return _EXTRA_LABELS[key][LANGUAGES.index(language)]


# --- small pieces -----------------------------------------------------------------------------


def _moment(moment: datetime) -> Html:
    """A date and time in UTC, ISO 8601: ``2026-03-02T09:15:00 UTC``."""
    utc = moment.astimezone(UTC)
    return _el("time", f"{utc:%Y-%m-%dT%H:%M:%S} UTC", datetime=f"{utc:%Y-%m-%dT%H:%M:%SZ}")


def _day(day: date) -> Html:
    return _el("time", day.isoformat(), datetime=day.isoformat())


def _code(value: str) -> Html:
    return _el("code", value)


def _link(target: str, text: Node) -> Html:
    return _el("a", text, href=f"#{target}")


def _list(items: Iterable[Node], **attributes: str | None) -> Html | None:
    entries = [_el("li", item) for item in items if item is not None]
    return _el("ul", entries, **attributes) if entries else None


def _dl(r: _Report, rows: Iterable[tuple[str, Node]]) -> Html | None:
    """Fields as a definition list, label then value; rows without a value left out."""
    entries = [
        _el("div", _el("dt", r.t(key)), _el("dd", value))
        for key, value in rows
        if value is not None and value != ""
    ]
    return _el("dl", entries, class_="fields") if entries else None


def _table(r: _Report, headers: Sequence[str], *bodies: Html, class_: str | None = None) -> Html:
    """A table with a header row of labels (by key) and the ``tbody`` elements given."""
    head = _el("thead", _el("tr", (_el("th", r.t(key), scope="col") for key in headers)))
    return _el("table", head, bodies, class_=class_)


def _row(cells: Iterable[Node], **attributes: str | None) -> Html:
    return _el("tr", (_el("td", cell) for cell in cells), **attributes)


def _tbody(rows: Iterable[Html]) -> Html:
    return _el("tbody", rows)


def _none(r: _Report) -> Html:
    return _el("p", r.t("none_recorded"), class_="none")


def _note(text: str) -> Html:
    return _el("p", text, class_="note")


def _h3(text: Node) -> Html:
    return _el("h3", text)


def _level(r: _Report, opinion_level: ConsistencyLevel | None, status: ConsistencyStatus) -> Html:
    """The level of consistency in the Protocol's exact term, highlighted."""
    if status is ConsistencyStatus.NOT_ASSESSABLE or opinion_level is None:
        return _el("strong", r.term(ConsistencyStatus.NOT_ASSESSABLE), class_="level unassessed")
    return _el("strong", r.term(opinion_level), class_="level", data_level=opinion_level.value)


def _verdict(r: _Report, level: Html) -> Html:
    caption = _el("span", r.t("consistency_level"), ":", class_="k")
    return _el("p", caption, " ", level, class_="verdict")


def _fingerprint(key_id: str) -> Html:
    """A key id in groups of four hexadecimal digits, for reading aloud and comparing."""
    groups = " ".join(key_id[i : i + 4] for i in range(0, len(key_id), 4))
    return _el("code", groups, class_="fingerprint")


def _finding_ref(r: _Report, finding_id: str) -> Html:
    """A link to a finding's row with its short description (plain if it is not there)."""
    finding = r.findings.get(finding_id)
    if finding is None:
        return _text(finding_id)
    link = _link(f"finding-{finding_id}", finding_id)
    return Html(link + _text(f" — {_finding_summary(r, finding)}"))


def _method_ref(r: _Report, method_id: str) -> Html:
    method = r.methods.get(method_id)
    if method is None:
        return _text(method_id)
    return _link(f"method-{method_id}", f"{method_id} — {r.term(method.category)}")


def _session_ref(r: _Report, session_id: str) -> Html:
    known = any(s.session_id == session_id for s in r.evaluation.sessions)
    text = f"{r.t('session')} {session_id}"
    return _link(f"session-{session_id}", text) if known else _text(text)


def _location(r: _Report, location: BodyLocation) -> str:
    parts = [r.term(location.region), r.maybe(location.laterality), r.maybe(location.aspect)]
    if location.landmark is not None:
        distance = f" ({location.distance_mm} mm)" if location.distance_mm is not None else ""
        parts.append(f"{r.t('landmark')}: {location.landmark}{distance}")
    return ", ".join(part for part in parts if part)


def _finding_summary(r: _Report, finding: PhysicalFinding) -> str:
    """A short description in the report's language: the type of finding and where it is."""
    what = r.term(finding.lesion_type) if finding.lesion_type else r.term(finding.kind)
    count = f" ({_TIMES}{finding.count})" if finding.count > 1 else ""
    return f"{what}{count}, {_location(r, finding.location)}"


def _size(r: _Report, size: Size | None, reason: str | None) -> Node:
    if size is None:
        return _join([r.t("not_measurable"), reason], ": ") if reason else None
    dimensions = f" {_TIMES} ".join(
        str(d) for d in (size.length_mm, size.width_mm) if d is not None
    )
    depth = f"; {r.t('depth')} {size.depth_mm} mm" if size.depth_mm is not None else ""
    return f"{dimensions} mm{depth} ({r.term(size.method)})"


def _estimated_age(r: _Report, estimate: AgeEstimate | None) -> Node:
    if estimate is None:
        return None
    unit = r.t("day" if estimate.max_days == 1 else "days")
    span = f"{estimate.min_days}{_RANGE}{estimate.max_days} {unit}"
    if estimate.min_days == estimate.max_days:
        span = f"{estimate.min_days} {unit}"
    confidence = r.pair("confidence", r.term(estimate.confidence))
    return _join([span, confidence, r.pair("basis", estimate.basis)])


def _approximate_date(r: _Report, when: ApproximateDate) -> Node:
    if when.earliest is None or when.precision is DatePrecision.UNKNOWN:
        return r.term(when.precision)
    span: Node = _day(when.earliest)
    if when.latest is not None and when.latest != when.earliest:
        span = _join([span, _day(when.latest)], f" {_RANGE} ")
    return _join([span, f"({r.term(when.precision)})"], " ")


# --- the document -----------------------------------------------------------------------------

# Even if a bug let markup through the escaping, the browser would run no script and fetch
# nothing: only the inline style and data: images are allowed.
_CONTENT_SECURITY_POLICY = (
    "default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
    "base-uri 'none'; form-action 'none'"
)


def _document(r: _Report, status: str) -> str:
    e = r.evaluation
    head = _el(
        "head",
        _void("meta", charset="utf-8"),
        _void("meta", http_equiv="Content-Security-Policy", content=_CONTENT_SECURITY_POLICY),
        _void("meta", name="viewport", content="width=device-width, initial-scale=1"),
        _void("meta", name="generator", content="custody"),
        _el("title", f"{r.t('report_title')} — {e.evaluation_id}"),
        _el("style", Html(_CSS)),
    )
    main = _el("main", (_section(r, part) for part in _PARTS))
    body = _el("body", _header(r, status), main, _footer(r, status))
    return "<!DOCTYPE html>\n" + _el("html", head, body, lang=r.language) + "\n"


def _header(r: _Report, status: str) -> Html:
    e = r.evaluation
    facts = _dl(
        r,
        [
            ("evaluation_id", _code(e.evaluation_id)),
            ("subject_pseudonym", _code(e.subject.subject_id)),
            ("protocol_version", r.term(e.protocol_version)),
            ("evaluation_digest", _code(r.digest) if r.digest else None),
            ("free_text_language", _code(e.language)),
        ],
    )
    return _el(
        "header",
        _el("p", r.t("istanbul_protocol"), class_="kicker"),
        _el("h1", r.t("report_title")),
        _el("p", _el("span", r.t("status"), ":", class_="k"), " ", status, class_="status"),
        facts,
        _note(r.t("confidential_notice")),
        _contents(r),
        class_="report-header",
    )


def _contents(r: _Report) -> Html:
    entries = (_el("li", _link(part.id, r.t(part.key))) for part in _PARTS)
    return _el(
        "nav",
        _el("h2", r.t("contents")),
        _el("ol", entries),
        class_="contents",
        aria_label=r.t("contents"),
    )


def _footer(r: _Report, status: str) -> Html:
    e = r.evaluation
    parts = [f"{r.t('evaluation_id')}: {e.evaluation_id}", status]
    if r.digest:
        parts.append(f"{r.t('evaluation_digest')}: {r.digest}")
    return _el("footer", _el("p", " · ".join(parts)))


@attrs.frozen
class _Part:
    """A section of the report: its anchor, its heading, whether it starts a printed page."""

    id: str
    key: str
    new_page: bool
    body: Callable[[_Report], Html | None]


def _section(r: _Report, part: _Part) -> Html:
    heading = f"{part.id}-heading"
    return _el(
        "section",
        _el("h2", r.t(part.key), id=heading),
        part.body(r) or _none(r),
        id=part.id,
        class_="new-page" if part.new_page else None,
        aria_labelledby=heading,
    )


# --- case and context, clinicians -------------------------------------------------------------


def _case_and_context(r: _Report) -> Html | None:
    e = r.evaluation
    requester = e.requested_by
    requested_by = _join(
        [r.term(requester.role), requester.organisation, r.pair("reference", requester.reference)]
    )
    return _blocks(
        _dl(
            r,
            [
                ("evaluation_id", _code(e.evaluation_id)),
                ("protocol_version", r.term(e.protocol_version)),
                ("context", r.term(e.context)),
                ("purpose", r.term(e.purpose)),
                ("requested_by", requested_by),
                ("free_text_language", _code(e.language)),
            ],
        ),
        _h3(r.t("person_examined")),
        _subject(r, e.subject),
        _note(r.t("identity_withheld")),
        _records_reviewed(r),
    )


def _subject(r: _Report, subject: Subject) -> Html | None:
    if subject.age_years is not None:
        age = f"{subject.age_years} {r.t('years')}"
    else:
        assert subject.age_range is not None  # the model holds exactly one of the two
        low, high = subject.age_range.min_years, subject.age_range.max_years
        age = f"{low}{_RANGE}{high} {r.t('years')}"
    return _dl(
        r,
        [
            ("subject_pseudonym", _code(subject.subject_id)),
            ("age", age),
            ("sex_at_birth", r.maybe(subject.sex_at_birth)),
            ("languages_spoken", ", ".join(subject.languages)),
            ("custody_status", r.term(subject.custody_status)),
            ("handedness", r.maybe(subject.handedness)),
            ("skin_phototype", r.maybe(subject.skin_phototype)),
        ],
    )


def _records_reviewed(r: _Report) -> Html | None:
    records = r.evaluation.records_reviewed
    if not records:
        return None
    rows = (
        _row([r.term(x.type), x.description, _code(x.sha256) if x.sha256 else None])
        for x in records
    )
    return _blocks(
        _h3(r.t("records_reviewed")),
        _table(r, ["record_type", "description", "sha256"], _tbody(rows)),
    )


def _clinicians(r: _Report) -> Html | None:
    return _blocks(*(_clinician(r, c) for c in r.evaluation.evaluators))


def _clinician(r: _Report, c: Clinician) -> Html:
    fields = [
        ("profession", _join([r.term(c.profession), c.specialty])),
        ("role", r.term(c.role)),
        ("affiliation", c.affiliation),
        ("registration", _registration(r, c.registration)),
        (
            "qualifications",
            _list(f"{q.title}, {q.institution} ({q.year})" for q in c.qualifications),
        ),
        ("ip_training", _list(f"{t.course}, {t.provider} ({t.year})" for t in c.ip_training)),
        ("experience", _experience(r, c.experience)),
        ("independence", _independence(r, c.independence)),
    ]
    return _el(
        "article", _h3(c.name), _dl(r, fields), id=f"clinician-{c.clinician_id}", class_="card"
    )


def _registration(r: _Report, registration: Registration) -> Node:
    valid = _day(registration.valid_until) if registration.valid_until else None
    number = r.pair("registration_number", registration.number)
    return _join(
        [registration.body, registration.jurisdiction, number, r.pair("valid_until", valid)]
    )


def _experience(r: _Report, experience: Experience) -> Node:
    return _join(
        [
            r.pair("prior_evaluations", str(experience.evaluations)),
            r.pair("years_of_practice", str(experience.years)),
            r.pair("working_languages", ", ".join(experience.languages)),
        ]
    )


def _independence(r: _Report, independence: Independence) -> Node:
    by_authority = r.yes_no(independence.employed_by_detaining_authority)
    return _join(
        [
            r.pair("employed_by_state", r.yes_no(independence.employed_by_state)),
            r.pair("employed_by_detaining_authority", by_authority),
            r.pair("conflicts_declared", independence.conflicts_declared),
        ]
    )


# --- conditions, restrictions, consent --------------------------------------------------------


def _conditions(r: _Report) -> Html | None:
    return _blocks(*(_session(r, s) for s in r.evaluation.sessions), _interpreters(r))


def _session(r: _Report, s: Session) -> Html:
    interpreter = None
    if s.interpreter is not None:
        interpreter = _link(f"interpreter-{s.interpreter}", s.interpreter)
    fields = [
        ("session_start", _moment(s.start)),
        ("session_end", _moment(s.end)),
        ("location", r.term(s.location_type)),
        ("privacy", r.term(s.privacy)),
        ("interpreter", interpreter),
        ("restraints", _restraints(r, s)),
        ("time_limited", _join([r.yes_no(s.time_limited), s.limitation_note])),
        ("subject_condition", s.subject_condition),
        ("conditions_notes", s.conditions_notes),
    ]
    return _el(
        "article",
        _h3(f"{r.t('session')} {s.session_id}"),
        _dl(r, fields),
        _el("h4", r.t("persons_present")),
        _persons_present(r, s.persons_present),
        id=f"session-{s.session_id}",
        class_="card",
    )


def _restraints(r: _Report, s: Session) -> Node:
    restraints = s.restraints
    if not restraints.present:
        return r.t("no")
    removed = r.pair("removed_on_request", r.yes_no(restraints.removed_on_request))
    return _join([r.maybe(restraints.type) or r.t("yes"), removed])


def _persons_present(r: _Report, persons: Sequence[PersonPresent]) -> Html:
    headers = ["present_role", "affiliation", "requested_by", "within_earshot", "within_sight"]
    return _table(r, [*headers, "justification"], _tbody(_person(r, p) for p in persons))


def _person(r: _Report, p: PersonPresent) -> Html:
    """A person present; only evaluators are named (others are third parties)."""
    role: Node = r.term(p.role)
    if p.clinician_id is not None and r.evaluation.evaluator(p.clinician_id) is not None:
        role = _join(
            [role, _link(f"clinician-{p.clinician_id}", r.clinician(p.clinician_id))], ": "
        )
    return _row(
        [
            role,
            p.affiliation,
            r.maybe(p.requested_by),
            r.yes_no(p.within_earshot),
            r.yes_no(p.within_sight),
            p.justification,
        ]
    )


def _interpreters(r: _Report) -> Html | None:
    interpreters = r.evaluation.interpreters
    if not interpreters:
        return None
    headers = ["interpreter", "languages", "affiliation", "ties", "mode", "confidentiality"]
    rows = (
        _row(
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
    return _blocks(_h3(r.t("interpreters")), _table(r, headers, _tbody(rows)))


#: The label of each kind of restriction the data shows.
_RESTRICTION_LABELS: Final[Mapping[RestrictionKind, str]] = {
    RestrictionKind.OFFICIAL_PRESENT: "restriction_official_present",
    RestrictionKind.RESTRAINED: "restriction_restrained",
    RestrictionKind.NOT_PRIVATE: "restriction_not_private",
    RestrictionKind.TIME_LIMITED: "restriction_time_limited",
    RestrictionKind.INTERPRETER_NOT_INDEPENDENT: "restriction_interpreter_not_independent",
    RestrictionKind.CONSENT_LIMITED: "restriction_consent_limited",
}


def _restrictions(r: _Report) -> Html | None:
    statement = r.evaluation.restrictions_statement
    found = [_restriction(r, x) for x in restrictions(r.evaluation)]
    return _blocks(
        _h3(r.t("restrictions_shown_by_record")),
        _list(found, class_="restrictions") or _none(r),
        _h3(r.t("evaluators_statement")) if statement else None,
        r.prose(statement),
    )


def _restriction(r: _Report, restriction: Restriction) -> Html | None:
    where, detail = _restriction_detail(r, restriction)
    kind = _el("strong", r.t(_RESTRICTION_LABELS[restriction.kind]))
    return _join([kind, where, detail], " — ")


def _restriction_detail(r: _Report, restriction: Restriction) -> tuple[Node, Node]:
    """Where the record shows the restriction (a link) and what it records, in the report's
    language; the restriction's own detail (codes and free text) if the pointer is unknown."""
    e = r.evaluation
    match restriction.pointer.split("/")[1:]:
        case ["sessions", index, *rest] if index.isdigit() and int(index) < len(e.sessions):
            session = e.sessions[int(index)]
            detail = _session_restriction(r, restriction.kind, session, rest)
            return _session_ref(r, session.session_id), detail
        case ["consents", index] if index.isdigit() and int(index) < len(e.consents):
            consent = e.consents[int(index)]
            where = _link(f"consent-{consent.consent_id}", r.term(consent.scope))
            return where, _join([r.term(consent.decision), consent.limits])
    return None, restriction.detail


def _session_restriction(
    r: _Report, kind: RestrictionKind, session: Session, rest: Sequence[str]
) -> Node:
    match kind, rest:
        case RestrictionKind.OFFICIAL_PRESENT, ["persons_present", index] if index.isdigit():
            person = session.persons_present[int(index)]
            return _join([r.term(person.role), person.justification])
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


def _consent(r: _Report) -> Html | None:
    consents = r.evaluation.consents
    if not consents:
        return None
    headers = ["consent_scope", "consent_decision", "consent_limits", "refusal_reason"]
    headers += ["obtained_at", "obtained_by", "how_obtained"]
    return _table(r, headers, _tbody(_consent_row(r, c) for c in consents), class_="consents")


def _consent_row(r: _Report, c: ConsentRecord) -> Html:
    decision: Node = r.term(c.decision)
    if not c.permits:
        decision = _el("strong", decision)
    withdrawn = r.pair("withdrawn_at", _moment(c.withdrawn_at) if c.withdrawn_at else None)
    proxy = None
    if c.proxy is not None:  # the proxy's name stays out: a third party
        proxy = r.pair("proxy", f"{c.proxy.relationship} ({c.proxy.authority})")
    how = _join(
        [
            r.term(c.method),
            r.term(c.capacity),
            r.pair("voluntary", r.yes_no(c.voluntary)),
            r.pair("informed_of_all", r.yes_no(c.informed.all_explained())),
            r.pair("consent_language", c.language),
            proxy,
        ]
    )
    return _row(
        [
            r.term(c.scope),
            _join([decision, withdrawn]),
            c.limits,
            c.refusal_reason,
            _moment(c.obtained_at),
            r.clinician(c.obtained_by),
            how,
        ],
        id=f"consent-{c.consent_id}",
    )


# --- history and symptoms ---------------------------------------------------------------------


def _history(r: _Report) -> Html | None:
    return _blocks(*(_alleged_event(r, event) for event in r.evaluation.alleged_events))


def _alleged_event(r: _Report, event: AllegedEvent) -> Html:
    perpetrators = None
    if event.perpetrators is not None:  # their names are left out of the report
        p = event.perpetrators
        number = str(p.number) if p.number is not None else None
        perpetrators = _join([p.affiliation, p.uniform, p.rank, r.pair("number", number)])
    fields = [
        ("date", _approximate_date(r, event.when)),
        ("duration", event.duration),
        ("custody_context", r.maybe(event.custody_context)),
        ("perpetrators", perpetrators),
        ("perception_limits", r.terms(event.perception_limits)),
        ("conditions_of_detention", event.conditions_of_detention),
        ("disclosure", event.disclosure_timing),
    ]
    return _el(
        "article",
        _h3(f"{r.t('alleged_event')} {event.event_id}"),
        _dl(r, fields),
        _narrative(r, event),
        _blocks(*(_method(r, m) for m in event.methods)),
        id=f"event-{event.event_id}",
        class_="event",
    )


def _narrative(r: _Report, event: AllegedEvent) -> Html:
    """The account, marked as the person's own words or a summary, in its own language."""
    n = event.narrative
    kind = "verbatim" if n.verbatim else "summary"
    lang = n.language if n.language != r.language else None
    return _el(
        "figure",
        _el("figcaption", r.term(n.source), " · ", r.t(kind)),
        _el("blockquote", n.text, class_=kind, lang=lang),
        class_="narrative",
    )


def _method(r: _Report, m: AllegedMethod) -> Html:
    category_codes = ", ".join(HURIDOCS_CODES.get(m.category, ()))
    huridocs = _join([m.huridocs_code, r.pair("category_codes", category_codes or None)])
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
    return _el(
        "section",
        _el("h4", f"{r.t('alleged_method')} {m.method_id} — {r.term(m.category)}"),
        _dl(r, fields),
        id=f"method-{m.method_id}",
        class_="method",
    )


def _symptoms(r: _Report) -> Html | None:
    symptoms = r.evaluation.symptoms
    if not symptoms:
        return None
    headers = ["symptom_domain", "complaint", "onset", "current", "course", "disability"]
    rows = (_symptom_row(r, s) for s in symptoms)
    return _table(r, [*headers, "treatment"], _tbody(rows))


def _symptom_row(r: _Report, s: Symptom) -> Html:
    course = _join(
        [
            r.pair("severity", s.severity),
            r.pair("frequency", s.frequency),
            r.pair("duration", s.duration),
        ]
    )
    cells = [r.term(s.domain), s.description, s.onset, r.yes_no(s.current), course]
    return _row([*cells, s.disability, s.treatment], id=f"symptom-{s.symptom_id}")


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


def _physical_examination(r: _Report) -> Html | None:
    findings = r.evaluation.findings
    positive = [f for f in findings if f.kind is not FindingKind.NEGATIVE_FINDING]
    negative = [f for f in findings if f.kind is FindingKind.NEGATIVE_FINDING]
    table = None
    if positive:
        bodies = (_finding_rows(r, f) for f in positive)
        table = _table(r, _FINDING_COLUMNS, *bodies, class_="findings")
    return _blocks(
        _h3(r.t("findings")),
        table or _none(r),
        _h3(r.t("negative_findings")),
        _el("ul", (_negative(r, f) for f in negative), class_="negative") if negative else _none(r),
        _diagnostic_tests(r),
    )


def _finding_rows(r: _Report, f: PhysicalFinding) -> Html:
    """A finding's row of attributes and, below it, its description and the rest."""
    colours = _join([r.terms(f.colours), f.colour_note])
    borders = None
    if f.borders is not None:
        b = f.borders
        borders = _join([r.maybe(b.definition), r.maybe(b.regularity), b.description], ", ")
    lesion = _join([r.maybe(f.lesion_type), r.maybe(f.burn_depth)], ", ")
    cells = [
        _diagram_numbers(r, f.finding_id),
        _el("strong", f.finding_id),
        r.term(f.system),
        r.term(f.kind),
        lesion,
        _location(r, f.location),
        _size(r, f.size, f.size_not_measurable_reason),
        r.maybe(f.shape),
        colours,
        _join([r.maybe(f.surface), r.maybe(f.level)], ", "),
        borders,
        r.maybe(f.healing_stage),
        _estimated_age(r, f.estimated_age),
        _attribution(r, f),
    ]
    main = _row(cells, id=f"finding-{f.finding_id}")
    detail = _el(
        "tr", _el("td", _finding_details(r, f), colspan=len(_FINDING_COLUMNS)), class_="detail"
    )
    return _el("tbody", main, detail)


def _finding_details(r: _Report, f: PhysicalFinding) -> Html | None:
    examined = _moment(f.examined_at) if f.examined_at else None
    photos = _join((_link(f"photo-{p}", p) for p in f.photographs), ", ")
    tests = _join((_link(f"test-{t}", t) for t in f.diagnostic_tests), ", ")
    facts = _join(
        [
            r.pair("count", str(f.count) if f.count > 1 else None),
            r.pair("arrangement", r.maybe(f.arrangement)),
            r.pair("pattern", f.pattern_match),
            r.pair("tenderness_or_function", f.tenderness_or_function),
            r.pair("observed_by_examiner", r.yes_no(f.independent_of_self_report)),
            r.pair("examined_by", r.clinician(f.examiner)),
            r.pair("examined_at", examined),
            r.pair("session", _session_ref(r, f.session)),
            r.pair("photographs", photos),
            r.pair("diagnostic_tests", tests),
        ],
        " · ",
    )
    return _blocks(_el("p", f.description, class_="description"), _el("p", facts, class_="facts"))


def _attribution(r: _Report, f: PhysicalFinding) -> Node:
    attribution = f.attribution
    method = _method_ref(r, attribution.method) if attribution.method else None
    return _join([r.term(attribution.kind), method], ": ")


def _diagram_numbers(r: _Report, finding_id: str) -> Node:
    marks = r.marks.get(finding_id, ())
    return _join(
        (
            _link(f"diagram-{a.view.value}", f"{a.number} ({r.term(a.view)})")
            for a in sorted(marks, key=lambda a: (list(DiagramView).index(a.view), a.number))
        ),
        ", ",
    )


def _negative(r: _Report, f: PhysicalFinding) -> Html:
    where = f"{r.term(f.system)}, {_location(r, f.location)}"
    return _el(
        "li",
        _el("strong", f.finding_id),
        " — ",
        where,
        ": ",
        f.description,
        id=f"finding-{f.finding_id}",
    )


def _diagnostic_tests(r: _Report) -> Html | None:
    tests = r.evaluation.diagnostic_tests
    if not tests:
        return None
    headers = ["test", "performed_at", "result", "findings"]
    return _blocks(
        _h3(r.t("diagnostic_tests")),
        _table(r, headers, _tbody(_test_row(r, t) for t in tests)),
    )


def _test_row(r: _Report, t: DiagnosticTest) -> Html:
    findings = _join((_finding_ref(r, f) for f in t.findings), "; ")
    cells = [_join([_el("strong", t.test_id), t.name], " — "), _moment(t.performed_at)]
    return _row([*cells, t.result, findings], id=f"test-{t.test_id}")


# --- body diagrams ----------------------------------------------------------------------------


def _body_diagrams(r: _Report) -> Html | None:
    return _blocks(*(_diagram(r, view, marks) for view, marks in _marks_by_view(r.evaluation)))


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


def _diagram(r: _Report, view: DiagramView, marks: Sequence[DiagramAnnotation]) -> Html:
    """One view with its numbered marks, and its legend as text linking to the findings."""
    legend = "; ".join(f"{a.number}. {_legend_text(r, a)}" for a in marks)
    alt = f"{r.t('body_diagram')}, {r.term(view)}: {legend}"
    entries = (
        _el(
            "li", _link(f"finding-{a.finding}", a.finding), ": ", _legend_text(r, a), value=a.number
        )
        for a in marks
    )
    return _el(
        "figure",
        _diagram_image(r, view, marks, alt),
        _el("figcaption", _el("strong", r.term(view)), _el("ol", entries, class_="legend")),
        id=f"diagram-{view.value}",
        class_="diagram",
    )


def _legend_text(r: _Report, annotation: DiagramAnnotation) -> str:
    """A mark's short description in the report's language: what the finding is, where."""
    finding = r.findings.get(annotation.finding)
    return _finding_summary(r, finding) if finding is not None else annotation.finding


def _drawn(r: _Report, view: DiagramView, marks: Sequence[DiagramAnnotation]) -> Image.Image:
    """The diagram of ``view`` with ``marks``, titled and with its legend, in the language.

    Raises:
        CustodyError: the marks cannot be drawn (two with one number, say).
    """
    # A marker's label is one line of at most 200 characters.
    markers = [
        Marker(a.number, a.x, a.y, f"{a.finding}: {_legend_text(r, a)}"[:200]) for a in marks
    ]
    return draw_diagram(view, markers, dpi=DIAGRAM_DPI, title=r.term(view))


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG", dpi=(DIAGRAM_DPI, DIAGRAM_DPI))
    return out.getvalue()


def _diagram_image(
    r: _Report, view: DiagramView, marks: Sequence[DiagramAnnotation], alt: str
) -> Html:
    try:
        image = _drawn(r, view, marks)
    except CustodyError:  # the legend below still lists every mark
        return _placeholder(r.t("diagram_not_available"))
    width, height = (round(side * 96 / DIAGRAM_DPI) for side in image.size)  # CSS pixels
    uri = _data_uri("image/png", _png(image))
    return _void("img", src=uri, alt=alt, width=width, height=height)


def _placeholder(text: str, kind: str = "unavailable") -> Html:
    return _el("p", text, class_=f"placeholder {kind}", role="img", aria_label=text)


# --- photographs ------------------------------------------------------------------------------


def _photographs(r: _Report) -> Html | None:
    photos = r.evaluation.photographs
    if not photos:
        return None
    return _blocks(
        _note(r.t("photographs_note")),
        _el("div", (_photo(r, p) for p in photos), class_="photo-grid"),
    )


def _photo(r: _Report, p: Photograph) -> Html:
    caption = _el(
        "figcaption", _el("strong", p.photo_id, " — ", r.term(p.role)), _photo_facts(r, p)
    )
    return _el("figure", _picture(r, p), caption, id=f"photo-{p.photo_id}", class_="photo")


def _picture(r: _Report, p: Photograph) -> Html:
    """The thumbnail, or a placeholder saying why there is none."""
    if p.intimate:
        return _placeholder(r.t("intimate_not_reproduced"), "intimate")
    data = r.photo_files.get(p.photo_id)
    if data is None:
        return _placeholder(f"{r.t('image_not_available')}: {r.t('image_not_supplied')}")
    if hashlib.sha256(data).hexdigest() != p.sha256.lower():
        return _placeholder(f"{r.t('image_not_available')}: {r.t('image_hash_mismatch')}")
    thumbnail = _thumbnail(data)
    if thumbnail is None:
        return _placeholder(f"{r.t('image_not_available')}: {r.t('image_unreadable')}")
    alt = f"{r.t('photograph')} {p.photo_id}: {r.term(p.role)}"
    if p.body_region is not None:
        alt += f", {r.term(p.body_region)}"
    uri = _data_uri("image/jpeg", thumbnail.jpeg)
    return _void("img", src=uri, alt=alt, width=thumbnail.width, height=thumbnail.height)


def _photo_facts(r: _Report, p: Photograph) -> Html | None:
    findings = _join((_finding_ref(r, f) for f in p.findings), "; ")
    scale = _join([r.yes_no(p.scale_present), r.maybe(p.scale_type)], ", ")
    colour = _join([r.yes_no(p.colour_reference_present), p.colour_reference_type], ", ")
    derived = None
    if p.derived_from is not None:
        derived = _join([_link(f"photo-{p.derived_from}", p.derived_from), p.transformation], ", ")
    fields = [
        ("body_region", r.maybe(p.body_region)),
        ("findings_shown", findings),
        ("scale", scale),
        ("colour_reference", colour),
        ("missing_reference_reason", p.missing_reference_reason),
        ("lighting", r.maybe(p.lighting)),
        ("quality", r.terms(p.quality_flags)),
        ("captured_at", _moment(p.captured_at)),
        ("captured_by", r.clinician(p.captured_by)),
        ("device", p.device),
        ("derived_from", derived),
        ("location_metadata", r.term(p.location_metadata)),
        ("evidence_item", _code(p.item)),
        ("sha256_original", _code(p.sha256)),
    ]
    return _dl(r, fields)


@attrs.frozen
class _Thumbnail:
    jpeg: bytes
    width: int
    height: int


def _thumbnail(data: bytes) -> _Thumbnail | None:
    """A JPEG of at most THUMBNAIL_SIDE pixels, upright, without metadata; ``None`` for a file
    that is not an image, is too large, or does not decode completely."""
    side = (THUMBNAIL_SIDE, THUMBNAIL_SIDE)
    try:
        with Image.open(io.BytesIO(data), formats=_PHOTO_FORMATS) as image:
            if image.width * image.height > MAX_PHOTO_PIXELS:
                return None
            if image.format in ("JPEG", "MPO") and jpeg_structure_problem(data) is not None:
                return None  # damaged data that libjpeg would decode as grey blocks
            image.draft("RGB", side)  # JPEG: decode at 1/2, 1/4 or 1/8 scale when enough
            image.load()
            upright = _upright(image)
            upright.thumbnail(side, Image.Resampling.LANCZOS)
            picture = _opaque_rgb(upright)
    except (UnidentifiedImageError, *_DECODE_ERRORS):
        return None
    # A new image from the bare pixels: nothing of the file's metadata can come along.
    clean = Image.frombytes("RGB", picture.size, picture.tobytes())
    out = io.BytesIO()
    clean.save(out, "JPEG", quality=_THUMBNAIL_QUALITY, optimize=True)
    return _Thumbnail(out.getvalue(), *clean.size)


def _upright(image: Image.Image) -> Image.Image:
    """The picture turned as its EXIF orientation says; as it is if the EXIF is unreadable
    (the pixels are still the photograph's, only their turn is unknown)."""
    try:
        return ImageOps.exif_transpose(image)
    except _DECODE_ERRORS:
        return image.copy()


def _opaque_rgb(picture: Image.Image) -> Image.Image:
    """The picture as RGB, transparent parts on white."""
    if picture.mode in ("RGBA", "LA", "PA") or "transparency" in picture.info:
        rgba = picture.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert("RGB")
    return picture.convert("RGB")


# --- samples ----------------------------------------------------------------------------------


def _samples(r: _Report) -> Html | None:
    samples = r.evaluation.samples
    if not samples:
        return None
    headers = ["sample", "sample_type", "collected", "collection", "seal", "storage"]
    rows = (_sample_row(r, s) for s in samples)
    return _table(r, [*headers, "analyses", "results"], _tbody(rows))


def _sample_row(r: _Report, s: Sample) -> Html:
    collected = _join([_moment(s.collected_at), r.clinician(s.collected_by)])
    consent = _link(f"consent-{s.consent}", s.consent)
    collection = _join([s.method, s.container, r.pair("site", s.site), r.pair("consent", consent)])
    sample = _join([_el("strong", s.sample_id), r.pair("evidence_item", _code(s.item))], " — ")
    seal = _join([_code(s.seal), r.pair("label_text", s.label_text)])
    cells = [sample, r.term(s.type), collected, collection, seal, r.term(s.storage)]
    return _row([*cells, r.terms(s.analyses), s.results], id=f"sample-{s.sample_id}")


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


def _psychological(r: _Report) -> Html | None:
    evaluations = r.evaluation.psychological_evaluations
    return _blocks(*(_psychological_evaluation(r, pe) for pe in evaluations))


def _psychological_evaluation(r: _Report, pe: PsychologicalEvaluation) -> Html:
    sessions = _join((_session_ref(r, s) for s in pe.sessions), ", ")
    return _el(
        "article",
        _h3(f"{r.t('psychological_evaluation')} {pe.psych_eval_id}"),
        _dl(
            r,
            [
                ("evaluator", r.clinician(pe.evaluator)),
                ("sessions", sessions),
                ("cultural_and_language_considerations", pe.cultural_and_language_considerations),
            ],
        ),
        _el("h4", r.t("psychological_history")),
        _fields_of(r, pe.history, _HISTORY_FIELDS),
        _el("h4", r.t("mental_status")),
        _fields_of(r, pe.mental_status, _MENTAL_STATUS_FIELDS),
        _fields_of(r, pe, _OTHER_PSYCHOLOGICAL_FIELDS),
        _instruments(r, pe.instruments),
        _diagnoses(r, pe.diagnoses),
        _consistency_of_account(r, pe),
        id=f"psych-{pe.psych_eval_id}",
    )


def _fields_of(r: _Report, record: object, names: Sequence[str]) -> Html:
    """The free-text attributes ``names`` of ``record``, labelled by the same keys."""
    return _dl(r, [(name, getattr(record, name)) for name in names]) or _none(r)


def _instruments(r: _Report, instruments: Sequence[Instrument]) -> Html | None:
    if not instruments:
        return None
    headers = ["instrument", "instrument_language", "validated_for_population"]
    headers += ["administered", "score", "score_interpretation"]
    return _blocks(
        _el("h4", r.t("instruments")),
        _note(r.t("instrument_caution")),
        _table(r, headers, _tbody(_instrument_row(r, i) for i in instruments)),
    )


def _instrument_row(r: _Report, i: Instrument) -> Html:
    validated: Node = r.yes_no(i.validated_for_population)
    if not i.validated_for_population:
        validated = _el("strong", _join([validated, r.t("not_validated_caution")], ": "))
    administered = _join([r.clinician(i.administered_by), _day(i.administered_on)], ", ")
    name = _join([i.name, i.version], ", ")
    cells = [name, i.language, validated, administered, i.raw_score, i.interpretation]
    return _row(cells)


def _diagnoses(r: _Report, diagnoses: Sequence[Diagnosis]) -> Html:
    heading = _el("h4", r.t("diagnoses"))
    if not diagnoses:
        return _blocks(heading, _note(r.t("no_diagnosis"))) or heading
    headers = ["classification", "code", "diagnosis", "certainty", "date", "criteria_met"]
    rows = (
        _row(
            [
                r.term(d.system),
                _code(d.code),
                d.label,
                r.term(d.certainty),
                _day(d.made_on),
                d.criteria_met,
            ]
        )
        for d in diagnoses
    )
    return _blocks(heading, _table(r, headers, _tbody(rows))) or heading


def _consistency_of_account(r: _Report, pe: PsychologicalEvaluation) -> Html | None:
    exaggeration = None
    if pe.exaggeration is not None:
        x = pe.exaggeration
        exaggeration = _join(
            [
                r.pair("suspected", r.yes_no(x.suspected)),
                r.pair("second_opinion_obtained", r.yes_no(x.second_opinion_obtained)),
                r.pair("grounds", x.grounds),
            ]
        )
    return _blocks(
        _el("h4", r.t("consistency_of_account")),
        _inconsistencies(r, pe.inconsistencies),
        _dl(
            r,
            [
                ("internal_consistency_notes", pe.internal_consistency_notes),
                ("external_consistency_notes", pe.external_consistency_notes),
                ("exaggeration", exaggeration),
            ],
        ),
    )


def _inconsistencies(r: _Report, inconsistencies: Sequence[Inconsistency]) -> Html | None:
    if not inconsistencies:
        return None
    headers = ["inconsistency", "possible_explanations", "clarification_sought"]
    rows = (
        _row([i.description, i.possible_explanations, r.yes_no(i.clarification_sought)])
        for i in inconsistencies
    )
    return _table(r, headers, _tbody(rows))


# --- interpretation and opinion ---------------------------------------------------------------


def _interpretation(r: _Report) -> Html | None:
    return _blocks(*(_opinion(r, o) for o in r.evaluation.opinions))


def _opinion(r: _Report, o: ConsistencyOpinion) -> Html:
    assessed: tuple[str, Node]
    if o.psychological_evaluation is not None and not o.findings:
        pe = o.psychological_evaluation
        assessed = ("psychological_evaluation", _link(f"psych-{pe}", pe))
    else:
        assessed = ("findings_assessed", _list(_finding_ref(r, f) for f in o.findings))
    self_harm = _join([r.yes_no(o.self_harm_considered), o.self_harm_reasoning], ": ")
    fields = [
        assessed,
        ("assessed_against", _target(r, o.target)),
        ("rationale", r.prose(o.rationale)),
        ("basis", r.terms(o.basis)),
        ("self_harm_considered", self_harm),
        ("opinion_by", r.clinician(o.author)),
    ]
    return _el(
        "article",
        _h3(f"{r.t('opinion')} {o.opinion_id} — {r.term(o.domain)}"),
        _verdict(r, _level(r, o.level, o.status)),
        _dl(r, fields),
        _alternatives(r, o.alternatives),
        id=f"opinion-{o.opinion_id}",
        class_="opinion card",
    )


def _target(r: _Report, target: OpinionTarget) -> Node:
    what: Node = None
    if target.kind is TargetKind.ALLEGED_METHOD and target.method is not None:
        what = _method_ref(r, target.method)
    elif target.kind is TargetKind.HYPOTHESISED_MECHANISM:
        what = _join(
            [target.mechanism, r.pair("perception_limits", r.terms(target.reason_unattributed))]
        )
    elif target.kind is TargetKind.ALTERNATIVE_CAUSE:
        what = target.cause
    circumstances = r.pair("circumstances", target.circumstances)
    return _join([_join([r.term(target.kind), what], ": "), circumstances])


def _alternatives(r: _Report, alternatives: Sequence[AlternativeCause]) -> Html | None:
    heading = _el("h4", r.t("alternative_causes"))
    if not alternatives:
        return _blocks(heading, _none(r))
    rows = (_row([a.cause, a.likelihood, a.reason]) for a in alternatives)
    return _blocks(heading, _table(r, ["cause", "likelihood", "reason"], _tbody(rows)))


def _overall_opinion(r: _Report) -> Html | None:
    o = r.evaluation.overall_opinion
    if o is None:
        return _note(r.t("no_overall_opinion"))
    return _blocks(
        _verdict(r, _level(r, o.level, ConsistencyStatus.ASSESSED)),
        _dl(r, [("considers", r.terms(o.considers))]),
        r.prose(o.narrative),
        _dl(
            r,
            [
                ("absence_of_findings", o.absence_of_findings_statement),
                ("current_symptoms_and_disabilities", o.current_symptoms_and_disabilities),
                ("effects_on_social_functioning", o.likely_effects_on_social_functioning),
                ("limitations", o.limitations),
            ],
        ),
    )


def _recommendations(r: _Report) -> Html | None:
    items = [
        _el(
            "li",
            _el("span", r.term(x.urgency), class_=f"urgency {x.urgency.value}"),
            " ",
            _el("strong", r.term(x.kind)),
            ": ",
            x.text,
        )
        for x in r.evaluation.recommendations
    ]
    return _el("ol", items, class_="recommendations") if items else None


# --- departures, declarations, signatures, addenda --------------------------------------------


def _departures(r: _Report) -> Html | None:
    """What validation finds (rules broken; departures, with the reasons the evaluators
    state) and the departures the evaluators declare."""
    report = validate(r.evaluation)
    declared = r.evaluation.departures
    return _blocks(
        _rules_broken(r, report.hard) if report.hard else None,
        _h3(r.t("departures_found")),
        _departures_found(r, report.departures) if report.departures else _none(r),
        _h3(r.t("departures_declared")),
        _departures_declared(r, declared) if declared else _none(r),
    )


def _message(problem: RuleProblem) -> Html:
    return _el("span", problem.message, lang="en")  # validation speaks English only


def _rules_broken(r: _Report, problems: Sequence[RuleProblem]) -> Html:
    items = (_join([_code(p.code), _code(p.pointer), _message(p)], " — ") for p in problems)
    heading = _el("p", _el("strong", r.t("rules_broken")))
    return _el("div", heading, _list(items), class_="warning")


def _departures_found(r: _Report, problems: Sequence[RuleProblem]) -> Html:
    rows = (
        _row([_code(p.code), _code(p.pointer), _message(p), p.reason or r.t("no_reason_stated")])
        for p in problems
    )
    return _table(r, ["rule", "field", "problem", "stated_reason"], _tbody(rows))


def _departures_declared(r: _Report, departures: Sequence[Departure]) -> Html:
    rows = (
        _row([_code(d.element), str(d.rule) if d.rule is not None else None, d.reason])
        for d in departures
    )
    return _table(r, ["element", "rule", "reason"], _tbody(rows))


def _declarations(r: _Report) -> Html | None:
    return _blocks(*(_declaration(r, d) for d in r.evaluation.declarations))


def _declaration(r: _Report, d: Declaration) -> Html:
    return _el(
        "article",
        _h3(r.clinician(d.clinician)),
        _el("blockquote", r.prose(d.statement)),
        _dl(r, [("location", d.place), ("date", _day(d.made_on))]),
        class_="declaration card",
    )


def _signatures(r: _Report) -> Html | None:
    return _blocks(
        _note(r.t("signatures_note")),
        *(_signature(r, c) for c in r.evaluation.evaluators),
    )


def _signature(r: _Report, c: Clinician) -> Html:
    """An evaluator's seal: the key in full and as a fingerprint, when, where, over what."""
    s = r.signatures.get(c.clinician_id)
    key = s.key_id if s is not None else c.key_id
    fields: list[tuple[str, Node]] = [
        ("role", r.term(c.role)),
        ("key_id", _code(key)),
        ("key_fingerprint", _fingerprint(key)),
    ]
    if s is not None:
        fields += [
            ("signed_as", s.name if s.name != c.name else None),
            ("signed_at", _moment(s.signed_at)),
            ("signing_place", s.place),
            ("signed_digest", _code(s.digest)),
        ]
    state = "signed" if s is not None else "not_signed"
    return _el(
        "article",
        _h3(c.name),
        _el("p", _el("strong", r.t(state)), class_=state.replace("_", "-")),
        _dl(r, fields),
        _signature_warnings(r, c, s) if s is not None else None,
        id=f"signature-{c.clinician_id}",
        class_="signature card",
    )


def _signature_warnings(r: _Report, c: Clinician, s: Signature) -> Html | None:
    warnings: list[Node] = []
    if s.key_id != c.key_id:
        warnings.append(_join([r.t("key_differs"), r.pair("declared_key", _code(c.key_id))]))
    if r.digest is not None and s.digest != r.digest:
        warnings.append(r.t("digest_differs"))
    return _el("div", _list(warnings), class_="warning") if warnings else None


def _seals(r: _Report, c: Clinician) -> bool:
    """Whether ``c`` has a signature with their declared key over the digest reported."""
    s = r.signatures.get(c.clinician_id)
    return s is not None and s.key_id == c.key_id and r.digest in (None, s.digest)


_STATUS_LABELS: Final[Mapping[EvaluationStatus, str]] = {
    EvaluationStatus.DRAFT: "status_draft",
    EvaluationStatus.SEALED: "status_sealed",
    EvaluationStatus.AMENDED: "status_amended",
}


def _status_line(r: _Report, status: str | EvaluationStatus | None) -> str:
    """The caller's status (a lifecycle status in words), else what the signatures show."""
    if isinstance(status, EvaluationStatus):
        return r.t(_STATUS_LABELS[status])
    if status is not None:
        return status
    sealed = all(_seals(r, c) for c in r.evaluation.evaluators)
    return r.t("status_sealed" if sealed else "status_draft")


def _addenda(r: _Report) -> Html | None:
    items = [
        _el(
            "article",
            _h3(_day(a.made_on)),
            _dl(
                r,
                [
                    ("supersedes", _code(a.supersedes)),
                    ("reason", a.reason),
                    ("fields_changed", _join((_code(c) for c in a.changed), ", ")),
                ],
            ),
            class_="addendum card",
        )
        for a in r.evaluation.addenda
    ]
    return _blocks(*items)


#: The sections, in the order of the report.
_PARTS: Final = (
    _Part("case-and-context", "case_and_context", True, _case_and_context),
    _Part("clinicians", "clinicians", False, _clinicians),
    _Part("conditions", "conditions", False, _conditions),
    _Part("restrictions", "restrictions", False, _restrictions),
    _Part("consent", "consent", False, _consent),
    _Part("history", "history_and_allegations", True, _history),
    _Part("symptoms", "symptoms", False, _symptoms),
    _Part("physical-examination", "physical_examination", True, _physical_examination),
    _Part("body-diagrams", "body_diagrams", True, _body_diagrams),
    _Part("photographs", "photographs", True, _photographs),
    _Part("samples", "samples", False, _samples),
    _Part("psychological-evaluation", "psychological_evaluation", True, _psychological),
    _Part("interpretation", "interpretation", True, _interpretation),
    _Part("overall-opinion", "overall_opinion", False, _overall_opinion),
    _Part("recommendations", "recommendations", False, _recommendations),
    _Part("departures", "departures", False, _departures),
    _Part("declarations", "declarations", True, _declarations),
    _Part("signatures", "signatures", False, _signatures),
    _Part("addenda", "addenda", False, _addenda),
)


# --- style ------------------------------------------------------------------------------------

# Screen and print in one sheet. Printed: A4, major sections on a new page, the findings
# table on a landscape page, rows, figures and cards kept whole, table headers repeated.
_CSS = """
:root { color-scheme: light; }
html { font: 10.5pt/1.45 Georgia, "DejaVu Serif", "Times New Roman", serif; color: #111;
  background: #fff; }
body { max-width: 190mm; margin: 0 auto; padding: 10mm 8mm; }
h1, h2, h3, h4, th, dt, figcaption, .kicker, .status, .pair .k, .verdict .k, .note,
.placeholder, table { font-family: "Helvetica Neue", Arial, "DejaVu Sans", sans-serif; }
h1 { font-size: 19pt; line-height: 1.2; margin: 1mm 0 5mm; }
h2 { font-size: 14pt; margin: 9mm 0 3mm; padding-bottom: 1mm; border-bottom: 1.2pt solid #222; }
h3 { font-size: 11.5pt; margin: 6mm 0 2mm; }
h4 { font-size: 10.5pt; margin: 4mm 0 1.5mm; color: #333; }
h2, h3, h4 { break-after: avoid; page-break-after: avoid; }
.kicker { text-transform: uppercase; letter-spacing: 0.08em; font-size: 9pt; color: #444;
  margin: 0; }
.status { display: inline-block; border: 1.5pt solid #222; padding: 1.5mm 3mm;
  font-weight: 700; margin: 0 0 4mm; }
.note { font-size: 9pt; color: #333; border-left: 2pt solid #999; padding-left: 3mm; }
.none { font-style: italic; color: #444; }
code { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 8.5pt;
  overflow-wrap: anywhere; }
.fingerprint { word-spacing: 0.3em; }
a { color: #14426b; }
dl.fields { display: grid; grid-template-columns: minmax(32mm, 30%) 1fr; gap: 1mm 4mm;
  margin: 2mm 0 4mm; }
dl.fields > div { display: contents; }
dt { font-weight: 600; font-size: 9pt; color: #333; }
dd { margin: 0; }
dd > ul, dd > p { margin: 0; }
dd > ul { padding-left: 4mm; }
.pair .k { font-size: 9pt; font-weight: 600; color: #333; }
table { border-collapse: collapse; width: 100%; margin: 2mm 0 4mm; font-size: 8.5pt;
  line-height: 1.35; }
td:empty::after { content: "\\2014"; color: #888; }
th, td { border: 0.5pt solid #999; padding: 1mm 1.4mm; text-align: left; vertical-align: top;
  overflow-wrap: break-word; }
thead th { background: #ececec; }
thead { display: table-header-group; }
table.findings tr.detail td { background: #fafafa; border-top: none; }
table.findings tr.detail p { margin: 0 0 1mm; }
tr, tbody, figure, .card, .verdict, blockquote { break-inside: avoid; page-break-inside: avoid; }
.card { border: 0.75pt solid #bbb; border-radius: 1.5mm; padding: 0 4mm 1mm; margin: 0 0 4mm; }
.verdict { margin: 2mm 0 3mm; font-size: 11pt; }
.level { background: #ffe58a; border: 1pt solid #8a6d00; border-radius: 1mm;
  padding: 0.4mm 2mm; font-weight: 700; }
.level.unassessed { background: #e6e6e6; border-color: #666; }
.warning { border: 1pt solid #a00; border-left-width: 3pt; background: #fdf0ef;
  padding: 1mm 4mm; margin: 2mm 0 4mm; }
.not-signed strong { color: #a00; }
.urgency { font-family: "Helvetica Neue", Arial, sans-serif; font-size: 8pt; font-weight: 700;
  text-transform: uppercase; border: 0.75pt solid #555; border-radius: 1mm; padding: 0 1.2mm; }
.urgency.urgent { background: #fbd5d1; border-color: #a00; }
blockquote { margin: 1mm 0 4mm; padding: 1mm 4mm; border-left: 2pt solid #888; }
blockquote.verbatim { font-style: italic; }
figure { margin: 0 0 5mm; }
figure.narrative figcaption { font-size: 9pt; color: #333; }
figure.diagram img { display: block; max-width: 100%; height: auto; margin: 0 auto;
  border: 0.5pt solid #ccc; }
figure.diagram figcaption { margin-top: 2mm; }
ol.legend { margin: 1mm 0; padding-left: 7mm; font-size: 9pt; }
.photo-grid { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 5mm; }
figure.photo img { display: block; max-width: 100%; height: auto; border: 0.5pt solid #999; }
figure.photo figcaption { font-size: 9pt; margin-top: 1.5mm; }
figure.photo dl.fields { grid-template-columns: minmax(24mm, 38%) 1fr; font-size: 8.5pt; }
.placeholder { display: flex; align-items: center; justify-content: center; min-height: 45mm;
  padding: 4mm; text-align: center; font-size: 9.5pt; font-weight: 600; color: #333;
  background: #f1f1f1; border: 1pt dashed #777; }
.placeholder.intimate { background: #f6efe1; }
nav.contents ol { columns: 2; column-gap: 10mm; padding-left: 6mm; font-size: 9.5pt; }
footer { margin-top: 10mm; padding-top: 2mm; border-top: 0.5pt solid #999; font-size: 8pt;
  color: #444; overflow-wrap: anywhere; }
@page { size: A4; margin: 16mm 15mm 18mm; }
@page wide { size: A4 landscape; margin: 14mm 14mm 16mm; }
@media print {
  html { font-size: 10pt; }
  body { max-width: none; margin: 0; padding: 0; }
  section.new-page { break-before: page; page-break-before: always; }
  #physical-examination { page: wide; }
  a { color: inherit; text-decoration: none; }
  .level, .urgency, .warning, .placeholder, thead th, tr.detail td {
    -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""


# --- labels this module adds ------------------------------------------------------------------

# EXTRA REPORT LABELS, to be merged into custody.report._i18n.LABELS. Headings and field
# labels the shared table does not have yet, as (English, Spanish, French). The shared table
# wins when it has a key (see _label), so after the merge these rows can simply be deleted.
# The Spanish and French wording is CHOSEN here, like the shared table's, and awaits the same
# review against the official texts.
_EXTRA_LABELS: Final[Mapping[str, tuple[str, str, str]]] = {
    # the document
    "status": ("Status", "Estado", "Statut"),
    "status_sealed": (
        "Sealed by all evaluators",
        "Sellado por todos los evaluadores",
        "Scellé par tous les évaluateurs",
    ),
    "status_draft": (
        "Draft — not sealed by all evaluators",
        "Borrador: no sellado por todos los evaluadores",
        "Projet : non scellé par tous les évaluateurs",
    ),
    "status_amended": (
        "Amended — the addendum awaits the evaluators' seals",
        "Modificado: la adenda está pendiente de los sellos de los evaluadores",
        "Modifié : l'addendum attend les sceaux des évaluateurs",
    ),
    "contents": ("Contents", "Índice", "Sommaire"),
    "confidential_notice": (
        "Confidential medical document. It concerns a person who may be at risk: share it "
        "only with those entitled to receive it, as the person consented.",
        "Documento médico confidencial. Se refiere a una persona que puede estar en riesgo: "
        "compártalo solo con quienes tengan derecho a recibirlo, según lo consentido por la "
        "persona.",
        "Document médical confidentiel. Il concerne une personne qui peut être exposée à des "
        "risques : ne le communiquez qu'aux personnes habilitées à le recevoir, conformément au "
        "consentement de la personne.",
    ),
    "evaluation_digest": (
        "Evaluation digest",
        "Resumen criptográfico de la evaluación",
        "Condensat de l'évaluation",
    ),
    "free_text_language": (
        "Language of the free text",
        "Idioma del texto libre",
        "Langue du texte libre",
    ),
    # case and context
    "person_examined": ("Person examined", "Persona examinada", "Personne examinée"),
    "identity_withheld": (
        "The identity of the person is kept in a separate, protected record; it is not part "
        "of this report.",
        "La identidad de la persona se conserva en un registro separado y protegido; no forma "
        "parte de este informe.",
        "L'identité de la personne est conservée dans un dossier distinct et protégé ; elle ne "
        "figure pas dans ce rapport.",
    ),
    "age": ("Age", "Edad", "Âge"),
    "years": ("years", "años", "ans"),
    "sex_at_birth": ("Sex at birth", "Sexo al nacer", "Sexe à la naissance"),
    "languages_spoken": ("Languages spoken", "Idiomas que habla", "Langues parlées"),
    "custody_status": (
        "Custody status at the examination",
        "Situación de custodia en el momento del examen",
        "Situation de détention lors de l'examen",
    ),
    "handedness": ("Dominant hand", "Mano dominante", "Main dominante"),
    "skin_phototype": (
        "Skin phototype (Fitzpatrick)",
        "Fototipo cutáneo (Fitzpatrick)",
        "Phototype cutané (Fitzpatrick)",
    ),
    "reference": ("Reference", "Referencia", "Référence"),
    "records_reviewed": ("Records reviewed", "Documentación examinada", "Documents examinés"),
    "record_type": ("Type of record", "Tipo de documento", "Type de document"),
    "description": ("Description", "Descripción", "Description"),
    "sha256": ("SHA-256", "SHA-256", "SHA-256"),
    # clinicians
    "affiliation": ("Affiliation", "Institución", "Organisme d'appartenance"),
    "registration_number": ("Number", "Número", "Numéro"),
    "valid_until": ("Valid until", "Válido hasta", "Valable jusqu'au"),
    "ip_training": (
        "Training in the Istanbul Protocol",
        "Formación en el Protocolo de Estambul",
        "Formation au Protocole d'Istanbul",
    ),
    "experience": ("Experience", "Experiencia", "Expérience"),
    "prior_evaluations": (
        "Prior evaluations of torture or ill-treatment",
        "Evaluaciones previas de tortura o malos tratos",
        "Évaluations antérieures de torture ou de mauvais traitements",
    ),
    "years_of_practice": ("Years of practice", "Años de ejercicio", "Années d'exercice"),
    "working_languages": ("Working languages", "Idiomas de trabajo", "Langues de travail"),
    "employed_by_state": (
        "Employed by the State",
        "Al servicio del Estado",
        "Au service de l'État",
    ),
    "employed_by_detaining_authority": (
        "Employed by the detaining authority",
        "Al servicio de la autoridad que detiene a la persona",
        "Au service de l'autorité détentrice",
    ),
    "conflicts_declared": (
        "Conflicts of interest declared",
        "Conflictos de intereses declarados",
        "Conflits d'intérêts déclarés",
    ),
    # conditions and restrictions
    "session": ("Session", "Sesión", "Séance"),
    "subject_condition": ("Condition of the person", "Estado de la persona", "État de la personne"),
    "conditions_notes": ("Physical conditions", "Condiciones materiales", "Conditions matérielles"),
    "removed_on_request": ("Removed on request", "Retirados a petición", "Retirés sur demande"),
    "within_earshot": ("Could hear", "Podía oír", "Pouvait entendre"),
    "within_sight": ("Could see", "Podía ver", "Pouvait voir"),
    "present_role": ("Role", "Función", "Qualité"),
    "justification": ("Justification", "Justificación", "Justification"),
    "interpreters": ("Interpreters", "Intérpretes", "Interprètes"),
    "languages": ("Languages", "Idiomas", "Langues"),
    "ties": ("Relation to the case", "Relación con el caso", "Lien avec l'affaire"),
    "mode": ("Mode", "Modalidad", "Modalité"),
    "confidentiality": (
        "Confidentiality undertaking",
        "Compromiso de confidencialidad",
        "Engagement de confidentialité",
    ),
    "restrictions_shown_by_record": (
        "Restrictions shown by the record",
        "Limitaciones que constan en el registro",
        "Restrictions attestées par le dossier",
    ),
    "evaluators_statement": (
        "Statement of the evaluators",
        "Declaración de los evaluadores",
        "Déclaration des évaluateurs",
    ),
    "restriction_official_present": (
        "Official present",
        "Presencia de un funcionario",
        "Présence d'un agent de l'autorité",
    ),
    "restriction_restrained": (
        "Person restrained",
        "Persona sometida a medios de sujeción",
        "Personne entravée",
    ),
    "restriction_not_private": ("Not in private", "Sin privacidad", "Absence de confidentialité"),
    "restriction_time_limited": ("Time limited", "Tiempo limitado", "Durée limitée"),
    "restriction_interpreter_not_independent": (
        "Interpreter not independent",
        "Intérprete no independiente",
        "Interprète non indépendant",
    ),
    "restriction_consent_limited": (
        "Consent refused or limited",
        "Consentimiento denegado o limitado",
        "Consentement refusé ou limité",
    ),
    # consent
    "refusal_reason": ("Reason for refusal", "Motivo de la negativa", "Motif du refus"),
    "obtained_at": ("Given at", "Fecha y hora", "Date et heure"),
    "obtained_by": ("Taken by", "Recabado por", "Recueilli par"),
    "how_obtained": ("How it was given", "Forma y condiciones", "Forme et conditions"),
    "withdrawn_at": ("Withdrawn at", "Retirado el", "Retiré le"),
    "proxy": ("Representative", "Representante", "Représentant"),
    "voluntary": ("Voluntary", "Libre", "Libre"),
    "informed_of_all": ("Fully informed", "Información completa", "Information complète"),
    "consent_language": ("Language", "Idioma", "Langue"),
    # history
    "alleged_event": ("Alleged event", "Hecho alegado", "Fait allégué"),
    "duration": ("Duration", "Duración", "Durée"),
    "custody_context": ("Stage of custody", "Fase de la custodia", "Étape de la détention"),
    "perpetrators": ("Alleged perpetrators", "Presuntos autores", "Auteurs présumés"),
    "number": ("Number", "Número", "Nombre"),
    "perception_limits": (
        "Limits to what the person could perceive",
        "Limitaciones de la percepción de la persona",
        "Limites de la perception de la personne",
    ),
    "conditions_of_detention": (
        "Conditions of detention",
        "Condiciones de detención",
        "Conditions de détention",
    ),
    "disclosure": (
        "First disclosure",
        "Primera comunicación de los hechos",
        "Première révélation des faits",
    ),
    "verbatim": (
        "Verbatim: the person's own words",
        "Literal: palabras de la propia persona",
        "Verbatim : propres mots de la personne",
    ),
    "summary": ("Summary by the evaluator", "Resumen del evaluador", "Résumé de l'évaluateur"),
    "huridocs_codes": ("HURIDOCS codes", "Códigos HURIDOCS", "Codes HURIDOCS"),
    "category_codes": ("Category", "Categoría", "Catégorie"),
    "method_instrument": (
        "Object or device used",
        "Objeto o instrumento utilizado",
        "Objet ou instrument utilisé",
    ),
    "body_regions": ("Parts of the body", "Partes del cuerpo", "Parties du corps"),
    "position": ("Position", "Posición", "Position"),
    "frequency": ("Frequency", "Frecuencia", "Fréquence"),
    "subject_conscious": (
        "Conscious during the act",
        "Consciente durante el acto",
        "Conscient pendant les faits",
    ),
    "acute_sequelae": ("Immediate after-effects", "Secuelas inmediatas", "Séquelles immédiates"),
    # symptoms
    "symptom_domain": ("Domain", "Ámbito", "Domaine"),
    "complaint": ("Complaint", "Síntoma referido", "Plainte"),
    "onset": ("Onset", "Inicio", "Apparition"),
    "current": ("Current", "Actual", "Actuel"),
    "course": (
        "Severity, frequency, duration",
        "Intensidad, frecuencia, duración",
        "Intensité, fréquence, durée",
    ),
    "severity": ("Severity", "Intensidad", "Intensité"),
    "disability": ("Disability", "Discapacidad", "Incapacité"),
    "treatment": ("Treatment", "Tratamiento", "Traitement"),
    # physical examination
    "findings": ("Findings", "Hallazgos", "Constatations"),
    "negative_findings": (
        "Pertinent negative findings",
        "Hallazgos negativos pertinentes",
        "Constatations négatives pertinentes",
    ),
    "diagram_number": ("No. on diagram", "N.º en el diagrama", "N° sur le schéma"),
    "body_system": ("System", "Sistema", "Appareil"),
    "finding_kind": ("Kind", "Naturaleza", "Nature"),
    "lesion_type": ("Type of lesion", "Tipo de lesión", "Type de lésion"),
    "confidence": ("Confidence", "Confianza", "Confiance"),
    "basis": ("Basis", "Fundamento", "Fondement"),
    "day": ("day", "día", "jour"),
    "days": ("days", "días", "jours"),
    "depth": ("depth", "profundidad", "profondeur"),
    "not_measurable": ("Not measurable", "No medible", "Non mesurable"),
    "landmark": ("Landmark", "Referencia anatómica", "Repère anatomique"),
    "count": ("Number of lesions", "Número de lesiones", "Nombre de lésions"),
    "arrangement": ("Arrangement", "Disposición", "Disposition"),
    "pattern": ("Pattern", "Patrón", "Motif"),
    "tenderness_or_function": (
        "Tenderness or loss of function",
        "Dolor a la palpación o pérdida funcional",
        "Sensibilité ou perte de fonction",
    ),
    "observed_by_examiner": (
        "Observed by the examiner",
        "Observado por el examinador",
        "Observé par l'examinateur",
    ),
    "examined_by": ("Examined by", "Examinado por", "Examiné par"),
    "examined_at": ("Examined at", "Examinado el", "Examiné le"),
    "diagnostic_tests": ("Diagnostic tests", "Pruebas diagnósticas", "Examens complémentaires"),
    "test": ("Test", "Prueba", "Examen"),
    "performed_at": ("Performed at", "Realizada el", "Réalisé le"),
    "result": ("Result", "Resultado", "Résultat"),
    # body diagrams and photographs
    "body_diagram": ("Body diagram", "Diagrama corporal", "Schéma corporel"),
    "diagram_not_available": (
        "Diagram not available",
        "Diagrama no disponible",
        "Schéma non disponible",
    ),
    "photographs_note": (
        "Intimate photographs are never reproduced in this report: they are described only, "
        "and can be seen under restricted access. The other photographs are shown as small "
        "copies without their metadata; the originals are identified by their SHA-256.",
        "Las fotografías íntimas nunca se reproducen en este informe: solo se describen y "
        "pueden consultarse con acceso restringido. Las demás fotografías se muestran como "
        "copias reducidas sin sus metadatos; los originales se identifican por su SHA-256.",
        "Les photographies intimes ne sont jamais reproduites dans ce rapport : elles sont "
        "seulement décrites et peuvent être consultées en accès restreint. Les autres "
        "photographies figurent en copies réduites, sans leurs métadonnées ; les originaux "
        "sont identifiés par leur SHA-256.",
    ),
    "photograph": ("Photograph", "Fotografía", "Photographie"),
    "intimate_not_reproduced": (
        "Intimate photograph: not reproduced in this report (restricted access)",
        "Fotografía íntima: no se reproduce en este informe (acceso restringido)",
        "Photographie intime : non reproduite dans ce rapport (accès restreint)",
    ),
    "image_not_available": ("Image not available", "Imagen no disponible", "Image non disponible"),
    "image_not_supplied": (
        "the file was not supplied",
        "no se proporcionó el archivo",
        "le fichier n'a pas été fourni",
    ),
    "image_hash_mismatch": (
        "the file supplied does not match the recorded SHA-256",
        "el archivo proporcionado no coincide con el SHA-256 registrado",
        "le fichier fourni ne correspond pas au SHA-256 enregistré",
    ),
    "image_unreadable": (
        "the file cannot be decoded completely",
        "el archivo no puede decodificarse por completo",
        "le fichier ne peut pas être décodé entièrement",
    ),
    "body_region": ("Region shown", "Región mostrada", "Région montrée"),
    "findings_shown": ("Findings shown", "Hallazgos que muestra", "Constatations montrées"),
    "scale": ("Scale in the frame", "Escala en la imagen", "Échelle dans l'image"),
    "colour_reference": (
        "Colour reference in the frame",
        "Referencia de color en la imagen",
        "Référence de couleur dans l'image",
    ),
    "missing_reference_reason": (
        "Why a reference is missing",
        "Motivo de la falta de referencia",
        "Motif de l'absence de référence",
    ),
    "lighting": ("Lighting", "Iluminación", "Éclairage"),
    "quality": ("Known defects", "Defectos conocidos", "Défauts connus"),
    "captured_at": ("Taken at", "Tomada el", "Prise le"),
    "captured_by": ("Taken by", "Tomada por", "Prise par"),
    "device": ("Device", "Dispositivo", "Appareil photo"),
    "derived_from": ("Derived from", "Derivada de", "Dérivée de"),
    "location_metadata": (
        "Location data in the original file",
        "Datos de ubicación en el archivo original",
        "Données de localisation dans le fichier original",
    ),
    "evidence_item": ("Evidence item", "Elemento de prueba", "Élément de preuve"),
    "sha256_original": ("SHA-256 of the original", "SHA-256 del original", "SHA-256 de l'original"),
    # samples
    "sample": ("Sample", "Muestra", "Échantillon"),
    "sample_type": ("Type", "Tipo", "Type"),
    "collected": (
        "Collected (when, by whom)",
        "Recogida (cuándo, por quién)",
        "Prélèvement (quand, par qui)",
    ),
    "collection": ("Method and container", "Método y recipiente", "Méthode et contenant"),
    "site": ("Site", "Lugar de toma", "Site de prélèvement"),
    "seal": ("Seal and label", "Precinto y etiqueta", "Scellé et étiquette"),
    "label_text": ("Label", "Etiqueta", "Étiquette"),
    "storage": ("Storage", "Conservación", "Conservation"),
    "analyses": ("Analyses requested", "Análisis solicitados", "Analyses demandées"),
    "results": ("Results", "Resultados", "Résultats"),
    # psychological evaluation
    "evaluator": ("Evaluator", "Evaluador", "Évaluateur"),
    "sessions": ("Sessions", "Sesiones", "Séances"),
    "cultural_and_language_considerations": (
        "Cultural and language considerations",
        "Consideraciones culturales y lingüísticas",
        "Considérations culturelles et linguistiques",
    ),
    "psychological_history": (
        "Psychological history",
        "Historia psicológica",
        "Anamnèse psychologique",
    ),
    "pre_torture": (
        "Before the alleged events",
        "Antes de los hechos alegados",
        "Avant les faits allégués",
    ),
    "torture_and_detention": (
        "Alleged torture and detention",
        "Tortura y detención alegadas",
        "Torture et détention alléguées",
    ),
    "post_torture": (
        "Since the alleged events",
        "Desde los hechos alegados",
        "Depuis les faits allégués",
    ),
    "current_complaints": ("Current complaints", "Quejas actuales", "Plaintes actuelles"),
    "past_psychiatric": (
        "Past psychiatric history",
        "Antecedentes psiquiátricos",
        "Antécédents psychiatriques",
    ),
    "substance_use": (
        "Use of alcohol and drugs",
        "Consumo de alcohol y drogas",
        "Consommation d'alcool et de drogues",
    ),
    "medical_incl_head_injury": (
        "Medical history, head injury included",
        "Antecedentes médicos, incluidos traumatismos craneales",
        "Antécédents médicaux, traumatismes crâniens compris",
    ),
    "mental_status": (
        "Mental status examination",
        "Examen del estado mental",
        "Examen de l'état mental",
    ),
    "appearance_behaviour": (
        "Appearance and behaviour",
        "Aspecto y conducta",
        "Présentation et comportement",
    ),
    "rapport": ("Rapport", "Relación con el evaluador", "Contact avec l'évaluateur"),
    "speech": ("Speech", "Lenguaje", "Discours"),
    "mood": ("Mood", "Estado de ánimo", "Humeur"),
    "affect": ("Affect", "Afecto", "Affect"),
    "perception": ("Perception", "Percepción", "Perception"),
    "thought_content": ("Thought content", "Contenido del pensamiento", "Contenu de la pensée"),
    "thought_process": ("Thought process", "Curso del pensamiento", "Cours de la pensée"),
    "cognition": ("Cognition", "Funciones cognitivas", "Fonctions cognitives"),
    "insight_judgement": (
        "Insight and judgement",
        "Introspección y juicio",
        "Conscience des troubles et jugement",
    ),
    "social_functioning": ("Social functioning", "Funcionamiento social", "Fonctionnement social"),
    "neuropsychological_assessment": (
        "Neuropsychological assessment",
        "Evaluación neuropsicológica",
        "Évaluation neuropsychologique",
    ),
    "coexisting_stressors": (
        "Coexisting stressors",
        "Factores estresantes concurrentes",
        "Facteurs de stress concomitants",
    ),
    "protective_factors_and_coping": (
        "Protective factors and coping",
        "Factores de protección y afrontamiento",
        "Facteurs de protection et stratégies d'adaptation",
    ),
    "course_and_timeframe": (
        "Course of symptoms in time",
        "Evolución temporal de los síntomas",
        "Évolution des symptômes dans le temps",
    ),
    "physical_contributors": (
        "Physical contributors",
        "Factores físicos contribuyentes",
        "Facteurs physiques contributifs",
    ),
    "instruments": (
        "Psychometric instruments",
        "Instrumentos psicométricos",
        "Instruments psychométriques",
    ),
    "instrument_caution": (
        "Psychometric instruments support, and never replace, the clinical interview; their "
        "results depend on their cultural and linguistic validity for the person examined "
        "(Istanbul Protocol, chapter VI).",
        "Los instrumentos psicométricos apoyan la entrevista clínica y nunca la sustituyen; "
        "sus resultados dependen de su validez cultural y lingüística para la persona "
        "examinada (Protocolo de Estambul, capítulo VI).",
        "Les instruments psychométriques étayent l'entretien clinique sans jamais le "
        "remplacer ; leurs résultats dépendent de leur validité culturelle et linguistique "
        "pour la personne examinée (Protocole d'Istanbul, chapitre VI).",
    ),
    "instrument": ("Instrument", "Instrumento", "Instrument"),
    "instrument_language": ("Language", "Idioma", "Langue"),
    "validated_for_population": (
        "Validated for the person's population",
        "Validado para la población de la persona",
        "Validé pour la population de la personne",
    ),
    "not_validated_caution": (
        "interpret with caution",
        "interpretar con cautela",
        "à interpréter avec prudence",
    ),
    "administered": ("Administered (by, on)", "Aplicado (por, el)", "Administré (par, le)"),
    "score": ("Score", "Puntuación", "Score"),
    "score_interpretation": ("Interpretation", "Interpretación", "Interprétation"),
    "diagnoses": ("Diagnoses", "Diagnósticos", "Diagnostics"),
    "no_diagnosis": (
        "No diagnosis was made.",
        "No se estableció ningún diagnóstico.",
        "Aucun diagnostic n'a été posé.",
    ),
    "classification": ("Classification", "Clasificación", "Classification"),
    "certainty": ("Certainty", "Grado de certeza", "Degré de certitude"),
    "criteria_met": ("Criteria met", "Criterios cumplidos", "Critères remplis"),
    "consistency_of_account": (
        "Consistency of the account",
        "Coherencia del relato",
        "Cohérence du récit",
    ),
    "inconsistency": ("Inconsistency", "Incoherencia", "Incohérence"),
    "possible_explanations": (
        "Possible explanations",
        "Explicaciones posibles",
        "Explications possibles",
    ),
    "clarification_sought": (
        "Clarification sought",
        "Se pidió aclaración",
        "Clarification demandée",
    ),
    "internal_consistency_notes": (
        "Internal consistency",
        "Coherencia interna",
        "Cohérence interne",
    ),
    "external_consistency_notes": (
        "Consistency with other information",
        "Coherencia con otra información",
        "Cohérence avec d'autres informations",
    ),
    "exaggeration": (
        "Exaggeration or fabrication",
        "Exageración o simulación",
        "Exagération ou simulation",
    ),
    "suspected": ("Suspected", "Sospechada", "Soupçonnée"),
    "second_opinion_obtained": (
        "Second opinion obtained",
        "Segunda opinión obtenida",
        "Second avis obtenu",
    ),
    "grounds": ("Grounds", "Motivos", "Motifs"),
    # interpretation and opinion
    "opinion": ("Opinion", "Opinión", "Avis"),
    "findings_assessed": ("Findings assessed", "Hallazgos evaluados", "Constatations évaluées"),
    "assessed_against": (
        "Assessed against",
        "Evaluados en relación con",
        "Évaluées au regard de",
    ),
    "circumstances": ("Circumstances", "Circunstancias", "Circonstances"),
    "self_harm_considered": (
        "Self-infliction considered",
        "Autolesión considerada",
        "Automutilation envisagée",
    ),
    "opinion_by": ("Opinion given by", "Opinión emitida por", "Avis rendu par"),
    "cause": ("Cause", "Causa", "Cause"),
    "likelihood": ("Likelihood", "Probabilidad", "Probabilité"),
    "reason": ("Reason", "Motivo", "Motif"),
    "no_overall_opinion": (
        "No overall opinion has been recorded yet.",
        "Aún no se ha registrado una opinión global.",
        "Aucun avis global n'a encore été consigné.",
    ),
    "considers": ("Evidence weighed", "Elementos considerados", "Éléments pris en compte"),
    "absence_of_findings": (
        "Absence of physical findings",
        "Ausencia de hallazgos físicos",
        "Absence de constatations physiques",
    ),
    "current_symptoms_and_disabilities": (
        "Current symptoms and disabilities",
        "Síntomas y discapacidades actuales",
        "Symptômes et incapacités actuels",
    ),
    "effects_on_social_functioning": (
        "Likely effects on social functioning",
        "Efectos probables en el funcionamiento social",
        "Effets probables sur le fonctionnement social",
    ),
    "limitations": ("Limitations", "Limitaciones", "Limites"),
    # departures
    "rules_broken": (
        "This document breaks rules of the Istanbul Protocol that a sealed evaluation must meet:",
        "Este documento incumple reglas del Protocolo de Estambul que una evaluación sellada "
        "debe cumplir:",
        "Ce document enfreint des règles du Protocole d'Istanbul qu'une évaluation scellée doit "
        "respecter :",
    ),
    "departures_found": (
        "Departures found on validation",
        "Desviaciones detectadas en la validación",
        "Écarts relevés lors de la validation",
    ),
    "departures_declared": (
        "Departures declared by the evaluators",
        "Desviaciones declaradas por los evaluadores",
        "Écarts déclarés par les évaluateurs",
    ),
    "rule": ("Rule", "Regla", "Règle"),
    "field": ("Field", "Campo", "Champ"),
    "problem": ("Problem", "Problema", "Problème"),
    "stated_reason": ("Reason stated", "Motivo declarado", "Motif déclaré"),
    "no_reason_stated": ("No reason stated", "No se declaró ningún motivo", "Aucun motif déclaré"),
    "element": ("Element", "Elemento", "Élément"),
    # signatures and addenda
    "signatures_note": (
        "Each evaluator seals the evaluation with a digital signature over its digest. This "
        "report shows the signatures as supplied; check them with the custody verifier "
        "against keys you trust.",
        "Cada evaluador sella la evaluación con una firma digital sobre su resumen "
        "criptográfico. Este informe muestra las firmas tal como se han proporcionado; "
        "verifíquelas con el verificador de custody frente a claves de su confianza.",
        "Chaque évaluateur scelle l'évaluation par une signature numérique portant sur son "
        "condensat. Ce rapport présente les signatures telles qu'elles ont été fournies ; "
        "vérifiez-les avec le vérificateur de custody au moyen de clés de confiance.",
    ),
    "signed": ("Signed", "Firmado", "Signé"),
    "not_signed": ("Not signed", "No firmado", "Non signé"),
    "signed_as": ("Name as signed", "Nombre indicado en la firma", "Nom indiqué dans la signature"),
    "key_id": ("Key identifier", "Identificador de la clave", "Identifiant de la clé"),
    "signed_digest": ("Digest signed", "Resumen criptográfico firmado", "Condensat signé"),
    "key_differs": (
        "The signing key is not the key declared for this evaluator.",
        "La clave de firma no es la declarada para este evaluador.",
        "La clé de signature n'est pas celle déclarée pour cet évaluateur.",
    ),
    "declared_key": ("Declared key", "Clave declarada", "Clé déclarée"),
    "digest_differs": (
        "This signature covers another version of the evaluation, not the one reported here.",
        "Esta firma cubre otra versión de la evaluación, no la que se presenta aquí.",
        "Cette signature porte sur une autre version de l'évaluation, et non sur celle "
        "présentée ici.",
    ),
    "supersedes": (
        "Replaces the sealed version",
        "Sustituye a la versión sellada",
        "Remplace la version scellée",
    ),
    "fields_changed": ("Fields changed", "Campos modificados", "Champs modifiés"),
}
