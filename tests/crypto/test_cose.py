"""COSE_Sign1 signing and strict verification (custody's own cases)."""

from __future__ import annotations

from typing import Any

import attrs
import cbor2
import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed448 import Ed448PrivateKey
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from cryptography.hazmat.primitives.hashes import SHA256
from hypothesis import given, settings
from hypothesis import strategies as st

from custody.crypto import (
    ALG,
    ALG_ED25519,
    ALG_EDDSA,
    ALG_ES256,
    CONTENT_TYPE,
    CRIT,
    CUSTODY_POLICY,
    CWT_CLAIMS,
    KID,
    Sign1Message,
    Sign1Policy,
    SigningKey,
    sig_structure,
    sign1,
    verify_sign1,
)
from custody.errors import EncodingError, InvalidInput, SignatureError

KEY = SigningKey.from_seed(bytes(range(32)))
OTHER_KEY = SigningKey.from_seed(bytes(range(1, 33)))
PAYLOAD = b"\x01custody event payload\xfe"
CONTENT = "application/vnd.custody.event+cbor"


def _craft(
    protected: dict[Any, Any] | bytes,
    unprotected: dict[Any, Any] | None = None,
    payload: bytes | None = PAYLOAD,
    *,
    tag: int | None = 18,
    signature: bytes | None = None,
    aad: bytes = b"",
) -> bytes:
    """Build a message by hand (cbor2 directly), signed with KEY over the given headers."""
    body = protected if isinstance(protected, bytes) else cbor2.dumps(protected, canonical=True)
    if signature is None:
        signature = KEY.sign(sig_structure(body, payload or b"", aad))
    message = [body, unprotected or {}, payload, signature]
    return cbor2.dumps(cbor2.CBORTag(tag, message) if tag is not None else message, canonical=True)


def _custody_header(**extra: Any) -> dict[Any, Any]:
    return {ALG: ALG_ED25519, KID: KEY.key_id, **extra}


# --- round trips -------------------------------------------------------------------------


@pytest.mark.parametrize("alg", [ALG_ED25519, ALG_EDDSA])
def test_round_trip(alg: int) -> None:
    data = sign1(PAYLOAD, KEY, content_type=CONTENT, alg=alg)
    assert data[:2] == b"\xd2\x84"
    message = verify_sign1(data, KEY.public)
    assert message.payload == PAYLOAD
    assert message.alg == alg
    assert message.kid == KEY.key_id
    assert message.content_type == CONTENT
    assert message.tagged
    assert message.unprotected == {}
    assert verify_sign1(data, KEY.public_key) == message  # a cryptography key works too


def test_protected_header_is_deterministic_cbor() -> None:
    claims = {1: "unit.example", 2: "custody:case-1/item-1"}
    data = sign1(PAYLOAD, KEY, content_type=CONTENT, protected={CWT_CLAIMS: claims})
    message = Sign1Message.from_bytes(data)
    expected = {ALG: ALG_ED25519, CONTENT_TYPE: CONTENT, KID: KEY.key_id, CWT_CLAIMS: claims}
    assert message.protected == cbor2.dumps(expected, canonical=True)
    assert message.protected_header == expected
    verify_sign1(data, KEY.public)


def test_sign1_is_reproducible() -> None:
    assert sign1(PAYLOAD, KEY) == sign1(PAYLOAD, KEY)


@settings(max_examples=50, deadline=None)
@given(payload=st.binary(max_size=512), aad=st.binary(max_size=64), eddsa=st.booleans())
def test_round_trip_any_payload(payload: bytes, aad: bytes, eddsa: bool) -> None:
    alg = ALG_EDDSA if eddsa else ALG_ED25519
    data = sign1(payload, KEY, alg=alg, external_aad=aad)
    assert verify_sign1(data, KEY.public, external_aad=aad).payload == payload


def test_from_bytes_to_bytes_round_trip() -> None:
    data = sign1(PAYLOAD, KEY, content_type=0, unprotected={33: b"\x00"})
    assert Sign1Message.from_bytes(data).to_bytes() == data


