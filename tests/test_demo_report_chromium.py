"""The demo's report in a real browser: headless Chromium renders it to a non-blank picture."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from custody.demo import run_demo

CHROMIUM = shutil.which("chromium")

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")


def test_demo_report_renders_in_chromium(tmp_path: Path) -> None:
    assert CHROMIUM is not None
    result = run_demo(tmp_path / "demo", say=lambda _: None)
    assert result.ok
    html = result.report.read_text(encoding="utf-8")
    first_heading = html.index("<h2")
    assert "VERIFIED" in html[:first_heading]  # the verdict comes first

    shot = tmp_path / "report.png"
    subprocess.run(
        [
            CHROMIUM,
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--window-size=1280,900",
            f"--screenshot={shot}",
            result.report.resolve().as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert shot.is_file()
    with Image.open(shot) as picture:
        picture.load()
        assert picture.size == (1280, 900)
        colours = picture.convert("RGB").getcolors(maxcolors=1 << 20)
    assert colours is not None
    assert len(colours) > 16, "the screenshot is (nearly) blank"
