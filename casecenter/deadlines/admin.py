"""The calendar in the administration (system administrator writes; security administrator reads).

A year and its days are saved together through ``services.calendar.calendar_year_save``, so that
each save is one ledger event with the whole list of days, exactly as the API records it.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.forms.models import BaseInlineFormSet

from casecenter.accounts.admin import RoleModelAdmin, site
from casecenter.accounts.roles import Role
from casecenter.core.errors import ApplicationError

from .models import CalendarDay, CalendarYear
from .services import calendar as calendar_services


def _days(formset) -> list[dict]:
    days = []
    for day_form in formset.forms:
        data = getattr(day_form, "cleaned_data", None)
        if data and not data.get("DELETE") and data.get("date"):
            days.append({"date": data["date"], "kind": data["kind"], "name": data.get("name", "")})
    return days


class CalendarDayFormSet(BaseInlineFormSet):
    def clean(self):
        """The service's rules, shown on the form (a refusal at save time would be a server error)."""
        super().clean()
        year = getattr(self.instance, "year", None)
        if year and not any(self.errors):
            try:
                calendar_services.clean_days(year, _days(self))
            except ApplicationError as exc:
                raise forms.ValidationError(exc.message) from None


class CalendarDayInline(admin.TabularInline):
    model = CalendarDay
    formset = CalendarDayFormSet
    fields = ["date", "kind", "name"]
    extra = 3

    def has_view_permission(self, request, obj=None):
        return request.user.has_role(Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN)

    def has_add_permission(self, request, obj=None):
        return request.user.has_role(Role.SYSTEM_ADMIN)

    def has_change_permission(self, request, obj=None):
        return request.user.has_role(Role.SYSTEM_ADMIN)

    def has_delete_permission(self, request, obj=None):
        return request.user.has_role(Role.SYSTEM_ADMIN)


class CalendarYearAdmin(RoleModelAdmin):
    list_display = ["year", "source", "entered_at"]
    fields = ["year", "source"]
    inlines = [CalendarDayInline]

    def get_readonly_fields(self, request, obj=None):
        return ["year"] if obj is not None else []  # a year is corrected, never renumbered

    def save_model(self, request, obj, form, change):
        pass  # saved with its days in save_related, through the service

    def save_related(self, request, form, formsets, change):
        days = []
        for formset in formsets:
            days += _days(formset)
            # Django's change message reads these after a formset.save() that the service replaces.
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        obj = form.instance
        saved = calendar_services.calendar_year_save(
            actor=request.user, year=obj.year, source=obj.source, days=days, replace=change, request=request)
        obj.pk, obj.entered_at = saved.pk, saved.entered_at

    def has_delete_permission(self, request, obj=None):
        return False  # an entered year is corrected, not removed: computations report missing years


site.register(CalendarYear, CalendarYearAdmin)
