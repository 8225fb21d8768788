"""Evaluation documents as JSON: read all problems at once, write a normal form, give the schema.

The medical model is made of frozen attrs classes whose annotations say what each field
holds. This module walks those annotations, so the JSON reader, the JSON writer and the
published JSON Schema cannot disagree with the model or with each other.

Types a field may have: ``str``, ``int``, ``bool``, ``datetime`` (ISO 8601 with a UTC offset),
``date`` (``YYYY-MM-DD``), a string enumeration, another model class, ``tuple[X, ...]``
(a JSON array) and ``X | None`` (may be omitted). Fields with a default may be left out.
"""

from __future__ import annotations

import enum
import re
import types
import typing
from datetime import date, datetime
from typing import Any, TypeVar

import attrs

from custody.errors import InvalidInput
from custody.medical._fields import MAX_LIST, InconsistentFields
from custody.model import utc_datetime

T = TypeVar("T")

#: The JSON Schema dialect of :func:`json_schema`.
SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
_MAX_PROBLEMS = 1000  # a document wrong everywhere still gets a readable answer


@attrs.frozen
class FieldProblem:
    """One problem of a document: where (an RFC 6901 JSON Pointer) and what."""

    pointer: str
    message: str

    def __str__(self) -> str:
        return f"{self.pointer or '/'}: {self.message}"


class DocumentError(InvalidInput):
    """A document with problems; ``problems`` lists every one with its field.

    Attributes:
        problems: each problem with the JSON Pointer of the field that causes it.
    """

    def __init__(self, what: str, problems: list[FieldProblem]) -> None:
        shown = "; ".join(str(p) for p in problems[:5])
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        count = "1 problem" if len(problems) == 1 else f"{len(problems)} problems"
        super().__init__(f"{count}: {shown}{more}", field=what)
        self.problems = tuple(problems)


def pointer_to(parent: str, key: str | int) -> str:
    """The JSON Pointer of ``key`` inside ``parent`` (RFC 6901 escaping)."""
    token = str(key).replace("~", "~0").replace("/", "~1")
    token = token.encode("utf-8", "backslashreplace").decode("utf-8")  # lone surrogates
    return f"{parent}/{token}"


# -- reading -----------------------------------------------------------------------------


class _Reader:
    """Collects problems while converting JSON values to model values."""

    def __init__(self) -> None:
        self.problems: list[FieldProblem] = []

    def fail(self, pointer: str, message: str) -> None:
        if len(self.problems) < _MAX_PROBLEMS:
            self.problems.append(FieldProblem(pointer, message))

    def read(self, kind: Any, value: Any, pointer: str) -> Any:
        """``value`` as ``kind``, or ``_INVALID`` after recording why not."""
        if value is None:  # one normal form: an absent optional field is left out
            self.fail(pointer, "must not be null (leave an optional field out instead)")
            return _INVALID
        if _optional_of(kind) is not None:
            return self.read(_optional_of(kind), value, pointer)
        reader = _SCALAR_READERS.get(kind)
        if reader is not None:
            return self._scalar(reader, value, pointer)
        if typing.get_origin(kind) is tuple:
            return self._array(typing.get_args(kind)[0], value, pointer)
        if isinstance(kind, type) and issubclass(kind, enum.Enum):
            return self._enum(kind, value, pointer)
        if attrs.has(kind):
            return self.read_object(kind, value, pointer)
        raise TypeError(f"no JSON form for {kind!r}")  # a model bug, not bad input

    def read_object(self, cls: type[Any], value: Any, pointer: str) -> Any:
        if not isinstance(value, dict):
            self.fail(pointer, "must be an object")
            return _INVALID
        fields = attrs.fields_dict(cls)
        for key in value.keys() - fields.keys():
            self.fail(pointer_to(pointer, key), "is not a field of this object")
        values: dict[str, Any] = {}
        for name, attribute in fields.items():
            inner = pointer_to(pointer, name)
            if name not in value:
                if attribute.default is attrs.NOTHING:
                    self.fail(inner, "is required")
                    values[name] = _INVALID
                continue
            values[name] = self.read(_field_types(cls)[name], value[name], inner)
            if not self._passes(attribute, values[name], inner):
                values[name] = _INVALID  # recorded; construction would fail on it again
        if any(v is _INVALID for v in values.values()):
            return _INVALID
        return self._construct(cls, values, pointer)

    def _construct(self, cls: type[Any], values: dict[str, Any], pointer: str) -> Any:
        try:
            return cls(**values)
        except InvalidInput as exc:  # rules across fields, raised after construction
            fields = attrs.fields_dict(cls)
            for field, message in _problems_of(exc):
                self.fail(pointer_to(pointer, field) if field in fields else pointer, message)
            return _INVALID

    def _passes(self, attribute: attrs.Attribute[Any], value: Any, pointer: str) -> bool:
        """Run the field's own validator, so every field's problem is reported, not the first."""
        if value is _INVALID or attribute.validator is None:
            return True
        try:
            attribute.validator(None, attribute, value)
        except InvalidInput as exc:
            self.fail(pointer, _message(exc))
            return False
        return True

    def _scalar(self, reader: Any, value: Any, pointer: str) -> Any:
        try:
            return reader(value)
        except InvalidInput as exc:
            self.fail(pointer, _message(exc))
        except (ValueError, TypeError) as exc:
            self.fail(pointer, str(exc))
        return _INVALID

    def _array(self, kind: Any, value: Any, pointer: str) -> tuple[Any, ...] | Any:
        if not isinstance(value, list):
            self.fail(pointer, "must be an array")
            return _INVALID
        if len(value) > MAX_LIST:  # before reading: a huge list costs nothing to refuse
            self.fail(pointer, f"lists more than {MAX_LIST}")
            return _INVALID
        read = tuple(self.read(kind, v, pointer_to(pointer, i)) for i, v in enumerate(value))
        return _INVALID if any(v is _INVALID for v in read) else read

    def _enum(self, kind: type[enum.Enum], value: Any, pointer: str) -> Any:
        try:
            return kind(value)
        except ValueError:
            allowed = ", ".join(str(m.value) for m in kind)
            self.fail(pointer, f"{value!r} is not one of: {allowed}")
            return _INVALID


