"""The case-cause catalogue in the administration: the system administrator adds and renames
causes (through ``services.causes.cause_save``, one ledger event each); shipped causes are loaded
from ``data/causes.toml``. Nothing is deleted: a cause no longer used is made inactive."""

from __future__ import annotations

from casecenter.accounts.admin import RoleModelAdmin, site

from .models import CaseCause
from .services import causes as cause_services


class CaseCauseAdmin(RoleModelAdmin):
    list_display = ["code", "name", "kind", "shipped", "active"]
    list_filter = ["kind", "shipped", "active"]
    search_fields = ["code", "name"]
    fields = ["code", "name", "kind", "active"]

    def get_readonly_fields(self, request, obj=None):
        return ["code", "kind"] if obj is not None else []  # a code keeps its meaning

    def save_model(self, request, obj, form, change):
        saved = self._service(request, lambda: cause_services.cause_save(
            actor=request.user, code=obj.code, name=obj.name, kind=obj.kind, active=obj.active,
            request=request))
        obj.pk = saved.pk


site.register(CaseCause, CaseCauseAdmin)
