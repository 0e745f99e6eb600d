"""The benchmark harness: its statistics, its registry, and ``casecenter bench`` end to end."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from casecenter.core import bench


def _run(*args: str) -> str:
    out = StringIO()
    call_command("bench", *args, stdout=out)
    return out.getvalue()


class TestStatistics:
    """Percentiles interpolate linearly between closest ranks (numpy 'linear', Excel PERCENTILE.INC)."""

    def test_one_to_a_hundred(self):
        stats = bench.summarize(reversed(range(1, 101)))  # order of the samples does not matter
        assert stats["n"] == 100
        assert stats["median_s"] == pytest.approx(50.5)
        assert stats["p95_s"] == pytest.approx(95.05)
        assert stats["p99_s"] == pytest.approx(99.01)
        assert stats["mean_s"] == pytest.approx(50.5)
        assert (stats["min_s"], stats["max_s"]) == (1, 100)
        assert stats["throughput_per_s"] == pytest.approx(1 / 50.5)

    def test_odd_count_median_is_the_middle_sample(self):
        assert bench.summarize([0.003, 0.001, 0.002])["median_s"] == pytest.approx(0.002)

    def test_throughput_is_operations_per_second_of_timed_work(self):
        stats = bench.summarize([0.002] * 4 + [0.012])  # 5 operations in 20 ms
        assert stats["throughput_per_s"] == pytest.approx(250)
        assert stats["median_s"] == pytest.approx(0.002)

    def test_single_sample_and_bounds(self):
        assert bench.percentile([7.0], 99) == 7.0
        assert bench.percentile([1.0, 2.0, 3.0], 0) == 1.0
        assert bench.percentile([1.0, 2.0, 3.0], 100) == 3.0

    def test_no_samples_is_an_error(self):
        with pytest.raises(ValueError, match="no durations"):
            bench.summarize([])
        with pytest.raises(ValueError, match="zero"):
            bench.summarize([0.0, 0.0])  # no throughput to report; Infinity is not JSON either


class TestContext:
    def test_measure_warms_up_then_times_each_operation(self):
        calls = []
        durations = bench.Context(iterations=5, warmup=3).measure(lambda: calls.append(1))
        assert len(calls) == 8
        assert len(durations) == 5
        assert all(d >= 0 for d in durations)

    def test_measure_takes_an_explicit_count(self):
        assert len(bench.Context(iterations=5, warmup=0).measure(lambda: None, 2)) == 2


class TestRegistry:
    @pytest.fixture
    def registry(self):
        registry = bench.Registry()
        for name in ("web.a", "web.b", "webby.c", "ledger.append"):
            registry.benchmark(name, description=name)(lambda ctx: [0.001])
        return registry

    def test_no_names_selects_all_in_order(self, registry):
        assert [b.name for b in registry.select()] == ["ledger.append", "web.a", "web.b", "webby.c"]

    def test_exact_name(self, registry):
        assert [b.name for b in registry.select(["web.b"])] == ["web.b"]

    def test_prefix_selects_dotted_children_only(self, registry):
        assert [b.name for b in registry.select(["web"])] == ["web.a", "web.b"]

    def test_a_benchmark_selected_twice_runs_once(self, registry):
        assert [b.name for b in registry.select(["web", "web.a"])] == ["web.a", "web.b"]

    def test_unknown_name_lists_the_known_ones(self, registry):
        with pytest.raises(bench.UnknownBenchmark) as excinfo:
            registry.select(["web.a", "we"])
        assert excinfo.value.unknown == ["we"]
        assert "ledger.append, web.a, web.b, webby.c" in str(excinfo.value)

    def test_two_functions_under_one_name_are_refused(self, registry):
        with pytest.raises(ValueError, match="twice"):
            registry.benchmark("web.a", description="again")(lambda ctx: [0.002])

    def test_names_must_be_dotted(self, registry):
        with pytest.raises(ValueError, match="dotted"):
            registry.benchmark("login", description="no app")

    def test_quick_runs_a_tenth(self):
        b = bench.Benchmark("x.y", lambda ctx: [], "", repeat=1000, warmup=50)
        assert b.iterations(quick=False) == (1000, 50)
        assert b.iterations(quick=True) == (100, 2)


class TestCommand:
    def test_unknown_name_is_a_command_error_listing_known_names(self):
        with pytest.raises(CommandError) as excinfo:
            _run("web.nonexistent")
        message = str(excinfo.value)
        assert "web.nonexistent" in message
        assert "web.home_page" in message and "web.login_page" in message

    def test_list(self):
        out = _run("--list")
        assert "web.login_page" in out and "web.home_page" in out

    @pytest.mark.django_db
    def test_login_page_end_to_end(self, tmp_path):
        out = _run("web.login_page", "--quick", "--in-place", "--output-dir", str(tmp_path))

        [report_path] = tmp_path.glob("*-web.login_page.json")
        assert f"Report: {report_path}" in out
        report = json.loads(report_path.read_text(encoding="utf-8"))
        [result] = report["results"]
        assert result["name"] == "web.login_page"
        assert result["n"] == 100 and result["warmup"] == 2  # --quick: a tenth of 1000
        assert 0 < result["min_s"] <= result["median_s"] <= result["p95_s"] <= result["p99_s"] <= result["max_s"]
        assert result["throughput_per_s"] == pytest.approx(1 / result["mean_s"])
        assert report["quick"] is True
        assert report["machine"]["database_vendor"] and report["machine"]["cpu_count"] >= 1
        # The table shows the same figures as the report.
        [row] = [line for line in out.splitlines() if line.startswith("web.login_page ")]
        assert row.split()[1] == "100"
        assert row.endswith(f"{result['throughput_per_s']:.1f} req/s")

    @pytest.mark.django_db
    def test_in_place_leaves_nothing_behind(self, tmp_path):
        _run("web", "--quick", "--in-place", "--output-dir", str(tmp_path))
        [report_path] = tmp_path.glob("*-web.json")
        names = [r["name"] for r in json.loads(report_path.read_text(encoding="utf-8"))["results"]]
        assert names == ["web.home_page", "web.login_page"]
        assert not get_user_model().objects.filter(username="officer1").exists()  # the demo users were rolled back

    def test_throwaway_database_spares_the_real_one(self, tmp_path):
        """Run as an operator would, in a separate process whose "real" SQLite database is in tmp_path."""
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "casecenter.config.settings_test",
               "CASECENTER_VAR_DIR": str(tmp_path)}
        env.pop("DATABASE_URL", None)
        done = subprocess.run([sys.executable, "-m", "casecenter", "bench", "web.login_page", "--quick"],
                              env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        [report_path] = (tmp_path / "bench").glob("*-web.login_page.json")
        report = json.loads(report_path.read_text(encoding="utf-8"))
        assert report["database"].startswith(f"throwaway {tmp_path / 'bench'}")
        assert report["machine"]["database_vendor"] == "sqlite"
        assert [p.name for p in (tmp_path / "bench").iterdir()] == [report_path.name]  # throwaway file gone
        assert not Path(tmp_path / "casecenter.sqlite3").exists() or _user_count(tmp_path) == 0


def _user_count(var_dir: Path) -> int:
    import sqlite3

    with sqlite3.connect(var_dir / "casecenter.sqlite3") as db:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        return db.execute("SELECT count(*) FROM accounts_user").fetchone()[0] if "accounts_user" in tables else 0


class TestBatches:
    def test_throughput_counts_items_of_a_batch(self):
        stats = bench.summarize([0.01] * 4, per_op=100)  # 4 transactions of 100 events in 40 ms
        assert stats["throughput_per_s"] == pytest.approx(10_000) and stats["median_s"] == pytest.approx(0.01)
        assert stats["per_op"] == 100

    def test_a_benchmark_may_set_its_batch_size_while_running(self):
        registry = bench.Registry()

        @registry.benchmark("x.whole", description="", repeat=2, warmup=0)
        def whole(ctx):
            ctx.per_op = 50
            return [0.5, 0.5]

        [result] = bench.run(registry.select())
        assert result.stats["per_op"] == 50 and result.stats["throughput_per_s"] == pytest.approx(100)

    def test_batch_size_must_be_positive(self):
        with pytest.raises(ValueError, match="per_op"):
            bench.Registry().benchmark("x.y", description="", per_op=0)


def _square(n, results):
    results.put((n, n * n))


def _fails_after_reporting(n, results):
    results.put((n, None))
    raise SystemExit(3)


def test_processes_run_at_once_and_report_back():
    from casecenter.core.bench import run_processes

    assert run_processes([(_square, (n,)) for n in range(3)], timeout=60) == {0: 0, 1: 1, 2: 4}


def test_a_failed_process_fails_the_benchmark():
    from casecenter.core.bench import run_processes

    with pytest.raises(RuntimeError, match="exit codes"):
        run_processes([(_square, (1,)), (_fails_after_reporting, (2,))], timeout=60)
