"""The deadline benchmarks are registered and run (``casecenter bench deadlines.compute``)."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

from casecenter.core import bench
from casecenter.deadlines import computation
from casecenter.deadlines.bench import typical_mix


def test_compute_is_registered_with_batches_counted_per_computation():
    bench.discover()
    [registered] = bench.REGISTRY.select(["deadlines.compute"])
    assert registered.per_op == 1000 and registered.unit == "computation"


def test_the_mix_has_hour_and_day_clocks_and_one_holiday_roll():
    mix, calendar = typical_mix()
    results = [computation.compute(rule, calendar=calendar, **kwargs) for rule, kwargs in mix]
    assert {rule.duration.unit for rule, _ in mix} == {"hours", "days"}
    assert sum(any(step.kind == "roll" for step in r.steps) for r in results) == 1
    assert all(r.due_at is not None for r in results)


@pytest.mark.django_db
def test_a_quick_run_in_place_reports_the_throughput(tmp_path):
    out = StringIO()
    call_command("bench", "deadlines.compute", "--quick", "--in-place", "--output-dir", str(tmp_path), stdout=out)
    [report_path] = tmp_path.glob("*-deadlines.compute.json")
    [result] = json.loads(report_path.read_text(encoding="utf-8"))["results"]
    assert result["name"] == "deadlines.compute" and result["n"] == 5
    assert result["throughput_per_s"] > 0


@pytest.mark.django_db
def test_the_scan_benchmarks_raise_real_alerts_in_a_quick_run(tmp_path, monkeypatch):
    from casecenter.deadlines import scan_bench

    monkeypatch.setattr(scan_bench, "CLOCKS", 600)  # 600 clocks over 5 h: two cross each minute
    out = StringIO()
    call_command("bench", "deadlines.scan", "deadlines.scan_idle", "--quick", "--in-place", "--output-dir",
                 str(tmp_path), stdout=out)
    [report_path] = tmp_path.glob("*-deadlines.scan+deadlines.scan_idle.json")
    results = {r["name"]: r for r in json.loads(report_path.read_text(encoding="utf-8"))["results"]}
    assert results["deadlines.scan"]["extra"]["clocks"] == 600  # written in the run's rolled-back transaction
    assert results["deadlines.scan"]["extra"]["alerts_per_scan_median"] >= 1
    assert results["deadlines.scan_idle"]["n"] > 0
