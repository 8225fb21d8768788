"""Medical evaluations on the command line: new, validate, record, review, seal, status, report."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from cli_shell import Shell
from custody.cli import _medical
from custody.errors import InvalidInput
from custody.ledger import Ledger
from custody.medical import SAMPLE_SUBJECT_ID, IdentityRecord, SamplePhoto, sample_evaluation
from custody.model import DigitalItem
from custody.report import label
from html_page import Page

IMAGES = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "images" / "jpg"
PHOTOS = ("Canon_40D.jpg", "Nikon_D70.jpg", "Pentax_K10D.jpg", "Sony_HDR-HC3.jpg")
CASE = "NPM-2026-031"


@pytest.fixture
def clinic(sh: Shell) -> dict[str, Any]:
    """A ledger with two evaluators and a reviewer, the photographs taken in, the sample
    sealed, and the sample evaluation written to disk with its identity record."""
    keys = {name: sh.key(name) for name in ("log", "physician", "psychologist", "reviewer")}
    assert sh("init", "--origin", "custody.test/clinic", "--log-key", keys["log"]) == 0, sh.err
    for name in ("physician", "psychologist", "reviewer"):
        assert sh("actor", "add", keys[name], "--name", name.title(), "--role", name) == 0
    assert sh("case", "new", CASE, "--key", keys["physician"]) == 0, sh.err
    camera = sh.root / "camera"
    camera.mkdir()
    for n, name in enumerate(PHOTOS, start=1):
        shutil.copy(IMAGES / name, camera / f"IMG_{n:04d}.jpg")
    assert sh("intake", CASE, str(camera), "--key", keys["physician"]) == 0, sh.err
    argv = ["item", "add", CASE, "SAMPLE-SM1", "--key", keys["physician"]]
    argv += ["--description", "urine sample", "--seal", "S-20260302-0007"]
    assert sh(*argv) == 0, sh.err
    with Ledger.open(sh.root / "ledger.db") as ledger:
        files = sorted(
            (item for item in ledger.items(CASE) if isinstance(item, DigitalItem)),
            key=lambda item: item.name,
        )
        photos = [SamplePhoto(item.reference, item.sha256.hex()) for item in files]
    identity = IdentityRecord.create(SAMPLE_SUBJECT_ID, ("Karim Haddad",))
    identity_path = sh.root / "identity.json"
    identity_path.write_text(json.dumps(identity.to_json()))
    document = sample_evaluation(
        physician_key=sh.key_id(keys["physician"]),
        psychologist_key=sh.key_id(keys["psychologist"]),
        identity_commitment=identity.commitment(),
        photos=photos,
        sample_item="SAMPLE-SM1",
    )
    path = sh.root / "evaluation.json"
    path.write_text(json.dumps(document))
    return {"keys": keys, "document": document, "path": str(path), "identity": str(identity_path)}


def test_new_writes_a_document_and_a_separate_identity_record(sh: Shell) -> None:
    target = sh.root / "eval.json"
    assert sh("medical", "new", str(target), "--name", "Karim Haddad") == 0, sh.err
    document = json.loads(target.read_text())
    identity = json.loads((sh.root / "eval.identity.json").read_text())
    assert "Karim" not in target.read_text()
    record = IdentityRecord.from_json(identity)
    assert document["subject"]["identity_commitment"] == record.commitment()
    assert (sh.root / "eval.identity.json").stat().st_mode & 0o077 == 0
    # The new document says what is still missing, each with its field.
    assert sh("medical", "validate", str(target)) == 2
    assert "/evaluators" in sh.err or "/evaluators" in sh.out


def test_new_reads_the_names_from_standard_input(
    sh: Shell, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("Karim Haddad\nK. Haddad\n"))
    target = sh.root / "eval.json"
    assert sh("medical", "new", str(target)) == 0, sh.err
    identity = json.loads((sh.root / "eval.identity.json").read_text())
    assert identity["names"] == ["Karim Haddad", "K. Haddad"]


class _Terminal(io.StringIO):
    """Standard input from a terminal, as a person typing the names would give it."""

    def isatty(self) -> bool:
        return True


def test_new_refuses_an_existing_document_and_writes_no_identity_record(sh: Shell) -> None:
    target = sh.root / "eval.json"
    target.write_text("{}")
    assert sh("medical", "new", str(target), "--name", "Karim Haddad") == 2
    assert "refusing to overwrite" in sh.err
    assert target.read_text() == "{}"
    assert not (sh.root / "eval.identity.json").exists()
    # Nothing was left behind to block a second attempt.
    target.unlink()
    assert sh("medical", "new", str(target), "--name", "Karim Haddad") == 0, sh.err


def test_new_refuses_an_existing_identity_record_and_writes_no_document(sh: Shell) -> None:
    target, identity = sh.root / "eval.json", sh.root / "eval.identity.json"
    identity.write_text("{}")
    assert sh("medical", "new", str(target), "--name", "Karim Haddad") == 2
    assert "refusing to overwrite" in sh.err
    assert identity.read_text() == "{}"
    assert not target.exists()


def test_new_refuses_one_file_for_both(sh: Shell) -> None:
    target = sh.root / "eval.json"
    argv = ["medical", "new", str(target), "--identity", str(target), "--name", "Karim Haddad"]
    assert sh(*argv) == 2
    assert "two different files" in sh.err
    assert list(sh.root.glob("eval*")) == []


def test_new_refuses_a_folder_that_does_not_exist(sh: Shell) -> None:
    target, identity = sh.root / "eval.json", sh.root / "missing" / "identity.json"
    argv = ["medical", "new", str(target), "--identity", str(identity), "--name", "Karim Haddad"]
    assert sh(*argv) == 2
    assert "no such folder" in sh.err
    assert not target.exists()


def test_new_removes_the_first_file_when_the_second_cannot_be_written(
    sh: Shell, monkeypatch: pytest.MonkeyPatch
) -> None:
    create, written = _medical.create_new_file, []

    def full_disk_after_one_file(path: Path, fill: Any, **options: Any) -> None:
        if written:
            raise InvalidInput("cannot write the file (No space left on device)", field=str(path))
        create(path, fill, **options)
        written.append(path)

    monkeypatch.setattr(_medical, "create_new_file", full_disk_after_one_file)
    assert sh("medical", "new", str(sh.root / "eval.json"), "--name", "Karim Haddad") == 2
    assert "No space left on device" in sh.err
    assert written == [sh.root / "eval.json"]  # the document, which holds no name, first
    assert list(sh.root.glob("eval*")) == []


@pytest.mark.parametrize("stdin", [io.StringIO, _Terminal], ids=["pipe", "terminal"])
def test_new_refuses_names_longer_than_it_reads(
    sh: Shell, monkeypatch: pytest.MonkeyPatch, stdin: type[io.StringIO]
) -> None:
    names = "Karim Haddad\n" + "x" * _medical.MAX_NAMES + "\n\n"
    monkeypatch.setattr("sys.stdin", stdin(names))
    target = sh.root / "eval.json"
    assert sh("medical", "new", str(target)) == 2
    assert f"more than {_medical.MAX_NAMES} characters of names" in sh.err
    assert list(sh.root.glob("eval*")) == []


def test_new_reads_names_up_to_the_limit(sh: Shell, monkeypatch: pytest.MonkeyPatch) -> None:
    names = "Karim Haddad\n".ljust(_medical.MAX_NAMES - 12, "\n") + "K. Haddad\n  "
    assert len(names) == _medical.MAX_NAMES
    monkeypatch.setattr("sys.stdin", io.StringIO(names))
    target = sh.root / "eval.json"
    assert sh("medical", "new", str(target)) == 0, sh.err
    identity = json.loads((sh.root / "eval.identity.json").read_text())
    assert identity["names"] == ["Karim Haddad", "K. Haddad"]


def test_validate_the_sample_reports_its_departures(sh: Shell, clinic: dict[str, Any]) -> None:
    argv = ["medical", "validate", clinic["path"], "--sealing", "--case", CASE]
    assert sh(*argv, "--identity", clinic["identity"], "--json") == 0, sh.err
    report = json.loads(sh.out)
    assert report["ok"] is True
    assert {d["code"] for d in report["departures"]} == {"A16.5", "A16.6"}


def test_validate_keeps_a_quoted_field_name_on_its_line(sh: Shell, clinic: dict[str, Any]) -> None:
    # An unknown field's name is quoted in its pointer: its line break must not add a line.
    forged = "valid; 0 departure(s) from the Protocol"
    path = sh.root / "forged.json"
    path.write_text(json.dumps({**clinic["document"], f"x\n{forged}": 1}))
    assert sh("medical", "validate", str(path)) == 2
    lines = (sh.out + sh.err).splitlines()
    assert forged not in lines
    assert any(f"/x\\x0a{forged}" in line for line in lines)


def test_validate_json_reports_an_unreadable_document_as_json(
    sh: Shell, clinic: dict[str, Any]
) -> None:
    broken = {**clinic["document"], "context": "no such context"}
    path = sh.root / "broken.json"
    path.write_text(json.dumps(broken))
    assert sh("medical", "validate", str(path), "--json") == 2
    report = json.loads(sh.out)
    assert report["ok"] is False
    assert [p["field"] for p in report["problems"]] == ["/context"]


def test_validate_json_lists_every_rule_an_object_breaks_before_the_protocol_s_rules(
    sh: Shell, clinic: dict[str, Any]
) -> None:
    document = clinic["document"]
    session = document["sessions"][0]
    session["end"] = "2026-03-02T10:00:00+01:00"  # before its start
    del session["limitation_note"]  # the session is time-limited
    document["diagram_annotations"] = []  # breaks rule 7, checked only once the document reads
    path = sh.root / "inconsistent.json"
    path.write_text(json.dumps(document))
    assert sh("medical", "validate", str(path), "--json") == 2
    report = json.loads(sh.out)
    assert report["ok"] is False
    assert [(p["code"], p["field"], p["message"]) for p in report["problems"]] == [
        ("DOCUMENT", "/sessions/0/end", "must not be before start"),
        ("DOCUMENT", "/sessions/0/limitation_note", "say what limited the time"),
    ]


def test_record_review_seal_and_report(sh: Shell, clinic: dict[str, Any]) -> None:
    keys, evaluation_id = clinic["keys"], clinic["document"]["evaluation_id"]
    assert sh("medical", "record", CASE, clinic["path"], "--key", keys["physician"]) == 0, sh.err
    assert sh("medical", "review", CASE, evaluation_id, "--key", keys["reviewer"]) == 0, sh.err
    assert sh("medical", "seal", CASE, clinic["path"], "--key", keys["physician"]) == 0, sh.err
    assert "awaiting seals from: C-PSY" in sh.out
    argv = ["medical", "seal", CASE, clinic["path"], "--key", keys["psychologist"], "--json"]
    assert sh(*argv) == 0, sh.err
    assert json.loads(sh.out)["status"] == "sealed"
    assert sh("medical", "status", CASE, evaluation_id, "--json") == 0
    assert json.loads(sh.out)["awaiting"] == []
    report, diagrams = sh.root / "report-es.html", sh.root / "diagrams"
    diagrams.mkdir()
    argv = ["medical", "report", CASE, evaluation_id, "--out", str(report), "--language", "es"]
    assert sh(*argv, "--diagrams", str(diagrams)) == 0, sh.err
    html = report.read_text(encoding="utf-8")
    assert "muy compatible con" in html
    reviews = Page(html)["reviews"].text()
    assert sh.key_id(keys["reviewer"]) in reviews
    assert label("no_review_recorded", "es") not in reviews
    assert html.count("data:image/jpeg;base64,") >= 3  # photographs from the blob store
    assert sorted(p.name.split("-", 5)[-1] for p in diagrams.iterdir()) == [
        "back.png",
        "front.png",
        "hands_dorsal.png",
    ]
    assert sh("verify-ledger") == 0, sh.err


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda d: d["findings"][0]["photographs"].append("P9"), "/findings/0/photographs/2"),
        (lambda d: d["opinions"][0].update(level="probable"), "/opinions/0/level"),
        (lambda d: d["sessions"][0].update(start="yesterday"), "/sessions/0/start"),
    ],
)
def test_bad_documents_exit_2_naming_the_field_and_record_nothing(
    sh: Shell, clinic: dict[str, Any], change: Any, field: str
) -> None:
    change(clinic["document"])
    Path(clinic["path"]).write_text(json.dumps(clinic["document"]))
    assert sh("medical", "record", CASE, clinic["path"], "--key", clinic["keys"]["physician"]) == 2
    assert field in sh.out + sh.err
    assert "Traceback" not in sh.err
    with Ledger.open(sh.root / "ledger.db") as ledger:
        assert ledger.evaluations(CASE) == []


def test_malformed_json_exits_2(sh: Shell, clinic: dict[str, Any]) -> None:
    Path(clinic["path"]).write_text('{"evaluation_id": ')
    assert sh("medical", "validate", clinic["path"]) == 2
    assert "not a JSON document" in sh.err


@pytest.mark.parametrize(
    "text",
    ["[" * 100_000 + "]" * 100_000, '{"evaluation_id": ' + "9" * 5000 + "}"],
    ids=["nested too deeply", "huge integer"],
)
def test_hostile_json_exits_2_without_a_traceback(
    sh: Shell, clinic: dict[str, Any], text: str
) -> None:
    Path(clinic["path"]).write_text(text)
    assert sh("medical", "validate", clinic["path"]) == 2
    assert "not a usable JSON document" in sh.err
    assert "Traceback" not in sh.err


def test_every_problem_of_a_document_is_printed(sh: Shell, clinic: dict[str, Any]) -> None:
    for finding in clinic["document"]["findings"]:
        finding["count"] = 0
    Path(clinic["path"]).write_text(json.dumps(clinic["document"]))
    assert sh("medical", "validate", clinic["path"]) == 2
    assert all(f"/findings/{n}/count" in sh.out for n in range(5))


def test_seal_refuses_a_document_other_than_the_recorded_one(
    sh: Shell, clinic: dict[str, Any]
) -> None:
    keys = clinic["keys"]
    assert sh("medical", "record", CASE, clinic["path"], "--key", keys["physician"]) == 0
    clinic["document"]["restrictions_statement"] = "Changed after the review."
    Path(clinic["path"]).write_text(json.dumps(clinic["document"]))
    assert sh("medical", "seal", CASE, clinic["path"], "--key", keys["physician"]) == 2
    assert "differs from the recorded version" in sh.err


def test_a_refused_seal_of_a_new_evaluation_records_nothing(
    sh: Shell, clinic: dict[str, Any]
) -> None:
    del clinic["document"]["overall_opinion"]  # may be recorded, not sealed
    Path(clinic["path"]).write_text(json.dumps(clinic["document"]))
    with Ledger.open(sh.root / "ledger.db") as ledger:
        before = ledger.size
    assert sh("medical", "seal", CASE, clinic["path"], "--key", clinic["keys"]["physician"]) == 2
    assert "A16.10 /overall_opinion" in sh.out
    with Ledger.open(sh.root / "ledger.db") as ledger:
        assert ledger.size == before
        assert ledger.evaluations(CASE) == []


def test_seal_records_and_seals_a_new_evaluation_in_one_step(
    sh: Shell, clinic: dict[str, Any]
) -> None:
    argv = ["medical", "seal", CASE, clinic["path"], "--key", clinic["keys"]["physician"]]
    assert sh(*argv, "--identity", clinic["identity"], "--json") == 0, sh.err
    state = json.loads(sh.out)
    assert (state["version"], state["status"], state["awaiting"]) == (0, "draft", ["C-PSY"])


def test_seal_help_says_what_seal_records(sh: Shell, capsys: pytest.CaptureFixture[str]) -> None:
    assert sh("medical", "--help") == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "recording the document first if the evaluation is new" in text
    assert "a document other than the recorded version is refused" in text
    assert "if it changed" not in text


def test_amend_checks_the_identity_record(sh: Shell, clinic: dict[str, Any]) -> None:
    keys, path = clinic["keys"], clinic["path"]
    assert sh("medical", "record", CASE, path, "--key", keys["physician"]) == 0, sh.err
    for evaluator in ("physician", "psychologist"):
        assert sh("medical", "seal", CASE, path, "--key", keys[evaluator]) == 0, sh.err
    clinic["document"]["restrictions_statement"] = "Seen as KARIM  HADDAD."
    Path(path).write_text(json.dumps(clinic["document"]))
    with Ledger.open(sh.root / "ledger.db") as ledger:
        before = ledger.size
    argv = ["medical", "amend", CASE, path, "--key", keys["physician"], "--reason", "Name"]
    assert sh(*argv, "--identity", clinic["identity"]) == 2
    assert "A16.19 /restrictions_statement" in sh.out
    with Ledger.open(sh.root / "ledger.db") as ledger:
        assert ledger.size == before
    clinic["document"]["restrictions_statement"] = "Corrected statement."
    Path(path).write_text(json.dumps(clinic["document"]))
    assert sh(*argv, "--identity", clinic["identity"], "--json") == 0, sh.err
    assert json.loads(sh.out)["status"] == "amended"


def test_the_report_leaves_the_face_out_unless_asked(sh: Shell, clinic: dict[str, Any]) -> None:
    keys, evaluation_id = clinic["keys"], clinic["document"]["evaluation_id"]
    assert sh("medical", "record", CASE, clinic["path"], "--key", keys["physician"]) == 0
    plain, faces = sh.root / "plain.html", sh.root / "faces.html"
    assert sh("medical", "report", CASE, evaluation_id, "--out", str(plain)) == 0, sh.err
    argv = ["medical", "report", CASE, evaluation_id, "--out", str(faces), "--show-faces"]
    assert sh(*argv) == 0, sh.err
    shown = plain.read_text().count("data:image/jpeg;base64,")
    assert faces.read_text().count("data:image/jpeg;base64,") == shown + 1


def test_status_says_who_reviewed_the_current_version(sh: Shell, clinic: dict[str, Any]) -> None:
    keys, evaluation_id = clinic["keys"], clinic["document"]["evaluation_id"]
    assert sh("medical", "record", CASE, clinic["path"], "--key", keys["physician"]) == 0
    assert sh("medical", "status", CASE, evaluation_id) == 0, sh.err
    assert "not reviewed (no review of this version is recorded)" in sh.out.splitlines()
    assert sh("medical", "status", CASE, evaluation_id, "--json") == 0
    assert json.loads(sh.out)["reviewed_by"] == []
    for _ in range(2):  # a second review by the same reviewer names them once
        assert sh("medical", "review", CASE, evaluation_id, "--key", keys["reviewer"]) == 0
    reviewer = sh.key_id(keys["reviewer"])
    assert sh("medical", "status", CASE, evaluation_id) == 0, sh.err
    assert f"reviewed by: {reviewer}" in sh.out.splitlines()
    assert "not reviewed" not in sh.out
    assert sh("medical", "status", CASE, evaluation_id, "--json") == 0
    assert json.loads(sh.out)["reviewed_by"] == [reviewer]


def test_the_report_makes_a_missing_diagram_folder(sh: Shell, clinic: dict[str, Any]) -> None:
    keys, evaluation_id = clinic["keys"], clinic["document"]["evaluation_id"]
    assert sh("medical", "record", CASE, clinic["path"], "--key", keys["physician"]) == 0
    report, diagrams = sh.root / "report.html", sh.root / "out" / "diagrams"
    argv = ["medical", "report", CASE, evaluation_id, "--out", str(report)]
    assert sh(*argv, "--diagrams", str(diagrams)) == 0, sh.err
    assert len(list(diagrams.glob(f"{evaluation_id}-*.png"))) == 3
    reviews = Page(report.read_text(encoding="utf-8"))["reviews"].text()
    assert label("no_review_recorded", "en") in reviews


def test_the_report_refuses_diagrams_in_a_file_before_writing(
    sh: Shell, clinic: dict[str, Any]
) -> None:
    keys, evaluation_id = clinic["keys"], clinic["document"]["evaluation_id"]
    assert sh("medical", "record", CASE, clinic["path"], "--key", keys["physician"]) == 0
    report, diagrams = sh.root / "report.html", sh.root / "diagrams"
    diagrams.write_text("not a folder")
    argv = ["medical", "report", CASE, evaluation_id, "--out", str(report)]
    assert sh(*argv, "--diagrams", str(diagrams)) == 2
    assert "is not a folder; nothing written" in sh.err
    assert not report.exists()
    assert diagrams.read_text() == "not a folder"
