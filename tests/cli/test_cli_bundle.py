"""``custody export`` and ``custody verify BUNDLE``, driven through ``main(argv)``."""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from cli_shell import PASS, Shell
from custody.bundle import verify_bundle
from custody.crypto import Checkpoint, sign_checkpoint
from custody.errors import BundleUnreadable
from custody.keyfiles import load_signing_key
from custody.verify import TrustPolicy

CASE = "NPM-2026-014"
ORIGIN = "custody.test/unit-7"


def _public(sh: Shell, keyfile: str) -> str:
    assert sh("keys", "show", keyfile, "--json") == 0, sh.err
    return str(json.loads(sh.out)["public_key"])


def _trust(sh: Shell, keys: dict[str, str], people: tuple[str, ...] = ("ines", "carl")) -> str:
    """A trust policy listing ``people`` and the log key."""
    policy = {
        "custody_trust": 1,
        "keys": [
            {"name": name.title(), "public_key": _public(sh, keys[name]), "roles": ["custodian"]}
            for name in people
        ],
        "logs": [{"origin": ORIGIN, "public_key": _public(sh, keys["log"])}],
    }
    path = sh.root / f"trust-{'-'.join(people)}.json"
    path.write_text(json.dumps(policy))
    return str(path)


def _export(sh: Shell, keys: dict[str, str], name: str = "case.custody", *more: str) -> str:
    out = str(sh.root / name)
    code = sh("export", CASE, out, "--key", keys["ines"], "--log-key", keys["log"], *more)
    assert code == 0, sh.err
    return out


def _photograph(sh: Shell, keys: dict[str, str]) -> str:
    """Take one JPEG into the case; its item reference."""
    path = sh.root / "IMG_0001.jpg"
    Image.new("RGB", (64, 48), (150, 90, 80)).save(path, quality=90)
    assert sh("intake", CASE, str(path), "--key", keys["ines"], "--json") == 0, sh.err
    return str(json.loads(sh.out.splitlines()[0])["item"])


def test_export_then_verify_exits_0(sh: Shell, chain: dict[str, str]) -> None:
    bundle = str(sh.root / "case.custody")
    code = sh(
        "export",
        CASE,
        bundle,
        "--key",
        chain["ines"],
        "--log-key",
        chain["log"],
        "--purpose",
        "for the court",
        "--at",
        "2026-11-21T10:00:00+01:00",
    )
    assert code == 0, sh.err
    assert f"Exported case {CASE} to {bundle}" in sh.out
    assert "events:     5 signed events" in sh.out
    assert "0 carried, 0 withheld" in sh.out
    assert "recorded now" in sh.out
    assert f"custody verify {bundle} --trust" in sh.out
    assert Path(bundle).stat().st_size > 0

    trust = _trust(sh, chain)
    assert sh("verify", bundle, "--trust", trust) == 0, sh.out + sh.err
    lines = sh.out.splitlines()
    assert lines[0] == "VERIFIED"
    assert f"case {CASE}" in lines[1]
    assert lines[-1].startswith("checks: ")
    assert " 0 failed" in lines[-1]
    assert sh.err == ""


def test_verify_json_prints_the_verification_and_nothing_else(
    sh: Shell, chain: dict[str, str]
) -> None:
    bundle = _export(sh, chain)
    assert sh("verify", bundle, "--trust", _trust(sh, chain), "--json") == 0
    verification = json.loads(sh.out)  # the whole of stdout is one JSON document
    assert {"ok", "problems", "checks", "items", "signers", "timeline"} <= set(verification)
    assert verification["ok"] is True
    assert verification["problems"] == []
    assert verification["case"] == CASE
    assert [item["reference"] for item in verification["items"]] == ["ITEM-1"]
    assert {s["trusted_name"] for s in verification["signers"]} == {"Ines", "Carl"}
    assert [e["type"] for e in verification["timeline"]] == [
        "opened",
        "acquired",
        "transferred",
        "received",
        "exported",
    ]
    assert all(check["failed"] == 0 for check in verification["checks"])


def test_verify_html_writes_the_report_and_replaces_an_old_one(
    sh: Shell, chain: dict[str, str]
) -> None:
    bundle = _export(sh, chain)
    report = sh.root / "report.html"
    report.write_text("an older report")
    assert sh("verify", bundle, "--trust", _trust(sh, chain), "--html", str(report)) == 0
    html = report.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert "VERIFIED" in html
    assert f"report written to {report}" in sh.out
    assert [p.name for p in sh.root.iterdir() if p.name.startswith(".custody-report-")] == []


