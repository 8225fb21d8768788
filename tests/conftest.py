"""Shared fixtures: a ledger with the sample cast, and the sample case recorded in it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from custody.ledger import Ledger
from custody.testing import Cast, new_ledger, record_sample_case

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture
def cast() -> Cast:
    return Cast()


@pytest.fixture
def ledger_path(tmp_path: Path) -> Path:
    return tmp_path / "ledger.db"


@pytest.fixture
def ledger(ledger_path: Path, cast: Cast) -> Iterator[Ledger]:
    with new_ledger(ledger_path, cast) as opened:
        yield opened


@pytest.fixture
def sample_ledger(ledger: Ledger, cast: Cast) -> Ledger:
    record_sample_case(ledger, cast)
    ledger.checkpoint(cast.log)
    return ledger
