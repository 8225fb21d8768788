"""Field declarations shared by the medical models, so each model states its rules in a word.

Every helper returns an ``attrs.field`` whose validator raises
:class:`~custody.errors.InvalidInput`; the document reader runs these validators one field at a
time, so a document with many problems reports all of them. Rules across the fields of one
object are checked after construction and refused together with :func:`refuse_inconsistencies`,
for the same reason.
"""

from __future__ import annotations

import enum
import re
import uuid
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any, TypeVar

import attrs

from custody.errors import InvalidInput
from custody.model import check_text, utc_datetime

E = TypeVar("E", bound=enum.Enum)
#: A broken rule across the fields of one object: the field that causes it, and why.
FieldConflict = tuple[str, str]

_LOCAL_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*")  # BCP 47, loosely
_HEX_KEY = re.compile(r"[0-9a-f]{64}")
MAX_LIST = 2000  # entries of any one list in a document
MAX_TEXT = 20_000  # a narrative, a rationale: long, but bounded
MAX_SHORT = 500  # names, titles, codes: one line


class InconsistentFields(InvalidInput):
    """An object whose fields contradict each other, with every rule they break.

    ``field`` and the message are the first problem's, so a caller expecting one problem
    still reads a clear one.

    Attributes:
        problems: each broken rule as ``(field, message)``, in the order checked.
    """

    def __init__(self, problems: Sequence[FieldConflict]) -> None:
        (field, message), others = problems[0], len(problems) - 1
        super().__init__(f"{message} (and {others} more)" if others else message, field=field)
        self.problems = tuple(problems)


def refuse_inconsistencies(problems: Sequence[FieldConflict]) -> None:
    """Raise :class:`InconsistentFields` with ``problems``, if there are any.

    Models check every rule across their fields before calling this, so one reading of a
    document reports all of them.
    """
    if problems:
        raise InconsistentFields(problems)


