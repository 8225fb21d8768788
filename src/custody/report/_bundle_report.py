"""The bundle verification report: what a judge reads about a verified court bundle.

:func:`render_bundle_report` turns a :class:`~custody.bundle._contents.BundleVerification`
into one self-contained HTML document, in English and in plain words, in the order a reader
needs it:

1. the verdict, in a box at the top: verified, or not verified with the first problems;
2. the items and their files, with their SHA-256 hashes and what verification found;
3. the custody timeline: a figure (``custody.report._timeline``) and every event in a table;
4. the signers: who the bundle claims they are, and whether your trust policy lists them;
5. the medical evaluations, with body diagrams and photograph thumbnails;
6. every check performed, with its result;
7. every problem in full, each explained, and the things to note that are not failures;
8. how to repeat the verification yourself.

What the document holds, and what it does not:

* Everything from the bundle (references, names, descriptions, messages) is untrusted text
  and is escaped. Names the bundle gives are shown as claims; only the trust policy's names
  are vouched for.
* It is self-contained: CSS inline, images as ``data:`` URIs, the figure as inline SVG, no
  script, no external resource. It prints on A4: light backgrounds only, table rows and
  figures kept whole, the figure scaled to the page's width.
* Intimate photographs are never reproduced; the others appear as thumbnails re-encoded from
  their decoded pixels, only when their bytes hash to the SHA-256 the evaluation records.
* The output depends only on the arguments (and on the installed Pillow and fonts, which
  draw the body diagrams): the same input gives the same text. No clock is read.
"""

from __future__ import annotations

import hashlib
import shlex
import struct
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Final

import attrs

from custody.bundle._contents import (
    BundleEvaluation,
    BundleFile,
    BundleItem,
    BundleSigner,
    BundleVerification,
    FileStatus,
    TimelineEvent,
)
from custody.errors import CustodyError
from custody.medical import (
    Evaluation,
    Photograph,
    photograph_consent_withdrawn,
    photograph_is_intimate,
)
from custody.report._html import (
    STYLESHEET,
    Html,
    Node,
    blocks,
    code,
    data_uri,
    el,
    h3,
    join,
    link,
    moment,
    note,
    placeholder,
    row,
    tbody,
    void,
)
from custody.report._i18n import label, term
from custody.report._medical_report import DIAGRAM_DPI, diagram_png_for
from custody.report._thumbnails import make_thumbnail
from custody.report._timeline import drawn_items, seal_notes, timeline_svg
from custody.verify import MAX_LISTED, Check, Problem

__all__ = ["UNTRUSTED_CODES", "VERDICT_PROBLEMS", "explain_problem", "render_bundle_report"]


# --- plain words for the problem codes ----------------------------------------------------------

#: Codes of problems about trust rather than change: the signer's key is not one you accept.
UNTRUSTED_CODES: Final = frozenset(
    {"KEY_UNTRUSTED", "KEY_UNKNOWN", "LOG_UNTRUSTED", "KEY_NOT_VALID"}
)

_UNTRUSTED_SIGNER = (
    "Signed by a key your trust policy does not list: the evidence may be intact, but you "
    "cannot know who signed it."
)
_CHAIN = (
    "An event is missing, inserted or out of order in this item's history, or an earlier "
    "event was changed."
)

