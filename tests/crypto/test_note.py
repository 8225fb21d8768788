"""C2SP signed notes and tlog checkpoints: known answers, round trips, strict parsing, tampering."""

from __future__ import annotations

import base64
import hashlib

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from hypothesis import given, settings
from hypothesis import strategies as st

from custody.crypto._note import (
    MAX_NOTE_SIGNATURES,
    MAX_NOTE_SIZE,
    Checkpoint,
    NoteVerifier,
    VerifiedNote,
    add_signature,
    open_note,
    sign_checkpoint,
    sign_note,
    verify_checkpoint,
)
from custody.crypto._signer import Signer
from custody.errors import CustodyError, InvalidInput, ProofError, SignatureError

EM_DASH = "\u2014"


class SeedSigner:
    """A deterministic Ed25519 signer for tests (the seed is 32 copies of one byte)."""

    def __init__(self, seed: int) -> None:
        self._private = Ed25519PrivateKey.from_private_bytes(bytes([seed]) * 32)

    @property
    def public_key(self) -> Ed25519PublicKey:
        return self._private.public_key()

    @property
    def key_id(self) -> bytes:
        raw = self.public_key.public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        return hashlib.sha256(raw).digest()

    def sign(self, message: bytes) -> bytes:
        return self._private.sign(message)


LOG = SeedSigner(1)
WITNESS = SeedSigner(2)
ORIGIN = "custody.example.org/lab-7/log"
LOG_VERIFIER = NoteVerifier.for_key(ORIGIN, LOG.public_key)
WITNESS_VERIFIER = NoteVerifier.for_key("witness.example.net/w1", WITNESS.public_key)

# --- known answers ------------------------------------------------------------------------

# c2sp.org/signed-note, "Verifier keys" example. The spec revision stored for this work
# (C2SP/C2SP@1f701bb) predates the example; the key and note below are the ones quoted from
# https://github.com/C2SP/C2SP/blob/d4c16da5e7687a016619074e78dad84b2c7238cc/signed-note.md
# by several independent implementations. The Ed25519 signature verifying under the key is
# itself the proof that these are the exact bytes.
SPEC_VKEY = "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k"
SPEC_NOTE = (
    "This is an example message.\n"
    "\n"
    f"{EM_DASH} example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsY"
    "jOBH3mFXmRKuwHjG1Yu72IneyaQM=\n"
)

# The opening example of c2sp.org/signed-note (C2SP/C2SP@1f701bb, signed-note.md): its text
# contains an empty line, so it must split at the *last* blank line. Its key is not published.
QUASIMODO_NOTE = (
    "Ognuno sta solo sul cuor della terra\n"
    "trafitto da un raggio di sole:\n"
    "\n"
    "ed è subito sera.\n"
    "\n"
    f"{EM_DASH} quasimodo.example/salvatore NnugSzTjtVAewIS+Z/iJhUPeFDkO/5QQ2i5ddnGITLlC+EhfLW9"
    "oJKONrMouFSQU0xMcXxj99ihAQwaqP3ZekRwNtIc=\n"
)

# golang.org/x/mod sumdb/note: the package documentation example (note.go @605edab) and
# TestOpen (note_test.go @02c9913).
PETER_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
ENOCH_VKEY = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop"
GO_TEXT = (
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n"
)
PETER_SIG = (
    f"{EM_DASH} PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgK"
    "vqfqdngotpRZb6KE6RyyBwJnAM=\n"
)
ENOCH_SIG = (
    f"{EM_DASH} EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oO"
    "TGwnWLox33WWd1RvMc+QQ=\n"
)

# The Go checksum database key (its base64 contains '+') and two tree heads it published
# (quoted in public documentation; the signatures authenticate them). Key name and origin
# differ here: the origin is "go.sum database tree".
SUMDB_VKEY = "sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8"
SUMDB_ORIGIN = "go.sum database tree"
SUMDB_HEADS = [
    (
        15368405,
        "/g9am3I6YWNKaZX/jkne1fqd9zEyjss+JXyPXG0WfkY=",
        "Az3grqJGUaSGukG9p8nI2vKgiFn7qGHxn0W+mrwyI6Gz3F0t1J3LzmWk/p96Ybf295EjwdSwlzgijq5WA9d1Ded7owM=",
    ),
    (
        63512409,
        "F7eHRPqN/cqPtqti14NKdGGaI1Giw8coWP3KxihFZbg=",
        "Az3gri1OBHKT87Xj8UXU8zjoHGy/X+7Nl94f8TZkELVaasolmGApUsWqwVG9vE6hgqYb/ph/w2vdkLIVRH7bMB/FPQ4=",
    ),
]

