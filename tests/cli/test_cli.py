"""The command line, driven through ``main(argv)``: a whole chain of custody and bad input."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from cli_shell import PASS, Shell


def test_a_whole_chain_of_custody(sh: Shell, chain: dict[str, str]) -> None:
    assert sh("log", "NPM-2026-014") == 0
    assert "transferred" in sh.out
    assert "received" in sh.out
    assert "seals: S-1 (intact)" in sh.out
    assert "to: Carl (courier)" in sh.out
    assert sh("log", "NPM-2026-014", "--json") == 0
    timeline = json.loads(sh.out)
    assert [e["type"] for e in timeline] == ["opened", "acquired", "transferred", "received"]
    assert timeline[1]["time"] == "2026-11-20T08:30:00Z"
    assert sh("verify-ledger", "--checkpoint", str(sh.root / "cp1.txt")) == 0, sh.out
    assert sh.out.splitlines()[1].startswith("VERIFIED")
    assert sh("case", "list", "--json") == 0
    assert json.loads(sh.out)[0]["items"] == 1
    assert sh("actor", "list") == 0
    assert "Carl (courier)" in sh.out


def test_refused_transition_exits_2_and_records_nothing(sh: Shell, chain: dict[str, str]) -> None:
    before = _entries(sh)
    assert sh("event", "dispose", "NPM-2026-014", "ITEM-1", "--key", chain["ines"]) == 2
    assert "NOT_HOLDER" in sh.err
    assert "Traceback" not in sh.err
    assert _entries(sh) == before


def test_verify_ledger_with_a_trust_policy(sh: Shell, chain: dict[str, str]) -> None:
    policy = {
        "custody_trust": 1,
        "keys": [{"name": "Ines", "public_key": _public(sh, chain["ines"])}],
        "logs": [{"origin": "custody.test/unit-7", "public_key": _public(sh, chain["log"])}],
    }
    trust = sh.root / "trust.json"
    trust.write_text(json.dumps(policy))
    assert sh("verify-ledger", "--trust", str(trust), "--json") == 1
    report = json.loads(sh.out)
    assert report["ok"] is False
    assert {p["code"] for p in report["problems"]} == {"KEY_UNTRUSTED"}
    assert report["problems"][0]["where"] == {
        "case": "NPM-2026-014",
        "item": "ITEM-1",
        "seq": 2,
        "index": 3,
    }


def test_tampered_ledger_fails_verification_with_exit_1(sh: Shell, chain: dict[str, str]) -> None:
    with sqlite3.connect(sh.root / "ledger.db") as db:
        db.execute("DROP TRIGGER entries_no_delete")
        db.execute("DELETE FROM entries WHERE idx = 3")
    assert sh("verify-ledger") == 1
    assert "CHECKPOINT_BEYOND_LOG" in sh.out


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["bogus"],
        ["event", "teleport", "C", "I", "--key", "k"],
        ["keys"],
        ["log"],
        ["verify-ledger", "--nope"],
    ],
)
def test_usage_errors_exit_2(sh: Shell, argv: list[str]) -> None:
    assert sh(*argv) == 2
    assert sh.err.startswith("error:")
    assert sh.err[-1] == "\n"
    assert sh.err.count("\n") == 1


def test_wrong_passphrase_exits_2(
    sh: Shell, chain: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CUSTODY_PASSPHRASE", "wrong")
    before = _entries(sh)
    assert sh("event", "access", "NPM-2026-014", "ITEM-1", "--key", chain["carl"]) == 2
    assert "passphrase" in sh.err
    assert _entries(sh) == before


def test_corrupt_key_file_exits_2(sh: Shell, chain: dict[str, str]) -> None:
    broken = sh.root / "broken.key"
    data = Path(chain["carl"]).read_bytes()
    broken.write_bytes(data[: len(data) // 2])
    before = _entries(sh)
    assert sh("event", "access", "NPM-2026-014", "ITEM-1", "--key", str(broken)) == 2
    assert sh.err.startswith("error:")
    assert _entries(sh) == before


def test_a_file_that_is_not_a_ledger_exits_2(sh: Shell) -> None:
    bogus = sh.root / "notes.txt"
    bogus.write_text("shopping list")
    assert sh("--ledger", str(bogus), "case", "list") == 2
    assert "not a custody ledger" in sh.err
    assert bogus.read_text() == "shopping list"


def test_keys_refuse_unencrypted_unless_asked(sh: Shell, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CUSTODY_PASSPHRASE")
    path = sh.root / "k.key"
    assert sh("keys", "new", str(path)) == 2  # no passphrase available, no terminal
    assert not path.exists()
    assert sh("keys", "new", str(path), "--unencrypted") == 0
    assert b"ENCRYPTED" not in path.read_bytes()
    assert sh("keys", "new", str(path), "--unencrypted") == 2  # never overwritten


def test_bad_time_exits_2(sh: Shell, chain: dict[str, str]) -> None:
    assert (
        sh(
            "event",
            "access",
            "NPM-2026-014",
            "ITEM-1",
            "--key",
            chain["carl"],
            "--at",
            "2026-11-20 09:30",
        )
        == 2
    )
    assert "UTC offset" in sh.err


def _public(sh: Shell, path: str) -> str:
    assert sh("keys", "show", path, "--json") == 0
    return str(json.loads(sh.out)["public_key"])


def _entries(sh: Shell) -> list[bytes]:
    with sqlite3.connect(sh.root / "ledger.db") as db:
        return [bytes(e) for (e,) in db.execute("SELECT entry FROM entries ORDER BY idx")]


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda blob: blob[: len(blob) // 2], id="truncated CBOR"),
        pytest.param(lambda blob: blob[:2] + b"\x59\x00" + blob[3:], id="non-canonical CBOR"),
    ],
)
def test_damaged_entry_refuses_appends_and_reading(
    sh: Shell, chain: dict[str, str], damage: object
) -> None:
    with sqlite3.connect(sh.root / "ledger.db") as db:
        db.execute("DROP TRIGGER entries_no_update")
        (blob,) = db.execute("SELECT entry FROM entries WHERE idx = 2").fetchone()
        db.execute("UPDATE entries SET entry = ? WHERE idx = 2", (damage(bytes(blob)),))  # type: ignore[operator]
    before = _entries(sh)
    assert sh("event", "access", "NPM-2026-014", "ITEM-1", "--key", chain["carl"]) == 2
    assert sh.err.startswith("error:")
    assert sh.err.count("\n") == 1
    assert _entries(sh) == before
    assert sh("log", "NPM-2026-014") == 2
    assert sh("verify-ledger") == 1
    assert "ENTRY_MALFORMED" in sh.out


def test_wrong_passphrase_names_the_key_file(
    sh: Shell, chain: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CUSTODY_PASSPHRASE", "wrong")
    assert sh("keys", "show", chain["carl"]) == 2
    assert sh.err.startswith(f"error: {chain['carl']}: wrong passphrase")


def test_passphrase_file_holds_one_line(sh: Shell, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CUSTODY_PASSPHRASE")
    two_lines = sh.root / "two.txt"
    two_lines.write_text("first\nsecond\n")
    assert sh("--passphrase-file", str(two_lines), "keys", "new", str(sh.root / "k.key")) == 2
    assert "one non-empty line" in sh.err
    one_line = sh.root / "one.txt"
    one_line.write_text(PASS + "\n")
    assert sh("--passphrase-file", str(one_line), "keys", "new", str(sh.root / "k.key")) == 0


def test_outputs_are_checked_before_anything_is_recorded(sh: Shell, chain: dict[str, str]) -> None:
    existing = sh.root / "cp1.txt"
    before = existing.read_text()
    with sqlite3.connect(sh.root / "ledger.db") as db:
        checkpoints = db.execute("SELECT COUNT(*) FROM checkpoints").fetchone()
    assert sh("event", "access", "NPM-2026-014", "ITEM-1", "--key", chain["carl"]) == 0
    assert sh("checkpoint", "--key", chain["log"], "--out", str(existing)) == 2
    with sqlite3.connect(sh.root / "ledger.db") as db:
        assert db.execute("SELECT COUNT(*) FROM checkpoints").fetchone() == checkpoints
    assert existing.read_text() == before
    assert sh("keys", "new", str(sh.root / "new.key"), "--public-out", str(existing)) == 2
    assert not (sh.root / "new.key").exists()


def test_version(sh: Shell, capsys: pytest.CaptureFixture[str]) -> None:
    assert sh("--version") == 0
    assert capsys.readouterr().out.startswith("custody ")
