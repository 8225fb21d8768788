"""Reports people read: what the library's records mean, for clinicians and courts.

The report layer sits above the medical model and the verifier (``DESIGN.md``): it turns
their records into documents (medical reports, body diagrams, verification reports) and
never changes a record. Of the layers it alone, with intake, imports Pillow.

Body diagrams: :func:`draw_diagram` and :func:`diagram_png` draw each
:class:`~custody.medical.DiagramView` as an outline figure with numbered :class:`Marker`
points and a legend; :data:`VIEWS` gives each view's frame size in millimetres;
:func:`region_anchor` and :func:`default_view` place a marker when only the body region of
a finding was recorded.

Medical reports: :func:`render_medical_report` renders an evaluation as one self-contained
HTML document in English, Spanish or French (:data:`LANGUAGES`), with its body diagrams,
photograph thumbnails and the evaluators' :class:`Signature` s; :func:`term` and
:func:`label` give the translated vocabulary and headings.
"""

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
    Signature,
    diagram_png_for,
    render_medical_report,
    signatures_of,
)

__all__ = [
    "LANGUAGES",
    "VIEWS",
    "Language",
    "Marker",
    "PhotoImage",
    "Signature",
    "default_view",
    "diagram_png",
    "diagram_png_for",
    "draw_diagram",
    "label",
    "region_anchor",
    "render_medical_report",
    "signatures_of",
    "term",
]