def test_verify_html_draws_claimed_times_at_the_ends_of_the_years_1_to_9999(
    sh: Shell, chain: dict[str, str]
) -> None:
    for at in ("9999-12-31T23:59:00+00:00", "0001-01-01T00:00:00+00:00"):
        assert sh("event", "store", CASE, "ITEM-1", "--key", chain["carl"], "--at", at) == 0, sh.err
    bundle = _export(sh, chain)
    report = sh.root / "report.html"
    code = sh("verify", bundle, "--trust", _trust(sh, chain), "--html", str(report))
    assert code == 0, sh.out + sh.err
    html = report.read_text(encoding="utf-8")
    assert "9999-12-31 23:59:00 UTC" in html
    assert "0001-01-01 00:00:00 UTC" in html


def test_untrusted_signer_exits_1_naming_key_untrusted(sh: Shell, chain: dict[str, str]) -> None:
    bundle = _export(sh, chain)
    trust = _trust(sh, chain, people=("ines",))  # Carl's key is left out
    report = sh.root / "report.html"
    assert sh("verify", bundle, "--trust", trust, "--html", str(report)) == 1
    lines = sh.out.splitlines()
    assert re.fullmatch(r"NOT VERIFIED: (1 problem|[0-9]+ problems)", lines[0])
    assert "KEY_UNTRUSTED" in sh.out
    assert "not in your trust policy" in sh.out
    assert report.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")  # written anyway
    assert sh("verify", bundle, "--trust", trust, "--json") == 1
    verification = json.loads(sh.out)
    assert verification["ok"] is False
    assert "KEY_UNTRUSTED" in {p["code"] for p in verification["problems"]}


@pytest.mark.parametrize(
    "content",
    [b"", b"not a bundle at all", bytes(range(256)) * 40, b"PK\x05\x06" + b"\xff" * 18],
    ids=["empty", "text", "binary", "bogus-end-record"],
)
def test_garbage_bundle_exits_2_without_a_traceback(
    sh: Shell, chain: dict[str, str], content: bytes
) -> None:
    garbage = sh.root / "garbage.custody"
    garbage.write_bytes(content)
    report = sh.root / "report.html"
    assert sh("verify", str(garbage), "--trust", _trust(sh, chain), "--html", str(report)) == 2
    assert sh.err.startswith("error: ")
    assert str(garbage) in sh.err
    assert "Traceback" not in sh.err
    assert sh.out == ""
    assert not report.exists()


def test_missing_bundle_and_bad_trust_files_exit_2(sh: Shell, chain: dict[str, str]) -> None:
    bundle = _export(sh, chain)
    assert sh("verify", str(sh.root / "absent.custody"), "--trust", _trust(sh, chain)) == 2
    assert "absent.custody" in sh.err
    assert sh("verify", bundle, "--trust", str(sh.root / "absent.json")) == 2
    assert "absent.json" in sh.err
    broken = sh.root / "broken.json"
    broken.write_text("{not json")
    assert sh("verify", bundle, "--trust", str(broken)) == 2
    assert "Traceback" not in sh.err


def test_missing_trust_is_a_usage_error(sh: Shell, chain: dict[str, str]) -> None:
    bundle = _export(sh, chain)
    assert sh("verify", bundle) == 2
    assert "--trust" in sh.err
    assert sh.out == ""


def test_export_refuses_an_existing_file(sh: Shell, chain: dict[str, str]) -> None:
    existing = sh.root / "case.custody"
    existing.write_bytes(b"keep me")
    code = sh("export", CASE, str(existing), "--key", chain["ines"], "--log-key", chain["log"])
    assert code == 2
    assert str(existing) in sh.err
    assert existing.read_bytes() == b"keep me"


def test_export_of_an_unknown_case_exits_2(sh: Shell, chain: dict[str, str]) -> None:
    out = sh.root / "other.custody"
    assert sh("export", "NO-SUCH-CASE", str(out), "--key", chain["ines"]) == 2
    assert "NO-SUCH-CASE" in sh.err
    assert not out.exists()


def test_hashes_only_item_is_reported_withheld_and_verifies(
    sh: Shell, chain: dict[str, str]
) -> None:
    photo = _photograph(sh, chain)
    bundle = _export(sh, chain, "case.custody", "--hashes-only", photo)
    assert "0 carried, 1 withheld" in sh.out
    trust = _trust(sh, chain)
    assert sh("verify", bundle, "--trust", trust) == 0, sh.out
    assert sh.out.splitlines()[0] == "VERIFIED"
    assert f"withheld: item {photo}" in sh.out
    assert sh("verify", bundle, "--trust", trust, "--json") == 0
    items = {item["reference"]: item for item in json.loads(sh.out)["items"]}
    assert [f["status"] for f in items[photo]["files"]] == ["withheld"]
    assert items[photo]["files"][0]["member"] is None


def test_export_without_a_blob_store_needs_every_file_withheld(
    sh: Shell, chain: dict[str, str]
) -> None:
    photo = _photograph(sh, chain)
    nowhere = str(sh.root / "no-such.blobs")
    keys = ["--key", chain["ines"], "--log-key", chain["log"]]
    refused = sh.root / "refused.custody"
    assert sh("--blobs", nowhere, "export", CASE, str(refused), *keys) == 2
    assert photo in sh.err
    assert not refused.exists()
    bundle = sh.root / "hashes.custody"
    code = sh("--blobs", nowhere, "export", CASE, str(bundle), *keys, "--hashes-only", photo)
    assert code == 0, sh.err
    assert sh("verify", str(bundle), "--trust", _trust(sh, chain)) == 0, sh.out


