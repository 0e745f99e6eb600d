from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    name = "casecenter.ledger"
    label = "ledger"
    verbose_name = _("Whole-process record")

    def ready(self):
        from . import triggers

        # ``migrate`` and ``flush`` both end with post_migrate: re-create any refusing trigger that
        # is missing, so that a trigger dropped by hand (or lifted for a test flush) comes back.
        post_migrate.connect(triggers.reinstall_after_migrate, sender=self)
