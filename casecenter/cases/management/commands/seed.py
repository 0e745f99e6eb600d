"""``casecenter seed [--scale city-year|small] [--seed N] [--force]``: scale data (see ``cases.seed``)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from casecenter.cases import seed as seeding
from casecenter.search.management.commands.search import ProgressBar


class _Bar(ProgressBar):
    """The search command's progress bar, with a new line between phases."""

    def __call__(self, kind, done, total):
        if self.tty and self.started and kind not in self.started:
            self.stream.write("\n")
        super().__call__(kind, done, total)


class Command(BaseCommand):
    help = ("Write scale data: a large city's year of cases (100,000 cases, 300,000 persons, their parties and "
            "measures) in bulk, without ledger events or deadline clocks. Refuses a database already seeded.")

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(seeding.SCALES), default="city-year")
        parser.add_argument("--seed", type=int, default=seeding.DEFAULT_SEED, help="the generator's seed")
        parser.add_argument("--force", action="store_true", help="add another lot to an already seeded database")
        parser.add_argument("--no-index", action="store_true", help="do not index the rows in the search app")

    def handle(self, *args, **options):
        if seeding.seeded() and not options["force"]:
            raise CommandError(_("This database already holds seeded data (units SEED-…); use --force to add more."))
        bar = _Bar(self.stderr._out if hasattr(self.stderr, "_out") else self.stderr)
        began = time.monotonic()
        counts = seeding.seed(scale=options["scale"], seed=options["seed"], force=options["force"], progress=bar,
                              index=not options["no_index"])
        bar.finish()
        took = time.monotonic() - began
        self.stdout.write(_("Seeded in {seconds:.0f} s: {counts}.").format(
            seconds=took, counts=", ".join(f"{v:,} {k}" for k, v in counts.items())))
