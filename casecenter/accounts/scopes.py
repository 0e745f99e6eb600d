"""The scope of each role: over which part of the organisation tree a holder of the role works.

The access matrix (``access.py``) says which pages and operations a role may reach at all; this
table says whose records it reaches there. It is the one definition: ``accounts.selectors``
(``visible_units``, ``visible_scope``) read it, and through them the lists and pages of cases,
clocks and alerts, the search and the person dossier's panels; the deadline scan routes alerts by
it. A user with several roles sees the union of their scopes.

A scope is a set of subtrees of the organisation tree, each named by its root's path
(``Unit.path``, e.g. ``"00000001.00000003."``): a record belongs to the scope when its unit's path
starts with one of them. The reaches:

- ``OWN``: the user's unit and every unit below it;
- ``BUREAU``: the nearest district or city bureau at or above the user's unit (the police organ,
  公安机关, the unit belongs to), and everything below it;
- ``SERVED``: the unit the user's department serves (``Unit.serves``; when empty, a legal
  department, case-handling centre or property centre serves its bureau and any other unit itself);
- ``EVERYTHING`` / ``NOTHING``.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from .models import RoleGrant, Unit, UnitKind
from .roles import Role


class Reach(enum.Enum):
    OWN = "own"
    BUREAU = "bureau"
    SERVED = "served"
    EVERYTHING = "everything"
    NOTHING = "nothing"


ROLE_REACH: dict[str, Reach] = {
    # Those who handle cases work in their own unit: a station's officers and its head.
    Role.CASE_OFFICER: Reach.OWN,
    Role.DEPARTMENT_HEAD: Reach.OWN,
    # The county-level chief (县级以上公安机关负责人) decides for the whole bureau: filing decisions,
    # coercive measures and the extensions the rule catalog reserves to them, wherever in the bureau
    # the case is handled — also when their own account sits in one of its departments.
    Role.COUNTY_CHIEF: Reach.BUREAU,
    # Serving departments work for the units they serve: the legal department reviews their cases
    # (法制审核) and supervision watches their clocks; the case-handling centre's duty officers and the
    # property centre's custodians receive the people and the property of the bureau's cases.
    Role.LEGAL_REVIEWER: Reach.SERVED,
    Role.SUPERVISOR: Reach.SERVED,
    Role.AREA_DUTY_OFFICER: Reach.SERVED,
    Role.PROPERTY_CUSTODIAN: Reach.SERVED,
    # The analyst answers information requests raised by any unit of the bureau (the bureau's
    # synthetic operations serve all its stations and brigades, not only the brigade the analyst
    # sits in), so the whole bureau is read. Read only: the analyst holds no writing role of the
    # access matrix (CASE_WRITERS, PEOPLE_WRITERS, CLOCK_KEEPERS), and requests come with ``ops``.
    Role.ANALYST: Reach.BUREAU,
    # The configuration administrators manage the whole tree (and reach no content page).
    Role.SYSTEM_ADMIN: Reach.EVERYTHING,
    Role.SECURITY_ADMIN: Reach.EVERYTHING,
    # The audit administrator reads the ledger, which no unit scopes; no content page either.
    Role.AUDIT_ADMIN: Reach.OWN,
    # External accounts see only what is shared with them, never a unit's records.
    Role.LAWYER: Reach.NOTHING,
    Role.PROCURATORATE: Reach.NOTHING,
    Role.COURT: Reach.NOTHING,
}

#: The police organs (公安机关): a unit's bureau is the nearest of these at or above it.
BUREAU_KINDS = (UnitKind.DISTRICT_BUREAU, UnitKind.CITY_BUREAU)
#: Departments that serve their bureau by default (``Unit.serves`` empty).
SERVING_KINDS = (UnitKind.LEGAL_DEPARTMENT, UnitKind.CASE_CENTRE, UnitKind.PROPERTY_CENTRE)


@dataclass(frozen=True)
class Scope:
    """A union of subtrees, by their roots' paths: minimal (no path is below another one),
    sorted; ``("",)`` is the whole tree, ``()`` nothing."""

    prefixes: tuple[str, ...] = ()

    @classmethod
    def of(cls, paths: Iterable[str | None]) -> Scope:
        kept: list[str] = []
        for path in sorted({p for p in paths if p is not None}, key=len):
            if not any(path.startswith(k) for k in kept):
                kept.append(path)
        return cls(tuple(sorted(kept)))

    @property
    def everything(self) -> bool:
        return self.prefixes == ("",)

    @property
    def nothing(self) -> bool:
        return not self.prefixes

    @property
    def single(self) -> str | None:
        """The one subtree's path when the scope is one subtree (the common case), else None."""
        return self.prefixes[0] if len(self.prefixes) == 1 else None

    def contains(self, path: str) -> bool:
        return any(path.startswith(prefix) for prefix in self.prefixes)

    def q(self, field: str = "path") -> Q:
        """A filter on a unit path ``field`` (``"path"``, ``"unit__path"``) keeping the scope's rows."""
        if self.nothing:
            return Q(**{f"{field}__in": []})
        if self.everything:
            return Q()
        condition = Q()
        for prefix in self.prefixes:
            condition |= Q(**{f"{field}__startswith": prefix})
        return condition


