"""The case benchmarks are registered and run (``casecenter bench cases``) on the small scale."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

from casecenter.core import bench

NAMES = ["cases.intake_api", "cases.intake_api_batch", "cases.intake_api_workers", "cases.list", "cases.page",
         "cases.search"]


def test_the_case_benchmarks_are_registered():
    bench.discover()
    assert [b.name for b in bench.REGISTRY.select(["cases"])] == NAMES
    [intake] = bench.REGISTRY.select(["cases.intake_api"])
    assert intake.unit == "case"


@pytest.mark.django_db
def test_a_quick_run_in_place_on_the_small_scale(tmp_path, monkeypatch):
    monkeypatch.setenv("CASECENTER_BENCH_CASES_SCALE", "small")
    call_command("bench", "cases", "--quick", "--in-place", "--output-dir", str(tmp_path), stdout=StringIO(),
                 stderr=StringIO())
    [report_path] = tmp_path.glob("*.json")
    results = {r["name"]: r for r in json.loads(report_path.read_text(encoding="utf-8"))["results"]}
    assert sorted(results) == NAMES
    assert all(r["n"] > 0 for r in results.values() if "not_applicable" not in r)
    assert results["cases.intake_api"]["throughput_per_s"] > 0
    batch = results["cases.intake_api_batch"]  # counted in cases, a hundred a call
    assert batch["throughput_per_s"] > 0 and batch["throughput_per_s"] * batch["median_s"] > 50
    assert "not with --in-place" in results["cases.intake_api_workers"]["not_applicable"]
    assert results["cases.search"]["extra"]["queries_without_hits"] < results["cases.search"]["n"]
