"""The case-cause catalogue: administrators add and rename causes."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from casecenter.core.errors import ValidationFailed
from casecenter.deadlines.verification import check_text
from casecenter.ledger.actions import records
from casecenter.ledger.services import record_event

from ..models import CaseCause, CaseKind


@records("cases.cause.saved")
@transaction.atomic
def cause_save(*, actor, code: str, name: str, kind: str, active: bool = True, request=None) -> CaseCause:
    """Add a cause, or rename / (de)activate an existing one. A code never changes its kind."""
    code, name = (code or "").strip(), (name or "").strip()
    if not code:
        raise ValidationFailed(_("Give the code of the cause."), field="code")
    if not name:
        raise ValidationFailed(_("Give the name of the cause."), field="name")
    check_text(code, field="code", max_length=32)
    check_text(name, field="name", max_length=100)
    if kind not in CaseKind.values:
        raise ValidationFailed(_("Choose criminal or administrative."), field="kind")
    cause = CaseCause.objects.select_for_update().filter(code=code).first()
    if cause is not None and cause.kind != kind:
        raise ValidationFailed(_("The cause {code} is {kind}; its kind cannot change.").format(
            code=code, kind=cause.get_kind_display()), field="kind")
    if cause is None:
        cause = CaseCause.objects.create(code=code, name=name, kind=kind, active=active)
    else:
        cause.name, cause.active = name, active
        cause.save(update_fields=["name", "active"])
    record_event(actor=actor, action="cases.cause.saved", subject=cause,
                 data={"code": code, "name": name, "kind": kind, "active": active}, request=request)
    return cause