def _validator(check: Callable[[Any], None]) -> Callable[[Any, Any, Any], None]:
    def validate(_: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        try:
            check(value)
        except InvalidInput as exc:
            raise InvalidInput(str(exc), field=attribute.name) from None

    return validate


def _unless_none(check: Callable[[Any], None]) -> Callable[[Any], None]:
    def check_present(value: Any) -> None:
        if value is not None:
            check(value)

    return check_present


def _text_check(limit: int, *, one_line: bool, optional: bool) -> Callable[[Any], None]:
    def check(value: Any) -> None:
        if value is None:
            if not optional:
                raise InvalidInput("is required")
            return
        check_text(value, "", limit=limit)  # no field name: the caller names the field
        if one_line and "\n" in value:
            raise InvalidInput("must be one line")

    return check


def text(*, limit: int = MAX_TEXT) -> Any:
    """A required free text (newlines allowed)."""
    return attrs.field(validator=_validator(_text_check(limit, one_line=False, optional=False)))


def short() -> Any:
    """A required one-line text: names, titles, codes."""
    return attrs.field(validator=_validator(_text_check(MAX_SHORT, one_line=True, optional=False)))


def optional_text(*, limit: int = MAX_TEXT) -> Any:
    """An optional free text."""
    return attrs.field(
        default=None, validator=_validator(_text_check(limit, one_line=False, optional=True))
    )


def optional_short() -> Any:
    """An optional one-line text."""
    return attrs.field(
        default=None, validator=_validator(_text_check(MAX_SHORT, one_line=True, optional=True))
    )


def check_local_id(value: Any) -> None:
    """An identifier inside one document: 1-64 letters, digits and ``. _ -``."""
    if not isinstance(value, str) or not _LOCAL_ID.fullmatch(value):
        raise InvalidInput(
            f"{value!r} is not a valid identifier (1-64 letters, digits and . _ -, "
            "starting with a letter or digit)"
        )


def local_id() -> Any:
    """A required identifier of a part of the document (a finding, a session...)."""
    return attrs.field(validator=_validator(check_local_id))


def reference() -> Any:
    """A required reference to another part of the document, by its identifier."""
    return attrs.field(validator=_validator(check_local_id))


def optional_reference() -> Any:
    """An optional reference to another part of the document."""
    return attrs.field(default=None, validator=_validator(_unless_none(check_local_id)))


def references(*, at_least: int = 0) -> Any:
    """A list of references to other parts of the document, without repeats."""

    def check(value: Any) -> None:
        _check_list(value, at_least)
        for entry in value:
            check_local_id(entry)
        if len(set(value)) != len(value):
            raise InvalidInput("names the same identifier twice")

    return attrs.field(default=(), converter=tuple, validator=_validator(check))


def listing(*, at_least: int = 0) -> Any:
    """A list of model objects or enumeration members (the reader checks their types)."""
    return attrs.field(
        default=() if at_least == 0 else attrs.NOTHING,
        converter=tuple,
        validator=_validator(lambda v: _check_list(v, at_least)),
    )


def members(kind: type[E], *, at_least: int = 0) -> Any:
    """A list of distinct members of an enumeration."""

    def convert(value: Any) -> tuple[E, ...]:
        return tuple(_member(kind, v) for v in value)

    def check(value: Any) -> None:
        _check_list(value, at_least)
        if len(set(value)) != len(value):
            raise InvalidInput("lists the same value twice")

    return attrs.field(
        default=() if at_least == 0 else attrs.NOTHING,
        converter=convert,
        validator=_validator(check),
    )


def _check_list(value: Any, at_least: int) -> None:
    if len(value) < at_least:
        raise InvalidInput(f"must list at least {at_least}")
    if len(value) > MAX_LIST:
        raise InvalidInput(f"lists more than {MAX_LIST}")


def choice(kind: type[E]) -> Any:
    """A required member of an enumeration (its value is accepted too)."""
    return attrs.field(converter=lambda v: _member(kind, v))


def optional_choice(kind: type[E]) -> Any:
    """An optional member of an enumeration."""
    return attrs.field(default=None, converter=lambda v: None if v is None else _member(kind, v))


def _member(kind: type[E], value: Any) -> E:
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(str(m.value) for m in kind)
        raise InvalidInput(f"{value!r} is not one of: {allowed}", field=kind.__name__) from None


def count(*, minimum: int = 0, maximum: int = 2**31) -> Any:
    """A required bounded integer."""
    return attrs.field(validator=_validator(_int_check(minimum, maximum)))


def optional_count(*, minimum: int = 0, maximum: int = 2**31) -> Any:
    """An optional bounded integer."""
    check = _int_check(minimum, maximum)
    return attrs.field(default=None, validator=_validator(_unless_none(check)))


def _int_check(minimum: int, maximum: int) -> Callable[[Any], None]:
    def check(value: Any) -> None:
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidInput("must be an integer")
        if not minimum <= value <= maximum:
            raise InvalidInput(f"must be from {minimum} to {maximum}")

    return check


def check_language(value: Any) -> None:
    """A BCP 47 language tag such as ``en``, ``ar`` or ``es-MX`` (checked for shape only)."""
    if not isinstance(value, str) or not _LANGUAGE.fullmatch(value):
        raise InvalidInput(f"{value!r} is not a language tag (BCP 47, like en or es-MX)")


def language() -> Any:
    """A required language tag."""
    return attrs.field(validator=_validator(check_language))


def languages(*, at_least: int = 1) -> Any:
    """A list of distinct language tags."""

    def check(value: Any) -> None:
        _check_list(value, at_least)
        for entry in value:
            check_language(entry)
        if len(set(value)) != len(value):
            raise InvalidInput("lists the same language twice")

    return attrs.field(converter=tuple, validator=_validator(check))


def check_uuid4(value: Any) -> None:
    """A random (version 4) UUID in its canonical lower-case form."""
    try:
        parsed = uuid.UUID(value) if isinstance(value, str) else None
    except ValueError:
        parsed = None
    if parsed is None or parsed.version != 4 or str(parsed) != value:
        raise InvalidInput(
            f"{value!r} is not a random UUID (version 4, lower case, like "
            "0b5f2c6e-4c1d-4a8e-9f3b-2d7c1e5a9b40)"
        )


def random_id() -> Any:
    """A required random UUID: never derived from a name or a date."""
    return attrs.field(validator=_validator(check_uuid4))


def check_hex_digest(value: Any) -> None:
    """A SHA-256 digest or key id as 64 lower-case hexadecimal digits."""
    if not isinstance(value, str) or not _HEX_KEY.fullmatch(value):
        raise InvalidInput("must be 64 lower-case hexadecimal digits (a SHA-256 value)")


def hex_digest() -> Any:
    """A required SHA-256 value or key id in hexadecimal."""
    return attrs.field(validator=_validator(check_hex_digest))


def optional_hex_digest() -> Any:
    """An optional SHA-256 value in hexadecimal."""
    return attrs.field(default=None, validator=_validator(_unless_none(check_hex_digest)))


def flag() -> Any:
    """A required yes/no answer: stating it is part of the record."""
    return attrs.field(validator=_validator(_check_bool))


def optional_flag() -> Any:
    """An optional yes/no answer."""
    return attrs.field(default=None, validator=_validator(_unless_none(_check_bool)))


def _check_bool(value: Any) -> None:
    if not isinstance(value, bool):
        raise InvalidInput("must be true or false")


def moment() -> Any:
    """A required date and time, kept in UTC at millisecond precision."""
    return attrs.field(converter=lambda v: utc_datetime(v, "time"))


def optional_moment() -> Any:
    """An optional date and time."""
    return attrs.field(default=None, converter=lambda v: None if v is None else utc_datetime(v))


def day() -> Any:
    """A required calendar date."""
    return attrs.field(validator=_validator(_check_date))


def optional_day() -> Any:
    """An optional calendar date."""
    return attrs.field(default=None, validator=_validator(_unless_none(_check_date)))


def _check_date(value: Any) -> None:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise InvalidInput("must be a date")
