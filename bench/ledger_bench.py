"""Ledger benchmark: appends and verification, as ratios to raw Ed25519 in the same run.

Run:  python bench/ledger_bench.py [--events 20000] [--single 500]

Prints durable single-event appends per second, batched appends per second, and ledger
verification rates on one core and on all cores, each beside the raw Ed25519 rates measured
in the same run on messages of the same size (the machine is noisy: compare the ratios).
Targets (issue 2): batched appends >= 5,000/s; verification >= 0.8x raw Ed25519 verify on
one core, and faster than that with all cores.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from custody.crypto import sig_structure
from custody.ledger import Draft, Ledger
from custody.model import EventBody, EventType, Place
from custody.testing import Cast, new_ledger, record_sample_case
from custody.verify import available_cores, verify_ledger

BATCH = 1000


def rate(count: int, run: Callable[[], object]) -> float:
    start = time.perf_counter()
    run()
    return count / (time.perf_counter() - start)


def access(cast: Cast, n: int) -> Draft:
    body = EventBody(
        EventType.ACCESSED,
        datetime.now(UTC),
        place=Place("Laboratory, bench 2"),
        purpose=f"benchmark access {n}",
    )
    return Draft("CASE-1", "ITEM-1", body, cast.analyst)


def raw_ed25519(ledger: Ledger, cast: Cast, count: int) -> tuple[float, float]:
    """Sign and verify rates of cryptography's Ed25519 over this ledger's signed bytes."""
    message = next(iter(ledger.entries())).statement.message
    assert message.payload is not None
    signed = sig_structure(message.protected, message.payload)
    private, public = cast.analyst, cast.analyst.public_key
    signature = private.sign(signed)
    sign_rate = rate(count, lambda: [private.sign(signed) for _ in range(count)])
    verify_rate = rate(count, lambda: [public.verify(signature, signed) for _ in range(count)])
    return sign_rate, verify_rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--single", type=int, default=500)
    args = parser.parse_args()
    cast = Cast()
    with (
        tempfile.TemporaryDirectory() as scratch,
        new_ledger(Path(scratch) / "bench.db", cast) as ledger,
    ):
        record_sample_case(ledger, cast)

        single = rate(
            args.single, lambda: [ledger.record_many([access(cast, n)]) for n in range(args.single)]
        )
        batches = [
            [access(cast, b * BATCH + n) for n in range(BATCH)] for b in range(args.events // BATCH)
        ]
        batched = rate(len(batches) * BATCH, lambda: [ledger.record_many(b) for b in batches])

        raw_sign, raw_verify = raw_ed25519(ledger, cast, 5000)
        size = ledger.size
        reports = {}

        def verify(workers: int) -> None:
            reports[workers] = verify_ledger(ledger, workers=workers)

        cores = available_cores()
        one_core = rate(size, lambda: verify(1))
        all_cores = rate(size, lambda: verify(cores))
        assert all(report.ok for report in reports.values())

    print(f"log size: {size} events; cores: {cores}")
    print(f"raw Ed25519 (1 core):        sign {raw_sign:9,.0f}/s   verify {raw_verify:9,.0f}/s")
    print(f"durable single appends:      {single:9,.0f}/s   ({single / raw_sign:.3f}x raw sign)")
    print(
        f"batched appends ({BATCH}/tx):   {batched:9,.0f}/s   ({batched / raw_sign:.3f}x raw "
        f"sign; target >= 5,000/s: {'met' if batched >= 5000 else 'NOT met'})"
    )
    print(
        f"verification, 1 core:        {one_core:9,.0f}/s   ({one_core / raw_verify:.2f}x raw "
        f"verify; target >= 0.8x: {'met' if one_core >= 0.8 * raw_verify else 'NOT met'})"
    )
    print(
        f"verification, {cores} cores:       {all_cores:9,.0f}/s   "
        f"({all_cores / raw_verify:.2f}x raw verify; target > 1x: "
        f"{'met' if all_cores > raw_verify else 'NOT met'})"
    )


if __name__ == "__main__":
    main()
