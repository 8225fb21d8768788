"""Medical commands: ``custody medical new|validate|record|review|seal|amend|status|report``.

Evaluations are JSON documents on disk (schema in ``docs/medical-evaluation.schema.json``);
the ledger holds their signed lifecycle. Thin: the library decides.
"""

from __future__ import annotations

import argparse
import json
import sys
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from custody._fs import create_new_file, read_limited, refuse_existing
from custody._text import one_line
from custody.cli._context import Context, parse_time
from custody.errors import CustodyError, InvalidInput, StoreError
from custody.intake import BlobStore
from custody.ledger import Ledger
from custody.medical import (
    DocumentError,
    Evaluation,
    EvaluationRefused,
    EvaluationState,
    IdentityRecord,
    PhotoRole,
    ValidationReport,
    amend_evaluation,
    evidence_lookup,
    load_evaluation,
    new_evaluation_document,
    photograph_restricted,
    record_evaluation,
    review_evaluation,
    seal_evaluation,
    validate,
)
from custody.report import diagram_png_for, render_medical_report, reviews_of, signatures_of

EXIT_OK = 0
EXIT_BAD_INPUT = 2
MAX_DOCUMENT = 16 * 1024 * 1024  # an evaluation is text; photographs are evidence items
MAX_NAMES = 64 * 1024  # characters of names on standard input: far more than anyone's


def new(args: argparse.Namespace, ctx: Context, out: TextIO) -> int:
    """Write a new evaluation document and, apart from it, the subject's identity record.

    Both files are written or neither: the targets are checked before anything is asked or
    written, and the document is removed again if the identity record cannot be written.
    """
    document_path = Path(args.document)
    identity_path = Path(args.identity or _identity_path(args.document))
    _check_targets(document_path, identity_path)
    identity = IdentityRecord.create(str(uuid.uuid4()), tuple(args.name or _names_from_input()))
    document = new_evaluation_document(identity)
    # The document first: it holds no name, so an interruption between the two writes
    # leaves no identifying file behind.
    _write_json(document_path, document)
    try:
        _write_json(identity_path, identity.to_json())
    except BaseException:
        document_path.unlink(missing_ok=True)
        raise
    print(f"evaluation {document['evaluation_id']} written to {args.document}", file=out)
    print(
        f"identity record written to {identity_path}: keep it apart from the evaluation; "
        "it is never recorded in the ledger",
        file=out,
    )
    return EXIT_OK


def validate_document(args: argparse.Namespace, ctx: Context, out: TextIO) -> int:
    """Check a document against every rule; exit 2 if it breaks a hard rule."""
    evaluation = _read_evaluation(args.document, out, as_json=args.json)
    identity = _identity(args)
    if args.case:
        with ctx.open_ledger() as ledger:
            evidence = evidence_lookup(ledger, args.case)
            report = validate(
                evaluation, sealing=args.sealing, evidence=evidence, identity=identity
            )
    else:
        report = validate(evaluation, sealing=args.sealing, identity=identity)
    _print_report(out, report, args.json)
    return EXIT_OK if report.ok else EXIT_BAD_INPUT


def record(args: argparse.Namespace, ctx: Context, out: TextIO) -> int:
    """Record the document as a new draft of its evaluation."""
    evaluation = _read_evaluation(args.document, out)
    signer = ctx.signing_key(args.key)
    with ctx.open_ledger() as ledger:
        state = _refusing(
            lambda: record_evaluation(
                ledger,
                args.case,
                evaluation,
                signer,
                at=parse_time(args.at),
                identity=_identity(args),
            ),
            out,
            args.json,
        )
        _print_state(out, state, args.json)
    return EXIT_OK


def review(args: argparse.Namespace, ctx: Context, out: TextIO) -> int:
    """Record that the key's holder reviewed the current version."""
    signer = ctx.signing_key(args.key)
    with ctx.open_ledger() as ledger:
        state = review_evaluation(
            ledger, args.case, args.evaluation, signer, at=parse_time(args.at)
        )
        _print_state(out, state, args.json)
    return EXIT_OK


def seal(args: argparse.Namespace, ctx: Context, out: TextIO) -> int:
    """Seal an evaluation with the key, recording the document first if the evaluation is
    new; a document other than the recorded version is refused."""
    evaluation = _read_evaluation(args.document, out)
    signer = ctx.signing_key(args.key)
    with ctx.open_ledger() as ledger:
        state = _refusing(
            lambda: _record_and_seal(ledger, args, evaluation, signer), out, args.json
        )
        _print_state(out, state, args.json)
    return EXIT_OK


def amend(args: argparse.Namespace, ctx: Context, out: TextIO) -> int:
    """Record the document as an addendum to a sealed evaluation."""
    evaluation = _read_evaluation(args.document, out)
    signer = ctx.signing_key(args.key)
    with ctx.open_ledger() as ledger:
        state = _refusing(
            lambda: amend_evaluation(
                ledger,
                args.case,
                evaluation,
                signer,
                reason=args.reason,
                at=parse_time(args.at),
                identity=_identity(args),
            ),
            out,
            args.json,
        )
        _print_state(out, state, args.json)
    return EXIT_OK


