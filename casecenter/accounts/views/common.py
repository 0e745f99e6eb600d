"""What the administration views share: submitting a form through its service, with every refusal
at its field, and a record changed meanwhile by another administrator answered with the record as
it now is (409) instead of an overwrite."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from casecenter.core.errors import ApplicationError, Conflict


def status_for(error) -> int:
    """A refusal answers 400, or 409 when another administrator changed the record meanwhile."""
    return 409 if isinstance(error, Conflict) else 400


@dataclass
class Outcome:
    form: object
    status: int = 200
    conflict: str | None = None
    saved: object = None

    def context(self) -> dict:
        return {"form": self.form, "conflict": self.conflict}


def submit(request, form, save: Callable[[], object], *, fresh: Callable[[], object] | None = None) -> Outcome:
    """On POST, validate ``form`` and ``save()`` it (a service call; ``saved`` is its answer).

    A refusal goes to the fields it names (400). A conflict (409) shows ``fresh()``, the form of the
    record as it now is, with the conflict above it; without ``fresh`` the conflict stays on the form.
    """
    if request.method != "POST":
        return Outcome(form)
    if not form.is_valid():
        return Outcome(form, 400)
    try:
        saved = save()
    except ApplicationError as error:
        if isinstance(error, Conflict) and fresh is not None:
            return Outcome(fresh(), 409, error.message)
        form.add_service_error(error)
        return Outcome(form, status_for(error))
    return Outcome(form, saved=saved if saved is not None else True)