_EXPLANATIONS: Final[Mapping[str, str]] = {
    # the files of the bundle
    "MEMBER_CHANGED": (
        "A file inside the bundle is not the file that was listed when the bundle was made: "
        "it was changed after export."
    ),
    "MEMBER_MISSING": "A file the bundle lists when it was made is not in the bundle any more.",
    "MEMBER_UNEXPECTED": (
        "The bundle holds a file that was not listed when it was made: something was added "
        "after export."
    ),
    "MEMBER_ORDER": (
        "The files inside the bundle are not in the order they were written in: the bundle "
        "was rebuilt or edited after export."
    ),
    "RECORD_UNREFERENCED": (
        "The bundle carries a medical record that none of its signed events refers to: a "
        "document was put into the bundle without any signed history explaining it."
    ),
    "EXPORT_COUNTS": (
        "The signed record of the export names a different number of events or files than "
        "the bundle holds: parts were removed or added after export."
    ),
    # signatures and keys
    "SIGNATURE_INVALID": (
        "A signature does not match what it signs: the signed event was changed after it was "
        "signed, or the signature was forged."
    ),
    "KEY_UNTRUSTED": _UNTRUSTED_SIGNER,
    "KEY_UNKNOWN": (
        "Signed by a key your trust policy does not list, and that the bundle does not name "
        "either: the evidence may be intact, but you cannot know who signed it."
    ),
    "KEY_NOT_VALID": (
        "Signed by a key your trust policy trusts only for another period than the time this "
        "event claims: the evidence may be intact, but you cannot know that the signer was "
        "entitled to sign it then."
    ),
    "LOG_UNTRUSTED": (
        "The log's summaries are signed by a key your trust policy does not list: the events "
        "may be intact, but you cannot know who vouches for the log as a whole."
    ),
    "REGISTER_MISMATCH": (
        "A public key is filed under a name (key id) that is not its own: someone may have "
        "swapped a key to make a forged signature look valid."
    ),
    "ISSUER_MISMATCH": "An event was signed for a different log and copied into this one.",
    # the log and its entries
    "INCLUSION_INVALID": (
        "The event is not part of the signed log: the proof that ties it to the log's signed "
        "summary does not hold."
    ),
    "STORE_UNREADABLE": "The records could not be read at all, so nothing after that was checked.",
    "LOG_GAP": "Entries are missing from the log: its numbering jumps.",
    "LEAF_HASH_MISMATCH": "An entry's bytes do not match the fingerprint stored beside them.",
    "ENTRY_MALFORMED": "An entry is damaged or not in the format custody writes.",
    "ROW_MISMATCH": "The index kept beside an entry does not say what the signed entry says.",
    "INCLUSION_MISSING": (
        "The proof that ties this event to the log's signed summary is missing, so nothing "
        "shows the event was ever logged."
    ),
    "ENTRY_ORDER": "The events are not in the order the log recorded them: they were reordered.",
    "ENTRY_OTHER_CASE": "An event of another case was put into this bundle.",
    "CONSISTENCY_INVALID": (
        "An earlier signed summary of the log does not agree with the latest one: the log was "
        "rewritten in between."
    ),
    "CHAIN_SEQ": _CHAIN,
    "CHAIN_PREV": _CHAIN,
    "REVIEW_BY_EVALUATOR": (
        "A medical evaluation was marked as reviewed by one of its own authors; a review must "
        "come from someone else."
    ),
    "ADDENDUM_BEFORE_SEAL": (
        "A medical evaluation was amended before it had been signed off; only a signed-off "
        "evaluation takes an addendum."
    ),
    "ADDENDUM_SUPERSEDES": (
        "An addendum to a medical evaluation does not name the version it replaces correctly."
    ),
    "CHAIN_MISSING": (
        "The bundle's signed list of contents names an item's history that is not in the "
        "bundle: it was removed."
    ),
    "CHAIN_CUT": (
        "An item's history in the bundle does not end where the signed export says it does: "
        "events were removed from its end, or added."
    ),
    "CHAIN_UNLISTED": (
        "The bundle holds the history of an item its signed list of contents does not name: "
        "it was added after export."
    ),
    "LEDGER_FACTS_INVALID": "The log's basic facts (its name or its key) are unusable.",
    "CASE_UNKNOWN": "The bundle holds no event of the case asked for.",
    # custody rules
    "SEAL_MISMATCH": (
        "The seal numbers recorded do not match the seals the item carried: a seal was "
        "changed, or a seal number was recorded wrongly."
    ),
    "SEAL_STATE_MISSING": "A receipt does not say in what state the seals were found.",
    "SEALS_MISSING": "A sealing was recorded without any seal number.",
    "NOT_HOLDER": "Someone who did not hold the item recorded an act only its holder may do.",
    "WRONG_RECIPIENT": "The item was received by someone other than the person it was sent to.",
    "RECEIVE_WITHOUT_TRANSFER": "A receipt was recorded although nobody had handed the item over.",
    "TRANSFER_UNACKNOWLEDGED": (
        "Something was recorded while the item was still in transit, before its receipt."
    ),
    "AFTER_END": "An event was recorded after the item was returned or disposed of.",
    "FIRST_EVENT": "A history does not begin the way it must (for an item: with its intake).",
    "CASE_NOT_OPENED": "An item was recorded before its case was opened.",
    "EVENT_NOT_ALLOWED": "An event of a kind that does not belong in this history was recorded.",
    "COUNTERPARTY_MISSING": "A return was recorded without saying to whom.",
    "RECIPIENT_MISSING": "A handover was recorded without naming who receives the item.",
    "SELF_TRANSFER": "A holder recorded handing the item over to themselves.",
    # medical evaluations
    "NOT_AN_EVALUATOR": "Someone who is not an evaluator of the medical evaluation signed for it.",
    "MEDICAL_RECORD_MISSING": "The medical evaluation's document is missing from the bundle.",
    "MEDICAL_RECORD_CHANGED": (
        "The medical evaluation's document was changed after the evaluators signed it."
    ),
    "MEDICAL_FIELD_CHANGED": (
        "A part of the medical evaluation's document was changed, added or removed after the "
        "evaluators signed it."
    ),
    # the log's signed summaries
    "LOG_INCONSISTENT": (
        "The log does not match a summary of it you kept earlier: it was rewritten since."
    ),
    "CHECKPOINT_UNPROVEN": (
        "You asked to check the log against a summary of it you kept earlier, but the bundle "
        "carries no proof linking that summary to the log it shows: this cannot be confirmed "
        "from the bundle alone."
    ),
    "CHECKPOINT_MISMATCH": (
        "The log no longer matches its own signed summary: entries were changed, removed, "
        "reordered or inserted."
    ),
}

