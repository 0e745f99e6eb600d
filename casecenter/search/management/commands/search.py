"""``casecenter search reindex [KIND …]`` rebuilds the index from the owning apps' tables;
``casecenter search kinds`` lists what is indexed.

Rebuilding is needed after administrators add dictionary words (older documents keep their old
segmentation until then), after restoring a database without its index, or to repair an index
whose on-commit update failed (logged). Progress is drawn on the terminal.
"""

from __future__ import annotations

import sys
import time

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count

from casecenter.search import kinds
from casecenter.search.indexing import reindex
from casecenter.search.models import Document
from casecenter.search.preparing import default_jobs
from casecenter.search.text import SEGMENTER

BAR_WIDTH = 30


class ProgressBar:
    """One line per kind, redrawn in place on a terminal; on a pipe, a line every tenth."""

    def __init__(self, stream) -> None:
        self.stream = stream
        self.tty = hasattr(stream, "isatty") and stream.isatty()
        self.started: dict[str, float] = {}
        self.last_tenth: dict[str, int] = {}

    def __call__(self, kind: str, done: int, total: int | None) -> None:
        started = self.started.setdefault(kind, time.monotonic())
        elapsed = max(time.monotonic() - started, 1e-6)
        rate = done / elapsed
        if total:
            share = min(done / total, 1.0)
            filled = int(share * BAR_WIDTH)
            line = (f"{kind:<16} [{'#' * filled}{'-' * (BAR_WIDTH - filled)}] {share:6.1%} "
                    f"{done:,}/{total:,}  {rate:,.0f}/s")
            tenth = int(share * 10)
        else:
            line, tenth = f"{kind:<16} {done:,}  {rate:,.0f}/s", done // 10_000
        if self.tty:
            self.stream.write("\r" + line)
            self.stream.flush()
        elif self.last_tenth.get(kind) != tenth:
            self.last_tenth[kind] = tenth
            self.stream.write(line + "\n")

    def finish(self) -> None:
        if self.tty:
            self.stream.write("\n")


class Command(BaseCommand):
    help = "Rebuild the search index, or list the kinds of document it holds."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        rebuild = sub.add_parser("reindex", help="Rebuild the index of the given kinds (default: all).")
        rebuild.add_argument("kinds", nargs="*", metavar="KIND")
        rebuild.add_argument("--jobs", type=int, default=default_jobs(),
                             help="processes that prepare documents (segmentation); default: %(default)s")
        sub.add_parser("kinds", help="List the registered kinds and how many documents of each are indexed.")

    def handle(self, *args, subcommand, **options):
        if subcommand == "kinds":
            return self._kinds()
        return self._reindex(options["kinds"], options["jobs"])

    def _kinds(self):
        counts = dict(Document.objects.values_list("kind").annotate(n=Count("id")))
        for kind in kinds.all_kinds():
            self.stdout.write(f"{kind.name:<20} {counts.get(kind.name, 0):>10,}  {kind.label}")

    def _reindex(self, names, jobs):
        if jobs < 1:
            raise CommandError("--jobs must be at least 1.")
        known = [k.name for k in kinds.all_kinds()]
        unknown = [n for n in names if n not in known]
        if unknown:
            raise CommandError(f"unknown kind {', '.join(unknown)}; known kinds: {', '.join(known) or '(none)'}")
        SEGMENTER.reset()  # pick up dictionary words added since this process started
        bar = ProgressBar(sys.stderr if self.stderr._out is sys.stderr else self.stderr)
        started = time.monotonic()
        counts = reindex(names or None, progress=bar, jobs=jobs)
        bar.finish()
        elapsed = time.monotonic() - started
        for kind, count in counts.items():
            self.stdout.write(f"{kind}: {count:,} documents")
        total = sum(counts.values())
        self.stdout.write(self.style.SUCCESS(f"Reindexed {total:,} documents in {elapsed:.1f} s."))
