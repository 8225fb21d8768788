"""A separate process that takes files into CASE-1 of a ledger, for the crash test.

Usage: python intake_runner.py LEDGER BLOBS PATH...
"""

from __future__ import annotations

import sys

from custody.intake import BlobStore, IntakeOptions, intake
from custody.ledger import Ledger
from custody.testing import fixed_key


def main() -> None:
    ledger_path, blobs_path, *paths = sys.argv[1:]
    with Ledger.open(ledger_path) as ledger:
        blobs = BlobStore.open(blobs_path, create=True)
        options = IntakeOptions(workers=1)
        intake(ledger, blobs, "CASE-1", paths, fixed_key("investigator"), options=options)


if __name__ == "__main__":
    main()
