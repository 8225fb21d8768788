"""The blob store: exact, write-once, read-only, deduplicated, and never half-visible."""

from __future__ import annotations

import errno
import fcntl
import io
import os
import stat
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from custody.errors import InvalidInput, StoreError
from custody.intake import Algorithm, BlobState, BlobStore, _digests, clean_stale_temporaries
from fake_streams import DyingStream
from permissions import deny_access

IMAGES = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "images"
PHOTO = IMAGES / "jpg" / "gps" / "DSCN0010.jpg"


def on_four_threads(work: Callable[[], None]) -> None:
    """Run ``work`` on four threads at once and wait for all of them."""
    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


@pytest.fixture
def store(tmp_path: Path) -> BlobStore:
    return BlobStore.open(tmp_path / "blobs", create=True)


def files_under(path: Path) -> list[Path]:
    return sorted(p for p in path.rglob("*") if p.is_file())


def test_a_file_is_stored_exactly_read_only_under_its_digest(store: BlobStore) -> None:
    before = PHOTO.stat()
    stored = store.put_file(PHOTO, [Algorithm.MD5])
    assert stored.created
    assert stored.path == store.path_of(stored.digests.sha256)
    assert stored.path.read_bytes() == PHOTO.read_bytes()
    assert stat.S_IMODE(stored.path.stat().st_mode) == 0o444
    assert stored.digests.md5 is not None
    assert stored.digests.sha256 in store
    assert PHOTO.stat().st_mtime_ns == before.st_mtime_ns


def test_the_same_bytes_are_kept_once(store: BlobStore) -> None:
    first = store.put_file(PHOTO)
    second = store.put(io.BytesIO(PHOTO.read_bytes()))
    assert not second.created
    assert second.path == first.path
    assert files_under(store.root) == [first.path]  # nothing left in tmp/ either


def test_a_damaged_blob_is_kept_aside_as_evidence_and_replaced(store: BlobStore) -> None:
    first = store.put_file(PHOTO)
    os.chmod(first.path, 0o644)
    first.path.write_bytes(b"damaged on disk")
    again = store.put_file(PHOTO)
    assert (again.created, again.repaired) == (False, True)
    assert again.path.read_bytes() == PHOTO.read_bytes()
    assert stat.S_IMODE(again.path.stat().st_mode) == 0o444
    assert store.check(first.digests.sha256).state is BlobState.INTACT
    kept = again.damaged_copy
    assert kept is not None
    assert kept.parent == store.root / "damaged"
    assert kept.name.startswith(first.digests.sha256.hex() + "-")
    assert kept.name.endswith("Z")  # the UTC time it was moved aside
    assert kept.read_bytes() == b"damaged on disk"
    assert stat.S_IMODE(kept.stat().st_mode) == 0o444
    assert files_under(store.root) == [kept, again.path]
    assert store.damaged_copies() == [kept]
    assert set(store.unexpected()) == set()


def test_an_intact_blob_is_reused_and_nothing_kept_aside(store: BlobStore) -> None:
    store.put_file(PHOTO)
    again = store.put_file(PHOTO)
    assert (again.created, again.repaired, again.damaged_copy) == (False, False, None)
    assert store.damaged_copies() == []


def test_a_link_in_a_blobs_place_is_kept_as_the_link_and_replaced(
    store: BlobStore, tmp_path: Path
) -> None:
    first = store.put_file(PHOTO)
    elsewhere = tmp_path / "elsewhere.jpg"
    elsewhere.write_bytes(PHOTO.read_bytes())  # the right bytes, but outside the store
    first.path.unlink()
    first.path.symlink_to(elsewhere)
    again = store.put_file(PHOTO)
    assert again.damaged_copy is not None
    assert again.damaged_copy.is_symlink()
    assert os.readlink(again.damaged_copy) == str(elsewhere)
    assert stat.S_IMODE(elsewhere.stat().st_mode) == 0o644  # its target left alone
    assert not again.path.is_symlink()
    assert store.check(first.digests.sha256).state is BlobState.INTACT


