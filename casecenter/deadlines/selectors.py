"""Reads of deadlines and alerts. Which clocks a user sees is decided here, once: those of the
units the user sees (``accounts.selectors.visible_units``)."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from casecenter.accounts.selectors import visible_units
from casecenter.core.errors import NotFound

from . import calendar_cache, computation, rules
from .models import Alert, AlertLevel, AlertRecipient, AlertState, Deadline, DeadlineState


def rule_for(deadline: Deadline) -> rules.Rule:
    """The version of the deadline's rule that was in force when its clock started."""
    return rules.catalog().resolve(deadline.rule_id, deadline.started_at)


def computation_for(deadline: Deadline, *, extra_pause=None, extra_tier: str | None = None,
                    now: datetime | None = None) -> computation.Computation:
    """The computation behind the stored due time (and the explanation), from the rule and the
    clock's history; ``extra_*`` try a change before it is saved."""
    pauses = [(p.started_at, p.ended_at) for p in deadline.pauses.all()]
    if extra_pause is not None:
        pauses.append(extra_pause)
    tiers = [e.tier for e in deadline.extensions.all()]
    if extra_tier is not None:
        tiers.append(extra_tier)
    return computation.compute(rule_for(deadline), started_at=deadline.started_at, held=deadline.person_held,
                               pauses=pauses, extensions=tiers, calendar=calendar_cache.current(), now=now)


def deadline_list(*, user, state: str | None = None, rule_id: str | None = None, due_before: datetime | None = None,
                  case_id: str | None = None, person_id: str | None = None, open_only: bool = False,
                  officer=None, unit=None) -> QuerySet[Deadline]:
    """The clocks ``user`` sees, soonest first; ``officer``: only those that officer answers for."""
    deadlines = Deadline.objects.filter(unit__in=visible_units(user)).select_related("unit", "subject_type")
    if officer is not None:
        deadlines = deadlines.filter(officers=officer)
    if unit is not None:
        deadlines = deadlines.filter(unit=unit)
    if open_only:
        deadlines = deadlines.open()
    if state:
        deadlines = deadlines.filter(state=state)
    if rule_id:
        deadlines = deadlines.filter(rule_id=rule_id)
    if due_before is not None:
        deadlines = deadlines.filter(due_at__lt=due_before)
    if case_id:
        deadlines = deadlines.filter(case_id=case_id)
    if person_id:
        deadlines = deadlines.filter(person_id=person_id)
    return deadlines.order_by("due_at", "id")


def get_deadline_for_user(user, pk) -> Deadline:
    """The deadline, if the user sees its unit or was sent one of its alerts; NotFound otherwise
    (never "forbidden": whether a clock exists in another unit is not the user's to know)."""
    # Those an alert of the clock was routed to see it too (supervision above the unit's tree).
    deadline = None
    if str(pk).isdigit():
        seen = Q(unit__in=visible_units(user)) | Q(pk__in=AlertRecipient.objects.filter(
            user=user, alert__deadline_id=pk).values("alert__deadline_id"))
        deadline = (Deadline.objects.filter(seen, pk=pk).select_related("unit", "subject_type")
                    .prefetch_related("pauses", "extensions__approved_by", "officers").first())
    if deadline is None:
        raise NotFound(_("No such deadline."))
    return deadline


#: The alert list's state filter for alerts still to be dealt with (open or acknowledged).
UNRESOLVED = "unresolved"


def alert_list(*, user, scope: str = "mine", level: str | None = None, state: str | None = None,
               unread: bool = False, unit=None) -> QuerySet[Alert]:
    """The alerts routed to ``user`` (scope "mine"), or every alert of the units the user sees
    (scope "units", for heads and supervision). Each row carries ``unread`` for this user.
    ``state`` ``"unresolved"``: open or acknowledged."""
    mine = AlertRecipient.objects.filter(alert=OuterRef("pk"), user=user)
    alerts = Alert.objects.annotate(
        routed=Exists(mine), unread=Exists(mine.filter(read_at__isnull=True)))
    # "units": every alert of the units the user sees; "mine": those routed to the user.
    alerts = alerts.filter(deadline__unit__in=visible_units(user)) if scope == "units" else alerts.filter(routed=True)
    if level:
        alerts = alerts.filter(level=level)
    if state == UNRESOLVED:
        alerts = alerts.exclude(state=AlertState.RESOLVED)
    elif state:
        alerts = alerts.filter(state=state)
    if unread:
        alerts = alerts.filter(unread=True)
    if unit is not None:
        alerts = alerts.filter(deadline__unit=unit)
    return alerts.select_related("deadline", "deadline__unit").order_by("-raised_at", "-id")


def alerts_by_unit(*, user) -> list[dict]:
    """Supervision's view of the units it sees: per unit, the clocks in breach and the clocks
    warned (not in breach) whose alerts are not resolved yet; the units with the most breaches
    first. One query, grouped in the database."""
    rows = (Alert.objects.filter(deadline__unit__in=visible_units(user)).exclude(state=AlertState.RESOLVED)
            .filter(Q(level=AlertLevel.BREACH) | ~Q(deadline__state=DeadlineState.BREACHED))
            .values("deadline__unit_id", "deadline__unit__name", "deadline__unit__path", "level")
            .annotate(clocks=Count("deadline", distinct=True)).order_by())
    units: dict[int, dict] = {}
    for row in rows:
        unit = units.setdefault(row["deadline__unit_id"], {
            "id": row["deadline__unit_id"], "name": row["deadline__unit__name"], "path": row["deadline__unit__path"],
            "breaches": 0, "warnings": 0})
        unit["breaches" if row["level"] == AlertLevel.BREACH else "warnings"] += row["clocks"]
    return sorted(units.values(), key=lambda u: (-u["breaches"], -u["warnings"], u["path"]))


def get_alert_for_user(user, pk) -> Alert:
    alert = None
    if str(pk).isdigit():
        alert = (Alert.objects.filter(pk=pk).filter(
            Q(recipients__user=user) | Q(deadline__unit__in=visible_units(user)))
            .select_related("deadline", "deadline__unit", "acknowledged_by", "resolved_by").distinct().first())
    if alert is None:
        raise NotFound(_("No such alert."))
    return alert


def unread_count(user) -> int:
    """The shell's badge: alerts routed to the user, not yet read, not resolved."""
    if not (user and user.is_authenticated):
        return 0
    return (AlertRecipient.objects.filter(user=user, read_at__isnull=True)
            .exclude(alert__state=AlertState.RESOLVED).count())
