"""The end-to-end story behind ``custody demo DIR``: a fictional case, from intake to the court.

:func:`run_demo` writes into one new directory everything a reader needs to see custody at
work, on the embedded default (one SQLite file, a blob store beside it):

1. keys for six fictional people and for the log, as unencrypted **demo** key files;
2. a ledger, the people registered in it, and a case opened by the investigator;
3. the four sample photographs shipped with the package, taken in by the forensic
   physician (stored in the blob store, hashed, examined, recorded as signed items);
4. a sealed clothing bag carried investigator -> courier -> laboratory, received with its
   seal intact, analysed, resealed and stored; and a sealed urine sample;
5. a fictional Istanbul Protocol evaluation naming those photographs and that sample,
   recorded, reviewed by a colleague and sealed by both evaluators;
6. a signed checkpoint, the exported court bundle ``case.custody``, the court's trust policy
   ``trust.json``, the offline verification of the bundle, and its report ``report.html``.

Every claimed time is fixed (from 2 March 2026) and every key is derived from a fixed name,
so two runs write byte-identical bundles. For the same reason the salts of the evaluation's
field commitments and of the subject's identity record come from a fixed seed: in real use
they are random, which is what keeps withheld fields unguessable. Nothing here is secret,
and nothing here may ever be used for real evidence.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import shlex
import shutil
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from importlib import resources
from pathlib import Path

import attrs

from custody._fs import create_new_file
from custody.bundle import BundleVerification, ExportResult, export_bundle, verify_bundle
from custody.crypto import SigningKey
from custody.errors import InvalidInput
from custody.intake import BlobStore, FileResult, IntakeOptions, Outcome, intake
from custody.keyfiles import save_signing_key
from custody.ledger import Ledger
from custody.medical import (
    SAMPLE_SUBJECT_ID,
    Evaluation,
    EvaluationRefused,
    IdentityRecord,
    SamplePhoto,
    evidence_lookup,
    record_evaluation,
    review_evaluation,
    sample_evaluation,
    seal_evaluation,
    validate,
)
from custody.model import (
    Actor,
    EventBody,
    EventType,
    PhysicalItem,
    Place,
    SealState,
)
from custody.report import render_bundle_report
from custody.verify import TrustedKey, TrustedLog, TrustPolicy

__all__ = ["CASE", "DEMO_ORIGIN", "PHOTOGRAPHS", "DemoResult", "demo_key", "run_demo"]

#: The demo log's origin and the demo case's reference (the sample evaluation names it).
DEMO_ORIGIN = "custody.demo/npm-unit-3"
CASE = "NPM-2026-031"
#: The sample photographs in ``custody/demo_data``, in the order the evaluation takes them:
#: identification, orientation of the upper back, close-up with scale, close-up of the wrist.
PHOTOGRAPHS = ("IMG_0001.jpg", "IMG_0002.jpg", "IMG_0003.jpg", "IMG_0004.jpg")

_DAY = datetime(2026, 3, 2, tzinfo=UTC)
_PRISON = Place("Remand prison, wing C (fictional)")
_MEDICAL_UNIT = Place("Remand prison, medical unit (fictional)")
_OFFICE = Place("Office of the National Preventive Mechanism (fictional)")
_LAB = Place("Forensic laboratory, intake desk (fictional)")
_LAB_STORE = Place("Forensic laboratory, evidence store, shelf B3 (fictional)")
_BAG = "ITEM-CLOTHING-1"
_BAG_SEAL = "S-20260302-0012"
_LAB_SEAL = "S-LAB-0456"
_SAMPLE = "SAMPLE-SM1"
_SAMPLE_SEAL = "S-20260302-0007"  # the seal the sample evaluation names
_CAMERA_FOLDER = "camera"


def _at(day: int, hour: int, minute: int = 0) -> datetime:
    """A claimed time of the story: ``day`` days after 2 March 2026, at hour:minute UTC."""
    return _DAY + timedelta(days=day, hours=hour, minutes=minute)


@attrs.frozen
class _Person:
    key_name: str  # the key file is demo-<key_name>.key
    name: str
    role: str
    organisation: str


_PEOPLE = (
    _Person(
        "investigator",
        "Ines Moreno (fictional)",
        "investigator",
        "National Preventive Mechanism (fictional)",
    ),
    _Person(
        "courier", "Carl Osei (fictional)", "courier", "Evidence transport service (fictional)"
    ),
    _Person(
        "physician",
        "Dr Amina Verhoeven (fictional)",
        "forensic physician",
        "Forensic medical unit (fictional)",
    ),
    _Person(
        "psychologist",
        "Dr Tomas Lindqvist (fictional)",
        "clinical psychologist",
        "Forensic medical unit (fictional)",
    ),
    _Person(
        "reviewer",
        "Dr Lea Moreau (fictional)",
        "peer reviewer",
        "Forensic medical unit (fictional)",
    ),
    _Person(
        "analyst", "Ana Duarte (fictional)", "laboratory analyst", "Forensic laboratory (fictional)"
    ),
)


def demo_key(name: str) -> SigningKey:
    """The demo's key for ``name``: derived from the name, so anyone can recompute it.

    For the demo only: such a key proves nothing about who signed.
    """
    return SigningKey.from_seed(hashlib.sha256(b"custody.demo:key:" + name.encode()).digest())


@attrs.frozen
class DemoResult:
    """What :func:`run_demo` wrote and found.

    Attributes:
        directory: the demo directory.
        ledger: the ledger file (``custody.db``); its blob store is ``custody.blobs`` beside it.
        keys: the folder of demo key files.
        bundle: the exported court bundle (``case.custody``).
        trust: the court's trust policy (``trust.json``).
        report: the HTML verification report (``report.html``).
        export: what the export wrote.
        verification: the offline verification of the bundle against ``trust``.
    """

    directory: Path
    ledger: Path
    keys: Path
    bundle: Path
    trust: Path
    report: Path
    export: ExportResult
    verification: BundleVerification

    @property
    def ok(self) -> bool:
        """Whether the bundle verified against the trust policy."""
        return self.verification.ok

    @property
    def verify_command(self) -> str:
        """The command that verifies the bundle again and rewrites the report."""
        return shlex.join(
            [
                "custody",
                "verify",
                str(self.bundle),
                "--trust",
                str(self.trust),
                "--html",
                str(self.report),
            ]
        )


def run_demo(
    directory: str | os.PathLike[str], *, say: Callable[[str], None] = print
) -> DemoResult:
    """Run the whole demo story into ``directory`` and verify the bundle it exports.

    Args:
        directory: where to write; created if missing, refused unless empty.
        say: called with each line telling what the demo does.

    Returns:
        The files written and the verification; ``ok`` when the bundle verified.

    Raises:
        InvalidInput: ``directory`` is a file, or a directory that is not empty.
    """
    return _Demo(Path(directory), say).run()


class _Demo:
    def __init__(self, directory: Path, say: Callable[[str], None]) -> None:
        self.root = directory
        self.say = say
        self.keys = {person.key_name: demo_key(person.key_name) for person in _PEOPLE}
        self.log_key = demo_key("log")
        self.step = itertools.count(1)

    def key(self, name: str) -> SigningKey:
        return self.keys[name]

    def tell(self, text: str, *details: str) -> None:
        self.say(f"{next(self.step):>2}. {text}")
        for line in details:
            self.say(f"      {line}")

    def run(self) -> DemoResult:
        root = self.root
        _make_empty_directory(root)
        self.say(f"custody demo: a fictional case, from intake to the court, in {root}")
        keys = self._write_keys()
        ledger_path, blobs_path = root / "custody.db", root / "custody.blobs"
        with Ledger.create(
            ledger_path, origin=DEMO_ORIGIN, log_key=self.log_key.public, at=_at(0, 7)
        ) as ledger:
            self._register(ledger, ledger_path)
            ledger.open_case(
                CASE,
                self.key("investigator"),
                purpose="Visit to the remand prison (fictional)",
                place=_PRISON,
                at=_at(0, 8),
            )
            self.tell(f"Case {CASE} opened by the investigator (2 March 2026, 08:00 UTC)")
            blobs = BlobStore.open(blobs_path, create=True)
            self._seize(ledger)
            photos = self._take_in_photographs(ledger, blobs)
            self._carry_the_bag(ledger)
            self._evaluation(ledger, photos)
            ledger.checkpoint(self.log_key, at=_at(3, 18))
            self.tell(f"Checkpoint of the log signed with the log key (log size {ledger.size})")
            export = self._export(ledger, blobs)
        trust = self._write_trust()
        verification = self._verify(export.path, trust)
        report = root / "report.html"
        html = render_bundle_report(verification, trust_source=str(trust))
        create_new_file(report, lambda handle: handle.write(html.encode()), mode=0o644)
        result = DemoResult(
            root, ledger_path, keys, export.path, trust, report, export, verification
        )
        self.tell(f"Report for the court written to {report}: open it in a browser")
        self.say("")
        self.say(
            "VERIFIED"
            if result.ok
            else f"NOT VERIFIED: {verification.report.problem_count} problems (see the report)"
        )
        self.say("Verify the bundle again, offline, as a court would:")
        self.say(f"  {result.verify_command}")
        self.say(f"Look at the ledger: custody --ledger {shlex.quote(str(ledger_path))} log {CASE}")
        return result

    # -- people and keys -------------------------------------------------------------------

    def _write_keys(self) -> Path:
        folder = self.root / "keys"
        folder.mkdir()
        for name, key in (("log", self.log_key), *self.keys.items()):
            # Unencrypted only because these are demo keys derived from public names: the
            # explicit opt-in of the keys API, and a file name that says so.
            save_signing_key(key, folder / f"demo-{name}.key", None, allow_unencrypted=True)
        self.tell(
            f"Demo keys for the log and six fictional people written to {folder}/demo-*.key",
            "DEMO KEYS: unencrypted and derived from public names, so anyone can recompute",
            "them. They prove nothing; never use them for real evidence.",
        )
        return folder

    def _register(self, ledger: Ledger, path: Path) -> None:
        for person in _PEOPLE:
            key = self.key(person.key_name)
            actor = Actor(key.key_id, person.name, person.role, person.organisation)
            ledger.register_actor(actor, key.public, at=_at(0, 7))
        self.tell(
            f"Ledger {path} created for the log {DEMO_ORIGIN}; people registered:",
            *(f"{p.name}, {p.role} (keys/demo-{p.key_name}.key)" for p in _PEOPLE),
        )

    # -- evidence --------------------------------------------------------------------------

    def _take_in_photographs(self, ledger: Ledger, blobs: BlobStore) -> list[SamplePhoto]:
        """Copy the sample photographs to ``camera/`` and take the folder in, as ``custody
        intake`` does, at a fixed claimed time."""
        camera = self.root / _CAMERA_FOLDER
        camera.mkdir()
        for number, name in enumerate(PHOTOGRAPHS):
            path = camera / name
            with resources.as_file(resources.files("custody") / "demo_data" / name) as shipped:
                shutil.copyfile(shipped, path)
            taken = _at(0, 10, number)  # the camera's clock: 11:00 UTC+01:00 and on
            os.utime(path, (taken.timestamp(), taken.timestamp()))
        options = IntakeOptions(
            notes="memory card of the physician's camera, taken in after the examination",
            place=_MEDICAL_UNIT,
            purpose="photographs of the medical examination",
            workers=1,  # one file after another: the same log order on every run
            at=_at(0, 11, 30),
        )
        results: list[FileResult] = []
        intake(
            ledger,
            blobs,
            CASE,
            [camera],
            self.key("physician"),
            options=options,
            on_result=results.append,
        )
        failed = [r for r in results if r.outcome is not Outcome.RECORDED]
        if failed:
            raise InvalidInput(
                f"the sample photograph was not taken in: {failed[0].problem}",
                field=failed[0].source,
            )
        recorded = sorted(results, key=lambda r: r.source)
        photos = [_sample_photo(r) for r in recorded]
        self.tell(
            f"{len(PHOTOGRAPHS)} photographs taken in by the forensic physician "
            f"(copied to {camera}, stored in the blob store, hashed, examined, signed):",
            *(
                f"{r.source} -> item {p.item}, SHA-256 {p.sha256}"
                for r, p in zip(recorded, photos, strict=True)
            ),
        )
        return photos

    def _seize(self, ledger: Ledger) -> None:
        """The two physical items: the clothing bag and the urine sample, each under seal."""
        bag = PhysicalItem(
            _BAG,
            "Cotton T-shirt worn by the detainee, blood-stained (fictional)",
            "paper evidence bag",
            (_BAG_SEAL,),
            "NPM office, evidence locker 2",
        )
        ledger.acquire(
            CASE,
            bag,
            self.key("investigator"),
            at=_at(0, 10, 15),
            place=_PRISON,
            purpose="handed over by the detainee, with his consent",
            condition="dry; bag sealed in the detainee's presence",
        )
        sample = PhysicalItem(
            _SAMPLE,
            "Urine sample SM1 (fictional)",
            "sterile container in a sealed evidence bag",
            (_SAMPLE_SEAL,),
            "medical unit refrigerator",
        )
        ledger.acquire(CASE, sample, self.key("physician"), at=_at(0, 10, 40), place=_MEDICAL_UNIT)
        self.tell(
            "Physical items recorded under seal (2 March, times in UTC):",
            f"{_BAG}: a T-shirt in a paper bag, seal {_BAG_SEAL}, by the investigator 10:15",
            f"{_SAMPLE}: a urine sample, seal {_SAMPLE_SEAL}, by the physician 10:40",
        )

    def _carry_the_bag(self, ledger: Ledger) -> None:
        """The bag goes investigator -> courier -> laboratory, sealed, and is analysed."""
        investigator, courier = self.key("investigator"), self.key("courier")
        analyst = self.key("analyst")

        def record(signer: SigningKey, body: EventBody) -> None:
            ledger.record(CASE, _BAG, body, signer)

        def hand_over(
            giver: SigningKey, taker: SigningKey, sent: datetime, place: Place, purpose: str | None
        ) -> None:
            """The bag released to ``taker``, who receives it five minutes later, seal intact."""
            to = taker.public.key_id_hex
            record(giver, EventBody(EventType.TRANSFERRED, sent, place, purpose, counterparty=to))
            received = sent + timedelta(minutes=5)
            seen, intact = (_BAG_SEAL,), SealState.INTACT
            record(
                taker, EventBody(EventType.RECEIVED, received, place, seals=seen, seal_state=intact)
            )

        hand_over(
            investigator, courier, _at(0, 13), _OFFICE, "transport to the forensic laboratory"
        )
        hand_over(courier, analyst, _at(0, 15, 30), _LAB, None)
        record(
            analyst,
            EventBody(
                EventType.ANALYSED,
                _at(1, 9),
                place=_LAB,
                seal_state=SealState.BROKEN,
                purpose="presumptive blood test and fibre sampling",
            ),
        )
        record(
            analyst,
            EventBody(
                EventType.SEALED,
                _at(1, 11, 30),
                place=_LAB,
                seals=(_LAB_SEAL,),
                seal_state=SealState.INTACT,
            ),
        )
        record(
            analyst,
            EventBody(
                EventType.STORED,
                _at(1, 11, 45),
                place=_LAB_STORE,
                seals=(_LAB_SEAL,),
                seal_state=SealState.INTACT,
            ),
        )
        self.tell(
            f"Custody of {_BAG}, from the prison to the laboratory's store:",
            "investigator -> courier 13:00; received by the courier, seal intact, 13:05",
            "courier -> laboratory analyst 15:30; received, seal intact, 15:35",
            f"analysed 3 March 09:00 (seal broken), resealed as {_LAB_SEAL} 11:30, stored 11:45",
        )

    # -- the medical evaluation ------------------------------------------------------------

    def _evaluation(self, ledger: Ledger, photos: list[SamplePhoto]) -> None:
        physician, psychologist = self.key("physician"), self.key("psychologist")
        identity = IdentityRecord(
            subject_id=SAMPLE_SUBJECT_ID,
            salt=hashlib.sha256(b"custody.demo:identity").hexdigest(),
            names=("Karim Haddad (fictional)",),
        )
        document = sample_evaluation(
            physician_key=physician.key_id.hex(),
            psychologist_key=psychologist.key_id.hex(),
            identity_commitment=identity.commitment(),
            photos=photos,
            sample_item=_SAMPLE,
            sample_seal=_SAMPLE_SEAL,
        )
        evaluation = Evaluation.from_json(document)
        check = validate(
            evaluation, sealing=True, evidence=evidence_lookup(ledger, CASE), identity=identity
        )
        if not check.ok:
            raise EvaluationRefused(check)
        record_evaluation(
            ledger,
            CASE,
            evaluation,
            physician,
            at=_at(2, 9),
            identity=identity,
            randbytes=_fixed_salts(),
        )
        reference = evaluation.evaluation_id
        review_evaluation(ledger, CASE, reference, self.key("reviewer"), at=_at(3, 10))
        seal_evaluation(ledger, CASE, reference, physician, at=_at(3, 14), identity=identity)
        state = seal_evaluation(
            ledger, CASE, reference, psychologist, at=_at(3, 14, 30), identity=identity
        )
        self.tell(
            f"Istanbul Protocol evaluation {reference} (fictional):",
            f"checked against the Protocol's rules: {len(check.departures)} departure(s), "
            "each with its stated reason",
            "recorded by the physician 4 March; its photographs are the items taken in above",
            "reviewed by a colleague 5 March; sealed by the physician and the psychologist",
            f"status {state.status.value}, evaluation digest {state.digest.hex()}",
        )

    # -- the bundle ------------------------------------------------------------------------

    def _export(self, ledger: Ledger, blobs: BlobStore) -> ExportResult:
        target = self.root / "case.custody"
        result = export_bundle(
            ledger,
            CASE,
            target,
            exporter=self.key("investigator"),
            log_signer=self.log_key,
            blobs=blobs,
            purpose="court bundle for the investigating judge (fictional)",
            at=_at(4, 9),
        )
        self.tell(
            f"Court bundle {target} exported by the investigator:",
            f"{result.events} signed events, {result.files} files, {result.size:,} bytes, "
            f"proven under the checkpoint of log size {result.log_size}",
        )
        return result

    def _write_trust(self) -> Path:
        keys = tuple(
            TrustedKey(person.name, self.key(person.key_name).public, (person.role,))
            for person in _PEOPLE
        )
        policy = TrustPolicy(keys, (TrustedLog(DEMO_ORIGIN, self.log_key.public),))
        path = self.root / "trust.json"
        text = json.dumps(policy.to_dict(), indent=2, ensure_ascii=False) + "\n"
        create_new_file(path, lambda handle: handle.write(text.encode()), mode=0o644)
        self.tell(
            f"The court's trust policy written to {path}:",
            f"the six people's public keys with their roles, and the log's key for {DEMO_ORIGIN}",
        )
        return path

    def _verify(self, bundle: Path, trust: Path) -> BundleVerification:
        verification = verify_bundle(bundle, TrustPolicy.from_file(trust))
        checks = verification.report.checks
        passed = sum(1 for check in checks if check.passed)
        self.tell(
            f"Bundle verified offline against {trust}: "
            + ("VERIFIED" if verification.ok else "NOT VERIFIED"),
            f"{passed} kinds of check passed, {sum(c.performed for c in checks):,} checks "
            f"performed, {verification.report.problem_count} problems",
        )
        return verification


def _sample_photo(result: FileResult) -> SamplePhoto:
    # Recorded results carry both.
    assert result.item is not None
    assert result.report is not None
    return SamplePhoto(result.item, result.report.digests.sha256.hex())


def _fixed_salts() -> Callable[[int], bytes]:
    """Field salts from a fixed seed, so that the demo's bundle is the same on every run.
    Real evaluations must use random salts (the default of ``record_evaluation``).
    """
    counter: Iterator[int] = itertools.count()

    def randbytes(size: int) -> bytes:
        seed = f"custody.demo:salt:{next(counter)}".encode()
        return hashlib.sha256(seed).digest()[:size]

    return randbytes


def _make_empty_directory(directory: Path) -> None:
    if directory.exists() and not directory.is_dir():
        raise InvalidInput("is not a directory", field=str(directory))
    if directory.is_dir() and any(directory.iterdir()):
        raise InvalidInput(
            "is not empty; the demo writes into a new or empty directory", field=str(directory)
        )
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InvalidInput(f"cannot be created ({exc.strerror})", field=str(directory)) from exc
