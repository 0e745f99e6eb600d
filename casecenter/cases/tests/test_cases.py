"""Intake, numbering and the case's status machine."""

from __future__ import annotations

import pytest
from django.utils import timezone

from casecenter.cases.loader import load_shipped_causes, shipped_causes
from casecenter.cases.models import CaseCause, CaseKind, CaseNumberPattern, CaseStatus
from casecenter.cases.services import cases as services
from casecenter.cases.services.causes import cause_save
from casecenter.core.errors import Conflict, Forbidden, ValidationFailed
from casecenter.deadlines.models import Deadline, DeadlineState
from casecenter.ledger.testing import assert_records, last_event_id

pytestmark = pytest.mark.django_db


def test_the_shipped_catalogue_is_loaded_and_has_both_kinds(catalogue):
    assert CaseCause.objects.filter(shipped=True, kind=CaseKind.CRIMINAL).count() >= 30
    assert CaseCause.objects.filter(shipped=True, kind=CaseKind.ADMINISTRATIVE).count() >= 20
    assert load_shipped_causes() == 0  # loading again changes nothing
    assert len(shipped_causes()) == CaseCause.objects.filter(shipped=True).count()


def test_an_administrator_adds_a_cause_and_cannot_change_its_kind(personas):
    mark = last_event_id()
    cause = cause_save(actor=personas["sysadmin"], code="X900", name="高空抛物罪", kind=CaseKind.CRIMINAL)
    assert_records("cases.cause.saved", after=mark, subject=cause, actor=personas["sysadmin"],
                   data={"code": "X900", "kind": "criminal"})
    with pytest.raises(ValidationFailed) as exc:
        cause_save(actor=personas["sysadmin"], code="X900", name="高空抛物罪", kind=CaseKind.ADMINISTRATIVE)
    assert "kind" in exc.value.fields


def test_intake_numbers_the_case_records_it_and_starts_the_filing_review_clock(intake, personas, station):
    mark = last_event_id()
    case = intake()
    year = timezone.localtime(case.received_at).year
    assert case.number == f"A{station.code}{year}000001"
    assert case.status == CaseStatus.RECEIVED
    assert case.acceptance.receipt_number == f"{case.number}-HZ"
    assert case.acceptance.reporter_name == "张三"
    assert_records("cases.case.received", after=mark, subject=case, case=case, unit=station,
                   actor=personas["officer1"], data={"number": case.number, "kind": "criminal", "source": "walk_in"})
    clocks = Deadline.objects.for_subject(case).open()
    assert [d.rule_id for d in clocks] == ["criminal-filing-review"]
    assert intake().number == f"A{station.code}{year}000002"


def test_the_number_follows_the_units_pattern(intake, station):
    CaseNumberPattern.objects.create(unit=station, prefix="东公城", pattern="{prefix}{kind}字〔{year}〕{seq}号")
    case = intake()
    assert case.number == f"东公城X字〔{timezone.localtime(case.received_at).year}〕1号"


def test_an_administrative_intake_starts_the_acceptance_review_which_acceptance_meets(
        intake, personas, brawl, ago):
    case = intake(kind=CaseKind.ADMINISTRATIVE, cause=brawl, officers=[personas["officer1"]])
    (clock,) = Deadline.objects.for_subject(case).open()
    assert clock.rule_id == "administrative-acceptance-review"
    mark = last_event_id()
    services.case_accept(actor=personas["officer1"], case=case, at=ago(minutes=30))
    assert_records("cases.case.accepted", after=mark, subject=case, data={"from": "received", "to": "accepted"})
    clock.refresh_from_db()
    assert clock.state == DeadlineState.MET


@pytest.mark.parametrize(("field", "overrides"), [
    ("officers", {"officers": []}),
    ("summary", {"summary": "  "}),
    ("source", {"source": "rumour"}),
    ("kind", {"kind": "civil"}),
])
def test_intake_refuses_bad_input_naming_the_field(intake, field, overrides):
    with pytest.raises(ValidationFailed) as exc:
        intake(**overrides)
    assert field in exc.value.fields


def test_intake_refuses_a_criminal_case_with_one_officer(intake, personas):
    with pytest.raises(ValidationFailed, match="at least 2") as exc:
        intake(officers=[personas["officer1"]])
    assert "officers" in exc.value.fields


def test_intake_refuses_a_cause_of_the_other_kind(intake, brawl):
    with pytest.raises(ValidationFailed) as exc:
        intake(cause=brawl)
    assert "cause" in exc.value.fields