# Families of codes, by prefix, for codes not listed above (new codes among them).
_FAMILIES: Final = (
    (
        "CHECKPOINT_",
        "The log's signed summary (checkpoint) is damaged, not signed by the log's key, or does "
        "not match the log: the list of events may have been changed.",
    ),
    (
        "MEDICAL_",
        "The medical evaluation's document does not match what its evaluators signed, or "
        "cannot be read.",
    ),
    (
        "EVALUATION_",
        "The medical evaluation's history of drafts, reviews and seals is not in the order "
        "the rules require.",
    ),
    (
        "EXPORT_",
        "The record of the bundle's export (who made it, when, what it covers) is missing, "
        "damaged or does not match the bundle.",
    ),
    (
        "MANIFEST_",
        "The bundle's list of its own contents is missing, damaged or does not match what the "
        "bundle holds.",
    ),
    (
        "FILE_",
        "An evidence file in the bundle does not match the fingerprint (SHA-256) or size "
        "recorded when it was taken into custody, or is missing.",
    ),
    (
        "MEMBER_",
        "The files inside the bundle are not exactly those listed when it was made.",
    ),
    ("SEAL", "The seals recorded do not agree with the seals the item carried."),
)
_FALLBACK: Final = (
    "A check failed. The verifier's message says what it found; the documentation of custody "
    "lists every code."
)

_NOTICES: Final[Mapping[str, str]] = {
    "SEALS_REPORTED_BROKEN": (
        "Someone recorded an item's seals as broken or different: on receiving it, or "
        "without holding it, on looking at or analysing it. That is a fact recorded in the "
        "history, not a failure of verification: look at who recorded it and what they wrote."
    ),
    "TRANSFER_PENDING": (
        "An item was handed over, but its receipt is not recorded: it was in transit when the "
        "bundle was made, or the receipt was never recorded."
    ),
    "KEYS_FROM_LEDGER": (
        "No trust policy was used: signatures were checked with keys the records themselves "
        "carry. That shows nothing was changed, not who signed."
    ),
    "KEYS_FROM_BUNDLE": (
        "No trust policy was used: signatures were checked with keys the bundle itself "
        "carries. That shows nothing was changed, not who signed."
    ),
    "LOG_KEY_FROM_LEDGER": (
        "No trust policy was used: the log's summaries were checked with the key the records "
        "themselves carry."
    ),
    "LOG_KEY_DIFFERS": (
        "The records name another key for the log than your trust policy: your policy's key "
        "was used."
    ),
}
_NOTICE_FALLBACK: Final = "Recorded for your attention; it is not a failure of verification."


def explain_problem(code: str) -> str:
    """A sentence a non-specialist understands saying what a problem code means.

    Args:
        code: a problem code of a verification report (``"MEMBER_CHANGED"``).

    Returns:
        The code's own sentence; else the sentence of its family (``CHECKPOINT_*``,
        ``MEDICAL_*``, ``EXPORT_*``, ``MANIFEST_*``, ``FILE_*``...); else a general one.
    """
    if code in _EXPLANATIONS:
        return _EXPLANATIONS[code]
    return next((text for prefix, text in _FAMILIES if code.startswith(prefix)), _FALLBACK)


def _explain_notice(code: str) -> str:
    return _NOTICES.get(code, _NOTICE_FALLBACK)


# --- what every section reads -------------------------------------------------------------------


@attrs.frozen
class _Report:
    """The verification, and the signers' names by key id, for every section."""

    v: BundleVerification
    trust_source: str | None
    signers: Mapping[bytes, BundleSigner]

    @classmethod
    def of(cls, v: BundleVerification, trust_source: str | None) -> _Report:
        return cls(v, trust_source, {s.key_id: s for s in v.signers})

    def name(self, key: bytes | None) -> str:
        """Who a key is: the trust policy's name, else the bundle's claim, marked so."""
        if key is None:
            return "nobody named"
        signer = self.signers.get(key)
        if signer is not None and signer.trusted_name is not None:
            return signer.trusted_name
        if signer is not None and signer.claimed_name is not None:
            return f"{signer.claimed_name} (claimed)"
        return f"key {key.hex()[:16]}\u2026"

    def names(self) -> dict[bytes, str]:
        return {key: self.name(key) for key in self.signers}


def _plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def _fingerprint(key_id: bytes) -> Html:
    """A key id in hex, in blocks of four characters for reading aloud."""
    text = key_id.hex()
    return el(
        "code", " ".join(text[i : i + 4] for i in range(0, len(text), 4)), class_="fingerprint"
    )


def _hash(value: bytes) -> Html:
    return el("code", value.hex(), class_="hash")


def _table(headers: Sequence[str], rows: Iterable[Html], class_: str | None = None) -> Html:
    head = el("thead", el("tr", (el("th", h, scope="col") for h in headers)))
    return el("table", head, tbody(rows), class_=class_)


def _fields(rows: Iterable[tuple[str, Node]]) -> Html | None:
    entries = [
        el("div", el("dt", key), el("dd", value))
        for key, value in rows
        if value is not None and value != ""
    ]
    return el("dl", entries, class_="fields") if entries else None


# --- 1. the verdict -------------------------------------------------------------------------------

#: How many problems the verdict box lists before pointing to the full list.
VERDICT_PROBLEMS: Final = 5


def _verdict(r: _Report) -> Html:
    if r.v.ok:
        body = [
            el(
                "p",
                "VERIFIED: every file, signature and event in this bundle checked out against "
                "the keys you trust.",
                class_="headline",
            ),
            el("p", _summary(r)),
        ]
    else:
        body = _failure(r)
    notices = r.v.report.notices
    if notices:
        body.append(
            el(
                "p",
                f"Also {_plural(len(notices), 'thing')} to note, which are not failures: ",
                link("notices", "see Things to note"),
                ".",
            )
        )
    kind = "ok" if r.v.ok else "fail"
    return el("div", body, id="verdict", class_=f"verdict-box {kind}", role="status")


