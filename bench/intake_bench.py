"""Intake benchmark: one large file and a batch of photographs, beside same-run baselines.

Run:  python bench/intake_bench.py [--size-mib 1024] [--photos 2000]

Prints, each as a ratio to a baseline measured in the same run on the same files:
- intake of one large file (hash, durable copy into the blob store, examine, signed event)
  against ``openssl dgst -sha256`` of the file plus a plain ``cp`` of it;
- hashing alone (what ``custody inspect`` does) against ``openssl dgst -sha256``;
- the peak memory (maximum resident set) of a process taking the large file in, and one a
  quarter of its size (it must not grow with the file);
- batch intake of photographs of about 200 KB (EXIF, hashes, stored blob, signed event,
  durable) in files per second, beside ``sha256sum`` plus ``gpg --detach-sign`` per file.

Timings are medians of three rounds; each ratio is the median of per-round ratios, each
round timing the baseline and custody one after the other.

Targets (issue 3): large-file intake <= 1.25x its baseline; hashing <= 1.15x openssl;
peak memory < 100 MiB; batch intake >= 300 files/s.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from custody.intake import BlobStore, IntakeOptions, inspect_file, intake
from custody.testing import Cast, new_ledger, record_sample_case

PHOTO = Path(__file__).resolve().parents[1].parent / "shared/data/images/jpg/gps/DSCN0010.jpg"
ROUNDS = 3
_CHILD = """
import resource, sys
from custody.intake import BlobStore, IntakeOptions, intake
from custody.ledger import Ledger
from custody.testing import Cast
with Ledger.open(sys.argv[1]) as ledger:
    blobs = BlobStore.open(sys.argv[2], create=True)
    intake(ledger, blobs, "CASE-1", [sys.argv[3]], Cast().investigator)
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def seconds(run: Callable[[], object]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def shell(*argv: str) -> None:
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL)


def write_random_file(path: Path, mib: int) -> None:
    with open(path, "wb") as handle:
        for _ in range(mib):
            handle.write(os.urandom(1 << 20))


