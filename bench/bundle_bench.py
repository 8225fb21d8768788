"""Bundle benchmark: verifying large bundles, as ratios to baselines measured in the same run.

Run:  python bench/bundle_bench.py [--events 20000] [--file-mib 1024]

Measures:
- a bundle of N signed events (a few items with long chains of ``accessed`` events by their
  holder): ``verify_bundle`` on one core and on all cores, in events per second, beside the raw
  Ed25519 verification rate of N signatures over signed bytes of the same size
  (``cryptography``'s ``Ed25519PublicKey.verify`` in a loop);
- a bundle carrying one file of ``--file-mib`` MiB of random bytes: the time ``verify_bundle``
  takes, beside ``openssl dgst -sha256`` of the same bundle file (skipped if there is no
  ``openssl``); both read the file from the page cache;
- the peak memory (maximum resident set) of each verification, in a fresh child process (this
  script run again with ``--child``), beside an idle interpreter that has imported custody.
  The child is started by a bare interpreter that reads ``RUSAGE_CHILDREN`` when it ends: the
  largest resident set of the child and its worker processes. Two reasons for the launcher:
  ``RUSAGE_CHILDREN`` of this process would be the largest of every child so far, and on Linux
  a process's ``ru_maxrss`` after ``exec`` starts from the resident set of the process it was
  forked from, so a child of this (large) process would report at least this process's size.

Each rate or time is the median of three rounds; each ratio is the median of per-round ratios,
every round timing the baseline just before (and, for Ed25519, just after) the measurement, so
that both see the same load on the machine.

Targets: verification >= 0.8x raw Ed25519 verify per core; verifying the large file
<= 1.15x openssl; peak memory < 150 MiB.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from custody.bundle import export_bundle, verify_bundle
from custody.crypto import sig_structure
from custody.intake import BlobStore
from custody.ledger import Draft, Ledger
from custody.model import DigitalItem, EventBody, EventType, PhysicalItem, Place
from custody.testing import SAMPLE_TIME, TEST_ORIGIN, Cast, new_ledger, record_sample_case
from custody.verify import TrustedKey, TrustedLog, TrustPolicy, available_cores

ROUNDS = 3
BATCH = 1000
ITEMS = 4  # items with long chains, besides the sample case's ITEM-1
MIB = 1 << 20
MIN_FREE = 4 << 30
MEMORY_TARGET_MIB = 150


# --- measuring ---------------------------------------------------------------------------------


def seconds(run: Callable[[], object]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def trust_policy(cast: Cast) -> TrustPolicy:
    """The verifier's own policy: the cast's keys and the log key (never the bundle's claims)."""
    return TrustPolicy(
        keys=tuple(
            TrustedKey(actor.name, key.public, (actor.role,)) for actor, key in cast.actors()
        ),
        logs=(TrustedLog(TEST_ORIGIN, cast.log.public),),
    )


# Runs its arguments as a command, echoes its output, then prints RUSAGE_CHILDREN's peak (KiB).
_LAUNCHER = """
import resource, subprocess, sys
print(subprocess.run(sys.argv[1:], check=True, capture_output=True, text=True).stdout.strip())
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def child(*argv: str) -> dict[str, float]:
    """Run this script with ``--child`` under the launcher; what it printed, and ``peak_mib``."""
    printed = subprocess.run(
        [sys.executable, "-c", _LAUNCHER, sys.executable, __file__, "--child", *argv],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.splitlines()
    result: dict[str, float] = json.loads(printed[-2])
    result["peak_mib"] = int(printed[-1]) / 1024  # ru_maxrss is in KiB on Linux
    return result


def run_child(argv: list[str]) -> None:
    """The hidden ``--child`` mode: ``idle``, or ``verify BUNDLE TRUST WORKERS``."""
    if argv[0] == "verify":
        bundle, trust, workers = argv[1], argv[2], int(argv[3])
        verification = verify_bundle(bundle, TrustPolicy.from_file(trust), workers=workers)
        ok = verification.ok
    else:
        ok = True  # custody and the verifier are imported above: the idle baseline
    print(
        json.dumps(
            {
                "ok": ok,
                "self_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "children_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
            }
        )
    )


# --- the bundle of many events ------------------------------------------------------------------


def build_events(ledger: Ledger, cast: Cast, events: int) -> None:
    """Record the sample case, ITEMS more items, and accessed events up to ``events`` in all
    (the closing exported event included)."""
    record_sample_case(ledger, cast)
    holder = cast.investigator
    items = [f"ITEM-{n}" for n in range(2, ITEMS + 2)]
    for n, item in enumerate(items):
        physical = PhysicalItem(item, f"Exhibit {n + 2}", "paper evidence bag", (f"S-1{n:03d}",))
        ledger.acquire("CASE-1", physical, holder, at=SAMPLE_TIME + timedelta(hours=1))
    remaining = events - ledger.size - 1
    place = Place("Laboratory, bench 2")
    for start in range(0, max(0, remaining), BATCH):
        drafts = [
            Draft(
                "CASE-1",
                items[n % len(items)],
                EventBody(
                    EventType.ACCESSED,
                    SAMPLE_TIME + timedelta(hours=2, seconds=n),
                    place=place,
                    purpose=f"benchmark access {n}",
                ),
                holder,
            )
            for n in range(start, min(start + BATCH, remaining))
        ]
        ledger.record_many(drafts)


class RawEd25519:
    """``cryptography``'s Ed25519 verify of one real accessed event's signed bytes."""

    def __init__(self, ledger: Ledger, cast: Cast) -> None:
        last = ledger.events("CASE-1", f"ITEM-{ITEMS + 1}")[-1]
        message = last.statement.message
        assert message.payload is not None
        self.size = len(last.statement.entry)
        self.signed = sig_structure(message.protected, message.payload)
        self.signature = message.signature
        self.public = Ed25519PublicKey.from_public_bytes(cast.investigator.public.to_bytes())

    def rate(self, count: int) -> float:
        verify, signature, signed = self.public.verify, self.signature, self.signed

        def run() -> None:
            for _ in range(count):
                verify(signature, signed)

        return count / seconds(run)


def many_events(scratch: Path, count: int, trust_file: Path, idle: float, rows: list[Row]) -> None:
    cast = Cast()
    trust = trust_policy(cast)
    with new_ledger(scratch / "events.db", cast) as ledger:
        started = time.perf_counter()
        build_events(ledger, cast, count)
        ledger.checkpoint(cast.log)
        built = time.perf_counter() - started
        raw = RawEd25519(ledger, cast)
        started = time.perf_counter()
        result = export_bundle(
            ledger,
            "CASE-1",
            scratch / "events.custody",
            exporter=cast.investigator,
            log_signer=cast.log,
            at=SAMPLE_TIME + timedelta(days=1),
        )
        exported = time.perf_counter() - started
    events = result.events
    print(
        f"bundle of {events:,} events ({result.size / MIB:.1f} MiB, entries of about "
        f"{raw.size} bytes): ledger built in {built:.1f} s, exported in {exported:.1f} s"
    )
    cores = available_cores()
    for workers in sorted({1, cores}):
        reports = []

        def verify(workers: int = workers, reports: list[bool] = reports) -> None:
            reports.append(verify_bundle(result.path, trust, workers=workers).ok)

        rates, ratios = [], []
        for _ in range(ROUNDS):
            before = raw.rate(events)
            measured = events / seconds(verify)
            after = raw.rate(events)
            rates.append(measured)
            ratios.append(measured / ((before + after) / 2) / workers)
        assert all(reports), "the bundle did not verify"
        baseline = statistics.median([raw.rate(events) for _ in range(ROUNDS)])
        label = "1 core" if workers == 1 else f"{workers} cores"
        rows.append(
            Row(
                f"verify {events:,} events, {label}",
                f"{statistics.median(rates):,.0f} events/s",
                f"raw Ed25519 {baseline:,.0f}/s" + (" per core" if workers > 1 else ""),
                f"{statistics.median(ratios):.2f}x" + (" per core" if workers > 1 else ""),
                ">= 0.8x per core",
                statistics.median(ratios) >= 0.8,
            )
        )
    for workers in sorted({1, cores}):
        peak = child("verify", str(result.path), str(trust_file), str(workers))
        assert peak["ok"], "the bundle did not verify in the child"
        label = "1 core" if workers == 1 else f"{workers} cores"
        rows.append(memory_row(f"peak memory, {events:,} events, {label}", peak, idle))
    result.path.unlink()


# --- the bundle of one large file ---------------------------------------------------------------


def large_file(scratch: Path, mib: int, trust_file: Path, idle: float, rows: list[Row]) -> None:
    cast = Cast()
    trust = trust_policy(cast)
    source = scratch / "recording.bin"
    started = time.perf_counter()
    with open(source, "wb") as handle:
        for _ in range(mib):
            handle.write(os.urandom(MIB))
    blobs = BlobStore.open(scratch / "blobs", create=True)
    with open(source, "rb") as handle:
        stored = blobs.put(handle)
    source.unlink()  # the blob store holds the bytes now; free the disk
    with new_ledger(scratch / "file.db", cast) as ledger:
        record_sample_case(ledger, cast)
        item = DigitalItem(
            "FILE-1", stored.digests.sha256, mib * MIB, "recording.bin", "application/octet-stream"
        )
        ledger.acquire("CASE-1", item, cast.investigator, at=SAMPLE_TIME + timedelta(hours=3))
        prepared = time.perf_counter() - started
        started = time.perf_counter()
        result = export_bundle(
            ledger,
            "CASE-1",
            scratch / "file.custody",
            exporter=cast.investigator,
            log_signer=cast.log,
            blobs=blobs,
            at=SAMPLE_TIME + timedelta(hours=4),
        )
        exported = time.perf_counter() - started
    shutil.rmtree(scratch / "blobs")
    print(
        f"bundle of one {mib} MiB file ({result.size / MIB:,.1f} MiB): file written and taken "
        f"in in {prepared:.1f} s, exported in {exported:.1f} s"
    )
    reports: list[bool] = []

    def verify() -> None:
        reports.append(verify_bundle(result.path, trust).ok)

    if shutil.which("openssl") is None:
        print("  openssl not found: the large-file ratio is skipped")
        taken = statistics.median(seconds(verify) for _ in range(ROUNDS))
        rows.append(
            Row(f"verify {mib} MiB file", f"{taken:.2f} s", "(no openssl)", "-", "<= 1.15x", None)
        )
    else:
        openssl = ["openssl", "dgst", "-sha256", str(result.path)]
        pairs = []
        for _ in range(ROUNDS):
            theirs = seconds(lambda: subprocess.run(openssl, check=True, capture_output=True))
            pairs.append((theirs, seconds(verify)))
        baseline, taken = (statistics.median(column) for column in zip(*pairs, strict=True))
        ratio = statistics.median(ours / theirs for theirs, ours in pairs)
        rows.append(
            Row(
                f"verify {mib} MiB file",
                f"{taken:.2f} s ({result.size / MIB / taken:,.0f} MiB/s)",
                f"openssl dgst -sha256 {baseline:.2f} s",
                f"{ratio:.2f}x",
                "<= 1.15x",
                ratio <= 1.15,
            )
        )
    assert all(reports), "the bundle did not verify"
    peak = child("verify", str(result.path), str(trust_file), "1")
    assert peak["ok"], "the bundle did not verify in the child"
    rows.append(memory_row(f"peak memory, {mib} MiB file", peak, idle))
    result.path.unlink()


# --- the table ----------------------------------------------------------------------------------


class Row:
    """One line of the result table."""

    def __init__(
        self, measure: str, value: str, baseline: str, ratio: str, target: str, met: bool | None
    ) -> None:
        self.cells = (measure, value, baseline, ratio, target, _met(met))


def memory_row(measure: str, peak: dict[str, float], idle: float) -> Row:
    value = f"{peak['peak_mib']:.1f} MiB"
    if peak["children_mib"] > 0:
        value += f" (main {peak['self_mib']:.1f}, each worker <= {peak['children_mib']:.1f})"
    return Row(
        measure,
        value,
        f"idle interpreter {idle:.1f} MiB",
        f"{peak['peak_mib'] / idle:.2f}x",
        f"< {MEMORY_TARGET_MIB} MiB",
        peak["peak_mib"] < MEMORY_TARGET_MIB,
    )


def _met(met: bool | None) -> str:
    return "-" if met is None else "yes" if met else "NO"


def print_table(rows: list[Row]) -> None:
    header = ("measure", "value", "baseline", "ratio", "target", "met")
    widths = [max(len(cells[i]) for cells in [header, *(r.cells for r in rows)]) for i in range(6)]
    for cells in [header, tuple("-" * w for w in widths), *(r.cells for r in rows)]:
        print("  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)))


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        run_child(sys.argv[2:])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=20_000, help="events in the first bundle")
    parser.add_argument("--file-mib", type=int, default=1024, help="size of the large file")
    args = parser.parse_args()
    if args.events < 20 or args.file_mib < 1:
        parser.error("--events must be at least 20 and --file-mib at least 1")
    scratch_root = os.environ.get("TMPDIR") or tempfile.gettempdir()
    # The large file exists twice at most at once (blob store and bundle), beside the ledgers.
    needed = max(MIN_FREE, 3 * args.file_mib * MIB)
    free = shutil.disk_usage(scratch_root).free
    if free < needed:
        sys.exit(
            f"refusing to run: {free / (1 << 30):.1f} GiB free in {scratch_root}, "
            f"{needed / (1 << 30):.1f} GiB needed (set TMPDIR to a roomier disk, or lower "
            "--file-mib)"
        )
    idle = child("idle")["peak_mib"]
    print(f"cores: {available_cores()}; python {sys.version.split()[0]}")
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(dir=scratch_root) as scratch_name:
        scratch = Path(scratch_name)
        trust_file = scratch / "trust.json"
        trust_file.write_text(json.dumps(trust_policy(Cast()).to_dict()))
        many_events(scratch, args.events, trust_file, idle, rows)
        large_file(scratch, args.file_mib, trust_file, idle, rows)
    print()
    print_table(rows)


if __name__ == "__main__":
    main()
