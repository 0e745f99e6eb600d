from django.apps import AppConfig
from django.conf import settings
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def register_statuses() -> None:
    """The families of a clock's and an alert's states (core/status.py): one colour per family."""
    from casecenter.core import status

    from .models import AlertLevel, AlertState, DeadlineState

    status.register("clock", DeadlineState, {
        "running": "active", "paused": "waiting", "met": "done", "breached": "refused", "cancelled": "archived"})
    status.register("alert_level", AlertLevel, {"warning": "waiting", "breach": "refused"})
    status.register("alert", AlertState, {"open": "waiting", "acknowledged": "active", "resolved": "done"})


class DeadlinesConfig(AppConfig):
    name = "casecenter.deadlines"
    label = "deadlines"
    verbose_name = _("Legal time limits")

    def ready(self):
        from casecenter.ledger import describe as ledger_describe

        from . import admin, checks, describe  # noqa: F401  (admin: the calendar's page)

        checks.register()
        describe.register()
        register_statuses()
        ledger_describe.register({
            "deadlines.calendar.year_entered": _("{actor} entered the public holidays of {year} ({source})"),
            "deadlines.calendar.year_replaced": _("{actor} replaced the public holidays of {year} ({source})"),
            "deadlines.calendar.day_removed": _("{actor} removed {date} ({name}) from the calendar of {year}"),
        })
        # sender=self: once, after the deadline tables exist (see law/apps.py).
        post_migrate.connect(load_calendar_after_migrate, sender=self,
                             dispatch_uid="deadlines.load_calendar_after_migrate")


def load_calendar_after_migrate(sender, *, plan=None, using: str = "default", verbosity: int = 1, stdout=None,
                                **kwargs) -> None:
    """post_migrate receiver (see law/loader.py): a migrated database has the shipped holidays."""
    from django.db import connections

    from .models import CalendarYear

    if plan is None or using != "default" or not settings.CASECENTER.get("LOAD_CALENDAR_ON_MIGRATE", True):
        return
    if CalendarYear._meta.db_table not in connections[using].introspection.table_names():
        return
    from casecenter.ledger.sequencer import deferred

    from .services.calendar import load_shipped_calendar

    with deferred():
        years = load_shipped_calendar()
    if years and verbosity >= 1 and stdout is not None:
        stdout.write(f"  Entered the public holidays of {', '.join(map(str, years))}.")
