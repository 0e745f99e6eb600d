"""Cases in the search index: one document per case, kind ``cases.case``, in the case's unit (so a
search finds it only for users who see that unit). Found by number, cause, summary, the names and
ID numbers of its parties. The services re-index a case when it changes (on commit)."""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .models import Case

KIND = "cases.case"
LABEL = _("Cases")


def case_doc(case: Case, parties=None):
    """The case's document; ``parties``: its current parties' persons when the caller knows them
    (else read from ``case.parties``)."""
    from casecenter.search.indexing import make_doc

    if parties is None:
        parties = [p.person for p in case.parties.all() if p.removed_at is None]
    return make_doc(
        KIND, case.pk, unit=case.unit_id, title=f"{case.number} {case.cause.name}", body=case.summary,
        names=[p.name for p in parties], identifiers=[case.number, *[p.id_number for p in parties if p.id_number]],
        url=reverse("cases:detail", args=[case.pk]),
        extra={"number": case.number, "status": case.status, "kind": case.kind, "cause": case.cause.name},
    )


def index_case(case: Case, *, parties=None) -> None:
    """(Re-)index ``case`` when the caller's transaction commits. ``parties``: the persons of its
    current parties if the caller knows them (intake: none), sparing the read of the case."""
    from casecenter.search.indexing import index

    if parties is None:
        case = Case.objects.select_related("cause").prefetch_related("parties__person").get(pk=case.pk)
    doc = case_doc(case, parties)
    index(doc.kind, doc.ref, unit=doc.unit_id, title=doc.title, body=doc.body, names=doc.names,
          identifiers=doc.identifiers, url=doc.url, extra=doc.extra)


def all_cases() -> Iterator:
    cases = Case.objects.select_related("cause").prefetch_related("parties__person").order_by("pk")
    for case in cases.iterator(chunk_size=500):
        yield case_doc(case)


def case_total() -> int:
    return Case.objects.count()


def register_kind() -> None:
    from casecenter.search.kinds import register

    register(KIND, label=LABEL, source=all_cases, count=case_total, order=20)
