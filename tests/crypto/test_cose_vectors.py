"""Known-answer tests against the cose-wg/Examples vectors (see the vectors' SOURCE file).

custody's own verification runs under ``CUSTODY_POLICY``; the third-party vectors use ES256,
untagged messages and ``alg`` in the unprotected header, so they are checked under
``Sign1Policy.interop()``, and the ones custody must refuse are checked to fail under both.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed448 import Ed448PublicKey

from custody.crypto import (
    ALG_EDDSA,
    CUSTODY_POLICY,
    KID,
    Sign1Message,
    Sign1Policy,
    SigningKey,
    sig_structure,
    sign1,
    verify_sign1,
)
from custody.errors import EncodingError, SignatureError

VECTORS = Path(__file__).resolve().parents[2].parent / "shared" / "vectors" / "cose"
SIGN1_TESTS = VECTORS / "sign1-tests"
PASS_FILES = sorted(SIGN1_TESTS.glob("sign-pass-*.json"))
FAIL_FILES = sorted(SIGN1_TESTS.glob("sign-fail-*.json"))
# Raise these when vectors are added, so a file that goes missing is noticed.
EXPECTED_PASS = 3
EXPECTED_FAIL = 6
# Passing interop vectors that custody must still refuse: alg unprotected (01), untagged (03).
REFUSED_BY_CUSTODY = {"sign-pass-01.json", "sign-pass-03.json"}

EDDSA = VECTORS / "eddsa-examples"
# COSE_Sign (tag 98, several signers) examples: not COSE_Sign1, so a Sign1 reader refuses them.
MULTI_SIGNER_FILES = ("eddsa-01.json", "eddsa-02.json")


def _load(path: Path) -> dict[str, Any]:
    vector: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return vector


def _b64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _p256_key(jwk: dict[str, str]) -> ec.EllipticCurvePublicKey:
    assert (jwk["kty"], jwk["crv"]) == ("EC", "P-256")
    numbers = ec.EllipticCurvePublicNumbers(
        int.from_bytes(_b64url(jwk["x"]), "big"),
        int.from_bytes(_b64url(jwk["y"]), "big"),
        ec.SECP256R1(),
    )
    return numbers.public_key()


def _case(path: Path) -> tuple[bytes, ec.EllipticCurvePublicKey, bytes]:
    vector = _load(path)
    sign0 = vector["input"]["sign0"]
    external = bytes.fromhex(sign0.get("external", ""))
    return bytes.fromhex(vector["output"]["cbor"]), _p256_key(sign0["key"]), external


def test_vector_counts_match_disk() -> None:
    assert len(PASS_FILES) == EXPECTED_PASS
    assert len(FAIL_FILES) == EXPECTED_FAIL
    assert sorted(p.name for p in EDDSA.glob("*.json")) == sorted(
        [*MULTI_SIGNER_FILES, "eddsa-sig-01.json", "eddsa-sig-02.json"]
    )


@pytest.mark.parametrize("name", MULTI_SIGNER_FILES)
def test_cose_sign_examples_are_refused_as_sign1(name: str) -> None:
    message = bytes.fromhex(_load(EDDSA / name)["output"]["cbor"])
    assert message[:2] == b"\xd8\x62"  # tag 98, COSE_Sign
    for policy in (CUSTODY_POLICY, Sign1Policy.interop()):
        with pytest.raises(EncodingError, match="tag 98"):
            Sign1Message.from_bytes(message, require_tag=policy.require_tag)


# --- EdDSA known answers -----------------------------------------------------------------


def test_eddsa_sig_01_is_reproduced_byte_for_byte() -> None:
    vector = _load(VECTORS / "eddsa-examples" / "eddsa-sig-01.json")
    sign0 = vector["input"]["sign0"]
    key = SigningKey.from_seed(bytes.fromhex(sign0["key"]["d_hex"]))
    assert key.public.to_bytes() == bytes.fromhex(sign0["key"]["x_hex"])
    payload = vector["input"]["plaintext"].encode()
    expected = bytes.fromhex(vector["output"]["cbor"])

    produced = sign1(
        payload,
        key,
        content_type=0,
        alg=ALG_EDDSA,
        unprotected={KID: sign0["key"]["kid"].encode()},
        kid_in_protected=False,
    )

    assert produced == expected
    message = verify_sign1(expected, key.public)  # tagged, alg -8 protected: custody accepts it
    to_be_signed = sig_structure(message.protected, payload)
    assert to_be_signed == bytes.fromhex(vector["intermediates"]["ToBeSign_hex"])


def test_eddsa_sig_02_ed448_verifies_under_interop() -> None:
    vector = _load(VECTORS / "eddsa-examples" / "eddsa-sig-02.json")
    key = Ed448PublicKey.from_public_bytes(bytes.fromhex(vector["input"]["sign0"]["key"]["x_hex"]))
    data = bytes.fromhex(vector["output"]["cbor"])
    message = verify_sign1(data, key, policy=Sign1Policy.interop())
    assert message.payload == vector["input"]["plaintext"].encode()
    to_be_signed = sig_structure(message.protected, message.payload or b"")
    assert to_be_signed == bytes.fromhex(vector["intermediates"]["ToBeSign_hex"])


# --- sign1-tests -------------------------------------------------------------------------


@pytest.mark.parametrize("path", PASS_FILES, ids=lambda p: p.stem)
def test_pass_vector_verifies_under_interop(path: Path) -> None:
    data, key, external = _case(path)
    message = verify_sign1(data, key, external_aad=external, policy=Sign1Policy.interop())
    assert message.payload == _load(path)["input"]["plaintext"].encode()
    to_be_signed = sig_structure(message.protected, message.payload or b"", external)
    assert to_be_signed == bytes.fromhex(_load(path)["intermediates"]["ToBeSign_hex"])


@pytest.mark.parametrize(
    "path", [p for p in PASS_FILES if p.name in REFUSED_BY_CUSTODY], ids=lambda p: p.stem
)
def test_pass_vector_is_refused_by_custody_policy(path: Path) -> None:
    data, key, external = _case(path)
    with pytest.raises(SignatureError, match=r"unprotected|tag 18"):
        verify_sign1(data, key, external_aad=external, policy=CUSTODY_POLICY)


@pytest.mark.parametrize(
    "policy", [CUSTODY_POLICY, Sign1Policy.interop()], ids=["custody", "interop"]
)
@pytest.mark.parametrize("path", FAIL_FILES, ids=lambda p: p.stem)
def test_fail_vector_fails(path: Path, policy: Sign1Policy) -> None:
    data, key, external = _case(path)
    with pytest.raises((SignatureError, EncodingError)):
        verify_sign1(data, key, external_aad=external, policy=policy)


def test_fail_vectors_are_well_formed_except_the_wrong_tag() -> None:
    # Only sign-fail-01 (tag 998) should fail at parsing; the others must reach verification.
    for path in FAIL_FILES:
        data, _, _ = _case(path)
        if path.name == "sign-fail-01.json":
            with pytest.raises(EncodingError, match="998"):
                Sign1Message.from_bytes(data)
        else:
            Sign1Message.from_bytes(data)
