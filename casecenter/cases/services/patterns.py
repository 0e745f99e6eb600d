"""Case-number patterns: the system administrator sets how a unit numbers its cases."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from casecenter.core.errors import ValidationFailed
from casecenter.deadlines.verification import check_text
from casecenter.ledger.actions import records
from casecenter.ledger.services import record_event

from ..models import CaseNumberPattern
from ..numbering import check_pattern


@records("cases.number_pattern.saved")
@transaction.atomic
def number_pattern_save(*, actor, unit, prefix: str, pattern: str, request=None) -> CaseNumberPattern:
    """Set the unit's case-number pattern. Numbers already given keep their form; the yearly
    sequence goes on (a new pattern does not restart it, so no number is given twice)."""
    prefix, pattern = (prefix or "").strip(), (pattern or "").strip()
    if not prefix:
        raise ValidationFailed(_("Give the prefix (usually the unit's 12-digit organ code)."), field="prefix")
    check_text(prefix, field="prefix", max_length=32)
    check_text(pattern, field="pattern", max_length=100)
    check_pattern(pattern, prefix)
    saved, _created = CaseNumberPattern.objects.update_or_create(unit=unit, defaults={"prefix": prefix,
                                                                                       "pattern": pattern})
    record_event(actor=actor, action="cases.number_pattern.saved", subject=saved, unit=unit.pk,
                 data={"unit": unit.pk, "prefix": prefix, "pattern": pattern}, request=request)
    return saved
