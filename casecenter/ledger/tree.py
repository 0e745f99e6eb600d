"""The stored Merkle tree: complete subtrees as :class:`~.models.TreeNode` rows.

A tree of n leaves is, from the left, a run of perfect subtrees whose sizes are the binary digits of
n (the *frontier*). Appending leaves only creates new complete subtrees; nothing stored ever
changes. Every root, inclusion proof and consistency proof of RFC 9162 is made of hashes of ranges
[lo, hi) that split into O(log n) stored subtrees, so a proof costs one query.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connections, router

from . import merkle
from .models import TreeNode

Key = tuple[int, int]  # (level, index)


def perfect_parts(lo: int, hi: int) -> list[Key]:
    """The stored subtrees that make up [lo, hi), left to right.

    Valid for the ranges that occur in RFC 6962 trees and proofs, where ``lo`` is aligned to a
    power of two at least as large as the width.
    """
    parts, pos, width = [], lo, hi - lo
    for level in range(width.bit_length() - 1, -1, -1):
        if width >> level & 1:
            parts.append((level, pos >> level))
            pos += 1 << level
    return parts


def fold(hashes: list[bytes], alg: str) -> bytes:
    """Hash of a range from its perfect parts: the RFC tree leans left, so combine from the right."""
    if not hashes:
        return merkle.empty_root(alg)
    result = hashes[-1]
    for left in reversed(hashes[:-1]):
        result = merkle.node_hash(left, result, alg)
    return result


class Frontier:
    """The right edge of a growing tree, in memory: O(log n) hashes, one push per leaf.

    Used by the sequencer to extend the stored tree and by ``ledger verify`` to rebuild it from
    the events while streaming them.
    """

    def __init__(self, alg: str, size: int = 0, hashes: Iterable[bytes] = ()):
        self.alg = alg
        self.size = size
        self.nodes: list[tuple[int, int, bytes]] = [
            (level, index, h) for (level, index), h in zip(perfect_parts(0, size), hashes, strict=True)
        ]

    def push(self, leaf: bytes) -> list[tuple[int, int, bytes]]:
        """Add a leaf hash; return the complete subtrees it creates, leaf first, in creation order."""
        created = [(0, self.size, leaf)]
        self.nodes.append(created[0])
        while len(self.nodes) > 1 and self.nodes[-1][0] == self.nodes[-2][0]:
            right, left = self.nodes.pop(), self.nodes.pop()
            node = (left[0] + 1, left[1] >> 1, merkle.node_hash(left[2], right[2], self.alg))
            self.nodes.append(node)
            created.append(node)
        self.size += 1
        return created

    def root(self) -> bytes:
        return fold([h for _level, _index, h in self.nodes], self.alg)


def load(keys: Iterable[Key]) -> dict[Key, bytes]:
    """Fetch stored subtree hashes in one query; missing keys raise LookupError."""
    wanted = set(keys)
    if not wanted:
        return {}
    by_level: dict[int, list[int]] = {}
    for level, index in wanted:
        by_level.setdefault(level, []).append(index)
    # Raw SQL: building this OR of a few dozen terms with Q objects cost more than running it.
    where, params = [], []
    for level, indexes in sorted(by_level.items()):
        where.append(f'("level" = %s AND "index" IN ({", ".join(["%s"] * len(indexes))}))')
        params.extend([level, *indexes])
    table = TreeNode._meta.db_table
    with connections[router.db_for_read(TreeNode)].cursor() as cursor:
        cursor.execute(f'SELECT "level", "index", "hash" FROM {table} WHERE {" OR ".join(where)}',  # noqa: S608
                       params)
        rows = cursor.fetchall()
    found = {(level, index): bytes(h) for level, index, h in rows}
    missing = wanted - found.keys()
    if missing:
        raise LookupError(f"the stored tree lacks the subtrees {sorted(missing)}")
    return found


def frontier(size: int, alg: str) -> Frontier:
    parts = perfect_parts(0, size)
    stored = load(parts)
    return Frontier(alg, size, [stored[key] for key in parts])


def _range_hashes(ranges: list[tuple[int, int]], alg: str) -> list[bytes]:
    stored = load(key for lo, hi in ranges for key in perfect_parts(lo, hi))
    return [fold([stored[key] for key in perfect_parts(lo, hi)], alg) for lo, hi in ranges]


def root(size: int, alg: str) -> bytes:
    return _range_hashes([(0, size)], alg)[0]


def _split(width: int) -> int:
    return 1 << ((width - 1).bit_length() - 1)


def inclusion_path(index: int, size: int, alg: str) -> list[bytes]:
    """PATH(index, D[0:size]) from the stored tree (RFC 6962 §2.1.1), lowest level first."""
    if not 0 <= index < size:
        raise ValueError(f"leaf index {index} outside tree of size {size}")
    ranges, lo, hi = [], 0, size
    while hi - lo > 1:
        k = _split(hi - lo)
        if index < lo + k:
            ranges.append((lo + k, hi))
            hi = lo + k
        else:
            ranges.append((lo, lo + k))
            lo += k
    ranges.reverse()
    return _range_hashes(ranges, alg)


def consistency_path(size1: int, size2: int, alg: str) -> list[bytes]:
    """PROOF(size1, D[0:size2]) from the stored tree (RFC 6962 §2.1.2)."""
    if not 0 < size1 <= size2:
        raise ValueError(f"consistency proof needs 0 < {size1} <= {size2}")
    ranges, lo, hi, complete = [], 0, size2, True
    while size1 != hi:
        k = _split(hi - lo)
        if size1 - lo <= k:
            ranges.append((lo + k, hi))
            hi = lo + k
        else:
            ranges.append((lo, lo + k))
            lo += k
            complete = False
    if not complete:
        ranges.append((lo, hi))
    ranges.reverse()
    return _range_hashes(ranges, alg)
