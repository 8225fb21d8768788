"""Deterministic CBOR (RFC 8949 §4.2.1) for everything custody signs or hashes.

Signed and hashed bytes must be reproducible, so custody encodes and accepts only a small,
deterministic subset of CBOR:

* integers in -2**64..2**64-1 (major types 0 and 1, no bignum tags), booleans and null;
* byte strings and UTF-8 text strings;
* arrays, and maps whose keys are either all text strings or all integers;
* tags the caller names explicitly (COSE_Sign1 is tag 18).

Everything is encoded in its shortest form with definite lengths, and map keys are sorted
bytewise by their encoded form. There are no floats, no undefined, no other simple values and
no tags that cbor2 would turn into datetimes, decimals, bignums, sets and so on.

Decoding takes a fast path built on cbor2: decode, walk the result once (types, depth, integer
range, tags, key order), then re-encode with plain ``cbor2.dumps`` and compare with the input.
Plain ``dumps`` keeps the decoded key order and writes shortest, definite-length forms, so equal
bytes prove the input was deterministic; unequal bytes mean a non-shortest form, an indefinite
length, a duplicate key, or trailing bytes. Only when the fast path fails does a small
pure-Python scanner read the input header by header to say exactly what is wrong and where.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NoReturn, cast

import cbor2

from custody.errors import EncodingError, EncodingLimitError

__all__ = ["DEFAULT_MAX_DEPTH", "DEFAULT_MAX_SIZE", "decode", "encode"]

DEFAULT_MAX_SIZE: int = 1 << 20
"""Largest input, in bytes, that :func:`decode` accepts unless told otherwise."""

DEFAULT_MAX_DEPTH: int = 16
"""Deepest nesting of arrays, maps and tags that :func:`decode` accepts unless told otherwise."""

_ENCODE_MAX_DEPTH = 64
# The pure-Python scanner recurses once per nesting level, so the depth a caller may ask
# for stays well inside Python's default recursion limit.
_DEPTH_CAP = 256

_UINT_END = 1 << 64  # CBOR heads carry at most 64 bits: integers lie in [-2**64, 2**64).
_INT_RANGE = range(-_UINT_END, _UINT_END)  # `in` on a range of ints is a constant-time check
# Order key for integer map keys: the encoded head of n >= 0 is major type 0 with argument n;
# of n < 0 it is major type 1 with argument -1-n. Major 0 sorts first, then the argument.
_NEGATIVE_KEY_BASE = _UINT_END - 1
# Bounds of the tables of map layouts already put in order (encoder and decoder).
_LAYOUTS_KEPT = 512
_LAYOUT_CHARS = 4096  # enough for the 60-odd tag names of a camera's EXIF block

# Tags that cbor2 5.x or 6.x turns into Python objects (datetime, Decimal, int, set, UUID, ...)
# or resolves away (value sharing, string references, the self-describe prefix). Found by
# decoding every tag up to 70000 on both versions. Such a tag never reaches the caller as a
# CBORTag, so it cannot be allowed; the decoder refuses it wherever it appears.
_INTERPRETED_TAGS = frozenset(
    {0, 1, 2, 3, 4, 5, 25, 28, 29, 30, 35, 36, 37, 52, 54, 100, 256, 258, 260, 261, 1004}
    | {43000, 55799}
)
_TAG_NAMES = {
    0: "date/time string",
    1: "epoch date/time",
    2: "positive bignum: integers must fit the 64-bit CBOR range",
    3: "negative bignum: integers must fit the 64-bit CBOR range",
    4: "decimal fraction",
    5: "bigfloat",
    28: "shared value",
    29: "shared value reference",
    30: "rational number",
    37: "UUID",
    258: "set",
    55799: "self-described CBOR",
}

# cbor2 6.x bounds its own recursion when given max_depth; cbor2 5.x recurses in C, guarded
# only by Python's recursion limit, and crashes the interpreter on deep input when a program
# has raised that limit. An input of n bytes nests at most n levels, and cbor2 5.x survives
# 20,000 levels, so on 5.x only longer inputs are scanned before cbor2 sees them.
_UNSCANNED_LIMIT = 4096


def _loads_takes_max_depth() -> bool:
    # Keyword passed through a dict: the argument exists in cbor2 6.x's signature only, and the
    # code must type-check against either version's stubs.
    probe: dict[str, Any] = {"max_depth": 1}
    try:
        cbor2.loads(b"\x80", **probe)
    except TypeError:
        return False
    return True


_LOADS_BOUNDS_DEPTH = _loads_takes_max_depth()


# --- encoding ------------------------------------------------------------------------------


def encode(value: object) -> bytes:
    """Encode a value as deterministic CBOR (RFC 8949 §4.2.1).

    Lists and tuples become arrays; map keys are sorted bytewise by their encoded form;
    ``str``, ``int`` and ``bytes`` subclasses (such as enum members) are encoded as their
    base type.

    Args:
        value: ``int`` (-2**64..2**64-1), ``bool``, ``None``, ``bytes``, ``str``, ``list``,
            ``tuple``, ``dict`` with all-text or all-integer keys, or ``cbor2.CBORTag`` with
            one of these inside, nested at most 64 levels deep.

    Returns:
        The deterministic encoding.

    Raises:
        EncodingError: a part of the value is of a type custody does not encode, an integer
            is out of range, a map mixes text and integer keys, a tag is one cbor2 interprets
            on decoding, or the nesting is too deep (or cyclic). ``field`` holds the path of
            the offending part, such as ``$.artifacts[0].size``.
    """
    try:
        prepared = _prepared(value, _ENCODE_MAX_DEPTH)
    except _Refusal as refusal:
        raise EncodingError(refusal.message, field=refusal.path()) from None
    return cbor2.dumps(prepared)


class _Refusal(Exception):
    """A part of the value cannot be encoded; containers add their path segment on the way out.

    Building the path only on failure keeps string formatting off the encoding path.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
        self.segments: list[str] = []

    def path(self) -> str:
        return "$" + "".join(reversed(self.segments))


