"""The administration pages' tabs: each shown only to the administrators the access matrix lets in."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ..access import is_allowed
from ..selectors import token_warning_horizon

register = template.Library()

TABS = [
    ("accounts:administration", _("Overview"), "gear", ("accounts:administration",)),
    ("accounts:units", _("Units"), "diagram-3", ("accounts:unit",)),
    ("accounts:users", _("Accounts"), "people", ("accounts:user",)),
    ("accounts:tokens", _("API tokens"), "key", ("accounts:token", "accounts:admin_token")),
    ("admin:index", _("Catalogues"), "list-ul", ("admin:",)),
]


@register.inclusion_tag("accounts/admin/_tabs.html", takes_context=True)
def admin_tabs(context):
    request = context["request"]
    current = request.resolver_match.view_name if request.resolver_match else ""
    tabs = [{"url": reverse(name), "label": label, "icon": icon,
             "active": any(current.startswith(prefix) for prefix in prefixes)}
            for name, label, icon, prefixes in TABS if is_allowed(request.user, name)]
    return {"tabs": tabs}


@register.filter
def expires_soon(token) -> bool:
    """A usable token within the warning period before its expiry (CASECENTER_API_TOKEN_WARNING_DAYS)."""
    return token.expires_at <= token_warning_horizon()
