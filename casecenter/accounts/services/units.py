"""The organisation tree: creating units, renaming, re-kinding and moving them, (de)activating them.

Two administrators acting at once end in one clear result: the units concerned are locked in id
order before anything is checked (two crossed moves cannot build a cycle), an edit carries the
version its form showed (``unit_version``), and (de)activation is a compare-and-set.
"""

from __future__ import annotations

import re

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from casecenter.core.errors import Conflict, ValidationFailed
from casecenter.ledger.actions import not_a_write, records
from casecenter.ledger.services import record_event

from ..holdings import unit_holdings
from ..models import Unit, UnitKind
from ..scopes import serves_fault
from ..versions import fingerprint

CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")


def _path_for(unit: Unit) -> str:
    return f"{unit.parent.path if unit.parent_id else ''}{unit.pk:08d}."


def _facts(unit: Unit) -> dict:
    return {"code": unit.code, "name": unit.name, "kind": unit.kind, "parent": unit.parent_id,
            "serves": unit.serves_id, "is_active": unit.is_active}


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


@not_a_write
def unit_version(unit: Unit) -> str:
    """The unit's fingerprint as a form shows it; ``unit_update(seen=…)`` refuses a stale one."""
    return fingerprint(_facts(unit))


def _lock(*units: Unit | None) -> dict[int, Unit]:
    """Lock the rows of ``units`` in id order (no deadlock between two crossed moves) and return
    them as they are now."""
    ids = sorted({u.pk for u in units if u is not None})
    return {u.pk: u for u in Unit.objects.select_for_update().filter(pk__in=ids).order_by("pk")}


def _check_name_and_kind(errors: dict, name: str, kind: str) -> None:
    if not name:
        errors["name"] = [_("Enter a name.")]
    elif len(name) > 100:
        errors["name"] = [_("At most {limit} characters.").format(limit=100)]
    if kind not in UnitKind.values:
        errors["kind"] = [_("Choose a valid kind of unit.")]


def _check_parent(errors: dict, parent: Unit | None, unit: Unit | None = None) -> None:
    if parent is None:
        return
    if unit is not None and parent.path.startswith(unit.path):
        errors["parent"] = [_("A unit cannot be moved under itself or its own sub-units.")]
    elif not parent.is_active:
        errors["parent"] = [_("The unit {name} is deactivated; choose an active parent unit.").format(
            name=parent.name)]


def _check_serves(errors: dict, *, path: str, serves: Unit | None) -> None:
    fault = serves_fault(path=path, serves=serves)
    if fault:
        errors["serves"] = [fault]


def _refuse(errors: dict) -> None:
    if errors:
        first = next(iter(errors.values()))[0]
        raise ValidationFailed(first, fields=errors)


@records("accounts.unit.created")
@transaction.atomic
def unit_create(*, actor, code: str, name: str, kind: str, parent: Unit | None = None, serves: Unit | None = None,
                request=None) -> Unit:
    """Create a unit under an active ``parent`` (None: a root, such as a city bureau or an external
    body). Codes are unique, letters, digits, "-" and "_"; every refusal names its field, all at once.
    ``serves``: for a serving department, the unit above it whose subtree it works for (empty: its
    bureau; see accounts/scopes.py)."""
    code, name = code.strip(), name.strip()
    errors: dict[str, list[str]] = {}
    taken = _("A unit with the code {code} already exists.").format(code=code)
    if not code:
        errors["code"] = [_("Enter a code.")]
    elif len(code) > 32 or not CODE_RE.match(code):
        errors["code"] = [_("A code has at most 32 letters, digits, “-” or “_”, such as EAST-STATION3.")]
    elif Unit.objects.filter(code=code).exists():
        errors["code"] = [taken]
    _check_name_and_kind(errors, name, kind)
    parent = _lock(parent).get(parent.pk) if parent is not None else None
    _check_parent(errors, parent)
    _check_serves(errors, path=parent.path if parent else "", serves=serves)
    _refuse(errors)
    try:
        with transaction.atomic():  # two administrators creating the same code at once: one wins
            unit = Unit.objects.create(code=code, name=name, kind=kind, parent=parent, serves=serves)
    except IntegrityError:
        raise ValidationFailed(taken, field="code") from None
    unit.path = _path_for(unit)
    unit.save(update_fields=["path"])
    record_event(actor=actor, action="accounts.unit.created", subject=unit, unit=unit, data=_facts(unit),
                 request=request)
    return unit


