"""The worked example of docs/bundle-format.md section 8 states what the code produces.

The test runs the section's calls (fixed keys and times from ``custody.testing``: every byte is
deterministic) and checks the facts the section writes down, read from the doc text itself: the
bundle's size and SHA-256, each row of the member table, the end of the archive, the
manifest's size and SHA-256, every ``custody verify`` output shown and the JSON excerpt. A change
to the bundle's bytes (the README text, an encoding, the verifier's counts) fails here until the
section is regenerated.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import shlex
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from custody.bundle import export_bundle
from custody.bundle._zip import ZipReader, ZipWriter
from custody.cli import main
from custody.intake import BlobStore
from custody.model import DigitalItem
from custody.testing import SAMPLE_TIME, Cast, new_ledger, record_sample_case
from custody.verify import TrustedKey, TrustedLog, TrustPolicy

DOC = Path(__file__).resolve().parents[2] / "docs" / "bundle-format.md"


def _section() -> str:
    text = DOC.read_text(encoding="utf-8")
    start = text.index("## 8. Worked example")
    return text[start : text.index("\n## ", start + 1)]


SECTION = _section()


def _subsection(title: str) -> str:
    start = SECTION.index(f"### {title}\n")
    end = SECTION.find("\n### ", start + 1)
    return SECTION[start : end if end != -1 else None]


def _one(pattern: str, text: str = SECTION) -> re.Match[str]:
    found = re.search(pattern, text, re.DOTALL)
    assert found, f"docs/bundle-format.md section 8 no longer says {pattern!r}"
    return found


# --- the example, as section 8 makes it ------------------------------------------------------


@dataclass(frozen=True)
class Worked:
    """The example's directory (holding the files the doc's commands name) and its bundle."""

    directory: Path
    bundle: Path


@pytest.fixture(scope="module")
def worked(tmp_path_factory: pytest.TempPathFactory) -> Worked:
    """Section 8's code, call for call, then the files its `custody verify` runs use."""
    directory = tmp_path_factory.mktemp("worked-example")
    cast = Cast()
    with new_ledger(directory / "ledger.db", cast) as ledger:
        record_sample_case(ledger, cast)
        checkpoint_9 = ledger.checkpoint(cast.log)
        blobs = BlobStore.open(directory / "blobs", create=True)
        data = b"hello, court\n"
        stored = blobs.put(io.BytesIO(data))
        note = DigitalItem("FILE-1", stored.digests.sha256, len(data), "Note.TXT", "text/plain")
        ledger.acquire("CASE-1", note, cast.investigator, at=SAMPLE_TIME + timedelta(hours=3))
        result = export_bundle(
            ledger,
            "CASE-1",
            directory / "CASE-1.custody",
            exporter=cast.investigator,
            log_signer=cast.log,
            blobs=blobs,
            purpose="disclosure to the defence",
            at=SAMPLE_TIME + timedelta(hours=4),
        )

    policy = TrustPolicy(
        keys=tuple(
            TrustedKey(actor.name, key.public, (actor.role,)) for actor, key in cast.actors()
        ),
        logs=(TrustedLog("custody.test/ledger", cast.log.public),),
    )
    (directory / "trust.json").write_text(json.dumps(policy.to_dict()))
    (directory / "checkpoint-9.txt").write_text(checkpoint_9)
    _write_tampered(result.path, directory / "tampered.custody")
    (directory / "cut.custody").write_bytes(result.path.read_bytes()[:5000])
    return Worked(directory, result.path)


def _write_tampered(bundle: Path, out: Path) -> None:
    """The bundle with its file member's bytes replaced by ``hello, court!``, ZIP rebuilt."""
    with ZipReader(bundle) as archive:
        members = [(m.name, archive.read(m, m.size)) for m in archive.members]
    with out.open("xb") as handle:
        writer = ZipWriter(handle)
        for name, data in members:
            writer.add_bytes(name, b"hello, court!" if name.startswith("files/") else data)
        writer.close()


def _custody(worked: Worked, monkeypatch: pytest.MonkeyPatch, argv: list[str]) -> tuple[int, str]:
    """Run ``custody ARGV`` in the example's directory; its exit code and what it printed."""
    monkeypatch.chdir(worked.directory)
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, out=out, err=err)
    return code, out.getvalue() + err.getvalue()


# --- the bytes --------------------------------------------------------------------------------


def test_bundle_size_and_sha256(worked: Worked) -> None:
    found = _one(r"The bundle is ([\d,]+) bytes with SHA-256\s+`([0-9a-f]{64})`")
    data = worked.bundle.read_bytes()
    assert (len(data), hashlib.sha256(data).hexdigest()) == (
        int(found[1].replace(",", "")),
        found[2],
    )


