"""Deterministic CBOR: known answers, round trips, and one test per refusal.

Known answers come from RFC 8949 Appendix A (the part inside custody's subset), RFC 8949
§4.2.1 (key order) and RFC 9679 (COSE Key Thumbprint input). The golden event bytes were
produced by this module and checked to be identical under cbor2 5.6.5 and 6.3.0.
"""

from __future__ import annotations

import datetime
import decimal
import enum
import subprocess
import sys
import textwrap
import time
import uuid
from typing import Any

import cbor2
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from custody.encoding import DEFAULT_MAX_DEPTH, DEFAULT_MAX_SIZE, decode, encode
from custody.errors import EncodingError, InvalidInput

# --- known answers -------------------------------------------------------------------------

RFC_8949_APPENDIX_A = [
    (0, "00"),
    (1, "01"),
    (10, "0a"),
    (23, "17"),
    (24, "1818"),
    (25, "1819"),
    (100, "1864"),
    (1000, "1903e8"),
    (2000, "1907d0"),  # two argument bytes are the shortest form of 2000
    (1000000, "1a000f4240"),
    (1000000000000, "1b000000e8d4a51000"),
    (18446744073709551615, "1bffffffffffffffff"),
    (-18446744073709551616, "3bffffffffffffffff"),
    (-1, "20"),
    (-10, "29"),
    (-100, "3863"),
    (-1000, "3903e7"),
    (False, "f4"),
    (True, "f5"),
    (None, "f6"),
    (b"", "40"),
    (b"\x01\x02\x03\x04", "4401020304"),
    ("", "60"),
    ("a", "6161"),
    ("IETF", "6449455446"),
    ('"\\', "62225c"),
    ("\u00fc", "62c3bc"),
    ("\u6c34", "63e6b0b4"),
    ("\U00010151", "64f0908591"),
    ([], "80"),
    ([1, 2, 3], "83010203"),
    ([1, [2, 3], [4, 5]], "8301820203820405"),
    (list(range(1, 26)), "98190102030405060708090a0b0c0d0e0f101112131415161718181819"),
    ({}, "a0"),
    ({1: 2, 3: 4}, "a201020304"),
    ({"a": 1, "b": [2, 3]}, "a26161016162820203"),
    (["a", {"b": "c"}], "826161a161626163"),
    (
        {"a": "A", "b": "B", "c": "C", "d": "D", "e": "E"},
        "a56161614161626142616361436164614461656145",
    ),
]


@pytest.mark.parametrize(("value", "expected"), RFC_8949_APPENDIX_A)
def test_rfc8949_appendix_a_encodes_to_known_bytes(value: object, expected: str) -> None:
    assert encode(value).hex() == expected


@pytest.mark.parametrize(("value", "expected"), RFC_8949_APPENDIX_A)
def test_rfc8949_appendix_a_decodes_to_known_values(value: object, expected: str) -> None:
    decoded = decode(bytes.fromhex(expected))
    assert decoded == value
    assert type(decoded) is type(value)


def test_integer_keys_sort_bytewise_by_encoding() -> None:
    # RFC 8949 §4.2.1: 10 (0a) < 100 (1864) < -1 (20). Numeric order would put -1 first, and
    # the length-first order of cbor2's canonical mode (RFC 8949 §4.2.3) puts it second.
    assert encode({100: 0, -1: 0, 10: 0}).hex() == "a3" + "0a00" + "186400" + "2000"
    assert cbor2.dumps({100: 0, -1: 0, 10: 0}, canonical=True).hex() == "a30a002000186400"


def test_text_keys_sort_shorter_first() -> None:
    # RFC 8949 §4.2.1: "z" (617a) sorts before "aa" (626161).
    assert encode({"aa": 0, "z": 0}).hex() == "a2" + "617a00" + "62616100"


def test_negative_integer_keys_sort_by_encoded_argument() -> None:
    # -1 (20) < -2 (21) < -24 (37) < -25 (3818): the encoded argument is -1-n.
    assert (
        encode({-25: 0, -1: 0, -24: 0, -2: 0}).hex() == "a4" + "2000" + "2100" + "3700" + "381800"
    )


