"""The command-line grammar: every command, option and its help text."""

from __future__ import annotations

import argparse

from custody import __version__

# Event commands on the command line, and the event type each records.
EVENT_COMMANDS = {
    "transfer": "transferred",
    "receive": "received",
    "seal": "sealed",
    "store": "stored",
    "access": "accessed",
    "analyse": "analysed",
    "return": "returned",
    "dispose": "disposed",
}


class _Parser(argparse.ArgumentParser):
    """An argparse parser whose errors raise instead of exiting, so main() returns 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message}")


class UsageError(Exception):
    """The command line itself is wrong (exit code 2)."""


def build_parser() -> argparse.ArgumentParser:
    """The ``custody`` parser with all its sub-commands."""
    parser = _Parser(
        prog="custody",
        description="Forensic chain of custody: signed, "
        "hash-chained custody events in an append-only Merkle log.",
    )
    parser.add_argument("--version", action="version", version=f"custody {__version__}")
    parser.add_argument(
        "--ledger", metavar="PATH", help="ledger file (default: $CUSTODY_LEDGER or ./custody.db)"
    )
    parser.add_argument(
        "--blobs",
        metavar="DIR",
        help="blob store of evidence files (default: $CUSTODY_BLOBS, or the ledger's name "
        "with .blobs, e.g. ./custody.blobs)",
    )
    parser.add_argument(
        "--passphrase-file",
        metavar="FILE",
        help="read key passphrases from FILE (default: $CUSTODY_PASSPHRASE, "
        "or a prompt on a terminal)",
    )
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    _init(commands)
    _keys(commands)
    _actors(commands)
    _cases(commands)
    _items(commands)
    _event(commands)
    _log(commands)
    _checkpoint(commands)
    _verify(commands)
    _inspect(commands)
    _intake(commands)
    _medical(commands)
    _fixity(commands)
    _derive(commands)
    _label(commands)
    _export(commands)
    _verify_bundle(commands)
    _demo(commands)
    return parser


def _init(commands: argparse._SubParsersAction[_Parser]) -> None:
    init = commands.add_parser("init", help="create a new ledger file")
    init.add_argument(
        "--origin", required=True, help="the log's identity, e.g. custody.example.org/unit-7"
    )
    init.add_argument(
        "--log-key",
        required=True,
        metavar="KEYFILE",
        help="key file (private or public) of the key that signs checkpoints",
    )


def _keys(commands: argparse._SubParsersAction[_Parser]) -> None:
    keys = commands.add_parser("keys", help="create and show Ed25519 keys")
    sub = keys.add_subparsers(dest="keys_command", required=True, parser_class=_Parser)
    new = sub.add_parser("new", help="generate a key and save it encrypted")
    new.add_argument("out", metavar="KEYFILE", help="file to create (never overwritten)")
    new.add_argument("--public-out", metavar="FILE", help="also write the public key (PEM)")
    new.add_argument(
        "--unencrypted",
        action="store_true",
        help="store the private key WITHOUT a passphrase (not recommended)",
    )
    show = sub.add_parser("show", help="show a key's id and public key")
    show.add_argument("keyfile", metavar="KEYFILE", help="private or public key file")
    show.add_argument("--pem", action="store_true", help="print the public key as PEM")
    show.add_argument("--json", action="store_true", help="print JSON")


def _actors(commands: argparse._SubParsersAction[_Parser]) -> None:
    actor = commands.add_parser("actor", help="register who holds a key")
    sub = actor.add_subparsers(dest="actor_command", required=True, parser_class=_Parser)
    add = sub.add_parser("add", help="register a key's holder in the ledger")
    add.add_argument("keyfile", metavar="KEYFILE", help="private or public key file")
    add.add_argument("--name", required=True)
    add.add_argument("--role", required=True, help="e.g. custodian, clinician, analyst")
    add.add_argument("--organisation")
    listing = sub.add_parser("list", help="list registered actors")
    listing.add_argument("--json", action="store_true", help="print JSON")


def _cases(commands: argparse._SubParsersAction[_Parser]) -> None:
    case = commands.add_parser("case", help="open and list cases")
    sub = case.add_subparsers(dest="case_command", required=True, parser_class=_Parser)
    new = sub.add_parser("new", help="open a case (a signed 'opened' event)")
    new.add_argument("case", metavar="CASE", help="case reference, e.g. NPM-2026-014")
    _signing(new)
    _common_fields(new)
    listing = sub.add_parser("list", help="list cases")
    listing.add_argument("--json", action="store_true", help="print JSON")


def _items(commands: argparse._SubParsersAction[_Parser]) -> None:
    item = commands.add_parser("item", help="bring physical items into custody")
    sub = item.add_subparsers(dest="item_command", required=True, parser_class=_Parser)
    add = sub.add_parser("add", help="record a physical item's acquisition")
    add.add_argument("case", metavar="CASE")
    add.add_argument("item", metavar="ITEM", help="item id as written on its label")
    add.add_argument("--description", required=True)
    add.add_argument("--packaging")
    add.add_argument(
        "--seal",
        action="append",
        default=[],
        metavar="NUMBER",
        help="seal number on the packaging (repeat for several)",
    )
    add.add_argument("--storage", metavar="LOCATION", help="where the item is kept")
    add.add_argument("--condition", help="condition of the item and packaging")
    _signing(add)
    _common_fields(add)


def _event(commands: argparse._SubParsersAction[_Parser]) -> None:
    event = commands.add_parser("event", help="record a custody event on an item")
    event.add_argument(
        "kind",
        choices=sorted(EVENT_COMMANDS),
        metavar="KIND",
        help="one of: " + ", ".join(sorted(EVENT_COMMANDS)),
    )
    event.add_argument("case", metavar="CASE")
    event.add_argument("item", metavar="ITEM")
    event.add_argument(
        "--to", metavar="KEYID", help="transfer: the recipient's key id (hex) or key file"
    )
    event.add_argument(
        "--counterparty", help="return: who received the item; others: who else took part"
    )
    event.add_argument(
        "--seal",
        action="append",
        default=[],
        metavar="NUMBER",
        help="seal numbers put on, released or seen (repeat for several)",
    )
    event.add_argument(
        "--seal-state", choices=["intact", "broken", "unsealed"], help="state of the seals as seen"
    )
    event.add_argument("--condition", help="condition of the item and packaging")
    _signing(event)
    _common_fields(event)


def _log(commands: argparse._SubParsersAction[_Parser]) -> None:
    log = commands.add_parser("log", help="show a case's custody timeline")
    log.add_argument("case", metavar="CASE")
    log.add_argument("--json", action="store_true", help="print JSON for scripts")


def _checkpoint(commands: argparse._SubParsersAction[_Parser]) -> None:
    checkpoint = commands.add_parser("checkpoint", help="sign a checkpoint of the log")
    checkpoint.add_argument("--key", required=True, metavar="KEYFILE", help="the log key")
    checkpoint.add_argument("--out", metavar="FILE", help="also write the note to FILE")


def _verify(commands: argparse._SubParsersAction[_Parser]) -> None:
    verify = commands.add_parser("verify-ledger", help="verify the whole ledger or one case")
    verify.add_argument("--trust", metavar="FILE", help="your trust policy (JSON)")
    verify.add_argument(
        "--checkpoint",
        action="append",
        default=[],
        metavar="FILE",
        help="a checkpoint you kept earlier; the log must be consistent with it",
    )
    verify.add_argument("--case", metavar="CASE", help="verify only this case's events")
    verify.add_argument("--json", action="store_true", help="print the report as JSON")


def _inspect(commands: argparse._SubParsersAction[_Parser]) -> None:
    inspect = commands.add_parser(
        "inspect", help="show what intake would record about files, writing nothing"
    )
    inspect.add_argument("files", nargs="+", metavar="FILE")
    _hashes(inspect)
    inspect.add_argument("--json", action="store_true", help="print one JSON object per file")


def _intake(commands: argparse._SubParsersAction[_Parser]) -> None:
    intake = commands.add_parser(
        "intake", help="take files and folders into a case as evidence items"
    )
    intake.add_argument("case", metavar="CASE")
    intake.add_argument("paths", nargs="+", metavar="PATH", help="files and folders (recursive)")
    intake.add_argument("--notes", help="operator notes recorded with every file")
    _hashes(intake)
    intake.add_argument(
        "--workers",
        type=int,
        metavar="N",
        help="processes storing and examining files (default: two per core)",
    )
    intake.add_argument("--json", action="store_true", help="print one JSON line per file")
    intake.add_argument("--key", required=True, metavar="KEYFILE", help="your signing key")
    _common_fields(intake)


def _medical(commands: argparse._SubParsersAction[_Parser]) -> None:
    medical = commands.add_parser(
        "medical", help="Istanbul Protocol medical evaluations: write, check, seal, report"
    )
    actions = medical.add_subparsers(dest="medical_command", required=True, parser_class=_Parser)
    new = actions.add_parser(
        "new", help="write a new evaluation document and the subject's separate identity record"
    )
    new.add_argument("document", metavar="EVALUATION.json")
    new.add_argument(
        "--name",
        action="append",
        help="the subject's name (repeat for several); without it, names are read from "
        "standard input, one per line, which keeps them out of the shell's history",
    )
    new.add_argument(
        "--identity",
        metavar="FILE",
        help="where to write the identity record (default: beside the document, "
        "NAME.identity.json); keep it apart: it never enters the ledger",
    )
    check = actions.add_parser(
        "validate", help="check a document against the Protocol's rules, recording nothing"
    )
    check.add_argument("document", metavar="EVALUATION.json")
    check.add_argument("--sealing", action="store_true", help="apply the rules for sealing too")
    check.add_argument("--case", help="check photographs and samples against this case's items")
    _identity_option(check)
    check.add_argument("--json", action="store_true", help="print the report as JSON")
    for name, text in (
        ("record", "record the document as a new draft of its evaluation"),
        (
            "seal",
            "seal the evaluation with your key (recording the document first if the "
            "evaluation is new; a document other than the recorded version is refused)",
        ),
        ("amend", "record the document as an addendum to a sealed evaluation"),
    ):
        action = actions.add_parser(name, help=text)
        action.add_argument("case", metavar="CASE")
        action.add_argument("document", metavar="EVALUATION.json")
        if name == "amend":
            action.add_argument("--reason", required=True, help="why the evaluation changes")
        _identity_option(action)
        _signing(action)
        action.add_argument("--json", action="store_true", help="print the outcome as JSON")
    for name, text in (
        ("review", "record that you (not an evaluator) reviewed the current version"),
        ("status", "show where an evaluation stands"),
    ):
        action = actions.add_parser(name, help=text)
        action.add_argument("case", metavar="CASE")
        action.add_argument("evaluation", metavar="EVALUATION-ID")
        if name == "review":
            _signing(action)
        action.add_argument("--json", action="store_true", help="print it as JSON")
    render = actions.add_parser("report", help="render the medical report of an evaluation")
    render.add_argument("case", metavar="CASE")
    render.add_argument("evaluation", metavar="EVALUATION-ID")
    render.add_argument("--out", required=True, metavar="REPORT.html", help="the HTML report")
    render.add_argument(
        "--language", default="en", choices=("en", "es", "fr"), help="language of the report"
    )
    render.add_argument(
        "--diagrams",
        metavar="DIR",
        help="also write each body diagram as PNG into DIR (made if missing)",
    )
    render.add_argument(
        "--show-faces",
        action="store_true",
        help="include identification photographs (the subject's face); left out by default",
    )


def _identity_option(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--identity",
        metavar="FILE",
        help="the subject's identity record: checks the commitment and that no "
        "identifying detail appears in the document",
    )


def _fixity(commands: argparse._SubParsersAction[_Parser]) -> None:
    fixity = commands.add_parser(
        "fixity",
        help="re-hash every stored file; report missing, changed and unexpected ones",
    )
    fixity.add_argument(
        "--key",
        required=True,
        metavar="KEYFILE",
        help="your signing key: the audit is recorded as an 'accessed' event on every item checked",
    )
    fixity.add_argument("--json", action="store_true", help="print the findings as JSON")


def _derive(commands: argparse._SubParsersAction[_Parser]) -> None:
    derive = commands.add_parser(
        "derive", help="make a working copy of a file item, recorded as a new derived item"
    )
    derive.add_argument("case", metavar="CASE")
    derive.add_argument("item", metavar="ITEM", help="the file item to copy")
    derive.add_argument(
        "--kind",
        choices=["preview", "privacy-safe"],
        required=True,
        help="preview: small JPEG; privacy-safe: metadata and location removed",
    )
    derive.add_argument("--max-side", type=int, default=1024, help="preview size in pixels")
    derive.add_argument("--key", required=True, metavar="KEYFILE", help="your signing key")
    _common_fields(derive)


def _label(commands: argparse._SubParsersAction[_Parser]) -> None:
    label = commands.add_parser("label", help="print an item's evidence label (PNG, QR code)")
    label.add_argument("case", metavar="CASE")
    label.add_argument("item", metavar="ITEM")
    label.add_argument("--out", required=True, metavar="FILE", help="PNG file to create")
    label.add_argument(
        "--font", metavar="TTF", help="a TrueType font for text beyond plain ASCII letters"
    )


def _export(commands: argparse._SubParsersAction[_Parser]) -> None:
    export = commands.add_parser(
        "export", help="export a case to a court bundle: one file, verifiable offline"
    )
    export.add_argument("case", metavar="CASE")
    export.add_argument(
        "out", metavar="OUT.custody", help="bundle file to create (never overwritten)"
    )
    export.add_argument(
        "--key", required=True, metavar="KEYFILE", help="your signing key: you sign the export"
    )
    export.add_argument(
        "--log-key",
        metavar="KEYFILE",
        help="the ledger's log key, to sign a checkpoint covering the export (not needed to "
        "export an unchanged case again)",
    )
    export.add_argument(
        "--item",
        action="append",
        default=[],
        metavar="REF",
        help="carry only this item or evaluation (repeat for several; default: all)",
    )
    export.add_argument(
        "--hashes-only",
        action="append",
        default=[],
        metavar="REF",
        help="leave this item's files out: the bundle names their hash and size only",
    )
    export.add_argument("--purpose", help="why the bundle is made (signed into the export)")
    export.add_argument(
        "--at", metavar="TIME", help="claimed time, ISO 8601 with offset (default: now)"
    )


def _verify_bundle(commands: argparse._SubParsersAction[_Parser]) -> None:
    verify = commands.add_parser(
        "verify", help="verify a court bundle offline against your trust policy"
    )
    verify.add_argument("bundle", metavar="BUNDLE", help="the bundle file (.custody)")
    verify.add_argument("--trust", required=True, metavar="FILE", help="your trust policy (JSON)")
    verify.add_argument(
        "--checkpoint",
        action="append",
        default=[],
        metavar="FILE",
        help="a checkpoint you kept earlier; the bundle must prove the log consistent with it",
    )
    verify.add_argument("--json", action="store_true", help="print the verification as JSON")
    verify.add_argument(
        "--html", metavar="REPORT.html", help="also write the HTML report (replaced if it exists)"
    )


def _demo(commands: argparse._SubParsersAction[_Parser]) -> None:
    demo = commands.add_parser(
        "demo",
        help="run the whole story on a fictional case: intake, custody, evaluation, "
        "bundle, verification, report",
    )
    demo.add_argument(
        "directory", metavar="DIR", help="a new or empty directory to write the demo into"
    )


def _hashes(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--hash",
        action="append",
        default=[],
        metavar="ALGORITHM",
        help="also compute sha512, sha1 or md5 (repeat or comma-separate; sha256 always)",
    )


def _signing(command: argparse.ArgumentParser) -> None:
    command.add_argument("--key", required=True, metavar="KEYFILE", help="your signing key")
    command.add_argument(
        "--at", metavar="TIME", help="claimed time, ISO 8601 with offset (default: now)"
    )


def _common_fields(command: argparse.ArgumentParser) -> None:
    command.add_argument("--place", help="where it happened")
    command.add_argument("--purpose", help="why")
