"""Tests for the ledger's Merkle proofs, canonical JSON, checkpoints and proof bundles.

Pure functions only: no database, no Django.
"""

import ast
import base64
import hashlib
import json
import os
import subprocess
import sys
import uuid
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .. import merkle
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
from ..verifier import (
    BUNDLE_FORMAT,
    Reason,
    build_bundle,
    canonical_json,
    checkpoint_bytes,
    key_id,
    load_private_key,
    load_public_key,
    main,
    save_private_key,
    save_public_key,
    sign_checkpoint,
    verify_bundle,
    verify_checkpoint,
)

ALGS = ["sha256", "sm3"]
LEDGER_DIR = Path(__file__).resolve().parents[1]

# --- Known answers ----------------------------------------------------------------
#
# Copied from github.com/transparency-dev/merkle, proof/verify_test.go
# (commit 02194e9afb6c1d95b5381350007963aa70fff472): the RFC 6962 test tree
# used by the Certificate Transparency implementations. Leaf numbers in the
# inclusion vectors are 1-based there and are kept 1-based here.

RFC6962_LEAVES = [
    bytes.fromhex(h)
    for h in [
        "",
        "00",
        "10",
        "2021",
        "3031",
        "40414243",
        "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    ]
]

RFC6962_ROOTS = [  # roots of the trees of sizes 1..8
    bytes.fromhex(h)
    for h in [
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ]
]

# (1-based leaf number, tree size, audit path)
RFC6962_INCLUSION = [
    (1, 1, []),
    (
        1,
        8,
        [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        6,
        8,
        [
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (3, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
    (
        2,
        5,
        [
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
]

# (size1, size2, consistency proof)
RFC6962_CONSISTENCY = [
    (1, 1, []),
    (
        1,
        8,
        [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        6,
        8,
        [
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (
        2,
        5,
        [
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
    (
        6,
        7,
        [
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
]

# From the same repository, rfc6962/rfc6962_test.go
# (commit 78493b07ef9b552e3379abf9e23d4da26fbe797c).
SHA256_EMPTY = bytes.fromhex("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
SOME_HASH = bytes.fromhex("abacaba000000000000000000000000000000000000000000060061e00123456")


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


# --- Canonical JSON ---------------------------------------------------------------


def test_canonical_json_orders_keys_and_drops_whitespace():
    assert canonical_json({"b": 1, "a": {"d": [1, 2], "c": None}}) == b'{"a":{"c":null,"d":[1,2]},"b":1}'
    assert canonical_json({"b": 1, "a": 2}) == canonical_json({"a": 2, "b": 1})


def test_canonical_json_keeps_unicode_as_utf8():
    assert canonical_json({"姓名": "张三"}) == '{"姓名":"张三"}'.encode()
    assert canonical_json("é") == b'"\xc3\xa9"'


def test_canonical_json_scalars():
    assert canonical_json([True, False, None, 0, -7, 1.5, "x"]) == b'[true,false,null,0,-7,1.5,"x"]'
    assert canonical_json((1, 2)) == b"[1,2]"
    assert canonical_json(date(2024, 2, 29)) == b'"2024-02-29"'
    u = uuid.UUID("12345678-1234-5678-1234-567812345678")
    assert canonical_json({"id": u}) == b'{"id":"12345678-1234-5678-1234-567812345678"}'


def test_canonical_json_decimal_as_fixed_point_string():
    assert canonical_json(Decimal("12.50")) == b'"12.50"'
    assert canonical_json(Decimal("1E+2")) == b'"100"'
    assert canonical_json(Decimal("-0.0000001")) == b'"-0.0000001"'
    for bad in [Decimal("NaN"), Decimal("Infinity"), Decimal("-Infinity")]:
        with pytest.raises(ValueError):
            canonical_json(bad)


def test_canonical_json_datetimes_in_utc():
    beijing = timezone(timedelta(hours=8))
    assert canonical_json(datetime(2024, 3, 1, 8, 0, tzinfo=beijing)) == b'"2024-03-01T00:00:00.000000Z"'
    assert canonical_json(datetime(2024, 3, 1, 0, 0, 0, 42, tzinfo=UTC)) == b'"2024-03-01T00:00:00.000042Z"'
    assert canonical_json(datetime(999, 1, 1, tzinfo=UTC)) == b'"0999-01-01T00:00:00.000000Z"'
    with pytest.raises(ValueError):
        canonical_json({"at": datetime(2024, 3, 1, 8, 0)})


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -float("inf")])
def test_canonical_json_refuses_non_finite_floats(bad):
    with pytest.raises(ValueError):
        canonical_json({"x": bad})


@pytest.mark.parametrize("bad", [{1, 2}, b"bytes", object(), {1: "int key"}, {("t",): 1}])
def test_canonical_json_refuses_unknown_types(bad):
    with pytest.raises(TypeError):
        canonical_json(bad)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(), children, max_size=4),
    max_leaves=20,
)


@settings(max_examples=100, deadline=None)
@given(json_values)
def test_canonical_json_is_a_fixed_point(value):
    encoded = canonical_json(value)
    assert canonical_json(json.loads(encoded)) == encoded


# --- Checkpoints ------------------------------------------------------------------


@pytest.fixture(scope="module")
def private_key():
    return Ed25519PrivateKey.generate()


@pytest.fixture(scope="module")
def other_key():
    return Ed25519PrivateKey.generate()


def _checkpoint(private_key, size=8, root=None, alg="sha256"):
    return sign_checkpoint(
        private_key,
        {
            "alg": alg,
            "tree_size": size,
            "root_hash": root if root is not None else RFC6962_ROOTS[7],
            "timestamp": datetime(2024, 3, 1, 9, 30, tzinfo=timezone(timedelta(hours=8))),
        },
    )


def test_key_id_is_sha256_of_raw_public_key(private_key):
    public = private_key.public_key()
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    assert key_id(public) == hashlib.sha256(raw).hexdigest()


def test_checkpoint_round_trip(private_key):
    cp = _checkpoint(private_key)
    assert cp["root_hash"] == RFC6962_ROOTS[7].hex()
    assert cp["timestamp"] == "2024-03-01T01:30:00.000000Z"
    assert cp["key_id"] == key_id(private_key.public_key())
    assert len(base64.b64decode(cp["signature"])) == 64
    assert verify_checkpoint(private_key.public_key(), cp)
    assert verify_checkpoint(private_key.public_key(), json.loads(json.dumps(cp)))
    assert checkpoint_bytes(cp) == canonical_json({k: v for k, v in cp.items() if k != "signature"})


@pytest.mark.parametrize(
    "change",
    [
        {"tree_size": 9},
        {"root_hash": RFC6962_ROOTS[6].hex()},
        {"timestamp": "2024-03-01T01:30:00.000001Z"},
        {"alg": "sm3"},
        {"key_id": "0" * 64},
        {"signature": base64.b64encode(b"\x00" * 64).decode()},
        {"signature": "not base64!"},
        {"signature": None},
        {"tree_size": "8"},
        {"root_hash": RFC6962_ROOTS[7].hex().upper()},
    ],
)
def test_tampered_checkpoint_is_refused(private_key, change):
    cp = {**_checkpoint(private_key), **change}
    assert not verify_checkpoint(private_key.public_key(), cp)


def test_checkpoint_refused_for_other_key_or_missing_signature(private_key, other_key):
    cp = _checkpoint(private_key)
    assert not verify_checkpoint(other_key.public_key(), cp)
    assert not verify_checkpoint(private_key.public_key(), {k: v for k, v in cp.items() if k != "signature"})
    assert not verify_checkpoint(private_key.public_key(), "not a dict")


def test_unsigned_extra_fields_are_not_covered(private_key):
    # Only CHECKPOINT_FIELDS are signed; readers must not trust anything else in the dict.
    cp = {**_checkpoint(private_key), "note": "added later"}
    assert verify_checkpoint(private_key.public_key(), cp)


def test_sign_checkpoint_refuses_bad_input(private_key, other_key):
    with pytest.raises(ValueError):
        sign_checkpoint(private_key, {**_checkpoint(private_key), "key_id": key_id(other_key.public_key())})
    with pytest.raises(ValueError):
        _checkpoint(private_key, root=b"short")
    with pytest.raises(ValueError):
        _checkpoint(private_key, alg="md5")
    with pytest.raises(ValueError):
        sign_checkpoint(
            private_key,
            {"alg": "sha256", "tree_size": 1, "root_hash": "00" * 32, "timestamp": datetime(2024, 1, 1)},
        )


def test_pem_round_trip(tmp_path, private_key):
    save_private_key(tmp_path / "ledger.key", private_key)
    save_public_key(tmp_path / "ledger.pub", private_key.public_key())
    assert (os.stat(tmp_path / "ledger.key").st_mode & 0o777) == 0o600
    loaded = load_private_key(tmp_path / "ledger.key")
    assert key_id(loaded.public_key()) == key_id(private_key.public_key())
    assert key_id(load_public_key(tmp_path / "ledger.pub")) == key_id(private_key.public_key())
    assert key_id(load_public_key((tmp_path / "ledger.pub").read_bytes())) == key_id(private_key.public_key())
    with pytest.raises(FileExistsError):
        save_private_key(tmp_path / "ledger.key", Ed25519PrivateKey.generate())
    save_private_key(tmp_path / "enc.key", private_key, password=b"secret")
    assert key_id(load_private_key(tmp_path / "enc.key", b"secret").public_key()) == key_id(private_key.public_key())


# --- Proof bundles ----------------------------------------------------------------


def _events(count):
    beijing = timezone(timedelta(hours=8))
    return [
        canonical_json(
            {
                "seq": i,
                "type": "person.entered",
                "case": uuid.UUID(int=i),
                "at": datetime(2024, 3, 1, 8, i, tzinfo=beijing),
                "note": "进入办案区",
            }
        )
        for i in range(count)
    ]


def _bundle(private_key, alg="sha256", count=11, index=6):
    events = _events(count)
    hashes = [leaf_hash(e, alg) for e in events]
    tree = MerkleTree(hashes, alg)
    cp = _checkpoint(private_key, size=count, root=tree.root(), alg=alg)
    return build_bundle(events[index], index, count, tree.inclusion_proof(index), cp, alg)


@pytest.mark.parametrize("alg", ALGS)
def test_bundle_verifies(private_key, alg):
    bundle = json.loads(json.dumps(_bundle(private_key, alg)))
    assert bundle["format"] == BUNDLE_FORMAT
    result = verify_bundle(bundle, private_key.public_key())
    assert result.ok and result
    assert result.reason == Reason.OK


def _tamper(bundle, **changes):
    out = json.loads(json.dumps(bundle))
    for key, value in changes.items():
        if key.startswith("cp_"):
            out["checkpoint"][key[3:]] = value
        else:
            out[key] = value
    return out


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"format": "casecenter-ledger-proof/2"}, Reason.BAD_FORMAT),
        ({"alg": "md5"}, Reason.BAD_ALG),
        ({"checkpoint": None}, Reason.NO_CHECKPOINT),
        ({"cp_root_hash": "zz"}, Reason.NO_CHECKPOINT),
        ({"cp_key_id": "ab" * 32}, Reason.WRONG_KEY),
        ({"cp_timestamp": "2030-01-01T00:00:00.000000Z"}, Reason.BAD_SIGNATURE),
        ({"cp_tree_size": 12}, Reason.BAD_SIGNATURE),
        ({"alg": "sm3"}, Reason.ALG_MISMATCH),
        ({"index": "6"}, Reason.BAD_NUMBERS),
        ({"index": -1}, Reason.BAD_NUMBERS),
        ({"index": True}, Reason.BAD_NUMBERS),
        ({"tree_size": 11.0}, Reason.BAD_NUMBERS),
        ({"tree_size": 10}, Reason.SIZE_MISMATCH),
        ({"index": 11}, Reason.INDEX_OUT_OF_RANGE),
        ({"event": "***"}, Reason.BAD_EVENT),
        ({"event": None}, Reason.BAD_EVENT),
        ({"audit_path": "00"}, Reason.BAD_PATH),
        ({"audit_path": ["00"]}, Reason.BAD_PATH),
        ({"audit_path": ["zz" * 32]}, Reason.BAD_PATH),
        ({"audit_path": [" " + "a" * 63]}, Reason.BAD_PATH),
        ({"audit_path": [None]}, Reason.BAD_PATH),
        ({"event": base64.b64encode(b'{"seq":6}').decode()}, Reason.NOT_INCLUDED),
        ({"index": 7}, Reason.NOT_INCLUDED),
        ({"audit_path": []}, Reason.NOT_INCLUDED),
    ],
)
def test_bundle_failure_reasons(private_key, changes, reason):
    bundle = _tamper(_bundle(private_key), **changes)
    result = verify_bundle(bundle, private_key.public_key())
    assert not result.ok and not result
    assert result.reason == reason


def test_bundle_failure_reasons_misc(private_key, other_key):
    bundle = _bundle(private_key)
    assert verify_bundle([], private_key.public_key()).reason == Reason.NOT_OBJECT
    assert verify_bundle(bundle, other_key.public_key()).reason == Reason.WRONG_KEY
    swapped = _tamper(bundle, audit_path=list(reversed(bundle["audit_path"])))
    assert verify_bundle(swapped, private_key.public_key()).reason == Reason.NOT_INCLUDED
    flipped = _tamper(
        bundle,
        audit_path=[("f" if h[0] != "f" else "e") + h[1:] for h in bundle["audit_path"][:1]] + bundle["audit_path"][1:],
    )
    assert verify_bundle(flipped, private_key.public_key()).reason == Reason.NOT_INCLUDED


def test_every_event_of_a_bundle_tree_verifies(private_key):
    events = _events(13)
    hashes = [leaf_hash(e) for e in events]
    tree = MerkleTree(hashes)
    cp = _checkpoint(private_key, size=13, root=tree.root())
    for index, event in enumerate(events):
        bundle = build_bundle(event, index, 13, tree.inclusion_proof(index), cp)
        assert verify_bundle(bundle, private_key.public_key()).ok


# --- Command line -----------------------------------------------------------------


@pytest.fixture
def cli_files(tmp_path, private_key):
    bundle_path = tmp_path / "bundle.json"
    key_path = tmp_path / "ledger.pub"
    bundle_path.write_text(json.dumps(_bundle(private_key)), encoding="utf-8")
    save_public_key(key_path, private_key.public_key())
    return bundle_path, key_path


def test_cli_ok(cli_files, capsys):
    bundle_path, key_path = cli_files
    assert main([str(bundle_path), "--public-key", str(key_path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("OK: " + Reason.OK)
    assert "event index 6 of 11" in out


def test_cli_tampered_bundle(cli_files, capsys):
    bundle_path, key_path = cli_files
    bundle = json.loads(bundle_path.read_text(encoding="utf-8"))
    bundle["index"] = 5
    bundle_path.write_text(json.dumps(bundle), encoding="utf-8")
    assert main([str(bundle_path), "--public-key", str(key_path)]) == 1
    assert capsys.readouterr().out.strip() == "FAILED: " + Reason.NOT_INCLUDED


def test_cli_wrong_key(cli_files, tmp_path, other_key, capsys):
    bundle_path, _ = cli_files
    other = tmp_path / "other.pub"
    save_public_key(other, other_key.public_key())
    assert main([str(bundle_path), "--public-key", str(other)]) == 1
    assert Reason.WRONG_KEY in capsys.readouterr().out


def test_cli_unreadable_inputs(cli_files, tmp_path, capsys):
    bundle_path, key_path = cli_files
    assert main([str(tmp_path / "missing.json"), "--public-key", str(key_path)]) == 1
    (tmp_path / "broken.json").write_text("{not json", encoding="utf-8")
    assert main([str(tmp_path / "broken.json"), "--public-key", str(key_path)]) == 1
    (tmp_path / "bad.pem").write_text("not a key", encoding="utf-8")
    assert main([str(bundle_path), "--public-key", str(tmp_path / "bad.pem")]) == 1
    assert capsys.readouterr().err.count("FAILED") == 3


def test_cli_runs_as_a_module(cli_files):
    bundle_path, key_path = cli_files
    proc = subprocess.run(
        [sys.executable, "-m", "casecenter.ledger.verifier", str(bundle_path), "--public-key", str(key_path)],
        cwd=LEDGER_DIR.parents[1],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("OK: ")


# --- Self-containment -------------------------------------------------------------


@pytest.mark.parametrize("module", ["merkle.py", "verifier.py"])
def test_imports_only_stdlib_and_cryptography(module):
    tree = ast.parse((LEDGER_DIR / module).read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names = [node.module]
        else:
            continue
        for name in names:
            top = name.split(".")[0]
            assert top in sys.stdlib_module_names or top == "cryptography", f"{module} imports {name}"


def test_verifier_does_not_load_django():
    code = "import sys, casecenter.ledger.verifier\nprint(sorted(m for m in sys.modules if m.startswith('django')))"
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=LEDGER_DIR.parents[1], capture_output=True, text=True, check=True
    )
    assert proc.stdout.strip() == "[]"


def test_merkle_module_exports():
    for name in merkle.__all__:
        assert hasattr(merkle, name)
