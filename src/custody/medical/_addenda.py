"""The addenda of an evaluation across its versions: changes after sealing stay traceable.

Once an evaluation is sealed, every later version carries the notes (``addenda``) of the
versions before it, unchanged, and adds one note per addendum saying which sealed version it
replaces, why, and which fields changed. Until that addendum is sealed, a new draft may
correct its note, which must still name the same sealed version and list exactly the fields
changed since it. The rules are checked on documents as stored (JSON-like data), so the
lifecycle functions and the verifier of stored records apply the same ones.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from custody.medical._commitments import leaves, plain

_ADDENDA = "/addenda/"


def changed_fields(before: Mapping[str, Any], after: Mapping[str, Any]) -> tuple[str, ...]:
    """The JSON Pointers of the fields that differ between two documents, addenda aside."""
    old, new = leaves(before), leaves(after)
    absent = object()
    return tuple(
        sorted(
            pointer
            for pointer in old.keys() | new.keys()
            if not pointer.startswith(_ADDENDA)
            and old.get(pointer, absent) != new.get(pointer, absent)
        )
    )


def notes(document: Mapping[str, Any]) -> list[Any]:
    """The addenda notes of a document, oldest first, as plain dicts and lists."""
    found = plain(document.get("addenda"))
    return found if isinstance(found, list) else []


@attrs.frozen
class VersionHistory:
    """What the versions of one evaluation recorded so far require of the next one.

    Attributes:
        current: the document of the version in force; ``None`` before the first.
        replaced: the document of the sealed version the newest addendum replaced;
            ``None`` before the first addendum.
    """

    current: Mapping[str, Any] | None = None
    replaced: Mapping[str, Any] | None = None

    def problems(
        self, document: Mapping[str, Any], *, addendum: bool, supersedes: bytes | None = None
    ) -> list[str]:
        """What is wrong with ``document`` as the next version: a draft, or an addendum
        replacing the sealed version whose evaluation digest is ``supersedes``."""
        before = notes(self.current) if self.current is not None else []
        now = notes(document)
        if addendum:
            return _addendum_problems(before, now, self.current or {}, document, supersedes)
        if self.replaced is None:
            return _kept(before, now, len(before)) + _added(before, now, 0, "a new draft")
        return _corrected_note_problems(before, now, self.replaced, document)

    def after(self, document: Mapping[str, Any], *, addendum: bool) -> VersionHistory:
        """The history once ``document`` is the version in force."""
        return VersionHistory(document, self.current if addendum else self.replaced)


def _addendum_problems(
    before: Sequence[Any],
    now: Sequence[Any],
    sealed: Mapping[str, Any],
    document: Mapping[str, Any],
    supersedes: bytes | None,
) -> list[str]:
    problems = _kept(before, now, len(before)) + _added(before, now, 1, "an addendum")
    if problems:
        return problems
    newest = now[-1]
    if supersedes is not None and _field(newest, "supersedes") != supersedes.hex():
        problems.append(
            "the addendum's note names another sealed version than the one the addendum replaces"
        )
    return problems + _listed_changes(newest, changed_fields(sealed, document))


def _corrected_note_problems(
    before: Sequence[Any],
    now: Sequence[Any],
    replaced: Mapping[str, Any],
    document: Mapping[str, Any],
) -> list[str]:
    """A draft of an addendum not yet sealed: its note may be corrected, not dropped."""
    if not before:  # the addendum came without its note (reported then): none to correct
        return _added(before, now, 0, "a new draft")
    problems = _kept(before, now, len(before) - 1) + _added(before, now, 0, "a new draft")
    if problems:
        return problems
    if _field(now[-1], "supersedes") != _field(before[-1], "supersedes"):
        problems.append("the addendum's note no longer names the sealed version it replaces")
    return problems + _listed_changes(now[-1], changed_fields(replaced, document))


def _kept(before: Sequence[Any], now: Sequence[Any], count: int) -> list[str]:
    if list(now[:count]) == list(before[:count]):
        return []
    return [f"the notes of earlier addenda are not all kept unchanged ({count} must be)"]


def _added(before: Sequence[Any], now: Sequence[Any], expected: int, what: str) -> list[str]:
    added = len(now) - len(before)
    if added == expected:
        return []
    if added < 0:
        return [f"{what} drops {-added} of the {len(before)} addendum note(s) recorded before"]
    return [f"{what} adds {expected} addendum note(s), not {added}"]


def _listed_changes(note: Any, changed: tuple[str, ...]) -> list[str]:
    listed = _field(note, "changed")
    pointers = isinstance(listed, list) and all(isinstance(p, str) for p in listed)
    if pointers and sorted(listed) == list(changed):
        return []
    return [
        "the addendum's note does not list exactly the fields changed since the sealed "
        f"version ({', '.join(changed) or 'none'})"
    ]


def _field(note: Any, name: str) -> Any:
    return note.get(name) if isinstance(note, Mapping) else None
