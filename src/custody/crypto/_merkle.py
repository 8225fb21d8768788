"""RFC 9162 Merkle hash trees over SHA-256: hashing, proof generation and proof verification.

The tree is the Certificate Transparency tree of RFC 9162 §2.1 (identical to RFC 6962 §2.1):

* a leaf hash is ``SHA-256(0x00 ‖ entry)`` and an interior node ``SHA-256(0x01 ‖ left ‖ right)``;
  the two prefixes keep an interior node from passing as a leaf (second preimages);
* a tree of ``n > 1`` leaves splits at ``k``, the largest power of two strictly below ``n``, so
  the shape follows from ``n`` alone;
* the empty tree hashes to ``SHA-256("")``.

Verification follows the loops of RFC 9162 §2.1.3.2 (inclusion) and §2.1.4.2 (consistency)
step by step. The subtree proofs of draft-ietf-plants-merkle-tree-certs §4 (also used by the
C2SP tlog specifications and transparency-dev/merkle) are checked by reducing them to those two
loops.

What a proof does **not** authenticate: an inclusion proof checked against a bare root does not
pin the tree size or the leaf index (the path for index 1 of a 4-leaf tree also verifies as
index 1 of a 3-leaf tree against the same root). Callers must take the size from a signed
checkpoint, never from the unsigned proof.

Every verification failure, including malformed arguments (a hash that is not exactly 32
bytes, a negative or out-of-range size), raises :class:`~custody.errors.ProofError`: a
verifier has nothing else to report about a proof it cannot use. Building a tree or asking it
for a proof with impossible arguments raises :class:`~custody.errors.InvalidInput`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence

from custody.errors import InvalidInput, ProofError

__all__ = [
    "EMPTY_ROOT",
    "HASH_SIZE",
    "InclusionChecker",
    "MerkleTree",
    "leaf_hash",
    "node_hash",
    "root_from_inclusion_proof",
    "root_of",
    "verify_consistency",
    "verify_inclusion",
    "verify_subtree_consistency",
    "verify_subtree_inclusion",
]

HASH_SIZE = 32
"""Size in bytes of every hash in the tree (SHA-256)."""

EMPTY_ROOT = hashlib.sha256(b"").digest()
"""Root hash of the empty tree, ``SHA-256("")`` (RFC 9162 §2.1.1)."""

_LEAF_PREFIX = b"\x00"
_NODE_PREFIX = b"\x01"

# Sizes and indices are uint64 in every format that carries them (RFC 9162 §4, C2SP
# tlog-checkpoint), so anything larger cannot come from an honest log.
_SIZE_LIMIT = 1 << 64
# A proof in a uint64 tree climbs at most 64 levels; a subtree consistency proof has two such
# climbs. Longer lists are refused before any copying or hashing.
_MAX_PROOF_HASHES = 128


def leaf_hash(entry: bytes) -> bytes:
    """Hash a log entry into a leaf (RFC 9162 §2.1.1).

    Args:
        entry: the entry bytes, of any length.

    Returns:
        ``SHA-256(0x00 ‖ entry)``, 32 bytes.
    """
    return hashlib.sha256(_LEAF_PREFIX + bytes(entry)).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """Hash two child hashes into their parent node (RFC 9162 §2.1.1).

    Args:
        left: the left child hash, 32 bytes.
        right: the right child hash, 32 bytes.

    Returns:
        ``SHA-256(0x01 ‖ left ‖ right)``, 32 bytes.

    Raises:
        InvalidInput: a child is not exactly 32 bytes.
    """
    for name, value in (("left", left), ("right", right)):
        if len(value) != HASH_SIZE:
            raise InvalidInput(f"must be {HASH_SIZE} bytes, got {len(value)}", field=name)
    return _hash_children(bytes(left), bytes(right))


def _hash_children(left: bytes, right: bytes) -> bytes:
    # The unchecked form for inner loops whose inputs were validated up front.
    return hashlib.sha256(_NODE_PREFIX + left + right).digest()


def _largest_power_of_two_below(n: int) -> int:
    """The split point ``k`` of RFC 9162 §2.1.1: the largest power of two strictly below n > 1."""
    return 1 << ((n - 1).bit_length() - 1)


def root_of(leaf_hashes: Iterable[bytes]) -> bytes:
    """Compute the Merkle tree hash of a list of leaf hashes (RFC 9162 §2.1.1).

    Args:
        leaf_hashes: the leaf hashes (already hashed with :func:`leaf_hash`), 32 bytes each.

    Returns:
        The root hash; :data:`EMPTY_ROOT` for an empty list.

    Raises:
        InvalidInput: a leaf hash is not exactly 32 bytes.
    """
    return MerkleTree(leaf_hashes).root()


class MerkleTree:
    """An append-only RFC 9162 tree that answers roots and proofs for any of its past sizes.

    The tree keeps every *perfect aligned subtree*: level ``h`` holds the hash of leaves
    ``[i·2^h, (i+1)·2^h)`` for every complete block. Level 0 is the leaf hashes themselves.
    Each level is one contiguous ``bytearray``, so the whole tree costs about ``2 * 32`` bytes
    per leaf. Building from ``n`` leaves costs ``n - 1`` hashes; :meth:`append` costs one
    amortised hash. Any subtree that appears in an RFC 9162 proof is the fold of at most
    ``log n`` stored nodes, so :meth:`root`, :meth:`inclusion_proof` and
    :meth:`consistency_proof` cost O(log² n) hashes at worst, and usually O(log n).

    Args:
        leaf_hashes: the initial leaf hashes, 32 bytes each.

    Raises:
        InvalidInput: a leaf hash is not exactly 32 bytes.
    """

    __slots__ = ("_levels", "_size")

    def __init__(self, leaf_hashes: Iterable[bytes] = ()) -> None:
        level = bytearray()
        count = 0
        for leaf in leaf_hashes:
            _require_leaf_hash(leaf, count)
            level += leaf
            count += 1
        self._size = count
        self._levels: list[bytearray] = [level]
        while len(level) >= 2 * HASH_SIZE:
            level = _pair_up(level)
            self._levels.append(level)

    def __len__(self) -> int:
        """The number of leaves."""
        return self._size

    def __repr__(self) -> str:
        return f"MerkleTree(size={self._size}, root={self.root().hex()})"

    def append(self, leaf_hash: bytes) -> None:
        """Add one leaf hash at the end of the tree.

        Args:
            leaf_hash: the new leaf hash, 32 bytes.

        Raises:
            InvalidInput: the leaf hash is not exactly 32 bytes.
        """
        _require_leaf_hash(leaf_hash, self._size)
        self._levels[0] += leaf_hash
        self._size += 1
        # Leaf number `size` completes a block of 2^h leaves for every h with 2^h | size.
        height = 1
        while self._size % (1 << height) == 0:
            if height == len(self._levels):
                self._levels.append(bytearray())
            below = self._levels[height - 1]
            self._levels[height] += _hash_children(
                bytes(below[-2 * HASH_SIZE : -HASH_SIZE]), bytes(below[-HASH_SIZE:])
            )
            height += 1

    def root(self, size: int | None = None) -> bytes:
        """The root hash the tree had when it held ``size`` leaves.

        Args:
            size: a past size of the tree, ``0 ≤ size ≤ len(self)``; defaults to the current
                size.

        Returns:
            The root hash (:data:`EMPTY_ROOT` for size 0).

        Raises:
            InvalidInput: ``size`` is negative or larger than the tree.
        """
        size = self._resolve_size(size, "size")
        if size == 0:
            return EMPTY_ROOT
        return self._range_hash(0, size)

    def inclusion_proof(self, index: int, size: int | None = None) -> list[bytes]:
        """The audit path of leaf ``index`` in the tree of ``size`` leaves (RFC 9162 §2.1.3.1).

        Args:
            index: the leaf index, ``0 ≤ index < size``.
            size: the tree size the proof is for; defaults to the current size.

        Returns:
            The sibling hashes from the leaf up to the root (``PATH(index, D[0:size])``).

        Raises:
            InvalidInput: ``size`` is larger than the tree, or ``index`` is not below it.
        """
        size = self._resolve_size(size, "size")
        if not 0 <= index < size:
            raise InvalidInput(f"leaf index {index} is not below the tree size {size}")
        return self._path(index, 0, size)

    def consistency_proof(self, old_size: int, new_size: int | None = None) -> list[bytes]:
        """The proof that the tree of ``old_size`` leaves is a prefix of ``new_size`` leaves.

        Implements ``PROOF(old_size, D[0:new_size])`` of RFC 9162 §2.1.4.1.

        Args:
            old_size: the earlier size, ``0 < old_size ≤ new_size``.
            new_size: the later size; defaults to the current size.

        Returns:
            The proof hashes, lowest level first; empty when the sizes are equal.

        Raises:
            InvalidInput: ``old_size`` is 0 (a proof from the empty tree is meaningless,
                RFC 9162 §2.1.4), or the sizes are out of order or beyond the tree.
        """
        new_size = self._resolve_size(new_size, "new_size")
        if not 0 < old_size <= new_size:
            raise InvalidInput(
                f"a consistency proof needs 0 < old_size <= new_size, got {old_size} and {new_size}"
            )
        return self._subproof(old_size, 0, new_size)

    def _resolve_size(self, size: int | None, name: str) -> int:
        if size is None:
            return self._size
        if not 0 <= size <= self._size:
            raise InvalidInput(
                f"{size} is not between 0 and the tree size {self._size}", field=name
            )
        return size

    def _node(self, height: int, index: int) -> bytes:
        """The stored hash of the perfect subtree of leaves [index·2^height, (index+1)·2^height)."""
        offset = index * HASH_SIZE
        return bytes(self._levels[height][offset : offset + HASH_SIZE])

    def _range_hash(self, start: int, end: int) -> bytes:
        """MTH(D[start:end]) for a non-empty range whose start is aligned to bit_ceil(end - start).

        Every range an RFC 9162 proof names has that shape. Such a range is a run of perfect
        subtrees of strictly decreasing size, and by the §2.1.1 split rule its hash is their
        fold from the right.
        """
        parts: list[bytes] = []
        while start < end:
            height = (end - start).bit_length() - 1
            parts.append(self._node(height, start >> height))
            start += 1 << height
        result = parts.pop()
        while parts:
            result = _hash_children(parts.pop(), result)
        return result

    def _path(self, index: int, start: int, end: int) -> list[bytes]:
        """PATH(index - start, D[start:end]) of RFC 9162 §2.1.3.1, written as a descent."""
        siblings: list[bytes] = []
        while end - start > 1:
            middle = start + _largest_power_of_two_below(end - start)
            if index < middle:
                siblings.append(self._range_hash(middle, end))
                end = middle
            else:
                siblings.append(self._range_hash(start, middle))
                start = middle
        siblings.reverse()
        return siblings

    def _subproof(self, old_size: int, start: int, end: int) -> list[bytes]:
        """SUBPROOF(old_size, D[start:end], true) of RFC 9162 §2.1.4.1, written as a descent."""
        nodes: list[bytes] = []
        old_root_is_known = True
        while old_size != end:
            middle = start + _largest_power_of_two_below(end - start)
            if old_size <= middle:
                nodes.append(self._range_hash(middle, end))
                end = middle
            else:
                nodes.append(self._range_hash(start, middle))
                start = middle
                # The old tree's root is no longer a node on the way down.
                old_root_is_known = False
        if not old_root_is_known:
            nodes.append(self._range_hash(start, end))
        nodes.reverse()
        return nodes


def _require_leaf_hash(leaf: bytes, position: int) -> None:
    if not isinstance(leaf, bytes | bytearray | memoryview) or len(leaf) != HASH_SIZE:
        raise InvalidInput(f"leaf hash {position} must be {HASH_SIZE} bytes", field="leaf_hashes")


def _pair_up(level: bytearray) -> bytearray:
    """Hash each complete pair of a level into the level above; an unpaired last node waits."""
    above = bytearray()
    sha256 = hashlib.sha256
    # Release the view before returning: a bytearray with a live view cannot grow later.
    with memoryview(level) as view:
        for offset in range(0, len(level) - 2 * HASH_SIZE + 1, 2 * HASH_SIZE):
            above += sha256(_NODE_PREFIX + view[offset : offset + 2 * HASH_SIZE]).digest()
    return above


# --- verification -------------------------------------------------------------------------


def verify_inclusion(
    index: int, size: int, leaf_hash: bytes, proof: Sequence[bytes], root: bytes
) -> None:
    """Check that ``leaf_hash`` is leaf ``index`` of the tree of ``size`` leaves with ``root``.

    RFC 9162 §2.1.3.2. ``size`` must come from a signed checkpoint: the proof alone does not
    pin it (see the module docstring).

    Args:
        index: the leaf index.
        size: the tree size, trusted.
        leaf_hash: the leaf hash (``SHA-256(0x00 ‖ entry)``), 32 bytes.
        proof: the audit path, lowest level first, 32 bytes per hash.
        root: the trusted root hash for ``size``, 32 bytes.

    Raises:
        ProofError: the index is not below the size, a hash is not 32 bytes, the proof has the
            wrong length, or it leads to a different root.
    """
    _require_hash(root, "root hash")
    computed = root_from_inclusion_proof(index, size, leaf_hash, proof)
    if computed != root:
        raise ProofError(
            f"inclusion proof for leaf {index} in a tree of size {size} leads to root "
            f"{computed.hex()}, not the expected {root.hex()}"
        )


def root_from_inclusion_proof(
    index: int, size: int, leaf_hash: bytes, proof: Sequence[bytes]
) -> bytes:
    """The root that an inclusion proof implies (RFC 9162 §2.1.3.2, steps 1 to 5).

    Useful to compare one computed root with several candidates; :func:`verify_inclusion`
    is the usual entry point.

    Args:
        index: the leaf index.
        size: the tree size.
        leaf_hash: the leaf hash, 32 bytes.
        proof: the audit path, lowest level first.

    Returns:
        The root hash the proof leads to.

    Raises:
        ProofError: the index is not below the size, a hash is not 32 bytes, or the proof has
            the wrong length.
    """
    _require_size(size, "tree size")
    _require_size(index, "leaf index")
    if index >= size:
        raise ProofError(f"leaf index {index} is beyond the tree size {size}")
    _require_hash(leaf_hash, "leaf hash")
    hashes = _proof_hashes(proof)
    return _chain_inclusion(index, size, bytes(leaf_hash), hashes)


def _chain_inclusion(index: int, size: int, seed: bytes, proof: list[bytes]) -> bytes:
    """The RFC 9162 §2.1.3.2 loop over validated inputs, with its own length checks."""
    steps = list(_climb(index, size, seed, proof))
    _, _, _, last, root = steps[-1] if steps else (0, 0, index, size - 1, seed)
    if last != 0:  # Step 4: the proof stops below the root
        raise ProofError(_wrong_length("inclusion", len(proof), index, size))
    return root


def _climb(
    index: int, size: int, seed: bytes, proof: list[bytes]
) -> Iterator[tuple[int, int, int, int, bytes]]:
    """RFC 9162 §2.1.3.2 step 3, one proof hash at a time.

    Yields, after each hash: the position of that hash in ``proof``, the level reached, the
    node's index on that level, the last index on that level, and the node's hash. The node
    at (level, index) covers leaves ``index * 2**level`` up to the tree's size.

    Raises:
        ProofError: the proof climbs past the root (it is too long).
    """
    # Step 2: fn is the node's index on its level, sn the last index on that level.
    fn, sn, node, level = index, size - 1, seed, 0
    for position, sibling in enumerate(proof):
        if sn == 0:  # 3.1: the proof climbs past the root
            raise ProofError(_wrong_length("inclusion", len(proof), index, size))
        if fn & 1 or fn == sn:  # 3.2: the sibling is on the left
            node = _hash_children(sibling, node)
            # A right-border node with no sibling at this level moves up without hashing.
            while not fn & 1 and fn != 0:
                fn, sn, level = fn >> 1, sn >> 1, level + 1
        else:  # 3.3: the sibling is on the right
            node = _hash_children(node, sibling)
        fn, sn, level = fn >> 1, sn >> 1, level + 1  # 3.4
        yield position, level, fn, sn, node


class InclusionChecker:
    """Checks many inclusion proofs under one trusted root, each as :func:`verify_inclusion`
    would, with fewer hashes when the leaves come in increasing order.

    Proofs of neighbouring leaves share their upper part. Once a proof has led to the root,
    every subtree on its path is proven to be in the tree; the next proof climbs only until
    it reaches one of them, then must go on with exactly the hashes the proven path has
    (so a proof is accepted only if it is byte for byte the one a full check accepts). Only
    one proven subtree per level is kept: at most 64, whatever the number of proofs.
    """

    def __init__(self, size: int, root: bytes) -> None:
        """Check proofs against the tree of ``size`` leaves with ``root`` (both trusted).

        Raises:
            ProofError: the size is out of range or the root is not 32 bytes.
        """
        _require_size(size, "tree size")
        _require_hash(root, "root hash")
        self._size = size
        self._root = root
        # Per level, the last subtree proven there: its index on the level, its hash, and
        # the proof that climbed through it with the position of its last hash below it.
        # (level, index) names one subtree of this tree, so an entry stays true when newer
        # paths pass elsewhere.
        self._proven: list[tuple[int, bytes, list[bytes], int] | None] = [None] * 65

    @property
    def size(self) -> int:
        """The size of the tree the proofs are checked in."""
        return self._size

    def included(self, index: int, leaf_hash: bytes, proof: Sequence[bytes]) -> bool:
        """Whether ``proof`` (32-byte ``bytes`` hashes) shows ``leaf_hash`` is leaf ``index``."""
        if not 0 <= index < self._size or len(leaf_hash) != HASH_SIZE or not _hashes(proof):
            return False
        hashes = list(proof)
        climbed = []
        node, last = bytes(leaf_hash), self._size - 1
        try:
            for step in _climb(index, self._size, node, hashes):
                position, level, fn, last, node = step
                known = self._proven[level]
                if known is not None and known[0] == fn:
                    _, known_node, known_hashes, known_position = known
                    if (
                        node != known_node
                        or hashes[position + 1 :] != known_hashes[known_position + 1 :]
                    ):
                        return False
                    break
                climbed.append((level, (fn, node, hashes, position)))
            else:
                if last != 0 or node != self._root:
                    return False
        except ProofError:  # too long a proof
            return False
        for level, subtree in climbed:
            self._proven[level] = subtree
        return True


def _hashes(proof: Sequence[bytes]) -> bool:
    """Whether ``proof`` is at most 128 hashes, each ``bytes`` of 32 (checked in C loops)."""
    return (
        len(proof) <= _MAX_PROOF_HASHES
        and set(map(type, proof)) <= {bytes}
        and set(map(len, proof)) <= {HASH_SIZE}
    )


def _inclusion_proof_length(index: int, size: int) -> int:
    """How many hashes RFC 9162 PATH(index, D[size]) has: one per level of the leaf's depth."""
    # Levels below the point where the paths to `index` and to the last leaf part each
    # contribute one sibling; above it, only levels where the path turns right do.
    inner = (index ^ (size - 1)).bit_length()
    return inner + (index >> inner).bit_count()


