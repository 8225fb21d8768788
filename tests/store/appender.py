"""A separate process that appends events to a ledger and acknowledges each on stdout.

Usage: python appender.py LEDGER ACTOR-NAME COUNT [GO-FILE]

With GO-FILE, it opens the ledger, prints ``ready`` and waits until that file exists, so
several appenders start appending together; it then pauses briefly between appends, as a
client doing other work does. Without the pause one writer in a tight loop can hold the lock
through every retry of the others (SQLite's busy handler waits in growing sleeps), and the
appends would run one writer after another instead of contending.

Each line printed is ``index leaf-hash-hex`` and is written only after ``record`` returned,
that is after the append was acknowledged as durable.
"""

from __future__ import annotations

import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from custody.ledger import Ledger
from custody.model import EventBody, EventType
from custody.testing import fixed_key


def main() -> None:
    path, name, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    key = fixed_key(name)
    with Ledger.open(path) as ledger:
        pause = 0.0
        if len(sys.argv) > 4:
            print("ready", flush=True)
            while not Path(sys.argv[4]).exists():
                time.sleep(0.005)
            pause = 0.002
        for n in range(count):
            time.sleep(pause)
            body = EventBody(EventType.ACCESSED, datetime.now(UTC), purpose=f"{name} #{n}")
            recorded = ledger.record("CASE-1", "ITEM-1", body, key)
            print(recorded.index, recorded.leaf_hash.hex(), flush=True)


if __name__ == "__main__":
    main()
