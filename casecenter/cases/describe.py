"""How the ledger's timeline tells the events of cases, in the reader's language."""

from django.utils.translation import gettext_lazy as _

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


def register() -> None:
    from casecenter.ledger import describe

    describe.register(DESCRIPTIONS, _labels())
