from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def register_statuses() -> None:
    """The families of the case's and the measure's states (core/status.py): one colour per family."""
    from casecenter.core import status

    from .models import CaseStatus, MeasureStatus

    status.register("case", CaseStatus, {
        "received": "waiting", "accepted": "active", "filed": "active", "investigating": "active",
        "not_filed": "done", "transferred": "done", "prosecution": "done", "withdrawn": "done", "decided": "done",
        "archived": "archived"})
    status.register("measure", MeasureStatus, {
        "pending": "waiting", "active": "active", "ended": "done", "converted": "done", "refused": "refused"})


class CasesConfig(AppConfig):
    name = "casecenter.cases"
    label = "cases"
    verbose_name = _("Cases")

    def ready(self):
        from django.utils.translation import ngettext

        from casecenter.accounts import holdings
        from casecenter.people import panels as people_panels

        from . import admin, describe, documents, loader  # noqa: F401  (admin: the case-cause catalogue's page)

        describe.register()
        describe.register_clocks()
        documents.register_kind()
        register_statuses()
        people_panels.register("cases:person_panel")  # the dossier's cases and measures
        # A unit that still owns open cases is not deactivated (accounts/holdings.py).
        holdings.register("cases.open_cases", count=lambda unit: unit.cases.open().count(),
                          describe=lambda n: ngettext("%(count)d open case", "%(count)d open cases", n) % {"count": n})

        # sender=self: once, after the case tables exist (see deadlines/apps.py).
        post_migrate.connect(loader.load_causes_after_migrate, sender=self,
                             dispatch_uid="cases.load_causes_after_migrate")