def _summary(r: _Report) -> str:
    v = r.v
    files = sum(len(item.files) for item in v.items)
    parts = [
        f"Case {v.case}" if v.case else "Case not stated",
        _plural(len(v.items), "item"),
        _plural(len(v.timeline), "event"),
        _plural(files, "file"),
    ]
    if v.export is None:
        parts.append("the export record could not be read")
    else:
        when = v.export.exported_at.strftime("%Y-%m-%dT%H:%M:%S UTC")
        parts.append(f"exported {when} by {_exporter(r, v.export.exported_by)}")
    return " \u00b7 ".join(parts) + "."


def _exporter(r: _Report, key: bytes) -> str:
    signer = r.signers.get(key)
    if signer is not None and signer.trusted:
        return f"{signer.trusted_name} (trusted)"
    return f"{r.name(key)}, not listed in your trust policy"


def _failure(r: _Report) -> list[Html]:
    problems = r.v.report.problems
    total = r.v.report.problem_count
    count = _plural(total, "problem")
    verb = "was" if total == 1 else "were"
    shown = problems[:VERDICT_PROBLEMS]
    items = (el("li", _problem_in_words(p)) for p in shown)
    more = total - len(shown)
    body = [
        el("p", f"NOT VERIFIED: {count} {verb} found.", class_="headline"),
        el("ol", items, class_="first-problems"),
        el(
            "p",
            f"{more} more not shown here. " if more else "",
            link("problems", f"See the full list of {count}, each explained"),
            ".",
        ),
    ]
    if not r.v.report.problems_omitted and all(p.code in UNTRUSTED_CODES for p in problems):
        body.insert(1, el("p", _ONLY_TRUST))
    body.append(el("p", _summary(r)))
    return body


_ONLY_TRUST: Final = (
    "Every problem found is about who signed, not about changes: nothing shows that the "
    "evidence was altered, but some signers are not among the keys your trust policy lists."
)


def _problem_in_words(p: Problem) -> Html:
    return Html(
        el("strong", explain_problem(p.code))
        + el("span", f" Where: {p.where}. ", class_="where")
        + el("span", f"({p.code}: {p.message})", class_="detail")
    )


# --- the bundle's facts ---------------------------------------------------------------------------


def _facts(r: _Report) -> Html | None:
    v = r.v
    export = v.export
    rows: list[tuple[str, Node]] = [
        ("Bundle file", code(v.bundle)),
        ("Case", v.case),
        ("Log", code(v.origin) if v.origin else None),
    ]
    if export is not None:
        rows += [
            ("Exported (claimed time)", moment(export.exported_at)),
            ("Exported by", _exporter(r, export.exported_by)),
            ("Purpose of the export", export.purpose),
            ("Events in the signed log", str(export.log_size)),
            ("Signed summary of the log (root hash)", _hash(export.root_hash)),
        ]
    return _fields(rows)


# --- 2. items -------------------------------------------------------------------------------------


def _items(r: _Report) -> Html | None:
    if not r.v.items:
        return None
    return blocks(
        note(
            "Each file is identified by its SHA-256 hash: a fingerprint of its exact bytes, "
            "recorded when it was taken into custody. Any change to a file, even one letter, "
            "changes its hash."
        ),
        *(_item(r, number, item) for number, item in enumerate(r.v.items, start=1)),
    )


def _item(r: _Report, number: int, item: BundleItem) -> Html:
    fields = [
        ("Kind", item.kind),
        ("Description", item.description),
        ("Seals now", ", ".join(item.seals) or "none"),
        ("Current holder", _holder(r, item)),
        ("Custody ended by", item.ended_by),
        ("Events in its history", str(item.events)),
    ]
    files = _files(item.files) if item.files else None
    return _card("item", "Item", item.reference, number, _fields(fields), files)


def _holder(r: _Report, item: BundleItem) -> str:
    if item.holder is not None:
        return r.name(item.holder)
    if item.ended_by is not None:
        return f"nobody: custody ended ({item.ended_by})"
    return "nobody: in transit, its receipt is not recorded"


_STATUS_WORDS: Final[Mapping[FileStatus, str]] = {
    FileStatus.VERIFIED: "verified",
    FileStatus.CHANGED: "CHANGED",
    FileStatus.MISSING: "MISSING",
    FileStatus.WITHHELD: "withheld (hash only)",
}


def _files(files: Sequence[BundleFile]) -> Html:
    rows = (
        row(
            [
                f.name,
                _hash(f.sha256),
                _size(f.size),
                el("span", _STATUS_WORDS[f.status], class_=f"file-status {f.status.value}"),
            ],
            class_=f"file {f.status.value}",
        )
        for f in files
    )
    return _table(["File", "SHA-256", "Size", "Status"], rows, class_="files")


_UNITS: Final = ("kB", "MB", "GB", "TB", "PB")


def _size(size: int) -> str:
    """``1,234,567 bytes (1.2 MB)``: exact, then in decimal units."""
    if size < 1000:
        return _plural(size, "byte")
    power = 1
    while power < len(_UNITS) and round(size / 1000**power, 1) >= 1000:
        power += 1
    return f"{size:,} bytes ({size / 1000**power:.1f} {_UNITS[power - 1]})"