def _prepared(value: object, depth_left: int) -> object:
    """Return ``value`` checked and rebuilt from plain types, maps in deterministic order."""
    kind = type(value)
    if kind is str or kind is bytes or kind is bool or value is None:
        return value
    if isinstance(value, int):  # bool was handled above
        return _prepared_int(value)
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, bytes):
        return bytes(value)
    if not isinstance(value, list | tuple | dict | cbor2.CBORTag):
        raise _Refusal(
            f"{kind.__name__} cannot be encoded: custody encodes only int, bool, None, "
            "bytes, str, list, tuple, dict and CBORTag (no floats, datetimes or sets)"
        )
    if depth_left == 0:
        raise _Refusal(f"nested more than {_ENCODE_MAX_DEPTH} levels deep (or cyclic)")
    if isinstance(value, dict):
        return _prepared_map(value, depth_left - 1)
    if isinstance(value, cbor2.CBORTag):
        return _prepared_tag(value, depth_left - 1)
    return _prepared_array(value, depth_left - 1)


def _prepared_int(value: int) -> int:
    # int.__index__ drops subclasses (IntEnum) whose own __int__ or __repr__ could differ.
    plain = int.__index__(value)
    if not -_UINT_END <= plain < _UINT_END:
        raise _Refusal("integer outside the CBOR range -2**64..2**64-1 (bignum tags are not used)")
    return plain


def _prepared_array(items: list[object] | tuple[object, ...], depth_left: int) -> list[object]:
    prepared = []
    for index, item in enumerate(items):
        try:
            prepared.append(_prepared(item, depth_left))
        except _Refusal as refusal:
            refusal.segments.append(f"[{index}]")
            raise
    return prepared


def _prepared_map(entries: dict[Any, Any], depth_left: int) -> dict[object, object]:
    order = _TEXT_KEY_ORDER.get(tuple(entries))
    if order is None:
        return _sorted_map(entries, depth_left)
    prepared: dict[object, object] = {}
    for key in order:  # plain str keys, already in deterministic order
        item = entries[key]
        kind = type(item)
        # The common scalars, passed inline: a call per item would double the cost.
        if kind is str or kind is bytes or (kind is int and item in _INT_RANGE):
            prepared[key] = item
            continue
        try:
            prepared[key] = _prepared(item, depth_left)
        except _Refusal as refusal:
            refusal.segments.append(_key_segment(key))
            raise
    return prepared