def test_sig_structure_known_answer() -> None:
    # cose-wg/Examples eddsa-sig-01, ToBeSign (formats.md §5.1).
    expected = bytes.fromhex(
        "846a5369676e61747572653145a2012703004054546869732069732074686520636f6e74656e742e"
    )
    assert sig_structure(bytes.fromhex("a201270300"), b"This is the content.") == expected


_HEAD_LENGTHS = st.sampled_from([0, 1, 23, 24, 255, 256, 65535, 65536])


@settings(max_examples=60, deadline=None)
@given(
    protected=st.one_of(st.binary(max_size=300), _HEAD_LENGTHS.map(bytes)),
    aad=st.binary(max_size=40),
    payload=st.one_of(st.binary(max_size=300), _HEAD_LENGTHS.map(bytes)),
)
def test_sig_structure_is_the_deterministic_cbor_of_its_four_items(
    protected: bytes, aad: bytes, payload: bytes
) -> None:
    # Written head by head: it must equal a general encoder's output at every length head.
    body = b"" if protected == b"\xa0" else protected
    expected = cbor2.dumps(["Signature1", body, aad, payload])
    assert sig_structure(protected, payload, aad) == expected


def test_sig_structure_treats_encoded_empty_map_as_no_attributes() -> None:
    # RFC 9052 §4.4: with no protected attributes the Sig_structure carries h''.
    assert sig_structure(b"\xa0", PAYLOAD) == sig_structure(b"", PAYLOAD)
    expected = cbor2.dumps(["Signature1", b"", b"aad", PAYLOAD])
    assert sig_structure(b"\xa0", PAYLOAD, b"aad") == expected


# --- tampering ---------------------------------------------------------------------------

SIGNED = sign1(PAYLOAD, KEY, content_type=CONTENT)
PARSED = Sign1Message.from_bytes(SIGNED)


def _span(part: bytes) -> tuple[int, int]:
    start = SIGNED.find(part)
    assert start >= 0
    assert SIGNED.find(part, start + 1) == -1  # unique, so we flip the part we mean
    return start, start + len(part)


def _flip(index: int, mask: int) -> bytes:
    data = bytearray(SIGNED)
    data[index] ^= mask
    return bytes(data)


@settings(max_examples=100, deadline=None)
@given(data=st.data(), mask=st.integers(1, 255))
def test_any_payload_byte_flip_is_detected(data: st.DataObject, mask: int) -> None:
    start, end = _span(PAYLOAD)
    index = data.draw(st.integers(start, end - 1))
    with pytest.raises(SignatureError):
        verify_sign1(_flip(index, mask), KEY.public)


@settings(max_examples=100, deadline=None)
@given(data=st.data(), mask=st.integers(1, 255))
def test_any_signature_byte_flip_is_detected(data: st.DataObject, mask: int) -> None:
    index = data.draw(st.integers(len(SIGNED) - 64, len(SIGNED) - 1))
    with pytest.raises(SignatureError):
        verify_sign1(_flip(index, mask), KEY.public)


@settings(max_examples=200, deadline=None)
@given(data=st.data(), mask=st.integers(1, 255))
def test_any_protected_byte_flip_is_detected(data: st.DataObject, mask: int) -> None:
    start, end = _span(PARSED.protected)
    index = data.draw(st.integers(start, end - 1))
    # A flip either still decodes (and the signature, alg or header checks fail) or breaks the
    # protected map's CBOR (and parsing fails); it never verifies.
    with pytest.raises((SignatureError, EncodingError)):
        verify_sign1(_flip(index, mask), KEY.public)


def test_wrong_key_is_rejected() -> None:
    with pytest.raises(SignatureError, match="does not verify"):
        verify_sign1(SIGNED, OTHER_KEY.public)


def test_wrong_key_type_is_rejected() -> None:
    with pytest.raises(SignatureError, match="does not fit"):
        verify_sign1(SIGNED, Ed448PrivateKey.generate().public_key())
    with pytest.raises(SignatureError, match="does not fit"):
        verify_sign1(SIGNED, ec.generate_private_key(ec.SECP256R1()).public_key())


