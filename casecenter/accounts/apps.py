from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "casecenter.accounts"
    label = "accounts"
    verbose_name = _("Accounts and units")

    def ready(self):
        from . import schema  # noqa: F401  (registers the OpenAPI description of token auth)
