"""Ed25519 keys, RFC 9679 key ids and key files."""

from __future__ import annotations

import hashlib
import os
import stat
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from hypothesis import given, settings
from hypothesis import strategies as st

from custody.crypto import PublicKey, Signer, SigningKey, key_id
from custody.errors import InvalidInput, KeyFileError, SignatureError
from custody.keyfiles import load_signing_key, save_signing_key

# RFC 8032 §7.1, TEST 1.
RFC8032_SEED = bytes.fromhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
RFC8032_PUBLIC = bytes.fromhex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
RFC8032_EMPTY_SIGNATURE = bytes.fromhex(
    "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
)
# SHA-256(a3 01 01 20 06 21 58 20 || RFC8032_PUBLIC), computed independently with hashlib.
RFC8032_KEY_ID_HEX = "866eefbd6718c8846cd7ddfe43fc74ab1daac4538ff8514ea2ec2d410a415743"

PASSPHRASE = b"correct horse battery staple"


@pytest.fixture
def rfc_key() -> SigningKey:
    return SigningKey.from_seed(RFC8032_SEED)


# --- key ids ---------------------------------------------------------------------------


def test_key_id_is_rfc9679_thumbprint_of_rfc8032_key(rfc_key: SigningKey) -> None:
    cose_key = bytes([0xA3, 0x01, 0x01, 0x20, 0x06, 0x21, 0x58, 0x20]) + RFC8032_PUBLIC
    assert len(cose_key) == 40
    expected = hashlib.sha256(cose_key).digest()
    assert key_id(rfc_key.public_key) == expected
    assert expected.hex() == RFC8032_KEY_ID_HEX


def test_key_id_agrees_everywhere(rfc_key: SigningKey) -> None:
    public = PublicKey.from_bytes(RFC8032_PUBLIC)
    assert rfc_key.key_id == public.key_id == key_id(public.as_cryptography())
    assert public.key_id_hex == RFC8032_KEY_ID_HEX
    assert rfc_key.public == public


def test_thumbprint_prefix_is_deterministic_cbor_of_cose_key() -> None:
    cbor2 = pytest.importorskip("cbor2")
    encoded = cbor2.dumps({1: 1, -1: 6, -2: RFC8032_PUBLIC}, canonical=True)
    assert hashlib.sha256(encoded).hexdigest() == RFC8032_KEY_ID_HEX


# --- public keys ------------------------------------------------------------------------


def test_from_seed_matches_rfc8032(rfc_key: SigningKey) -> None:
    assert rfc_key.public.to_bytes() == RFC8032_PUBLIC
    assert rfc_key.sign(b"") == RFC8032_EMPTY_SIGNATURE
    rfc_key.public.verify(RFC8032_EMPTY_SIGNATURE, b"")


@pytest.mark.parametrize("raw", [b"", b"\x00" * 31, b"\x00" * 33, bytearray(32), "a" * 32])
def test_public_key_rejects_bad_raw(raw: object) -> None:
    with pytest.raises(InvalidInput, match="32 bytes"):
        PublicKey.from_bytes(raw)  # type: ignore[arg-type]


def test_public_key_pem_round_trip(rfc_key: SigningKey) -> None:
    pem = rfc_key.public.to_pem()
    assert pem.startswith(b"-----BEGIN PUBLIC KEY-----")
    assert PublicKey.from_pem(pem) == rfc_key.public


