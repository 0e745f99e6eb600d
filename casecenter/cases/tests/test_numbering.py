"""Case numbers: one yearly sequence per unit, never the same number twice, even when intakes run
at once (the counter row is locked on PostgreSQL; SQLite serialises writers)."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import OperationalError, connection

from casecenter.accounts.models import Unit
from casecenter.cases.models import CaseKind, CaseSequence
from casecenter.cases.services.cases import _next_number

pytestmark = pytest.mark.django_db


def test_each_unit_and_year_has_its_own_sequence(personas):
    east, west = personas["officer1"].unit, personas["outsider"].unit
    from django.db import transaction

    with transaction.atomic():
        numbers = [_next_number(east, CaseKind.CRIMINAL, 2026), _next_number(east, CaseKind.ADMINISTRATIVE, 2026),
                   _next_number(west, CaseKind.CRIMINAL, 2026), _next_number(east, CaseKind.CRIMINAL, 2027)]
    assert numbers == [f"{east.code}X202600001", f"{east.code}Z202600002", f"{west.code}X202600001",
                       f"{east.code}X202700001"]


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
