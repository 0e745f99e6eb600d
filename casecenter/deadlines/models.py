"""Legal time limits: the calendar of holidays, the running clocks (deadlines) and their alerts.

The rules themselves are data (``data/rules.toml``, read by :mod:`.rules`), not rows: a rule is
changed by a release that cites the law, never by an edit in a form. A deadline stores the id of
its rule and everything that happened to it (pauses, extensions); its due time is recomputed from
those by :mod:`.computation` whenever one of them changes, so the explanation shown to the
officer is always the computation that set the stored due time.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from casecenter.core import clock

from . import subjects

# --- the calendar ---------------------------------------------------------------------------------

class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Public holiday")
    WORKDAY = "workday", _("Make-up working day")


class CalendarYear(models.Model):
    """A year whose holidays are entered, with the State Council notice they come from. A year with
    no row is unknown: computations that reach into it say so instead of guessing."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    source = models.CharField(_("source"), max_length=200, help_text=_("The State Council notice."))
    entered_at = models.DateTimeField(_("entered"), default=clock.now)

    class Meta:
        ordering = ["year"]
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")

    def __str__(self) -> str:
        return str(self.year)


class CalendarDay(models.Model):
    """A date that differs from the ordinary week: a public holiday (on any weekday) or a make-up
    working day (a Saturday or Sunday that is worked)."""

    year = models.ForeignKey(CalendarYear, verbose_name=_("year"), on_delete=models.CASCADE, related_name="days")
    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=DayKind.choices)
    name = models.CharField(_("name"), max_length=64, blank=True, help_text=_("e.g. 国庆节"))

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} {self.name}".strip()


# --- deadlines ------------------------------------------------------------------------------------

class DeadlineState(models.TextChoices):
    RUNNING = "running", _("Running")
    PAUSED = "paused", _("Paused")
    MET = "met", _("Met")
    BREACHED = "breached", _("Breached")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_STATES = (DeadlineState.RUNNING, DeadlineState.PAUSED, DeadlineState.BREACHED)


class DeadlineQuerySet(models.QuerySet):
    def open(self):
        """Clocks still to be acted on: running, paused, or breached and not yet ended."""
        return self.filter(state__in=OPEN_STATES, ended_at__isnull=True)

    def for_subject(self, subject):
        return self.filter(subject_type=ContentType.objects.get_for_model(subject), subject_id=str(subject.pk))


class Deadline(models.Model):
    """One running clock the law sets, attached to its subject (a custody visit, a measure, a case,
    a property item).

    ``due_at`` is the due time with every pause and extension applied (None while paused: a paused
    clock has no due time, only time left). ``next_alert_at`` is the earliest warning threshold or
    the breach not yet raised; the scan reads only rows whose ``next_alert_at`` has passed, so its
    cost follows the number of alerts, not the number of clocks. Times are stored in UTC.
    """

    rule_id = models.CharField(_("rule"), max_length=64, db_index=True)
    subject_type = models.ForeignKey(ContentType, verbose_name=_("subject type"), on_delete=models.PROTECT)
    subject_id = models.CharField(_("subject"), max_length=64)
    subject = GenericForeignKey("subject_type", "subject_id")
    case_id = models.CharField(_("case"), max_length=64, null=True, blank=True, db_index=True)
    person_id = models.CharField(_("person"), max_length=64, null=True, blank=True, db_index=True)
    label = models.CharField(_("label"), max_length=200, blank=True,
                             help_text=_("What the clock is about, e.g. the person's name and the measure."))
    # The label as a code and its parameters (subjects.Text), said in the reader's language; the
    # label above is its copy in the installation's language (and the only title of older clocks).
    label_code = models.CharField(_("label code"), max_length=64, blank=True, editable=False)
    label_params = models.JSONField(_("label parameters"), default=dict, blank=True, editable=False)
    unit = models.ForeignKey("accounts.Unit", verbose_name=_("responsible unit"), on_delete=models.PROTECT,
                             related_name="+")
    officers = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("responsible officers"),
                                      related_name="deadlines", blank=True)
    started_at = models.DateTimeField(_("started"))
    person_held = models.BooleanField(
        _("person held"), default=False,
        help_text=_("While the person is held a period ending on a holiday is not extended (CPL art. 105)."))
    due_at = models.DateTimeField(_("due"), null=True, blank=True, db_index=True)
    next_alert_at = models.DateTimeField(_("next alert"), null=True, blank=True)
    # Thresholds at or before this instant are behind the clock: set when a pause ends or an
    # extension is granted, so that moving the due time never raises again what was already raised
    # (a resume) or what is already past (an extension). None: every threshold counts.
    alerts_after = models.DateTimeField(_("alerts only after"), null=True, blank=True, editable=False)
    state = models.CharField(_("state"), max_length=16, choices=DeadlineState.choices,
                             default=DeadlineState.RUNNING)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    end_note = models.CharField(_("note"), max_length=500, blank=True)
    end_note_code = models.CharField(_("note code"), max_length=64, blank=True, editable=False)
    end_note_params = models.JSONField(_("note parameters"), default=dict, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("started by"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), default=clock.now)

    objects = DeadlineQuerySet.as_manager()

    class Meta:
        ordering = ["due_at", "id"]
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        indexes = [
            models.Index(fields=["subject_type", "subject_id"], name="deadlines_subject"),
            # The scan: only clocks with an alert still to raise, in time order.
            models.Index(fields=["next_alert_at"], name="deadlines_next_alert",
                         condition=Q(next_alert_at__isnull=False)),
        ]

    def __str__(self) -> str:
        return subjects.title(self)

    def get_absolute_url(self) -> str:
        return reverse("deadlines:detail", args=[self.pk])

    @property
    def end_text(self) -> str:
        """Why the clock ended, in the reader's language."""
        return subjects.end_note(self)

    @property
    def rule_name(self) -> str:
        """The rule's name in the reader's language (its id if a release removed it)."""
        from .rules import RuleError, catalog

        try:
            return catalog().get(self.rule_id).name
        except RuleError:
            return self.rule_id


