"""Tests for the ledger's Merkle tree and its inclusion and consistency proofs (pure, no Django)."""


import hashlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ..merkle import (
    MerkleTree,
    consistency_proof,
    empty_root,
    hasher,
    inclusion_proof,
    leaf_hash,
    merkle_root,
    node_hash,
    root_from_inclusion,
    verify_consistency,
    verify_inclusion,
)
from .rfc6962_vectors import (
    RFC6962_CONSISTENCY,
    RFC6962_INCLUSION,
    RFC6962_LEAVES,
    RFC6962_ROOTS,
    SHA256_EMPTY,
    SOME_HASH,
)

ALGS = ["sha256", "sm3"]
LEDGER_DIR = Path(__file__).resolve().parents[1]



def _unhex(path):
    return [bytes.fromhex(h) for h in path]


def _rfc_leaf_hashes():
    return [leaf_hash(entry) for entry in RFC6962_LEAVES]


def test_rfc6962_hasher_known_answers():
    assert empty_root("sha256") == SHA256_EMPTY
    assert leaf_hash(b"").hex() == "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"
    assert leaf_hash(b"L123456").hex() == "395aa064aa4c29f7010acfe3f25db9485bbd4b91897b6ad7ad547639252b4d56"
    assert node_hash(b"N123", b"N456").hex() == "aa217fe888e47007fa15edab33c2b492a722cb106c64667fc2b044444de66bbb"


def test_hasher_selection():
    assert hasher("sha256")(b"abc").digest() == hashlib.sha256(b"abc").digest()
    # GB/T 32905-2016 example 1: SM3("abc")
    assert hasher("sm3")(b"abc").hexdigest() == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    assert leaf_hash(b"x", "sm3") == hashlib.new("sm3", b"\x00x").digest()
    assert node_hash(b"l", b"r", "sm3") == hashlib.new("sm3", b"\x01lr").digest()
    for bad in ["SHA256", "md5", "", "sha-256"]:
        with pytest.raises(ValueError):
            hasher(bad)


@pytest.mark.parametrize("size", range(1, 9))
def test_rfc6962_roots(size):
    hashes = _rfc_leaf_hashes()
    assert merkle_root(hashes[:size]) == RFC6962_ROOTS[size - 1]
    assert MerkleTree(hashes).root(size) == RFC6962_ROOTS[size - 1]


def test_empty_tree_root():
    assert merkle_root([]) == SHA256_EMPTY
    assert MerkleTree([]).root() == SHA256_EMPTY


@pytest.mark.parametrize(("leaf", "size", "path"), RFC6962_INCLUSION)
def test_rfc6962_inclusion(leaf, size, path):
    hashes = _rfc_leaf_hashes()
    root = RFC6962_ROOTS[size - 1]
    proof = _unhex(path)
    assert inclusion_proof(hashes, leaf - 1, size) == proof
    assert root_from_inclusion("sha256", hashes[leaf - 1], leaf - 1, size, proof) == root
    assert verify_inclusion("sha256", hashes[leaf - 1], leaf - 1, size, proof, root)


@pytest.mark.parametrize(("size1", "size2", "path"), RFC6962_CONSISTENCY)
def test_rfc6962_consistency(size1, size2, path):
    hashes = _rfc_leaf_hashes()
    proof = _unhex(path)
    assert consistency_proof(hashes, size1, size2) == proof
    assert verify_consistency("sha256", size1, size2, proof, RFC6962_ROOTS[size1 - 1], RFC6962_ROOTS[size2 - 1])


