"""``custody demo DIR``: the whole story on a fictional case. Thin: ``custody.demo`` runs it."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TextIO

from custody.cli._context import Context
from custody.demo import run_demo

EXIT_OK = 0
EXIT_NOT_VERIFIED = 1


def demo(args: argparse.Namespace, ctx: Context, out: TextIO) -> int:
    """Run the demo into a new directory; exit 0 when its bundle verified."""

    def say(line: str) -> None:
        print(line, file=out, flush=True)

    result = run_demo(args.directory, say=say)
    return EXIT_OK if result.ok else EXIT_NOT_VERIFIED


COMMANDS: dict[tuple[str, str | None], Callable[[argparse.Namespace, Context, TextIO], int]] = {
    ("demo", None): demo,
}