@records("accounts.unit.updated")
@transaction.atomic
def unit_update(*, actor, unit: Unit, name: str | None = None, kind: str | None = None,
                parent: Unit | None | bool = False, serves: Unit | None | bool = False, seen: str | None = None,
                request=None) -> Unit:
    """Rename, re-kind or move a unit (``parent=False``: stay), or change the unit it serves
    (``serves=None``: its bureau, the default; ``False``: unchanged). Moving rewrites the paths of its
    subtree; a unit never moves under itself or a deactivated unit, nor so that a unit of its subtree
    would serve a unit that is no longer above it.

    ``seen`` is the ``unit_version`` the form showed: a unit changed since is refused (Conflict).
    The event holds the changed fields before and after; a call that changes nothing records nothing.
    """
    moving = parent is not False
    locked = _lock(unit, parent if moving else None)
    current = locked[unit.pk]
    if seen is not None and seen != unit_version(current):
        raise Conflict(_("Someone else changed this unit while you were editing it. The form now shows it as "
                         "it is; make your change again."))
    before = _facts(current)
    errors: dict[str, list[str]] = {}
    name = current.name if name is None else name.strip()
    kind = current.kind if kind is None else kind
    _check_name_and_kind(errors, name, kind)
    new_parent = locked.get(parent.pk) if moving and parent is not None else None
    moved = moving and (new_parent.pk if new_parent else None) != current.parent_id
    if moved:
        _check_parent(errors, new_parent, current)
    _refuse(errors)
    current.name, current.kind = name, kind
    if serves is not False:
        current.serves = serves
    old_path = current.path
    if moved:
        current.parent = new_parent
        current.path = _path_for(current)
    if moved or serves is not False:  # at the unit's final place: a move and a new served unit at once
        _check_serves(errors, path=current.path, serves=current.serves)
        _refuse(errors)
    if moved:
        _check_subtree_serves(old_path, current.path, moved=current.pk)
        for child in Unit.objects.select_for_update().filter(path__startswith=old_path).exclude(pk=current.pk):
            child.path = current.path + child.path[len(old_path):]
            child.save(update_fields=["path"])
    current.save()
    after = _facts(current)
    changed = sorted(key for key in after if after[key] != before[key])
    if changed:
        record_event(actor=actor, action="accounts.unit.updated", subject=current, unit=current, request=request,
                     data={"before": {k: before[k] for k in changed}, "after": {k: after[k] for k in changed}})
    return current


@records("accounts.unit.deactivated")
@transaction.atomic
def unit_deactivate(*, actor, unit: Unit, request=None) -> Unit:
    """Deactivate a dissolved unit: it is no longer offered for new accounts or as a parent; its
    records stay. Refused, with what is left, while it holds active accounts, active sub-units or
    open work (``holdings``). A unit already deactivated is a conflict (another administrator)."""
    current = _lock(unit)[unit.pk]
    if not current.is_active:
        raise Conflict(_("The unit {name} is already deactivated.").format(name=current.name))
    left = unit_holdings(current)
    if left:
        raise ValidationFailed(_("{name} cannot be deactivated while it has {left}. Move them to another unit, "
                                 "deactivate or close them first.").format(name=current.name, left="、".join(left)))
    Unit.objects.filter(pk=current.pk).update(is_active=False)
    current.is_active = False
    record_event(actor=actor, action="accounts.unit.deactivated", subject=current, unit=current, request=request,
                 data={"code": current.code, "name": current.name})
    return current


@records("accounts.unit.reactivated")
@transaction.atomic
def unit_reactivate(*, actor, unit: Unit, request=None) -> Unit:
    """Reactivate a unit; its parent must be active (an active unit never hangs under a dissolved one)."""
    current = _lock(unit, unit.parent)[unit.pk]
    if current.is_active:
        raise Conflict(_("The unit {name} is already active.").format(name=current.name))
    if current.parent_id and not Unit.objects.get(pk=current.parent_id).is_active:
        raise ValidationFailed(_("Reactivate its parent unit {parent} first.").format(parent=current.parent.name))
    Unit.objects.filter(pk=current.pk).update(is_active=True)
    current.is_active = True
    record_event(actor=actor, action="accounts.unit.reactivated", subject=current, unit=current, request=request,
                 data={"code": current.code, "name": current.name})
    return current
