"""Intake commands: inspect, intake, fixity, derive and label. Thin: the library decides."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TextIO

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from custody._text import one_line
from custody.cli._context import Context
from custody.errors import CustodyError
from custody.intake import (
    DerivedKind,
    FileResult,
    FixityReport,
    IntakeOptions,
    Outcome,
    algorithms_from,
    audit_fixity,
    derive_item,
    inspect_file,
    intake,
    item_label,
    recorded_name,
    write_label,
)
from custody.model import Place

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_BAD_INPUT = 2


def inspect(args: argparse.Namespace, ctx: Context, out: TextIO) -> int:
    algorithms = algorithms_from(_split(args.hash))
    failed = 0
    for path in args.files:
        try:
            report = inspect_file(path, algorithms)
        except CustodyError as exc:  # one unreadable file does not hide the others
            failed += 1
            # Escaped as intake escapes names: a name that is not UTF-8 would otherwise
            # reach the JSON as a lone surrogate, which strict parsers refuse.
            name, error = recorded_name(path), recorded_name(str(exc))
            line = json.dumps({"file": name, "error": error})
            print(line if args.json else one_line(f"{name}: error: {error}"), file=out)
            continue
        if args.json:
            print(json.dumps(report.to_json()), file=out)
        else:
            _print(out, _inspect_lines(report.to_json()))
    return EXIT_BAD_INPUT if failed else EXIT_OK


def intake_files(args: argparse.Namespace, ctx: Context, out: TextIO) -> int:
    signer = ctx.signing_key(args.key)
    options = IntakeOptions(
        algorithms=algorithms_from(_split(args.hash)),
        notes=args.notes,
        place=Place(args.place) if args.place else None,
        purpose=args.purpose,
        workers=args.workers,
    )
    with ctx.open_ledger() as ledger, _progress(not args.json) as progress:
        blobs = ctx.open_blobs(create=True)

        def on_result(result: FileResult) -> None:
            progress.advance()
            if args.json:
                print(json.dumps(result.to_json()), file=out, flush=True)
                return
            if result.damaged_copy is not None:
                print(_repair_line(result), file=out)
            if result.outcome is not Outcome.RECORDED:
                print(_result_line(result), file=out)

        summary = intake(
            ledger,
            blobs,
            args.case,
            args.paths,
            signer,
            options=options,
            on_result=on_result,
            on_total=progress.total,
        )
    line = {
        "recorded": summary.recorded,
        "already_recorded": summary.already_recorded,
        "failed": summary.failed,
        "bytes": summary.bytes_recorded,
        "seconds": round(summary.seconds, 3),
    }
    if args.json:
        print(json.dumps({"summary": line}), file=out)
    else:
        print(
            f"{summary.files} files: {summary.recorded} recorded, {summary.already_recorded} "
            f"already recorded, {summary.failed} failed ({summary.seconds:.1f} s)",
            file=out,
        )
    return EXIT_BAD_INPUT if summary.failed else EXIT_OK


def fixity(args: argparse.Namespace, ctx: Context, out: TextIO) -> int:
    signer = ctx.signing_key(args.key)
    with ctx.open_ledger() as ledger:
        report = audit_fixity(ledger, ctx.open_blobs(), signer=signer)
    if args.json:
        print(json.dumps(report.to_dict(), indent=2), file=out)
    else:
        _print(out, _fixity_lines(report))
    return EXIT_OK if report.ok else EXIT_PROBLEMS


def derive(args: argparse.Namespace, ctx: Context, out: TextIO) -> int:
    signer = ctx.signing_key(args.key)
    with ctx.open_ledger() as ledger:
        recorded = derive_item(
            ledger,
            ctx.open_blobs(),
            args.case,
            args.item,
            DerivedKind(args.kind),
            signer,
            max_side=args.max_side,
            place=Place(args.place) if args.place else None,
            purpose=args.purpose,
        )
    print(
        f"Recorded {args.kind} copy of {args.case}/{args.item} as item {recorded.event.item} "
        f"(log entry {recorded.index})",
        file=out,
    )
    return EXIT_OK


def label(args: argparse.Namespace, ctx: Context, out: TextIO) -> int:
    with ctx.open_ledger() as ledger:
        png = item_label(ledger, args.case, args.item, font=args.font)
    write_label(args.out, png)
    print(f"Wrote the label of {args.case}/{args.item} to {args.out}", file=out)
    return EXIT_OK


class _Progress:
    """A files-done bar on standard error when it is a terminal; silent otherwise."""

    def __init__(self, bar: Progress | None) -> None:
        self._bar = bar
        self._task = bar.add_task("intake", total=None) if bar is not None else None

    def total(self, files: int) -> None:
        if self._bar is not None and self._task is not None:
            self._bar.update(self._task, total=files)

    def advance(self) -> None:
        if self._bar is not None and self._task is not None:
            self._bar.advance(self._task)


@contextmanager
def _progress(wanted: bool) -> Iterator[_Progress]:
    if not (wanted and sys.stderr.isatty()):
        yield _Progress(None)
        return
    columns = (TextColumn("intake"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        yield _Progress(bar)


def _split(values: list[str]) -> list[str]:
    return [name for value in values for name in value.split(",") if name.strip()]


def _result_line(result: FileResult) -> str:
    if result.outcome is Outcome.FAILED:
        # Problems quote paths, which may hold terminal control codes: print them escaped.
        return f"failed: {result.source}: {recorded_name(result.problem or '')}"
    return f"already recorded: {result.source} is item {result.item}"


def _repair_line(result: FileResult) -> str:
    kept = recorded_name(str(result.damaged_copy))
    return (
        f"repaired: {result.source}: its stored copy was damaged and is replaced by this "
        f"file's bytes (the damaged copy is kept as {kept})"
    )


def _inspect_lines(facts: dict[str, Any]) -> list[str]:
    lines = [facts["file"]]  # escaped already
    lines.append(f"  size:        {facts['size']} bytes")
    lines += [f"  {name + ':':<12} {value}" for name, value in facts["hashes"].items()]
    shown = {
        "media type": facts["media_type"],
        "dimensions": f"{facts['width']} x {facts['height']}" if facts["width"] else None,
        "decodes": facts["decodes"] + (f" ({facts['problem']})" if facts["problem"] else ""),
        "captured at": _with_note(facts["facts"].get("captured_at")),
        "changed at": _with_note(facts["facts"].get("file_changed_at")),
        "make": facts["make"],
        "model": facts["model"],
        "gps": facts["gps"] and f"{facts['gps']['lat']:.6f}, {facts['gps']['lon']:.6f}",
        "exif": facts["exif_problem"],
    }
    lines += [f"  {name + ':':<12} {value}" for name, value in shown.items() if value]
    lines.append(f"  raw tags:    {len(facts['raw_tags'])}")
    return lines


def _with_note(fact: dict[str, Any] | None) -> str | None:
    """A fact's value followed by its own note, which says what kind of claim it is."""
    if fact is None:
        return None
    note = fact.get("note")
    return f"{fact['value']} ({note})" if note else str(fact["value"])


