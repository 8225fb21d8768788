"""The medical example's reports, in each language: sections, diagrams and signatures."""

from __future__ import annotations

import base64
import html.parser
import io
import re
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from custody.medical import ConsistencyLevel
from custody.report import label, term

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "medical_evaluation.py"
SECTIONS = (
    ("case-and-context", "case_and_context"),
    ("clinicians", "clinicians"),
    ("conditions", "conditions"),
    ("restrictions", "restrictions"),
    ("consent", "consent"),
    ("history", "history_and_allegations"),
    ("symptoms", "symptoms"),
    ("physical-examination", "physical_examination"),
    ("body-diagrams", "body_diagrams"),
    ("photographs", "photographs"),
    ("psychological-evaluation", "psychological_evaluation"),
    ("interpretation", "interpretation"),
    ("overall-opinion", "overall_opinion"),
    ("recommendations", "recommendations"),
    ("declarations", "declarations"),
    ("signatures", "signatures"),
)


class _Sections(html.parser.HTMLParser):
    """The text of each <section id=...> and of its first heading."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.headings: dict[str, str] = {}
        self._open: str | None = None
        self._in_heading = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "section" and found.get("id"):
            self._open = found["id"]
            self.ids.append(self._open or "")
        elif tag in ("h2", "h3") and self._open and self._open not in self.headings:
            self._in_heading = True
            self.headings[self._open] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag in ("h2", "h3"):
            self._in_heading = False

    def handle_data(self, data: str) -> None:
        if self._in_heading and self._open:
            self.headings[self._open] += data


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("medical-example")
    result = subprocess.run(
        [sys.executable, str(EXAMPLE), str(folder)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return {
        language: (folder / f"report-{language}.html").read_text(encoding="utf-8")
        for language in ("en", "es", "fr")
    }


@pytest.mark.parametrize("language", ["en", "es", "fr"])
def test_each_report_has_every_section_headed_in_its_language(
    reports: dict[str, str], language: str
) -> None:
    parsed = _Sections()
    parsed.feed(reports[language])
    for section_id, key in SECTIONS:
        assert section_id in parsed.ids
        assert label(key, language) in parsed.headings[section_id]


@pytest.mark.parametrize("language", ["en", "es", "fr"])
def test_each_report_states_the_opinions_in_the_protocol_terms(
    reports: dict[str, str], language: str
) -> None:
    page = reports[language]
    assert term(ConsistencyLevel.HIGHLY_CONSISTENT_WITH, language) in page
    assert term(ConsistencyLevel.CONSISTENT_WITH, language) in page


@pytest.mark.parametrize("language", ["en", "es", "fr"])
def test_each_report_embeds_its_body_diagrams(reports: dict[str, str], language: str) -> None:
    diagrams = re.findall(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', reports[language])
    assert len(diagrams) == 3  # back, front and the back of the hands
    for encoded in diagrams:
        with Image.open(io.BytesIO(base64.b64decode(encoded))) as picture:
            assert picture.format == "PNG"
            assert round(picture.info["dpi"][0]) == 300


@pytest.mark.parametrize("language", ["en", "es", "fr"])
def test_each_report_shows_both_signatures_with_fingerprints(
    reports: dict[str, str], language: str
) -> None:
    page = reports[language]
    signatures = page[page.index('id="signatures"') :]
    for name in ("Dr Amina Verhoeven (fictional)", "Dr Tomas Lindqvist (fictional)"):
        assert name in signatures
    assert label("not_signed", language) not in signatures
    # Key ids in full and as grouped fingerprints (four hex digits per group).
    assert len(re.findall(r"\b[0-9a-f]{64}\b", signatures)) >= 2
    assert re.search(r"([0-9a-f]{4} ){7}[0-9a-f]{4}", signatures)


@pytest.mark.parametrize("language", ["en", "es", "fr"])
def test_each_report_shows_the_colleague_review(reports: dict[str, str], language: str) -> None:
    reviews = reports[language][reports[language].index('id="reviews"') :]
    assert label("review", language) in reviews
    assert label("no_review_recorded", language) not in reviews
    assert re.search(r"([0-9a-f]{4} ){7}[0-9a-f]{4}", reviews)
