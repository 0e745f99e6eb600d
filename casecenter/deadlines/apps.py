from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class DeadlinesConfig(AppConfig):
    name = "casecenter.deadlines"
    label = "deadlines"
    verbose_name = _("Legal time limits")

    def ready(self):
        from casecenter.ledger import describe as ledger_describe

        from . import admin, checks, describe, loader  # noqa: F401  (admin: the calendar's page)

        checks.register()
        describe.register()
        ledger_describe.register({
            "deadlines.calendar.year_entered": _("{actor} entered the public holidays of {year} ({source})"),
            "deadlines.calendar.year_replaced": _("{actor} replaced the public holidays of {year} ({source})"),
            "deadlines.calendar.day_removed": _("{actor} removed {date} ({name}) from the calendar of {year}"),
        })
        # sender=self: once, after the deadline tables exist (see law/apps.py).
        post_migrate.connect(loader.load_calendar_after_migrate, sender=self,
                             dispatch_uid="deadlines.load_calendar_after_migrate")
