"""``casecenter law load FILE [--code … --version-date …]`` and ``casecenter law load --shipped``.

A malformed text stops with the file and line the parser names and a non-zero exit code, and
nothing is saved (each version is loaded in one transaction). A version that is already loaded is
refused, not replaced: citations point at its articles.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from casecenter.core.errors import ApplicationError
from casecenter.law import loader
from casecenter.law.parser import ParseError


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"not a date (YYYY-MM-DD): {value!r}") from None


_date.__name__ = "date"  # argparse names the type in its error message


class Command(BaseCommand):
    help = "Load statute texts into the statute library."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        load = sub.add_parser("load", help="Load one statute file, or every shipped statute not loaded yet.")
        load.add_argument("file", nargs="?", type=Path, help="a statute text (Markdown, see law/parser.py)")
        load.add_argument("--shipped", action="store_true", help="load the statutes in catalog.json not loaded yet")
        load.add_argument("--code", help="the law's stable code, e.g. cpl (required with FILE)")
        load.add_argument("--full-name", help="default: the text's '# …' title")
        load.add_argument("--short-name", default="", help="e.g. 刑诉法")
        load.add_argument("--issuing-body", default="")
        load.add_argument("--version-date", type=_date, help="default: the date in the file name 名称(2018-10-26).md")
        load.add_argument("--effective-date", type=_date, help="default: the version date")

    def handle(self, *args, subcommand, **options):
        try:
            return self._load(**options)
        except ParseError as exc:
            raise CommandError(f"{exc.source or options.get('file')}, line {exc.line_no}: {exc.message}") from None
        except ApplicationError as exc:
            raise CommandError(exc.message) from None

    def _load(self, *, file, shipped, code, full_name, short_name, issuing_body, version_date, effective_date,
              verbosity=1, **_):
        if shipped == bool(file):
            raise CommandError("give either a FILE or --shipped")
        if shipped:
            versions = loader.load_shipped()
            for version in versions:
                self._report(version)
            if verbosity:
                self.stdout.write(f"{len(versions)} statute version(s) loaded." if versions
                                  else "Every shipped statute is loaded already.")
            return
        if not code:
            raise CommandError("--code is required with FILE (a stable name such as cpl)")
        entry = loader.Entry(path=file, code=code, full_name=full_name, short_name=short_name,
                             issuing_body=issuing_body, version_date=version_date, effective_date=effective_date)
        self._report(loader.load(entry))

    def _report(self, version):
        self.stdout.write(f"Loaded {version.law.code} {version.law.full_name} ({version.slug}, in force from "
                          f"{version.effective_date.isoformat()}): {version.article_count} articles.")