# --- 3. timeline ----------------------------------------------------------------------------------

_EVENT_WORDS: Final = (
    ("opened", "a case was opened"),
    ("acquired", "the item entered custody"),
    ("derived", "the item was made from another (a copy, a redacted version)"),
    ("sealed", "new seals were put on the packaging"),
    ("transferred", "the holder handed the item over to a named person"),
    ("received", "that person confirmed receipt, and said what state the seals were in"),
    ("stored", "the item was put into storage"),
    ("accessed", "the item was looked at or copied without being changed"),
    ("analysed", "the item was examined or analysed"),
    ("returned", "the item went back to its owner; custody ended"),
    ("disposed", "the item was destroyed or disposed of; custody ended"),
    ("exported", "the item was included in an exported bundle"),
    ("evaluation_*", "a medical evaluation was drafted, reviewed, signed or amended"),
)


def _timeline(r: _Report) -> Html:
    events = r.v.timeline
    _, more = drawn_items(events)
    caption = (
        "Who held each item, by claimed times (UTC): the times are those the signers "
        "recorded, not proven. Each lane is an item; bars show who held it (colour, texture "
        "and initials), dashed arrows a handover in transit. Medical evaluations are not "
        "custody and are not drawn."
    )
    if more:
        caption += f" {_plural(more, 'more item')} not drawn; see the table."
    if r.v.timeline_omitted:
        caption += (
            f" The figure and the table show the first {len(events):,} events; "
            f"{r.v.timeline_omitted:,} later ones were verified but are not shown."
        )
    figure = el(
        "figure",
        Html(timeline_svg(events, r.names())),
        el("figcaption", caption),
        class_="timeline",
        id="timeline-figure",
    )
    return blocks(
        figure,
        _seal_notes(r, events),
        h3("Every event, in the order it was logged"),
        _events_table(r, events),
        _event_words(),
    ) or Html("")


def _seal_notes(r: _Report, events: Sequence[TimelineEvent]) -> Html | None:
    notes = seal_notes(events)
    if not notes:
        return None
    entries = []
    for seal in notes:
        e = seal.event
        state: Node = el("strong", "BROKEN") if seal.broken else e.seal_state
        text = join(
            [
                code(e.item or ""),
                f" \u2014 {e.type} by {r.name(e.actor)}, ",
                moment(e.time),
                f": seals {', '.join(e.seals) or '(no number named)'}",
                join([", seen ", state], "") if state else None,
            ],
            "",
        )
        entries.append(el("li", text, value=seal.number))
    return el("ol", entries, class_="seal-notes", aria_label="Seal notes")


def _events_table(r: _Report, events: Sequence[TimelineEvent]) -> Html:
    headers = ["Time (claimed)", "Item", "Event", "By", "To", "Seals", "Seal state", "Place"]
    return _table([*headers, "Purpose"], (_event_row(r, e) for e in events), class_="events")


def _event_row(r: _Report, e: TimelineEvent) -> Html:
    what: Node = e.type
    if e.problems:
        what = join([e.type, el("strong", f"\u26a0 {_plural(e.problems, 'problem')}")], " ")
    state: Node = el("strong", "BROKEN") if e.seal_state == "broken" else e.seal_state
    cells: list[Node] = [
        _two_line_moment(e.time),
        code(e.item) if e.item is not None else "(the case)",
        what,
        r.name(e.actor),
        r.name(e.recipient) if e.recipient is not None else None,
        ", ".join(e.seals) or None,
        state,
        e.place,
        e.purpose,
    ]
    return row(cells, id=f"event-{e.index}", class_="has-problem" if e.problems else None)


def _two_line_moment(when: datetime) -> Html:
    """A date and time in UTC on two lines, for a narrow column."""
    utc = when.astimezone(UTC)
    return el("time", f"{utc:%Y-%m-%d}\n{utc:%H:%M:%S} UTC", datetime=f"{utc:%Y-%m-%dT%H:%M:%SZ}")


def _event_words() -> Html:
    entries = (el("div", el("dt", code(name)), el("dd", meaning)) for name, meaning in _EVENT_WORDS)
    return blocks(h3("What the events mean"), el("dl", entries, class_="fields")) or Html("")


# --- 4. signers -----------------------------------------------------------------------------------


def _signers(r: _Report) -> Html | None:
    if not r.v.signers:
        return None
    return blocks(
        note(
            "Names, roles and organisations written in the bundle are claims made by whoever "
            "made it; only the names in your trust policy are vouched for by you."
        ),
        *(_signer(s, n) for n, s in enumerate(r.v.signers, start=1)),
    )


