"""Reports people read: what the library's records mean, for clinicians and courts.

The report layer sits above the medical model and the verifier (``DESIGN.md``): it turns
their records into documents (medical reports, body diagrams, verification reports) and
never changes a record. Of the layers it alone, with intake, imports Pillow.

Body diagrams: :func:`draw_diagram` and :func:`diagram_png` draw each
:class:`~custody.medical.DiagramView` as an outline figure with numbered :class:`Marker`
points and a legend; :data:`VIEWS` gives each view's frame size in millimetres;
:func:`region_anchor` and :func:`default_view` place a marker when only the body region of
a finding was recorded.

Bundle verification reports: :func:`render_bundle_report` renders what
:func:`custody.bundle.verify_bundle` found as one self-contained HTML document for a judge,
verdict first, with the custody timeline figure of :func:`timeline_svg` (holders over time,
from :func:`custody_periods`) and :func:`explain_problem`'s plain words for each problem.

Medical reports: :func:`render_medical_report` renders an evaluation as one self-contained
HTML document in English, Spanish or French (:data:`LANGUAGES`), with its body diagrams,
photograph thumbnails, the evaluators' :class:`Signature` s and the :class:`ReviewNote` s of
reviewers who are not evaluators; :func:`term` and :func:`label` give the translated
vocabulary and headings.
"""

from custody.report._bundle_report import explain_problem, render_bundle_report
from custody.report._diagrams import (
    VIEWS,
    Marker,
    default_view,
    diagram_png,
    draw_diagram,
    region_anchor,
)
from custody.report._i18n import LANGUAGES, Language, label, term
from custody.report._medical_report import (
    PhotoImage,
    ReviewNote,
    Signature,
    diagram_png_for,
    render_medical_report,
    reviews_of,
    signatures_of,
)
from custody.report._timeline import Period, custody_periods, timeline_svg

__all__ = [
    "LANGUAGES",
    "VIEWS",
    "Language",
    "Marker",
    "Period",
    "PhotoImage",
    "ReviewNote",
    "Signature",
    "custody_periods",
    "default_view",
    "diagram_png",
    "diagram_png_for",
    "draw_diagram",
    "explain_problem",
    "label",
    "region_anchor",
    "render_bundle_report",
    "render_medical_report",
    "reviews_of",
    "signatures_of",
    "term",
    "timeline_svg",
]