def _wrong_length(kind: str, got: int, index: int, size: int) -> str:
    expected = _inclusion_proof_length(index, size)
    return (
        f"{kind} proof has {got} hashes; a node at index {index} of a tree of size {size} "
        f"needs {expected}"
    )


def verify_consistency(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> None:
    """Check that the tree of ``old_size`` leaves is a prefix of the tree of ``new_size``.

    RFC 9162 §2.1.4.2. Equal sizes need an empty proof and equal roots. A proof from the empty
    tree (``old_size == 0``) is refused: RFC 9162 defines none, and an empty tree is trivially
    a prefix of every tree, so there is nothing to check.

    Args:
        old_size: the earlier tree size, trusted.
        new_size: the later tree size, trusted.
        old_root: the trusted root for ``old_size``, 32 bytes.
        new_root: the trusted root for ``new_size``, 32 bytes.
        proof: the consistency proof, 32 bytes per hash.

    Raises:
        ProofError: sizes out of order or zero, a hash that is not 32 bytes, a proof of the
            wrong length, or roots that the proof does not connect.
    """
    _require_size(old_size, "old size")
    _require_size(new_size, "new size")
    _require_hash(old_root, "old root hash")
    _require_hash(new_root, "new root hash")
    hashes = _proof_hashes(proof)
    if old_size > new_size:
        raise ProofError(f"old size {old_size} is larger than new size {new_size}")
    if old_size == 0:
        raise ProofError("a consistency proof from the empty tree (old size 0) is meaningless")
    if old_size == new_size:
        _check_equal_trees(old_size, bytes(old_root), bytes(new_root), hashes)
        return
    computed = _root_from_consistency_proof(old_size, new_size, bytes(old_root), hashes)
    if computed != new_root:
        raise ProofError(
            f"consistency proof from size {old_size} to {new_size} leads to root "
            f"{computed.hex()}, not the expected {new_root.hex()}"
        )


def _check_equal_trees(size: int, old_root: bytes, new_root: bytes, proof: list[bytes]) -> None:
    if proof:
        raise ProofError(f"sizes are equal ({size}) but the proof has {len(proof)} hashes")
    if old_root != new_root:
        raise ProofError(f"sizes are equal ({size}) but the roots differ")


def _root_from_consistency_proof(
    old_size: int, new_size: int, old_root: bytes, proof: list[bytes]
) -> bytes:
    """The RFC 9162 §2.1.4.2 loop for ``0 < old_size < new_size``.

    Checks that the proof reproduces ``old_root`` and returns the new root it leads to.
    """
    if not proof:  # Step 1
        raise ProofError(f"consistency proof from size {old_size} to {new_size} is empty")
    path = proof
    if old_size & (old_size - 1) == 0:  # Step 2: the old tree is a node of the new tree
        path = [old_root, *proof]
    fn, sn = old_size - 1, new_size - 1  # Step 3
    while fn & 1:  # Step 4: skip the levels where the old tree's last node is a right child
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]  # Step 5
    for c in path[1:]:  # Step 6
        if sn == 0:
            raise ProofError(_consistency_length(len(proof), old_size, new_size))
        if fn & 1 or fn == sn:  # c is a left sibling in both trees
            fr = _hash_children(c, fr)
            sr = _hash_children(c, sr)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:  # c is a right sibling, present only in the new tree
            sr = _hash_children(sr, c)
        fn >>= 1
        sn >>= 1
    if sn != 0:  # Step 7
        raise ProofError(_consistency_length(len(proof), old_size, new_size))
    if fr != old_root:
        raise ProofError(
            f"consistency proof from size {old_size} to {new_size} does not reproduce the "
            f"old root {old_root.hex()}"
        )
    return sr


