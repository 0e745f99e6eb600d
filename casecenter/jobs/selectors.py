"""Reads of background work: which progress rows a user may see."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _

from casecenter.accounts.roles import Role
from casecenter.core.errors import NotFound

from .models import Progress


def progress_visible_to(user):
    """The progress rows ``user`` may see: their own; owner-less (system) jobs only for system
    administrators. Nobody sees another person's job, whatever their role."""
    if not (user and user.is_authenticated):
        return Progress.objects.none()
    visible = Q(owner=user)
    if Role.SYSTEM_ADMIN in user.roles:
        visible |= Q(owner__isnull=True)
    return Progress.objects.filter(visible)


def get_progress_for_user(user, pk) -> Progress:
    """One progress row, or NotFound for a row that does not exist or is not the user's to see
    (the same answer, so that a job's existence is not disclosed)."""
    progress = progress_visible_to(user).filter(pk=pk).first()
    if progress is None:
        raise NotFound(_("There is no such job."))
    return progress


def latest_progress(user, *, kind: str) -> Progress | None:
    """The user's own most recent job of ``kind`` (for a page that starts such jobs)."""
    if not (user and user.is_authenticated):
        return None
    return Progress.objects.filter(owner=user, kind=kind).order_by("-created_at").first()
