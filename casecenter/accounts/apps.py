from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "casecenter.accounts"
    label = "accounts"
    verbose_name = _("Accounts and units")

    def ready(self):
        from django.utils.translation import gettext_lazy

        from casecenter.ledger import describe, names

        from . import holdings, schema  # noqa: F401  (schema: the OpenAPI description of token auth)
        from .roles import Role

        def role_label(code) -> str:
            return str(Role(code).label) if code in Role.values else str(code)

        # The record keeps role codes; the audit pages show them by their translated names.
        describe.register({
            "accounts.totp.reset": gettext_lazy("{actor} reset the authenticator of {username} ({reason})"),
            "accounts.user.unlocked": gettext_lazy("{actor} unlocked the account {username}"),
            "accounts.unit.deactivated": gettext_lazy("{actor} deactivated the unit {name} ({code})"),
            "accounts.unit.reactivated": gettext_lazy("{actor} reactivated the unit {name} ({code})"),
        }, labels={"granted": role_label, "revoked": role_label, "roles": role_label})
        # The audit filters find people and units with the administration's pickers.
        names.register_picker("actor", "accounts:user_picker")
        names.register_picker("unit", "accounts:unit_picker")
