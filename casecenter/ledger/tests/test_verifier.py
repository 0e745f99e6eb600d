"""Tests for canonical JSON, checkpoints, proof bundles and the offline verifier (pure, no Django)."""


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
from hypothesis import given, settings
from hypothesis import strategies as st

from .. import merkle
from ..merkle import (
    MerkleTree,
    leaf_hash,
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
from .rfc6962_vectors import RFC6962_ROOTS

ALGS = ["sha256", "sm3"]
LEDGER_DIR = Path(__file__).resolve().parents[1]


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
