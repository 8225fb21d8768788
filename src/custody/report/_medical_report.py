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
  are left out. Intimate photographs (marked so, or showing an intimate region or a finding
  in one) are never reproduced, only described: their files are dropped as soon as they are
  given. Other photographs appear as thumbnails re-encoded from their decoded pixels:
  upright, at most :data:`THUMBNAIL_SIDE` pixels, without EXIF, GPS or any other metadata,
  and only when the bytes given hash to the SHA-256 the evaluation records.
* Signatures and reviews are shown as the caller gives them; nothing here verifies them
  (``custody.verify`` does). The status line is the caller's, or derived from the
  signatures given.
* The output depends only on the arguments (and on the installed Pillow and fonts): the same
  input gives the same text. No clock is read.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any, Final

import attrs

from custody.errors import InvalidInput
from custody.medical import (
    Clinician,
    Evaluation,
    EvaluationState,
    EvaluationStatus,
    photograph_restricted,
)
from custody.report._case_sections import CASE_PARTS
from custody.report._conclusion_sections import CONCLUSION_PARTS
from custody.report._examination_sections import DIAGRAM_DPI, EXAMINATION_PARTS, diagram_files
from custody.report._html import STYLESHEET, Html, code, el, link, note, void
from custody.report._i18n import LANGUAGES
from custody.report._report_context import Part, ReportContext, dl, none_recorded
from custody.report._thumbnails import MAX_PHOTO_PIXELS, THUMBNAIL_SIDE

__all__ = [
    "DIAGRAM_DPI",
    "MAX_PHOTO_PIXELS",
    "THUMBNAIL_SIDE",
    "PhotoImage",
    "ReviewNote",
    "Signature",
    "diagram_png_for",
    "render_medical_report",
    "reviews_of",
    "signatures_of",
]

