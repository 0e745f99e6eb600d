"""Forms of the deadline pages. Each refuses bad input with a field error (never a 500); the rules
themselves (which pause, which extension, who approves) are the services' to enforce."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.utils.translation import gettext_lazy as _

from casecenter.accounts.models import User
from casecenter.accounts.roles import EXTERNAL_ROLES
from casecenter.accounts.selectors import visible_units
from casecenter.core.display import labelled

from .models import AlertLevel, AlertState, DeadlineState


def _local_datetime(label):
    return forms.DateTimeField(label=label, widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                                       format="%Y-%m-%dT%H:%M"),
                               input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"])


class ErrorSummary:
    """Bootstrap classes on every widget, and the errors as one list with each field's label."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if not isinstance(field.widget, forms.Select | forms.CheckboxInput):
                field.widget.attrs.setdefault("class", "form-control form-control-sm")

    def error_summary(self) -> list[str]:
        for name in self.errors:
            if name in self.fields and not isinstance(self.fields[name].widget, forms.Select):
                self.fields[name].widget.attrs["class"] = "form-control form-control-sm is-invalid"
        return [labelled(self.fields[name].label if name in self.fields else "", message)
                for name, messages in self.errors.items() for message in messages]


#: The due-time windows of the deadline list (``?due=24h``: due within a day, overdue included).
DUE_WINDOWS = {"24h": timedelta(hours=24), "overdue": timedelta(0)}


class DeadlineFilterForm(ErrorSummary, forms.Form):
    state = forms.ChoiceField(label=_("State"), required=False,
                              choices=[("", _("Open (running, paused, breached)")), ("all", _("All")),
                                       *DeadlineState.choices])
    due = forms.ChoiceField(label=_("Due"), required=False,
                            choices=[("", _("Any time")), ("24h", _("Within 24 hours, or overdue")),
                                     ("overdue", _("Overdue"))])
    officer = forms.ChoiceField(label=_("Responsible"), required=False,
                                choices=[("", _("Anyone")), ("me", _("Me"))])
    rule = forms.CharField(label=_("Rule"), max_length=64, required=False)
    case = forms.CharField(label=_("Case"), max_length=64, required=False)

    def selector_filters(self, *, user, now) -> dict:
        data = self.cleaned_data
        state = data["state"]
        # A due window asks for the clocks still to act on: open ones, unless a state is chosen.
        return {"state": state if state not in ("", "all") else None, "open_only": state == "",
                "rule_id": data["rule"].strip() or None, "case_id": data["case"].strip() or None,
                "due_before": now + DUE_WINDOWS[data["due"]] if data["due"] else None,
                "officer": user if data["officer"] == "me" else None}


class AlertFilterForm(ErrorSummary, forms.Form):
    scope = forms.ChoiceField(label=_("Show"), required=False,
                              choices=[("mine", _("Routed to me")), ("units", _("All in my units"))])
    level = forms.ChoiceField(label=_("Level"), required=False, choices=[("", _("Any")), *AlertLevel.choices])
    state = forms.ChoiceField(label=_("State"), required=False,
                              choices=[("", _("Any")), ("unresolved", _("Not resolved")), *AlertState.choices])
    unit = forms.ChoiceField(label=_("Unit"), required=False)
    unread = forms.BooleanField(label=_("Unread only"), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", _("Any")), *[
            (str(pk), name) for pk, name in visible_units(user).order_by("path").values_list("pk", "name")]]

    def selector_filters(self) -> dict:
        data = self.cleaned_data
        return {"scope": data["scope"] or "mine", "level": data["level"] or None, "state": data["state"] or None,
                "unread": data["unread"], "unit": int(data["unit"]) if data["unit"] else None}


class PauseForm(ErrorSummary, forms.Form):
    kind = forms.ChoiceField(label=_("Reason the law excludes the time"))
    at = _local_datetime(_("Paused from"))
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args, rule=None, **kwargs):
        super().__init__(*args, **kwargs)
        pauses = rule.pauses if rule else ()
        self.fields["kind"].choices = [(p.id, p.name_zh if _is_zh() else p.name_en) for p in pauses]


class ResumeForm(ErrorSummary, forms.Form):
    at = _local_datetime(_("Resumed at"))


class ExtendForm(ErrorSummary, forms.Form):
    tier = forms.ChoiceField(label=_("Extension"))
    approver = forms.ModelChoiceField(label=_("Approved by"), queryset=User.objects.none(), required=False)
    approver_name = forms.CharField(label=_("Or the approving body, as on its decision"), max_length=200,
                                    required=False, help_text=_("For a procuratorate's decision: 某某人民检察院"))
    approved_at = _local_datetime(_("Approved at"))
    reference = forms.CharField(label=_("Approval document number"), max_length=100)
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)

    def __init__(self, *args, rule=None, unit=None, **kwargs):
        super().__init__(*args, **kwargs)
        tiers = rule.extensions if rule else ()
        self.fields["tier"].choices = [(t.id, t.name_zh if _is_zh() else t.name_en) for t in tiers]
        roles = {t.approval_role for t in tiers}
        police = User.objects.filter(is_active=True, role_grants__role__in=roles - set(EXTERNAL_ROLES))
        if unit is not None:  # the heads of the clock's unit and of the units above it
            ancestors = [p for p in unit.path.split(".") if p]
            paths = [".".join(ancestors[:i]) + "." for i in range(1, len(ancestors) + 1)]
            police = police.filter(unit__path__in=paths)
        outside = User.objects.filter(is_active=True, role_grants__role__in=roles & set(EXTERNAL_ROLES))
        self.fields["approver"].queryset = (police | outside).distinct().order_by("full_name")

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("approver") and not (cleaned.get("approver_name") or "").strip():
            self.add_error("approver", _("Choose who approved the extension, or name the approving body."))
        return cleaned


class MeetForm(ErrorSummary, forms.Form):
    at = _local_datetime(_("Done at"))
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class CancelForm(ErrorSummary, forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500)


class AlertNoteForm(ErrorSummary, forms.Form):
    note = forms.CharField(label=_("Note"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


def _is_zh() -> bool:
    from django.utils.translation import get_language

    return (get_language() or "").startswith("zh")
