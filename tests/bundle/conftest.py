"""Shared bundle fixtures: a realistic case exported to a bundle, its trust policy, and a way
to rewrite a bundle member by member into another well-formed bundle.

The case is the sample custody case (a sealed T-shirt moved from investigator to courier to
analyst) plus four photographs taken in as digital items, whose bytes are in a blob store, a
sealed urine sample, and the sample medical evaluation naming those photographs, recorded,
peer reviewed and sealed by both evaluators. Checkpoints are signed after the custody chain
and after the review, so the closing record carries earlier checkpoints; the export signs
the closing one with the log key. Claimed times are fixed (the evaluation's salts are not).
The tamper tests also run against the bundle ``custody demo`` writes, with its trust.json.

A rewritten bundle is written with the library's own ZipWriter: it is a valid ZIP of the
bundle subset, so what a test changed is caught by verification (a report, ``ok`` false),
never by the reader.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import attrs
import pytest

from custody.bundle import BundleVerification, export_bundle, verify_bundle
from custody.bundle._zip import ZipReader, ZipWriter
from custody.cli import main
from custody.demo import CASE as CASE_DEMO
from custody.demo import run_demo
from custody.intake import BlobStore
from custody.ledger import Ledger
from custody.medical import (
    SAMPLE_SUBJECT_ID,
    Evaluation,
    IdentityRecord,
    SamplePhoto,
    record_evaluation,
    review_evaluation,
    sample_evaluation,
    seal_evaluation,
)
from custody.model import DigitalItem, PhysicalItem
from custody.testing import (
    SAMPLE_PHOTO_BYTES,
    SAMPLE_TIME,
    TEST_ORIGIN,
    Cast,
    Clinicians,
    new_ledger,
    record_sample_case,
)
from custody.verify import TrustedKey, TrustedLog, TrustPolicy

CASE = "CASE-1"
#: When the medical part of the case starts (the custody chain ends two hours earlier).
MEDICAL_TIME = SAMPLE_TIME + timedelta(hours=3)
EXPORT_TIME = SAMPLE_TIME + timedelta(days=1)

Members = list[tuple[str, bytes]]
Transform = Callable[[Members], Members]


# --- the case -------------------------------------------------------------------------------


@attrs.frozen
class Prepared:
    """A ledger holding the whole case, not exported yet, and what a test needs to export it."""

    ledger: Ledger
    blobs: BlobStore
    case: str
    cast: Cast
    clinicians: Clinicians
    evaluation: str
    photos: tuple[str, ...]

    def trust(self) -> TrustPolicy:
        """The policy that trusts every signer of the case and the log."""
        return trust_policy(self.cast, self.clinicians)


def prepare_case(directory: Path) -> Prepared:
    """Record the case in a new ledger under ``directory`` (see the module docstring)."""
    cast, clinicians = Cast(), Clinicians()
    ledger = new_ledger(directory / "ledger.db", cast)
    for actor, key in clinicians.actors():
        ledger.register_actor(actor, key.public, at=SAMPLE_TIME)
    record_sample_case(ledger, cast, case=CASE)
    ledger.checkpoint(cast.log, at=SAMPLE_TIME + timedelta(hours=2, minutes=30))
    blobs = BlobStore.open(directory / "blobs", create=True)
    times = iter(MEDICAL_TIME + timedelta(minutes=5 * n) for n in range(100))
    physician = clinicians.physician
    photos = []
    for number, data in enumerate(SAMPLE_PHOTO_BYTES, start=1):
        stored = blobs.put(io.BytesIO(data))
        item = DigitalItem(
            f"PHOTO-{number}",
            stored.digests.sha256,
            len(data),
            f"IMG_{number:04d}.jpg",
            "image/jpeg",
        )
        ledger.acquire(CASE, item, physician, at=next(times))
        photos.append(SamplePhoto(item.reference, item.sha256.hex()))
    sample = PhysicalItem("SAMPLE-SM1", "Urine sample SM1", "sealed bag", ("S-20260302-0007",))
    ledger.acquire(CASE, sample, physician, at=next(times))
    identity = IdentityRecord.create(SAMPLE_SUBJECT_ID, ("Karim Haddad (fictional)",))
    evaluation = Evaluation.from_json(
        sample_evaluation(
            physician_key=physician.key_id.hex(),
            psychologist_key=clinicians.psychologist.key_id.hex(),
            identity_commitment=identity.commitment(),
            photos=photos,
            sample_item=sample.reference,
        )
    )
    reference = evaluation.evaluation_id
    record_evaluation(ledger, CASE, evaluation, physician, at=next(times), identity=identity)
    review_evaluation(ledger, CASE, reference, clinicians.reviewer, at=next(times))
    ledger.checkpoint(cast.log, at=next(times))
    for evaluator in (physician, clinicians.psychologist):
        seal_evaluation(ledger, CASE, reference, evaluator, at=next(times), identity=identity)
    return Prepared(
        ledger, blobs, CASE, cast, clinicians, reference, tuple(photo.item for photo in photos)
    )


def trust_policy(cast: Cast, clinicians: Clinicians) -> TrustPolicy:
    """The verifier's policy: every actor and clinician, and the log."""
    keys = tuple(
        TrustedKey(actor.name, key.public, (actor.role,))
        for actor, key in [*cast.actors(), *clinicians.actors()]
    )
    return TrustPolicy(keys, (TrustedLog(TEST_ORIGIN, cast.log.public),))


