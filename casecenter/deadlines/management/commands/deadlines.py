"""``casecenter deadlines rules [--validate] [ID …]`` and ``casecenter deadlines calendar [--years A-B]``.

``rules`` lists the catalog (each law version of a rule on its own line) or, with ``--validate``,
reads it again with the overrides file and exits non-zero naming the bad rule. ``calendar`` shows
the entered years and reports, as a warning and a non-zero exit with ``--strict``, the years not
entered (by default: from this year to next year). Subcommands of other modules (``scan``) are added
to ``SUBCOMMANDS``.
"""

from __future__ import annotations

import re

from django.core.management.base import BaseCommand, CommandError

from casecenter.core import clock
from casecenter.deadlines import loader, rules
from casecenter.deadlines.explain import amount

YEARS_RE = re.compile(r"^(\d{4})(?:-(\d{4}))?$")


def _rules_arguments(parser):
    parser.add_argument("ids", nargs="*", help="rule ids to show (default: all)")
    parser.add_argument("--validate", action="store_true", help="read the catalog and the overrides file again")


def _rules(command, *, ids, validate, **_):
    if validate:
        try:
            catalog = rules.Catalog(loader.load_rules())
        except loader.CatalogError as exc:
            raise CommandError(str(exc)) from None
        command.stdout.write(f"The rule catalog is valid: {len(catalog.rules())} rule versions, "
                             f"{len(catalog.ids())} rules.")
        return
    catalog = rules.catalog()
    try:
        chosen = [v for rule_id in ids for v in catalog.versions(rule_id)] if ids else catalog.rules()
    except rules.UnknownRule as exc:
        raise CommandError(exc.message) from None
    for rule in chosen:
        period = amount(rule.duration.amount, rule.duration.unit)
        tiers = ", ".join(f"{e.id} ({e.mode} {e.duration}, {e.approval_role})" for e in rule.extensions)
        validity = ""
        if rule.valid_from or rule.valid_until:
            validity = f" [{rule.valid_from or '…'} – {rule.valid_until or '…'}]"
        command.stdout.write(f"{rule.id}{validity}: {rule.name_zh} / {rule.name_en} — {period}; "
                             f"{rule.citation_labels}" + (f"; extensions: {tiers}" if tiers else "")
                             + (" (UNCONFIRMED: configurable)" if rule.unconfirmed else ""))


def _calendar_arguments(parser):
    parser.add_argument("--years", help="the years that must be entered, e.g. 2026-2027 (default: this and next)")
    parser.add_argument("--strict", action="store_true", help="exit non-zero when a year is missing")


def _calendar(command, *, years, strict, **_):
    from casecenter.deadlines.models import CalendarYear

    if years:
        match = YEARS_RE.match(years)
        if not match:
            raise CommandError("--years takes a year or a range such as 2026-2027")
        first, last = int(match.group(1)), int(match.group(2) or match.group(1))
    else:
        first = clock.now().year
        last = first + 1
    entered = {}
    for year in CalendarYear.objects.prefetch_related("days"):
        days = list(year.days.all())
        holidays = sum(1 for d in days if d.kind == "holiday")
        entered[year.year] = year
        command.stdout.write(f"{year.year}: {holidays} public holidays, {len(days) - holidays} make-up working days "
                             f"({year.source}; entered {year.entered_at:%Y-%m-%d %H:%M})")
    missing = [y for y in range(first, last + 1) if y not in entered]
    for year in missing:
        command.stderr.write(f"WARNING: the public holidays of {year} are not entered; clocks ending in {year} are "
                             f"not moved for holidays and say so. Enter the State Council's notice in the "
                             f"administration or with PUT /api/v1/calendar/{year}/.")
    if missing and strict:
        raise CommandError(f"missing calendar years: {', '.join(map(str, missing))}")


#: name → (help, add arguments, handle(command, **options)); other modules register theirs here.
def _scan_arguments(parser):
    parser.add_argument("--at", help="Scan as of this local time (YYYY-MM-DD HH:MM), e.g. to replay a missed minute; "
                                     "default now.")


def _scan(command, *, at, **_):
    from django.utils import timezone
    from django.utils.dateparse import parse_datetime

    from casecenter.deadlines.scan import scan

    now = None
    if at:
        parsed = parse_datetime(at.strip().replace("T", " "))
        if parsed is None:
            raise CommandError(f"--at: not a date and time (YYYY-MM-DD HH:MM): {at!r}")
        now = timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed
        if now > clock.now():
            raise CommandError("--at: a scan cannot look into the future")
    outcome = scan(now=now)
    command.stdout.write(f"{outcome.deadlines} deadlines due for an alert: {outcome.warnings} warnings, "
                         f"{outcome.breaches} breaches raised.")


def _recompute_arguments(parser):
    pass


def _recompute(command, **_):
    from casecenter.deadlines.services import deadlines_recompute

    moved = deadlines_recompute(actor=None)
    command.stdout.write(f"{moved} open clocks got a new due time (after a change of the rules or their overrides).")


SUBCOMMANDS = {
    "recompute": ("Count every open clock again (after a release or an overrides file changed a rule).",
                  _recompute_arguments, _recompute),
    "scan": ("Raise the alerts whose time has come, once (the worker does this every minute).", _scan_arguments,
             _scan),
    "rules": ("List or validate the rule catalog.", _rules_arguments, _rules),
    "calendar": ("Show the entered calendar years and report missing ones.", _calendar_arguments, _calendar),
}


class Command(BaseCommand):
    help = "Legal time limits: the rule catalog, the holiday calendar, the scan that raises alerts."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        for name, (text, arguments, _handle) in SUBCOMMANDS.items():
            arguments(sub.add_parser(name, help=text))

    def handle(self, *args, subcommand, **options):
        return SUBCOMMANDS[subcommand][2](self, **options)