def _abridged(name: str) -> str:
    """A member name as the table writes it: a SHA-256 in it cut to 8…8 digits."""
    return re.sub(r"([0-9a-f]{8})[0-9a-f]{48}([0-9a-f]{8})", r"\1…\2", name)


def test_member_table(worked: Worked) -> None:
    rows = re.findall(
        r"^\| (\d+) \| `([^`]+)` \| (\d+) \| (\d+) \| (\d+) \| `([0-9a-f]{64})` \|$",
        _subsection("Members"),
        re.MULTILINE,
    )
    with ZipReader(worked.bundle) as archive:
        members = archive.members
        digests = [hashlib.sha256(archive.read(m, m.size)).hexdigest() for m in members]
    # The reader refuses gaps: each local header starts where the previous member's data ends.
    headers = [0] + [m.data_offset + m.size for m in members[:-1]]
    actual = [
        (str(n), _abridged(m.name), str(header), str(m.data_offset), str(m.size), digest)
        for n, (m, header, digest) in enumerate(zip(members, headers, digests, strict=True))
    ]
    assert rows == actual
    assert _one(r"The last member's full name is\s+`([^`]+)`")[1] == members[-1].name


def test_central_directory_and_end_record(worked: Worked) -> None:
    found = _one(
        r"The central directory starts at (\d+) and\s+is (\d+) bytes; "
        r"the end record is at (\d+)"
    )
    data = worked.bundle.read_bytes()
    end = len(data) - 22
    assert data[end : end + 4] == b"PK\x05\x06"
    size, offset = (
        int.from_bytes(data[end + 12 : end + 16], "little"),
        int.from_bytes(data[end + 16 : end + 20], "little"),
    )
    assert (offset, size, end) == (int(found[1]), int(found[2]), int(found[3]))


def test_manifest_size_and_sha256(worked: Worked) -> None:
    found = _one(r"(\d+) bytes, SHA-256 `([0-9a-f]{64})`", _subsection("The manifest"))
    with ZipReader(worked.bundle) as archive:
        member = archive.member("manifest.cbor")
        assert member is not None
        manifest = archive.read(member, member.size)
    assert (len(manifest), hashlib.sha256(manifest).hexdigest()) == (int(found[1]), found[2])


# --- the command line -------------------------------------------------------------------------


class ConsoleRun(NamedTuple):
    """A ``$ custody ...`` line of a console block of section 8, and what the block shows."""

    argv: list[str]
    shown: list[str]  # the lines printed after it
    status: int | None  # what a following ``$ echo $?`` shows, if there is one


def _console_runs() -> list[ConsoleRun]:
    runs: list[ConsoleRun] = []
    for block in re.findall(r"```console\n(.*?)```", SECTION, re.DOTALL):
        # a "$ ..." line, then its output, up to the next "$ " line
        for run in re.split(r"^(?=\$ )", block, flags=re.MULTILINE)[1:]:
            command, *shown = run.splitlines()
            if command == "$ echo $?":
                runs[-1] = runs[-1]._replace(status=int(shown[0]))
            else:
                assert command.startswith("$ custody "), command
                runs.append(ConsoleRun(shlex.split(command)[2:], shown, None))
    return runs


CONSOLE_RUNS = _console_runs()


def test_section_shows_every_run() -> None:
    assert [run.argv[1] for run in CONSOLE_RUNS] == [
        "CASE-1.custody",
        "CASE-1.custody",
        "tampered.custody",
        "cut.custody",
    ]


@pytest.mark.parametrize("run", CONSOLE_RUNS, ids=[" ".join(run.argv) for run in CONSOLE_RUNS])
def test_custody_verify_prints_what_the_doc_shows(
    worked: Worked, monkeypatch: pytest.MonkeyPatch, run: ConsoleRun
) -> None:
    code, printed = _custody(worked, monkeypatch, run.argv)
    assert printed.splitlines() == run.shown
    if run.status is not None:
        assert code == run.status


def _abridges(shown: Any, actual: Any) -> bool:
    """Whether ``shown`` is ``actual`` with some list elements left out (none changed)."""
    if isinstance(shown, dict):
        return (
            isinstance(actual, dict)
            and shown.keys() == actual.keys()
            and all(_abridges(shown[key], actual[key]) for key in shown)
        )
    if isinstance(shown, list):
        return isinstance(actual, list) and all(element in actual for element in shown)
    return bool(shown == actual)


def test_json_excerpt(worked: Worked, monkeypatch: pytest.MonkeyPatch) -> None:
    argv = shlex.split(_one(r"`custody (verify [^`]*--json)`")[1])
    excerpt = json.loads(_one(r"```json\n(.*?)```")[1])
    code, printed = _custody(worked, monkeypatch, argv)
    assert code == 0
    assert _abridges(excerpt, json.loads(printed))
