"""What the printed forms of a case say besides its fields: the 受案登记表's tick boxes (the source of
the report, the acceptance opinion) in the words and order of the paper form, and the police organ
named in its heading (公安部《公安机关刑事法律文书式样》, 刑规 art. 170–171)."""

from __future__ import annotations

from django.utils.translation import pgettext_lazy

from casecenter.accounts.models import Unit, UnitKind

from .models import Case, CaseKind, CaseSource, CaseStatus

#: The form's boxes for where the case came from: our sources, and the two the form also lists.
SOURCES = (
    (CaseSource.CALL_110, pgettext_lazy("acceptance form", "110 dispatch")),
    (CaseSource.PATROL, pgettext_lazy("acceptance form", "Found at work")),
    (CaseSource.WALK_IN, pgettext_lazy("acceptance form", "Report")),
    (CaseSource.SELF_SURRENDER, pgettext_lazy("acceptance form", "Surrender")),
    (CaseSource.TRANSFER, pgettext_lazy("acceptance form", "Transfer")),
    ("", pgettext_lazy("acceptance form", "Brought in by citizens")),
    ("", pgettext_lazy("acceptance form", "Other")),
)

#: The form's acceptance opinions; the one that applies is ticked once the case is accepted.
OPINIONS = (
    ("administrative", pgettext_lazy("acceptance form", "An administrative case within this unit's jurisdiction: "
                                                         "investigate and deal with it promptly")),
    ("criminal", pgettext_lazy("acceptance form", "A criminal case within this unit's jurisdiction: open it and "
                                                   "investigate promptly")),
    ("transfer", pgettext_lazy("acceptance form", "Not within this unit's jurisdiction: transfer it to the "
                                                   "competent organ")),
    ("not_police", pgettext_lazy("acceptance form", "Not a matter for the police: not investigated, the party told "
                                                     "in writing on the spot")),
    ("other", pgettext_lazy("acceptance form", "Other")),
)

BUREAUS = (UnitKind.DISTRICT_BUREAU, UnitKind.CITY_BUREAU)


def police_organ(unit: Unit) -> Unit:
    """The public security organ the form is issued in the name of: the nearest bureau at or above
    ``unit`` (a police station's county bureau), else the unit itself."""
    ids = [int(part) for part in unit.path.split(".") if part]
    organ = Unit.objects.filter(pk__in=ids, kind__in=BUREAUS).order_by("-path").first()
    return organ or unit


def sources(source: str) -> list[tuple[str, bool]]:
    return [(str(label), bool(code) and code == source) for code, label in SOURCES]


def opinions(case: Case) -> list[tuple[str, bool]]:
    """The opinion boxes, the applicable one ticked: none before the case is accepted (the officer
    writes it then)."""
    if case.status == CaseStatus.RECEIVED:
        chosen = None
    elif case.status == CaseStatus.TRANSFERRED:
        chosen = "transfer"
    else:
        chosen = "criminal" if case.kind == CaseKind.CRIMINAL else "administrative"
    return [(str(label), code == chosen) for code, label in OPINIONS]
