"""How the events and the clocks of cases are told, in the reader's language: the ledger's sentences,
the time each event happened (its own time, not when it was recorded), and the titles, notes and
links of the clocks that cases start (registered with the deadlines app, which cannot import
cases)."""

from django.utils.translation import gettext_lazy as _

#: A measure's clock: {"person": name, "kind": MeasureKind} → "张三丰 刑事拘留".
MEASURE_CLOCK_TITLE = "cases.measure"
#: A clock met by a decision on its case: {"status": CaseStatus} → "已立案".
CASE_DECISION_NOTE = "cases.decision"

DESCRIPTIONS = {
    "cases.cause.saved": _("{actor} saved the case cause {code} {name}"),
    "cases.number_pattern.saved": _("{actor} set the case-number pattern {pattern} (prefix {prefix})"),
    "cases.case.received": _("{actor} registered the case {number} ({source})"),
    "cases.case.accepted": _("{actor} accepted the case"),
    "cases.case.filed": _("{actor} recorded the decision to file the case"),
    "cases.case.not_filed": _("{actor} recorded the decision not to file the case: {note}"),
    "cases.case.transferred": _("{actor} recorded the transfer of the case to {receiving_organ}: {note}"),
    "cases.case.investigation_started": _("{actor} started the investigation"),
    "cases.case.prosecution_transferred": _("{actor} recorded the transfer for prosecution"),
    "cases.case.withdrawn": _("{actor} recorded the withdrawal of the case: {note}"),
    "cases.case.decided": _("{actor} recorded the administrative decision: {note}"),
    "cases.case.archived": _("{actor} archived the case"),
    "cases.case.transfer_delivered": _("{actor} recorded the handover of the case at {at} (receipt: {receipt})"),
    "cases.party.added": _("{actor} added a party as {role}"),
    "cases.party.removed": _("{actor} removed a party ({role}): {reason}"),
    "cases.measure.started": _("{actor} recorded the measure {kind} from {started_at}"),
    "cases.measure.approved": _("{actor} recorded the approval of the measure {kind}"),
    "cases.measure.refused": _("{actor} recorded the refusal of the measure {kind}: {reason}"),
    "cases.measure.ended": _("{actor} ended the measure {kind} at {at}: {reason}"),
    "cases.measure.converted": _("{actor} converted the measure {kind} into {into} at {at}"),
}


def _labels():
    from .models import CaseKind, CaseSource, MeasureKind, PartyRole

    def label(*choice_sets):
        def show(value):
            for choices in choice_sets:
                if value in choices.values:
                    return str(choices(value).label)
            return str(value)  # another app's code under the same fact name reads as recorded
        return show

    def local_time(value) -> str:  # an instant recorded as ISO-8601, read in local time to the minute
        from datetime import datetime

        from django.utils import timezone

        try:
            return timezone.localtime(datetime.fromisoformat(str(value))).strftime("%Y-%m-%d %H:%M")
        except (TypeError, ValueError):
            return str(value)

    return {"source": label(CaseSource), "role": label(PartyRole), "into": label(MeasureKind),
            "kind": label(MeasureKind, CaseKind), "started_at": local_time}


#: When each event happened, by the fact that holds it (a measure recorded in the afternoon may
#: have started in the morning).
OCCURRED = {
    "cases.case.received": "received_at", "cases.case.transfer_delivered": "at",
    "cases.measure.started": "started_at", "cases.measure.ended": "at", "cases.measure.converted": "at",
    **{f"cases.case.{verb}": "at" for verb in (
        "accepted", "filed", "not_filed", "transferred", "investigation_started", "prosecution_transferred",
        "withdrawn", "decided", "archived")},
}


def register() -> None:
    from casecenter.ledger import describe

    describe.register(DESCRIPTIONS, _labels(), occurred=OCCURRED)


def _measure_clock_title(params: dict) -> str:
    from .models import MeasureKind

    return f"{params['person']} {MeasureKind(params['kind']).label}"


def _decision_note(params: dict) -> str:
    from .models import CaseStatus

    return str(CaseStatus(params["status"]).label)


def _case_links(ids) -> dict:
    from django.urls import reverse

    from casecenter.deadlines.subjects import Link

    from .models import Case

    return {str(pk): Link(number, reverse("cases:detail", args=[pk]))
            for pk, number in Case.objects.filter(pk__in=[i for i in ids if i.isdigit()]).values_list("pk", "number")}


def _person_links(ids) -> dict:
    from django.urls import reverse

    from casecenter.deadlines.subjects import Link
    from casecenter.people.models import Person

    return {str(pk): Link(name, reverse("people:detail", args=[pk]))
            for pk, name in Person.objects.filter(pk__in=[i for i in ids if i.isdigit()]).values_list("pk", "name")}


def register_clocks() -> None:
    """Lend the deadlines app the words and links of the clocks cases start (deadlines/subjects.py):
    it sits below cases and people and cannot import them."""
    from casecenter.deadlines import subjects

    subjects.register_text(MEASURE_CLOCK_TITLE, _measure_clock_title)
    subjects.register_text(CASE_DECISION_NOTE, _decision_note)
    subjects.register_links("case", _case_links)
    subjects.register_links("person", _person_links)
