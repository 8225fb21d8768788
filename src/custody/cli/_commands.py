"""One function per command: parse nothing, decide nothing, call the library and print."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from custody._fs import refuse_existing
from custody._text import one_line
from custody.cli._bundle import COMMANDS as BUNDLE_COMMANDS
from custody.cli._context import Context, parse_time, read_checkpoint
from custody.cli._demo import COMMANDS as DEMO_COMMANDS
from custody.cli._intake import COMMANDS as INTAKE_COMMANDS
from custody.cli._medical import COMMANDS as MEDICAL_COMMANDS
from custody.cli._parser import EVENT_COMMANDS
from custody.cli._show import actor_lines, case_lines, report_lines, timeline_json, timeline_lines
from custody.crypto import SigningKey
from custody.errors import InvalidInput
from custody.keyfiles import save_signing_key, write_new_file
from custody.ledger import Ledger
from custody.model import Actor, EventBody, PhysicalItem, Place, utc_now
from custody.verify import TrustPolicy, verify_ledger

Command = Callable[[argparse.Namespace, Context, TextIO], int]


def init(args: argparse.Namespace, ctx: Context, out: TextIO) -> int:
    log_key = ctx.public_key(args.log_key)
    Ledger.create(ctx.ledger_path, origin=args.origin, log_key=log_key).close()
    print(f"Created ledger {ctx.ledger_path} for log {args.origin}", file=out)
    print(f"Checkpoints are signed by key {log_key.key_id_hex}", file=out)
    return 0


def keys_new(args: argparse.Namespace, ctx: Context, out: TextIO) -> int:
    for path in filter(None, (args.out, args.public_out)):
        refuse_existing(Path(path))
    key = SigningKey.generate()
    passphrase = None if args.unencrypted else ctx.passphrase(args.out, confirm=True)
    save_signing_key(key, args.out, passphrase, allow_unencrypted=args.unencrypted)
    if args.public_out:
        _write_new(Path(args.public_out), key.public.to_pem())
    print(f"Created key {args.out}", file=out)
    print(f"key id: {key.public.key_id_hex}", file=out)
    return 0


def keys_show(args: argparse.Namespace, ctx: Context, out: TextIO) -> int:
    public = ctx.public_key(args.keyfile)
    if args.pem:
        out.write(public.to_pem().decode())
    elif args.json:
        print(
            json.dumps(
                {
                    "key_id": public.key_id_hex,
                    "public_key": public.to_bytes().hex(),
                    "algorithm": "Ed25519",
                }
            ),
            file=out,
        )
    else:
        print(f"key id:     {public.key_id_hex}", file=out)
        print(f"public key: {public.to_bytes().hex()}", file=out)
    return 0


def actor_add(args: argparse.Namespace, ctx: Context, out: TextIO) -> int:
    public = ctx.public_key(args.keyfile)
    actor = Actor(public.key_id, args.name, args.role, args.organisation)
    with ctx.open_ledger() as ledger:
        ledger.register_actor(actor, public)
    print(f"Registered {actor.name} ({actor.role}) with key {actor.key_id_hex}", file=out)
    return 0


def actor_list(args: argparse.Namespace, ctx: Context, out: TextIO) -> int:
    with ctx.open_ledger(read_only=True) as ledger:
        actors = ledger.actors()
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "key_id": a.key_id_hex,
                        "name": a.name,
                        "role": a.role,
                        "organisation": a.organisation,
                    }
                    for a in actors
                ],
                indent=2,
            ),
            file=out,
        )
    else:
        _print(out, actor_lines(actors))
    return 0


def case_new(args: argparse.Namespace, ctx: Context, out: TextIO) -> int:
    signer = ctx.signing_key(args.key)
    with ctx.open_ledger() as ledger:
        recorded = ledger.open_case(
            args.case,
            signer,
            purpose=args.purpose,
            place=_place(args.place),
            at=parse_time(args.at),
        )
    print(f"Opened case {args.case} (log entry {recorded.index})", file=out)
    return 0


def case_list(args: argparse.Namespace, ctx: Context, out: TextIO) -> int:
    with ctx.open_ledger(read_only=True) as ledger:
        cases = ledger.cases()
        actors = {a.key_id: a for a in ledger.actors()}
        items = {case.reference: len(ledger.items(case.reference)) for case in cases}
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "case": c.reference,
                        "opened_at": c.opened_at.isoformat(),
                        "opened_by": c.opened_by.hex(),
                        "purpose": c.purpose,
                        "items": items[c.reference],
                    }
                    for c in cases
                ],
                indent=2,
            ),
            file=out,
        )
    else:
        _print(out, case_lines(cases, actors, items))
    return 0


def item_add(args: argparse.Namespace, ctx: Context, out: TextIO) -> int:
    signer = ctx.signing_key(args.key)
    item = PhysicalItem(args.item, args.description, args.packaging, tuple(args.seal), args.storage)
    with ctx.open_ledger() as ledger:
        recorded = ledger.acquire(
            args.case,
            item,
            signer,
            at=parse_time(args.at),
            place=_place(args.place),
            purpose=args.purpose,
            condition=args.condition,
        )
    print(f"Recorded item {args.item} in case {args.case} (log entry {recorded.index})", file=out)
    return 0


def event(args: argparse.Namespace, ctx: Context, out: TextIO) -> int:
    signer = ctx.signing_key(args.key)
    counterparty = _recipient(args.to, ctx) if args.to else args.counterparty
    body = EventBody(
        EVENT_COMMANDS[args.kind],
        parse_time(args.at) or utc_now(),
        place=_place(args.place),
        purpose=args.purpose,
        seals=tuple(args.seal),
        seal_state=args.seal_state,
        condition=args.condition,
        counterparty=counterparty,
    )
    with ctx.open_ledger() as ledger:
        recorded = ledger.record(args.case, args.item, body, signer)
    event = recorded.event
    print(
        f"Recorded {event.type} of {args.case}/{args.item} as event #{event.seq} "
        f"(log entry {recorded.index})",
        file=out,
    )
    return 0


def log(args: argparse.Namespace, ctx: Context, out: TextIO) -> int:
    with ctx.open_ledger(read_only=True) as ledger:
        timeline = ledger.timeline(args.case)
        if not timeline:
            raise InvalidInput("no such case in this ledger", field=args.case)
        actors = {a.key_id: a for a in ledger.actors()}
    if args.json:
        print(json.dumps(timeline_json(timeline, actors), indent=2), file=out)
    else:
        _print(out, timeline_lines(args.case, timeline, actors))
    return 0


def checkpoint(args: argparse.Namespace, ctx: Context, out: TextIO) -> int:
    if args.out:
        refuse_existing(Path(args.out))
    signer = ctx.signing_key(args.key)
    with ctx.open_ledger() as ledger:
        note = ledger.checkpoint(signer)
    if args.out:
        _write_new(Path(args.out), note.encode())
    out.write(note)
    return 0


def verify(args: argparse.Namespace, ctx: Context, out: TextIO) -> int:
    trust = TrustPolicy.from_file(args.trust) if args.trust else None
    held = [read_checkpoint(path) for path in args.checkpoint]
    with ctx.open_ledger(read_only=True) as ledger:
        report = verify_ledger(ledger, trust=trust, held_checkpoints=held, case=args.case)
    if args.json:
        print(json.dumps(report.to_dict(), indent=2), file=out)
    else:
        _print(out, report_lines(report))
    return 0 if report.ok else 1


COMMANDS: dict[tuple[str, str | None], Command] = {
    ("init", None): init,
    ("keys", "new"): keys_new,
    ("keys", "show"): keys_show,
    ("actor", "add"): actor_add,
    ("actor", "list"): actor_list,
    ("case", "new"): case_new,
    ("case", "list"): case_list,
    ("item", "add"): item_add,
    ("event", None): event,
    ("log", None): log,
    ("checkpoint", None): checkpoint,
    ("verify-ledger", None): verify,
    **INTAKE_COMMANDS,
    **MEDICAL_COMMANDS,
    **BUNDLE_COMMANDS,
    **DEMO_COMMANDS,
}


def _recipient(value: str, ctx: Context) -> str:
    """``--to`` takes a key id in hex, or a key file whose key id is meant."""
    if len(value) == 64 and all(c in "0123456789abcdefABCDEF" for c in value):
        return value.lower()
    return ctx.public_key(value).key_id_hex


def _place(name: str | None) -> Place | None:
    return Place(name) if name else None


def _print(out: TextIO, lines: list[str]) -> None:
    # Each is one line: text quoted from a ledger or a file must not break it into more.
    out.write("".join(one_line(line) + "\n" for line in lines))


def _write_new(path: Path, data: bytes) -> None:
    write_new_file(path, data, mode=0o644)  # public outputs: a public key, a checkpoint
