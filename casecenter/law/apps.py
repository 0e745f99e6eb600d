from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class LawConfig(AppConfig):
    name = "casecenter.law"
    label = "law"
    verbose_name = _("Statute library")

    def ready(self):
        from casecenter.ledger import describe

        from . import documents, loader

        documents.register_kind()
        describe.register({"law.version.loaded": _(
            "{actor} loaded {full_name} of {version_date} ({articles} articles, in force from {effective_date})")})
        # sender=self: post_migrate is sent once per app; this runs once, after the law tables exist.
        post_migrate.connect(loader.load_after_migrate, sender=self, dispatch_uid="law.load_after_migrate")
