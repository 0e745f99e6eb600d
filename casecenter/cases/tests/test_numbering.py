"""Case numbers: one yearly sequence per unit, never the same number twice, even when intakes run
at once (the counter row is locked on PostgreSQL; SQLite serialises writers)."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime

import pytest
from django.db import OperationalError, connection

from casecenter.accounts.models import Unit
from casecenter.cases.models import CaseKind, CaseSequence
from casecenter.cases.numbering import ToNumber, allocate

pytestmark = pytest.mark.django_db


def _report(unit, kind: str, year: int) -> ToNumber:
    """What numbering reads of a report: its unit, kind and time of receipt."""
    return ToNumber(unit_id=unit.pk, unit_code=unit.code, kind=kind, received_at=datetime(year, 3, 1, tzinfo=UTC))


def _next_number(unit, kind: str, year: int) -> str:
    return allocate([_report(unit, kind, year)])[0]


def test_each_unit_and_year_has_its_own_sequence(personas):
    east, west = personas["officer1"].unit, personas["outsider"].unit
    from django.db import transaction

    with transaction.atomic():
        numbers = [_next_number(east, CaseKind.CRIMINAL, 2026), _next_number(east, CaseKind.ADMINISTRATIVE, 2026),
                   _next_number(west, CaseKind.CRIMINAL, 2026), _next_number(east, CaseKind.CRIMINAL, 2027)]
    # The default pattern: "A", the unit's code (its organ code when it has a pattern), year, sequence.
    assert numbers == [f"A{east.code}2026000001", f"A{east.code}2026000002", f"A{west.code}2026000001",
                       f"A{east.code}2027000001"]


def test_a_batch_is_numbered_in_its_order_within_each_unit_and_year(personas):
    east, west = personas["officer1"].unit, personas["outsider"].unit
    from django.db import transaction

    with transaction.atomic():
        _next_number(east, CaseKind.CRIMINAL, 2026)
        numbers = allocate([_report(west, CaseKind.CRIMINAL, 2026), _report(east, CaseKind.ADMINISTRATIVE, 2026),
                            _report(east, CaseKind.CRIMINAL, 2027), _report(east, CaseKind.CRIMINAL, 2026),
                            _report(west, CaseKind.CRIMINAL, 2026)])
    assert numbers == [f"A{west.code}2026000001", f"A{east.code}2026000002", f"A{east.code}2027000001",
                       f"A{east.code}2026000003", f"A{west.code}2026000002"]
    assert CaseSequence.objects.get(unit=east, year=2026).last == 3


@pytest.mark.django_db(transaction=True)
def test_concurrent_intakes_never_share_a_number(personas):
    from django.db import transaction

    unit_pk = personas["officer1"].unit_id
    numbers, errors, start = [], [], threading.Barrier(6)

    def take():
        try:
            start.wait()
            for _attempt in range(400):
                try:
                    with transaction.atomic():
                        numbers.append(_next_number(Unit.objects.get(pk=unit_pk), CaseKind.CRIMINAL, 2026))
                    return
                except OperationalError as exc:
                    # SQLite's in-memory test database answers "table is locked" at once where a
                    # database file waits for the writer (busy_timeout): wait here instead.
                    if "locked" not in str(exc):
                        raise
                    time.sleep(0.02)
        except Exception as exc:  # noqa: BLE001  (reported by the assertion below)
            errors.append(exc)
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=take) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len(set(numbers)) == 6
    assert CaseSequence.objects.get(unit_id=unit_pk, year=2026).last == 6


def test_the_year_of_the_number_is_the_local_year_of_receipt(personas):
    east = personas["officer1"].unit
    from django.db import transaction

    new_years_morning = datetime(2026, 12, 31, 20, 30, tzinfo=UTC)  # 2027-01-01 04:30 in Beijing
    report = ToNumber(unit_id=east.pk, unit_code=east.code, kind=CaseKind.CRIMINAL, received_at=new_years_morning)
    with transaction.atomic():
        [number] = allocate([report])
    assert number == f"A{east.code}2027000001"