# formats.md §2.2: the checkpoint body for the 8-leaf CT reference tree (RFC 6962 test data).
CT_ROOT_8 = bytes.fromhex("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328")
CT_CHECKPOINT_TEXT = f"{ORIGIN}\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n"


def test_spec_vkey_parses_with_its_key_hash() -> None:
    verifier = NoteVerifier.from_vkey(SPEC_VKEY)
    assert verifier.name == "example.com/foo"
    assert verifier.key_hash == 0x530D903A
    assert verifier.to_vkey() == SPEC_VKEY


def test_spec_example_note_verifies() -> None:
    opened = open_note(SPEC_NOTE, [NoteVerifier.from_vkey(SPEC_VKEY)])
    assert opened == VerifiedNote(
        text="This is an example message.\n", signers=("example.com/foo",)
    )


def test_spec_note_with_an_empty_line_splits_at_the_last_blank_line() -> None:
    # Well-formed (no InvalidInput); with no key for it, no signature is trusted.
    with pytest.raises(SignatureError, match="no trusted signature"):
        open_note(QUASIMODO_NOTE, [NoteVerifier.from_vkey(SPEC_VKEY)])


def test_sumdb_vkey_with_plus_in_base64() -> None:
    verifier = NoteVerifier.from_vkey(SUMDB_VKEY)
    assert verifier.name == "sum.golang.org"
    assert verifier.key_hash == 0x033DE0AE
    assert verifier.to_vkey() == SUMDB_VKEY


@pytest.mark.parametrize(("size", "root", "signature"), SUMDB_HEADS)
def test_real_sumdb_tree_heads_verify(size: int, root: str, signature: str) -> None:
    note = f"{SUMDB_ORIGIN}\n{size}\n{root}\n\n{EM_DASH} sum.golang.org {signature}\n"
    verifier = NoteVerifier.from_vkey(SUMDB_VKEY)
    checkpoint = verify_checkpoint(note, verifier, origin=SUMDB_ORIGIN)
    assert checkpoint == Checkpoint(SUMDB_ORIGIN, size, base64.b64decode(root))
    with pytest.raises(ProofError, match="origin"):
        verify_checkpoint(note, verifier)  # the key name is not the origin here


def test_go_example_notes() -> None:
    peter, enoch = NoteVerifier.from_vkey(PETER_VKEY), NoteVerifier.from_vkey(ENOCH_VKEY)
    assert (peter.key_hash, enoch.key_hash) == (0xC74F20A3, 0xAF0CFE78)
    note = GO_TEXT + "\n" + PETER_SIG + ENOCH_SIG
    assert open_note(note, [peter]) == VerifiedNote(GO_TEXT, ("PeterNeumann",))
    assert open_note(note, [peter, enoch]).signers == ("PeterNeumann", "EnochRoot")
    assert open_note(note.encode(), [enoch]).signers == ("EnochRoot",)
    with pytest.raises(SignatureError, match="no trusted signature"):
        open_note(note, [])
    # TestOpen's "invalid signature": four base64 characters inserted into Peter's signature.
    broken = GO_TEXT + "\n" + PETER_SIG[:60] + "ABCD" + PETER_SIG[60:]
    with pytest.raises(SignatureError, match="PeterNeumann\\+c74f20a3"):
        open_note(broken, [peter])


# --- verifier keys ------------------------------------------------------------------------


def test_verifier_round_trip_and_equality() -> None:
    again = NoteVerifier.from_vkey(LOG_VERIFIER.to_vkey())
    assert again == LOG_VERIFIER
    assert hash(again) == hash(LOG_VERIFIER)
    assert again != NoteVerifier.for_key(ORIGIN, WITNESS.public_key)
    assert NoteVerifier.for_key(ORIGIN, LOG.public_key) == LOG_VERIFIER
    assert isinstance(LOG, Signer)


_KEY_MATERIAL = SPEC_VKEY.split("+", 2)[2]


