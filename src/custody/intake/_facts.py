"""Facts about a piece of evidence, each labelled with where it came from.

A fact read from a file's own metadata (a camera clock, a GPS fix) is a claim made by a device
nobody at the intake controlled; a fact the operator typed is a statement by a person; a fact the
intake machine measured (a size, a decode check) is an observation. A court weighs the three
differently, so every :class:`Fact` says which one it is.

Fact values go into signed, deterministic CBOR, which refuses floats: a value is text, an
integer, a boolean, or a map or tuple of those, nested a few levels at most.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any, Protocol, TypeAlias, TypeVar

import attrs

from custody.errors import InvalidInput
from custody.model import FrozenMap, check_text, enum_member, expect_map

FactValue: TypeAlias = "str | int | bool | Mapping[str, FactValue] | tuple[FactValue, ...]"

#: Deepest nesting of maps and tuples inside one fact value.
MAX_DEPTH = 4
#: Most entries in one map or tuple of a fact value.
MAX_ENTRIES = 1000
_KEY_LIMIT = 128
_INT_RANGE = range(-(1 << 64), 1 << 64)  # what a CBOR integer head can carry (RFC 8949 §3.1)


class _Dictable(Protocol):
    def to_dict(self) -> dict[str, Any]: ...


_D = TypeVar("_D", bound=_Dictable)


class FactSource(enum.StrEnum):
    """Where a fact came from."""

    FILE = "file"  # the file's own metadata, e.g. the camera clock; a claim by the device
    OPERATOR = "operator"  # entered by the person doing the intake
    MACHINE = "machine"  # measured or observed by the intake machine


def _frozen_value(value: Any, field: str = "value", depth: int = 0) -> FactValue:
    """Check a fact value and return it frozen: maps as read-only maps, lists as tuples.

    Args:
        value: text, an integer, a boolean, or a map (text keys) or list/tuple of these.
        field: the name reported in errors; nested parts extend it (``value.gps.lat_e7``).
        depth: how deep ``value`` already sits (callers leave it at 0).

    Returns:
        The same value with exact built-in scalar types (enum members become plain text or
        integers) and immutable containers.

    Raises:
        InvalidInput: for floats, ``None``, bytes or any other type, empty or over-long text,
            integers beyond the CBOR range, or containers too deep or too large.
    """
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, int):
        if value not in _INT_RANGE:
            raise InvalidInput("is beyond the CBOR integer range", field=field)
        return int(value)
    if isinstance(value, str):
        text = str.__str__(value)  # a plain str, also for enum members and other subclasses
        check_text(text, field)
        return text
    if not isinstance(value, Mapping | list | tuple):
        raise InvalidInput(
            f"{type(value).__name__} is not allowed: only text, integers, booleans, "
            "maps and lists (no floats)",
            field=field,
        )
    if depth >= MAX_DEPTH:
        raise InvalidInput(f"nests deeper than {MAX_DEPTH} levels", field=field)
    if len(value) > MAX_ENTRIES:
        raise InvalidInput(f"has more than {MAX_ENTRIES} entries", field=field)
    if isinstance(value, Mapping):
        return FrozenMap(
            {_key(k, field): _frozen_value(v, f"{field}.{k}", depth + 1) for k, v in value.items()}
        )
    return tuple(_frozen_value(v, f"{field}[{i}]", depth + 1) for i, v in enumerate(value))


def _plain_value(value: FactValue) -> Any:
    """The CBOR-ready form of a frozen fact value: dicts and lists instead of frozen containers."""
    if isinstance(value, Mapping):
        return {key: _plain_value(item) for key, item in value.items()}
    if isinstance(value, tuple):
        return [_plain_value(item) for item in value]
    return value


def _key(key: Any, field: str) -> str:
    if not isinstance(key, str):
        raise InvalidInput("map keys must be text", field=field)
    text = str.__str__(key)
    check_text(text, f"{field} key", limit=_KEY_LIMIT)
    return text


def _source(value: Any) -> FactSource:
    return enum_member(FactSource, value, "source")


def _note(_: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    check_text(value, attribute.name, limit=500)


@attrs.frozen
class Fact:
    """One fact about a piece of evidence and where it came from.

    Attributes:
        value: text, an integer, a boolean, or a map or tuple of these (never a float).
        source: where the fact came from.
        note: what a reader should know about it, e.g. ``"camera clock, unverified"``.
    """

    value: FactValue = attrs.field(converter=_frozen_value)
    source: FactSource = attrs.field(converter=_source)
    note: str | None = attrs.field(default=None, validator=_note)

    def to_dict(self) -> dict[str, Any]:
        """The fact as a CBOR-ready dict; the note is left out when there is none."""
        out: dict[str, Any] = {"value": _plain_value(self.value), "source": self.source.value}
        if self.note is not None:
            out["note"] = self.note
        return out

    @classmethod
    def from_dict(cls, data: Any) -> Fact:
        """Build a fact from :meth:`to_dict` output (for example decoded CBOR).

        Refuses unknown or missing keys, a ``None`` note (absent notes are left out), floats
        anywhere in the value and anything else :meth:`to_dict` would not write. The input is
        never changed.

        Raises:
            InvalidInput: naming the offending field.
        """
        fields = expect_map(data, "fact", required={"value", "source"}, optional={"note"})
        fact = cls(fields["value"], fields["source"], fields.get("note"))
        return canonical(fact, data, "fact")


def canonical(built: _D, data: dict[str, Any], what: str) -> _D:
    """Return ``built`` if its ``to_dict()`` is exactly ``data``, so one value has one form.

    Raises:
        InvalidInput: naming the first key that differs (a ``None`` or empty value where the
            writer leaves the key out, a tuple where it writes a list, and so on).
    """
    again = built.to_dict()
    if again == data and _same_types(again, data):
        return built
    differing = sorted(k for k in set(again) | set(data) if again.get(k, ...) != data.get(k, ...))
    field = differing[0] if differing else what
    raise InvalidInput(
        "is not in its canonical form (null or empty where the key is left out, "
        "a tuple where a list is written, or a bool where an integer is)",
        field=field,
    )


def _same_types(left: Any, right: Any) -> bool:
    # `True == 1` and `1.0 == 1` in Python; deterministic CBOR tells them apart.
    if type(left) is not type(right):
        return False
    if isinstance(left, dict):
        return all(_same_types(value, right[key]) for key, value in left.items())
    if isinstance(left, list):
        return all(_same_types(a, b) for a, b in zip(left, right, strict=True))
    return True
