"""The system administrator's unit forms. Each form hands the service its arguments through
``service_arguments``, so that one more field (a unit's served area, say) is one field here and
one argument there."""

from __future__ import annotations

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from ..models import Unit, UnitKind
from ..services.units import CODE_RE
from .common import PageForm, UnitPickerField


class UnitForm(PageForm):
    parent = UnitPickerField(label=_("Parent unit"), required=False, help_text=_(
        "Leave empty only for a new city bureau or a body outside the police (procuratorate, court, law firm)."))
    code = forms.CharField(label=_("Code"), max_length=32, help_text=_(
        "Letters, digits, “-” and “_”, unique, e.g. EAST-STATION3. It cannot be changed later."), validators=[
        RegexValidator(CODE_RE, _("A code has at most 32 letters, digits, “-” or “_”, such as EAST-STATION3."))])
    name = forms.CharField(label=_("Name"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("— choose —")), *UnitKind.choices])
    seen = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, unit=None, **kwargs):
        self.unit = unit
        super().__init__(*args, **kwargs)
        if unit is not None:
            del self.fields["code"]   # the code is an identifier other systems keep; it never changes

    def clean_code(self) -> str:
        # Checked here as well as in the service, so that a taken code shows with the other errors.
        code = self.cleaned_data["code"].strip()
        if Unit.objects.filter(code=code).exists():
            raise forms.ValidationError(_("A unit with the code {code} already exists.").format(code=code))
        return code

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        arguments = {"name": data["name"], "kind": data["kind"], "parent": data["parent"]}
        if self.unit is None:
            arguments["code"] = data["code"]
        else:
            arguments["seen"] = data["seen"] or None
        return arguments