def _consistency_length(got: int, old_size: int, new_size: int) -> str:
    return f"consistency proof from size {old_size} to {new_size} has the wrong length ({got})"


# --- subtrees (draft-ietf-plants-merkle-tree-certs §4) ------------------------------------


def verify_subtree_inclusion(
    index: int,
    start: int,
    end: int,
    leaf_hash: bytes,
    proof: Sequence[bytes],
    subtree_root: bytes,
) -> None:
    """Check that ``leaf_hash`` is leaf ``index`` of the subtree ``[start, end)``.

    A subtree is valid when ``start`` is a multiple of the smallest power of two at least
    ``end - start`` (draft-ietf-plants-merkle-tree-certs §4.1). Its hash is the RFC 9162 hash
    of leaves ``start..end-1``, so the proof is the ordinary audit path of leaf
    ``index - start`` in a tree of ``end - start`` leaves.

    Args:
        index: the leaf's index in the whole log, ``start ≤ index < end``.
        start: the subtree's first leaf.
        end: one past the subtree's last leaf.
        leaf_hash: the leaf hash, 32 bytes.
        proof: the audit path inside the subtree, lowest level first.
        subtree_root: the trusted hash of the subtree, 32 bytes.

    Raises:
        ProofError: an invalid subtree, an index outside it, a hash that is not 32 bytes, a
            proof of the wrong length, or a proof that leads to another hash.
    """
    _require_subtree(start, end)
    _require_size(index, "leaf index")
    if not start <= index < end:
        raise ProofError(f"leaf index {index} is outside the subtree [{start}, {end})")
    _require_hash(subtree_root, "subtree root hash")
    computed = root_from_inclusion_proof(index - start, end - start, leaf_hash, proof)
    if computed != subtree_root:
        raise ProofError(
            f"inclusion proof for leaf {index} in subtree [{start}, {end}) leads to "
            f"{computed.hex()}, not the expected {subtree_root.hex()}"
        )