def _signer(s: BundleSigner, number: int) -> Html:
    trust = (
        el("strong", "TRUSTED", class_="trusted")
        if s.trusted
        else el("strong", "NOT TRUSTED (claimed only)", class_="untrusted")
    )
    claimed_roles = join([s.claimed_role, s.claimed_organisation], ", ")
    roles = join(
        [
            join(["trusted for: ", ", ".join(s.trusted_roles)], "") if s.trusted_roles else None,
            join(["claimed: ", claimed_roles], "") if claimed_roles else None,
        ]
    )
    fields = [
        ("Trust", trust),
        ("Name claimed in the bundle", s.claimed_name or "none given"),
        ("Name in your trust policy", s.trusted_name or "not listed"),
        ("Fingerprint (key id)", _fingerprint(s.key_id)),
        ("Public key", _hash(s.public_key) if s.public_key else "not carried by the bundle"),
        ("Roles", roles),
        ("Events signed", str(s.events)),
    ]
    heading = s.trusted_name or s.claimed_name or f"Key {s.key_id.hex()[:16]}\u2026"
    return el("article", h3(heading), _fields(fields), id=f"signer-{number}", class_="card signer")


# --- 5. medical evaluations -----------------------------------------------------------------------

_EVALUATION_STATUS: Final[Mapping[str, str]] = {
    "sealed": "sealed: every evaluator signed this version",
    "draft": "draft: not yet signed by every evaluator",
    "amended": "amended: an addendum awaits the evaluators' signatures",
}


def _evaluations(r: _Report) -> Html | None:
    if not r.v.evaluations:
        return None
    return blocks(
        *(_evaluation(r, n, e) for n, e in enumerate(r.v.evaluations, start=1)),
    )


def _evaluation(r: _Report, number: int, e: BundleEvaluation) -> Html:
    fields = [
        ("Reference", code(e.reference)),
        ("Status", _EVALUATION_STATUS.get(e.status, e.status)),
        ("Version", str(e.version)),
        ("Digest (fingerprint of this version)", _hash(e.digest)),
        ("Evaluators", _people(r, e, e.evaluators)),
        ("Sealed by", _people(r, e, e.sealed_by) or "nobody yet"),
    ]
    content = (
        _evaluation_content(e, e.evaluation)
        if e.evaluation is not None
        else el(
            "p",
            "The evaluation's document could not be read from the bundle: its content cannot "
            "be shown. The checks and problems below say why.",
            class_="warning",
        )
    )
    return _card("evaluation", "Evaluation", e.reference, number, _fields(fields), content)


def _card(kind: str, title: str, reference: str, number: int, *content: Html | None) -> Html:
    """One item's or evaluation's card: its title and reference, then ``content``."""
    heading = h3(join([f"{title} ", code(reference)], ""))
    return el("article", heading, *content, id=f"{kind}-{number}", class_=f"card {kind}")


def _people(r: _Report, e: BundleEvaluation, keys: Sequence[bytes]) -> str | None:
    """Names of keys: the signers' names, else the name the evaluation gives them."""
    named = {c.key_id: c.name for c in e.evaluation.evaluators} if e.evaluation else {}
    names = []
    for key in keys:
        name = r.name(key)
        if key not in r.signers and key.hex() in named:
            name = f"{named[key.hex()]} (named in the evaluation)"
        names.append(name)
    return ", ".join(names) or None


def _evaluation_content(e: BundleEvaluation, evaluation: Evaluation) -> Html | None:
    return blocks(
        _opinions(evaluation),
        el("h4", "Body diagrams"),
        _diagrams(evaluation),
        el("h4", "Photographs"),
        _photographs(e, evaluation),
    )


def _opinions(evaluation: Evaluation) -> Html | None:
    overall = evaluation.overall_opinion
    level = term(overall.level, "en") if overall is not None else "not given"
    rows = (
        row(
            [
                o.opinion_id,
                term(o.domain, "en"),
                term(o.level, "en") if o.level is not None else term(o.status, "en"),
            ]
        )
        for o in evaluation.opinions
    )
    return blocks(
        el("p", "Overall opinion of the evaluators: ", el("strong", level, class_="level")),
        _table(["Opinion", "About", "Level of consistency"], rows, class_="opinions")
        if evaluation.opinions
        else None,
        note(
            "The levels are the Istanbul Protocol's terms for how well the findings fit the "
            "allegations; the full medical report explains each opinion."
        ),
    )


def _diagrams(evaluation: Evaluation) -> Html:
    try:
        pngs = diagram_png_for(evaluation)
    except CustodyError:
        return placeholder(label("diagram_not_available", "en"))
    if not pngs:
        return el("p", "No body diagram was recorded.", class_="none")
    return el("div", (_diagram(view, png) for view, png in pngs.items()), class_="diagram-grid")


def _diagram(view: str, png: bytes) -> Html:
    width, height = struct.unpack(">II", png[16:24])  # from the PNG's IHDR chunk
    css = (round(width * 96 / DIAGRAM_DPI), round(height * 96 / DIAGRAM_DPI))
    image = void(
        "img",
        src=data_uri("image/png", png),
        alt=f"Body diagram, {view.replace('_', ' ')} view",
        width=css[0],
        height=css[1],
    )
    caption = el("figcaption", f"Body diagram: {view.replace('_', ' ')}")
    return el("figure", image, caption, class_="diagram")


def _photographs(e: BundleEvaluation, evaluation: Evaluation) -> Html:
    if not evaluation.photographs:
        return el("p", "No photograph was recorded.", class_="none")
    return blocks(
        note(label("photographs_note", "en")),
        el(
            "div",
            (_photo(e, evaluation, p) for p in evaluation.photographs),
            class_="photo-grid",
        ),
    ) or Html("")