def test_export_again_of_an_unchanged_case_reuses_the_export(
    sh: Shell, chain: dict[str, str]
) -> None:
    first = _export(sh, chain, "first.custody", "--at", "2026-11-21T10:00:00+01:00")
    second = sh.root / "second.custody"
    assert sh("export", CASE, str(second), "--key", chain["ines"]) == 0, sh.err  # no log key
    assert "reused the export recorded earlier" in sh.out
    assert Path(first).read_bytes() == second.read_bytes()


def test_export_of_selected_items(sh: Shell, chain: dict[str, str]) -> None:
    photo = _photograph(sh, chain)
    bundle = _export(sh, chain, "photo.custody", "--item", photo)
    assert "1 carried, 0 withheld" in sh.out
    assert sh("verify", bundle, "--trust", _trust(sh, chain), "--json") == 0, sh.out
    assert [item["reference"] for item in json.loads(sh.out)["items"]] == [photo]


def test_a_zip_that_is_no_bundle_is_unusable(tmp_path: Path) -> None:
    plain = tmp_path / "photos.zip"
    with zipfile.ZipFile(plain, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("IMG_0001.jpg", b"not really a photograph")
    trust = tmp_path / "trust.json"
    trust.write_text('{"custody_trust": 1}')
    with pytest.raises(BundleUnreadable, match="not a custody bundle"):
        verify_bundle(plain, TrustPolicy.from_file(trust))


# --- checkpoints the verifier holds -------------------------------------------------------


def _rewritten_checkpoint(sh: Shell, keys: dict[str, str], held: Path) -> Path:
    """A checkpoint of ``held``'s size over another history, signed by the same log key."""
    size = int(held.read_text().splitlines()[1])
    log = load_signing_key(keys["log"], PASS.encode())
    other = Checkpoint(ORIGIN, size, hashlib.sha256(b"another history").digest())
    path = sh.root / "rewritten-checkpoint.txt"
    path.write_text(sign_checkpoint(other, log))
    return path


def test_verify_with_a_checkpoint_kept_earlier_exits_0(sh: Shell, chain: dict[str, str]) -> None:
    bundle = _export(sh, chain)
    held = str(sh.root / "cp1.txt")  # signed before the export: carried as an earlier one
    assert sh("verify", bundle, "--trust", _trust(sh, chain), "--checkpoint", held) == 0, sh.out
    assert sh.out.splitlines()[0] == "VERIFIED"
    assert sh.err == ""


def test_verify_with_a_checkpoint_of_a_rewritten_log_exits_1(
    sh: Shell, chain: dict[str, str]
) -> None:
    bundle = _export(sh, chain)
    held = sh.root / "cp1.txt"
    rewritten = _rewritten_checkpoint(sh, chain, held)
    trust = _trust(sh, chain)
    code = sh(
        "verify",
        bundle,
        "--trust",
        trust,
        "--checkpoint",
        str(held),
        "--checkpoint",
        str(rewritten),
    )
    assert code == 1, sh.out + sh.err
    size = held.read_text().splitlines()[1]
    assert f"LOG_INCONSISTENT at checkpoint of size {size}, held checkpoint 2" in sh.out
    assert "the log was rewritten" in sh.out


def test_verify_with_a_checkpoint_newer_than_the_bundle_exits_1(
    sh: Shell, chain: dict[str, str]
) -> None:
    bundle = _export(sh, chain)
    code = sh("event", "access", CASE, "ITEM-1", "--key", chain["carl"], "--purpose", "look")
    assert code == 0, sh.err
    newer = str(sh.root / "cp2.txt")
    assert sh("checkpoint", "--key", chain["log"], "--out", newer) == 0, sh.err
    assert sh("verify", bundle, "--trust", _trust(sh, chain), "--checkpoint", newer) == 1
    assert "CHECKPOINT_UNPROVEN at checkpoint of size" in sh.out
    assert "custody verify-ledger --checkpoint" in sh.out


@pytest.mark.parametrize(
    ("content", "told"),
    [(None, "no such checkpoint file"), (b"\xff\xfe not text", "checkpoint is not UTF-8 text")],
    ids=["missing", "not-text"],
)
def test_an_unreadable_checkpoint_file_exits_2(
    sh: Shell, chain: dict[str, str], content: bytes | None, told: str
) -> None:
    bundle = _export(sh, chain)
    held = sh.root / "held.txt"
    if content is not None:
        held.write_bytes(content)
    assert sh("verify", bundle, "--trust", _trust(sh, chain), "--checkpoint", str(held)) == 2
    assert sh.err == f"error: {held}: {told}\n"
    assert sh.out == ""