@pytest.mark.parametrize(
    "vkey",
    [
        "example.com/foo",  # no hash, no key
        "example.com/foo+530d903a",  # no key
        f"+530d903a+{_KEY_MATERIAL}",  # empty name
        f"example.com/foo+530d903+{_KEY_MATERIAL}",  # 7 hex digits
        f"example.com/foo+530d903g+{_KEY_MATERIAL}",  # not hex
        f"example.com/foo+530d903b+{_KEY_MATERIAL}",  # wrong hash
        f"example.com/fo+530d903a+{_KEY_MATERIAL}",  # hash of another name
        f"example com/foo+530d903a+{_KEY_MATERIAL}",  # space in the name
        "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2",  # bad base64
        "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2l",  # non-canonical
        "example.com/foo+530d903a+BOkyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k",  # type 0x04
        "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv",  # short key
    ],
)
def test_malformed_vkeys_are_refused(vkey: str) -> None:
    with pytest.raises(InvalidInput):
        NoteVerifier.from_vkey(vkey)


@pytest.mark.parametrize("name", ["", "a b", "a+b", "a\tb", "a\u00a0b", "a\u2003b", "\ud800"])
def test_invalid_key_names_are_refused(name: str) -> None:
    with pytest.raises(InvalidInput):
        NoteVerifier.for_key(name, LOG.public_key)
    with pytest.raises(InvalidInput):
        sign_note("hello\n", name, LOG)


# --- signing and opening ------------------------------------------------------------------


def test_sign_and_open_round_trip() -> None:
    note = sign_note("hello\nworld\n", "example.org/key", LOG)
    text, _, line = note.partition("\n\n")
    assert text == "hello\nworld"
    assert line.startswith(f"{EM_DASH} example.org/key ")
    assert line.endswith("\n")
    assert len(line.split(" ")[2].strip()) == 92  # base64 of 4 + 64 bytes
    verifier = NoteVerifier.for_key("example.org/key", LOG.public_key)
    assert open_note(note, [verifier]) == VerifiedNote("hello\nworld\n", ("example.org/key",))


def test_add_signature() -> None:
    note = sign_note("hello\n", ORIGIN, LOG)
    both = add_signature(note, WITNESS_VERIFIER.name, WITNESS)
    assert both.startswith(note)
    assert open_note(both, [LOG_VERIFIER, WITNESS_VERIFIER]).signers == (
        ORIGIN,
        WITNESS_VERIFIER.name,
    )
    assert open_note(both, [WITNESS_VERIFIER]).signers == (WITNESS_VERIFIER.name,)
    with pytest.raises(InvalidInput, match="already signed"):
        add_signature(both, ORIGIN, LOG)


def test_unknown_keys_are_ignored() -> None:
    note = add_signature(sign_note("hello\n", ORIGIN, LOG), "other.example/key", WITNESS)
    # The trusted name with another key (so another key hash): ignored.
    impostor = add_signature(note, ORIGIN, WITNESS)
    # A line shaped like a tlog-cosignature (type 0x04: key hash, timestamp, signature) by a
    # key nobody configured: ignored whatever its type.
    cosignature = base64.b64encode(b"\x0a\x0b\x0c\x0d" + b"\x00" * 8 + b"\x55" * 64).decode()
    with_cosignature = impostor + f"{EM_DASH} witness.example.net/w2 {cosignature}\n"
    assert open_note(with_cosignature, [LOG_VERIFIER]).signers == (ORIGIN,)


def test_a_bad_signature_from_a_trusted_key_rejects_the_note() -> None:
    note = sign_note("hello\n", ORIGIN, LOG)
    forged = note.replace("hello", "jello")
    with pytest.raises(SignatureError, match="does not verify"):
        open_note(forged, [LOG_VERIFIER])
    # Even when another trusted signature verifies.
    good_witness = add_signature(forged, WITNESS_VERIFIER.name, WITNESS)
    with pytest.raises(SignatureError, match="does not verify"):
        open_note(good_witness, [LOG_VERIFIER, WITNESS_VERIFIER])


def test_no_trusted_signature() -> None:
    note = sign_note("hello\n", ORIGIN, LOG)
    with pytest.raises(SignatureError, match="no trusted signature"):
        open_note(note, [WITNESS_VERIFIER])
    same_name_other_key = NoteVerifier.for_key(ORIGIN, WITNESS.public_key)
    with pytest.raises(SignatureError, match="no trusted signature"):
        open_note(note, [same_name_other_key])