def verify_subtree_consistency(
    start: int,
    end: int,
    size: int,
    subtree_root: bytes,
    root: bytes,
    proof: Sequence[bytes],
) -> None:
    """Check that the subtree ``[start, end)`` with ``subtree_root`` is part of a larger tree.

    The proof shows that the leaves ``start..end-1`` hashing to ``subtree_root`` sit at those
    positions in the tree of ``size`` leaves with ``root`` (draft-ietf-plants-merkle-tree-certs
    §4.4). With ``start == 0`` this is an RFC 9162 consistency proof. An empty subtree
    (``start == end``) is consistent with every tree: it needs an empty proof and the
    empty-tree hash as ``subtree_root``, and ``root`` is not examined beyond its length.

    How it is checked: let ``2^h`` be the smallest power of two at least ``end - start``. The
    subtree is the left part of the aligned block ``N = [start, min(start + 2^h, size))``.
    The proof is an RFC 9162 consistency proof from ``end - start`` to ``|N|`` leaves inside
    ``N`` (absent when the subtree is all of ``N``), followed by the audit path of ``N`` as
    node ``start >> h`` among the ``⌈size / 2^h⌉`` nodes of level ``h``. Both parts go through
    the RFC 9162 loops.

    Args:
        start: the subtree's first leaf.
        end: one past the subtree's last leaf, ``end ≤ size``.
        size: the size of the larger tree, trusted.
        subtree_root: the trusted hash of the subtree, 32 bytes.
        root: the trusted root of the tree of ``size`` leaves, 32 bytes.
        proof: the subtree consistency proof, 32 bytes per hash.

    Raises:
        ProofError: an invalid subtree, ``end > size``, a hash that is not 32 bytes, a proof of
            the wrong length, or hashes that the proof does not connect.
    """
    _require_subtree(start, end)
    _require_size(size, "tree size")
    if end > size:
        raise ProofError(f"subtree [{start}, {end}) extends beyond the tree size {size}")
    _require_hash(subtree_root, "subtree root hash")
    _require_hash(root, "root hash")
    hashes = _proof_hashes(proof)
    if start == end:
        _check_empty_subtree(bytes(subtree_root), hashes)
        return
    computed = _root_from_subtree_consistency_proof(start, end, size, bytes(subtree_root), hashes)
    if computed != root:
        raise ProofError(
            f"consistency proof from subtree [{start}, {end}) to size {size} leads to root "
            f"{computed.hex()}, not the expected {root.hex()}"
        )