def test_intake_refuses_a_unit_the_officer_does_not_see(intake, personas):
    with pytest.raises(ValidationFailed) as exc:
        intake(unit=personas["outsider"].unit)
    assert "unit" in exc.value.fields


def test_filing_needs_the_county_chief_and_meets_the_review_clock(intake, personas, ago):
    case = intake(received_at=ago(hours=5))
    case = services.case_accept(actor=personas["officer1"], case=case, at=ago(hours=4))
    with pytest.raises(ValidationFailed) as exc:
        services.case_file(actor=personas["officer1"], case=case, decided_by=personas["head"], decided_at=ago(hours=3))
    assert "decided_by" in exc.value.fields
    mark = last_event_id()
    case = services.case_file(actor=personas["officer1"], case=case, decided_by=personas["chief"],
                              decided_at=ago(hours=3))
    assert case.status == CaseStatus.FILED
    assert_records("cases.case.filed", after=mark, subject=case, data={"decided_by": personas["chief"].pk})
    assert_records("deadlines.deadline.met", after=mark, case=case)
    assert not Deadline.objects.for_subject(case).open().exists()


def test_refusing_to_file_needs_a_reason(intake, personas, ago):
    case = services.case_accept(actor=personas["officer1"], case=intake(received_at=ago(hours=5)), at=ago(hours=4))
    with pytest.raises(ValidationFailed) as exc:
        services.case_refuse_filing(actor=personas["officer1"], case=case, decided_by=personas["chief"],
                                    decided_at=ago(hours=3), reason="")
    assert "reason" in exc.value.fields
    mark = last_event_id()
    case = services.case_refuse_filing(actor=personas["officer1"], case=case, decided_by=personas["chief"],
                                       decided_at=ago(hours=3), reason="没有犯罪事实")
    assert case.status == CaseStatus.NOT_FILED
    assert_records("cases.case.not_filed", after=mark, subject=case, data={"note": "没有犯罪事实"})


def test_a_transfer_names_the_receiving_organ(intake, personas, ago):
    case = services.case_accept(actor=personas["officer1"], case=intake(received_at=ago(hours=5)), at=ago(hours=4))
    with pytest.raises(ValidationFailed) as exc:
        services.case_transfer(actor=personas["officer1"], case=case, decided_by=personas["chief"],
                               decided_at=ago(hours=3), receiving_organ="", reason="不属于本局管辖")
    assert "receiving_organ" in exc.value.fields
    mark = last_event_id()
    case = services.case_transfer(actor=personas["officer1"], case=case, decided_by=personas["chief"],
                                  decided_at=ago(hours=3), receiving_organ="西城分局", reason="不属于本局管辖")
    assert_records("cases.case.transferred", after=mark, subject=case, data={"receiving_organ": "西城分局"})


def test_a_criminal_case_runs_to_prosecution_and_the_archive(filed_case, personas, ago):
    officer = personas["officer1"]
    mark = last_event_id()
    case = services.case_start_investigation(actor=officer, case=filed_case, at=ago(hours=2))
    assert_records("cases.case.investigation_started", after=mark, subject=case)
    with pytest.raises(ValidationFailed) as exc:
        services.case_decide(actor=officer, case=case, decided_by=personas["chief"], decided_at=ago(hours=1))
    assert "status" in exc.value.fields
    case = services.case_transfer_for_prosecution(actor=officer, case=case, decided_by=personas["chief"],
                                                  decided_at=ago(hours=1))
    assert_records("cases.case.prosecution_transferred", after=mark, subject=case)
    case = services.case_archive(actor=officer, case=case, at=ago(minutes=30))
    assert case.status == CaseStatus.ARCHIVED
    assert_records("cases.case.archived", after=mark, subject=case)
    assert [d.to_status for d in case.decisions.all()] == [
        "accepted", "filed", "investigating", "prosecution", "archived"]


def test_a_case_is_withdrawn_with_a_reason(filed_case, personas, ago):
    case = services.case_start_investigation(actor=personas["officer1"], case=filed_case, at=ago(hours=2))
    mark = last_event_id()
    case = services.case_withdraw(actor=personas["head"], case=case, decided_by=personas["chief"],
                                  decided_at=ago(hours=1), reason="犯罪嫌疑人死亡")
    assert_records("cases.case.withdrawn", after=mark, subject=case, actor=personas["head"])