class DeadlinePause(models.Model):
    """Time the law excludes from the clock (a drunk person's restraint, appraisal time)."""

    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="pauses")
    kind = models.CharField(_("reason"), max_length=64, help_text=_("A pause the rule allows."))
    started_at = models.DateTimeField(_("from"))
    ended_at = models.DateTimeField(_("until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["started_at", "id"]
        verbose_name = _("pause")
        verbose_name_plural = _("pauses")
        constraints = [models.UniqueConstraint(fields=["deadline"], condition=Q(ended_at__isnull=True),
                                               name="deadlines_one_open_pause")]

    def __str__(self) -> str:
        return f"{self.kind} {self.started_at:%Y-%m-%d %H:%M}"


class DeadlineExtension(models.Model):
    """An extension tier the rule allows, with the approval that granted it: who approved, when,
    and the document (审批表 or 决定书 number)."""

    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="extensions")
    tier = models.CharField(_("extension"), max_length=64)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("approved by"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    # An approval by a body outside the bureau (the procuratorate's decision), recorded from its
    # document when its author has no account here.
    approver_name = models.CharField(_("approved by (name)"), max_length=200, blank=True)
    approved_at = models.DateTimeField(_("approved"))
    reference = models.CharField(_("approval document"), max_length=100)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded"), default=clock.now)

    class Meta:
        ordering = ["approved_at", "id"]
        verbose_name = _("extension")
        verbose_name_plural = _("extensions")
        constraints = [models.UniqueConstraint(fields=["deadline", "tier"], name="deadlines_extension_once")]

    def __str__(self) -> str:
        return f"{self.tier} ({self.reference})"


# --- alerts ---------------------------------------------------------------------------------------

class AlertLevel(models.TextChoices):
    WARNING = "warning", _("Warning")
    BREACH = "breach", _("Breach")


class AlertState(models.TextChoices):
    OPEN = "open", _("Open")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    RESOLVED = "resolved", _("Resolved")


class Alert(models.Model):
    """A warning threshold or a breach of one deadline, raised once: the unique constraint on
    (deadline, threshold, due time) is what makes several scanners at once raise it once. A new due
    time (an extension) has its own thresholds, so its warnings are raised again."""

    deadline = models.ForeignKey(Deadline, on_delete=models.PROTECT, related_name="alerts")
    level = models.CharField(_("level"), max_length=16, choices=AlertLevel.choices)
    severity = models.CharField(_("severity"), max_length=16)
    threshold_seconds = models.BigIntegerField(_("before due (s)"), help_text=_("0 for the breach."))
    due_at = models.DateTimeField(_("due"))
    raised_at = models.DateTimeField(_("raised"), default=clock.now, db_index=True)
    state = models.CharField(_("state"), max_length=16, choices=AlertState.choices, default=AlertState.OPEN)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="+")
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    acknowledge_note = models.CharField(_("note"), max_length=500, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolve_note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["-raised_at", "-id"]
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        constraints = [models.UniqueConstraint(fields=["deadline", "threshold_seconds", "due_at"],
                                               name="deadlines_alert_once")]

    def __str__(self) -> str:
        return f"{self.get_level_display()}: {self.deadline}"

    def get_absolute_url(self) -> str:
        return reverse("deadlines:alert", args=[self.pk])

    @property
    def threshold_label(self) -> str:
        """"2 hours before due", "10 days before due", or "due time passed" for the breach."""
        seconds = self.threshold_seconds
        if seconds <= 0:
            return str(_("due time passed"))
        for unit, size, label in (("days", 86400, _("{n} days before due")), ("hours", 3600, _("{n} hours before due")),
                                  ("minutes", 60, _("{n} minutes before due"))):
            if seconds % size == 0 or unit == "minutes":
                return str(label).format(n=seconds // size)
        return ""


class AlertRecipient(models.Model):
    """Who an alert was routed to, and why (officer, head of department, supervision); ``read_at``
    is what the shell's unread count counts."""

    class Reason(models.TextChoices):
        OFFICER = "officer", _("Responsible officer")
        HEAD = "head", _("Head of department")
        SUPERVISION = "supervision", _("Supervision")
        APPROVER = "approver", _("Approver of its extensions")

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="recipients")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alert_deliveries")
    reason = models.CharField(_("routed as"), max_length=16, choices=Reason.choices)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("alert recipient")
        verbose_name_plural = _("alert recipients")
        constraints = [models.UniqueConstraint(fields=["alert", "user"], name="deadlines_alert_recipient_once")]
        indexes = [models.Index(fields=["user", "read_at"], name="deadlines_recipient_unread")]

    def __str__(self) -> str:
        return f"{self.user_id} ← {self.alert_id}"