def _problems_of(exc: InvalidInput) -> tuple[tuple[str | None, str], ...]:
    """Each ``(field, message)`` that ``exc`` reports: all of them for inconsistent fields."""
    if isinstance(exc, InconsistentFields):
        return exc.problems
    return ((exc.field, _message(exc)),)


def _message(exc: InvalidInput) -> str:
    """The message of ``exc`` without the field name it starts with (the pointer says it)."""
    text = str(exc)
    return text.removeprefix(f"{exc.field}: ") if exc.field else text


_INVALID: Any = object()  # marks a value that could not be read (its problem is recorded)


def read_document(cls: type[T], data: Any, *, what: str = "document") -> T:
    """Build a model object from decoded JSON, reporting every problem at once.

    Raises:
        DocumentError: listing each problem with the JSON Pointer of its field.
    """
    reader = _Reader()
    result = reader.read_object(cls, data, "")
    if reader.problems or result is _INVALID:
        raise DocumentError(what, reader.problems or [FieldProblem("", "is not valid")])
    return typing.cast(T, result)


def _read_text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError("must be a string")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate from a JSON \ud800 escape
        raise ValueError("contains a character that is not valid Unicode") from None
    return value


def _read_int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError("must be an integer")
    return value


def _read_bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise TypeError("must be true or false")
    return value


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})")


def _read_datetime(value: Any) -> datetime:
    if not isinstance(value, str) or not _DATETIME.fullmatch(value):
        raise ValueError(
            "must be an ISO 8601 date and time with its UTC offset, like 2024-03-14T09:30:00+01:00"
        )
    return utc_datetime(datetime.fromisoformat(value))


def _read_date(value: Any) -> date:
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        raise ValueError("must be a date like 2024-03-14")
    return date.fromisoformat(value)


_SCALAR_READERS: dict[Any, Any] = {
    str: _read_text,
    int: _read_int,
    bool: _read_bool,
    datetime: _read_datetime,
    date: _read_date,
}


# -- writing -----------------------------------------------------------------------------


def write_document(obj: Any) -> dict[str, Any]:
    """The JSON form of a model object: fields left at their default are omitted.

    The result is the normal form: reading it back gives an equal object, and writing that
    gives the same JSON.
    """
    written = _write(obj)
    assert isinstance(written, dict)
    return written


def _write(value: Any) -> Any:
    if attrs.has(type(value)):
        out = {}
        for attribute in attrs.fields(type(value)):
            field_value = getattr(value, attribute.name)
            if attribute.default is not attrs.NOTHING and field_value == _default(attribute):
                continue
            out[attribute.name] = _write(field_value)
        return out
    if isinstance(value, tuple):
        return [_write(v) for v in value]
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _default(attribute: attrs.Attribute[Any]) -> Any:
    default = attribute.default
    if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
        return default.factory()  # type: ignore[union-attr]
    return default


