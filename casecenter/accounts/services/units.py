from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from casecenter.core.errors import ValidationFailed

from ..models import Unit, UnitKind


def _path_for(unit: Unit) -> str:
    return f"{unit.parent.path if unit.parent_id else ''}{unit.pk:08d}."


@transaction.atomic
def unit_create(*, actor, code: str, name: str, kind: str, parent: Unit | None = None) -> Unit:
    """Create a unit under ``parent``. Codes are unique; external kinds sit outside the police tree."""
    code, name = code.strip(), name.strip()
    if not code:
        raise ValidationFailed(_("Enter a code."), field="code")
    if not name:
        raise ValidationFailed(_("Enter a name."), field="name")
    if kind not in UnitKind.values:
        raise ValidationFailed(_("Choose a valid kind of unit."), field="kind")
    if Unit.objects.filter(code=code).exists():
        raise ValidationFailed(_("A unit with the code {code} already exists.").format(code=code), field="code")
    unit = Unit.objects.create(code=code, name=name, kind=kind, parent=parent)
    unit.path = _path_for(unit)
    unit.save(update_fields=["path"])
    return unit


@transaction.atomic
def unit_update(*, actor, unit: Unit, name: str | None = None, kind: str | None = None,
                parent: Unit | None | bool = False, is_active: bool | None = None) -> Unit:
    """Rename, re-kind, move or (de)activate a unit. Moving rewrites the paths of its subtree."""
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    if name is not None:
        if not name.strip():
            raise ValidationFailed(_("Enter a name."), field="name")
        unit.name = name.strip()
    if kind is not None:
        if kind not in UnitKind.values:
            raise ValidationFailed(_("Choose a valid kind of unit."), field="kind")
        unit.kind = kind
    if is_active is not None:
        unit.is_active = is_active
    old_path = unit.path
    if parent is not False and (parent.pk if parent else None) != unit.parent_id:
        if parent is not None and parent.path.startswith(old_path):
            raise ValidationFailed(_("A unit cannot be moved under itself or its own sub-units."), field="parent")
        unit.parent = parent
        unit.path = _path_for(unit)
        for child in Unit.objects.select_for_update().filter(path__startswith=old_path).exclude(pk=unit.pk):
            child.path = unit.path + child.path[len(old_path):]
            child.save(update_fields=["path"])
    unit.save()
    return unit