def test_cose_key_thumbprint_input_matches_rfc9679() -> None:
    x = bytes(range(32))
    expected = bytes.fromhex("a30101200621 5820".replace(" ", "")) + x
    assert encode({-2: x, 1: 1, -1: 6}) == expected
    assert encode({1: 1, -1: 6, -2: x}) == expected
    assert decode(expected) == {1: 1, -1: 6, -2: x}


def test_cose_sign1_tag_round_trips_with_plain_lists_and_dicts() -> None:
    message = cbor2.CBORTag(18, [b"\xa1\x01\x32", {}, b"payload", b"\x00" * 64])
    data = encode(message)
    assert data.hex().startswith("d284" + "43a10132" + "a0" + "477061796c6f6164" + "5840")
    decoded = decode(data, allow_tags=frozenset({18}))
    assert type(decoded) is cbor2.CBORTag
    assert decoded.tag == 18
    # cbor2 6.x decodes tag contents as tuple/frozendict; callers see one shape on both.
    assert type(decoded.value) is list
    assert type(decoded.value[1]) is dict
    assert decoded == message


def test_nested_tag_contents_are_made_plain() -> None:
    data = encode(cbor2.CBORTag(98, [{"a": [1, {"b": []}]}]))
    decoded = decode(data, allow_tags=frozenset({98}))
    inner = decoded.value[0]
    assert type(inner) is dict
    assert type(inner["a"]) is list
    assert type(inner["a"][1]) is dict
    assert type(inner["a"][1]["b"]) is list


GOLDEN_EVENT = {
    "v": 1,
    "type": "transfer-out",
    "case": "2026-CR-004211",
    "item": "ITEM-0007",
    "seq": 12,
    "prev": bytes(range(32)),
    "time": 1767225600123,
    "actor": "badge:1234@pd.example",
    "artifacts": [{"name": "disk.E01", "sha256": bytes(32), "size": 512110190592}],
    "location": {"lat_e7": 523456789, "lon_e7": -12345678},
    "note": "Sealed in bag 4471.",
}
GOLDEN_EVENT_HEX = (
    "ab617601637365710c64636173656e323032362d43522d303034323131646974656d694954454d2d30303037"
    "646e6f7465735365616c656420696e2062616720343437312e64707265765820000102030405060708090a0b"
    "0c0d0e0f101112131415161718191a1b1c1d1e1f6474696d651b0000019b76daa87b64747970656c7472616e"
    "736665722d6f7574656163746f727562616467653a313233344070642e6578616d706c65686c6f636174696f"
    "6ea2666c61745f65371a1f335115666c6f6e5f65373a00bc614d6961727469666163747381a3646e616d6568"
    "6469736b2e4530316473697a651b000000773c25600066736861323536582000000000000000000000000000"
    "00000000000000000000000000000000000000"
)


def test_golden_event_bytes_are_stable_across_cbor2_versions() -> None:
    data = encode(GOLDEN_EVENT)
    assert data.hex() == GOLDEN_EVENT_HEX
    assert decode(data) == GOLDEN_EVENT


def test_equal_encoding_under_cbor2_canonical_for_single_type_keys() -> None:
    # For maps whose keys share one major type, cbor2's length-first canonical order is the
    # same as the §4.2.1 bytewise order (reference §5.2), so the two encoders agree.
    assert encode(GOLDEN_EVENT) == cbor2.dumps(GOLDEN_EVENT, canonical=True)


# --- encoding: accepted shapes -------------------------------------------------------------


class Colour(enum.StrEnum):
    RED = "red"


class Level(enum.IntEnum):
    HIGH = 3


def test_tuples_encode_as_arrays() -> None:
    assert encode((1, (2, 3))) == encode([1, [2, 3]])


def test_bool_encodes_as_bool_not_as_int() -> None:
    assert encode([True, False, 1, 0]).hex() == "84f5f40100"


def test_enum_members_encode_as_their_plain_values() -> None:
    assert encode({Colour.RED: Level.HIGH}) == encode({"red": 3})


def test_encode_does_not_change_its_input() -> None:
    value = {"b": [1, (2,)], "a": {"y": 1, "x": 2}}
    encode(value)
    assert value == {"b": [1, (2,)], "a": {"y": 1, "x": 2}}
    assert list(value) == ["b", "a"]