# -- the schema --------------------------------------------------------------------------


def json_schema(cls: type[Any], *, title: str, schema_id: str) -> dict[str, Any]:
    """A JSON Schema (draft 2020-12) of documents that :func:`read_document` reads.

    The schema describes shapes, types and enumerations; the rules across fields (the
    Protocol's validation rules) are checked by :func:`custody.medical.validate`.
    """
    definitions: dict[str, Any] = {}
    root = _object_schema(cls, definitions)
    return {
        "$schema": SCHEMA_DIALECT,
        "$id": schema_id,
        "title": title,
        **root,
        "$defs": dict(sorted(definitions.items())),
    }


def _object_schema(cls: type[Any], definitions: dict[str, Any]) -> dict[str, Any]:
    docs = attribute_docs(cls)
    properties: dict[str, Any] = {}
    required = []
    for attribute in attrs.fields(cls):
        schema = _type_schema(_field_types(cls)[attribute.name], definitions)
        if attribute.name in docs:
            schema = {"description": docs[attribute.name], **schema}
        properties[attribute.name] = schema
        if attribute.default is attrs.NOTHING:
            required.append(attribute.name)
    out: dict[str, Any] = {"type": "object"}
    summary = _summary(cls)
    if summary:
        out["description"] = summary
    out.update({"properties": properties, "required": required, "additionalProperties": False})
    return out


def _type_schema(kind: Any, definitions: dict[str, Any]) -> dict[str, Any]:
    optional = _optional_of(kind)
    if optional is not None:
        return _type_schema(optional, definitions)  # optional fields may be omitted
    if kind is str:
        return {"type": "string"}
    if kind is bool:
        return {"type": "boolean"}
    if kind is int:
        return {"type": "integer"}
    if kind is datetime:
        return {"type": "string", "format": "date-time"}
    if kind is date:
        return {"type": "string", "format": "date"}
    if typing.get_origin(kind) is tuple:
        return {"type": "array", "items": _type_schema(typing.get_args(kind)[0], definitions)}
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return _definition(kind, definitions, lambda: _enum_schema(kind))
    if attrs.has(kind):
        return _definition(kind, definitions, lambda: _object_schema(kind, definitions))
    raise TypeError(f"no JSON form for {kind!r}")


def _definition(kind: type[Any], definitions: dict[str, Any], build: Any) -> dict[str, Any]:
    if kind.__name__ not in definitions:
        definitions[kind.__name__] = {}  # placeholder, so recursive models terminate
        definitions[kind.__name__] = build()
    return {"$ref": f"#/$defs/{kind.__name__}"}


def _enum_schema(kind: type[enum.Enum]) -> dict[str, Any]:
    return {
        "description": _summary(kind),
        "type": "string",
        "enum": [member.value for member in kind],
    }


# -- annotations and docstrings ----------------------------------------------------------


_FIELD_TYPES: dict[type[Any], dict[str, Any]] = {}


def _field_types(cls: type[Any]) -> dict[str, Any]:
    """The resolved annotations of a model class (resolved once per class)."""
    if cls not in _FIELD_TYPES:
        _FIELD_TYPES[cls] = typing.get_type_hints(cls)
    return _FIELD_TYPES[cls]


def _optional_of(kind: Any) -> Any:
    """``X`` for ``X | None``, else ``None``."""
    if typing.get_origin(kind) not in (typing.Union, types.UnionType):
        return None
    others = [arg for arg in typing.get_args(kind) if arg is not type(None)]
    return others[0] if len(others) == 1 else None


def _summary(cls: type[Any]) -> str:
    doc = (cls.__doc__ or "").strip()
    return " ".join(doc.split("\n\n", 1)[0].split())


def attribute_docs(cls: type[Any]) -> dict[str, str]:
    """The descriptions of a class's fields, from its docstring's ``Attributes:`` section."""
    doc = cls.__doc__ or ""
    if "Attributes:" not in doc:
        return {}
    docs: dict[str, str] = {}
    name = None
    for line in doc.split("Attributes:", 1)[1].splitlines():
        entry = re.fullmatch(r"\s{4,8}(\w+): (.*)", line)
        if entry and entry.group(1) in attrs.fields_dict(cls):
            name = entry.group(1)
            docs[name] = entry.group(2).strip()
        elif name and line.strip():
            docs[name] += " " + line.strip()
        elif not line.strip() and name:
            name = None
    return docs