def _check_empty_subtree(subtree_root: bytes, proof: list[bytes]) -> None:
    if proof:
        raise ProofError(f"the subtree is empty but the proof has {len(proof)} hashes")
    if subtree_root != EMPTY_ROOT:
        raise ProofError("the subtree is empty but its root is not the empty-tree hash")


def _root_from_subtree_consistency_proof(
    start: int, end: int, size: int, subtree_root: bytes, proof: list[bytes]
) -> bytes:
    height = (end - start - 1).bit_length()  # 2^height = bit_ceil(end - start)
    block_end = min(start + (1 << height), size)
    block_index = start >> height
    level_size = ((size - 1) >> height) + 1
    upper_length = _inclusion_proof_length(block_index, level_size)
    lower_length = len(proof) - upper_length
    if lower_length < 0:
        raise ProofError(
            f"consistency proof from subtree [{start}, {end}) to size {size} is too short "
            f"({len(proof)} hashes)"
        )
    lower, upper = proof[:lower_length], proof[lower_length:]
    if end == block_end:
        # The subtree is the whole block: its root is the block's hash.
        if lower:
            raise ProofError(
                f"consistency proof from subtree [{start}, {end}) to size {size} is too long "
                f"({len(proof)} hashes)"
            )
        block_hash = subtree_root
    else:
        block_hash = _root_from_consistency_proof(
            end - start, block_end - start, subtree_root, lower
        )
    return _chain_inclusion(block_index, level_size, block_hash, upper)


