"""Per-field commitments: the construction byte for byte, round trips, and tamper detection."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from typing import Any

import cbor2
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from custody import encoding
from custody.errors import EncodingError, InvalidInput
from custody.medical._commitments import (
    FIELD_SALT_SIZE,
    MAX_DOCUMENT_DEPTH,
    CommittedDocument,
    FieldMismatch,
    commitment,
    escape,
    field_mismatches,
    fields_digest,
    leaves,
    rebuild,
)
from custody.model import MAX_RECORD_SIZE, FrozenMap

# -- known answers ------------------------------------------------------------------------

DOCUMENT = {"evaluation_id": "EV-1", "findings": [{"id": "F1", "colour": "purple"}], "notes": []}
SALTS = {
    "/evaluation_id": b"\x01" * 16,
    "/findings/0/id": b"\x02" * 16,
    "/findings/0/colour": b"\x03" * 16,
    "/notes": b"\x04" * 16,
}
# Computed once with this module and written down, so that a change of construction shows.
EXPECTED_COMMITMENTS = {
    "/evaluation_id": "6fcf2ab8ee2462b6f834cea728b156667c2f66af4763798ff02f5c940df78372",
    "/findings/0/id": "f4356c359ca274b49fe60106e395e8bd8ee1ac4b689c89d26f22c03101f66222",
    "/findings/0/colour": "04f2bdde216a315cb40734a61b81e7bcbe798bafa510ed1f2f4db3e253ac3a02",
    "/notes": "98473dd4b8393e5ac3b77eecb026a99923ebfef4e014aa5d8a55d1ad994bb350",
}
EXPECTED_DIGEST = "b2c4aa347738a9851565a799ec00d3b56a2ce6eeea3b4a1025a6c77d80c7ed42"
EXPECTED_RECORD_HASH = "e90efe22053b2423b01567bf9c798da9b9fc3ae1e8548717c688058a952ccd1b"


def fixed_salts() -> Iterator[bytes]:
    return iter(SALTS.values())


def known() -> CommittedDocument:
    salts = fixed_salts()
    return CommittedDocument.commit(DOCUMENT, randbytes=lambda size: next(salts))


def test_known_answers() -> None:
    committed = known()
    assert dict(committed.salts) == SALTS
    assert {p: c.hex() for p, c in committed.commitments().items()} == EXPECTED_COMMITMENTS
    assert committed.digest().hex() == EXPECTED_DIGEST
    assert committed.record_hash().hex() == EXPECTED_RECORD_HASH


def test_the_construction_with_hashlib_and_the_encoder() -> None:
    """What an independent verifier computes, step by step (docs/formats.md)."""
    # The leaf's CBOR: array(2), text(18) "/findings/0/colour", text(6) "purple".
    leaf = encoding.encode(["/findings/0/colour", "purple"])
    assert leaf == bytes.fromhex("8272") + b"/findings/0/colour" + bytes.fromhex("66") + b"purple"
    # An empty array is the value 80.
    assert encoding.encode(["/notes", []]) == bytes.fromhex("82 66") + b"/notes" + b"\x80"
    values = {
        "/evaluation_id": "EV-1",
        "/findings/0/id": "F1",
        "/findings/0/colour": "purple",
        "/notes": [],
    }
    commitments = {
        pointer: hashlib.sha256(
            b"custody/field/v1\x00" + SALTS[pointer] + encoding.encode([pointer, value])
        ).digest()
        for pointer, value in values.items()
    }
    assert {p: c.hex() for p, c in commitments.items()} == EXPECTED_COMMITMENTS
    digest = hashlib.sha256(b"custody/evaluation/v1\x00" + encoding.encode(commitments))
    assert digest.hexdigest() == EXPECTED_DIGEST
    record = encoding.encode({"v": 1, "document": DOCUMENT, "salts": SALTS})
    assert record == known().to_bytes()
    assert hashlib.sha256(record).hexdigest() == EXPECTED_RECORD_HASH


def test_the_digest_does_not_depend_on_the_order_given() -> None:
    commitments = known().commitments()
    assert fields_digest(dict(reversed(commitments.items()))).hex() == EXPECTED_DIGEST


def test_the_empty_document_has_no_leaves() -> None:
    committed = CommittedDocument.commit({})
    assert leaves({}) == {}
    assert committed.salts == {}
    assert committed.digest() == hashlib.sha256(b"custody/evaluation/v1\x00\xa0").digest()
    assert CommittedDocument.from_bytes(committed.to_bytes()) == committed


# -- leaves and pointers ------------------------------------------------------------------


def test_pointers_escape_tilde_and_slash() -> None:
    document = {"a/b": {"~c": 1, "~1": 2}, "": None}
    assert leaves(document) == {"/a~1b/~0c": 1, "/a~1b/~01": 2, "/": None}
    assert rebuild(leaves(document)) == document
    assert escape("~/") == "~0~1"


def test_leaves_are_scalars_and_empty_containers() -> None:
    document = {"t": True, "i": 1, "n": None, "s": "", "m": {}, "l": [], "a": [[], {}, [1]]}
    assert leaves(document) == {
        "/t": True,
        "/i": 1,
        "/n": None,
        "/s": "",
        "/m": {},
        "/l": [],
        "/a/0": [],
        "/a/1": {},
        "/a/2/0": 1,
    }


def test_true_and_one_are_different_leaves() -> None:
    salt = b"\x00" * FIELD_SALT_SIZE
    assert commitment("/x", True, salt) != commitment("/x", 1, salt)
    assert commitment("/x", {}, salt) != commitment("/x", [], salt)
    assert type(leaves({"x": True})["/x"]) is bool


@pytest.mark.parametrize(
    ("document", "pointer"),
    [
        ({"size": {"length_mm": 1.5}}, "/size/length_mm"),
        ({"list": [1, 2.0]}, "/list/1"),
        ({"b": b"bytes"}, "/b"),
        ({"big": 2**64}, "/big"),
        ({"s": "\ud800"}, "/s"),
        ({"m": {1: "x"}}, "/m"),
        ({"indices": {"0": "a", "1": "b"}}, "/indices"),
        ({"0": "a"}, "document"),
    ],
)
def test_what_is_not_json_like_is_refused_naming_the_pointer(
    document: dict[str, Any], pointer: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        leaves(document)
    assert refused.value.field == pointer
    with pytest.raises(InvalidInput):
        CommittedDocument.commit(document)


def test_a_map_with_some_index_keys_is_a_map() -> None:
    document = {"teeth": {"11": "missing", "note": "upper jaw"}}
    assert rebuild(leaves(document)) == document


def test_the_root_must_be_a_map() -> None:
    with pytest.raises(InvalidInput):
        leaves([1])  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="root"):
        rebuild({"/0": 1})


def nested(depth: int) -> dict[str, Any]:
    document: dict[str, Any] = {}
    for _ in range(depth - 1):
        document = {"a": document}
    return document


def test_depth_is_limited_alike_in_documents_and_records() -> None:
    deepest = CommittedDocument.commit(nested(MAX_DOCUMENT_DEPTH))
    assert CommittedDocument.from_bytes(deepest.to_bytes()) == deepest
    with pytest.raises(InvalidInput, match="nested more than"):
        leaves(nested(MAX_DOCUMENT_DEPTH + 1))
    too_deep = encoding.encode({"v": 1, "document": nested(MAX_DOCUMENT_DEPTH + 1), "salts": {}})
    with pytest.raises(EncodingError, match="nesting too deep"):
        CommittedDocument.from_bytes(too_deep)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"/a/1": 1}, "without a gap"),
        ({"/a/0": 1, "/a/2": 2}, "without a gap"),
        ({"/a": 1, "/a/b": 2}, "also hold"),
        ({"/a/b": 2, "/a": 1}, "also hold"),
        ({"a": 1}, "not a JSON pointer"),
        ({"": 1}, "not a JSON pointer"),
        ({"/a~2": 1}, "followed by 0 or 1"),
        ({"/a": {"b": 1}}, "empty map or array"),
        ({"/a": 0.5}, "floats"),
    ],
)
def test_rebuild_refuses_what_no_document_has(fields: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        rebuild(fields)


def test_the_document_is_a_frozen_copy() -> None:
    document: dict[str, Any] = {"findings": [{"colour": "purple"}]}
    committed = CommittedDocument.commit(document)
    document["findings"][0]["colour"] = "green"
    assert committed.document["findings"][0]["colour"] == "purple"
    assert isinstance(committed.document, FrozenMap)
    assert isinstance(committed.document["findings"], tuple)
    with pytest.raises(TypeError):
        committed.document["findings"] = []  # type: ignore[index]


def test_disclosed_fields_check_against_the_signed_commitments() -> None:
    committed = known()
    signed = committed.commitments()
    (disclosed,) = committed.disclose(["/findings/0/colour"])
    assert disclosed == ("/findings/0/colour", "purple", SALTS["/findings/0/colour"])
    assert commitment(*disclosed) == signed["/findings/0/colour"]
    with pytest.raises(InvalidInput, match="not a leaf"):
        committed.disclose(["/findings/0"])


def test_salts_of_the_wrong_size_are_refused() -> None:
    with pytest.raises(InvalidInput, match="16 bytes"):
        CommittedDocument.commit(DOCUMENT, randbytes=lambda size: b"\x00" * (size - 1))
    with pytest.raises(InvalidInput, match="16 bytes"):
        commitment("/a", 1, b"\x00" * 17)


# -- strict decoding ----------------------------------------------------------------------


def record_bytes(**changes: Any) -> bytes:
    record: dict[str, Any] = {"v": 1, "document": DOCUMENT, "salts": dict(SALTS)}
    record.update(changes)
    return encoding.encode(record)


REFUSED_RECORDS = {
    "extra key": (record_bytes(extra=1), InvalidInput, "unknown keys"),
    "missing key": (encoding.encode({"v": 1, "document": {}}), InvalidInput, "missing"),
    "version 2": (record_bytes(v=2), InvalidInput, "unsupported record version"),
    "version true": (record_bytes(v=True), InvalidInput, "unsupported record version"),
    "document not a map": (record_bytes(document=[]), InvalidInput, "must be a map"),
    "salts not a map": (record_bytes(salts=[]), InvalidInput, "must be a map"),
    "salt of 15 bytes": (
        record_bytes(salts={**SALTS, "/notes": b"\x04" * 15}),
        InvalidInput,
        "16 bytes",
    ),
    "salt not bytes": (record_bytes(salts={**SALTS, "/notes": "salt"}), InvalidInput, "16 bytes"),
    "salt for a container": (
        record_bytes(salts={**SALTS, "/findings/0": b"\x05" * 16}),
        InvalidInput,
        "not a leaf",
    ),
    "salt for nothing": (
        record_bytes(salts={**SALTS, "/nowhere": b"\x05" * 16}),
        InvalidInput,
        "not a leaf",
    ),
    "missing salt": (
        record_bytes(salts={k: v for k, v in SALTS.items() if k != "/notes"}),
        InvalidInput,
        "no salt",
    ),
    "float": (
        cbor2.dumps({"v": 1, "salts": {"/a": b"\x00" * 16}, "document": {"a": 1.5}}),
        EncodingError,
        "floating-point",
    ),
    "bytes in the document": (
        record_bytes(document={"a": b"raw"}, salts={"/a": b"\x00" * 16}),
        InvalidInput,
        "bytes",
    ),
    "trailing bytes": (record_bytes() + b"\x00", EncodingError, "trailing bytes"),
    "keys out of order": (
        cbor2.dumps({"salts": {}, "v": 1, "document": {}}),
        EncodingError,
        "order",
    ),
    "too large": (b"\xa0" * (MAX_RECORD_SIZE + 1), InvalidInput, "over the limit"),
    "empty": (b"", EncodingError, "empty"),
}


@pytest.mark.parametrize("case", REFUSED_RECORDS)
def test_strict_decoding_refuses(case: str) -> None:
    data, error, message = REFUSED_RECORDS[case]
    with pytest.raises(error, match=message):
        CommittedDocument.from_bytes(data)


def test_the_refusal_names_the_field() -> None:
    with pytest.raises(InvalidInput) as refused:
        CommittedDocument.from_bytes(record_bytes(salts={**SALTS, "/notes": b"\x04" * 15}))
    assert refused.value.field == "/notes"


def test_an_unreadable_record_cannot_be_compared() -> None:
    with pytest.raises(InvalidInput):
        field_mismatches(b"\xff", known().commitments())


def test_a_nested_addition_is_reported() -> None:
    signed = known().commitments()
    grown = {**DOCUMENT, "findings": [*DOCUMENT["findings"], {"id": "F2"}]}  # type: ignore[list-item]
    record = CommittedDocument(grown, {**SALTS, "/findings/1/id": b"\x09" * 16}).to_bytes()
    assert field_mismatches(record, signed) == [FieldMismatch("/findings/1/id", "added")]


# -- properties ---------------------------------------------------------------------------

_INDEX = re.compile(r"0|[1-9][0-9]*")
keys = st.text(alphabet=st.sampled_from("ab~/0 1é"), max_size=4) | st.text(max_size=6)
scalars = (
    st.none() | st.booleans() | st.integers(min_value=-(2**64), max_value=2**64 - 1) | st.text()
)


def maps(values: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    return st.dictionaries(keys, values, max_size=4).filter(
        lambda m: not m or not all(_INDEX.fullmatch(k) for k in m)
    )


values = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=4) | maps(inner), max_leaves=20
)
documents = maps(values)
leaf_values = scalars | st.sampled_from([{}, []])


def depth(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + max(map(depth, value.values()), default=0)
    if isinstance(value, list):
        return 1 + max(map(depth, value), default=0)
    return 0


def committed_documents() -> st.SearchStrategy[CommittedDocument]:
    return documents.filter(lambda d: depth(d) <= MAX_DOCUMENT_DEPTH).map(CommittedDocument.commit)


def same_leaf(a: Any, b: Any) -> bool:
    return type(a) is type(b) and a == b


@given(documents)
def test_leaves_and_rebuild_are_inverse(document: dict[str, Any]) -> None:
    assume(depth(document) <= MAX_DOCUMENT_DEPTH)
    assert rebuild(leaves(document)) == document


@given(committed_documents())
def test_records_round_trip(committed: CommittedDocument) -> None:
    data = committed.to_bytes()
    again = CommittedDocument.from_bytes(data)
    assert again == committed
    assert again.to_bytes() == data
    assert again.digest() == committed.digest()
    assert field_mismatches(data, committed.commitments()) == []


@given(committed_documents(), st.data())
def test_a_changed_leaf_is_reported_by_its_pointer(
    committed: CommittedDocument, data: st.DataObject
) -> None:
    fields = leaves(committed.document)
    assume(fields)
    pointer = data.draw(st.sampled_from(sorted(fields)))
    value = data.draw(leaf_values)
    assume(not same_leaf(value, fields[pointer]))
    tampered = CommittedDocument(rebuild({**fields, pointer: value}), committed.salts)
    found = field_mismatches(tampered.to_bytes(), committed.commitments())
    assert found == [FieldMismatch(pointer, "changed")]


@given(committed_documents(), keys, leaf_values, st.binary(min_size=16, max_size=16))
def test_an_added_leaf_is_reported_by_its_pointer(
    committed: CommittedDocument, key: str, value: Any, salt: bytes
) -> None:
    key = "added~" + key  # never an array index
    assume(key not in committed.document)
    pointer = "/" + escape(key)
    document = {**rebuild(leaves(committed.document)), key: value}
    tampered = CommittedDocument(document, {**committed.salts, pointer: salt})
    found = field_mismatches(tampered.to_bytes(), committed.commitments())
    assert found == [FieldMismatch(pointer, "added")]


def removable(fields: dict[str, Any]) -> list[str]:
    """Leaves whose removal leaves a document: not an array element before another."""
    found = []
    for pointer in sorted(fields):
        try:
            rebuild({p: v for p, v in fields.items() if p != pointer})
        except InvalidInput:
            continue
        found.append(pointer)
    return found


@given(committed_documents(), st.data())
def test_a_removed_leaf_is_reported_by_its_pointer(
    committed: CommittedDocument, data: st.DataObject
) -> None:
    fields = leaves(committed.document)
    candidates = removable(fields)
    assume(candidates)
    pointer = data.draw(st.sampled_from(candidates))
    rest = {p: v for p, v in fields.items() if p != pointer}
    salts = {p: s for p, s in committed.salts.items() if p != pointer}
    tampered = CommittedDocument(rebuild(rest), salts)
    found = field_mismatches(tampered.to_bytes(), committed.commitments())
    assert found == [FieldMismatch(pointer, "removed")]


@given(committed_documents(), st.data())
def test_a_flipped_salt_byte_changes_exactly_that_commitment(
    committed: CommittedDocument, data: st.DataObject
) -> None:
    assume(committed.salts)
    pointer = data.draw(st.sampled_from(sorted(committed.salts)))
    position = data.draw(st.integers(0, FIELD_SALT_SIZE - 1))
    bit = data.draw(st.integers(0, 7))
    salt = bytearray(committed.salts[pointer])
    salt[position] ^= 1 << bit
    flipped = CommittedDocument(committed.document, {**committed.salts, pointer: bytes(salt)})
    before, after = committed.commitments(), flipped.commitments()
    assert [p for p in before if before[p] != after[p]] == [pointer]
    assert flipped.digest() != committed.digest()
    found = field_mismatches(flipped.to_bytes(), before)
    assert found == [FieldMismatch(pointer, "changed")]