def large_file(scratch: Path, mib: int) -> None:
    big = scratch / "recording.bin"
    write_random_file(big, mib)
    copy = scratch / "copy.bin"

    def baseline_copy(durable: bool) -> Callable[[], None]:
        def run() -> None:
            shell("openssl", "dgst", "-sha256", str(big))
            shell("cp", str(big), str(copy))
            if durable:
                shell("sync", str(copy))
            copy.unlink()

        return run

    # Paired rounds: each ratio compares two timings taken one after the other, under the
    # same load on the machine; the median ratio of the rounds is reported.
    rounds = [
        (
            seconds(baseline_copy(durable=False)),
            intake_seconds(scratch, big, n),
            seconds(baseline_copy(durable=True)),
        )
        for n in range(ROUNDS)
    ]
    baseline, taken, durable_baseline = (
        statistics.median(column) for column in zip(*rounds, strict=True)
    )
    ratio = statistics.median(intake / plain for plain, intake, _ in rounds)
    durable_ratio = statistics.median(intake / durable for _, intake, durable in rounds)
    hashing = [
        (
            seconds(lambda: shell("openssl", "dgst", "-sha256", str(big))),
            seconds(lambda: inspect_file(big)),
        )
        for _ in range(ROUNDS)
    ]
    openssl, hashed = (statistics.median(column) for column in zip(*hashing, strict=True))
    hash_ratio = statistics.median(ours / theirs for theirs, ours in hashing)
    small = scratch / "quarter.bin"
    write_random_file(small, max(1, mib // 4))
    peaks = {path.stat().st_size >> 20: peak_memory(scratch, path) for path in (small, big)}
    print(f"large file: {mib} MiB")
    print(
        f"  intake:         {taken:6.2f} s   baseline openssl dgst + cp   {baseline:6.2f} s   "
        f"ratio {ratio:.2f}x (target <= 1.25x: {verdict(ratio <= 1.25)})"
    )
    print(
        f"                  (cp leaves its copy in the page cache; intake syncs its copy to "
        f"disk first: with sync, the baseline takes {durable_baseline:.2f} s, "
        f"ratio {durable_ratio:.2f}x)"
    )
    print(
        f"  hashing alone:  {hashed:6.2f} s   baseline openssl dgst        {openssl:6.2f} s   "
        f"ratio {hash_ratio:.2f}x (target <= 1.15x: {verdict(hash_ratio <= 1.15)})"
    )
    shown = ", ".join(f"{peak:.1f} MiB for {size} MiB" for size, peak in peaks.items())
    print(f"  peak memory:    {shown} (target < 100 MiB: {verdict(max(peaks.values()) < 100)})")


def intake_seconds(scratch: Path, big: Path, round_number: int) -> float:
    """Time one intake of ``big`` into a fresh ledger and blob store (made beforehand)."""
    cast = Cast()
    with new_ledger(scratch / f"large-{round_number}.db", cast) as ledger:
        record_sample_case(ledger, cast)
        blobs = BlobStore.open(scratch / f"large-{round_number}.blobs", create=True)
        elapsed = seconds(lambda: intake(ledger, blobs, "CASE-1", [big], cast.investigator))
    shutil.rmtree(scratch / f"large-{round_number}.blobs")
    return elapsed


def peak_memory(scratch: Path, big: Path) -> float:
    """Maximum resident set, in MiB, of a fresh process taking ``big`` in."""
    cast = Cast()
    ledger_path = scratch / f"memory-{big.name}.db"
    with new_ledger(ledger_path, cast) as ledger:
        record_sample_case(ledger, cast)
    printed = subprocess.run(
        [sys.executable, "-c", _CHILD, str(ledger_path), str(scratch / f"m-{big.name}"), str(big)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return int(printed.split()[-1]) / 1024  # ru_maxrss is in KiB on Linux


def photographs(scratch: Path, count: int) -> None:
    folder = scratch / "photos"
    folder.mkdir()
    original = PHOTO.read_bytes()
    for n in range(count):
        # Bytes after the JPEG's end-of-image marker make each file distinct and about
        # 200 KB; readers ignore them, so the EXIF and the picture stay the camera's.
        trailer = os.urandom(200_000 - len(original)) if len(original) < 200_000 else b""
        (folder / f"IMG_{n:05d}.jpg").write_bytes(original + n.to_bytes(4, "big") + trailer)
    cast = Cast()
    with new_ledger(scratch / "photos.db", cast) as ledger:
        record_sample_case(ledger, cast)
        blobs = BlobStore.open(scratch / "photos.blobs", create=True)
        start = time.perf_counter()
        summary = intake(
            ledger, blobs, "CASE-1", [folder], cast.investigator, options=IntakeOptions()
        )
        elapsed = time.perf_counter() - start
    assert summary.recorded == count, summary
    rate = count / elapsed
    baseline = signing_baseline(scratch, sorted(folder.iterdir())[: min(count, 200)])
    print(f"batch intake: {count} photographs of about 200 KB")
    print(
        f"  intake:         {rate:7.0f} files/s   baseline sha256sum + gpg --detach-sign "
        f"{baseline:5.0f} files/s   ratio {rate / baseline:.1f}x "
        f"(target >= 300 files/s: {verdict(rate >= 300)})"
    )


def signing_baseline(scratch: Path, files: list[Path]) -> float:
    """Files per second for ``sha256sum`` and ``gpg --detach-sign`` run on each file."""
    if shutil.which("gpg") is None:
        return float("nan")
    home = scratch / "gnupg"
    home.mkdir(mode=0o700)
    env = {**os.environ, "GNUPGHOME": str(home)}
    subprocess.run(
        [
            "gpg",
            "--batch",
            "--passphrase",
            "",
            "--quick-gen-key",
            "bench@custody.invalid",
            "ed25519",
            "sign",
            "never",
        ],
        check=True,
        capture_output=True,
        env=env,
    )

    def sign_all() -> None:
        for path in files:
            subprocess.run(["sha256sum", str(path)], check=True, stdout=subprocess.DEVNULL)
            subprocess.run(
                ["gpg", "--batch", "--yes", "--detach-sign", "-o", f"{path}.sig", str(path)],
                check=True,
                env=env,
                capture_output=True,
            )

    return len(files) / seconds(sign_all)


def verdict(met: bool) -> str:
    return "met" if met else "NOT met"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mib", type=int, default=1024)
    parser.add_argument("--photos", type=int, default=2000)
    args = parser.parse_args()
    print(
        f"cores: {len(os.sched_getaffinity(0))}; peak memory of this process so far "
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB"
    )
    with tempfile.TemporaryDirectory(dir=os.environ.get("TMPDIR")) as scratch:
        large_file(Path(scratch), args.size_mib)
    with tempfile.TemporaryDirectory(dir=os.environ.get("TMPDIR")) as scratch:
        photographs(Path(scratch), args.photos)


if __name__ == "__main__":
    main()
