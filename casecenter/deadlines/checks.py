"""Start-up checks: a bad rule catalog (or overrides file) stops ``check``, ``runserver`` and
``migrate`` with ``deadlines.E001``, naming the file, the rule and the field."""

from __future__ import annotations

from django.core import checks

from .loader import CatalogError


def check_rule_catalog(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    from . import rules

    try:
        rules.reload()
    except CatalogError as exc:
        return [checks.Error(str(exc), id="deadlines.E001",
                             hint="Correct the rule in casecenter/deadlines/data/rules.toml or in the file named by "
                                  "CASECENTER_DEADLINE_RULES_OVERRIDES.")]
    return []


def register() -> None:
    checks.register(check_rule_catalog, "deadlines")
