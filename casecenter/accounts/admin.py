"""The Django admin, kept for the catalogues only: case causes, the holiday calendar, dictionary
words (each registered by its app with :class:`RoleModelAdmin`). Units, accounts, roles and tokens
are managed on the application's own pages (``views/units.py``, ``views/users.py``,
``views/security.py``), never here.

Separation of duties (三员): the configuration administrators reach it; the audit administrator
has no admin page at all. Every save goes through the owning app's services.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin import AdminSite
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from casecenter.core.errors import ApplicationError

from .roles import Role


class CasecenterAdminSite(AdminSite):
    site_header = _("Case-handling management centre administration")
    site_title = _("Case-handling management centre administration")
    index_title = _("Catalogues")

    def has_permission(self, request):
        user = request.user
        return user.is_active and user.is_authenticated and user.has_role(Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN)

    def password_change(self, request, extra_context=None):
        return redirect("accounts:password_change")  # the one password page, with its validation and record

    def login(self, request, extra_context=None):
        # One sign-in for the whole system, with its second factor; the admin has no login of its own.
        return redirect_to_login(request.get_full_path())


site = CasecenterAdminSite(name="admin")


class RoleModelAdmin(admin.ModelAdmin):
    """Permissions by role instead of Django's per-model permissions."""

    view_roles: frozenset = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN})
    change_roles: frozenset = frozenset({Role.SYSTEM_ADMIN})

    def has_module_permission(self, request):
        return request.user.has_role(*self.view_roles)

    def has_view_permission(self, request, obj=None):
        return request.user.has_role(*self.view_roles)

    def has_add_permission(self, request):
        return request.user.has_role(*self.change_roles)

    def has_change_permission(self, request, obj=None):
        return request.user.has_role(*self.change_roles)

    def has_delete_permission(self, request, obj=None):
        return False  # nothing is deleted: units and accounts are deactivated, their records stay

    def _service(self, request, call):
        try:
            return call()
        except ApplicationError as exc:
            self.message_user(request, exc.message, level=messages.ERROR)
            raise
