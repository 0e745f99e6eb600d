"""The administrators' account forms: the system administrator's details and (de)activation,
the security administrator's roles and authenticator reset, and the two lists' filters."""

from __future__ import annotations

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from ..models import User
from ..roles import ADMIN_ROLES, CONTENT_ROLES, EXTERNAL_ROLES, Role
from ..selectors import ACCOUNT_STATES, TOKEN_STATES
from .common import PageForm, UnitPickerField

LANGUAGES = [("", _("The browser's language")), ("zh-hans", "简体中文"), ("en", "English")]


class UserDetailsForm(PageForm):
    full_name = forms.CharField(label=_("Full name"), max_length=64)
    unit = UnitPickerField(label=_("Unit"))
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)
    email = forms.EmailField(label=_("Email"), required=False)


class UserCreateForm(UserDetailsForm):
    username = forms.CharField(label=_("Username"), max_length=64, help_text=_("Police number or assigned login name."))
    password = forms.CharField(label=_("Initial password"), strip=False, widget=forms.PasswordInput(
        attrs={"autocomplete": "new-password"}), help_text=_(
        "At least 8 characters; a long passphrase is best. Common passwords are refused. Hand it to the person "
        "privately."))
    field_order = ["username", "full_name", "unit", "phone", "email", "password"]

    def clean_username(self) -> str:
        # Checked here as well as in the service, so that a taken name shows with the other errors.
        username = self.cleaned_data["username"].strip()
        if any(character.isspace() for character in username):
            raise forms.ValidationError(_("A username has no spaces."))
        if User.objects.filter(username=username).exists():
            raise forms.ValidationError(_("The username {username} is taken.").format(username=username))
        return username

    def clean_password(self):
        # Checked here too, so that the reason shows at the field together with the other errors.
        password = self.cleaned_data["password"]
        probe = User(username=self.data.get("username", ""), full_name=self.data.get("full_name", ""))
        try:
            password_validation.validate_password(password, probe)
        except forms.ValidationError as error:
            raise forms.ValidationError(error.messages) from None
        return password

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {key: data[key] for key in ("username", "full_name", "unit", "phone", "email", "password")}


class UserEditForm(UserDetailsForm):
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGES, required=False)
    seen = forms.CharField(widget=forms.HiddenInput, required=False)

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {"full_name": data["full_name"], "unit": data["unit"], "phone": data["phone"],
                "email": data["email"], "language": data["language"], "seen": data["seen"] or None}


class ReasonForm(PageForm):
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


def _choices(roles) -> list[tuple[str, str]]:
    return [(role.value, role.label) for role in Role if role in roles]


ROLE_GROUPS = [
    (_("Case work"), _choices(CONTENT_ROLES)),
    (_("Administrators (an administrator role is held alone)"), _choices(ADMIN_ROLES)),
    (_("External accounts"), _choices(EXTERNAL_ROLES)),
]


class RolesForm(PageForm):
    roles = forms.MultipleChoiceField(label=_("Roles"), choices=Role.choices, required=False,
                                      widget=forms.CheckboxSelectMultiple)
    expected = forms.CharField(widget=forms.HiddenInput, required=False)

    def expected_roles(self) -> set[str]:
        return {role for role in self.cleaned_data["expected"].split(",") if role}

    def groups(self) -> list[dict]:
        """The check boxes in three groups, each box checked as the (bound or initial) value says."""
        chosen = set(self["roles"].value() or [])
        return [{"label": label, "roles": [{"value": value, "label": text, "checked": value in chosen}
                                           for value, text in choices]} for label, choices in ROLE_GROUPS]


class AccountFilterForm(PageForm):
    q = forms.CharField(label=_("Name or username"), max_length=64, required=False)
    unit = UnitPickerField(label=_("Unit (and its sub-units)"), required=False, active_only=False)
    role = forms.ChoiceField(label=_("Role"), required=False, choices=[
        ("", _("Any role")), ("none", _("No role yet")), *Role.choices])
    state = forms.ChoiceField(label=_("State"), required=False, choices=[("", _("Any state")), *zip(ACCOUNT_STATES, (
        _("Active"), _("Deactivated"), _("Locked"), _("Without an authenticator"), _("Without a role")), strict=True)])


class TokenFilterForm(PageForm):
    q = forms.CharField(label=_("Owner, token name or prefix"), max_length=64, required=False)
    state = forms.ChoiceField(label=_("State"), required=False, choices=[("", _("Any state")), *zip(TOKEN_STATES, (
        _("Usable"), _("Expiring soon"), _("Expired"), _("Revoked")), strict=True)])