# --- encoding: refusals, with the path of the offending part -------------------------------


@pytest.mark.parametrize(
    ("value", "path", "message"),
    [
        ({"a": [1.5]}, "$.a[0]", "float cannot be encoded"),
        ({"time": datetime.datetime.now(datetime.UTC)}, "$.time", "datetime cannot be encoded"),
        ({"tags": {1, 2}}, "$.tags", "set cannot be encoded"),
        ({"x": {1: 0, "a": 0}}, "$.x", "mixes text and integer keys"),
        ({"artifacts": [{"size": 2**64}]}, "$.artifacts[0].size", "outside the CBOR range"),
        ([-(2**64) - 1], "$[0]", "outside the CBOR range"),
        ({"amount": decimal.Decimal("1.5")}, "$.amount", "Decimal cannot be encoded"),
        ({"id": uuid.UUID(int=0)}, "$.id", "UUID cannot be encoded"),
        ({"raw": bytearray(b"x")}, "$.raw", "bytearray cannot be encoded"),
        ({"nan": float("nan")}, "$.nan", "float cannot be encoded"),
        ({1: {-2: 0.5}}, "${1}{-2}", "float cannot be encoded"),
        ({"media type": 0.5}, "$['media type']", "float cannot be encoded"),
        ({"k": {True: 1}}, "$.k", "map key of type bool"),
        ({"k": {(1, 2): 1}}, "$.k", "map key of type tuple"),
        ({"sig": cbor2.CBORTag(18, [1.0])}, "$.sig<tag 18>[0]", "float cannot be encoded"),
        ({"when": cbor2.CBORTag(1, 0)}, "$.when", "tag 1 is not allowed"),
        ({"big": cbor2.CBORTag(2, b"\x01")}, "$.big", "tag 2 is not allowed"),
        (cbor2.undefined, "$", "cannot be encoded"),
    ],
)
def test_encode_refuses_with_path(value: object, path: str, message: str) -> None:
    with pytest.raises(EncodingError) as info:
        encode(value)
    assert info.value.field == path
    assert str(info.value).startswith(f"{path}: ")
    assert message in str(info.value)


def nested_lists(levels: int) -> list[Any]:
    value: list[Any] = []
    for _ in range(levels - 1):
        value = [value]
    return value


def test_encode_accepts_64_levels_and_refuses_65() -> None:
    assert encode(nested_lists(64)) == b"\x81" * 63 + b"\x80"
    with pytest.raises(EncodingError, match="nested more than 64 levels"):
        encode(nested_lists(65))


def test_encode_refuses_cycles() -> None:
    cycle: list[Any] = []
    cycle.append(cycle)
    with pytest.raises(EncodingError, match="or cyclic"):
        encode(cycle)


def test_encode_error_is_invalid_input() -> None:
    with pytest.raises(InvalidInput):
        encode(1.0)


# --- decoding: refusals, one per kind ------------------------------------------------------