def test_public_key_from_pem_refuses_p256() -> None:
    pem = (
        ec.generate_private_key(ec.SECP256R1())
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    with pytest.raises(InvalidInput, match="not an Ed25519 public key"):
        PublicKey.from_pem(pem)


def test_public_key_from_pem_refuses_garbage() -> None:
    with pytest.raises(InvalidInput, match="not a PEM public key"):
        PublicKey.from_pem(b"hello")


def test_public_key_from_cryptography_refuses_other_types() -> None:
    other = ec.generate_private_key(ec.SECP256R1()).public_key()
    with pytest.raises(InvalidInput, match="Ed25519"):
        PublicKey.from_cryptography(other)  # type: ignore[arg-type]


def test_public_key_verify(rfc_key: SigningKey) -> None:
    signature = rfc_key.sign(b"message")
    rfc_key.public.verify(signature, b"message")
    with pytest.raises(SignatureError, match="does not verify"):
        rfc_key.public.verify(signature, b"messagE")
    with pytest.raises(SignatureError, match="64 bytes"):
        rfc_key.public.verify(signature[:-1], b"message")


def test_public_key_is_hashable_and_frozen(rfc_key: SigningKey) -> None:
    assert len({rfc_key.public, PublicKey.from_bytes(RFC8032_PUBLIC)}) == 1
    with pytest.raises(AttributeError):
        rfc_key.public.raw = b"\x00" * 32  # type: ignore[misc]


# --- signing keys ------------------------------------------------------------------------


def test_signing_key_is_a_signer(rfc_key: SigningKey) -> None:
    assert isinstance(rfc_key, Signer)


def test_generate_makes_distinct_keys() -> None:
    assert SigningKey.generate().key_id != SigningKey.generate().key_id


@pytest.mark.parametrize("seed", [b"", b"\x01" * 31, b"\x01" * 33])
def test_from_seed_rejects_bad_length(seed: bytes) -> None:
    with pytest.raises(InvalidInput, match="32 bytes"):
        SigningKey.from_seed(seed)


def test_signing_key_rejects_other_key_types() -> None:
    with pytest.raises(InvalidInput, match="Ed25519"):
        SigningKey.from_cryptography(ec.generate_private_key(ec.SECP256R1()))  # type: ignore[arg-type]


def test_repr_does_not_leak_private_key(rfc_key: SigningKey) -> None:
    raw_private = RFC8032_SEED
    text = repr(rfc_key) + str(rfc_key)
    assert RFC8032_KEY_ID_HEX in text
    for secret in (raw_private.hex(), raw_private.hex().upper(), repr(raw_private)):
        assert secret not in text


def test_signing_keys_compare_by_identity() -> None:
    assert SigningKey.from_seed(RFC8032_SEED) != SigningKey.from_seed(RFC8032_SEED)


@settings(max_examples=25, deadline=None)
@given(seed=st.binary(min_size=32, max_size=32), message=st.binary(max_size=256))
def test_unencrypted_pem_round_trip(seed: bytes, message: bytes) -> None:
    key = SigningKey.from_seed(seed)
    again = SigningKey.from_pem(key.to_pem(None, allow_unencrypted=True), None)
    assert again.key_id == key.key_id
    assert again.sign(message) == key.sign(message)


def test_to_pem_is_encrypted_pkcs8(rfc_key: SigningKey) -> None:
    pem = rfc_key.to_pem(PASSPHRASE)
    assert pem.startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
    assert SigningKey.from_pem(pem, PASSPHRASE).key_id == rfc_key.key_id


def test_to_pem_refuses_no_passphrase(rfc_key: SigningKey) -> None:
    with pytest.raises(KeyFileError, match="unencrypted"):
        rfc_key.to_pem(None)


def test_to_pem_refuses_empty_passphrase(rfc_key: SigningKey) -> None:
    with pytest.raises(KeyFileError, match="empty passphrase"):
        rfc_key.to_pem(b"")


# --- key files ---------------------------------------------------------------------------


def test_save_load_round_trip(rfc_key: SigningKey, tmp_path: Path) -> None:
    path = tmp_path / "clinician.key"
    save_signing_key(rfc_key, path, PASSPHRASE)
    loaded = load_signing_key(path, PASSPHRASE)
    assert loaded.key_id == rfc_key.key_id
    assert loaded.sign(b"x") == rfc_key.sign(b"x")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clinician.key"]  # no temp left


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_saved_file_mode_is_0600(rfc_key: SigningKey, tmp_path: Path) -> None:
    path = tmp_path / "k.pem"
    old_umask = os.umask(0)
    try:
        save_signing_key(rfc_key, path, PASSPHRASE)
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_save_refuses_unencrypted(rfc_key: SigningKey, tmp_path: Path) -> None:
    path = tmp_path / "k.pem"
    with pytest.raises(KeyFileError, match="unencrypted"):
        save_signing_key(rfc_key, path, None)
    assert not path.exists()


def test_save_refuses_empty_passphrase(rfc_key: SigningKey, tmp_path: Path) -> None:
    with pytest.raises(KeyFileError, match="empty passphrase"):
        save_signing_key(rfc_key, tmp_path / "k.pem", b"")


def test_save_unencrypted_when_allowed(rfc_key: SigningKey, tmp_path: Path) -> None:
    path = tmp_path / "k.pem"
    save_signing_key(rfc_key, path, None, allow_unencrypted=True)
    assert path.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")
    assert load_signing_key(path, None).key_id == rfc_key.key_id


def test_save_refuses_overwrite(rfc_key: SigningKey, tmp_path: Path) -> None:
    path = tmp_path / "k.pem"
    path.write_bytes(b"precious")
    with pytest.raises(KeyFileError, match="overwrite") as info:
        save_signing_key(rfc_key, path, PASSPHRASE)
    assert str(path) in str(info.value)
    assert path.read_bytes() == b"precious"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["k.pem"]


def test_save_without_hard_links(
    rfc_key: SigningKey, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_links(*_args: object) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    path = tmp_path / "k.pem"
    save_signing_key(rfc_key, path, PASSPHRASE)
    assert load_signing_key(path, PASSPHRASE).key_id == rfc_key.key_id
    assert sorted(p.name for p in tmp_path.iterdir()) == ["k.pem"]


def test_save_into_missing_directory(rfc_key: SigningKey, tmp_path: Path) -> None:
    with pytest.raises(KeyFileError, match="cannot create"):
        save_signing_key(rfc_key, tmp_path / "nope" / "k.pem", PASSPHRASE)


@pytest.fixture
def saved(rfc_key: SigningKey, tmp_path: Path) -> Path:
    path = tmp_path / "saved.pem"
    save_signing_key(rfc_key, path, PASSPHRASE)
    return path


def _load_error(path: Path, passphrase: bytes | None) -> str:
    with pytest.raises(KeyFileError) as info:
        load_signing_key(path, passphrase)
    message = str(info.value)
    assert str(path) in message
    assert "\n" not in message
    return message


def test_wrong_passphrase(saved: Path) -> None:
    assert "wrong passphrase or corrupt key" in _load_error(saved, b"not it")


def test_encrypted_key_without_passphrase(saved: Path) -> None:
    assert "encrypted but no passphrase" in _load_error(saved, None)


def test_passphrase_for_unencrypted_key(rfc_key: SigningKey, tmp_path: Path) -> None:
    path = tmp_path / "plain.pem"
    save_signing_key(rfc_key, path, None, allow_unencrypted=True)
    assert "not encrypted but a passphrase" in _load_error(path, PASSPHRASE)


def test_corrupt_file(saved: Path) -> None:
    lines = saved.read_bytes().splitlines(keepends=True)
    body = bytearray(lines[2])
    body[10] = ord("A") if body[10] != ord("A") else ord("B")
    lines[2] = bytes(body)
    saved.write_bytes(b"".join(lines))
    assert "wrong passphrase or corrupt key" in _load_error(saved, PASSPHRASE)


def test_corrupt_unencrypted_file(rfc_key: SigningKey, tmp_path: Path) -> None:
    path = tmp_path / "plain.pem"
    pem = rfc_key.to_pem(None, allow_unencrypted=True)
    path.write_bytes(pem.replace(b"MC", b"MD", 1))
    assert "corrupt key file" in _load_error(path, None)


def test_truncated_file(saved: Path) -> None:
    data = saved.read_bytes()
    saved.write_bytes(data[: len(data) // 2])
    assert "corrupt" in _load_error(saved, PASSPHRASE)


def test_not_a_pem_file(tmp_path: Path) -> None:
    path = tmp_path / "photo.jpg"
    path.write_bytes(b"\xff\xd8\xff\xe0 not a key")
    assert "not a PEM key file" in _load_error(path, None)


def test_public_key_pem_is_not_a_private_key(rfc_key: SigningKey, tmp_path: Path) -> None:
    path = tmp_path / "pub.pem"
    path.write_bytes(rfc_key.public.to_pem())
    assert "not a private key" in _load_error(path, None)


@pytest.mark.parametrize(
    "private_format",
    [serialization.PrivateFormat.PKCS8, serialization.PrivateFormat.TraditionalOpenSSL],
)
def test_p256_key_is_refused(tmp_path: Path, private_format: serialization.PrivateFormat) -> None:
    path = tmp_path / "p256.pem"
    path.write_bytes(
        ec.generate_private_key(ec.SECP256R1()).private_bytes(
            serialization.Encoding.PEM, private_format, serialization.NoEncryption()
        )
    )
    assert "not an Ed25519 key (found an EC secp256r1 key)" in _load_error(path, None)


def test_encrypted_p256_key_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "p256.pem"
    path.write_bytes(
        ec.generate_private_key(ec.SECP256R1()).private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(PASSPHRASE),
        )
    )
    assert "not an Ed25519 key" in _load_error(path, PASSPHRASE)


def test_openssh_key_is_refused(rfc_key: SigningKey, tmp_path: Path) -> None:
    path = tmp_path / "id_ed25519"
    private = serialization.load_pem_private_key(rfc_key.to_pem(None, allow_unencrypted=True), None)
    path.write_bytes(
        private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.OpenSSH,
            serialization.NoEncryption(),
        )
    )
    assert "unsupported key format ('OPENSSH PRIVATE KEY')" in _load_error(path, None)


def test_missing_file(tmp_path: Path) -> None:
    assert "no such key file" in _load_error(tmp_path / "absent.pem", PASSPHRASE)


def test_directory_is_not_a_key_file(tmp_path: Path) -> None:
    assert "cannot read key file" in _load_error(tmp_path, PASSPHRASE)


def test_oversized_file(saved: Path) -> None:
    saved.write_bytes(saved.read_bytes() + b"\n" * (64 * 1024))
    assert "larger than 64 KiB" in _load_error(saved, PASSPHRASE)


def test_from_pem_errors_name_the_source() -> None:
    with pytest.raises(KeyFileError, match="<PEM data>: not a PEM key file"):
        SigningKey.from_pem(b"nothing here", None)
