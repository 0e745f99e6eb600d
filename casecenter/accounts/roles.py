"""The roles of DESIGN.md §6. A user holds any number of them; access is decided per role."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CASE_OFFICER = "case_officer", _("Case officer")
    AREA_DUTY_OFFICER = "area_duty_officer", _("Area duty officer")
    LEGAL_REVIEWER = "legal_reviewer", _("Legal reviewer")
    DEPARTMENT_HEAD = "department_head", _("Department head")
    COUNTY_CHIEF = "county_chief", _("County-level chief")
    PROPERTY_CUSTODIAN = "property_custodian", _("Property custodian")
    SUPERVISOR = "supervisor", _("Supervisor")
    ANALYST = "analyst", _("Analyst")
    SYSTEM_ADMIN = "system_admin", _("System administrator")
    SECURITY_ADMIN = "security_admin", _("Security administrator")
    AUDIT_ADMIN = "audit_admin", _("Audit administrator")
    LAWYER = "lawyer", _("Lawyer (external)")
    PROCURATORATE = "procuratorate", _("Procuratorate (external)")
    COURT = "court", _("Court (external)")


#: Roles that work on case content (cases, people, custody, property …).
CONTENT_ROLES = frozenset({
    Role.CASE_OFFICER, Role.AREA_DUTY_OFFICER, Role.LEGAL_REVIEWER, Role.DEPARTMENT_HEAD,
    Role.COUNTY_CHIEF, Role.PROPERTY_CUSTODIAN, Role.SUPERVISOR, Role.ANALYST,
})
#: The three separated administrators (三员): none of them reads case content.
ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})
EXTERNAL_ROLES = frozenset({Role.LAWYER, Role.PROCURATORATE, Role.COURT})
INTERNAL_ROLES = CONTENT_ROLES | ADMIN_ROLES
ALL_ROLES = frozenset(Role)
#: An administrator role never combines with another administrator role on one account, so that
#: configuring, granting and auditing stay with three different people.
EXCLUSIVE_ROLES = ADMIN_ROLES