def test_concurrent_repairs_keep_one_damaged_copy(store: BlobStore) -> None:
    data = os.urandom(3 * _digests.CHUNK_SIZE)
    stored = store.put(io.BytesIO(data))
    os.chmod(stored.path, 0o644)
    stored.path.write_bytes(data[:-1] + b"!")
    kept: list[Path | None] = []

    def put() -> None:
        kept.append(BlobStore.open(store.root).put(io.BytesIO(data)).damaged_copy)

    on_four_threads(put)
    (copy,) = [path for path in kept if path is not None]
    assert copy.read_bytes() == data[:-1] + b"!"
    assert store.damaged_copies() == [copy]
    assert store.check(stored.digests.sha256).state is BlobState.INTACT


def test_concurrent_writers_of_the_same_bytes_leave_one_blob(store: BlobStore) -> None:
    data = os.urandom(3 * _digests.CHUNK_SIZE)
    outcomes: list[bool] = []

    def put() -> None:
        outcomes.append(BlobStore.open(store.root).put(io.BytesIO(data)).created)

    on_four_threads(put)
    assert sorted(outcomes) == [False, False, False, True]
    (blob,) = files_under(store.root)
    assert blob.read_bytes() == data


def test_a_source_failing_half_way_leaves_nothing(store: BlobStore) -> None:
    with pytest.raises(OSError, match="Input/output error"):
        store.put(DyingStream(2 * _digests.CHUNK_SIZE + 5))
    assert files_under(store.root) == []


def test_a_full_disk_is_a_store_error_and_leaves_nothing(
    store: BlobStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_space(fd: int, data: object) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(_digests.os, "write", no_space)
    with pytest.raises(StoreError, match="No space left on device"):
        store.put_file(PHOTO)
    assert files_under(store.root) == []


def test_an_unreadable_source_is_named(store: BlobStore, tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match=r"absent\.jpg: cannot open the file"):
        store.put_file(tmp_path / "absent.jpg")


def test_pipes_devices_and_refused_links_are_not_read(store: BlobStore, tmp_path: Path) -> None:
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)  # nobody writes to it: reading would wait forever
    link = tmp_path / "link.jpg"
    link.symlink_to(PHOTO)
    for path in (pipe, Path("/dev/zero"), tmp_path):
        with pytest.raises(InvalidInput, match="is not a regular file"):
            store.put_file(path)
    with pytest.raises(InvalidInput, match="a symbolic link"):
        store.put_file(link, follow_links=False)
    assert store.put_file(link).created
    assert files_under(store.root / "tmp") == []


def test_stale_temporaries_go_and_live_ones_stay(store: BlobStore) -> None:
    temporary = store.root / "tmp"
    stale = temporary / "blob-dead.part"
    stale.write_bytes(b"half a photograph")
    live = temporary / "blob-live.part"
    live.write_bytes(b"being written")
    old = time.time() - 3600
    for path in (stale, live):
        os.utime(path, (old, old))
    with open(live, "rb") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        assert clean_stale_temporaries(temporary) == 1
        assert not stale.exists()
        assert live.exists()
    fresh = temporary / "blob-fresh.part"
    fresh.write_bytes(b"just created, not locked yet")
    assert clean_stale_temporaries(temporary) == 1  # the live one, now released
    assert fresh.exists()


def test_fixity_checks_find_intact_changed_and_missing(store: BlobStore) -> None:
    intact = store.put(io.BytesIO(b"intact"))
    changed = store.put(io.BytesIO(b"changed"))
    os.chmod(changed.path, 0o644)
    changed.path.write_bytes(b"changed!")
    missing = store.put(io.BytesIO(b"missing"))
    missing.path.unlink()
    assert store.check(intact.digests.sha256).state is BlobState.INTACT
    found = store.check(changed.digests.sha256)
    assert found.state is BlobState.CHANGED
    assert found.found is not None
    assert found.found.size == 8
    assert store.check(missing.digests.sha256).state is BlobState.MISSING


