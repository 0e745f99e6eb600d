"""``ledger verify`` as a background job for the audit administrator: the start service records
who started it, the task walks the whole record under a progress bar and records the outcome
(``ledger.services.verification_record``), which the audit home panel shows.

It lives here, not in the ledger, because the ledger sits below the job queue (DESIGN.md §2).
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from casecenter.ledger.integrity import verify_ledger
from casecenter.ledger.models import Event
from casecenter.ledger.services import verification_record
from casecenter.ledger.verification import FINISHED, sequenced_events

from .models import ProgressState
from .progress import progress_advance, progress_finish, progress_open

KIND = "ledger.verify"


@task()
def verify_record(progress_id: str) -> dict:
    """Verify the whole ledger under the progress row ``progress_id`` and record the outcome.

    Idempotent: a finished job's second delivery does nothing (``progress_open``), and a run whose
    outcome is already recorded (the worker died between the record and the bar) records nothing more.
    """
    progress = progress_open(progress_id)
    if progress is None:
        return {}
    with translation.override(progress.language or None):
        total = sequenced_events()
        progress_advance(progress, done=0, total=total, message=_("Checking the events…"))

        def advance(done: int) -> None:
            progress_advance(progress, done=done, message=_("{done} of {total} events checked").format(
                done=done, total=total))

        try:
            report = verify_ledger(progress=advance)
        except Exception as error:
            progress_finish(progress, state=ProgressState.FAILED, message=_("The verification could not run."),
                            error=f"{type(error).__name__}: {error}")
            raise
        if not Event.objects.filter(action=FINISHED, subject_id=str(progress.pk)).exists():
            verification_record(actor=progress.owner, report=report, progress_id=str(progress.pk))
        progress.done = report.events
        summary = _("{events} events and {checkpoints} checkpoints checked.").format(
            events=report.events, checkpoints=report.checkpoints)
        result_url = f"{reverse('ledger:events')}?action=ledger.verification"
        if report.ok:
            progress_finish(progress, state=ProgressState.SUCCEEDED, result_url=result_url,
                            message=_("The record verifies: nothing was changed. {summary}").format(summary=summary))
        else:
            progress_finish(progress, state=ProgressState.FAILED, error=report.first.message,
                            message=_("The record does NOT verify: {count} findings. {summary}").format(
                                count=len(report.findings), summary=summary))
    return {"ok": report.ok, "events": report.events, "findings": len(report.findings)}