def status(args: argparse.Namespace, ctx: Context, out: TextIO) -> int:
    """Show where an evaluation stands."""
    with ctx.open_ledger() as ledger:
        _print_state(out, load_evaluation(ledger, args.case, args.evaluation), args.json)
    return EXIT_OK


def report(args: argparse.Namespace, ctx: Context, out: TextIO) -> int:
    """Render the medical report of a recorded evaluation as HTML (and its diagrams as PNG)."""
    with ctx.open_ledger() as ledger:
        state = load_evaluation(ledger, args.case, args.evaluation)
    target = Path(args.out)
    refuse_existing(target)
    diagrams = _diagram_folder(Path(args.diagrams)) if args.diagrams else None
    photographs = _photographs(ctx, state.evaluation, faces=args.show_faces)
    html = render_medical_report(
        state.evaluation,
        language=args.language,
        signatures=signatures_of(state),
        photographs=photographs,
        status=state.status,
        digest=state.digest.hex(),
        reviews=reviews_of(state),
    )
    _create(target, html.encode())
    print(f"report ({args.language}, {state.status.value}) written to {args.out}", file=out)
    if diagrams is not None:
        for name, png in diagram_png_for(state.evaluation, language=args.language).items():
            diagram = diagrams / f"{state.reference}-{name}.png"
            _create(diagram, png)
            print(f"diagram written to {diagram}", file=out)
    return EXIT_OK


# -- helpers -------------------------------------------------------------------------------


def _record_and_seal(
    ledger: Ledger, args: argparse.Namespace, evaluation: Evaluation, signer: Any
) -> EvaluationState:
    """Seal the recorded version, recording the document first only if the evaluation is new.

    A new document is checked for sealing before it is recorded, so a refused seal leaves
    the ledger as it was.
    """
    at, identity = parse_time(args.at), _identity(args)
    reference = evaluation.evaluation_id
    if not ledger.events(args.case, reference):
        evidence = evidence_lookup(ledger, args.case)
        report = validate(evaluation, sealing=True, evidence=evidence, identity=identity)
        if not report.ok:
            raise EvaluationRefused(report)
        record_evaluation(ledger, args.case, evaluation, signer, at=at, identity=identity)
    return seal_evaluation(
        ledger, args.case, reference, signer, at=at, identity=identity, expecting=evaluation
    )


def _refusing(action: Any, out: TextIO, as_json: bool) -> EvaluationState:
    """Run ``action``; a refused document prints every problem before the error line."""
    try:
        result: EvaluationState = action()
    except EvaluationRefused as exc:
        _print_report(out, exc.report, as_json)
        raise
    return result


def _read_evaluation(path: str, out: TextIO, *, as_json: bool = False) -> Evaluation:
    """Read a document; a document with problems prints each one (as one JSON report, in
    the shape of a validation report's, with ``as_json``) before the error line."""
    try:
        return Evaluation.from_json(_read_json(path, "evaluation document"))
    except DocumentError as exc:
        if as_json:
            problems = [
                {"code": "DOCUMENT", "severity": "hard", "field": p.pointer, "message": p.message}
                for p in exc.problems
            ]
            print(json.dumps({"ok": False, "problems": problems, "departures": []}), file=out)
        else:
            for problem in exc.problems:
                print(one_line(f"{problem.pointer or '/'}: {problem.message}"), file=out)
        raise DocumentError(path, list(exc.problems)) from None


def _read_json(path: str, what: str) -> Any:
    data = read_limited(path, MAX_DOCUMENT, what)
    try:
        return json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidInput(f"not a JSON document ({exc})", field=path) from None
    except RecursionError:
        raise InvalidInput("not a usable JSON document (nested too deeply)", field=path) from None
    except ValueError as exc:  # an integer of thousands of digits, for one
        raise InvalidInput(f"not a usable JSON document ({exc})", field=path) from None


def _identity(args: argparse.Namespace) -> IdentityRecord | None:
    path = getattr(args, "identity", None)
    if not path:
        return None
    return IdentityRecord.from_json(_read_json(path, "identity record"))


def _names_from_input() -> list[str]:
    """The subject's names from standard input, one per line, so that they stay out of the
    command line and the shell's history.

    Raises:
        InvalidInput: if there is no name, or more than :data:`MAX_NAMES` characters: a
            name cut short would be recorded as if it were whole.
    """
    if sys.stdin.isatty():
        print("Subject's name(s), one per line; end with an empty line:", file=sys.stderr)
        lines: list[str] = []
        size = 0
        for line in iter(sys.stdin.readline, ""):
            if not line.strip():
                break
            size += len(line)
            _check_names_size(size)
            lines.append(line)
    else:
        text = sys.stdin.read(MAX_NAMES + 1)
        _check_names_size(len(text))
        lines = text.splitlines()
    names = [line.strip() for line in lines if line.strip()]
    if not names:
        raise InvalidInput("give the subject's name on standard input or with --name", field="name")
    return names