def ancestor_paths(path: str) -> list[str]:
    """The paths of the unit of ``path`` and of every unit above it, nearest first."""
    parts = [p for p in path.split(".") if p]
    return [".".join(parts[:n]) + "." for n in range(len(parts), 0, -1)]


def nearest_bureau(path: str, bureau_paths: set[str] | frozenset[str]) -> str:
    """The path of the bureau (police organ) the unit of ``path`` belongs to: the nearest of
    ``bureau_paths`` at or above it; the unit's own path when it sits outside every bureau."""
    return next((p for p in ancestor_paths(path) if p in bureau_paths), path)


def reach_path(reach: Reach, *, path: str, kind: str, serves_path: str | None,
               bureau_paths: set[str] | frozenset[str]) -> str | None:
    """The root path of the subtree ``reach`` gives a user of the unit (``path``, ``kind``, the path
    of the unit it serves): "" for the whole tree, None for nothing."""
    if reach is Reach.EVERYTHING:
        return ""
    if reach is Reach.NOTHING:
        return None
    if reach is Reach.BUREAU:
        return nearest_bureau(path, bureau_paths)
    if reach is Reach.SERVED:
        if serves_path is not None:
            return serves_path
        return nearest_bureau(path, bureau_paths) if kind in SERVING_KINDS else path
    return path


def _reaches(roles: Iterable[str]) -> set[Reach]:
    return {ROLE_REACH[role] for role in roles if role in ROLE_REACH}


def user_scope(user, *, roles: Iterable[str] | None = None) -> Scope:
    """The scope of ``user`` (the union over their roles; ``roles``: only as a holder of these).

    Officers and heads cost no query beyond their unit; the other reaches one, at most, to find the
    bureau above the unit and the unit it serves. Kept on the user object for the request.
    """
    if not (user and getattr(user, "is_authenticated", False) and user.is_active):
        return Scope()
    held = user.roles if roles is None else user.roles & {str(r) for r in roles}
    reaches = _reaches(held)
    if not reaches or reaches == {Reach.NOTHING}:
        return Scope()
    if reaches <= {Reach.EVERYTHING, Reach.NOTHING}:
        return Scope(("",))
    unit = user.unit
    key = (frozenset(held), unit.pk, unit.path, unit.kind, unit.serves_id)
    cache = user.__dict__.setdefault("_scope_cache", {})
    if key not in cache:
        bureau_paths, serves_path = _surroundings(unit, reaches)
        cache[key] = Scope.of(reach_path(reach, path=unit.path, kind=unit.kind, serves_path=serves_path,
                                         bureau_paths=bureau_paths) for reach in reaches)
    return cache[key]


def _surroundings(unit: Unit, reaches: set[Reach]) -> tuple[set[str], str | None]:
    """The bureaus above ``unit`` and the path of the unit it serves, as far as ``reaches`` need
    them: one query, none when the unit's own facts answer (a chief whose unit is the bureau)."""
    own = {unit.path} if unit.kind in BUREAU_KINDS else set()
    needs_bureau = (Reach.BUREAU in reaches and not own) or (
        Reach.SERVED in reaches and unit.serves_id is None and unit.kind in SERVING_KINDS)
    needs_served = Reach.SERVED in reaches and unit.serves_id is not None
    if not (needs_bureau or needs_served):
        return own, None
    ids = [int(part) for part in unit.path.split(".") if part]
    wanted = Q(pk__in=ids, kind__in=BUREAU_KINDS) if needs_bureau else Q(pk__in=[])
    if needs_served:
        wanted |= Q(pk=unit.serves_id)
    bureaus, serves_path = set(own), None
    for pk, kind, path in Unit.objects.filter(wanted).values_list("pk", "kind", "path"):
        if pk == unit.serves_id:
            serves_path = path
        if kind in BUREAU_KINDS and pk in ids:
            bureaus.add(path)
    return bureaus, serves_path


def bureau_paths() -> frozenset[str]:
    """The paths of every bureau (one query): for code that places many units at once."""
    return frozenset(Unit.objects.filter(kind__in=BUREAU_KINDS).values_list("path", flat=True))


def holder_scopes(roles: Iterable[str]) -> list[tuple[str, int, Scope]]:
    """(role, user id, the scope that role gives the user) for every active holder of ``roles``:
    two queries, whatever their number (the deadline scan routes alerts with it)."""
    bureaus = bureau_paths()
    grants = (RoleGrant.objects.filter(role__in=[str(r) for r in roles], user__is_active=True)
              .values_list("role", "user_id", "user__unit__path", "user__unit__kind", "user__unit__serves__path"))
    return [(role, user_id, Scope.of([reach_path(ROLE_REACH[role], path=path, kind=kind, serves_path=serves,
                                                 bureau_paths=bureaus)]))
            for role, user_id, path, kind, serves in grants.order_by("user_id", "role")]


def serves_fault(*, path: str, serves: Unit | None) -> str:
    """Why the unit whose path is (or, being moved or created, will be) ``path`` cannot serve
    ``serves``; "" when it can. Only the unit itself or a unit above it: so serving never loops, and
    a department never reaches beside the branch of the tree it belongs to."""
    if serves is None or path.startswith(serves.path):
        return ""
    return _("{unit} is not above this unit: a department serves its own unit or a unit above it.").format(
        unit=serves.name)
