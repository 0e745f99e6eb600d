"""The organisation tree: creating units, and renaming, moving or (de)activating them."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from casecenter.core.errors import ValidationFailed
from casecenter.ledger.actions import records
from casecenter.ledger.services import record_event

from ..models import Unit, UnitKind
from ..scopes import serves_fault


def _path_for(unit: Unit) -> str:
    return f"{unit.parent.path if unit.parent_id else ''}{unit.pk:08d}."


def _facts(unit: Unit) -> dict:
    return {"code": unit.code, "name": unit.name, "kind": unit.kind, "parent": unit.parent_id,
            "serves": unit.serves_id, "is_active": unit.is_active}


def _check_serves(*, path: str, serves: Unit | None) -> None:
    fault = serves_fault(path=path, serves=serves)
    if fault:
        raise ValidationFailed(fault, field="serves")


def _check_subtree_serves(old_path: str, new_path: str, *, moved: int) -> None:
    """A move must leave every unit below the moved one serving a unit above it (or itself)."""
    members = Unit.objects.filter(path__startswith=old_path, serves__isnull=False).exclude(pk=moved)
    for member in members.select_related("serves"):
        served = member.serves
        # A served unit inside the moved subtree moves along with it.
        served_path = new_path + served.path[len(old_path):] if served.path.startswith(old_path) else served.path
        if not (new_path + member.path[len(old_path):]).startswith(served_path):
            raise ValidationFailed(_("{unit} serves {served}, which would no longer be above it: change what it "
                                     "serves first.").format(unit=member.name, served=served.name), field="parent")


@records("accounts.unit.created")
@transaction.atomic
def unit_create(*, actor, code: str, name: str, kind: str, parent: Unit | None = None, serves: Unit | None = None,
                request=None) -> Unit:
    """Create a unit under ``parent``. Codes are unique; external kinds sit outside the police tree.
    ``serves``: for a serving department, the unit above it whose subtree it works for (empty: its
    bureau; see accounts/scopes.py)."""
    code, name = code.strip(), name.strip()
    if not code:
        raise ValidationFailed(_("Enter a code."), field="code")
    if not name:
        raise ValidationFailed(_("Enter a name."), field="name")
    if kind not in UnitKind.values:
        raise ValidationFailed(_("Choose a valid kind of unit."), field="kind")
    if Unit.objects.filter(code=code).exists():
        raise ValidationFailed(_("A unit with the code {code} already exists.").format(code=code), field="code")
    _check_serves(path=parent.path if parent else "", serves=serves)
    unit = Unit.objects.create(code=code, name=name, kind=kind, parent=parent, serves=serves)
    unit.path = _path_for(unit)
    unit.save(update_fields=["path"])
    record_event(actor=actor, action="accounts.unit.created", subject=unit, unit=unit, data=_facts(unit),
                 request=request)
    return unit


@records("accounts.unit.updated")
@transaction.atomic
def unit_update(*, actor, unit: Unit, name: str | None = None, kind: str | None = None,
                parent: Unit | None | bool = False, serves: Unit | None | bool = False, is_active: bool | None = None,
                request=None) -> Unit:
    """Rename, re-kind, move or (de)activate a unit, or change the unit it serves (``None``: its
    bureau, the default). Moving rewrites the paths of its subtree, and is refused when a unit of the
    subtree would then serve a unit that is not above it.

    The event holds the changed fields before and after; a call that changes nothing records nothing.
    """
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    before = _facts(unit)
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
    if serves is not False:
        unit.serves = serves
    old_path = unit.path
    moving = parent is not False and (parent.pk if parent else None) != unit.parent_id
    if moving:
        if parent is not None and parent.path.startswith(old_path):
            raise ValidationFailed(_("A unit cannot be moved under itself or its own sub-units."), field="parent")
        unit.parent = parent
        unit.path = _path_for(unit)
    if moving or serves is not False:  # at the unit's final place: a move and a new served unit at once
        _check_serves(path=unit.path, serves=unit.serves)
    if moving:
        _check_subtree_serves(old_path, unit.path, moved=unit.pk)
        for child in Unit.objects.select_for_update().filter(path__startswith=old_path).exclude(pk=unit.pk):
            child.path = unit.path + child.path[len(old_path):]
            child.save(update_fields=["path"])
    unit.save()
    after = _facts(unit)
    changed = sorted(key for key in after if after[key] != before[key])
    if changed:
        record_event(actor=actor, action="accounts.unit.updated", subject=unit, unit=unit, request=request,
                     data={"before": {k: before[k] for k in changed}, "after": {k: after[k] for k in changed}})
    return unit