def _check_names_size(size: int) -> None:
    if size > MAX_NAMES:
        raise InvalidInput(
            f"more than {MAX_NAMES} characters of names on standard input; nothing written",
            field="name",
        )


def _check_targets(*paths: Path) -> None:
    """Refuse, before anything is written, targets that exist, repeat or have no folder."""
    if len({path.absolute() for path in paths}) != len(paths):
        raise InvalidInput(
            "the evaluation and the identity record need two different files",
            field=str(paths[-1]),
        )
    for path in paths:
        refuse_existing(path)
        if not path.absolute().parent.is_dir():
            raise InvalidInput("no such folder to write the file in", field=str(path))


def _diagram_folder(folder: Path) -> Path:
    """The folder for the diagram files, made (with its parents) before anything is written,
    so that a missing folder does not leave a report without its diagrams."""
    if folder.exists() and not folder.is_dir():
        raise InvalidInput("is not a folder; nothing written", field=str(folder))
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InvalidInput(
            f"cannot create the folder ({exc.strerror or exc}); nothing written", field=str(folder)
        ) from exc
    return folder


def _identity_path(document: str) -> str:
    path = Path(document)
    return str(path.with_name(path.stem + ".identity.json"))


def _write_json(path: Path, document: dict[str, Any]) -> None:
    _create(path, (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode())


def _create(path: Path, data: bytes) -> None:
    create_new_file(path, lambda handle: handle.write(data), mode=0o600)


def _photographs(ctx: Context, evaluation: Evaluation, *, faces: bool) -> dict[str, bytes]:
    """The original bytes of each photograph, from the blob store, when it holds them.

    Restricted photographs (:func:`~custody.medical.photograph_restricted`: intimate, or
    their consent withdrawn) are never read into a report; identification photographs (the
    subject's face) only when asked for.
    """
    try:
        blobs = ctx.open_blobs()
    except CustodyError:
        return {}
    found = {}
    for photo in evaluation.photographs:
        if photograph_restricted(evaluation, photo) or (
            photo.role is PhotoRole.IDENTIFICATION and not faces
        ):
            continue
        data = _blob(blobs, bytes.fromhex(photo.sha256))
        if data is not None:
            found[photo.photo_id] = data
    return found


def _blob(blobs: BlobStore, sha256: bytes) -> bytes | None:
    """The stored bytes, or ``None``; the report shows them only if they hash to ``sha256``."""
    try:
        with blobs.open_blob(sha256) as handle:
            return handle.read()
    except (StoreError, OSError):
        return None


def _print_report(out: TextIO, report: ValidationReport, as_json: bool) -> None:
    if as_json:
        print(json.dumps(report.to_dict()), file=out)
        return
    for problem in report.hard:
        print(one_line(f"{problem.code} {problem.pointer}: {problem.message}"), file=out)
    for problem in report.departures:
        reason = f" (reason: {problem.reason})" if problem.reason else " (no reason stated)"
        line = f"departure {problem.code} {problem.pointer}: {problem.message}{reason}"
        print(one_line(line), file=out)
    verdict = "valid" if report.ok else f"{len(report.hard)} problem(s)"
    print(f"{verdict}; {len(report.departures)} departure(s) from the Protocol", file=out)


def _print_state(out: TextIO, state: EvaluationState, as_json: bool) -> None:
    reviewers = _reviewers(state)
    summary = {
        "case": state.case,
        "evaluation": state.reference,
        "version": state.version,
        "status": state.status.value,
        "digest": state.digest.hex(),
        "sealed_by": [s.key_id.hex() for s in state.seals],
        "awaiting": list(state.unsealed_by),
        "reviewed_by": reviewers,
    }
    if as_json:
        print(json.dumps(summary), file=out)
        return
    print(f"evaluation {state.reference} version {state.version}: {state.status.value}", file=out)
    print(f"digest {state.digest.hex()}", file=out)
    if reviewers:
        print(f"reviewed by: {', '.join(reviewers)}", file=out)
    else:
        print("not reviewed (no review of this version is recorded)", file=out)
    if state.unsealed_by:
        print(f"awaiting seals from: {', '.join(state.unsealed_by)}", file=out)


def _reviewers(state: EvaluationState) -> list[str]:
    """Key ids of those who reviewed the current version, each once, in the order recorded
    (a reviewer may review the same version again)."""
    return list(dict.fromkeys(review.key_id.hex() for review in state.reviews))


COMMANDS: dict[tuple[str, str | None], Callable[[argparse.Namespace, Context, TextIO], int]] = {
    ("medical", "new"): new,
    ("medical", "validate"): validate_document,
    ("medical", "record"): record,
    ("medical", "review"): review,
    ("medical", "seal"): seal,
    ("medical", "amend"): amend,
    ("medical", "status"): status,
    ("medical", "report"): report,
}
