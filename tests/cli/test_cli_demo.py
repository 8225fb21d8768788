"""``custody demo DIR``: the whole story runs, verifies, and writes the same bundle twice."""

from __future__ import annotations

import io
import json
from pathlib import Path

import attrs
import pytest

from custody.cli import main
from custody.demo import CASE, DEMO_ORIGIN, PHOTOGRAPHS, run_demo
from custody.keyfiles import is_encrypted, read_key_file
from custody.verify import TrustPolicy

DEMO_FILES = ("case.custody", "trust.json", "report.html", "custody.db")


@attrs.frozen
class Run:
    code: int
    out: str
    err: str
    directory: Path


def _custody(*argv: str) -> Run:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return Run(code, out.getvalue(), err.getvalue(), Path())


def _demo(directory: Path) -> Run:
    return attrs.evolve(_custody("demo", str(directory)), directory=directory)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Run:
    """One demo run, shared by the tests that only read what it wrote."""
    return _demo(tmp_path_factory.mktemp("first") / "demo")


def test_demo_exits_0_and_writes_its_files(demo: Run) -> None:
    assert demo.code == 0, demo.out + demo.err
    assert demo.err == ""
    for name in DEMO_FILES:
        assert (demo.directory / name).is_file(), name
    assert (demo.directory / "custody.blobs").is_dir()
    assert sorted(p.name for p in (demo.directory / "camera").iterdir()) == list(PHOTOGRAPHS)


def test_demo_output_tells_the_story_and_the_verify_command(demo: Run) -> None:
    d = demo.directory
    assert f"custody verify {d}/case.custody --trust {d}/trust.json --html {d}/report.html" in (
        demo.out
    )
    assert "DEMO KEYS" in demo.out
    assert "VERIFIED" in demo.out.splitlines()
    for step in ("Case NPM-2026-031 opened", "photographs taken in", "Istanbul Protocol"):
        assert step in demo.out


def test_demo_keys_are_named_and_marked_as_demo_keys(demo: Run) -> None:
    keys = sorted((demo.directory / "keys").iterdir())
    assert len(keys) == 7  # the log and six people
    assert all(key.name.startswith("demo-") and key.suffix == ".key" for key in keys)
    assert not any(is_encrypted(read_key_file(key)) for key in keys)
    assert all(key.stat().st_mode & 0o077 == 0 for key in keys)


def test_demo_trust_policy_lists_the_people_and_the_log(demo: Run) -> None:
    policy = TrustPolicy.from_file(demo.directory / "trust.json")
    assert len(policy.keys) == 6
    assert all(key.roles for key in policy.keys)
    assert policy.log_key(DEMO_ORIGIN) is not None


def test_verify_on_the_demo_bundle_exits_0(demo: Run) -> None:
    d = demo.directory
    report = d / "again.html"
    run = _custody(
        "verify", str(d / "case.custody"), "--trust", str(d / "trust.json"), "--html", str(report)
    )
    assert run.code == 0, run.out + run.err
    assert run.out.splitlines()[0] == "VERIFIED"
    assert report.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    run = _custody("verify", str(d / "case.custody"), "--trust", str(d / "trust.json"), "--json")
    verification = json.loads(run.out)
    assert verification["case"] == CASE
    assert [e["status"] for e in verification["evaluations"]] == ["sealed"]
    files = [f for item in verification["items"] for f in item["files"]]
    assert [f["status"] for f in files] == ["verified"] * len(PHOTOGRAPHS)


def test_the_evaluation_photographs_are_the_photographs_taken_in(demo: Run) -> None:
    d = demo.directory
    run = _custody("verify", str(d / "case.custody"), "--trust", str(d / "trust.json"), "--json")
    verification = json.loads(run.out)
    (evaluation,) = verification["evaluations"]
    assert evaluation["record_readable"] is True
    assert evaluation["photographs"] == ["P1", "P2", "P3", "P4"]


def test_a_second_run_writes_the_same_bundle(demo: Run, tmp_path: Path) -> None:
    again = _demo(tmp_path / "elsewhere")
    assert again.code == 0, again.out + again.err
    first = (demo.directory / "case.custody").read_bytes()
    assert (again.directory / "case.custody").read_bytes() == first
    assert (again.directory / "trust.json").read_bytes() == (
        demo.directory / "trust.json"
    ).read_bytes()


def test_a_directory_that_is_not_empty_is_refused(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    run = _demo(tmp_path)
    assert run.code == 2
    assert "not empty" in run.err
    assert "Traceback" not in run.err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_a_file_is_refused_as_the_directory(tmp_path: Path) -> None:
    target = tmp_path / "file"
    target.write_text("mine")
    assert _demo(target).code == 2
    assert target.read_text() == "mine"


def test_run_demo_tells_each_step_through_say(tmp_path: Path) -> None:
    lines: list[str] = []
    result = run_demo(tmp_path / "demo", say=lines.append)
    assert result.ok
    assert result.verification.case == CASE
    assert result.export.files == len(PHOTOGRAPHS)
    assert lines[-2] == "  " + result.verify_command
    assert any(line.startswith(" 1. ") for line in lines)
