"""Starting the background jobs that are not an app's own (see ``verification.py``)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casecenter.core.errors import Conflict
from casecenter.ledger.actions import records
from casecenter.ledger.services import record_event

from .models import Progress, ProgressState
from .progress import progress_enqueue
from .verification import KIND, verify_record


@records("ledger.verification.started")
@transaction.atomic
def ledger_verification_start(*, actor, request=None) -> Progress:
    """Start verifying the whole record in the background (audit administrator).

    One at a time: while a verification runs, another start is refused with who started it and
    when (two auditors pressing the button at once may both start one: both are read-only runs and
    each records its outcome). The progress row, the task and the event commit together.
    """
    running = Progress.objects.filter(kind=KIND, state=ProgressState.RUNNING).select_related("owner").first()
    if running is not None:
        raise Conflict(_("A verification started by {name} at {time} is still running.").format(
            name=running.owner.full_name if running.owner else _("the system"),
            time=timezone.localtime(running.created_at).strftime("%H:%M")))
    progress = progress_enqueue(verify_record, kind=KIND, label=_("Verify the whole record"), owner=actor)
    record_event(actor=actor, action="ledger.verification.started", subject=("ledger.verification", progress.pk),
                 data={}, request=request)
    return progress