def _photo(e: BundleEvaluation, evaluation: Evaluation, p: Photograph) -> Html:
    caption = el("figcaption", el("strong", p.photo_id, " \u2014 ", term(p.role, "en")))
    return el("figure", _picture(e, evaluation, p), caption, class_="photo")


def _picture(e: BundleEvaluation, evaluation: Evaluation, p: Photograph) -> Html:
    """The thumbnail, or a placeholder saying why there is none (as the medical report)."""
    if photograph_is_intimate(evaluation, p):  # never reproduced, whatever the bundle carries
        return placeholder(label("intimate_not_reproduced", "en"), "intimate")
    withdrawn = photograph_consent_withdrawn(evaluation, p)
    if withdrawn is not None:
        return placeholder(f"{label('consent_withdrawn_not_reproduced', 'en')} {withdrawn.date()}")
    unavailable = label("image_not_available", "en")
    carried = e.photographs.get(p.photo_id)
    data = None if carried is None else carried.read()
    if data is None:
        return placeholder(f"{unavailable}: the bundle does not carry a verified copy")
    if hashlib.sha256(data).hexdigest() != p.sha256.lower():
        return placeholder(f"{unavailable}: {label('image_hash_mismatch', 'en')}")
    thumbnail = make_thumbnail(data)
    if thumbnail is None:
        return placeholder(f"{unavailable}: {label('image_unreadable', 'en')}")
    return void(
        "img",
        src=data_uri("image/jpeg", thumbnail.jpeg),
        alt=f"Photograph {p.photo_id}: {term(p.role, 'en')}",
        width=thumbnail.width,
        height=thumbnail.height,
    )


# --- 6. checks ------------------------------------------------------------------------------------


def _checks(r: _Report) -> Html | None:
    checks = r.v.report.checks
    if not checks:
        return None
    rows = (_check_row(c) for c in checks)
    return blocks(
        note(
            "Each kind of check, how many times it was performed on this bundle, and how many "
            "times it failed. A check with nothing to examine is not a failure."
        ),
        _table(["Check", "Performed", "Failed", "Result"], rows, class_="checks"),
    )


def _check_row(c: Check) -> Html:
    if c.performed == 0:
        result: Node = "nothing to check"
    elif c.failed:
        result = el("strong", "FAILED", class_="failed")
    else:
        result = "passed"
    return row([c.name, str(c.performed), str(c.failed), result])


# --- 7. problems and notices ----------------------------------------------------------------------


def _problems(r: _Report) -> Html:
    problems = r.v.report.problems
    if not problems:
        table: Html | None = el("p", "No problem was found.", class_="none")
    else:
        rows = (_problem_row(n, p) for n, p in enumerate(problems, start=1))
        headers = ["Code", "Where", "What the verifier found", "What it means"]
        table = blocks(
            _table(headers, rows, class_="problems"), _omitted(r.v.report.problems_omitted)
        )
    notices = r.v.report.notices
    notice_rows = (
        row([code(n.code), str(n.where), n.message, _explain_notice(n.code)]) for n in notices
    )
    return blocks(
        table,
        el(
            "section",
            el("h3", "Things to note", id="notices-heading"),
            note(
                "These are facts recorded in the bundle that you should see; they are not failures."
            ),
            blocks(
                _table(
                    ["Code", "Where", "What was recorded", "What it means"],
                    notice_rows,
                    class_="notices",
                ),
                _omitted(r.v.report.notices_omitted),
            )
            if notices
            else el("p", "Nothing to note.", class_="none"),
            id="notices",
            aria_labelledby="notices-heading",
        ),
    ) or Html("")


def _omitted(count: int) -> Html | None:
    """The note under a list cut at the verifier's limit (the checks table counts all)."""
    if not count:
        return None
    return note(
        f"{count:,} more not listed: the verifier lists the first {MAX_LISTED:,} and counts "
        "the rest in the table of checks."
    )


def _problem_row(number: int, p: Problem) -> Html:
    meaning = explain_problem(p.code)
    kind = "untrusted" if p.code in UNTRUSTED_CODES else None
    return row(
        [code(p.code), str(p.where), p.message, meaning], id=f"problem-{number}", class_=kind
    )


# --- 8. how to check this yourself ----------------------------------------------------------------


def _check_yourself(r: _Report) -> Html:
    trust = shlex.quote(r.trust_source) if r.trust_source else "TRUST"
    command = f"custody verify {shlex.quote(r.v.bundle)} --trust {trust}"
    where_trust = (
        ""
        if r.trust_source
        else " Replace TRUST with the trust policy file listing the keys you accept."
    )
    return blocks(
        el(
            "p",
            "Anyone can repeat this verification on their own computer, without a network "
            "connection, with the custody tool:",
        ),
        el("pre", code(command), class_="command"),
        el(
            "p",
            f"It checks the same things and gives the same verdict.{where_trust} "
            "The bundle is an ordinary ZIP file; the README.txt inside it explains its format, "
            "so that it can also be checked with other tools.",
        ),
    ) or Html("")


# --- the document ---------------------------------------------------------------------------------

# Even if a bug let markup through the escaping, the browser would run no script and fetch
# nothing: only the inline style and data: images are allowed.
_CONTENT_SECURITY_POLICY = (
    "default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
    "base-uri 'none'; form-action 'none'"
)

