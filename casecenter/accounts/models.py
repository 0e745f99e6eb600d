"""Units (the organisation tree), users, their roles, second factors and API tokens."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from casecenter.core import clock

from .roles import EXTERNAL_ROLES, INTERNAL_ROLES, Role


class UnitKind(models.TextChoices):
    CITY_BUREAU = "city_bureau", _("City public security bureau")
    DISTRICT_BUREAU = "district_bureau", _("District or county bureau")
    POLICE_STATION = "police_station", _("Police station")
    CRIMINAL_BRIGADE = "criminal_brigade", _("Criminal investigation brigade")
    LEGAL_DEPARTMENT = "legal_department", _("Legal department")
    CASE_CENTRE = "case_centre", _("Case-handling centre")
    PROPERTY_CENTRE = "property_centre", _("Property centre")
    OTHER_DEPARTMENT = "other_department", _("Other department")
    PROCURATORATE = "procuratorate", _("Procuratorate")
    COURT = "court", _("Court")
    LAW_FIRM = "law_firm", _("Law firm")


class Unit(models.Model):
    """A node of the organisation tree.

    ``path`` is the materialised path of ids (``"00000001.00000004."``): a unit's subtree is
    ``path__startswith`` its own path, one indexed range query at any depth. Only
    ``accounts.services.units`` writes it.
    """

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=32, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    # Whose records a serving department (legal department, case-handling centre, property centre)
    # works on: the subtree of this unit (see accounts/scopes.py). Empty: the default, the bureau the
    # unit belongs to (for a police station or brigade: itself). Only the unit itself or a unit above it.
    serves = models.ForeignKey(
        "self", verbose_name=_("serves"), null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text=_("The unit whose sub-units this department works for. Empty: the bureau it belongs to."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    @property
    def depth(self) -> int:
        return self.path.count(".") - 1


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, username):
        return self.get(username=username)


class User(AbstractBaseUser):
    """A person who signs in. Roles are :class:`RoleGrant` rows; see ``has_role``.

    ``failed_login_count`` and ``locked_until`` live here, in the database, so that the lockout
    holds across restarts and across every app process.
    """

    username = models.CharField(
        _("username"), max_length=64, unique=True, help_text=_("Police number or assigned login name.")
    )
    full_name = models.CharField(_("full name"), max_length=64)
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="users")
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("email"), blank=True)
    language = models.CharField(
        _("language"), max_length=10, blank=True, choices=[("zh-hans", "简体中文"), ("en", "English")]
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=clock.now)
    failed_login_count = models.PositiveSmallIntegerField(_("failed sign-ins"), default=0, editable=False)
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True, editable=False)
    deactivated_at = models.DateTimeField(_("deactivated"), null=True, blank=True, editable=False)
    # Set when the security administrator resets a lost authenticator; cleared by the next
    # enrolment. While set, the next sign-in enrols a new authenticator even where the second
    # factor is otherwise optional (demo mode, external accounts).
    totp_reset_at = models.DateTimeField(_("authenticator reset"), null=True, blank=True, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "username"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.username})"

    # --- roles -----------------------------------------------------------------------------------
    @property
    def roles(self) -> frozenset[str]:
        """The user's role codes, read once per request object."""
        if not hasattr(self, "_roles_cache"):
            if "role_grants" in getattr(self, "_prefetched_objects_cache", {}):
                self._roles_cache = frozenset(g.role for g in self.role_grants.all())
            elif self.pk:
                self._roles_cache = frozenset(self.role_grants.values_list("role", flat=True))
            else:
                self._roles_cache = frozenset()
        return self._roles_cache

    @classmethod
    def load_roles(cls, users) -> list:
        """Read the roles of ``users`` in one query and keep them on each (``roles`` then asks
        nothing more): for services that check the roles of several accounts at once."""
        users = list(users)
        by_user: dict[int, set[str]] = {u.pk: set() for u in users}
        for user_id, role in RoleGrant.objects.filter(user_id__in=list(by_user)).values_list("user_id", "role"):
            by_user[user_id].add(role)
        for user in users:
            user._roles_cache = frozenset(by_user[user.pk])
        return users

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles & set(roles))

    @property
    def is_internal(self) -> bool:
        return bool(self.roles & INTERNAL_ROLES)

    @property
    def is_external(self) -> bool:
        return bool(self.roles) and self.roles <= EXTERNAL_ROLES

    def role_labels(self) -> list[str]:
        return [str(Role(r).label) for r in sorted(self.roles)]

    # Django's admin and auth ask these; access is decided by roles and the access matrix instead.
    @property
    def is_staff(self) -> bool:
        return self.has_role(Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN)

    is_superuser = False

    def has_perm(self, perm, obj=None) -> bool:
        return False

    def has_module_perms(self, app_label) -> bool:
        return False

    def is_locked(self) -> bool:
        return self.locked_until is not None and self.locked_until > clock.now()


class RoleGrant(models.Model):
    """One role held by one user, granted by the security administrator."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    granted_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    granted_at = models.DateTimeField(_("granted"), default=clock.now)

    class Meta:
        verbose_name = _("role grant")
        verbose_name_plural = _("role grants")
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="accounts_rolegrant_unique")]

    def __str__(self) -> str:
        return str(Role(self.role).label)


class TotpDevice(models.Model):
    """A confirmed TOTP authenticator (RFC 6238). ``last_used_step`` refuses replay of a used code."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="totp_device")
    secret = models.CharField(max_length=64)
    confirmed_at = models.DateTimeField(default=clock.now)
    last_used_step = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("authenticator")
        verbose_name_plural = _("authenticators")

    def __str__(self) -> str:
        return f"TOTP {self.user_id}"


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 is stored; the key is shown once, at creation."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=64)
    prefix = models.CharField(_("prefix"), max_length=12, help_text=_("The first characters, to recognise it."))
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), default=clock.now)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    # Refused from this instant on (``authentication.py``); set at creation from CASECENTER_API_TOKEN_DAYS.
    expires_at = models.DateTimeField(_("expires"), db_index=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        """Usable now: neither revoked nor expired."""
        return self.revoked_at is None and not self.is_expired

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= clock.now()
