"""Intake on the command line: inspect, intake, fixity, derive and label."""

from __future__ import annotations

import io
import json
import os
import shutil
import sys
from pathlib import Path

import pytest
from PIL import Image

from cli_shell import Shell
from permissions import deny_access

IMAGES = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "images"
GPS_PHOTO = IMAGES / "jpg" / "gps" / "DSCN0010.jpg"
CASE = "NPM-2026-014"


def test_inspect_prints_what_intake_would_record_and_writes_nothing(
    sh: Shell, tmp_path: Path
) -> None:
    before = sorted(tmp_path.iterdir())
    assert sh("inspect", str(GPS_PHOTO), "--json", "--hash", "md5,sha1") == 0, sh.out
    facts = json.loads(sh.out)
    assert facts["media_type"] == "image/jpeg"
    assert facts["make"] == "NIKON"
    assert facts["gps"]["lat"] == pytest.approx(43.4674, abs=1e-3)
    assert set(facts["hashes"]) == {"sha256", "sha1", "md5"}
    assert facts["raw_tags"]["Image Make"] == "NIKON"
    assert sorted(tmp_path.iterdir()) == before
    assert sh("inspect", str(GPS_PHOTO)) == 0
    assert "captured at:" in sh.out
    assert "camera clock, unverified" in sh.out


def test_inspect_reports_broken_and_missing_files_without_a_traceback(
    sh: Shell, tmp_path: Path
) -> None:
    truncated = tmp_path / "cut.jpg"
    truncated.write_bytes(GPS_PHOTO.read_bytes()[:40_000])
    missing = tmp_path / "missing.jpg"
    assert sh("inspect", str(truncated), str(missing), str(IMAGES / "jpg" / "corrupted.jpg")) == 2
    assert "decodes:     truncated" in sh.out
    assert f"{missing}: error: {missing}: cannot open the file" in sh.out
    assert "decodes:     corrupt" in sh.out
    assert "Traceback" not in sh.out + sh.err


def test_intake_records_once_and_says_so(sh: Shell, chain: dict[str, str]) -> None:
    folder = IMAGES / "jpg" / "gps"
    argv = ["intake", CASE, str(folder), "--key", chain["ines"], "--notes", "from the visit"]
    assert sh(*argv, "--json") == 0, sh.err
    lines = [json.loads(line) for line in sh.out.splitlines()]
    assert [line["outcome"] for line in lines[:-1]] == ["recorded"] * 4
    assert lines[-1]["summary"]["recorded"] == 4
    assert sh(*argv) == 0, sh.err
    assert sh.out.count("already recorded: gps/") == 4
    assert "4 files: 0 recorded, 4 already recorded, 0 failed" in sh.out
    assert sh("verify-ledger") == 0, sh.out
    assert sh("log", CASE, "--json") == 0
    assert [e["type"] for e in json.loads(sh.out)].count("acquired") == 5


def test_intake_of_a_bad_file_goes_on_and_exits_2(
    sh: Shell, chain: dict[str, str], tmp_path: Path
) -> None:
    missing = tmp_path / "missing.jpg"
    assert sh("intake", CASE, str(missing), str(GPS_PHOTO), "--key", chain["ines"]) == 2
    assert f"failed: missing.jpg: {missing}: cannot open the file" in sh.out
    assert "2 files: 1 recorded, 0 already recorded, 1 failed" in sh.out


def test_fixity_finds_a_changed_blob_and_records_the_audit(
    sh: Shell, chain: dict[str, str]
) -> None:
    assert sh("intake", CASE, str(IMAGES / "jpg" / "orientation"), "--key", chain["ines"]) == 0
    assert sh("fixity", "--key", chain["ines"]) == 0, sh.out
    assert "checked 4 stored files: 0 problems, 0 unexpected files" in sh.out
    assert "recorded the audit as 4 accessed events" in sh.out
    blobs = sh.root / "ledger.blobs" / "sha256"
    victim = sorted(p for p in blobs.rglob("*") if p.is_file())[0]
    os.chmod(victim, 0o644)
    victim.write_bytes(victim.read_bytes() + b"\x00")
    shutil.copy(GPS_PHOTO, blobs / "stray.jpg")
    assert sh("fixity", "--json", "--key", chain["ines"]) == 1
    report = json.loads(sh.out)
    assert [p["state"] for p in report["problems"]] == ["changed"]
    assert report["problems"][0]["items"][0]["case"] == CASE
    assert report["unexpected"] == [str(blobs / "stray.jpg")]


