"""Forms of the case pages. Each refuses malformed input with a field error; the rules themselves
(who decides, which transition, which conversion) are the services' to enforce."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from casecenter.accounts.models import Unit, User
from casecenter.accounts.roles import Role
from casecenter.accounts.selectors import visible_units
from casecenter.deadlines.forms import ErrorSummary
from casecenter.people.models import Person

from .models import BailForm, Case, CaseCause, CaseKind, CaseSource, CaseStatus, MeasureKind, PartyRole


def _local_datetime(label, required=True):
    return forms.DateTimeField(label=label, required=required,
                               widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
                               input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"])


ANY = _("Any")


def _blank(choices, label=ANY):
    return [("", label), *choices]


class CaseFilterForm(ErrorSummary, forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False, choices=_blank(CaseStatus.choices))
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=_blank(CaseKind.choices))
    cause = forms.ChoiceField(label=_("Case cause"), required=False)
    unit = forms.ChoiceField(label=_("Unit"), required=False)
    officer = forms.CharField(label=_("Officer (account name)"), required=False, max_length=150)
    received_from = forms.DateField(label=_("Received from"), required=False)
    received_to = forms.DateField(label=_("Received until"), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cause"].choices = _blank([(c.code, c.name) for c in CaseCause.objects.all()])
        self.fields["unit"].choices = _blank([(str(u.pk), u.name) for u in visible_units(user).order_by("path")])


class HeadChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.full_name} ({obj.unit.name})"


def heads_above(unit: Unit):
    """The heads and chiefs of ``unit`` and the units above it: who may decide for it."""
    ids = [int(part) for part in unit.path.split(".") if part]
    return (User.objects.filter(is_active=True, unit_id__in=ids,
                                role_grants__role__in=[Role.DEPARTMENT_HEAD, Role.COUNTY_CHIEF])
            .select_related("unit").distinct().order_by("username"))


class IntakeForm(ErrorSummary, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=CaseKind.choices)
    cause = forms.ModelChoiceField(label=_("Case cause"), queryset=CaseCause.objects.filter(active=True))
    source = forms.ChoiceField(label=_("Source"), choices=CaseSource.choices)
    received_at = _local_datetime(_("Received"))
    unit = forms.ModelChoiceField(label=_("Owning unit"), queryset=Unit.objects.none())
    officers = forms.ModelMultipleChoiceField(label=_("Handling officers"), queryset=User.objects.none())
    summary = forms.CharField(label=_("Summary"), max_length=5000, widget=forms.Textarea)
    reporter_name = forms.CharField(label=_("Reporter"), max_length=100, required=False)
    reporter_phone = forms.CharField(label=_("Reporter's phone"), max_length=32, required=False)
    reporter_address = forms.CharField(label=_("Reporter's address"), max_length=200, required=False)
    report_content = forms.CharField(label=_("What was reported"), max_length=5000, required=False,
                                     widget=forms.Textarea)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        units = visible_units(user)
        self.fields["unit"].queryset = units.order_by("path")
        self.fields["officers"].queryset = (User.objects.filter(is_active=True, unit__in=units,
                                                                role_grants__role=Role.CASE_OFFICER)
                                            .distinct().order_by("username"))
        self.fields["officers"].label_from_instance = lambda u: f"{u.full_name} ({u.username})"
        self.fields["officers"].widget.attrs["class"] = "form-select form-select-sm"


class TransitionForm(ErrorSummary, forms.Form):
    at = _local_datetime(_("Decided or done at"))
    decided_by = HeadChoiceField(label=_("Decided by"), queryset=User.objects.none(), required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)
    receiving_organ = forms.CharField(label=_("Receiving organ"), max_length=200, required=False)

    def __init__(self, *args, case: Case, **kwargs):
        kwargs.setdefault("auto_id", "transition_%s")  # one page holds several forms: distinct ids
        super().__init__(*args, **kwargs)
        self.fields["decided_by"].queryset = heads_above(case.unit)


class PartyForm(ErrorSummary, forms.Form):
    person = forms.ModelChoiceField(label=_("Person (registry number)"), queryset=Person.objects.all(),
                                    widget=forms.TextInput)
    role = forms.ChoiceField(label=_("Role"), choices=PartyRole.choices)
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "party_%s")
        super().__init__(*args, **kwargs)


class ReasonForm(ErrorSummary, forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)


class MeasureForm(ErrorSummary, forms.Form):
    """Start (person, kind), convert (kind) or end (reason) a measure; ``started_at`` is the time of
    the act (the start, the conversion, the end)."""

    person = forms.ModelChoiceField(label=_("Suspect"), queryset=Person.objects.none(), required=False)
    kind = forms.ChoiceField(label=_("Measure"), choices=_blank(MeasureKind.choices, "—"), required=False)
    started_at = _local_datetime(_("Time"), required=False)
    basis = forms.CharField(label=_("Legal basis"), max_length=500, required=False)
    decided_by = HeadChoiceField(label=_("Decided by"), queryset=User.objects.none(), required=False)
    bail_form = forms.ChoiceField(label=_("Bail form"), choices=_blank(BailForm.choices, "—"), required=False)
    deposit_amount = forms.DecimalField(label=_("Deposit (yuan)"), max_digits=12, decimal_places=2, required=False)
    guarantor_name = forms.CharField(label=_("Guarantor"), max_length=100, required=False)
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)

    REQUIRED = {"start": ("person", "kind", "started_at"), "convert": ("kind", "started_at"),
                "end": ("started_at",), "approve": (), "refuse": ()}

    def __init__(self, *args, case: Case, action: str = "start", **kwargs):
        kwargs.setdefault("auto_id", "measure_%s")
        super().__init__(*args, **kwargs)
        self.action = action
        self.fields["person"].queryset = Person.objects.filter(
            case_parties__case=case, case_parties__role=PartyRole.SUSPECT,
            case_parties__removed_at__isnull=True).distinct()
        self.fields["decided_by"].queryset = heads_above(case.unit)

    def clean(self):
        data = super().clean()
        for name in self.REQUIRED.get(self.action, ()):
            if not data.get(name):
                self.add_error(name, _("This field is required."))
        return data