def test_truncated_signature_is_rejected() -> None:
    data = _craft(_custody_header(), signature=KEY.sign(b"x")[:63])
    with pytest.raises(SignatureError, match="63 bytes"):
        verify_sign1(data, KEY.public)


# --- algorithm ---------------------------------------------------------------------------


def test_alg_only_in_unprotected_is_rejected() -> None:
    data = _craft({KID: KEY.key_id}, {ALG: ALG_ED25519})
    with pytest.raises(SignatureError, match="unprotected"):
        verify_sign1(data, KEY.public)
    # The interop policy (third-party vectors only) tolerates it.
    verify_sign1(data, KEY.public, policy=Sign1Policy.interop())


def test_missing_alg_is_rejected() -> None:
    with pytest.raises(SignatureError, match="no alg"):
        verify_sign1(_craft({KID: KEY.key_id}), KEY.public)


@pytest.mark.parametrize("alg", [ALG_ES256, -35, -53, 0, "EdDSA"])
def test_alg_outside_allowlist_is_rejected(alg: int | str) -> None:
    data = _craft({ALG: alg, KID: KEY.key_id})
    with pytest.raises(SignatureError, match="not allowed"):
        verify_sign1(data, KEY.public)


def test_policy_can_narrow_to_ed25519() -> None:
    data = sign1(PAYLOAD, KEY, alg=ALG_EDDSA)
    with pytest.raises(SignatureError, match="not allowed"):
        verify_sign1(data, KEY.public, policy=Sign1Policy(algorithms=frozenset({ALG_ED25519})))


def _es256_message() -> tuple[bytes, ec.EllipticCurvePublicKey]:
    private = ec.generate_private_key(ec.SECP256R1())
    protected = cbor2.dumps({ALG: ALG_ES256}, canonical=True)
    der = private.sign(sig_structure(protected, PAYLOAD), ec.ECDSA(SHA256()))
    r, s = decode_dss_signature(der)
    signature = r.to_bytes(32, "big") + s.to_bytes(32, "big")
    return _craft(protected, signature=signature), private.public_key()


def test_es256_is_rejected_by_custody_policy() -> None:
    data, public = _es256_message()
    verify_sign1(data, public, policy=Sign1Policy.interop())
    with pytest.raises(SignatureError, match="not allowed"):
        verify_sign1(data, public)


def test_es256_needs_p256() -> None:
    data, _ = _es256_message()
    p384 = ec.generate_private_key(ec.SECP384R1()).public_key()
    with pytest.raises(SignatureError, match="P-256"):
        verify_sign1(data, p384, policy=Sign1Policy.interop())


@pytest.mark.parametrize("alg", [ALG_ES256, -35, 0])
def test_sign1_refuses_other_algorithms(alg: int) -> None:
    with pytest.raises(InvalidInput, match="alg"):
        sign1(PAYLOAD, KEY, alg=alg)


# --- crit and buckets --------------------------------------------------------------------


def test_unknown_critical_label_is_rejected() -> None:
    data = _craft(_custody_header() | {CRIT: [99], 99: 1})
    with pytest.raises(SignatureError, match="99 is not understood"):
        verify_sign1(data, KEY.public)


def test_understood_critical_labels_are_accepted() -> None:
    data = sign1(
        PAYLOAD, KEY, content_type=CONTENT, protected={CRIT: [CONTENT_TYPE], CWT_CLAIMS: {1: "x"}}
    )
    verify_sign1(data, KEY.public)


def test_policy_can_understand_more_labels() -> None:
    data = sign1(PAYLOAD, KEY, protected={CRIT: [99], 99: 1})
    with pytest.raises(SignatureError, match="not understood"):
        verify_sign1(data, KEY.public)
    policy = Sign1Policy(understood_critical=CUSTODY_POLICY.understood_critical | {99})
    verify_sign1(data, KEY.public, policy=policy)


def test_critical_label_must_be_present() -> None:
    data = sign1(PAYLOAD, KEY, protected={CRIT: [CWT_CLAIMS]})
    with pytest.raises(SignatureError, match="listed but absent"):
        verify_sign1(data, KEY.public)


