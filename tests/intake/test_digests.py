"""Streaming digests: known answers from the coreutils, chunk boundaries, errors, memory."""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import subprocess
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from custody.errors import InvalidInput, StoreError
from custody.intake import Algorithm, Digests, _digests, algorithms_from, hash_file, hash_stream
from fake_streams import DyingStream, Zeros

IMAGES = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "images"
SAMPLES = sorted(path for path in IMAGES.rglob("*") if path.suffix in {".jpg", ".tiff"})
ALL = frozenset(Algorithm)
COREUTILS = {"sha256": "sha256sum", "sha512": "sha512sum", "sha1": "sha1sum", "md5": "md5sum"}


@pytest.mark.parametrize("path", SAMPLES, ids=lambda path: path.name)
def test_digests_equal_the_coreutils(path: Path) -> None:
    digests = hash_file(path, ALL)
    for algorithm, tool in COREUTILS.items():
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed")
        printed = subprocess.run([tool, path], check=True, capture_output=True, text=True)
        assert digests.hex()[algorithm] == printed.stdout.split()[0]
    assert digests.size == path.stat().st_size


def test_empty_input_has_the_well_known_digests() -> None:
    digests = hash_stream(io.BytesIO(b""), ALL)
    assert digests.size == 0
    assert digests.hex() == {
        "sha256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "sha512": "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
        "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e",
        "sha1": "da39a3ee5e6b4b0d3255bfef95601890afd80709",
        "md5": "d41d8cd98f00b204e9800998ecf8427e",
    }


def test_only_sha256_unless_asked() -> None:
    digests = hash_stream(io.BytesIO(b"abc"))
    assert digests.to_dict() == {"sha256": hashlib.sha256(b"abc").digest()}
    assert digests.sha512 is None


@settings(max_examples=60, deadline=None)
@given(data=st.binary(max_size=200), chunk=st.integers(1, 16), buffers=st.integers(1, 4))
def test_any_chunking_gives_the_digests_of_the_whole(data: bytes, chunk: int, buffers: int) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_digests, "CHUNK_SIZE", chunk)
        patch.setattr(_digests, "BUFFERS", buffers)
        digests = hash_stream(io.BytesIO(data), ALL)
    for algorithm in Algorithm:
        assert digests.get(algorithm) == hashlib.new(algorithm.value, data).digest()
    assert digests.size == len(data)


def test_the_copy_holds_exactly_the_bytes_hashed(tmp_path: Path) -> None:
    data = os.urandom(3 * _digests.CHUNK_SIZE + 17)
    target = tmp_path / "copy"
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL)
    try:
        digests = hash_stream(io.BytesIO(data), copy_to=fd, sync_every=_digests.CHUNK_SIZE)
    finally:
        os.close(fd)
    assert target.read_bytes() == data
    assert digests.sha256 == hashlib.sha256(data).digest()


def test_a_read_error_is_raised_and_nothing_hangs() -> None:
    with pytest.raises(OSError, match="Input/output error"):
        hash_stream(DyingStream(5 * _digests.CHUNK_SIZE), ALL)


def test_a_write_error_is_a_store_error(tmp_path: Path) -> None:
    read_only = os.open(tmp_path, os.O_RDONLY)  # a directory: every write fails
    try:
        with pytest.raises(StoreError, match="cannot write the copy"):
            hash_stream(io.BytesIO(b"y" * (4 * _digests.CHUNK_SIZE)), copy_to=read_only)
    finally:
        os.close(read_only)


def test_memory_stays_bounded_whatever_the_size() -> None:
    size = 256 * _digests.CHUNK_SIZE
    tracemalloc.start()
    try:
        digests = hash_stream(Zeros(size), ALL)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert digests.size == size
    assert peak < (_digests.BUFFERS + 4) * _digests.CHUNK_SIZE


def test_a_missing_file_is_named() -> None:
    with pytest.raises(InvalidInput, match=r"nowhere\.bin: cannot open the file"):
        hash_file("/nowhere.bin")


def test_a_pipe_or_a_device_is_refused_not_read_forever(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    for path in (pipe, Path("/dev/zero")):
        with pytest.raises(InvalidInput, match="is not a regular file"):
            hash_file(path)


def test_digests_round_trip_and_refuse_bad_values() -> None:
    digests = hash_stream(io.BytesIO(b"evidence"), ALL)
    assert Digests.from_dict(digests.size, digests.to_dict()) == digests
    with pytest.raises(InvalidInput, match="unknown digest algorithms"):
        Digests.from_dict(1, {"sha256": bytes(32), "sha3": bytes(32)})
    with pytest.raises(InvalidInput, match="has no sha256"):
        Digests.from_dict(1, {"md5": bytes(16)})
    with pytest.raises(InvalidInput) as error:
        Digests(1, bytes(32), md5=bytes(15))
    assert error.value.field == "md5"
    with pytest.raises(InvalidInput):
        Digests(-1, bytes(32))


def test_algorithm_names() -> None:
    assert algorithms_from(["MD5", " sha1"]) == {Algorithm.SHA256, Algorithm.MD5, Algorithm.SHA1}
    with pytest.raises(InvalidInput, match="'sha3' is not one of"):
        algorithms_from(["sha3"])
