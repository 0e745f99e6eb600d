"""Case numbers (案件编号): one yearly sequence per unit, formatted by the unit's pattern.

The one place that numbers cases: intake (one report or a dispatch batch) and the scale-data
generator (``casecenter seed``) both call :func:`allocate`, so that a case is numbered the same way
whoever writes it. The year of a number is the **local** (Asia/Shanghai) year of receipt: a report
received at 00:30 on 1 January in Beijing is a case of the new year, although it is still
31 December in UTC.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from casecenter.core.errors import ValidationFailed

from .models import DEFAULT_NUMBER_PATTERN, CaseKind, CaseNumberPattern, CaseSequence

#: ``{kind}`` in a pattern: X for a criminal case (刑), Z for an administrative one (治安/行政).
KIND_LETTER = {CaseKind.CRIMINAL: "X", CaseKind.ADMINISTRATIVE: "Z"}
#: A unit without a ``CaseNumberPattern`` is numbered by the default pattern with its code as prefix.
DEFAULT_PATTERN = DEFAULT_NUMBER_PATTERN


@dataclass(frozen=True)
class ToNumber:
    """What numbering reads of a case: its unit (id and code), kind and time of receipt."""

    unit_id: int
    unit_code: str
    kind: str
    received_at: dt.datetime


def number_year(received_at: dt.datetime) -> int:
    """The year a case received at ``received_at`` is numbered in: the local year."""
    return timezone.localtime(received_at).year


def format_number(*, pattern: str, prefix: str, kind: str, year: int, seq: int) -> str:
    return pattern.format(prefix=prefix, kind=KIND_LETTER[kind], year=year, seq=seq)


def allocate(items: Sequence[ToNumber]) -> list[str]:
    """The case number of each item, numbered in the order given within each unit and year.

    Takes each (unit, year) counter once, for all its items, with a row lock held until the
    caller's transaction ends: call it inside ``transaction.atomic``."""
    keys = [(item.unit_id, number_year(item.received_at)) for item in items]
    wanted: dict[tuple[int, int], int] = {}
    for key in keys:
        wanted[key] = wanted.get(key, 0) + 1
    # In (unit, year) order: two batches at once lock the counter rows in the same order.
    sequences = {key: iter(take_sequence(*key, count)) for key, count in sorted(wanted.items())}
    patterns = unit_patterns({unit for unit, _year in wanted})
    numbers = []
    for item, (unit_id, year) in zip(items, keys, strict=True):
        prefix, pattern = patterns.get(unit_id, (item.unit_code, DEFAULT_PATTERN))
        numbers.append(format_number(pattern=pattern, prefix=prefix, kind=item.kind, year=year,
                                     seq=next(sequences[unit_id, year])))
    return numbers


def take_sequence(unit_id: int, year: int, count: int) -> range:
    """The unit's next ``count`` sequence numbers for ``year``: one UPDATE … RETURNING, which takes
    the row lock until the transaction ends, so two intakes at once never get the same number. The
    year's counter row is created on first use (a race on its creation is absorbed by
    ``ignore_conflicts``)."""
    table = connection.ops.quote_name(CaseSequence._meta.db_table)
    sql = f"UPDATE {table} SET last = last + %s WHERE unit_id = %s AND year = %s RETURNING last"  # noqa: S608
    for _attempt in range(2):
        with connection.cursor() as cursor:
            cursor.execute(sql, [count, unit_id, year])
            row = cursor.fetchone()
        if row is not None:
            return range(row[0] - count + 1, row[0] + 1)
        CaseSequence.objects.bulk_create([CaseSequence(unit_id=unit_id, year=year, last=0)], ignore_conflicts=True)
    raise RuntimeError(f"no case sequence row for unit {unit_id}, {year}")


def unit_patterns(unit_ids: set[int]) -> dict[int, tuple[str, str]]:
    """(prefix, pattern) of the units that have a number pattern. A plain query: it runs at every
    intake, where the ORM's compiling costs twenty times the read."""
    if not unit_ids:
        return {}
    table = connection.ops.quote_name(CaseNumberPattern._meta.db_table)
    placeholders = ", ".join(["%s"] * len(unit_ids))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT unit_id, prefix, pattern FROM {table} WHERE unit_id IN ({placeholders})"  # noqa: S608
                       " ORDER BY id DESC", list(unit_ids))
        return {unit_id: (prefix, pattern) for unit_id, prefix, pattern in cursor.fetchall()}  # the last row wins


def check_pattern(pattern: str, prefix: str) -> None:
    """A pattern must number every case of a year differently: it holds ``{seq}`` and ``{year}``,
    formats without error, and its numbers fit the case-number field (64 characters)."""
    if "{seq" not in pattern or "{year" not in pattern:
        raise ValidationFailed(_("The pattern must contain {seq} and {year}."), field="pattern")
    try:
        longest = max((format_number(pattern=pattern, prefix=prefix, kind=kind, year=2026, seq=999_999)
                       for kind in CaseKind.values), key=len)
    except (KeyError, IndexError, ValueError, AttributeError):
        raise ValidationFailed(_("The pattern may only use {prefix}, {kind}, {year} and {seq} (e.g. {seq:06d})."),
                               field="pattern") from None
    if len(longest) > 64:
        raise ValidationFailed(_("The numbers of this pattern would be longer than 64 characters."), field="pattern")
