"""Administration pages for units and accounts, restricted to the configuration administrators.

Separation of duties (三员): the system administrator creates and edits units and accounts; the
security administrator grants roles and resets authenticators; neither reads case content, and
the audit administrator has no admin page at all. Every save goes through the services.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import AdminSite
from django.contrib.auth import password_validation
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from casecenter.core.errors import ApplicationError

from . import services
from .models import ApiToken, Unit, User
from .roles import Role


class CasecenterAdminSite(AdminSite):
    site_header = _("Case-handling management centre administration")
    site_title = _("Case-handling management centre administration")
    index_title = _("Units and accounts")

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


class UserCreationForm(forms.ModelForm):
    password = forms.CharField(label=_("Initial password"), strip=False, widget=forms.PasswordInput,
                               help_text=_("At least 8 characters; a long passphrase is best. "
                                           "Common passwords are refused."))

    class Meta:
        model = User
        fields = ["username", "full_name", "unit", "phone", "email"]

    def clean_password(self):
        # Validated here as well as in the service, so that the admin shows the reason on the form.
        password = self.cleaned_data["password"]
        user = User(username=self.cleaned_data.get("username", ""), full_name=self.cleaned_data.get("full_name", ""))
        password_validation.validate_password(password, user)
        return password


class UnitForm(forms.ModelForm):
    class Meta:
        model = Unit
        fields = ["code", "name", "kind", "parent", "is_active"]

    def clean_parent(self):
        parent = self.cleaned_data.get("parent")
        if parent and self.instance.pk and parent.path.startswith(self.instance.path):
            raise forms.ValidationError(_("A unit cannot be moved under itself or its own sub-units."))
        return parent


class UnitAdmin(RoleModelAdmin):
    form = UnitForm
    list_display = ["name", "code", "kind", "parent", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "code"]
    ordering = ["path"]
    fields = ["code", "name", "kind", "parent", "is_active"]

    def get_readonly_fields(self, request, obj=None):
        return ["code"] if obj else []

    def save_model(self, request, obj, form, change):
        if change:
            saved = services.unit_update(actor=request.user, unit=obj, name=obj.name, kind=obj.kind,
                                         parent=obj.parent, is_active=obj.is_active, request=request)
        else:
            saved = services.unit_create(actor=request.user, code=obj.code, name=obj.name, kind=obj.kind,
                                         parent=obj.parent, request=request)
        obj.pk, obj.path = saved.pk, saved.path


class UserChangeForm(forms.ModelForm):
    roles = forms.MultipleChoiceField(label=_("Roles"), choices=Role.choices, required=False,
                                      widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = User
        fields = ["full_name", "unit", "phone", "email", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["roles"].initial = sorted(self.instance.roles)


class UserAdmin(RoleModelAdmin):
    list_display = ["username", "full_name", "unit", "role_list", "is_active", "locked_until"]
    list_filter = ["is_active", "role_grants__role", "unit"]
    search_fields = ["username", "full_name"]
    list_select_related = ["unit"]
    ordering = ["username"]

    @admin.display(description=_("Roles"))
    def role_list(self, obj):
        return "、".join(obj.role_labels())

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("role_grants")

    def has_change_permission(self, request, obj=None):
        return request.user.has_role(Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN)

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = UserChangeForm if obj else UserCreationForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["username", "full_name", "unit", "phone", "email", "password"]
        roles = "roles" if request.user.has_role(Role.SECURITY_ADMIN) else "role_list"
        return ["username", "full_name", "unit", "phone", "email", "is_active", roles, "locked_until"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        readonly = ["username", "locked_until", "role_list"]
        if not request.user.has_role(Role.SYSTEM_ADMIN):
            readonly += ["full_name", "unit", "phone", "email", "is_active"]
        return readonly

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        actor = request.user
        if not change:
            created = services.user_create(actor=actor, username=data["username"], full_name=data["full_name"],
                                           unit=data["unit"], password=data["password"], phone=data.get("phone", ""),
                                           email=data.get("email", ""), request=request)
            obj.pk = created.pk
            return
        if actor.has_role(Role.SYSTEM_ADMIN):
            services.user_update(actor=actor, user=obj, full_name=data["full_name"], unit=data["unit"],
                                 phone=data["phone"], email=data["email"], request=request)
            was_active = User.objects.get(pk=obj.pk).is_active
            if was_active and not data["is_active"]:
                services.user_deactivate(actor=actor, user=obj, request=request)
            elif not was_active and data["is_active"]:
                services.user_reactivate(actor=actor, user=obj, request=request)
        if actor.has_role(Role.SECURITY_ADMIN) and "roles" in data:
            services.user_set_roles(actor=actor, user=obj, roles=data["roles"], request=request)

    def save_form(self, request, form, change):
        return form.save(commit=False)

    def save_related(self, request, form, formsets, change):
        pass  # roles are saved by the service in save_model


class ApiTokenAdmin(RoleModelAdmin):
    """Security administrators see every token and may revoke one (e.g. a lost laptop)."""

    view_roles = frozenset({Role.SECURITY_ADMIN})
    change_roles = frozenset()
    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_select_related = ["user"]
    actions = ["revoke"]

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        for token in queryset.filter(revoked_at__isnull=True):
            services.token_revoke(actor=request.user, token=token, request=request)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def has_change_permission(self, request, obj=None):
        # The changelist action needs change rights; the form itself stays read-only (no fields).
        return request.user.has_role(Role.SECURITY_ADMIN) and obj is None


site.register(Unit, UnitAdmin)
site.register(User, UserAdmin)
site.register(ApiToken, ApiTokenAdmin)
