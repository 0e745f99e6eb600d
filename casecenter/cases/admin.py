"""The case-cause catalogue in the administration: the system administrator adds and renames
causes (through ``services.causes.cause_save``, one ledger event each); shipped causes are loaded
from ``data/causes.toml``. Nothing is deleted: a cause no longer used is made inactive."""

from __future__ import annotations

from django import forms

from casecenter.accounts.admin import RoleModelAdmin, site
from casecenter.core.errors import ValidationFailed

from .models import CaseCause, CaseNumberPattern
from .numbering import check_pattern
from .services import causes as cause_services
from .services import patterns as pattern_services


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


class CaseNumberPatternForm(forms.ModelForm):
    class Meta:
        model = CaseNumberPattern
        fields = ["unit", "prefix", "pattern"]

    def clean(self):
        # The service's check, run here too so that the page shows the reason at its field.
        data = super().clean()
        if data.get("prefix") and data.get("pattern"):
            try:
                check_pattern(data["pattern"], data["prefix"])
            except ValidationFailed as exc:
                for field, errors in exc.fields.items():
                    self.add_error(field, errors)
        return data


class CaseNumberPatternAdmin(RoleModelAdmin):
    """How each unit numbers its cases (default: ``A`` + organ code + year + six-digit sequence)."""

    form = CaseNumberPatternForm
    list_display = ["unit", "prefix", "pattern"]
    search_fields = ["unit__name", "unit__code", "prefix"]

    def get_readonly_fields(self, request, obj=None):
        return ["unit"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        saved = self._service(request, lambda: pattern_services.number_pattern_save(
            actor=request.user, unit=obj.unit, prefix=obj.prefix, pattern=obj.pattern, request=request))
        obj.pk = saved.pk


site.register(CaseNumberPattern, CaseNumberPatternAdmin)
