"""Small versions of the tamper and crash campaigns (the full ones run as commands, see README)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import call_command

from casecenter.ledger.campaigns import KINDS, run_campaign

pytestmark = pytest.mark.django_db


def test_every_tampering_is_detected_at_its_event(ledger_key):
    result = run_campaign(len(KINDS) * 3, size=12, seed=20261127)
    assert len(result.outcomes) == len(KINDS) * 3
    assert not result.failures, [(o.kind, o.expected, o.reported, o.message) for o in result.failures]
    assert len(result.by_kind()) >= len(KINDS) - 2  # the random draw covers (nearly) every kind


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_alone(kind, ledger_key, monkeypatch):
    monkeypatch.setattr("casecenter.ledger.campaigns.KINDS", (kind,))
    result = run_campaign(2, size=6, seed=1)
    assert not result.failures, [(o.kind, o.expected, o.reported, o.message) for o in result.failures]


def _command(tmp_path, *args) -> subprocess.CompletedProcess:
    """Run as an operator would: a separate process, whose campaign makes its own throwaway database
    (SQLite under tmp_path, or ``test_<name>_<purpose>_<pid>`` beside the PostgreSQL test database)."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "casecenter.config.settings_test",
           "CASECENTER_VAR_DIR": str(tmp_path)}
    return subprocess.run([sys.executable, "-m", "casecenter", "ledger", *args], env=env, capture_output=True,
                          text=True, timeout=300)


def test_the_crash_campaign_loses_no_committed_event(tmp_path):
    kills = 3
    done = _command(tmp_path, "crash-campaign", "--count", str(kills), "--seed", "3")
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"OK: {kills} kills" in done.stdout and ", 0 missing, 0 unsequenced; verify: OK" in done.stdout


def test_the_tamper_campaign_command_reports_every_detection(tmp_path):
    done = _command(tmp_path, "tamper-campaign", "--count", "10", "--size", "6", "--seed", "5")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "OK: 10 of 10 tamperings detected at the right event" in done.stdout


def test_the_ledger_benchmarks_run(tmp_path, monkeypatch):
    monkeypatch.setenv("CASECENTER_BENCH_LEDGER_EVENTS", "300")
    out = StringIO()
    call_command("bench", "ledger", "--quick", "--in-place", "--output-dir", str(tmp_path), stdout=out)
    [report] = tmp_path.glob("*-ledger.json")
    results = {r["name"]: r for r in json.loads(report.read_text(encoding="utf-8"))["results"]}
    assert set(results) == {"ledger.append_1", "ledger.append_100", "ledger.commit_to_checkpoint",
                            "ledger.verify_proof", "ledger.verify_inclusion", "ledger.verify", "ledger.pg_writers",
                            "ledger.pg_writers_dedicated"}
    # Writer processes need real commits (and PostgreSQL): reported as not applicable, not failed.
    for name in ("ledger.pg_writers", "ledger.pg_writers_dedicated"):
        assert "PostgreSQL only" in results[name]["not_applicable"] or "--in-place" in results[name]["not_applicable"]
        assert f"{name}: not applicable" in out.getvalue()
    assert results["ledger.append_100"]["per_op"] == 100
    assert results["ledger.verify"]["per_op"] >= 300  # the whole ledger, appends of the other benchmarks included
    assert 300 <= results["ledger.verify_inclusion"]["per_op"] <= 1000
