"""Offline verification of the whole-process record (ledger).

A receiving authority gets a *proof bundle* for one event and the sequencer's
Ed25519 public key, and checks with this module alone (standard library plus
``cryptography``) that:

1. the checkpoint (tree size, root hash, time) was signed by that key, and
2. the event's canonical bytes are a leaf of the tree the checkpoint commits to.

Run it as::

    python -m casecenter.ledger.verifier BUNDLE.json --public-key KEY.pem

The exit status is 0 when the bundle verifies and 1 otherwise.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import hashlib
import json
import math
import os
import sys
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from uuid import UUID

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from .merkle import (
    ALGORITHMS,
    MerkleTree,
    consistency_proof,
    digest_size,
    hasher,
    inclusion_proof,
    leaf_hash,
    merkle_root,
    node_hash,
    root_from_inclusion,
    verify_consistency,
    verify_inclusion,
)

__all__ = [
    "ALGORITHMS",
    "BUNDLE_FORMAT",
    "CHECKPOINT_FIELDS",
    "MerkleTree",
    "Reason",
    "VerificationResult",
    "build_bundle",
    "canonical_json",
    "canonical_json_plain",
    "checkpoint_bytes",
    "consistency_proof",
    "format_timestamp",
    "hasher",
    "inclusion_proof",
    "key_id",
    "leaf_hash",
    "load_private_key",
    "load_public_key",
    "main",
    "merkle_root",
    "node_hash",
    "private_key_pem",
    "public_key_pem",
    "root_from_inclusion",
    "save_private_key",
    "save_public_key",
    "sign_checkpoint",
    "verify_bundle",
    "verify_checkpoint",
    "verify_consistency",
    "verify_inclusion",
]

BUNDLE_FORMAT = "casecenter-ledger-proof/1"
CHECKPOINT_FIELDS = ("alg", "tree_size", "root_hash", "timestamp", "key_id")


# --- Canonical JSON -------------------------------------------------------------
#
# The bytes of an event are what gets hashed, so the same event must always
# serialise to the same bytes, on any machine and in any Python version.


def format_timestamp(value: datetime) -> str:
    """UTC ISO-8601 with microseconds and a "Z" suffix; naive datetimes are refused.

    A naive datetime has no defined instant, so two servers in different zones
    would hash it differently.
    """
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"naive datetime cannot be serialised canonically: {value!r}")
    # isoformat() keeps a four-digit year, unlike strftime("%Y") for years < 1000.
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def _plain(obj: object) -> object:
    """Convert ``obj`` into plain JSON types, refusing anything ambiguous."""
    if obj is None or isinstance(obj, str | bool | int):
        return obj
    if isinstance(obj, float):
        if not math.isfinite(obj):
            raise ValueError("NaN and infinity have no JSON representation")
        return obj
    if isinstance(obj, dict):
        out = {}
        for key, value in obj.items():
            # json.dumps would turn 1 into "1", silently colliding with a real "1" key.
            if not isinstance(key, str):
                raise TypeError(f"object keys must be strings, not {type(key).__name__}")
            out[key] = _plain(value)
        return out
    if isinstance(obj, list | tuple):
        return [_plain(item) for item in obj]
    if isinstance(obj, datetime):  # before date: datetime is a subclass of date
        return format_timestamp(obj)
    if isinstance(obj, date):
        return obj.isoformat()
    if isinstance(obj, Decimal):
        if not obj.is_finite():
            raise ValueError("NaN and infinity have no JSON representation")
        # Fixed-point notation: str() would give "1E+2" for some values.
        return format(obj, "f")
    if isinstance(obj, UUID):
        return str(obj)
    raise TypeError(f"{type(obj).__name__} is not serialisable in canonical JSON")


def canonical_json(obj: object) -> bytes:
    """Deterministic UTF-8 JSON: sorted keys, no whitespace, no escaping of non-ASCII."""
    return json.dumps(_plain(obj), sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode(
        "utf-8"
    )


_PLAIN_ENCODER = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def canonical_json_plain(obj: object) -> bytes:
    """:func:`canonical_json` of a value made only of plain JSON types (such as ``json.loads``
    returns), without the conversion pass: the same bytes, at a fraction of the cost when
    re-deriving a million events. NaN and infinity are still refused."""
    return _PLAIN_ENCODER.encode(obj).encode("utf-8")


# --- Keys -------------------------------------------------------------------------


def _raw_public_bytes(public_key: Ed25519PublicKey) -> bytes:
    return public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id(public_key: Ed25519PublicKey) -> str:
    """Hex SHA-256 of the raw 32-byte public key; names the key inside checkpoints."""
    return hashlib.sha256(_raw_public_bytes(public_key)).hexdigest()


def public_key_pem(public_key: Ed25519PublicKey) -> bytes:
    return public_key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def private_key_pem(private_key: Ed25519PrivateKey, password: bytes | None = None) -> bytes:
    encryption = serialization.BestAvailableEncryption(password) if password else serialization.NoEncryption()
    return private_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)


def load_public_key(source: bytes | str | os.PathLike) -> Ed25519PublicKey:
    """Load an Ed25519 public key from PEM bytes or from a PEM file path."""
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    key = serialization.load_pem_public_key(data)
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("not an Ed25519 public key")
    return key


def load_private_key(source: bytes | str | os.PathLike, password: bytes | None = None) -> Ed25519PrivateKey:
    """Load an Ed25519 private key from PEM bytes or from a PEM file path."""
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    key = serialization.load_pem_private_key(data, password=password)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("not an Ed25519 private key")
    return key


def save_public_key(path: str | os.PathLike, public_key: Ed25519PublicKey) -> None:
    Path(path).write_bytes(public_key_pem(public_key))


def save_private_key(path: str | os.PathLike, private_key: Ed25519PrivateKey, password: bytes | None = None) -> None:
    """Write the key readable by its owner only; never overwrite an existing key file.

    Overwriting would silently lose the key that signed every earlier checkpoint.
    """
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(private_key_pem(private_key, password))


# --- Checkpoints ----------------------------------------------------------------


def checkpoint_bytes(cp: dict) -> bytes:
    """The signed bytes of a checkpoint: canonical JSON of exactly CHECKPOINT_FIELDS.

    Listing the fields (rather than dropping "signature") means extra, unsigned
    keys added to a checkpoint later can never be mistaken for signed ones.
    """
    return canonical_json({name: cp[name] for name in CHECKPOINT_FIELDS})


def _unhex(value: object, size: int) -> bytes | None:
    """Decode a hex string of exactly ``size`` bytes, or None."""
    if not isinstance(value, str) or len(value) != 2 * size:
        return None
    try:
        raw = bytes.fromhex(value)
    except ValueError:
        return None
    # fromhex() skips whitespace, so a padded string decodes to fewer bytes.
    return raw if len(raw) == size else None


def _unhex_path(path: list, size: int) -> list[bytes] | None:
    """An audit path of hex strings of ``size`` bytes each, decoded in one call, or None.

    Each element must have exactly 2 * size characters, so any whitespace that ``fromhex`` would
    skip makes the decoded total come up short."""
    width = 2 * size
    if not all(isinstance(node, str) and len(node) == width for node in path):
        return None
    try:
        raw = bytes.fromhex("".join(path))
    except ValueError:
        return None
    if len(raw) != size * len(path):
        return None
    return [raw[i:i + size] for i in range(0, len(raw), size)]


def _checkpoint_problem(cp: object) -> str | None:
    """Why ``cp`` is not a well-formed checkpoint, or None if it is."""
    if not isinstance(cp, dict) or any(name not in cp for name in CHECKPOINT_FIELDS):
        return "missing fields"
    if cp["alg"] not in ALGORITHMS:
        return "unsupported algorithm"
    if type(cp["tree_size"]) is not int or cp["tree_size"] < 0:
        return "bad tree size"
    root = cp["root_hash"]
    # Lower case only: the hex text is what is signed, so one hash has one spelling.
    if _unhex(root, digest_size(cp["alg"])) is None or root != root.lower():
        return "bad root hash"
    if not isinstance(cp["timestamp"], str) or not isinstance(cp["key_id"], str):
        return "bad timestamp or key id"
    return None


def sign_checkpoint(private_key: Ed25519PrivateKey, cp: dict) -> dict:
    """Return a copy of ``cp`` with normalised fields and a base64 "signature".

    For convenience ``root_hash`` may be bytes and ``timestamp`` an aware
    datetime; ``key_id`` is filled in from the key, and refused if it names
    another key.
    """
    expected_id = key_id(private_key.public_key())
    signed = {name: cp.get(name) for name in CHECKPOINT_FIELDS}
    if isinstance(signed["root_hash"], bytes | bytearray):
        signed["root_hash"] = bytes(signed["root_hash"]).hex()
    if isinstance(signed["timestamp"], datetime):
        signed["timestamp"] = format_timestamp(signed["timestamp"])
    if signed["key_id"] is None:
        signed["key_id"] = expected_id
    elif signed["key_id"] != expected_id:
        raise ValueError("checkpoint key_id does not match the signing key")
    problem = _checkpoint_problem(signed)
    if problem:
        raise ValueError(f"malformed checkpoint: {problem}")
    signature = private_key.sign(checkpoint_bytes(signed))
    signed["signature"] = base64.b64encode(signature).decode("ascii")
    return signed


# Signatures already found valid, as (raw public key, signed bytes, signature). A case file holds
# many bundles under one checkpoint, and the Ed25519 check costs several times the inclusion proof.
# A hit needs the very same key, fields and signature, so it can only repeat a verdict of True.
_VERIFIED: dict[tuple[bytes, tuple, str], bool] = {}
_VERIFIED_MAX = 1024


def verify_checkpoint(public_key: Ed25519PublicKey, cp: dict) -> bool:
    """True iff ``cp`` is well formed, names ``public_key`` and carries its valid signature."""
    if _checkpoint_problem(cp) is not None:
        return False
    raw = _raw_public_bytes(public_key)
    if cp["key_id"] != hashlib.sha256(raw).hexdigest():
        return False
    if not isinstance(cp.get("signature"), str):
        return False
    # The well-formed fields (exact types checked above) determine the signed bytes.
    memo = (raw, tuple(cp[name] for name in CHECKPOINT_FIELDS), cp["signature"])
    if memo in _VERIFIED:
        return True
    signed = checkpoint_bytes(cp)
    try:
        signature = base64.b64decode(cp.get("signature", ""), validate=True)
        public_key.verify(signature, signed)
    except (InvalidSignature, binascii.Error, TypeError, ValueError):
        return False
    if len(_VERIFIED) >= _VERIFIED_MAX:
        _VERIFIED.clear()
    _VERIFIED[memo] = True
    return True


# --- Proof bundles ----------------------------------------------------------------


class Reason:
    """The outcome sentences of verify_bundle, kept here so callers can match or translate them."""

    OK = "The event is included in the tree signed by the checkpoint."
    NOT_OBJECT = "The bundle is not a JSON object."
    BAD_FORMAT = "The bundle format is not supported."
    BAD_ALG = "The hash algorithm is not supported."
    NO_CHECKPOINT = "The bundle has no valid checkpoint."
    ALG_MISMATCH = "The checkpoint uses a different hash algorithm."
    WRONG_KEY = "The checkpoint was signed with a different key."
    BAD_SIGNATURE = "The checkpoint signature is invalid."
    BAD_NUMBERS = "The event index or tree size is malformed."
    SIZE_MISMATCH = "The tree size does not match the checkpoint."
    INDEX_OUT_OF_RANGE = "The event index is outside the tree."
    BAD_EVENT = "The event is not valid base64."
    BAD_PATH = "The audit path is malformed."
    NOT_INCLUDED = "The event is not included in the checkpointed tree."


@dataclass(frozen=True)
class VerificationResult:
    ok: bool
    reason: str

    def __bool__(self) -> bool:
        return self.ok


def build_bundle(
    event: bytes, index: int, tree_size: int, audit_path: list[bytes], checkpoint: dict, alg: str = "sha256"
) -> dict:
    """Assemble a proof bundle (JSON-ready) for the event with canonical bytes ``event``."""
    return {
        "format": BUNDLE_FORMAT,
        "alg": alg,
        "event": base64.b64encode(event).decode("ascii"),
        "index": index,
        "tree_size": tree_size,
        "audit_path": [node.hex() for node in audit_path],
        "checkpoint": checkpoint,
    }


def _fail(reason: str) -> VerificationResult:
    return VerificationResult(False, reason)


def verify_bundle(bundle: dict, public_key: Ed25519PublicKey) -> VerificationResult:
    """Check a proof bundle against the sequencer's public key, without any other data.

    The checkpoint is authenticated first: nothing else in the bundle means
    anything until the root hash is known to come from the sequencer.
    """
    if not isinstance(bundle, dict):
        return _fail(Reason.NOT_OBJECT)
    if bundle.get("format") != BUNDLE_FORMAT:
        return _fail(Reason.BAD_FORMAT)
    alg = bundle.get("alg")
    if alg not in ALGORITHMS:
        return _fail(Reason.BAD_ALG)
    cp = bundle.get("checkpoint")
    if _checkpoint_problem(cp) is not None:
        return _fail(Reason.NO_CHECKPOINT)
    if cp["key_id"] != key_id(public_key):
        return _fail(Reason.WRONG_KEY)
    if not verify_checkpoint(public_key, cp):
        return _fail(Reason.BAD_SIGNATURE)
    if cp["alg"] != alg:
        return _fail(Reason.ALG_MISMATCH)

    index, tree_size = bundle.get("index"), bundle.get("tree_size")
    if type(index) is not int or type(tree_size) is not int or index < 0:
        return _fail(Reason.BAD_NUMBERS)
    if tree_size != cp["tree_size"]:
        return _fail(Reason.SIZE_MISMATCH)
    if index >= tree_size:
        return _fail(Reason.INDEX_OUT_OF_RANGE)

    try:
        event = base64.b64decode(bundle.get("event"), validate=True)
    except (binascii.Error, TypeError, ValueError):
        return _fail(Reason.BAD_EVENT)

    path = bundle.get("audit_path")
    if not isinstance(path, list):
        return _fail(Reason.BAD_PATH)
    proof = _unhex_path(path, digest_size(alg))
    if proof is None:
        return _fail(Reason.BAD_PATH)

    root = bytes.fromhex(cp["root_hash"])
    if not verify_inclusion(alg, leaf_hash(event, alg), index, tree_size, proof, root):
        return _fail(Reason.NOT_INCLUDED)
    return VerificationResult(True, Reason.OK)


# --- Command line -----------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    """Verify a proof bundle file; print the outcome; return 0 if it verifies, else 1."""
    parser = argparse.ArgumentParser(
        prog="python -m casecenter.ledger.verifier",
        description="Verify a case-centre ledger proof bundle offline.",
    )
    parser.add_argument("bundle", type=Path, help="proof bundle (JSON)")
    parser.add_argument("--public-key", required=True, type=Path, help="sequencer Ed25519 public key (PEM)")
    args = parser.parse_args(argv)

    try:
        public_key = load_public_key(args.public_key)
    except (OSError, ValueError, TypeError) as exc:
        print(f"FAILED: cannot read the public key: {exc}", file=sys.stderr)
        return 1
    try:
        bundle = json.loads(args.bundle.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        print(f"FAILED: cannot read the bundle: {exc}", file=sys.stderr)
        return 1

    result = verify_bundle(bundle, public_key)
    if not result.ok:
        print(f"FAILED: {result.reason}")
        return 1
    cp = bundle["checkpoint"]
    print(f"OK: {result.reason}")
    print(f"  event index {bundle['index']} of {cp['tree_size']} ({cp['alg']})")
    print(f"  root hash   {cp['root_hash']}")
    print(f"  signed at   {cp['timestamp']} by key {cp['key_id']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
