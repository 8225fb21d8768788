"""Small value types and validators shared by every model: identifiers, times, digests."""

from __future__ import annotations

import enum
import functools
import re
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import attrs

from custody.errors import InvalidInput

_REFERENCE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # tab and newline are allowed
_SEAL = re.compile(r"[^\x00-\x1f\x7f]{1,64}")
KEY_ID_SIZE = 32
SHA256_SIZE = 32
MAX_TEXT = 4096
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MILLISECOND = timedelta(milliseconds=1)  # built once: every event time passes through here


def check_reference(value: str, field: str) -> str:
    """Validate a case or item reference: 1-128 letters, digits and ``. _ -``.

    References appear in envelopes and become file names in bundles, so they are plain: no
    path separators or characters some file systems refuse. They must never carry a
    person's name (DESIGN.md principle 5).
    """
    if type(value) is str:
        valid = _is_reference(value)
    else:  # a str subclass could hash and compare like a cached reference: match it afresh
        valid = isinstance(value, str) and _REFERENCE.fullmatch(value) is not None
    if not valid:
        raise InvalidInput(
            f"{value!r} is not a valid reference (1-128 letters, digits and . _ -, "
            "starting with a letter or digit)",
            field=field,
        )
    return value


@functools.lru_cache(maxsize=1024)  # a log names the same few cases and items over and over
def _is_reference(value: str) -> bool:
    return _REFERENCE.fullmatch(value) is not None


def check_text(value: str | None, field: str, *, limit: int = MAX_TEXT) -> str | None:
    """Validate free text: non-empty when present, bounded, no control characters but newlines."""
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput("must be non-empty text", field=field)
    if len(value) > limit:
        raise InvalidInput(f"is longer than {limit} characters", field=field)
    if _CONTROL.search(value):
        raise InvalidInput("contains control characters", field=field)
    return value


def check_seal(value: str, field: str) -> str:
    """Validate one seal number as printed on a tamper-evident seal."""
    if not isinstance(value, str) or not _SEAL.fullmatch(value) or value != value.strip():
        raise InvalidInput(
            f"{value!r} is not a valid seal number (1-64 printable characters)", field=field
        )
    return value


def check_digest(value: bytes, field: str, size: int = SHA256_SIZE) -> bytes:
    """Validate a raw digest or key id of exactly ``size`` bytes."""
    if not isinstance(value, bytes) or len(value) != size:
        raise InvalidInput(f"must be {size} bytes", field=field)
    return value


def utc_datetime(value: datetime, field: str = "time") -> datetime:
    """Return ``value`` as an aware UTC datetime truncated to milliseconds.

    Event times are stored as integer milliseconds, so anything finer would not survive a
    round trip; naive datetimes are refused because their zone is a guess.
    """
    if not isinstance(value, datetime) or value.tzinfo is None:
        raise InvalidInput("must be a timezone-aware datetime", field=field)
    if value.tzinfo is UTC and not value.microsecond % 1000:
        return value  # already in the stored form (every decoded event time is)
    try:
        value = value.astimezone(UTC)
    except OverflowError as exc:
        raise InvalidInput("is outside the years 1 to 9999 in UTC", field=field) from exc
    return value.replace(microsecond=value.microsecond // 1000 * 1000)


def to_millis(value: datetime) -> int:
    """Whole milliseconds since the Unix epoch (UTC) for an aware datetime."""
    return (value - _EPOCH) // _MILLISECOND


def from_millis(value: int) -> datetime:
    """The aware UTC datetime for milliseconds since the Unix epoch.

    Raises:
        InvalidInput: if the time is outside the years 1 to 9999.
    """
    if not _MIN_MILLIS <= value <= _MAX_MILLIS:
        raise InvalidInput(f"{value} ms since 1970 is outside the years 1 to 9999", field="time")
    return _EPOCH + _MILLISECOND * value


_MIN_MILLIS = to_millis(datetime.min.replace(tzinfo=UTC))
_MAX_MILLIS = to_millis(datetime.max.replace(tzinfo=UTC, microsecond=999000))


def utc_now() -> datetime:
    """The current time as an aware UTC datetime at millisecond precision."""
    return utc_datetime(datetime.now(UTC))


class FrozenMap(Mapping[str, Any]):
    """A read-only mapping that, unlike ``MappingProxyType``, can be pickled."""

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[str, Any] | None = None) -> None:
        self._data = dict(data or {})

    def __getitem__(self, key: str) -> Any:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __repr__(self) -> str:
        return f"FrozenMap({self._data!r})"

    def __reduce__(self) -> tuple[type[FrozenMap], tuple[dict[str, Any]]]:
        return (FrozenMap, (self._data,))


# attrs validators built on the checks above, so models declare their rules in one word.
AttrsValidator = Callable[[Any, "attrs.Attribute[Any]", Any], None]


def text_field(limit: int = MAX_TEXT, *, one_line: bool = False) -> AttrsValidator:
    """Validator for optional free text of at most ``limit`` characters (one line if asked)."""

    def validate(_: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is None:  # most optional text is absent: skip the call
            return
        check_text(value, attribute.name, limit=limit)
        if one_line and "\n" in value:
            raise InvalidInput("must be one line", field=attribute.name)

    return validate


def digest_field(size: int = SHA256_SIZE) -> AttrsValidator:
    """Validator for a raw digest or key id of exactly ``size`` bytes."""

    def validate(_: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        check_digest(value, attribute.name, size)

    return validate


def reference_field(name: str, *, optional: bool = False) -> AttrsValidator:
    """Validator for a case or item reference reported under ``name``."""

    def validate(_: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not (optional and value is None):
            check_reference(value, name)

    return validate


def count_field(_: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """Validator for a non-negative integer (bools refused)."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 2**63:
        raise InvalidInput("must be a non-negative integer", field=attribute.name)


# Readers of decoded maps, for every model's from_dict.
_E = TypeVar("_E", bound=enum.Enum)


def expect_map(
    data: Any,
    what: str,
    *,
    required: frozenset[str] | set[str],
    optional: frozenset[str] | set[str],
) -> dict[str, Any]:
    """A shallow copy of a decoded map after checking its keys; the input is never changed.

    Raises:
        InvalidInput: if ``data`` is not a dict, lacks a required key or has an unknown one.
    """
    if not isinstance(data, dict):
        raise InvalidInput("must be a map", field=what)
    keys = data.keys()
    if not keys >= required:
        raise InvalidInput(f"is missing {sorted(required - keys)}", field=what)
    unknown = keys - required - optional
    if unknown:
        raise InvalidInput(f"has unknown keys {sorted(map(str, unknown))}", field=what)
    return dict(data)


def enum_member(kind: type[_E], value: Any, field: str) -> _E:
    """The member of ``kind`` whose value is ``value``.

    Raises:
        InvalidInput: naming ``field`` and the allowed values.
    """
    try:
        # The lookup the enum call starts with, minus its two Python-level frames.
        member: _E = _members_by_value(kind)[value]
    except (KeyError, TypeError):
        pass  # not a value, or unhashable: the enum call decides
    else:
        return member
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(m.value for m in kind)
        raise InvalidInput(f"{value!r} is not one of: {allowed}", field=field) from None


@functools.cache  # one map per enum class, which is immutable
def _members_by_value(kind: type[_E]) -> dict[Any, _E]:
    return {member.value: member for member in kind}
