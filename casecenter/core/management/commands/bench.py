"""``casecenter bench [NAME…]``: run the benchmarks that apps register in their ``bench.py``.

Benchmarks create users, sessions and cases, so by default they run in a throwaway database made
with Django's test-database machinery and dropped afterwards; the user's data is never touched.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.backends.base.creation import TEST_DATABASE_PREFIX

from casecenter.core import bench


@contextmanager
def throwaway_database(scratch_dir: Path, suffix: str = "bench") -> Iterator[str]:
    """Create a fresh, migrated copy of the default database, switch to it, and drop it on the way out.

    SQLite's test database is in memory by default, which would flatter every figure: here it is a
    file under ``scratch_dir``. Elsewhere the name gets a ``_bench`` (or ``suffix``) suffix so that a
    test suite running at the same time on ``test_<name>`` is not clobbered.
    """
    connection = connections[DEFAULT_DB_ALIAS]
    original_name = connection.settings_dict["NAME"]
    test_settings = connection.settings_dict.setdefault("TEST", {})
    original_test_name = test_settings.get("NAME")
    if connection.vendor == "sqlite":
        scratch_dir.mkdir(parents=True, exist_ok=True)
        test_settings["NAME"] = str(scratch_dir / f"throwaway-{os.getpid()}.sqlite3")
    else:
        test_settings["NAME"] = f"{TEST_DATABASE_PREFIX}{original_name}_{suffix}"
    # A throwaway database starts empty: no shipped statutes or holidays (and no ledger events of
    # their loading); a benchmark that needs them loads them itself.
    switches = ("LOAD_STATUTES_ON_MIGRATE", "LOAD_CALENDAR_ON_MIGRATE")
    loading = {key: settings.CASECENTER.get(key, True) for key in switches}
    settings.CASECENTER.update(dict.fromkeys(switches, False))
    try:
        try:
            name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False, serialize=False)
        finally:
            settings.CASECENTER.update(loading)
        yield name
    finally:
        if connection.settings_dict["NAME"] != original_name:  # creation got as far as switching over
            connection.creation.destroy_test_db(original_name, verbosity=0, keepdb=False)
        if connection.vendor == "sqlite":
            for suffix in ("-wal", "-shm", "-journal"):
                Path(test_settings["NAME"] + suffix).unlink(missing_ok=True)
        test_settings["NAME"] = original_test_name


class Command(BaseCommand):
    help = ("Run the benchmarks (all, or those named; 'web' selects web.*) in a throwaway database, "
            "print median/p95/p99/mean/throughput and write a JSON report under var/bench/.")

    def add_arguments(self, parser):
        parser.add_argument("names", nargs="*", metavar="NAME", help="benchmark names or dotted prefixes")
        parser.add_argument("--list", action="store_true", help="list the benchmarks and exit")
        parser.add_argument("--quick", action="store_true",
                            help="a tenth of the iterations: checks that benchmarks run, figures are rough")
        parser.add_argument("--output-dir", type=Path, default=None,
                            help="where the JSON report goes (default: VAR_DIR/bench)")
        parser.add_argument("--in-place", action="store_true",
                            help="use the current database inside a transaction rolled back at the end, "
                                 "instead of creating a throwaway one (for the test suite, whose "
                                 "database is already a test database)")

    def handle(self, *args, **options):
        bench.discover()
        try:
            selected = bench.REGISTRY.select(options["names"])
        except bench.UnknownBenchmark as exc:
            raise CommandError(str(exc)) from None
        if not selected:
            raise CommandError("no benchmarks are registered (apps add them in casecenter/<app>/bench.py)")
        if options["list"]:
            self._list(selected)
            return
        output_dir = options["output_dir"] or Path(settings.VAR_DIR) / "bench"
        label = "+".join(options["names"]) or "all"
        quick = options["quick"]

        if options["in_place"]:
            with transaction.atomic():
                results = bench.run(selected, quick=quick)
                path = bench.write_report(results, output_dir=output_dir, label=label, quick=quick,
                                          connection=connections[DEFAULT_DB_ALIAS],
                                          database="in place, rolled back")
                transaction.set_rollback(True)
        else:
            with throwaway_database(output_dir) as name:
                results = bench.run(selected, quick=quick)
                path = bench.write_report(results, output_dir=output_dir, label=label, quick=quick,
                                          connection=connections[DEFAULT_DB_ALIAS],
                                          database=f"throwaway {name}")

        self.stdout.write(bench.format_table(results))
        if quick:
            self.stdout.write("(--quick: too few iterations for the figures to mean much)")
        self.stdout.write(f"Report: {path}")

    def _list(self, selected: list[bench.Benchmark]) -> None:
        width = max(len(b.name) for b in selected)
        for b in selected:
            self.stdout.write(f"{b.name.ljust(width)}  {b.description}  "
                              f"({b.repeat} {b.unit} timed after {b.warmup} warm-up)")