def _require_subtree(start: int, end: int) -> None:
    _require_size(start, "subtree start")
    _require_size(end, "subtree end")
    if start > end:
        raise ProofError(f"subtree start {start} is after its end {end}")
    if start != end and start % _bit_ceil(end - start) != 0:
        raise ProofError(
            f"[{start}, {end}) is not a subtree: its start must be a multiple of "
            f"{_bit_ceil(end - start)}, the smallest power of two >= its size"
        )


def _bit_ceil(n: int) -> int:
    """The smallest power of two greater than or equal to n ≥ 1."""
    return 1 << (n - 1).bit_length()


# --- argument checks shared by the verifiers -----------------------------------------------


def _require_size(value: int, name: str) -> None:
    if not 0 <= value < _SIZE_LIMIT:
        raise ProofError(f"{name} {value} is not a uint64")


def _require_hash(value: bytes, name: str) -> None:
    if len(value) != HASH_SIZE:
        raise ProofError(f"{name} must be {HASH_SIZE} bytes, got {len(value)}")


def _proof_hashes(proof: Sequence[bytes]) -> list[bytes]:
    """Copy a proof into a list of bytes after checking every hash is exactly 32 bytes."""
    if len(proof) > _MAX_PROOF_HASHES:
        raise ProofError(f"proof has {len(proof)} hashes; no uint64 tree needs more than 128")
    hashes = [bytes(h) for h in proof]
    for position, value in enumerate(hashes):
        if len(value) != HASH_SIZE:
            raise ProofError(f"proof hash {position} must be {HASH_SIZE} bytes, got {len(value)}")
    return hashes