def test_crit_in_unprotected_is_rejected() -> None:
    data = _craft(_custody_header(), {CRIT: [KID]})
    with pytest.raises(SignatureError, match="crit must be in the protected header"):
        verify_sign1(data, KEY.public)


@pytest.mark.parametrize("crit", [[], "4", [b"x"], 4])
def test_malformed_crit_is_rejected(crit: object) -> None:
    with pytest.raises(EncodingError, match="crit"):
        verify_sign1(_craft(_custody_header() | {CRIT: crit}), KEY.public)


def test_label_in_both_buckets_is_rejected() -> None:
    data = _craft(_custody_header(), {KID: KEY.key_id})
    with pytest.raises(SignatureError, match="both buckets: 4"):
        verify_sign1(data, KEY.public)


def test_sign1_refuses_label_in_both_buckets() -> None:
    with pytest.raises(InvalidInput, match="both buckets"):
        sign1(PAYLOAD, KEY, unprotected={KID: b"x"})


@pytest.mark.parametrize("label", [ALG, CONTENT_TYPE, KID])
def test_sign1_refuses_reserved_protected_labels(label: int) -> None:
    with pytest.raises(InvalidInput, match="set by sign1"):
        sign1(PAYLOAD, KEY, protected={label: 1})


@pytest.mark.parametrize("content_type", [-1, True, b"x", 1.5])
def test_sign1_refuses_bad_content_type(content_type: Any) -> None:
    with pytest.raises(InvalidInput, match="content_type"):
        sign1(PAYLOAD, KEY, content_type=content_type)


def test_sign1_refuses_bad_signer_output() -> None:
    @attrs.frozen
    class ShortSigner:
        key_id: bytes = KEY.key_id
        public_key: Any = KEY.public_key

        def sign(self, message: bytes) -> bytes:
            return KEY.sign(message)[:63]

    with pytest.raises(InvalidInput, match="64-byte"):
        sign1(PAYLOAD, ShortSigner())


# --- payload and AAD ---------------------------------------------------------------------


def test_detached_payload() -> None:
    detached = attrs.evolve(PARSED, payload=None).to_bytes()
    message = verify_sign1(detached, KEY.public, detached_payload=PAYLOAD)
    assert message.payload is None
    with pytest.raises(SignatureError, match="does not verify"):
        verify_sign1(detached, KEY.public, detached_payload=PAYLOAD + b"!")
    with pytest.raises(InvalidInput, match="detached"):
        verify_sign1(detached, KEY.public)


def test_detached_payload_given_twice_is_refused() -> None:
    with pytest.raises(InvalidInput, match="carries its payload"):
        verify_sign1(SIGNED, KEY.public, detached_payload=PAYLOAD)


def test_external_aad() -> None:
    data = sign1(PAYLOAD, KEY, external_aad=b"case-42")
    verify_sign1(data, KEY.public, external_aad=b"case-42")
    with pytest.raises(SignatureError):
        verify_sign1(data, KEY.public)
    with pytest.raises(SignatureError):
        verify_sign1(data, KEY.public, external_aad=b"case-43")


# --- structure and tag -------------------------------------------------------------------


def test_untagged_is_rejected_by_custody_policy() -> None:
    data = _craft(_custody_header(), tag=None)
    with pytest.raises(SignatureError, match="tag 18"):
        verify_sign1(data, KEY.public)
    assert not verify_sign1(data, KEY.public, policy=Sign1Policy.interop()).tagged
    with pytest.raises(EncodingError, match="tag 18"):
        Sign1Message.from_bytes(data)


def test_other_tag_is_rejected() -> None:
    data = _craft(_custody_header(), tag=98)
    for policy in (CUSTODY_POLICY, Sign1Policy.interop()):
        with pytest.raises(EncodingError):
            verify_sign1(data, KEY.public, policy=policy)


def test_empty_protected_is_allowed_structurally() -> None:
    message = Sign1Message.from_bytes(_craft(b"", {ALG: ALG_ED25519}))
    assert message.protected_header == {}
    assert message.alg is None


