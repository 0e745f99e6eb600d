"""Forms of the case pages. Each refuses malformed input with a field error; the rules themselves
(who decides, which transition, which conversion) are the services' to enforce."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from casecenter.accounts.access import CASE_WRITERS
from casecenter.accounts.models import Unit, User
from casecenter.accounts.roles import Role
from casecenter.accounts.selectors import visible_units
from casecenter.deadlines.forms import ErrorSummary
from casecenter.people.models import Person

from .models import (
    CHIEF_DECISIONS,
    MEASURE_CASE_KINDS,
    BailForm,
    Case,
    CaseCause,
    CaseKind,
    CaseSource,
    CaseStatus,
    MeasureKind,
    PartyRole,
)

DATETIME_FORMAT_HELP = _("Local time, YYYY-MM-DD HH:MM (24-hour clock).")
#: What a typed time looks like (a T between date and time, as datetime-local sends it, is read too).
DATETIME_PATTERN = r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?"


def _local_datetime(label, required=True, help_text=DATETIME_FORMAT_HELP):
    # A text input, not datetime-local: that one shows the browser's locale format (11/28/2026,
    # 05:56 AM in an English browser) while the form asks for another; typed as YYYY-MM-DD HH:MM
    # the time reads the same in every browser. The initial value is rendered in the current time
    # zone, to the minute.
    return forms.DateTimeField(label=label, required=required, help_text=help_text,
                               widget=forms.DateTimeInput(attrs={"placeholder": "YYYY-MM-DD HH:MM",
                                                                 "pattern": DATETIME_PATTERN,
                                                                 "title": "YYYY-MM-DD HH:MM",
                                                                 "autocomplete": "off", "spellcheck": "false"},
                                                          format="%Y-%m-%d %H:%M"),
                               input_formats=["%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S",
                                              "%Y-%m-%d %H:%M:%S"])


class Described:
    """Forms rendered by cases/partials/field.html: Bootstrap's classes on selects too, and a field
    with an error (the form's or a service's) marked invalid. Django links the help text and the
    error to the input (``aria-describedby`` → ``<id>_helptext``, ``<id>_error``)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.Select):
                field.widget.attrs.setdefault("class", "form-select form-select-sm")

    def add_error(self, field, error):
        super().add_error(field, error)
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                if "is-invalid" not in widget.attrs.get("class", ""):
                    widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()


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
        self.fields["cause"].choices = _blank(list(CaseCause.objects.values_list("code", "name")))
        self.fields["unit"].choices = _blank([(str(pk), name) for pk, name in
                                              visible_units(user).order_by("path").values_list("pk", "name")])


class HeadChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.full_name} ({obj.unit.name})"


def heads_above(unit: Unit, roles=(Role.DEPARTMENT_HEAD, Role.COUNTY_CHIEF)):
    """The heads and chiefs of ``unit`` and the units above it: who may decide for it."""
    ids = [int(part) for part in unit.path.split(".") if part]
    return (User.objects.filter(is_active=True, unit_id__in=ids, role_grants__role__in=list(roles))
            .select_related("unit").distinct().order_by("username"))


class CauseSelect(forms.Select):
    """The causes grouped by kind (``<optgroup>``), each option with its ``data-kind``: with
    cases/intake.js the list narrows to the chosen kind; without script it stays grouped."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kinds: dict[str, str] = {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex=subindex, attrs=attrs)
        kind = self.kinds.get(str(value))
        if kind:
            option["attrs"]["data-kind"] = kind
        return option


class IntakeForm(Described, ErrorSummary, forms.Form):
    kind = forms.ChoiceField(label=_("Case kind"), choices=CaseKind.choices)
    cause = forms.ModelChoiceField(label=_("Case cause"), queryset=CaseCause.objects.filter(active=True),
                                   widget=CauseSelect,
                                   help_text=_("The causes of the chosen kind: criminal offences or public-order "
                                               "violations."))
    source = forms.ChoiceField(label=_("Source"), choices=CaseSource.choices)
    received_at = _local_datetime(_("Received at"),
                                  help_text=_("When the report came in. YYYY-MM-DD HH:MM (24-hour clock)."))
    unit = forms.ModelChoiceField(label=_("Owning unit"), queryset=Unit.objects.none())
    officers = forms.ModelMultipleChoiceField(label=_("Handling officers"), queryset=User.objects.none())
    summary = forms.CharField(label=_("Summary"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
    reporter_name = forms.CharField(label=_("Reporter"), max_length=100, required=False)
    reporter_phone = forms.CharField(label=_("Reporter's phone"), max_length=32, required=False)
    reporter_address = forms.CharField(label=_("Reporter's address"), max_length=200, required=False)
    report_content = forms.CharField(label=_("What was reported"), max_length=5000, required=False,
                                     widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        causes = list(CaseCause.objects.filter(active=True).order_by("kind", "code"))
        self.fields["cause"].widget.kinds = {str(c.pk): c.kind for c in causes}
        # Grouped for display only: the field still validates against its queryset.
        self.fields["cause"].widget.choices = [("", "—"), *[
            (label, [(c.pk, c.name) for c in causes if c.kind == kind]) for kind, label in CaseKind.choices]]
        units = visible_units(user, roles=CASE_WRITERS)  # where the user may register (services.intake)
        self.fields["unit"].queryset = units.order_by("path")
        self.fields["officers"].queryset = (User.objects.filter(is_active=True, unit__in=units,
                                                                role_grants__role=Role.CASE_OFFICER)
                                            .distinct().order_by("username"))
        self.fields["officers"].label_from_instance = lambda u: f"{u.full_name} ({u.username})"
        self.fields["officers"].widget.attrs["class"] = "form-select form-select-sm"
        self.fields["officers"].widget.attrs["size"] = "4"
        self.fields["officers"].help_text = _("Two for a criminal case. Hold Ctrl (⌘ on a Mac) to choose several.")


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


class TransitionForm(Described, ErrorSummary, forms.Form):
    """The move of a case to ``to``, with only the fields that move needs: the county-level chief's
    decision (CHIEF_DECISIONS), a reason (TRANSITION_REASONS), the receiving organ of a transfer."""

    at = _local_datetime(_("Decided at"))
    decided_by = HeadChoiceField(label=_("Decided by (county-level chief)"), queryset=User.objects.none(),
                                 help_text=_("The chief of your bureau or above who took the decision."))
    receiving_organ = forms.CharField(label=_("Receiving organ"), max_length=200,
                                      help_text=_("The organ competent for the case, e.g. another district "
                                                  "bureau. It must receive the case within 24 hours."))
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    note = forms.CharField(label=_("Note (optional)"), max_length=500, required=False)

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


class TransferDeliveredForm(Described, ErrorSummary, forms.Form):
    """The handover of a transferred case to the receiving organ (meets the 24-hour clock)."""

    at = _local_datetime(_("Handed over at"))
    receipt = forms.CharField(label=_("Receipt of the receiving organ"), max_length=200,
                              help_text=_("Its receipt number, or the name of who signed for the case."))
    note = forms.CharField(label=_("Note (optional)"), max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "handover_%s")
        super().__init__(*args, **kwargs)


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
        self.fields["kind"].choices = _blank([(k, label) for k, label in MeasureKind.choices
                                              if case.kind in MEASURE_CASE_KINDS[k]], "—")
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
