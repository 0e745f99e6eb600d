from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "casecenter.accounts"
    label = "accounts"
    verbose_name = _("Accounts and units")

    def ready(self):
        from casecenter.ledger import describe

        from . import schema  # noqa: F401  (registers the OpenAPI description of token auth)
        from .roles import Role

        def role_label(code) -> str:
            return str(Role(code).label) if code in Role.values else str(code)

        # The record keeps role codes; the audit pages show them by their translated names.
        describe.register({}, labels={"granted": role_label, "revoked": role_label, "roles": role_label})