@pytest.mark.parametrize(
    ("hex_input", "message"),
    [
        ("a2016161016162", "duplicate map key at byte 4"),
        ("a2616201616102", "map keys out of deterministic order at byte 4"),
        ("a2200a0a00", "map keys out of deterministic order"),  # -1 before 10
        ("a262616100616200", "map keys out of deterministic order"),  # "aa" before "b"
        ("a20100616100", "mixes text and integer keys"),
        ("a1f500", "map key at byte 1 is not allowed"),
        ("a1410100", "map key at byte 1 is not allowed"),  # byte-string key
        ("a2016161f56162", "map key at byte 4 is not allowed"),  # true collides with 1
        ("1801", "non-shortest encoding: 1 written in 2 bytes at byte 0"),
        ("1a000007d0", "non-shortest encoding: 2000 written in 5 bytes"),
        ("3800", "non-shortest encoding: 0 written in 2 bytes"),
        ("5801ff", "non-shortest encoding"),  # a length
        ("81190017", "non-shortest encoding: 23 written in 3 bytes at byte 1"),
        ("9f01ff", "indefinite-length array at byte 0"),
        ("5f4101ff", "indefinite-length byte string"),
        ("7f6161ff", "indefinite-length text string"),
        ("bf616101ff", "indefinite-length map"),
        ("0102", "trailing bytes: 1 byte(s) after the first data item, at byte 1"),
        ("f93c00", "floating-point number at byte 0"),
        ("f97e00", "floating-point number"),  # NaN
        ("f97c00", "floating-point number"),  # infinity
        ("fa47c35000", "floating-point number"),
        ("fb3ff199999999999a", "floating-point number"),
        ("f7", "undefined at byte 0"),
        ("f0", "simple value at byte 0"),
        ("f820", "simple value"),
        ("c11a514b67b0", "tag 1 (epoch date/time) at byte 0 is not allowed"),
        ("c074323031332d30332d32315432303a30343a30305a", "tag 0 (date/time string)"),
        ("c249010000000000000000", "tag 2 (positive bignum: integers must fit the 64-bit"),
        ("c349010000000000000000", "tag 3 (negative bignum"),
        ("c24101", "tag 2"),  # a bignum cbor2 would quietly turn into 1
        ("d2820102", "tag 18 at byte 0 is not allowed"),
        ("d81c81d81d00", "tag 28 (shared value)"),  # a cyclic structure in cbor2
        ("d9d9f701", "tag 55799 (self-described CBOR)"),
        ("d9010281 01".replace(" ", ""), "tag 258 (set)"),
        ("62c328", "invalid UTF-8 in the text string at byte 0"),
        ("63eda080", "invalid UTF-8"),  # an encoded surrogate
        ("8201", "truncated CBOR: the input ends 1 byte(s) short, in the item at byte 2"),
        ("1a0001", "truncated CBOR"),
        ("5a00010000", "truncated CBOR"),
        ("1c", "malformed CBOR: reserved additional information 28 at byte 0"),
        ("ff", "malformed CBOR: unexpected break"),
        ("1f", "malformed CBOR: initial byte 0x1f"),
    ],
)
def test_decode_refuses(hex_input: str, message: str) -> None:
    with pytest.raises(EncodingError) as info:
        decode(bytes.fromhex(hex_input))
    assert message in str(info.value)


def test_decode_refuses_empty_input() -> None:
    with pytest.raises(EncodingError, match="empty input"):
        decode(b"")


def test_decode_refuses_input_over_max_size() -> None:
    with pytest.raises(EncodingError, match="input of 3 bytes is over the limit of 2 bytes"):
        decode(bytes.fromhex("420102"), max_size=2)
    with pytest.raises(EncodingError, match="over the limit"):
        decode(b"\x00" * (DEFAULT_MAX_SIZE + 1))


def test_decode_accepts_input_at_max_size() -> None:
    assert decode(bytes.fromhex("420102"), max_size=3) == b"\x01\x02"


def nested_arrays(depth: int) -> bytes:
    return b"\x81" * depth + b"\x00"


def test_decode_depth_limit_is_sixteen_by_default() -> None:
    assert DEFAULT_MAX_DEPTH == 16
    expected: object = 0
    for _ in range(16):
        expected = [expected]
    assert decode(nested_arrays(16)) == expected
    with pytest.raises(EncodingError, match="nesting too deep: more than 16 levels at byte 16"):
        decode(nested_arrays(17))


def test_decode_depth_limit_can_be_raised() -> None:
    assert decode(nested_arrays(17), max_depth=20) is not None
    with pytest.raises(EncodingError, match="more than 20 levels"):
        decode(nested_arrays(21), max_depth=20)


def test_decode_depth_counts_maps_and_tags() -> None:
    assert decode(bytes.fromhex("a16161d28100"), max_depth=3, allow_tags=frozenset({18}))
    with pytest.raises(EncodingError, match="nesting too deep"):
        decode(bytes.fromhex("a16161d28100"), max_depth=2, allow_tags=frozenset({18}))


