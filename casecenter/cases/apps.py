from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "casecenter.cases"
    label = "cases"
    verbose_name = _("Cases")

    def ready(self):
        from casecenter.people import panels as people_panels

        from . import admin, describe, documents, loader  # noqa: F401  (admin: the case-cause catalogue's page)

        describe.register()
        documents.register_kind()
        people_panels.register("cases:person_panel")  # the dossier's cases and measures

        # sender=self: once, after the case tables exist (see deadlines/apps.py).
        post_migrate.connect(loader.load_causes_after_migrate, sender=self,
                             dispatch_uid="cases.load_causes_after_migrate")