class CollidingVerifier(NoteVerifier):
    """A verifier whose key hash collides with every other one (a real collision costs 2^32)."""

    @property
    def key_hash(self) -> int:
        return 0x01020304


def test_conflicting_verifiers_are_refused_and_duplicates_tolerated() -> None:
    note = sign_note("hello\n", ORIGIN, LOG)
    assert open_note(note, [LOG_VERIFIER, LOG_VERIFIER]).signers == (ORIGIN,)
    first = CollidingVerifier(ORIGIN, LOG.public_key)
    second = CollidingVerifier(ORIGIN, WITNESS.public_key)
    with pytest.raises(InvalidInput, match="share the name and hash"):
        open_note(note, [first, second])


def test_a_signer_that_returns_garbage() -> None:
    class ShortSigner(SeedSigner):
        def sign(self, message: bytes) -> bytes:
            return b"\x00" * 10

    with pytest.raises(SignatureError, match="10 bytes"):
        sign_note("hello\n", ORIGIN, ShortSigner(1))


GOOD_NOTE = sign_note("hello\nworld\n", ORIGIN, LOG)
GOOD_LINE = GOOD_NOTE.split("\n\n", 1)[1]
GOOD_B64 = GOOD_LINE.split(" ")[2].rstrip("\n")


@pytest.mark.parametrize(
    ("note", "message"),
    [
        ("hello\nworld\n" + GOOD_LINE, "no blank line"),
        ("hello\nworld\n\n", "end with a newline|must start"),
        ("hello\nworld\n\n" + GOOD_LINE.rstrip("\n"), "end with a newline"),
        ("hello\nworld\n\n" + GOOD_LINE.replace(EM_DASH, "-", 1), "em dash"),
        ("hello\nworld\n\n" + GOOD_LINE.replace(EM_DASH, "--", 1), "em dash"),
        ("hello\tworld\n\n" + GOOD_LINE, "control character"),
        ("hello\r\nworld\n\n" + GOOD_LINE, "control character"),
        ("\x00hello\nworld\n\n" + GOOD_LINE, "control character"),
        ("hello\nworld\n\n" + GOOD_LINE + "Unexpected line.\n", "em dash"),
        ("hello\nworld\n\n" + f"{EM_DASH}  {GOOD_B64}\n", "non-empty"),
        ("hello\nworld\n\n" + f"{EM_DASH} Bad Name {GOOD_B64}\n", "base64"),
        ("hello\nworld\n\n" + f"{EM_DASH} a+b {GOOD_B64}\n", "contains '\\+'"),
        ("hello\nworld\n\n" + f"{EM_DASH} {ORIGIN}\n", "key name"),
        ("hello\nworld\n\n" + f"{EM_DASH} {ORIGIN} {GOOD_B64[:-1]}\n", "base64"),
        ("hello\nworld\n\n" + f"{EM_DASH} {ORIGIN} {GOOD_B64}!\n", "base64"),
        ("hello\nworld\n\n" + f"{EM_DASH} {ORIGIN} {GOOD_B64.rstrip('=')}\n", "base64"),
        ("hello\nworld\n\n" + f"{EM_DASH} {ORIGIN} AAAAAA==\n", "shorter than a key hash"),
        ("hello\nworld\n\n" + f"{EM_DASH} {ORIGIN}  {GOOD_B64}\n", "base64"),
        ("hello\nworld\n\n" + GOOD_LINE * (MAX_NOTE_SIGNATURES + 1), "at most 100"),
        ("x" * MAX_NOTE_SIZE + "\n\n" + GOOD_LINE, "at most"),
        ("hello\ud800\n\n" + GOOD_LINE, "UTF-8"),
    ],
)
def test_malformed_notes_are_invalid_input(note: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        open_note(note, [LOG_VERIFIER])


def test_non_canonical_base64_padding_bits_are_refused() -> None:
    # The last base64 character carries 4 unused bits for a 68-byte payload; set one.
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    last = GOOD_B64[-2]
    bumped = alphabet[alphabet.index(last) ^ 1]
    assert base64.b64decode(GOOD_B64[:-2] + bumped + "=") == base64.b64decode(GOOD_B64)
    note = GOOD_NOTE.replace(GOOD_B64, GOOD_B64[:-2] + bumped + "=")
    with pytest.raises(InvalidInput, match="canonical"):
        open_note(note, [LOG_VERIFIER])


def test_invalid_utf8_bytes_are_invalid_input() -> None:
    with pytest.raises(InvalidInput, match="UTF-8"):
        open_note(b"\xffhello\n\n" + GOOD_LINE.encode(), [LOG_VERIFIER])
    with pytest.raises(InvalidInput, match="at most"):
        open_note(b"x" * (MAX_NOTE_SIZE + 1), [LOG_VERIFIER])


def test_exactly_max_signatures_are_accepted() -> None:
    note = "hello\nworld\n\n" + GOOD_LINE * MAX_NOTE_SIGNATURES
    assert open_note(note, [LOG_VERIFIER]).signers == (ORIGIN,)
    with pytest.raises(InvalidInput, match="at most 100"):
        add_signature(note, WITNESS_VERIFIER.name, WITNESS)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("hello", "end with a newline"),
        ("", "end with a newline"),
        ("\n", "empty line"),
        ("hello\n\n", "empty line"),
        ("hello\n\nworld\n", "empty line"),
        ("\nhello\n", "empty line"),
        ("hello\tworld\n", "control character"),
        ("hello\rworld\n", "control character"),
        ("x" * MAX_NOTE_SIZE + "\n", "at most"),
    ],
)
def test_texts_custody_refuses_to_sign(text: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        sign_note(text, ORIGIN, LOG)


# --- checkpoints --------------------------------------------------------------------------


def test_checkpoint_text_known_answer() -> None:
    checkpoint = Checkpoint(ORIGIN, 8, CT_ROOT_8)
    assert checkpoint.to_text() == CT_CHECKPOINT_TEXT
    assert Checkpoint.from_text(CT_CHECKPOINT_TEXT) == checkpoint


def test_checkpoint_round_trip_with_extensions() -> None:
    checkpoint = Checkpoint(ORIGIN, 0, b"\x00" * 32, extensions=["ext one", "ext two"])
    assert checkpoint.extensions == ("ext one", "ext two")
    assert checkpoint.to_text().endswith("\next one\next two\n")
    assert Checkpoint.from_text(checkpoint.to_text()) == checkpoint


def test_sign_and_verify_checkpoint() -> None:
    checkpoint = Checkpoint(ORIGIN, 8, CT_ROOT_8)
    note = sign_checkpoint(checkpoint, LOG)
    assert note.startswith(CT_CHECKPOINT_TEXT + "\n" + f"{EM_DASH} {ORIGIN} ")
    assert verify_checkpoint(note, LOG_VERIFIER) == checkpoint
    cosigned = add_signature(note, WITNESS_VERIFIER.name, WITNESS)
    assert verify_checkpoint(cosigned, LOG_VERIFIER) == checkpoint
    with pytest.raises(SignatureError):
        verify_checkpoint(note, WITNESS_VERIFIER)


def test_checkpoint_key_name_and_origin() -> None:
    checkpoint = Checkpoint(ORIGIN, 8, CT_ROOT_8)
    note = sign_checkpoint(checkpoint, LOG, key_name="log-key.example.org")
    verifier = NoteVerifier.for_key("log-key.example.org", LOG.public_key)
    with pytest.raises(ProofError, match="origin"):
        verify_checkpoint(note, verifier)
    assert verify_checkpoint(note, verifier, origin=ORIGIN) == checkpoint
    spaced = Checkpoint("go.sum database tree", 1, CT_ROOT_8)
    with pytest.raises(InvalidInput, match="space"):
        sign_checkpoint(spaced, LOG)  # the origin is not a valid key name
    assert sign_checkpoint(spaced, LOG, key_name="sum.example")


@pytest.mark.parametrize(
    ("text", "field"),
    [
        (f"{ORIGIN}\n08\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n", "size"),
        (f"{ORIGIN}\n00\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n", "size"),
        (f"{ORIGIN}\n+8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n", "size"),
        (f"{ORIGIN}\n-1\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n", "size"),
        (f"{ORIGIN}\n 8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n", "size"),
        (f"{ORIGIN}\n8 \nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n", "size"),
        (f"{ORIGIN}\n\uff18\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n", "size"),
        (f"{ORIGIN}\n1_0\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n", "size"),
        (f"{ORIGIN}\n\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n", "size"),
        (f"{ORIGIN}\n{2**64}\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n", "size"),
        (f"{ORIGIN}\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQy=\n", "root_hash"),
        (f"{ORIGIN}\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg\n", "root_hash"),
        (f"{ORIGIN}\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz-Nw7_RgQyg=\n", "root_hash"),
        (f"{ORIGIN}\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyh=\n", "root_hash"),
        (f"{ORIGIN}\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQw==\n", "root_hash"),  # 31 B
        (f"{ORIGIN}\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQygA\n", "root_hash"),  # 33 B
        (f"{ORIGIN}\n8\n\n", "root_hash"),
        (f"{ORIGIN}\n8\n", "checkpoint"),
        (f"{ORIGIN}\n", "checkpoint"),
        ("", "checkpoint"),
        (f"{ORIGIN}\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=", "checkpoint"),
        ("\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n", "origin"),
        ("log\r\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n", "origin"),
        (f"{ORIGIN}\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n\n", "extensions"),
        (f"{ORIGIN}\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\nx\n\ny\n", "extensions"),
    ],
)
def test_malformed_checkpoint_texts(text: str, field: str) -> None:
    with pytest.raises(InvalidInput, match=field):
        Checkpoint.from_text(text)


def test_checkpoint_fields_are_validated_at_construction() -> None:
    with pytest.raises(InvalidInput):
        Checkpoint(ORIGIN, 8, CT_ROOT_8[:31])
    with pytest.raises(InvalidInput):
        Checkpoint(ORIGIN, -1, CT_ROOT_8)
    with pytest.raises(InvalidInput):
        Checkpoint(ORIGIN, 2**64, CT_ROOT_8)
    with pytest.raises(InvalidInput):
        Checkpoint(ORIGIN, True, CT_ROOT_8)
    with pytest.raises(InvalidInput):
        Checkpoint("", 8, CT_ROOT_8)
    with pytest.raises(InvalidInput):
        Checkpoint("a\nb", 8, CT_ROOT_8)
    with pytest.raises(InvalidInput):
        Checkpoint(ORIGIN, 8, CT_ROOT_8, extensions=[""])
    assert Checkpoint(ORIGIN, 2**64 - 1, CT_ROOT_8).size == 2**64 - 1


def test_checkpoint_text_is_parsed_only_after_verification() -> None:
    # A note whose text is not a checkpoint, validly signed: the signature check passes and
    # then the text is refused; an unsigned one fails on the signature first.
    note = sign_note("not\na\ncheckpoint\n", ORIGIN, LOG)
    with pytest.raises(InvalidInput, match="size"):
        verify_checkpoint(note, LOG_VERIFIER)
    with pytest.raises(SignatureError):
        verify_checkpoint(note, WITNESS_VERIFIER)


# --- tampering ----------------------------------------------------------------------------

SIGNED_CHECKPOINT = add_signature(
    sign_checkpoint(Checkpoint(ORIGIN, 8, CT_ROOT_8), LOG), WITNESS_VERIFIER.name, WITNESS
).encode()


@settings(max_examples=400, deadline=None)
@given(
    position=st.integers(min_value=0, max_value=len(SIGNED_CHECKPOINT) - 1),
    value=st.integers(min_value=0, max_value=255),
)
def test_no_single_byte_change_verifies_with_other_content(position: int, value: int) -> None:
    tampered = bytearray(SIGNED_CHECKPOINT)
    if tampered[position] == value:
        return
    tampered[position] = value
    try:
        checkpoint = verify_checkpoint(bytes(tampered), LOG_VERIFIER)
    except CustodyError:
        return
    # Only a change in a line the log did not sign (the witness cosignature) may pass.
    assert checkpoint.to_text() == CT_CHECKPOINT_TEXT
    assert position >= SIGNED_CHECKPOINT.index(b"\n\n") + 2


def test_every_byte_of_the_signed_text_matters() -> None:
    text_end = SIGNED_CHECKPOINT.index(b"\n\n") + 1
    for position in range(text_end):
        tampered = bytearray(SIGNED_CHECKPOINT)
        tampered[position] ^= 0x01
        with pytest.raises(CustodyError):
            verify_checkpoint(bytes(tampered), LOG_VERIFIER)