def _sorted_map(entries: dict[Any, Any], depth_left: int) -> dict[object, object]:
    keys = [_map_key(key) for key in entries]
    if any(type(key) is not type(keys[0]) for key in keys):
        raise _Refusal("map mixes text and integer keys")
    prepared: dict[object, object] = {}
    ordered = sorted(zip(keys, entries.values(), strict=True), key=_entry_order)
    for key, item in ordered:
        try:
            prepared[key] = _prepared(item, depth_left)
        except _Refusal as refusal:
            refusal.segments.append(_key_segment(key))
            raise
    if len(prepared) != len(entries):  # str or int subclasses that were distinct keys
        raise _Refusal("map has keys that are equal as plain text or integers")
    _remember_text_key_order(entries, prepared)
    return prepared


# Callers encode the same few map layouts over and over (one per kind of event), so the
# deterministic order of each text-key layout is remembered. Only layouts whose keys are all
# plain str are kept: a tuple of str equals only another tuple of equal str (never of ints,
# bools or floats), and the remembered order holds plain str, so a str subclass key is
# written as its text, as the general path writes it. The table is bounded in entries and
# key length, so hostile input can only fill it, never grow it.
_TEXT_KEY_ORDER: dict[tuple[str, ...], tuple[str, ...]] = {}


def _remember_text_key_order(entries: dict[Any, Any], prepared: dict[object, object]) -> None:
    keys = tuple(entries)
    if (
        len(_TEXT_KEY_ORDER) < _LAYOUTS_KEPT
        and all(type(key) is str for key in keys)
        and len("".join(keys)) <= _LAYOUT_CHARS
    ):
        _TEXT_KEY_ORDER[keys] = cast(tuple[str, ...], tuple(prepared))


def _map_key(key: object) -> str | int:
    if type(key) is str:
        return key
    if isinstance(key, str):
        return str.__str__(key)
    if isinstance(key, int) and not isinstance(key, bool):
        return _prepared_int(key)
    raise _Refusal(
        f"map key of type {type(key).__name__} is not allowed: keys are text or integers"
    )


def _entry_order(entry: tuple[str | int, object]) -> tuple[int, str] | int:
    """The §4.2.1 bytewise order of encoded keys, for maps whose keys share one type.

    For text, the encoded head grows with the UTF-8 length, and UTF-8 bytes compare like code
    points, so (UTF-8 length, text) sorts exactly as the encoded bytes do. For integers, major
    type 0 (n >= 0, argument n) sorts before major type 1 (n < 0, argument -1-n).
    """
    key = entry[0]
    if isinstance(key, str):
        return (len(key) if key.isascii() else len(key.encode()), key)
    return key if key >= 0 else _NEGATIVE_KEY_BASE - key


def _prepared_tag(tag: cbor2.CBORTag, depth_left: int) -> cbor2.CBORTag:
    number = tag.tag
    if type(number) is not int or number in _INTERPRETED_TAGS:
        raise _Refusal(f"tag {number!r} is not allowed: cbor2 interprets it when decoding")
    try:
        return cbor2.CBORTag(number, _prepared(tag.value, depth_left))
    except _Refusal as refusal:
        refusal.segments.append(f"<tag {number}>")
        raise


def _key_segment(key: str | int) -> str:
    if isinstance(key, int):
        return f"{{{key}}}"
    return f".{key}" if key.isidentifier() else f"[{key!r}]"


# --- decoding ------------------------------------------------------------------------------


