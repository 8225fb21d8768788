"""The quick split of custody's common COSE_Sign1 form agrees with the strict decoder."""

from __future__ import annotations

from typing import Any

from cbor2 import CBORTag
from hypothesis import given, settings
from hypothesis import strategies as st

from custody.crypto import sign1
from custody.crypto._cose import _split_common_form
from custody.encoding import decode, encode
from custody.errors import EncodingError
from custody.testing import fixed_key

KEY = fixed_key("common-form")


def strict(data: bytes) -> Any:
    try:
        return decode(data, allow_tags=frozenset({18}))
    except EncodingError:
        return None


def agrees(data: bytes) -> None:
    split = _split_common_form(data)
    if split is None:
        return
    value = strict(data)
    assert isinstance(value, CBORTag)
    assert value.tag == 18
    assert value.value == [split[0], {}, split[1], split[2]]


@given(st.binary(max_size=300), st.binary(max_size=70000))
@settings(max_examples=60, deadline=None)
def test_signed_messages_split_like_the_decoder_reads_them(payload: bytes, big: bytes) -> None:
    for body in (payload, big):
        message = sign1(body, KEY)
        assert _split_common_form(message) is not None
        agrees(message)


@given(st.data())
@settings(max_examples=400, deadline=None)
def test_mutated_messages_split_only_when_strict_decoding_agrees(data: st.DataObject) -> None:
    message = bytearray(sign1(data.draw(st.binary(max_size=40)), KEY))
    for _ in range(data.draw(st.integers(1, 3))):
        position = data.draw(st.integers(0, len(message) - 1))
        message[position] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(0, len(message)))
    for candidate in (bytes(message), bytes(message[:cut]), bytes(message) + b"\x00"):
        agrees(candidate)


def test_non_shortest_lengths_are_left_to_the_strict_decoder() -> None:
    payload = b"x" * 10
    shortest = encode(CBORTag(18, [b"", {}, payload, b"s" * 64]))
    longer = shortest.replace(b"\x4a" + payload, b"\x58\x0a" + payload)
    assert _split_common_form(shortest) is not None
    assert _split_common_form(longer) is None
    assert strict(longer) is None