@pytest.mark.parametrize("container", [b"\x81", b"\xa1\x61\x61", b"\xd2"])
def test_decode_refuses_a_mebibyte_of_nesting_quickly(container: bytes) -> None:
    data = (container * (DEFAULT_MAX_SIZE // len(container)))[:DEFAULT_MAX_SIZE]
    started = time.perf_counter()
    with pytest.raises(EncodingError, match="nesting too deep"):
        decode(data, allow_tags=frozenset({18}))
    assert time.perf_counter() - started < 2.0


def test_decode_survives_deep_input_with_a_raised_recursion_limit() -> None:
    # cbor2 5.x's C decoder is bounded only by the recursion limit and crashes the interpreter
    # when a program raises it; run in a child process so a crash fails the test, not the run.
    script = textwrap.dedent(
        """
        import sys
        from custody.encoding import decode
        from custody.errors import EncodingError
        sys.setrecursionlimit(1_000_000)
        for data in (b"\\x81" * (1 << 20), b"\\x81" * 30_000 + b"\\x00"):
            try:
                decode(data)
            except EncodingError as error:
                assert "nesting too deep" in str(error), error
            else:
                raise AssertionError("accepted")
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr


def test_decode_returns_allowed_tags() -> None:
    assert decode(bytes.fromhex("d2820102"), allow_tags=frozenset({18})) == cbor2.CBORTag(
        18, [1, 2]
    )


def test_decode_refuses_a_tag_inside_an_allowed_tag_unless_allowed_too() -> None:
    with pytest.raises(EncodingError, match="tag 19 at byte 1 is not allowed"):
        decode(bytes.fromhex("d2d300"), allow_tags=frozenset({18}))


@pytest.mark.parametrize("tag", [0, 1, 2, 3, 4, 28, 258, 55799])
def test_interpreted_tags_cannot_be_allowed(tag: int) -> None:
    with pytest.raises(ValueError, match="interpreted by cbor2"):
        decode(b"\x00", allow_tags=frozenset({tag}))


@pytest.mark.parametrize("limits", [{"max_size": 0}, {"max_depth": -1}, {"max_depth": 257}])
def test_decode_refuses_out_of_range_limits(limits: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="must be"):
        decode(b"\x00", **limits)


def test_decode_accepts_bytes_like_input() -> None:
    assert decode(bytearray(b"\x82\x01\x02")) == [1, 2]
    assert decode(memoryview(b"\x82\x01\x02")) == [1, 2]


def test_decode_refuses_text_input_as_a_programming_error() -> None:
    with pytest.raises(TypeError):
        decode("00")  # type: ignore[arg-type]


def test_decode_errors_chain_the_cbor2_error() -> None:
    with pytest.raises(EncodingError) as info:
        decode(bytes.fromhex("8201"))
    assert isinstance(info.value.__cause__, cbor2.CBORDecodeError)


def test_decode_refuses_a_bool_key_after_a_cached_text_layout() -> None:
    # Known text-key layouts are remembered; a layout of non-text keys must never match one.
    assert decode(bytes.fromhex("a2616101616202")) == {"a": 1, "b": 2}
    with pytest.raises(EncodingError, match="map key at byte 1 is not allowed"):
        decode(bytes.fromhex("a2f401f502"))


def test_a_remembered_key_layout_still_checks_every_value() -> None:
    # The second map of one text-key layout takes the remembered order; its values are
    # checked as the first one's were.
    assert encode({"zz": 1, "a": {"q": 2}}) == bytes.fromhex("a26161a1617102627a7a01")
    assert encode({"zz": 3, "a": {"q": 4}}) == bytes.fromhex("a26161a1617104627a7a03")
    with pytest.raises(EncodingError, match="float cannot be encoded") as info:
        encode({"zz": 1.5, "a": {"q": 2}})
    assert info.value.field == "$.zz"
    with pytest.raises(EncodingError, match="float cannot be encoded") as info:
        encode({"zz": 1, "a": {"q": 2.5}})
    assert info.value.field == "$.a.q"


def test_a_remembered_key_layout_writes_str_subclass_keys_as_text() -> None:
    class Key(enum.StrEnum):
        B = "b"

    expected = bytes.fromhex("a261620162616102")
    assert encode({"b": 1, "aa": 2}) == encode({Key.B: 1, "aa": 2}) == expected


# --- properties ----------------------------------------------------------------------------

ALLOWED_TAGS = frozenset({18, 98, 1000, 2**64 - 1})

integers = st.integers(min_value=-(2**64), max_value=2**64 - 1)
scalars = st.none() | st.booleans() | integers | st.binary(max_size=40) | st.text(max_size=20)


def containers(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return (
        st.lists(children, max_size=5)
        | st.dictionaries(st.text(max_size=8), children, max_size=5)
        | st.dictionaries(integers, children, max_size=5)
        | st.builds(cbor2.CBORTag, st.sampled_from(sorted(ALLOWED_TAGS)), children)
    )


values = st.recursive(scalars, containers, max_leaves=25)


def assert_same_shape(left: object, right: object) -> None:
    """Equality that also tells bool from int and keeps tags' types apart."""
    assert type(left) is type(right), (left, right)
    if isinstance(left, dict):
        assert isinstance(right, dict)
        assert left.keys() == right.keys()
        for key, item in left.items():
            assert_same_shape(item, right[key])
    elif isinstance(left, list):
        assert isinstance(right, list)
        assert len(left) == len(right)
        for mine, theirs in zip(left, right, strict=True):
            assert_same_shape(mine, theirs)
    elif isinstance(left, cbor2.CBORTag):
        assert isinstance(right, cbor2.CBORTag)
        assert left.tag == right.tag
        assert_same_shape(left.value, right.value)
    else:
        assert left == right


@given(values)
def test_round_trip(value: object) -> None:
    data = encode(value)
    decoded = decode(data, max_depth=64, allow_tags=ALLOWED_TAGS)
    assert_same_shape(decoded, value)
    assert encode(decoded) == data


@given(st.dictionaries(st.text(max_size=8), values, max_size=8), st.randoms())
def test_encoding_ignores_insertion_order(value: dict[str, Any], random: Any) -> None:
    items = list(value.items())
    random.shuffle(items)
    assert encode(dict(items)) == encode(value)


@given(st.dictionaries(integers, integers, max_size=8), st.randoms())
def test_integer_key_encoding_ignores_insertion_order(value: dict[int, int], random: Any) -> None:
    items = list(value.items())
    random.shuffle(items)
    assert encode(dict(items)) == encode(value)


@given(st.dictionaries(st.text(max_size=30), integers, max_size=12))
def test_text_keys_sort_like_cbor2_canonical(value: dict[str, int]) -> None:
    # For text keys, length-first (cbor2 canonical) and bytewise order coincide: an oracle.
    # Twice: the second encoding takes the remembered order of the layout.
    expected = cbor2.dumps(value, canonical=True)
    assert encode(value) == expected
    assert encode(value) == expected


@given(st.dictionaries(integers, st.booleans(), max_size=12))
def test_integer_keys_sort_by_their_encoded_bytes(value: dict[int, bool]) -> None:
    decoded = decode(encode(value))
    assert list(decoded) == sorted(value, key=cbor2.dumps)


def assert_decodes_exactly_or_refuses(data: bytes, allow_tags: frozenset[int]) -> None:
    try:
        value = decode(data, allow_tags=allow_tags)
    except EncodingError as error:
        refusal = str(error)
    else:
        assert encode(value) == data
        return
    # The scanner must always find the reason the fast path refused.
    assert "inconsistently" not in refusal


@given(st.binary(min_size=1, max_size=64), st.booleans())
def test_random_bytes_decode_exactly_or_raise_encoding_error(data: bytes, tags: bool) -> None:
    assert_decodes_exactly_or_refuses(data, ALLOWED_TAGS if tags else frozenset())


@st.composite
def mutated_encodings(draw: st.DrawFn) -> bytes:
    data = bytearray(encode(draw(values)))
    mutation = draw(st.sampled_from(["flip", "truncate", "insert", "delete"]))
    position = draw(st.integers(min_value=0, max_value=len(data) - 1))
    if mutation == "flip":
        data[position] ^= 1 << draw(st.integers(min_value=0, max_value=7))
    elif mutation == "truncate":
        del data[position:]
    elif mutation == "insert":
        data.insert(position, draw(st.integers(min_value=0, max_value=255)))
    else:
        del data[position]
    return bytes(data)


@settings(suppress_health_check=[HealthCheck.filter_too_much])
@given(mutated_encodings())
def test_mutated_encodings_decode_exactly_or_raise_encoding_error(data: bytes) -> None:
    assume(data)
    assert_decodes_exactly_or_refuses(data, ALLOWED_TAGS)