def decode(
    data: bytes | bytearray | memoryview,
    *,
    max_size: int = DEFAULT_MAX_SIZE,
    max_depth: int = DEFAULT_MAX_DEPTH,
    allow_tags: frozenset[int] = frozenset(),
) -> Any:
    """Decode one deterministic CBOR data item, refusing anything :func:`encode` would not write.

    Checked: the input is one complete, well-formed data item with nothing after it; every
    integer and length is in its shortest form; no length is indefinite; map keys are all text
    or all integers, unique, and in deterministic order; text is valid UTF-8; there are no
    floats, no simple values other than false/true/null, and no tags outside ``allow_tags``.
    Not checked: what the values mean; that is the caller's model.

    Args:
        data: the encoded bytes.
        max_size: the largest input accepted, in bytes.
        max_depth: the deepest nesting of arrays, maps and tags accepted (at most 256).
        allow_tags: tag numbers that may appear; they are returned as ``cbor2.CBORTag``. Tags
            that cbor2 interprets (0-5, 258, 55799, ...) cannot be allowed.

    Returns:
        Plain ``dict``, ``list``, ``bytes``, ``str``, ``int``, ``bool`` or ``None`` values, and
        ``cbor2.CBORTag`` for allowed tags, with the same shapes on cbor2 5.x and 6.x.

    Raises:
        EncodingError: the input is empty, too large, or not deterministic CBOR of the allowed
            subset; the message says what is wrong and at which byte.
        ValueError: ``max_size``, ``max_depth`` or ``allow_tags`` is out of range.
        TypeError: ``data`` is not bytes-like.
    """
    _check_limits(max_size, max_depth, allow_tags)
    if type(data) is not bytes:
        data = memoryview(data).tobytes()  # one immutable copy, also of bytearray/memoryview
    if not data:
        raise EncodingError("empty input: expected one CBOR data item")
    if len(data) > max_size:
        raise EncodingLimitError(
            f"input of {len(data)} bytes is over the limit of {max_size} bytes"
        )
    if not _LOADS_BOUNDS_DEPTH and len(data) > _UNSCANNED_LIMIT:
        _Scanner(data, max_depth, allow_tags).scan()
    try:
        value = _loads(data, max_depth)
    except Exception as exc:  # cbor2 and its tag decoders raise many types; explain them all
        raise _explain(data, max_depth, allow_tags) from exc
    try:
        result = _checked(value, max_depth, allow_tags)
    except (_NotStrict, RecursionError):
        raise _explain(data, max_depth, allow_tags) from None
    if cbor2.dumps(result) != data:
        raise _explain(data, max_depth, allow_tags)
    return result


def _check_limits(max_size: int, max_depth: int, allow_tags: frozenset[int]) -> None:
    if max_size < 1:
        raise ValueError(f"max_size must be at least 1, not {max_size}")
    if not 0 <= max_depth <= _DEPTH_CAP:
        raise ValueError(f"max_depth must be in 0..{_DEPTH_CAP}, not {max_depth}")
    if allow_tags and not allow_tags.isdisjoint(_INTERPRETED_TAGS):
        interpreted = sorted(allow_tags & _INTERPRETED_TAGS)
        raise ValueError(f"tags {interpreted} are interpreted by cbor2 and cannot be allowed")


def _loads(data: bytes, max_depth: int) -> object:
    if _LOADS_BOUNDS_DEPTH:
        # One level of slack: the walk, not cbor2, should be the one to find a too-deep item.
        bound: dict[str, Any] = {"max_depth": max_depth + 1}
        return cbor2.loads(data, **bound)
    return cbor2.loads(data)


class _NotStrict(Exception):
    """The fast path met something it refuses; the scanner will explain what."""


def _refuse() -> NoReturn:
    raise _NotStrict


def _checked(value: object, depth_left: int, allow_tags: frozenset[int]) -> object:
    """Check one decoded value; return it with cbor2 6.x's tuples and frozendicts made plain.

    Raises:
        _NotStrict: on anything outside the subset (foreign types stand for interpreted tags,
            floats, undefined, simple values, break markers).
    """
    if _is_plain_scalar(value):
        return value
    if depth_left == 0:
        _refuse()
    if type(value) is dict:
        return _checked_map(value, depth_left - 1, allow_tags)
    if type(value) is list:
        return _checked_list(value, depth_left - 1, allow_tags)
    if type(value) is tuple:  # cbor2 6.x decodes arrays inside tags as tuples
        return _checked_list(list(value), depth_left - 1, allow_tags)
    if type(value) is cbor2.CBORTag:
        return _checked_tag(value, depth_left - 1, allow_tags)
    if isinstance(value, Mapping):  # cbor2 6.x decodes maps inside tags as frozendicts
        return _checked_map(dict(value), depth_left - 1, allow_tags)
    _refuse()


def _is_plain_scalar(value: object) -> bool:
    kind = type(value)
    if kind is str or kind is bytes or kind is bool or value is None:
        return True
    # Integers from major types 0 and 1 are always in range; bignum tags can exceed it.
    return kind is int and value in _INT_RANGE


def _checked_list(items: list[object], depth_left: int, allow_tags: frozenset[int]) -> list[object]:
    for index, item in enumerate(items):
        kind = type(item)
        # The common scalars, checked inline: a call per item would double the walk's cost.
        if kind is str or kind is bytes or (kind is int and item in _INT_RANGE):
            continue
        checked = _checked(item, depth_left, allow_tags)
        if checked is not item:
            items[index] = checked
    return items


