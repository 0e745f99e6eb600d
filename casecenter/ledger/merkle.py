"""Merkle tree hashing and proofs for the whole-process record (RFC 6962 / RFC 9162).

This module is deliberately self-contained (standard library only) so that a
receiving authority can check proofs with nothing but this file and the public
key. Everything here is a pure function of its inputs.

Conventions, as in RFC 6962 section 2.1:

* leaf hash = H(0x00 || entry bytes)
* node hash = H(0x01 || left || right)
* the hash of the empty tree is H() (the hash of the empty string)
* a tree of n > 1 leaves splits at k, the largest power of two smaller than n.

The proof generators (:class:`MerkleTree`, :func:`inclusion_proof`,
:func:`consistency_proof`) are a straightforward reference implementation meant
for tests and small trees. The verifiers follow the iterative algorithms of
RFC 9162 sections 2.1.3.2 and 2.1.4.2 and are written to be fast, because a
receiving authority may check every event of a large case file.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence

__all__ = [
    "ALGORITHMS",
    "MerkleTree",
    "consistency_proof",
    "digest_size",
    "empty_root",
    "hasher",
    "inclusion_proof",
    "leaf_hash",
    "merkle_root",
    "node_hash",
    "root_from_inclusion",
    "verify_consistency",
    "verify_inclusion",
]

ALGORITHMS = ("sha256", "sm3")

_LEAF_PREFIX = b"\x00"
_NODE_PREFIX = b"\x01"

# Prototype hash objects already fed with the domain-separation prefix. Copying
# a prototype is measurably cheaper than building b"\x01" + left + right and
# hashing it from scratch, especially for SM3, which goes through hashlib.new().
_PROTOTYPES: dict[str, tuple] = {}


def hasher(name: str) -> Callable[..., object]:
    """Return a hashlib-style constructor for ``name`` ("sha256" or "sm3").

    Raises ValueError for any other name, or if the local OpenSSL lacks SM3.
    """
    if name == "sha256":
        return hashlib.sha256
    if name == "sm3":
        try:
            hashlib.new("sm3")
        except ValueError as exc:  # OpenSSL built without SM3
            raise ValueError("SM3 is not available in this Python's OpenSSL") from exc
        return lambda data=b"": hashlib.new("sm3", data)
    raise ValueError(f"unsupported hash algorithm: {name!r}")


def _prototypes(alg: str) -> tuple:
    """(empty, leaf-prefixed, node-prefixed) hash objects for ``alg``, cached."""
    protos = _PROTOTYPES.get(alg)
    if protos is None:
        new = hasher(alg)
        protos = (new(), new(_LEAF_PREFIX), new(_NODE_PREFIX))
        _PROTOTYPES[alg] = protos
    return protos


def digest_size(alg: str) -> int:
    """Length in bytes of a hash produced by ``alg``."""
    return _prototypes(alg)[0].digest_size


def empty_root(alg: str = "sha256") -> bytes:
    """Root hash of the empty tree, MTH({}) = H()."""
    return _prototypes(alg)[0].digest()


def leaf_hash(data: bytes, alg: str = "sha256") -> bytes:
    """RFC 6962 leaf hash: H(0x00 || data)."""
    h = _prototypes(alg)[1].copy()
    h.update(data)
    return h.digest()


def node_hash(left: bytes, right: bytes, alg: str = "sha256") -> bytes:
    """RFC 6962 interior node hash: H(0x01 || left || right)."""
    h = _prototypes(alg)[2].copy()
    h.update(left)
    h.update(right)
    return h.digest()


def _largest_power_of_two_below(n: int) -> int:
    """k such that k < n <= 2k (requires n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


def merkle_root(leaf_hashes: Sequence[bytes], alg: str = "sha256") -> bytes:
    """Merkle Tree Hash of the entries whose leaf hashes are given.

    Pairs are combined level by level; an unpaired last node is carried up
    unchanged, which yields exactly the RFC 6962 tree (split at the largest
    power of two) without recursion.
    """
    if not leaf_hashes:
        return empty_root(alg)
    proto = _prototypes(alg)[2]
    level = list(leaf_hashes)
    while len(level) > 1:
        nxt = []
        for i in range(0, len(level) - 1, 2):
            h = proto.copy()
            h.update(level[i])
            h.update(level[i + 1])
            nxt.append(h.digest())
        if len(level) % 2:
            nxt.append(level[-1])
        level = nxt
    return level[0]


class MerkleTree:
    """All complete subtrees of a list of leaf hashes, for producing proofs.

    Proofs may be requested for any prefix of the leaves (a past tree size):
    a complete, aligned subtree has the same hash in every tree that contains
    it, so only the hashes along the right edge of the smaller tree need to
    be recomputed.
    """

    def __init__(self, leaf_hashes: Sequence[bytes], alg: str = "sha256") -> None:
        self.alg = alg
        # levels[j][i] is the hash of leaves [i * 2**j, (i + 1) * 2**j) when
        # that range is complete; a trailing odd node is simply not paired.
        self.levels: list[list[bytes]] = [list(leaf_hashes)]
        proto = _prototypes(alg)[2]
        while len(self.levels[-1]) > 1:
            below = self.levels[-1]
            above = []
            for i in range(0, len(below) - 1, 2):
                h = proto.copy()
                h.update(below[i])
                h.update(below[i + 1])
                above.append(h.digest())
            self.levels.append(above)

    def __len__(self) -> int:
        return len(self.levels[0])

    def _subtree(self, lo: int, hi: int) -> bytes:
        """MTH(D[lo:hi]); lo is always aligned to the split point by the callers."""
        width = hi - lo
        if width == 0:
            return empty_root(self.alg)
        if width & (width - 1) == 0 and lo % width == 0:
            return self.levels[width.bit_length() - 1][lo // width]
        k = _largest_power_of_two_below(width)
        return node_hash(self._subtree(lo, lo + k), self._subtree(lo + k, hi), self.alg)

    def _size(self, size: int | None) -> int:
        if size is None:
            return len(self)
        if not 0 <= size <= len(self):
            raise ValueError(f"tree size {size} outside 0..{len(self)}")
        return size

    def root(self, size: int | None = None) -> bytes:
        """Root hash of the tree made of the first ``size`` leaves (default: all)."""
        return self._subtree(0, self._size(size))

    def inclusion_proof(self, index: int, size: int | None = None) -> list[bytes]:
        """PATH(index, D[0:size]) of RFC 6962 section 2.1.1, lowest level first."""
        size = self._size(size)
        if not 0 <= index < size:
            raise ValueError(f"leaf index {index} outside tree of size {size}")
        path = []
        lo, hi = 0, size
        while hi - lo > 1:
            k = _largest_power_of_two_below(hi - lo)
            if index < lo + k:
                path.append(self._subtree(lo + k, hi))
                hi = lo + k
            else:
                path.append(self._subtree(lo, lo + k))
                lo += k
        path.reverse()
        return path

    def consistency_proof(self, size1: int, size2: int | None = None) -> list[bytes]:
        """PROOF(size1, D[0:size2]) of RFC 6962 section 2.1.2 (empty when equal)."""
        size2 = self._size(size2)
        if not 0 < size1 <= size2:
            raise ValueError(f"consistency proof needs 0 < {size1} <= {size2}")
        path = []
        lo, hi = 0, size2
        complete = True  # the "b" flag of SUBPROOF: the old tree is a complete subtree
        while size1 != hi:
            k = _largest_power_of_two_below(hi - lo)
            if size1 - lo <= k:
                path.append(self._subtree(lo + k, hi))
                hi = lo + k
            else:
                path.append(self._subtree(lo, lo + k))
                lo += k
                complete = False
        if not complete:
            path.append(self._subtree(lo, hi))
        path.reverse()
        return path


def inclusion_proof(leaf_hashes: Sequence[bytes], index: int, size: int, alg: str = "sha256") -> list[bytes]:
    """Audit path for leaf ``index`` in the tree of the first ``size`` leaves."""
    return MerkleTree(leaf_hashes[:size], alg).inclusion_proof(index, size)


def consistency_proof(leaf_hashes: Sequence[bytes], m: int, n: int, alg: str = "sha256") -> list[bytes]:
    """Consistency proof between the trees of the first ``m`` and ``n`` leaves."""
    return MerkleTree(leaf_hashes[:n], alg).consistency_proof(m, n)


# --- Verification (RFC 9162) -------------------------------------------------
#
# These functions face untrusted input (a bundle received from elsewhere), so
# they return None/False on anything malformed instead of raising. Only an
# unknown algorithm name raises, since that is a caller's configuration error.


def _is_count(value: object) -> bool:
    return type(value) is int and value >= 0


def _is_hash(value: object, size: int) -> bool:
    return isinstance(value, bytes | bytearray) and len(value) == size


def root_from_inclusion(alg: str, leaf_hash: bytes, index: int, tree_size: int, proof: Sequence[bytes]) -> bytes | None:
    """Root implied by an audit path (RFC 9162 section 2.1.3.2), or None if malformed.

    None is returned when the index is outside the tree, a hash has the wrong
    length, or the path has the wrong number of elements for (index, tree_size).
    """
    empty, _, proto = _prototypes(alg)
    size = empty.digest_size
    if not (_is_count(index) and _is_count(tree_size) and index < tree_size):
        return None
    if not _is_hash(leaf_hash, size):
        return None
    fn, sn, r = index, tree_size - 1, bytes(leaf_hash)
    try:
        for p in proof:
            if sn == 0 or len(p) != size:
                return None
            h = proto.copy()
            if fn & 1 or fn == sn:
                h.update(p)
                h.update(r)
                if not fn & 1:
                    # Right edge: skip the levels where this node has no sibling.
                    # fn == sn here, so both shift by fn's trailing zero count.
                    shift = (fn & -fn).bit_length() - 1
                    fn >>= shift
                    sn >>= shift
            else:
                h.update(r)
                h.update(p)
            r = h.digest()
            fn >>= 1
            sn >>= 1
    except TypeError:  # a proof element that is not bytes-like
        return None
    return r if sn == 0 else None


def verify_inclusion(
    alg: str, leaf_hash: bytes, index: int, tree_size: int, proof: Sequence[bytes], root: bytes
) -> bool:
    """True iff ``proof`` shows leaf ``index`` with ``leaf_hash`` is in the tree ``root``."""
    computed = root_from_inclusion(alg, leaf_hash, index, tree_size, proof)
    return computed is not None and _is_hash(root, len(computed)) and computed == root


def verify_consistency(alg: str, size1: int, size2: int, proof: Sequence[bytes], root1: bytes, root2: bytes) -> bool:
    """True iff ``proof`` shows the tree (size1, root1) is a prefix of (size2, root2).

    Follows RFC 9162 section 2.1.4.2, which defines proofs for 0 < size1 < size2.
    Equal sizes are consistent exactly when the roots are equal and the proof is
    empty. size1 == 0 is refused: there is no proof to check, and callers should
    not treat an empty tree as evidence of anything.
    """
    empty, _, proto = _prototypes(alg)
    size = empty.digest_size
    if not (_is_count(size1) and _is_count(size2) and 0 < size1 <= size2):
        return False
    if not (_is_hash(root1, size) and _is_hash(root2, size)):
        return False
    try:
        proof = list(proof)
        if size1 == size2:
            return not proof and root1 == root2
        if not proof or any(len(c) != size for c in proof):
            return False
        # A complete old tree is itself a node of the new tree; its hash is not
        # repeated in the proof, so start from it.
        if size1 & (size1 - 1) == 0:
            proof.insert(0, bytes(root1))
        fn, sn = size1 - 1, size2 - 1
        # Skip the levels where the old tree's last leaf is a right child of a
        # node that lies entirely inside the old tree.
        while fn & 1:
            fn >>= 1
            sn >>= 1
        fr = sr = bytes(proof[0])
        for c in proof[1:]:
            if sn == 0:
                return False
            if fn & 1 or fn == sn:
                h = proto.copy()
                h.update(c)
                g = h.copy()
                h.update(fr)
                g.update(sr)
                fr, sr = h.digest(), g.digest()
                if not fn & 1:
                    while fn and not fn & 1:
                        fn >>= 1
                        sn >>= 1
            else:
                h = proto.copy()
                h.update(sr)
                h.update(c)
                sr = h.digest()
            fn >>= 1
            sn >>= 1
    except TypeError:  # a proof element that is not bytes-like
        return False
    return sn == 0 and fr == root1 and sr == root2