def test_derive_and_label(sh: Shell, chain: dict[str, str]) -> None:
    assert sh("intake", CASE, str(GPS_PHOTO), "--key", chain["ines"], "--json") == 0, sh.err
    item = json.loads(sh.out.splitlines()[0])["item"]
    argv = ["derive", CASE, item, "--kind", "privacy-safe", "--key", chain["ines"]]
    assert sh(*argv) == 0, sh.err
    assert "as item F-" in sh.out
    assert sh(*argv) == 2
    assert "recorded already" in sh.err
    assert sh("log", CASE, "--json") == 0
    kinds = [event["type"] for event in json.loads(sh.out)]
    assert kinds[-2:] == ["accessed", "derived"]
    label = sh.root / "label.png"
    assert sh("label", CASE, "ITEM-1", "--out", str(label)) == 0, sh.err
    with Image.open(label) as image:
        assert image.format == "PNG"
    assert sh("label", CASE, "ITEM-1", "--out", str(label)) == 2
    assert "refusing to overwrite" in sh.err
    assert sh("verify-ledger") == 0, sh.out


class Terminal(io.StringIO):
    """Standard error as a terminal would be: rich draws its progress display on it."""

    def isatty(self) -> bool:
        return True


def test_intake_shows_progress_on_a_terminal_only(
    sh: Shell, chain: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    folder = IMAGES / "jpg" / "orientation"
    assert sh("intake", CASE, str(folder), "--key", chain["ines"]) == 0
    drawn = terminal.getvalue()
    assert "intake" in drawn
    assert "4/4" in drawn  # files done out of files found
    terminal.truncate(0)
    assert sh("intake", CASE, str(folder), "--key", chain["ines"], "--json") == 0
    assert terminal.getvalue() == ""  # --json output is for scripts: no display


def test_an_interrupted_command_says_what_stays_and_exits_130(
    sh: Shell, chain: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from custody.cli import _intake

    def interrupted(*_: object, **__: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(_intake, "intake", interrupted)
    assert sh("intake", CASE, str(GPS_PHOTO), "--key", chain["ines"]) == 130
    assert sh.err == "interrupted: everything recorded so far stays recorded\n"


def test_inspect_json_escapes_names_that_are_not_utf8(sh: Shell, tmp_path: Path) -> None:
    name = os.fsdecode(b"caf\xe9.jpg")  # as the shell hands such a name to custody
    shutil.copy(GPS_PHOTO, tmp_path / name)
    missing = os.fsdecode(b"gon\xe9.jpg")
    assert sh("inspect", str(tmp_path / name), str(tmp_path / missing), "--json") == 2
    found, failed = (json.loads(line) for line in sh.out.splitlines())
    assert found["file"] == f"{tmp_path}/caf\\xe9.jpg"
    assert failed["file"] == f"{tmp_path}/gon\\xe9.jpg"
    assert "gon\\xe9.jpg: cannot open the file" in failed["error"]
    assert "\\udc" not in sh.out  # no lone surrogates, which strict JSON parsers refuse
    sh.out.encode("utf-8")


def test_inspect_prints_each_time_with_its_own_note(sh: Shell) -> None:
    assert sh("inspect", str(GPS_PHOTO)) == 0
    assert "  captured at: 2008-10-22T16:28:39 (camera clock, unverified)\n" in sh.out
    assert (
        "  changed at:  2008-11-01T21:15:07 (EXIF DateTime: when the camera or software last "
        "wrote the file, not the capture time; unverified)\n"
    ) in sh.out
    edited = IMAGES / "jpg" / "xmp" / "BlueSquare.jpg"  # only a DateTime: no capture time
    assert sh("inspect", str(edited)) == 0
    assert "captured at:" not in sh.out
    assert "changed at:  2005-09-07T15:09:51 (EXIF DateTime" in sh.out
    assert sh("inspect", str(edited), "--json") == 0
    facts = json.loads(sh.out)
    assert (facts["captured_at"], facts["file_changed_at"]) == (None, "2005-09-07T15:09:51")


def test_a_folder_that_cannot_be_read_fails_the_intake(
    sh: Shell, chain: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "visit"
    (folder / "locked").mkdir(parents=True)
    shutil.copy(GPS_PHOTO, folder / "a.jpg")
    shutil.copy(IMAGES / "jpg" / "Canon_40D.jpg", folder / "locked" / "b.jpg")
    deny_access(monkeypatch, folder / "locked")
    assert sh("intake", CASE, str(folder), "--key", chain["ines"], "--workers", "1") == 2
    assert "failed: visit/locked: cannot read the folder (Permission denied)\n" in sh.out
    assert "2 files: 1 recorded, 0 already recorded, 1 failed" in sh.out


def test_a_tampered_blob_is_repaired_said_and_listed_by_fixity(
    sh: Shell, chain: dict[str, str]
) -> None:
    argv = ["intake", CASE, str(GPS_PHOTO), "--key", chain["ines"]]
    assert sh(*argv) == 0, sh.err
    blobs = sh.root / "ledger.blobs"
    (victim,) = (p for p in (blobs / "sha256").rglob("*") if p.is_file())
    victim.chmod(0o644)
    victim.write_bytes(b"tampered with")
    assert sh(*argv) == 0, sh.err
    (kept,) = (blobs / "damaged").iterdir()
    assert (
        f"repaired: DSCN0010.jpg: its stored copy was damaged and is replaced by this file's "
        f"bytes (the damaged copy is kept as {kept})\n"
    ) in sh.out
    assert "already recorded: DSCN0010.jpg is item F-" in sh.out
    assert kept.read_bytes() == b"tampered with"
    assert sh("fixity", "--key", chain["ines"]) == 0, sh.out
    assert f"  damaged copy kept: {kept}\n" in sh.out
    assert sh("fixity", "--key", chain["ines"], "--json") == 0
    assert json.loads(sh.out)["damaged_copies"] == [str(kept)]


def test_fixity_names_links_writable_and_unreadable_blobs_without_a_traceback(
    sh: Shell, chain: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = IMAGES / "jpg" / "orientation"
    assert sh("intake", CASE, str(folder), "--key", chain["ines"], "--json") == 0, sh.err
    stored = sorted(p for p in (sh.root / "ledger.blobs" / "sha256").rglob("*") if p.is_file())
    linked, writable, unreadable = stored[:3]
    outside = tmp_path / "outside.jpg"
    outside.write_bytes(linked.read_bytes())
    linked.unlink()
    linked.symlink_to(outside)
    writable.chmod(0o644)
    deny_access(monkeypatch, unreadable.parent)
    assert sh("fixity", "--key", chain["ines"]) == 1
    assert f"  not a regular file: {linked.name} (" in sh.out
    assert f"  writable: {writable.name} (" in sh.out
    assert f"  unreadable: {unreadable.name} (" in sh.out
    assert f"  cannot list: {unreadable.parent} (Permission denied)\n" in sh.out
    assert "Traceback" not in sh.out + sh.err


def test_a_label_beyond_the_bundled_font_names_the_option_to_use(
    sh: Shell, chain: dict[str, str]
) -> None:
    argv = ["item", "add", CASE, "ITEM-2", "--key", chain["ines"], "--description", "Prélèvement"]
    assert sh(*argv) == 0, sh.err
    assert sh("label", CASE, "ITEM-2", "--out", str(sh.root / "label.png")) == 2
    assert "give a font that has them (--font FILE.ttf on the command line" in sh.err
