from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "casecenter.jobs"
    label = "jobs"
    verbose_name = _("Background work")

    def ready(self):
        from django_tasks.signals import task_finished

        from casecenter.core import status
        from casecenter.ledger import verification

        from . import progress
        from .models import ProgressState

        status.register("job", ProgressState, {
            "running": "active", "succeeded": "done", "failed": "refused", "cancelled": "archived"})

        # The audit pages offer to verify the record through this app's background job.
        verification.register_start_page("jobs:ledger_verification")

        # A task that raised before finishing its progress leaves no bar spinning for ever.
        task_finished.connect(progress.fail_abandoned, dispatch_uid="casecenter.jobs.fail_abandoned")
