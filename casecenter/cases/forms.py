"""Forms of the case pages. Each refuses malformed input with a field error, all of them at once;
the rules themselves (who decides, which transition, which conversion) are the services' to
enforce. People, officers, units and causes are chosen with pickers (core/pickers.py), times with
the one date-time input (core/forms.py)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from casecenter.accounts.access import CASE_WRITERS
from casecenter.accounts.models import Unit, User
from casecenter.accounts.roles import Role
from casecenter.accounts.selectors import visible_units
from casecenter.core.forms import Form, LocalDateField, LocalDateTimeField
from casecenter.core.pickers import PickerSelect, RemotePickerField, RemotePickerMultipleField
from casecenter.people.models import Person
from casecenter.people.pickers import person_detail, person_options
from casecenter.search.pickers import officer_detail, officer_label, officer_options, officers_in_scope

from .api import ME
from .models import (
    CHIEF_DECISIONS,
    MEASURE_CASE_KINDS,
    MEASURE_CONVERSIONS,
    BailForm,
    Case,
    CaseCause,
    CaseKind,
    CaseSource,
    CaseStatus,
    MeasureKind,
    PartyRole,
)
from .services.measures import DEPARTMENT_HEAD_DECIDES

ANY = _("Any")


def _blank(choices, label=ANY):
    return [("", label), *choices]


def _unit_field(user, *, roles=None, **kwargs) -> forms.ModelChoiceField:
    """A unit of the user's scope (as a holder of ``roles``), by name or pinyin, with the unit above
    it as a second line."""
    units = visible_units(user, roles=roles).select_related("parent").order_by("path")
    field = forms.ModelChoiceField(queryset=units, widget=PickerSelect, **kwargs)
    field.widget.detail = lambda unit: unit.parent.name if unit.parent_id else ""
    return field


def _officers_field(user, *, roles=(Role.CASE_OFFICER,), writing=False, multiple=False, **kwargs):
    """Officers of the user's scope holding ``roles`` (``writing``: of the units where the user
    handles cases), searched as one types (search/pickers.py)."""
    cls = RemotePickerMultipleField if multiple else RemotePickerField
    officers = officers_in_scope(user, roles=roles, writing=writing).select_related("unit")
    field = cls(officers, url_name="api:picker-officers",
                hint=_("Names or pinyin, separated by commas") if multiple else _("Name or pinyin"), **kwargs)
    field.label_from_instance = officer_label
    field.bind(lambda q, limit: officer_options(q, user=user, roles=roles, writing=writing, limit=limit),
               detail=officer_detail, role=roles[0] if len(roles) == 1 else None, writing="1" if writing else None)
    return field


class CaseFilterForm(Form):
    status = forms.ChoiceField(label=_("Status"), required=False, choices=_blank(CaseStatus.choices))
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=_blank(CaseKind.choices))
    cause = forms.ChoiceField(label=_("Case cause"), required=False, widget=PickerSelect)
    unit = forms.ChoiceField(label=_("Unit"), required=False)
    officer = forms.CharField(label=_("Handling officer"), required=False)
    received_from = LocalDateField(label=_("Received from"), required=False)
    received_to = LocalDateField(label=_("Received until"), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cause"].choices = _blank(list(CaseCause.objects.order_by("kind", "code")
                                                   .values_list("code", "name")))
        self.fields["unit"] = _unit_field(user, label=_("Unit"), required=False, empty_label=ANY)
        self.fields["officer"] = _officers_field(user, roles=(), label=_("Handling officer"), required=False)
        if self.is_bound and self.data.get("officer") == ME:  # the home page's "my cases": the user chosen
            self.data = self.data.copy()
            self.data["officer"] = str(user.pk)
            self.fields["officer"].queryset |= User.objects.filter(pk=user.pk)


class HeadChoiceField(forms.ModelChoiceField):
    """A head or chief who decides, by name or pinyin; their unit on a second line."""

    def __init__(self, **kwargs):
        kwargs.setdefault("empty_label", "—")
        super().__init__(widget=PickerSelect, **kwargs)
        self.widget.detail = officer_detail

    def label_from_instance(self, obj) -> str:
        return officer_label(obj)


def heads_above(unit: Unit, roles=(Role.DEPARTMENT_HEAD, Role.COUNTY_CHIEF)):
    """The heads and chiefs of ``unit`` and the units above it: who may decide for it."""
    ids = [int(part) for part in unit.path.split(".") if part]
    return (User.objects.filter(is_active=True, unit_id__in=ids, role_grants__role__in=list(roles))
            .select_related("unit").prefetch_related("role_grants").distinct().order_by("unit__path", "full_name"))


class IntakeForm(Form):
    kind = forms.ChoiceField(label=_("Case kind"), choices=CaseKind.choices)
    cause = forms.ModelChoiceField(label=_("Case cause"), queryset=CaseCause.objects.filter(active=True),
                                   widget=PickerSelect(attrs={"data-follows": "kind"}), empty_label="—",
                                   help_text=_("The causes of the chosen kind: criminal offences or public-order "
                                               "violations. Type a few characters or their pinyin."))
    source = forms.ChoiceField(label=_("Source"), choices=CaseSource.choices)
    received_at = LocalDateTimeField(label=_("Received at"),
                                     help_text=_("When the report came in. YYYY-MM-DD HH:MM, 24-hour clock."))
    unit = forms.ModelChoiceField(label=_("Owning unit"), queryset=Unit.objects.none())
    officers = forms.Field(label=_("Handling officers"))
    summary = forms.CharField(label=_("Summary"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
    reporter_name = forms.CharField(label=_("Reporter"), max_length=100, required=False)
    reporter_phone = forms.CharField(label=_("Reporter's phone"), max_length=32, required=False)
    reporter_address = forms.CharField(label=_("Reporter's address"), max_length=200, required=False)
    report_content = forms.CharField(label=_("What was reported"), max_length=5000, required=False,
                                     widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        causes = list(CaseCause.objects.filter(active=True).order_by("kind", "code"))
        kinds = {c.pk: c.kind for c in causes}
        widget = self.fields["cause"].widget
        widget.option_data = lambda cause: {"when": [kinds.get(getattr(cause, "pk", cause), "")]}
        # Grouped for display (without script the list stays grouped by kind); the field still
        # validates against its queryset.
        widget.choices = [("", "—"), *[(label, [(c.pk, c.name) for c in causes if c.kind == kind])
                                       for kind, label in CaseKind.choices]]
        # Where the user may register a case (services.intake checks it too).
        self.fields["unit"] = _unit_field(user, roles=CASE_WRITERS, label=_("Owning unit"), empty_label="—")
        self.fields["officers"] = _officers_field(
            user, multiple=True, writing=True, label=_("Handling officers"),
            help_text=_("Two for a criminal case. Type a name or its pinyin, e.g. zhangsan or zs."))


#: The reason each transition must give, under its own label (the rest take an optional note).
TRANSITION_REASONS = {
    CaseStatus.NOT_FILED: _("Reason for not filing"),
    CaseStatus.TRANSFERRED: _("Reason for the transfer"),
    CaseStatus.WITHDRAWN: _("Reason for withdrawing the case"),
}
TRANSITION_TIMES = {
    CaseStatus.ACCEPTED: _("Accepted at"),
    CaseStatus.INVESTIGATING: _("Investigation started at"),
    CaseStatus.ARCHIVED: _("Archived at"),
}
#: The button of each transition.
TRANSITION_ACTIONS = {
    CaseStatus.ACCEPTED: _("Accept the case"), CaseStatus.FILED: _("File the case"),
    CaseStatus.NOT_FILED: _("Do not file"), CaseStatus.TRANSFERRED: _("Transfer the case"),
    CaseStatus.INVESTIGATING: _("Start the investigation"),
    CaseStatus.PROSECUTION: _("Transfer for prosecution"), CaseStatus.WITHDRAWN: _("Withdraw the case"),
    CaseStatus.DECIDED: _("Record the decision"), CaseStatus.ARCHIVED: _("Archive the case"),
}


class TransitionForm(Form):
    """The move of a case to ``to``, with only the fields that move needs: the county-level chief's
    decision (CHIEF_DECISIONS), a reason (TRANSITION_REASONS), the receiving organ of a transfer."""

    at = LocalDateTimeField(label=_("Decided at"))
    decided_by = HeadChoiceField(label=_("Decided by (county-level chief)"), queryset=User.objects.none(),
                                 help_text=_("The chief of your bureau or above who took the decision."))
    receiving_organ = forms.CharField(label=_("Receiving organ"), max_length=200,
                                      help_text=_("The organ competent for the case, e.g. another district "
                                                  "bureau. It must receive the case within 24 hours."))
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    note = forms.CharField(label=_("Note (optional)"), max_length=500, required=False)
    error_aliases = {"decided_at": "at"}

    def __init__(self, *args, case: Case, to: str, **kwargs):
        kwargs.setdefault("auto_id", "transition_%s")  # one page holds several forms: distinct ids
        super().__init__(*args, **kwargs)
        self.to = to
        self.action_label = TRANSITION_ACTIONS.get(to, "")
        self.fields["at"].label = TRANSITION_TIMES.get(to, self.fields["at"].label)
        if to in CHIEF_DECISIONS:
            self.fields["decided_by"].queryset = heads_above(case.unit, roles=(Role.COUNTY_CHIEF,))
        else:
            del self.fields["decided_by"]
        if to != CaseStatus.TRANSFERRED:
            del self.fields["receiving_organ"]
        if to in TRANSITION_REASONS:
            self.fields["reason"].label = TRANSITION_REASONS[to]
            del self.fields["note"]
        else:
            del self.fields["reason"]


class TransferDeliveredForm(Form):
    """The handover of a transferred case to the receiving organ (meets the 24-hour clock)."""

    at = LocalDateTimeField(label=_("Handed over at"))
    receipt = forms.CharField(label=_("Receipt of the receiving organ"), max_length=200,
                              help_text=_("Its receipt number, or the name of who signed for the case."))
    note = forms.CharField(label=_("Note (optional)"), max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "handover_%s")
        super().__init__(*args, **kwargs)


class PartyForm(Form):
    """A person of the registry joins the case, found by name, pinyin or ID number."""

    person = forms.Field(label=_("Person"))
    role = forms.ChoiceField(label=_("Role"), choices=PartyRole.choices)
    reason = forms.CharField(label=_("Reason (optional)"), max_length=500, required=False)

    def __init__(self, *args, user=None, **kwargs):
        kwargs.setdefault("auto_id", "party_%s")
        super().__init__(*args, **kwargs)
        field = self.fields["person"] = RemotePickerField(
            Person.objects.live(), url_name="api:picker-people", label=_("Person"),
            help_text=_("Type a name, its pinyin (zhangsan, zs) or part of an ID number. Not registered yet? "
                        "Register the person first."))
        field.bind(lambda q, limit: person_options(q, user=user, limit=limit), detail=person_detail)


class ReasonForm(Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)


#: The fields of each measure form, in order (core.forms.Form hides the bail fields but for bail).
MEASURE_FIELDS = {
    "start": ("person", "kind", "started_at", "basis", "decided_by", "bail_form", "deposit_amount",
              "guarantor_name"),
    "convert": ("kind", "started_at", "basis", "decided_by", "bail_form", "deposit_amount", "guarantor_name"),
    "end": ("started_at", "reason"),
    "approve": ("decided_by",),
    "refuse": ("decided_by", "reason"),
}
MEASURE_REQUIRED = {"start": ("person", "kind", "started_at", "basis"),
                    "convert": ("kind", "started_at", "basis", "decided_by"), "end": ("started_at", "reason"),
                    "approve": ("decided_by",), "refuse": ("decided_by", "reason")}
MEASURE_TIMES = {"start": _("Starts at"), "convert": _("New measure starts at"), "end": _("Ended at")}
MEASURE_BUTTONS = {"start": _("Start"), "convert": _("Convert"), "end": _("End"),
                   "approve": _("Record approval"), "refuse": _("Record refusal")}


class MeasureForm(Form):
    """Start, convert, end, approve or refuse a measure, each with only its own fields. The bail
    fields appear for bail alone, the deposit for a deposit, the guarantor for a guarantor; the
    deciders offered are those who may decide the chosen kind (a department head for a summons or
    continued questioning, the county-level chief for the rest)."""

    person = forms.ModelChoiceField(label=_("Suspect"), queryset=Person.objects.none(), empty_label="—",
                                    widget=PickerSelect)
    kind = forms.ChoiceField(label=_("Measure"))
    started_at = LocalDateTimeField(label=_("Time"))
    basis = forms.CharField(label=_("Legal basis"), max_length=500,
                            help_text=_("The article the decision rests on, e.g. 刑事诉讼法第八十二条."))
    decided_by = HeadChoiceField(label=_("Decided by"), queryset=User.objects.none(), required=False)
    bail_form = forms.ChoiceField(label=_("Bail form"), choices=_blank(BailForm.choices, "—"), required=False)
    deposit_amount = forms.DecimalField(label=_("Deposit (yuan)"), max_digits=12, decimal_places=2, required=False,
                                        min_value=0)
    guarantor_name = forms.CharField(label=_("Guarantor"), max_length=100, required=False)
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))

    show_when = {"bail_form": {"kind": [MeasureKind.BAIL]},
                 "deposit_amount": {"bail_form": [BailForm.DEPOSIT]},
                 "guarantor_name": {"bail_form": [BailForm.GUARANTOR]}}
    required_when_shown = frozenset({"bail_form", "deposit_amount", "guarantor_name"})
    error_aliases = {"at": "started_at"}

    def __init__(self, *args, case: Case, action: str = "start", measure=None, **kwargs):
        kwargs.setdefault("auto_id", f"measure_{measure.pk}_{action}_%s" if measure else "measure_%s")
        super().__init__(*args, **kwargs)
        self.action, self.measure = action, measure
        self.button = MEASURE_BUTTONS[action]
        for name in list(self.fields):
            if name not in MEASURE_FIELDS[action]:
                del self.fields[name]
            else:
                self.fields[name].required = name in MEASURE_REQUIRED[action]
        if "kind" in self.fields:
            kinds = (MEASURE_CONVERSIONS.get(measure.kind, ()) if action == "convert" else MeasureKind.values)
            self.fields["kind"].choices = _blank([(k, label) for k, label in MeasureKind.choices
                                                  if k in kinds and case.kind in MEASURE_CASE_KINDS[k]], "—")
        if "started_at" in self.fields:
            self.fields["started_at"].label = MEASURE_TIMES.get(action, self.fields["started_at"].label)
        if "person" in self.fields:
            self.fields["person"].queryset = Person.objects.filter(
                case_parties__case=case, case_parties__role=PartyRole.SUSPECT,
                case_parties__removed_at__isnull=True).distinct().order_by("name")
            self.fields["person"].widget.detail = person_detail
        if "decided_by" in self.fields:
            self._deciders(case, measure)

    def _deciders(self, case: Case, measure) -> None:
        field = self.fields["decided_by"]
        field.queryset = heads_above(case.unit)
        if self.action == "start":
            field.help_text = _("Leave empty while the decision is awaited: the measure waits for approval.")
        if self.action in ("start", "convert"):
            # A department head decides only a summons or continued questioning (the service checks it too).
            field.widget.attrs["data-follows"] = "kind"
            field.widget.option_data = lambda user: {"when": (
                ["", *MeasureKind.values] if user.has_role(Role.COUNTY_CHIEF) else ["", *DEPARTMENT_HEAD_DECIDES])}
        elif measure is not None and measure.kind not in DEPARTMENT_HEAD_DECIDES:
            field.queryset = heads_above(case.unit, roles=(Role.COUNTY_CHIEF,))