def _checked_map(
    entries: dict[object, object], depth_left: int, allow_tags: frozenset[int]
) -> dict[object, object]:
    _check_key_order(entries)
    for key, item in entries.items():
        kind = type(item)
        # The common scalars, checked inline: a call per item would double the walk's cost.
        if kind is str or kind is bytes or (kind is int and item in _INT_RANGE):
            continue
        checked = _checked(item, depth_left, allow_tags)
        if checked is not item:
            entries[key] = checked  # replacing a value is safe while iterating
    return entries


# Events repeat a handful of map layouts. Remembering text-key layouts already found in order
# saves most of the ordering cost. Only all-text layouts are kept: a tuple of str equals only
# another tuple of the same str, whereas 1 == True == 1.0 would let a bool or float key slip
# through. The set is bounded in entries and key length, so hostile input cannot grow it;
# it can only fill it and cost later calls the cache hit.
_ORDERED_TEXT_LAYOUTS: set[tuple[str, ...]] = set()


def _check_key_order(entries: dict[object, object]) -> None:
    """Require all-text or all-integer keys in strictly increasing §4.2.1 order."""
    keys = tuple(entries)
    if keys in _ORDERED_TEXT_LAYOUTS:
        return
    if keys and type(keys[0]) is str:
        _check_text_key_order(keys)
    else:
        _check_integer_key_order(keys)


def _check_text_key_order(keys: tuple[object, ...]) -> None:
    previous_length, previous = -1, ""
    for key in keys:
        if type(key) is not str:
            _refuse()
        length = len(key) if key.isascii() else len(key.encode())
        if length < previous_length or (length == previous_length and key <= previous):
            _refuse()
        previous_length, previous = length, key
    text_keys = cast(tuple[str, ...], keys)
    if len(_ORDERED_TEXT_LAYOUTS) < _LAYOUTS_KEPT and len("".join(text_keys)) <= _LAYOUT_CHARS:
        _ORDERED_TEXT_LAYOUTS.add(text_keys)


def _check_integer_key_order(keys: tuple[object, ...]) -> None:
    previous = -1
    for key in keys:
        if type(key) is not int or key not in _INT_RANGE:
            _refuse()  # a text or bignum key
        order = key if key >= 0 else _NEGATIVE_KEY_BASE - key
        if order <= previous:
            _refuse()
        previous = order


def _checked_tag(tag: cbor2.CBORTag, depth_left: int, allow_tags: frozenset[int]) -> object:
    if tag.tag not in allow_tags:
        _refuse()
    inner = _checked(tag.value, depth_left, allow_tags)
    return tag if inner is tag.value else cbor2.CBORTag(tag.tag, inner)


# --- explaining refusals -------------------------------------------------------------------


def _explain(data: bytes, max_depth: int, allow_tags: frozenset[int]) -> EncodingError:
    """Say why ``data`` was refused; it must have been refused by the fast path."""
    try:
        _Scanner(data, max_depth, allow_tags).scan()
    except EncodingError as error:
        return error
    # The scanner accepts what the fast path refused: cbor2 disagrees with the standard. Fail
    # closed rather than trust either reading.
    return EncodingError("input is not deterministic CBOR (cbor2 decoded it inconsistently)")


#: The smallest argument a head with additional information 24..27 may carry in
#: deterministic CBOR (RFC 8949 §4.2.1): anything smaller fits a shorter head.
SHORTEST_MINIMUM = {24: 24, 25: 1 << 8, 26: 1 << 16, 27: 1 << 32}
_MAJOR_NAMES = ("integer", "negative integer", "byte string", "text string", "array", "map")


