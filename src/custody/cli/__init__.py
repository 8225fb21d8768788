"""The ``custody`` command line: ``custody.cli:main(argv) -> int``.

Exit codes: 0 success, 1 verification failed, 2 bad input or usage. Errors are one line
on standard error, never a traceback.
"""

from __future__ import annotations

import io
import logging
import os
import sys
import warnings
from collections.abc import Sequence
from typing import TextIO, cast

from PIL import Image

from custody._text import one_line, terminal_safe
from custody.cli._commands import COMMANDS
from custody.cli._context import Context
from custody.cli._parser import UsageError, build_parser
from custody.errors import CustodyError, VerificationError

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_BAD_INPUT = 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report it


def main(
    argv: Sequence[str] | None = None, *, out: TextIO | None = None, err: TextIO | None = None
) -> int:
    """Run one ``custody`` command and return its exit code."""
    # Reports quote text from the files they read (a damaged database, a bundle): written
    # raw, its control characters could clear the terminal and print a verdict of their own.
    out = cast(TextIO, _TerminalSafe(out or sys.stdout))
    err = cast(TextIO, _TerminalSafe(err or sys.stderr))
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except UsageError as exc:
        print(f"error: {exc}", file=err)
        return EXIT_BAD_INPUT
    except SystemExit as exc:  # --help and --version exit through argparse
        return int(exc.code or 0)
    sub = next((getattr(args, name) for name in vars(args) if name.endswith("_command")), None)
    command = COMMANDS[(args.command, sub)]
    try:
        return command(args, Context(args.ledger, args.passphrase_file, args.blobs), out)
    except BrokenPipeError:
        # The reader went away (``custody log CASE | head``): nothing more to say to it.
        _silence_stdout()
        return EXIT_FAILED
    except KeyboardInterrupt:
        # Appends are atomic: what was acknowledged stays, and intakes resume when re-run.
        print("interrupted: everything recorded so far stays recorded", file=err)
        return EXIT_INTERRUPTED
    except VerificationError as exc:
        print(one_line(f"verification failed: {exc}"), file=err)
        return EXIT_FAILED
    except CustodyError as exc:  # messages quote input: a name must not add lines of its own
        print(one_line(f"error: {exc}"), file=err)
        return EXIT_BAD_INPUT


class _TerminalSafe(io.TextIOBase):
    """A text stream that writes to another one with control characters escaped."""

    def __init__(self, stream: TextIO) -> None:
        super().__init__()
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(terminal_safe(text))
        return len(text)

    def flush(self) -> None:
        self._stream.flush()

    def isatty(self) -> bool:
        return self._stream.isatty()

    def fileno(self) -> int:
        return self._stream.fileno()


def run() -> None:
    """Console-script entry point."""
    _quiet_libraries()
    code = main()
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _silence_stdout()
    sys.exit(code)


def _quiet_libraries() -> None:
    # Pillow warns and exifread logs about the damaged files intake exists to record; what
    # matters of that is in each file's recorded facts, so the terminal stays readable.
    warnings.filterwarnings("ignore", category=UserWarning, module=r"PIL\.")
    warnings.filterwarnings("ignore", category=Image.DecompressionBombWarning)
    logging.getLogger("exifread").setLevel(logging.CRITICAL)


def _silence_stdout() -> None:
    # Point stdout at /dev/null so the interpreter's final flush does not fail again.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # no file descriptor behind stdout: nothing to redirect
        pass


__all__ = ["EXIT_BAD_INPUT", "EXIT_FAILED", "EXIT_INTERRUPTED", "EXIT_OK", "main", "run"]
