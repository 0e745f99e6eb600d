from django.apps import AppConfig
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

        from . import admin, checks, describe, loader  # noqa: F401  (admin: the calendar's page)

        checks.register()
        describe.register()
        register_statuses()
        ledger_describe.register({
            "deadlines.calendar.year_entered": _("{actor} entered the public holidays of {year} ({source})"),
            "deadlines.calendar.year_replaced": _("{actor} replaced the public holidays of {year} ({source})"),
            "deadlines.calendar.day_removed": _("{actor} removed {date} ({name}) from the calendar of {year}"),
        })
        # sender=self: once, after the deadline tables exist (see law/apps.py).
        post_migrate.connect(loader.load_calendar_after_migrate, sender=self,
                             dispatch_uid="deadlines.load_calendar_after_migrate")