_BUNDLE_STYLE: Final = """
.verdict-box { border: 2.5pt solid #1b5e20; background: #eef7ee; padding: 2mm 5mm;
  margin: 0 0 5mm; break-inside: avoid; page-break-inside: avoid; }
.verdict-box.fail { border-color: #a00; background: #fdf0ef; }
.verdict-box .headline { font: 700 13.5pt/1.3 "Helvetica Neue", Arial, "DejaVu Sans",
  sans-serif; margin: 2mm 0; }
.verdict-box ol { margin: 1mm 0 2mm; padding-left: 6mm; }
.verdict-box li { margin-bottom: 1mm; }
.verdict-box .detail, .verdict-box .where { font-size: 9pt; }
code.hash { word-break: break-all; overflow-wrap: anywhere; }
.file-status.changed, .file-status.missing, .failed, .untrusted { color: #a00;
  font-weight: 700; }
.trusted { color: #1b5e20; }
tr.has-problem td { background: #fff4d6; }
figure.timeline svg { display: block; width: 100%; max-width: 100%; height: auto; }
figure.timeline figcaption { font-size: 9pt; margin-top: 1.5mm; }
ol.seal-notes { font-size: 9pt; padding-left: 7mm; }
.diagram-grid { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 5mm; }
.diagram-grid img { display: block; max-width: 100%; height: auto; border: 0.5pt solid #ccc; }
pre.command { white-space: pre-wrap; background: #f4f4f4; border: 0.5pt solid #bbb;
  padding: 2mm 3mm; }
table.events { font-size: 8pt; }
table.problems code, table.notices code { overflow-wrap: break-word; word-break: normal; }
table.events td, table.events code { overflow-wrap: break-word; word-break: normal; }
table.events td:nth-child(6), table.events time { white-space: nowrap; }
tbody { break-inside: auto; page-break-inside: auto; }
@media print {
  .verdict-box, tr.has-problem td, pre.command {
    -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  figure.timeline { break-inside: avoid; page-break-inside: avoid; }
  figure.timeline svg { max-height: 250mm; }
  nav.contents { display: none; }
}
"""

_SECTIONS: Final = (
    ("bundle", "About this bundle"),
    ("items", "Items and their files"),
    ("timeline", "Custody timeline"),
    ("signers", "Who signed"),
    ("evaluations", "Medical evaluations"),
    ("checks", "Every check performed"),
    ("problems", "Problems found"),
    ("check-yourself", "How to check this yourself"),
)


def render_bundle_report(
    verification: BundleVerification, *, trust_source: str | None = None
) -> str:
    """The verification report of a court bundle: one self-contained HTML5 document.

    The verdict comes first, then the items and their files, the custody timeline (figure
    and table), the signers, the medical evaluations, every check, every problem explained,
    and how to repeat the verification. See the module's docstring for what it holds.

    Args:
        verification: the bundle verifier's outcome. Everything it carries from the bundle
            is treated as untrusted text and escaped.
        trust_source: the trust policy file the verification used, as the reader would
            name it on a command line; shown in the command to repeat it.

    Returns:
        The HTML text; the same arguments always give the same text.
    """
    r = _Report.of(verification, trust_source)
    bodies = {
        "bundle": _facts(r),
        "items": _items(r),
        "timeline": _timeline(r),
        "signers": _signers(r),
        "evaluations": _evaluations(r),
        "checks": _checks(r),
        "problems": _problems(r),
        "check-yourself": _check_yourself(r),
    }
    main = el("main", (_section(key, title, bodies[key]) for key, title in _SECTIONS))
    body = el("body", _header(r), main, _footer(r), class_="bundle-report")
    return "<!DOCTYPE html>\n" + el("html", _head(r), body, lang="en") + "\n"


def _head(r: _Report) -> Html:
    title = f"Bundle verification report \u2014 {r.v.case or r.v.bundle}"
    return el(
        "head",
        void("meta", charset="utf-8"),
        void("meta", http_equiv="Content-Security-Policy", content=_CONTENT_SECURITY_POLICY),
        void("meta", name="viewport", content="width=device-width, initial-scale=1"),
        void("meta", name="generator", content="custody"),
        el("title", title),
        el("style", Html(STYLESHEET + _BUNDLE_STYLE)),
    )


def _header(r: _Report) -> Html:
    contents = el("ol", (el("li", link(key, title)) for key, title in _SECTIONS))
    return el(
        "header",
        el("p", "Custody bundle", class_="kicker"),
        el("h1", "Verification report"),
        _verdict(r),
        el("nav", el("h2", "Contents"), contents, class_="contents", aria_label="Contents"),
    )


def _section(key: str, title: str, body: Html | None) -> Html:
    heading = f"{key}-heading"
    return el(
        "section",
        el("h2", title, id=heading),
        body or el("p", "None in this bundle.", class_="none"),
        id=key,
        aria_labelledby=heading,
    )


def _footer(r: _Report) -> Html:
    verdict = "verified" if r.v.ok else "NOT verified"
    parts = [f"Bundle {r.v.bundle}", f"case {r.v.case or 'not stated'}", verdict]
    return el("footer", el("p", " \u00b7 ".join(parts)))