def _body(*items: Any) -> bytes:
    return cbor2.dumps(cbor2.CBORTag(18, list(items)), canonical=True)


SIG = bytes(64)
PROTECTED = cbor2.dumps(_custody_header(), canonical=True)


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(cbor2.dumps(cbor2.CBORTag(18, {}), canonical=True), id="not-an-array"),
        pytest.param(_body(PROTECTED, {}, PAYLOAD), id="three-items"),
        pytest.param(_body(PROTECTED, {}, PAYLOAD, SIG, b""), id="five-items"),
        pytest.param(_body({1: -19}, {}, PAYLOAD, SIG), id="protected-not-bstr"),
        pytest.param(_body(cbor2.dumps([1]), {}, PAYLOAD, SIG), id="protected-not-map"),
        pytest.param(_body(b"\xa1\x01", {}, PAYLOAD, SIG), id="protected-truncated"),
        pytest.param(_body(b"\xa1\x18\x01\x26", {}, PAYLOAD, SIG), id="protected-non-shortest"),
        pytest.param(_body(b"\xa1\x01\x26\x00", {}, PAYLOAD, SIG), id="protected-trailing"),
        pytest.param(_body(PROTECTED, [], PAYLOAD, SIG), id="unprotected-not-map"),
        pytest.param(_body(PROTECTED, {b"x": 1}, PAYLOAD, SIG), id="unprotected-bad-label"),
        pytest.param(_body(PROTECTED, {33: cbor2.CBORTag(18, 1)}, PAYLOAD, SIG), id="nested-tag"),
        pytest.param(_body(PROTECTED, {}, "text", SIG), id="payload-text"),
        pytest.param(_body(PROTECTED, {}, PAYLOAD, None), id="signature-null"),
        pytest.param(_body(PROTECTED, {}, PAYLOAD, SIG) + b"\x00", id="trailing-bytes"),
        pytest.param(_body(cbor2.dumps({4: "text"}), {}, PAYLOAD, SIG), id="kid-not-bstr"),
        pytest.param(_body(cbor2.dumps({1: b"x"}), {}, PAYLOAD, SIG), id="alg-not-label"),
        pytest.param(_body(PROTECTED, {3: -1}, PAYLOAD, SIG), id="content-type-negative"),
        pytest.param(b"", id="empty"),
    ],
)
def test_malformed_structure_is_an_encoding_error(data: bytes) -> None:
    for policy in (CUSTODY_POLICY, Sign1Policy.interop()):
        with pytest.raises(EncodingError):
            verify_sign1(data, KEY.public, policy=policy)


def test_message_header_must_match_protected_bytes() -> None:
    with pytest.raises(InvalidInput, match="protected_header"):
        attrs.evolve(PARSED, protected_header={ALG: ALG_EDDSA, KID: KEY.key_id})


def test_message_is_hashable() -> None:
    assert hash(PARSED) == hash(Sign1Message.from_bytes(SIGNED))
    assert Sign1Message.from_bytes(SIGNED) == PARSED


# --- policy ------------------------------------------------------------------------------


def test_default_policy() -> None:
    assert Sign1Policy() == CUSTODY_POLICY
    assert CUSTODY_POLICY.algorithms == frozenset({ALG_ED25519, ALG_EDDSA})
    assert not CUSTODY_POLICY.allow_unprotected_alg
    assert CUSTODY_POLICY.require_tag
    assert CUSTODY_POLICY.understood_critical == frozenset({ALG, CONTENT_TYPE, KID, CWT_CLAIMS})


def test_interop_policy() -> None:
    policy = Sign1Policy.interop()
    assert policy.algorithms == frozenset({ALG_ED25519, ALG_EDDSA, ALG_ES256})
    assert policy.allow_unprotected_alg
    assert not policy.require_tag


@pytest.mark.parametrize("algorithms", [frozenset(), frozenset({-35}), frozenset({-19, -53})])
def test_policy_refuses_algorithms_it_cannot_verify(algorithms: frozenset[int]) -> None:
    with pytest.raises(InvalidInput, match="algorithms"):
        Sign1Policy(algorithms=algorithms)