def test_an_administrative_case_ends_with_a_decision(intake, personas, brawl, ago):
    officer = personas["officer1"]
    case = intake(kind=CaseKind.ADMINISTRATIVE, cause=brawl, officers=[officer], received_at=ago(hours=5))
    case = services.case_accept(actor=officer, case=case, at=ago(hours=4))
    case = services.case_file(actor=officer, case=case, decided_by=personas["chief"], decided_at=ago(hours=3))
    case = services.case_start_investigation(actor=officer, case=case, at=ago(hours=2))
    mark = last_event_id()
    case = services.case_decide(actor=officer, case=case, decided_by=personas["chief"], decided_at=ago(hours=1),
                                note="行政拘留五日")
    assert_records("cases.case.decided", after=mark, subject=case, data={"to": "decided"})


def test_illegal_transitions_are_refused(intake, personas, ago):
    case = intake()
    with pytest.raises(Conflict) as exc:
        services.case_file(actor=personas["officer1"], case=case, decided_by=personas["chief"],
                           decided_at=ago(minutes=5))
    assert "status" in exc.value.fields
    with pytest.raises(Conflict):
        services.case_archive(actor=personas["officer1"], case=case, at=ago(minutes=5))


def test_only_the_officers_and_the_heads_above_change_a_case(intake, personas, ago):
    case = intake()
    for username in ("outsider", "duty", "analyst"):
        with pytest.raises(Forbidden):
            services.case_accept(actor=personas[username], case=case, at=ago(minutes=5))
    services.case_accept(actor=personas["head"], case=case, at=ago(minutes=5))


def test_a_decision_cannot_predate_the_report(intake, personas, ago):
    case = intake(received_at=ago(hours=1))
    with pytest.raises(ValidationFailed) as exc:
        services.case_accept(actor=personas["officer1"], case=case, at=ago(hours=2))
    assert "at" in exc.value.fields


def test_the_received_date_filter_takes_whole_local_days(intake, personas):
    """Received 23:30 Beijing time on 20 Nov is a case of 20 Nov (15:30 UTC), one received ten
    minutes after midnight is one of the 21st."""
    from datetime import date, datetime
    from zoneinfo import ZoneInfo

    from casecenter.cases.selectors import case_list

    shanghai = ZoneInfo("Asia/Shanghai")
    late = intake(received_at=datetime(2026, 11, 20, 23, 30, tzinfo=shanghai))
    after = intake(received_at=datetime(2026, 11, 21, 0, 10, tzinfo=shanghai))
    on_20th = case_list(user=personas["officer1"], received_from=date(2026, 11, 20), received_to=date(2026, 11, 20))
    assert list(on_20th) == [late]
    assert list(case_list(user=personas["officer1"], received_from=date(2026, 11, 21))) == [after]


# --- the 24-hour transfer clock (刑规 175) ----------------------------------------------------------

@pytest.fixture
def transferred(intake, personas, ago):
    """A criminal case found not ours and transferred to 西城分局 three hours ago."""
    case = services.case_accept(actor=personas["officer1"], case=intake(received_at=ago(hours=5)), at=ago(hours=4))
    return services.case_transfer(actor=personas["officer1"], case=case, decided_by=personas["chief"],
                                  decided_at=ago(hours=3), receiving_organ="西城分局", reason="不属于本局管辖")


def _transfer_clock(case):
    return Deadline.objects.for_subject(case).get(rule_id="case-transfer")


def test_the_transfer_decision_starts_the_24_hour_clock_for_the_cases_officers(transferred, personas):
    from datetime import timedelta

    decided_at = transferred.status_changed_at
    transfer = _transfer_clock(transferred)
    assert transfer.state == DeadlineState.RUNNING
    assert transfer.started_at == decided_at and transfer.due_at == decided_at + timedelta(hours=24)
    assert set(transfer.officers.all()) == {personas["officer1"], personas["officer2"]}
    assert transfer.case_id == str(transferred.pk) and "西城分局" in transfer.label
    assert_records("deadlines.deadline.started", subject=transfer, data={"rule": "case-transfer"})