def _fixity_lines(report: FixityReport) -> list[str]:
    problems = report.problems()
    lines = [
        f"checked {len(report.findings)} stored files: {len(problems)} problems, "
        f"{len(report.unexpected)} unexpected files"
    ]
    for finding in problems:
        holders = ", ".join(f"{ref.case}/{ref.item}" for ref in finding.items)
        lines.append(f"  {finding.state.value}: {finding.sha256.hex()} ({holders})")
    lines += [f"  unexpected: {path}" for path in report.unexpected]
    lines += [f"  cannot list: {path} ({why})" for path, why in report.unlistable]
    lines += [f"  damaged copy kept: {path}" for path in report.damaged_copies]
    if report.recorded:
        lines.append(f"recorded the audit as {len(report.recorded)} accessed events")
    for ref, why in report.not_recorded:
        lines.append(f"  not recorded for {ref.case}/{ref.item}: {why.value}")
    return lines


def _print(out: TextIO, lines: list[str]) -> None:
    # Each is one line: text quoted from a ledger or a file must not break it into more.
    out.write("".join(one_line(line) + "\n" for line in lines))


COMMANDS: dict[tuple[str, str | None], Callable[[argparse.Namespace, Context, TextIO], int]] = {
    ("inspect", None): inspect,
    ("intake", None): intake_files,
    ("fixity", None): fixity,
    ("derive", None): derive,
    ("label", None): label,
}
