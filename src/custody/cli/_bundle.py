"""Court bundle commands: ``custody export`` and ``custody verify``. Thin: the library decides.

``custody verify BUNDLE --trust TRUST [--checkpoint FILE]...`` works offline: it reads only
the bundle, the trust policy and the checkpoints the verifier kept, and writes only the report
it is asked for. Exit codes: 0 verified, 1 any problem (a failed check, an untrusted signer, a
log the bundle cannot prove consistent with a held checkpoint), 2 an unusable bundle, trust
policy or checkpoint file, or misuse.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from custody._fs import refuse_existing
from custody._text import one_line
from custody.bundle import (
    BundleVerification,
    ExportResult,
    FileStatus,
    export_bundle,
    verify_bundle,
)
from custody.cli._context import Context, parse_time, read_checkpoint
from custody.errors import InvalidInput
from custody.intake import BlobStore
from custody.report import render_bundle_report
from custody.verify import Problem, TrustPolicy

EXIT_OK = 0
EXIT_PROBLEMS = 1


def export(args: argparse.Namespace, ctx: Context, out: TextIO) -> int:
    """Export a case to a new bundle file and say what it holds."""
    target = Path(args.out)
    refuse_existing(target)  # before asking for any passphrase
    exporter = ctx.signing_key(args.key)
    log_signer = ctx.signing_key(args.log_key) if args.log_key else None
    with ctx.open_ledger() as ledger:
        result = export_bundle(
            ledger,
            args.case,
            target,
            exporter=exporter,
            log_signer=log_signer,
            blobs=_blobs(ctx),
            items=args.item or None,
            withhold=tuple(args.hashes_only),
            purpose=args.purpose,
            at=parse_time(args.at),
        )
    _print(out, _export_lines(args.case, result))
    return EXIT_OK


def verify(args: argparse.Namespace, ctx: Context, out: TextIO) -> int:
    """Verify a bundle offline against the trust policy and the checkpoints the verifier
    holds; optionally write the HTML report."""
    trust = TrustPolicy.from_file(args.trust)
    # Read before the bundle, so that a wrong path fails at once (exit 2).
    held = [read_checkpoint(path) for path in args.checkpoint]
    verification = verify_bundle(args.bundle, trust, held_checkpoints=held)
    if args.html:
        html = render_bundle_report(verification, trust_source=args.trust)
        _write_report(Path(args.html), html.encode("utf-8"))
    if args.json:
        print(json.dumps(verification.to_dict(), indent=2, sort_keys=False), file=out)
    else:
        _print(out, _verification_lines(verification))
        if args.html:
            print(f"report written to {args.html}", file=out)
    return EXIT_OK if verification.ok else EXIT_PROBLEMS


# -- helpers -------------------------------------------------------------------------------


def _blobs(ctx: Context) -> BlobStore | None:
    """The blob store, or ``None`` when there is none: the export then needs every digital
    item withheld, and says so naming the first one that is not."""
    if not os.path.lexists(ctx.blobs_path):
        return None
    return ctx.open_blobs()


def _export_lines(case: str, result: ExportResult) -> list[str]:
    recorded = result.exported.index
    if result.reused:
        export = (
            f"reused the export recorded earlier (log entry {recorded}): the case and the "
            "selection are unchanged, so the bundle has the same bytes"
        )
    else:
        export = f"recorded now, signed, as log entry {recorded}"
    return [
        f"Exported case {case} to {result.path}",
        f"  events:     {result.events} signed events, the closing export event included",
        f"  files:      {result.files} carried, {result.withheld} withheld (hash and size only)",
        f"  size:       {result.size:,} bytes",
        f"  checkpoint: log size {result.log_size}",
        f"  export:     {export}",
        "Verify it offline with the court's own trust policy:",
        f"  custody verify {shlex.quote(str(result.path))} --trust TRUST.json",
    ]


def _verification_lines(v: BundleVerification) -> list[str]:
    """The text output of ``custody verify``. Every value from the bundle goes through
    :func:`one_line`: a line break in it would let the bundle print lines of its own."""
    report = v.report
    problems = report.problem_count
    lines = ["VERIFIED" if v.ok else f"NOT VERIFIED: {problems} problem{_s(problems)}"]
    files = [f for item in v.items for f in item.files]
    withheld = [
        (item.reference, f)
        for item in v.items
        for f in item.files
        if f.status is FileStatus.WITHHELD
    ]
    case = one_line(v.case) if v.case else "(not stated)"
    origin = one_line(v.origin) if v.origin else "(not stated)"
    lines.append(
        f"bundle {one_line(v.bundle)}: case {case}, log {origin}, {len(v.items)} items, "
        f"{len(v.timeline) + v.timeline_omitted} events, {len(files)} files "
        f"({len(files) - len(withheld)} carried, {len(withheld)} withheld)"
    )
    for reference, file in withheld:
        lines.append(
            f"  withheld: item {one_line(reference)}, {one_line(file.name)}: "
            f"SHA-256 {file.sha256.hex()}, {file.size:,} bytes (not in the bundle)"
        )
    untrusted = [s for s in v.signers if not s.trusted]
    for signer in untrusted:
        claimed = one_line(signer.claimed_name) if signer.claimed_name else "no name claimed"
        lines.append(f"  not in your trust policy: key {signer.key_id.hex()} ({claimed})")
    if report.problems:
        lines.append("problems:")
        lines.extend(_problem_line(p) for p in report.problems)
        lines.extend(_not_listed(report.problems_omitted, "problem"))
    if report.notices:
        lines.append("to note (not failures):")
        lines.extend(_problem_line(p) for p in report.notices)
        lines.extend(_not_listed(report.notices_omitted, "notice"))
    passed = sum(1 for c in report.checks if c.passed)
    failed = sum(1 for c in report.checks if c.failed)
    idle = sum(1 for c in report.checks if c.performed == 0)
    performed = sum(c.performed for c in report.checks)
    lines.append(
        f"checks: {passed} passed, {failed} failed, {idle} with nothing to check "
        f"({performed:,} performed)"
    )
    return lines


def _problem_line(problem: Problem) -> str:
    # Where and why may quote the bundle: a member's name, an item's reference.
    return f"  {one_line(str(problem))}"


def _not_listed(count: int, what: str) -> list[str]:
    return [f"  ... and {count} more {what}{_s(count)}, not listed"] if count else []


def _s(count: int) -> str:
    return "" if count == 1 else "s"


def _write_report(path: Path, data: bytes) -> None:
    """Write the report to ``path``, replacing it if it exists (a link is replaced, never
    followed): through a temporary file beside it, so it appears whole or not at all."""
    directory = path.parent
    try:
        descriptor, temporary = tempfile.mkstemp(prefix=".custody-report-", dir=directory)
    except OSError as exc:
        raise InvalidInput(f"cannot write the report ({exc.strerror})", field=str(path)) from exc
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except OSError as exc:
        raise InvalidInput(f"cannot write the report ({exc.strerror})", field=str(path)) from exc
    finally:
        Path(temporary).unlink(missing_ok=True)


def _print(out: TextIO, lines: list[str]) -> None:
    out.write("".join(line + "\n" for line in lines))


COMMANDS: dict[tuple[str, str | None], Callable[[argparse.Namespace, Context, TextIO], int]] = {
    ("export", None): export,
    ("verify", None): verify,
}