_HEX = re.compile(r"(?:[0-9a-f]{2}){1,64}")


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
class ReviewNote:
    """A review of the evaluation by someone who is not an evaluator, as the report shows it
    (verified elsewhere).

    Attributes:
        key_id: the reviewer's key id (lowercase hexadecimal).
        reviewed_at: when the review was signed (timezone-aware; shown in UTC).
        digest: the evaluation digest the review covers (lowercase hexadecimal).
    """

    key_id: str = attrs.field(validator=_validator(_require_hex))
    reviewed_at: datetime = attrs.field(validator=_validator(_require_moment))
    digest: str = attrs.field(validator=_validator(_require_hex))


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
    reviews: Sequence[ReviewNote] | None = None,
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
            not available". Intimate photographs are never shown, whatever is given: those
            marked intimate, and those of an intimate region or of a finding in one.
        status: the status line of the header, as the caller established it: an
            :class:`~custody.medical.EvaluationStatus` (shown in the report's language) or
            text (shown as given); by default, derived from ``signatures`` and ``digest``.
        digest: the evaluation digest (lowercase hexadecimal) of the version reported;
            signatures and reviews over another digest are flagged.
        reviews: the reviews of the version by someone who is not an evaluator. ``None``
            (the default) says nothing about reviews and the report shows none; an empty
            sequence says that none is recorded, and the report states it.

    Returns:
        The HTML text; the same arguments always give the same text.

    Raises:
        InvalidInput: ``language`` is not supported; a signature, a review, a photograph
            file or the digest is malformed; a signature names no evaluator, or one
            evaluator twice.
    """
    _check_arguments(evaluation, language)
    if digest is not None:
        _require_hex(digest, "digest")
    if status is not None:
        _require_text(status, "status")
    report = ReportContext(
        evaluation=evaluation,
        language=language,
        signatures=_signatures_by_evaluator(evaluation, signatures),
        photo_files=_photo_files(evaluation, photographs),
        digest=digest,
        reviews=_checked_reviews(reviews),
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


def reviews_of(state: EvaluationState) -> list[ReviewNote]:
    """The reviews of the current version of a recorded evaluation, for the report, in the
    order recorded. They are read from the ledger's state, not verified again."""
    return [
        ReviewNote(
            key_id=review.key_id.hex(),
            reviewed_at=review.reviewed_at,
            digest=review.digest.hex(),
        )
        for review in state.reviews
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
    r = ReportContext(
        evaluation=evaluation,
        language=language,
        signatures={},
        photo_files={},
        digest=None,
        reviews=None,
    )
    return diagram_files(r)


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


def _checked_reviews(reviews: Sequence[ReviewNote] | None) -> tuple[ReviewNote, ...] | None:
    if reviews is None:
        return None
    if isinstance(reviews, str | bytes) or not isinstance(reviews, Sequence):
        raise InvalidInput("must be a sequence of ReviewNote", field="reviews")
    for index, review in enumerate(reviews):
        if not isinstance(review, ReviewNote):
            raise InvalidInput("is not a ReviewNote", field=f"reviews[{index}]")
        attrs.validate(review)  # validators can be switched off globally
    return tuple(reviews)


def _photo_files(
    evaluation: Evaluation,
    photographs: Mapping[str, bytes] | Sequence[PhotoImage] | None,
) -> dict[str, bytes]:
    """The files given by photograph id, less those of intimate photographs and of those
    whose consent was withdrawn, so that no later step can reproduce one."""
    if photographs is None:
        return {}
    if isinstance(photographs, Mapping):
        given = [PhotoImage(photo_id, data) for photo_id, data in photographs.items()]
    elif isinstance(photographs, Sequence) and not isinstance(photographs, str | bytes):
        given = list(photographs)
    else:
        raise InvalidInput("must be a mapping of id to bytes, or PhotoImages", field="photographs")
    restricted = {
        p.photo_id for p in evaluation.photographs if photograph_restricted(evaluation, p)
    }
    files: dict[str, bytes] = {}
    for index, photo in enumerate(given):
        if not isinstance(photo, PhotoImage):
            raise InvalidInput("is not a PhotoImage", field=f"photographs[{index}]")
        attrs.validate(photo)
        if photo.photo_id not in restricted:
            files[photo.photo_id] = photo.data
    return files


# --- the document -----------------------------------------------------------------------------

# Even if a bug let markup through the escaping, the browser would run no script and fetch
# nothing: only the inline style and data: images are allowed.
_CONTENT_SECURITY_POLICY = (
    "default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
    "base-uri 'none'; form-action 'none'"
)

#: The sections, in the order of the report (each module of sections lists its own in order).
_PARTS: Final = (*CASE_PARTS, *EXAMINATION_PARTS, *CONCLUSION_PARTS)


def _document(r: ReportContext, status: str) -> str:
    e = r.evaluation
    head = el(
        "head",
        void("meta", charset="utf-8"),
        void("meta", http_equiv="Content-Security-Policy", content=_CONTENT_SECURITY_POLICY),
        void("meta", name="viewport", content="width=device-width, initial-scale=1"),
        void("meta", name="generator", content="custody"),
        el("title", f"{r.t('report_title')} — {e.evaluation_id}"),
        el("style", Html(STYLESHEET)),
    )
    main = el("main", (_section(r, part) for part in _PARTS))
    body = el("body", _header(r, status), main, _footer(r, status))
    return "<!DOCTYPE html>\n" + el("html", head, body, lang=r.language) + "\n"


def _header(r: ReportContext, status: str) -> Html:
    e = r.evaluation
    facts = dl(
        r,
        [
            ("evaluation_id", code(e.evaluation_id)),
            ("subject_pseudonym", code(e.subject.subject_id)),
            ("protocol_version", r.term(e.protocol_version)),
            ("evaluation_digest", code(r.digest) if r.digest else None),
            ("free_text_language", code(e.language)),
        ],
    )
    return el(
        "header",
        el("p", r.t("istanbul_protocol"), class_="kicker"),
        el("h1", r.t("report_title")),
        el("p", el("span", r.t("status"), ":", class_="k"), " ", status, class_="status"),
        facts,
        note(r.t("confidential_notice")),
        _contents(r),
        class_="report-header",
    )


def _contents(r: ReportContext) -> Html:
    entries = (el("li", link(part.id, r.t(part.key))) for part in _PARTS)
    return el(
        "nav",
        el("h2", r.t("contents")),
        el("ol", entries),
        class_="contents",
        aria_label=r.t("contents"),
    )


def _footer(r: ReportContext, status: str) -> Html:
    e = r.evaluation
    parts = [f"{r.t('evaluation_id')}: {e.evaluation_id}", status]
    if r.digest:
        parts.append(f"{r.t('evaluation_digest')}: {r.digest}")
    return el("footer", el("p", " · ".join(parts)))


def _section(r: ReportContext, part: Part) -> Html:
    heading = f"{part.id}-heading"
    return el(
        "section",
        el("h2", r.t(part.key), id=heading),
        part.body(r) or none_recorded(r),
        id=part.id,
        class_="new-page" if part.new_page else None,
        aria_labelledby=heading,
    )


# --- the status line --------------------------------------------------------------------------

_STATUS_LABELS: Final[Mapping[EvaluationStatus, str]] = {
    EvaluationStatus.DRAFT: "status_draft",
    EvaluationStatus.SEALED: "status_sealed",
    EvaluationStatus.AMENDED: "status_amended",
}


def _status_line(r: ReportContext, status: str | EvaluationStatus | None) -> str:
    """The caller's status (a lifecycle status in words), else what the signatures show."""
    if isinstance(status, EvaluationStatus):
        return r.t(_STATUS_LABELS[status])
    if status is not None:
        return status
    sealed = all(_seals(r, c) for c in r.evaluation.evaluators)
    return r.t("status_sealed" if sealed else "status_draft")


def _seals(r: ReportContext, c: Clinician) -> bool:
    """Whether ``c`` has a signature with their declared key over the digest reported."""
    s = r.signatures.get(c.clinician_id)
    return s is not None and s.key_id == c.key_id and r.digest in (None, s.digest)
