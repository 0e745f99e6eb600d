"""Lock order between the services of cases and the merge of people.

PostgreSQL locks rows, in the order each transaction reaches them; SQLite takes the database's one
write lock at BEGIN (IMMEDIATE transactions), so two writers queue there instead.
"""

from __future__ import annotations

import contextlib
import threading
import time
from unittest import mock

import pytest
from django.db import connection, transaction

from casecenter.cases.models import MeasureKind, MeasureStatus
from casecenter.cases.services import measures as services
from casecenter.core import clock
from casecenter.people import services as people_services
from casecenter.people.models import Person
from casecenter.people.services import person_create

pytestmark = pytest.mark.django_db(transaction=True)


def _wait_for_a_lock_wait(seconds: float = 20) -> None:
    """PostgreSQL: until another session of this database waits on a row lock (the approval, behind
    the merge)."""
    deadline = time.monotonic() + seconds
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                           "AND wait_event_type = 'Lock'")
            if cursor.fetchone()[0]:
                return
            time.sleep(0.02)
    raise AssertionError("the approval never waited on the merge's locks")


def test_a_summons_approval_during_a_merge_of_its_person_waits_instead_of_deadlocking(filed_case, suspect,
                                                                                     personas):
    """The approval locks the case, then the measure with its person. A merge that held the persons
    and only then went for the measures would wait on the approval's measure while the approval
    waits on the person: PostgreSQL would abort one of them. The merge locks the rows it moves first."""
    # On SQLite the merge holds the database's one write lock from its BEGIN IMMEDIATE: the approval
    # queues at its own BEGIN (no row locks, no deadlock), and both must still complete.
    sqlite = connection.vendor == "sqlite"
    pending = services.measure_start(actor=personas["officer1"], case=filed_case, person=suspect,
                                     kind=MeasureKind.SUMMONS, started_at=clock.now(), basis="传唤")
    survivor = person_create(actor=personas["officer1"], name=suspect.name)
    holding, go, errors, calls = threading.Event(), threading.Event(), {}, []
    live = people_services._live

    def paused_live(*args, **kwargs):
        person = live(*args, **kwargs)
        calls.append(person.pk)
        if len(calls) == 2:        # both entries are locked: the merge moves the rows next
            holding.set()
            assert go.wait(30)
        return person

    def run(name, call):
        try:
            call()
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors[name] = exc
        finally:
            connection.close()

    merge = threading.Thread(target=run, args=("merge", lambda: people_services.person_merge(
        actor=personas["head"], survivor=survivor, merged=suspect, reason="同一人，身份核实")))
    approve = threading.Thread(target=run, args=("approve", lambda: services.measure_approve(
        actor=personas["officer1"], measure=pending, decided_by=personas["head"])))
    beginning = threading.Event()

    def begin_after_the_merge(wrapper):  # SQLite's BEGIN IMMEDIATE, which waits for the merge's commit
        if threading.current_thread() is approve:
            beginning.set()
        return begin(wrapper)

    with contextlib.ExitStack() as patches:
        patches.enter_context(mock.patch.object(people_services, "_live", paused_live))
        if sqlite:
            backend = type(transaction.get_connection())
            begin = backend._start_transaction_under_autocommit
            patches.enter_context(mock.patch.object(backend, "_start_transaction_under_autocommit",
                                                    begin_after_the_merge))
        merge.start()
        assert holding.wait(30)
        approve.start()
        try:
            if sqlite:
                assert beginning.wait(30)
            else:
                _wait_for_a_lock_wait()
        finally:
            go.set()
            merge.join(60)
            approve.join(60)
    assert errors == {}
    pending.refresh_from_db()
    assert pending.status == MeasureStatus.ACTIVE
    assert pending.person_id == survivor.pk          # moved by the merge, then approved
    assert Person.objects.get(pk=suspect.pk).merged_into_id == survivor.pk