def write_trust(policy: TrustPolicy, path: Path) -> Path:
    """Write ``policy`` as a trust policy file and return its path."""
    path.write_text(json.dumps(policy.to_dict()), encoding="utf-8")
    return path


# --- reading and rewriting bundles ----------------------------------------------------------


def read_members(bundle: Path) -> Members:
    """Every member of ``bundle`` as (name, bytes), in bundle order."""
    with ZipReader(bundle) as archive:
        return [(m.name, archive.read(m, m.size)) for m in archive.members]


def write_members(out: Path, members: Members) -> Path:
    """Write ``members`` as a bundle (a well-formed ZIP of the subset) to ``out``."""
    with out.open("xb") as handle:
        writer = ZipWriter(handle)
        for name, data in members:
            writer.add_bytes(name, data)
        writer.close()
    return out


def rewrite(bundle: Path, out: Path, transform: Transform) -> Path:
    """Read every member of ``bundle``, let ``transform`` change the list of (name, bytes),
    and write the result as a new, well-formed bundle ``out``.
    """
    return write_members(out, transform(read_members(bundle)))


# --- the bundles under test -----------------------------------------------------------------


@attrs.frozen
class BundleCase:
    """A bundle under test, with the trust policy that verifies it.

    Attributes:
        path: the bundle file (never changed: tests rewrite it into their own files).
        trust: the verifier's trust policy.
        trust_file: the same policy as a file, for the command line.
        case: the case the bundle carries.
    """

    path: Path
    trust: TrustPolicy
    trust_file: Path
    case: str

    def members(self) -> Members:
        """Every member, in bundle order."""
        return read_members(self.path)

    def rewrite(self, out: Path, transform: Transform) -> Path:
        """This bundle rewritten through ``transform`` into ``out``; see :func:`rewrite`."""
        return rewrite(self.path, out, transform)

    def verify(
        self, path: Path | None = None, trust: TrustPolicy | None = None
    ) -> BundleVerification:
        """Verify ``path`` (default: this bundle) against ``trust`` (default: this policy)."""
        return verify_bundle(path or self.path, trust or self.trust, workers=1)


@pytest.fixture(scope="session")
def library_bundle(tmp_path_factory: pytest.TempPathFactory) -> BundleCase:
    """The case of :func:`prepare_case`, exported with the library."""
    directory = tmp_path_factory.mktemp("library-bundle")
    prepared = prepare_case(directory)
    with prepared.ledger:
        export_bundle(
            prepared.ledger,
            CASE,
            directory / "case.bundle",
            exporter=prepared.cast.investigator,
            log_signer=prepared.cast.log,
            blobs=prepared.blobs,
            purpose="for the court",
            at=EXPORT_TIME,
        )
    policy = trust_policy(prepared.cast, prepared.clinicians)
    return BundleCase(
        directory / "case.bundle", policy, write_trust(policy, directory / "trust.json"), CASE
    )


@pytest.fixture(scope="session")
def demo_bundle(tmp_path_factory: pytest.TempPathFactory) -> BundleCase:
    """The bundle ``custody demo`` writes, with the trust policy it writes beside it."""
    directory = tmp_path_factory.mktemp("demo-bundle") / "demo"
    result = run_demo(directory, say=lambda _: None)
    assert result.ok, result.verification.report.problems
    return BundleCase(result.bundle, TrustPolicy.from_file(result.trust), result.trust, CASE_DEMO)


@pytest.fixture(params=["library", "demo"])
def bundle_case(request: pytest.FixtureRequest) -> BundleCase:
    """Each bundle the tamper tests run against: the library's, and the demo's."""
    found: BundleCase = request.getfixturevalue(f"{request.param}_bundle")
    return found


@pytest.fixture
def prepared(tmp_path: Path) -> Iterator[Prepared]:
    """A fresh ledger with the case, for tests that export (and so change the ledger)."""
    found = prepare_case(tmp_path)
    with found.ledger:
        yield found


# --- the command line -----------------------------------------------------------------------


@attrs.frozen
class CliRun:
    """What a ``custody`` command returned and printed."""

    code: int
    out: str
    err: str


def run_cli(*argv: str) -> CliRun:
    """Run ``custody`` through ``main`` and capture what it printed."""
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return CliRun(code, out.getvalue(), err.getvalue())


@pytest.fixture
def cli_verify() -> Callable[[Path, Path], CliRun]:
    """``custody verify BUNDLE --trust FILE``, through ``main``."""

    def run(bundle: Path, trust_file: Path) -> CliRun:
        return run_cli("verify", str(bundle), "--trust", str(trust_file))

    return run