def test_an_unreadable_blob_is_not_called_missing(
    store: BlobStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    from custody.intake import _blobs

    stored = store.put(io.BytesIO(b"evidence"))

    def failing_disk(*_: object, **__: object) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(_blobs, "hash_stream", failing_disk)
    assert store.check(stored.digests.sha256).state is BlobState.UNREADABLE


def test_a_shard_that_cannot_be_searched_is_unreadable_not_a_crash(
    store: BlobStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    stored = store.put(io.BytesIO(b"evidence"))
    shard = stored.path.parent
    deny_access(monkeypatch, shard)
    assert store.check(stored.digests.sha256).state is BlobState.UNREADABLE
    assert stored.digests.sha256 not in store
    assert list(store.unlistable()) == [(shard, "Permission denied")]
    assert list(store.stored()) == []


def test_a_shard_without_permissions_is_unreadable(store: BlobStore) -> None:
    stored = store.put(io.BytesIO(b"evidence"))
    shard = stored.path.parent
    shard.chmod(0)
    try:
        if os.access(shard, os.X_OK):
            pytest.skip("this process reads past permissions (root with CAP_DAC_OVERRIDE)")
        assert store.check(stored.digests.sha256).state is BlobState.UNREADABLE
        assert stored.digests.sha256 not in store
        assert list(store.unlistable()) == [(shard, "Permission denied")]
    finally:
        shard.chmod(0o755)


def test_what_is_not_a_regular_file_is_named_never_followed(
    store: BlobStore, tmp_path: Path
) -> None:
    good = store.put(io.BytesIO(b"good bytes"))
    elsewhere = tmp_path / "copy"
    elsewhere.write_bytes(b"good bytes")  # a link to the same bytes is no stored blob
    good.path.unlink()
    good.path.symlink_to(elsewhere)
    dangling = store.put(io.BytesIO(b"dangling"))
    dangling.path.unlink()
    dangling.path.symlink_to(tmp_path / "nowhere")
    folder = store.put(io.BytesIO(b"folder"))
    folder.path.unlink()
    folder.path.mkdir()
    pipe = store.put(io.BytesIO(b"pipe"))
    pipe.path.unlink()
    os.mkfifo(pipe.path)  # opening it for reading must not wait for a writer
    for blob in (good, dangling, folder, pipe):
        check = store.check(blob.digests.sha256)
        assert (check.state, check.found) == (BlobState.NOT_REGULAR, None)
        assert blob.digests.sha256 not in store


def test_a_blob_writable_again_is_named(store: BlobStore) -> None:
    stored = store.put(io.BytesIO(b"evidence"))
    os.chmod(stored.path, 0o644)
    check = store.check(stored.digests.sha256)
    assert check.state is BlobState.WRITABLE
    assert check.found is not None
    assert check.found.sha256 == stored.digests.sha256
    again = store.put(io.BytesIO(b"evidence"))  # its bytes are right: not replaced
    assert (again.created, again.damaged_copy) == (False, None)


def test_folders_of_derived_copies_left_by_a_crash_go(store: BlobStore) -> None:
    left = store.root / "tmp" / "derive-crashed"
    left.mkdir()
    (left / "copy").write_bytes(b"half a copy")
    fresh = store.root / "tmp" / "derive-working"
    fresh.mkdir()
    old = time.time() - 3600
    os.utime(left, (old, old))
    assert clean_stale_temporaries(store.root / "tmp") == 1
    assert not left.exists()
    assert fresh.exists()


def test_stray_files_are_unexpected(store: BlobStore) -> None:
    stored = store.put(io.BytesIO(b"evidence"))
    stray = store.root / "sha256" / "notes.txt"
    stray.write_text("not a blob")
    misplaced = store.root / "sha256" / "00" / stored.digests.sha256.hex()
    misplaced.parent.mkdir()
    misplaced.write_bytes(b"evidence")
    assert set(store.stored()) == {stored.digests.sha256}
    assert set(store.unexpected()) == {stray, misplaced}


def test_a_directory_that_is_not_a_store_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="not a blob store"):
        BlobStore.open(tmp_path)


def test_open_blob_reads_and_missing_blob_is_a_store_error(store: BlobStore) -> None:
    stored = store.put(io.BytesIO(b"bytes"))
    with store.open_blob(stored.digests.sha256) as blob:
        assert blob.read() == b"bytes"
    with pytest.raises(StoreError, match="cannot be read"):
        store.open_blob(bytes(32))