def test_an_administrative_case_transferred_runs_its_own_24_hour_clock(intake, brawl, personas, ago):
    """行规 61: an administrative case not ours goes to the competent unit within 24 hours (the
    criminal rule, 刑规 175, is not its basis)."""
    case = intake(kind="administrative", cause=brawl, officers=[personas["officer1"]], received_at=ago(hours=5))
    case = services.case_accept(actor=personas["officer1"], case=case, at=ago(hours=4))
    case = services.case_transfer(actor=personas["officer1"], case=case, decided_by=personas["chief"],
                                  decided_at=ago(hours=3), receiving_organ="西城派出所", reason="不属于本所管辖")
    (transfer,) = [d for d in Deadline.objects.for_subject(case) if "transfer" in d.rule_id]
    assert transfer.rule_id == "administrative-case-transfer" and transfer.state == DeadlineState.RUNNING
    case = services.case_transfer_delivered(actor=personas["officer1"], case=case, at=ago(hours=1), receipt="回执 7")
    transfer.refresh_from_db()
    assert transfer.state == DeadlineState.MET


def test_the_handover_meets_the_transfer_clock_and_is_recorded(transferred, personas, ago):
    mark, at = last_event_id(), ago(hours=1)
    case = services.case_transfer_delivered(actor=personas["officer2"], case=transferred, at=at,
                                            receipt="西城分局回执 2026-118", note="材料三册")
    transfer = _transfer_clock(case)
    assert transfer.state == DeadlineState.MET and transfer.ended_at == at
    assert transfer.end_note == "西城分局回执 2026-118"
    assert_records("cases.case.transfer_delivered", after=mark, subject=case, case=case,
                   actor=personas["officer2"], data={"receipt": "西城分局回执 2026-118", "note": "材料三册",
                                                     "late": False})
    assert_records("deadlines.deadline.met", after=mark, subject=transfer)
    with pytest.raises(Conflict) as exc:  # recorded once
        services.case_transfer_delivered(actor=personas["officer2"], case=case, at=ago(minutes=30), receipt="x")
    assert "status" in exc.value.fields


def test_a_handover_after_24_hours_ends_the_clock_as_breached(intake, personas, ago):
    case = services.case_accept(actor=personas["officer1"], case=intake(received_at=ago(hours=40)), at=ago(hours=39))
    case = services.case_transfer(actor=personas["officer1"], case=case, decided_by=personas["chief"],
                                  decided_at=ago(hours=30), receiving_organ="西城分局", reason="不属于本局管辖")
    mark = last_event_id()
    services.case_transfer_delivered(actor=personas["officer1"], case=case, at=ago(hours=2), receipt="回执 7")
    assert _transfer_clock(case).state == DeadlineState.BREACHED
    assert_records("cases.case.transfer_delivered", after=mark, subject=case, data={"late": True})


def test_the_handover_is_refused_on_a_case_not_transferred(filed_case, personas, ago):
    with pytest.raises(Conflict) as exc:
        services.case_transfer_delivered(actor=personas["officer1"], case=filed_case, at=ago(hours=1), receipt="x")
    assert "status" in exc.value.fields and "filed" in exc.value.message


@pytest.mark.parametrize("field,overrides", [
    ("receipt", {"receipt": "  "}),
    ("at", {"hours": 4}),         # before the decision
    ("at", {"hours": -2}),        # in the future
    ("note", {"note": "x" * 501}),
])
def test_the_handover_refuses_bad_input_naming_the_field(field, overrides, transferred, personas, ago):
    hours = overrides.pop("hours", 1)
    values = {"receipt": "回执 1", "note": "", **overrides}
    with pytest.raises(ValidationFailed) as exc:
        services.case_transfer_delivered(actor=personas["officer1"], case=transferred, at=ago(hours=hours),
                                         **values)
    assert field in exc.value.fields
    assert _transfer_clock(transferred).state == DeadlineState.RUNNING


def test_only_the_officers_and_the_heads_above_record_the_handover(transferred, personas, ago):
    with pytest.raises(Forbidden):
        services.case_transfer_delivered(actor=personas["outsider"], case=transferred, at=ago(hours=1), receipt="x")


def test_a_transferred_case_is_archived_only_after_the_handover(transferred, personas, ago):
    with pytest.raises(Conflict) as exc:
        services.case_archive(actor=personas["officer1"], case=transferred, at=ago(hours=2))
    assert "status" in exc.value.fields and "handover" in exc.value.message
    services.case_transfer_delivered(actor=personas["officer1"], case=transferred, at=ago(hours=2), receipt="回执 3")
    mark = last_event_id()
    case = services.case_archive(actor=personas["officer1"], case=transferred, at=ago(hours=1))
    assert case.status == CaseStatus.ARCHIVED
    assert_records("cases.case.archived", after=mark, subject=case)