class _Scanner:
    """Reads CBOR header by header and raises an EncodingError at the first problem.

    Slow (pure Python) but exact: it is only run on input the fast path refused, and before
    cbor2 5.x sees long input, whose nesting cbor2 5.x cannot bound.
    """

    def __init__(self, data: bytes, max_depth: int, allow_tags: frozenset[int]) -> None:
        self._data = data
        self._max_depth = max_depth
        self._allow_tags = allow_tags
        self._pos = 0

    def scan(self) -> None:
        """Check the whole input.

        Raises:
            EncodingError: at the first problem, in byte order.
        """
        try:
            self._item(0)
        except RecursionError:
            raise EncodingLimitError("nesting too deep for the remaining Python stack") from None
        if self._pos != len(self._data):
            extra = len(self._data) - self._pos
            raise EncodingError(
                f"trailing bytes: {extra} byte(s) after the first data item, at byte {self._pos}"
            )

    def _item(self, depth: int) -> None:
        offset = self._pos
        initial = self._take(1, offset)[0]
        major, info = initial >> 5, initial & 0x1F
        if major == 7:
            self._simple(info, offset)
            return
        if info == 31:
            if major in (2, 3, 4, 5):
                raise EncodingError(
                    f"indefinite-length {_MAJOR_NAMES[major]} at byte {offset} is not allowed"
                )
            raise EncodingError(f"malformed CBOR: initial byte 0x{initial:02x} at byte {offset}")
        argument = self._argument(info, offset)
        if major == 2:
            self._take(argument, offset)
        elif major == 3:
            self._text(argument, offset)
        elif major >= 4:
            if depth >= self._max_depth:
                raise EncodingLimitError(
                    f"nesting too deep: more than {self._max_depth} levels at byte {offset}"
                )
            if major == 4:
                for _ in range(argument):
                    self._item(depth + 1)
            elif major == 5:
                self._map(argument, depth + 1, offset)
            else:
                self._tag(argument, depth + 1, offset)

    def _argument(self, info: int, offset: int) -> int:
        if info < 24:
            return info
        if info > 27:
            raise EncodingError(
                f"malformed CBOR: reserved additional information {info} at byte {offset}"
            )
        size = 1 << (info - 24)
        argument = int.from_bytes(self._take(size, offset), "big")
        if argument < SHORTEST_MINIMUM[info]:
            raise EncodingError(
                f"non-shortest encoding: {argument} written in {size + 1} bytes at byte {offset}"
            )
        return argument

    def _simple(self, info: int, offset: int) -> None:
        if 20 <= info <= 22:  # false, true, null
            return
        if info == 23:
            raise EncodingError(f"undefined at byte {offset} is not allowed")
        if 25 <= info <= 27:
            raise EncodingError(f"floating-point number at byte {offset} is not allowed")
        if info == 31:
            raise EncodingError(f"malformed CBOR: unexpected break at byte {offset}")
        if info > 27:
            raise EncodingError(
                f"malformed CBOR: reserved additional information {info} at byte {offset}"
            )
        raise EncodingError(f"simple value at byte {offset} is not allowed")

    def _text(self, length: int, offset: int) -> None:
        try:
            self._take(length, offset).decode("utf-8")
        except UnicodeDecodeError:
            raise EncodingError(f"invalid UTF-8 in the text string at byte {offset}") from None

    def _map(self, count: int, depth: int, offset: int) -> None:
        previous_key = b""
        key_is_text: bool | None = None
        for _ in range(count):
            key_offset = self._pos
            key_major = self._take(1, key_offset)[0] >> 5
            self._pos = key_offset
            if key_major not in (0, 1, 3):
                raise EncodingError(
                    f"map key at byte {key_offset} is not allowed: keys are text or integers"
                )
            if key_is_text is None:
                key_is_text = key_major == 3
            elif key_is_text != (key_major == 3):
                raise EncodingError(f"map at byte {offset} mixes text and integer keys")
            self._item(depth)
            key = self._data[key_offset : self._pos]
            if key == previous_key:
                raise EncodingError(f"duplicate map key at byte {key_offset}")
            if key < previous_key:
                raise EncodingError(
                    f"map keys out of deterministic order at byte {key_offset} "
                    "(keys must sort bytewise by their encoding)"
                )
            previous_key = key
            self._item(depth)

    def _tag(self, number: int, depth: int, offset: int) -> None:
        if number not in self._allow_tags or number in _INTERPRETED_TAGS:
            meaning = f" ({_TAG_NAMES[number]})" if number in _TAG_NAMES else ""
            raise EncodingError(f"tag {number}{meaning} at byte {offset} is not allowed")
        self._item(depth)

    def _take(self, size: int, offset: int) -> bytes:
        end = self._pos + size
        if end > len(self._data):
            missing = end - len(self._data)
            raise EncodingError(
                f"truncated CBOR: the input ends {missing} byte(s) short, in the item at byte "
                f"{offset}"
            )
        chunk = self._data[self._pos : end]
        self._pos = end
        return chunk
