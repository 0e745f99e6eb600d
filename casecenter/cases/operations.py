"""Input → service calls shared by the API and the HTML forms, so that the two never differ."""

from __future__ import annotations

from .models import CaseStatus
from .services import measures as measure_services


def transition_kwargs(to: str, d: dict) -> dict:
    """The arguments of the transition service to ``to`` from the common input (API and HTML)."""
    if to in (CaseStatus.ACCEPTED, CaseStatus.INVESTIGATING, CaseStatus.ARCHIVED):
        return {"at": d["at"], "note": d.get("note", "")}
    kwargs = {"decided_by": d.get("decided_by"), "decided_at": d["at"]}
    if to in (CaseStatus.NOT_FILED, CaseStatus.WITHDRAWN, CaseStatus.TRANSFERRED):
        kwargs["reason"] = d.get("reason", "")
    else:
        kwargs["note"] = d.get("note", "")
    if to == CaseStatus.TRANSFERRED:
        kwargs["receiving_organ"] = d.get("receiving_organ", "")
    return kwargs


def measure_call(action: str, *, actor, case, measure, d: dict, request):
    """Call the measure service for ``action`` (shared by the API and the HTML forms)."""
    bail = {k: d.get(k) or ("" if k != "deposit_amount" else None)
            for k in ("bail_form", "deposit_amount", "guarantor_name")}
    common = {"actor": actor, "request": request}
    if action == "start":
        return measure_services.measure_start(case=case, person=d["person"], kind=d["kind"],
                                              started_at=d["started_at"], basis=d.get("basis", ""),
                                              decided_by=d.get("decided_by"), **bail, **common)
    if action == "convert":
        return measure_services.measure_convert(measure=measure, kind=d["kind"], at=d["started_at"],
                                                basis=d.get("basis", ""), decided_by=d.get("decided_by"),
                                                **bail, **common)
    if action == "end":
        return measure_services.measure_end(measure=measure, at=d["started_at"], reason=d.get("reason", ""), **common)
    if action == "approve":
        return measure_services.measure_approve(measure=measure, decided_by=d.get("decided_by"), **common)
    return measure_services.measure_refuse(measure=measure, decided_by=d.get("decided_by"),
                                           reason=d.get("reason", ""), **common)
