from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    name = "casecenter.ledger"
    label = "ledger"
    verbose_name = _("Whole-process record")

    def ready(self):
        from django.utils.translation import gettext_lazy

        from . import describe, triggers

        describe.register({
            "ledger.verification.started": gettext_lazy("{actor} started a verification of the whole record"),
            "ledger.verification.finished": gettext_lazy(
                "Verification of the whole record: {events} events checked, {findings} findings"),
        })

        # ``migrate`` and ``flush`` both end with post_migrate: re-create any refusing trigger that
        # is missing, so that a trigger dropped by hand (or lifted for a test flush) comes back.
        post_migrate.connect(triggers.reinstall_after_migrate, sender=self)