def _inclusion_probes(index, size, proof, root, leaf):
    """The corruptions of transparency-dev/merkle's corruptInclusionProof()."""
    probes = [
        (index - 1, size, root, leaf, proof),
        (index + 1, size, root, leaf, proof),
        (index ^ 2, size, root, leaf, proof),
        (index, size * 2, root, leaf, proof),
        (index, size // 2, root, leaf, proof),
        (index, size, root, b"WrongLeaf", proof),
        (index, size, SHA256_EMPTY, leaf, proof),
        (index, size, SOME_HASH, leaf, proof),
        (index, size, root, leaf, [*proof, b""]),
        (index, size, root, leaf, [*proof, root]),
        (index, size, root, leaf, [b"", *proof]),
        (index, size, root, leaf, [root, *proof]),
    ]
    for i in range(len(proof)):
        wrong = list(proof)
        wrong[i] = bytes([wrong[i][0] ^ 8]) + wrong[i][1:]
        probes.append((index, size, root, leaf, wrong))
    if proof:
        probes.append((index, size, root, leaf, proof[:-1]))
    if len(proof) > 1:
        probes.append((index, size, root, leaf, [proof[0], SOME_HASH, *proof[1:]]))
    return probes


@pytest.mark.parametrize(("leaf", "size", "path"), RFC6962_INCLUSION[1:])
def test_rfc6962_inclusion_corruptions_fail(leaf, size, path):
    leaf_h = _rfc_leaf_hashes()[leaf - 1]
    probes = _inclusion_probes(leaf - 1, size, _unhex(path), RFC6962_ROOTS[size - 1], leaf_h)
    for index, tree_size, root, lh, proof in probes:
        assert not verify_inclusion("sha256", lh, index, tree_size, proof, root), (index, tree_size)


@pytest.mark.parametrize(("size1", "size2", "path"), RFC6962_CONSISTENCY[1:])
def test_rfc6962_consistency_corruptions_fail(size1, size2, path):
    """The corruptions of transparency-dev/merkle's corruptConsistencyProof()."""
    proof = _unhex(path)
    root1, root2 = RFC6962_ROOTS[size1 - 1], RFC6962_ROOTS[size2 - 1]
    probes = [
        (size1 - 1, size2, root1, root2, proof),
        (size1 + 1, size2, root1, root2, proof),
        (size1 ^ 2, size2, root1, root2, proof),
        (size1, size2 * 2, root1, root2, proof),
        (size1, size2 // 2, root1, root2, proof),
        (size1, size2, b"WrongRoot", root2, proof),
        (size1, size2, root1, b"WrongRoot", proof),
        (size1, size2, root2, root1, proof),
        (size1, size2, root1, root2, []),
        (size1, size2, root1, root2, [*proof, b""]),
        (size1, size2, root1, root2, [*proof, root1]),
        (size1, size2, root1, root2, [*proof, root2]),
        (size1, size2, root1, root2, [b"", *proof]),
        (size1, size2, root1, root2, [root1, *proof]),
        (size1, size2, root1, root2, [root2, *proof]),
        (size1, size2, root1, root2, [proof[0], *proof]),
        (size1, size2, root1, root2, proof[:-1]),
    ]
    for i in range(len(proof)):
        wrong = list(proof)
        wrong[i] = bytes([wrong[i][0] ^ 16]) + wrong[i][1:]
        probes.append((size1, size2, root1, root2, wrong))
    for s1, s2, r1, r2, p in probes:
        assert not verify_consistency("sha256", s1, s2, p, r1, r2), (s1, s2)


def test_consistency_edge_cases():
    r1, r2 = RFC6962_ROOTS[0], RFC6962_ROOTS[1]
    assert verify_consistency("sha256", 1, 1, [], r1, r1)
    assert verify_consistency("sha256", 5, 5, [], RFC6962_ROOTS[4], RFC6962_ROOTS[4])
    assert not verify_consistency("sha256", 1, 1, [], r1, r2)  # same size, different roots
    assert not verify_consistency("sha256", 1, 1, [SHA256_EMPTY], r1, r1)  # same size, proof not empty
    assert not verify_consistency("sha256", 1, 2, [], r1, r2)  # empty proof
    assert not verify_consistency("sha256", 2, 1, [r1], r2, r1)  # time travel
    assert not verify_consistency("sha256", 0, 1, [], SHA256_EMPTY, r1)  # from the empty tree: undefined
    assert not verify_consistency("sha256", 0, 0, [], SHA256_EMPTY, SHA256_EMPTY)


@pytest.mark.parametrize(
    "args",
    [
        ("not-bytes-leaf", 0, 1, [], "not-bytes-leaf"),
        (leaf_hash(b""), 0, 0, [], leaf_hash(b"")),
        (leaf_hash(b""), 1, 1, [], leaf_hash(b"")),
        (leaf_hash(b""), -1, 1, [], leaf_hash(b"")),
        (leaf_hash(b""), True, 2, [leaf_hash(b"")], SOME_HASH),
        (leaf_hash(b""), 0, 1.0, [], leaf_hash(b"")),
        (leaf_hash(b""), 0, 2, None, SOME_HASH),
        (leaf_hash(b""), 0, 2, [42], SOME_HASH),
        (leaf_hash(b""), 0, 2, ["x" * 32], SOME_HASH),
        (leaf_hash(b""), 0, 2, leaf_hash(b"x"), SOME_HASH),  # bytes instead of a list of bytes
        (leaf_hash(b"")[:31], 0, 1, [], leaf_hash(b"")[:31]),
    ],
)
def test_verify_inclusion_returns_false_on_malformed_input(args):
    leaf, index, size, proof, root = args
    assert verify_inclusion("sha256", leaf, index, size, proof, root) is False


def test_verify_consistency_returns_false_on_malformed_input():
    r = RFC6962_ROOTS
    assert verify_consistency("sha256", 1, 8, None, r[0], r[7]) is False
    assert verify_consistency("sha256", 1, 8, [1, 2, 3], r[0], r[7]) is False
    assert verify_consistency("sha256", 1, 8, ["a" * 32] * 3, r[0], r[7]) is False
    assert verify_consistency("sha256", "1", 8, [], r[0], r[7]) is False
    assert verify_consistency("sha256", 1, 8, [], "x" * 32, r[7]) is False


def test_unknown_algorithm_is_a_caller_error():
    with pytest.raises(ValueError):
        verify_inclusion("md5", SOME_HASH, 0, 1, [], SOME_HASH)


def test_proof_generators_refuse_bad_parameters():
    hashes = _rfc_leaf_hashes()
    with pytest.raises(ValueError):
        inclusion_proof(hashes, 8, 8)
    with pytest.raises(ValueError):
        inclusion_proof(hashes, 0, 9)
    with pytest.raises(ValueError):
        consistency_proof(hashes, 0, 8)
    with pytest.raises(ValueError):
        consistency_proof(hashes, 5, 4)


# --- Property tests ---------------------------------------------------------------

PROPERTY_SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _tree(alg, size, salt):
    # Distinct entries: with equal siblings, H(x, x) cannot tell left from right.
    hashes = [leaf_hash(salt + i.to_bytes(4, "big"), alg) for i in range(size)]
    return hashes, MerkleTree(hashes, alg)


def _flip(value: bytes, bit: int) -> bytes:
    bit %= 8 * len(value)
    out = bytearray(value)
    out[bit // 8] ^= 1 << (bit % 8)
    return bytes(out)


def _path_shape(index, size):
    """Left/right sequence an audit path encodes, derived independently of the verifier.

    Below the level where the paths to ``index`` and ``size - 1`` diverge the
    sibling side is the index bit; above it the node sits on the right border,
    and every remaining sibling is on the left (transparency-dev's
    decompInclProof()).
    """
    inner = (index ^ (size - 1)).bit_length()
    return tuple((index >> k) & 1 for k in range(inner)) + (1,) * bin(index >> inner).count("1")


@pytest.mark.parametrize("alg", ALGS)
@PROPERTY_SETTINGS
@given(size=st.integers(1, 300), salt=st.binary(max_size=4))
def test_every_inclusion_proof_verifies(alg, size, salt):
    hashes, tree = _tree(alg, size, salt)
    root = tree.root()
    assert root == merkle_root(hashes, alg)
    for index in range(size):
        proof = tree.inclusion_proof(index)
        assert verify_inclusion(alg, hashes[index], index, size, proof, root)


@pytest.mark.parametrize("alg", ALGS)
@PROPERTY_SETTINGS
@given(size=st.integers(1, 300), salt=st.binary(max_size=4))
def test_every_consistency_proof_verifies(alg, size, salt):
    _, tree = _tree(alg, size, salt)
    roots = [tree.root(s) for s in range(size + 1)]
    for old in range(1, size + 1):
        proof = tree.consistency_proof(old, size)
        assert verify_consistency(alg, old, size, proof, roots[old], roots[size])


@pytest.mark.parametrize("alg", ALGS)
@PROPERTY_SETTINGS
@given(data=st.data(), size=st.integers(1, 300), salt=st.binary(max_size=4))
def test_inclusion_tampering_fails(alg, data, size, salt):
    hashes, tree = _tree(alg, size, salt)
    index = data.draw(st.integers(0, size - 1), label="index")
    proof = tree.inclusion_proof(index)
    root, leaf = tree.root(), hashes[index]
    bit = data.draw(st.integers(0, 255), label="bit")

    assert not verify_inclusion(alg, _flip(leaf, bit), index, size, proof, root)
    assert not verify_inclusion(alg, leaf, index, size, proof, _flip(root, bit))
    if proof:
        which = data.draw(st.integers(0, len(proof) - 1), label="proof element")
        flipped = [*proof[:which], _flip(proof[which], bit), *proof[which + 1 :]]
        assert not verify_inclusion(alg, leaf, index, size, flipped, root)
        assert not verify_inclusion(alg, leaf, index, size, proof[:-1], root)
    assert not verify_inclusion(alg, leaf, index, size, [*proof, root], root)

    wrong_index = data.draw(st.integers(-2, size + 2).filter(lambda i: i != index), label="wrong index")
    assert not verify_inclusion(alg, leaf, wrong_index, size, proof, root)

    # The root does not commit to the tree size, only to the shape of the path
    # (the signed checkpoint binds the size; verify_bundle checks it). A wrong
    # size therefore fails exactly when it changes that shape.
    wrong_size = data.draw(st.integers(0, 2 * size + 2).filter(lambda s: s != size), label="wrong size")
    same_shape = index < wrong_size and _path_shape(index, wrong_size) == _path_shape(index, size)
    assert verify_inclusion(alg, leaf, index, wrong_size, proof, root) == same_shape


def test_wrong_size_with_a_different_shape_always_fails():
    hashes, tree = _tree("sha256", 64, b"")
    for size in range(1, 65):
        root = tree.root(size)
        for index in range(size):
            proof = tree.inclusion_proof(index, size)
            for other in range(index + 1, 80):
                if other != size and _path_shape(index, other) != _path_shape(index, size):
                    assert not verify_inclusion("sha256", hashes[index], index, other, proof, root)


@pytest.mark.parametrize("alg", ALGS)
@PROPERTY_SETTINGS
@given(data=st.data(), size=st.integers(2, 300), salt=st.binary(max_size=4))
def test_consistency_tampering_fails(alg, data, size, salt):
    _, tree = _tree(alg, size, salt)
    old = data.draw(st.integers(1, size - 1), label="old size")
    proof = tree.consistency_proof(old, size)
    root1, root2 = tree.root(old), tree.root(size)
    bit = data.draw(st.integers(0, 255), label="bit")

    assert not verify_consistency(alg, old, size, proof, _flip(root1, bit), root2)
    assert not verify_consistency(alg, old, size, proof, root1, _flip(root2, bit))
    which = data.draw(st.integers(0, len(proof) - 1), label="proof element")
    flipped = [*proof[:which], _flip(proof[which], bit), *proof[which + 1 :]]
    assert not verify_consistency(alg, old, size, flipped, root1, root2)
    assert not verify_consistency(alg, old, size, proof[:-1], root1, root2)
    assert not verify_consistency(alg, old, size, [*proof, root2], root1, root2)

    # As for inclusion, sizes are bound by the signed checkpoints. What the
    # proof itself pins down is its length: sizes expecting a different number
    # of hashes must fail.
    new1 = data.draw(st.integers(0, size + 2), label="claimed old size")
    new2 = data.draw(st.integers(0, 2 * size + 2), label="claimed new size")
    if (new1, new2) != (old, size):
        expected_len = len(_tree(alg, max(new2, 1), b"")[1].consistency_proof(new1, new2)) if 0 < new1 <= new2 else -1
        if expected_len != len(proof):
            assert not verify_consistency(alg, new1, new2, proof, root1, root2)
