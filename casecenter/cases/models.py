"""Cases: intake and acceptance (受案), the filing decision (立案 / 不予立案 / 移送), parties and the
coercive measures per suspect. Every status is a ``TextChoices`` with a transitions table here; the
services (``services/``) are the only writers and each records its ledger event.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from casecenter.core import clock


class CaseKind(models.TextChoices):
    CRIMINAL = "criminal", _("Criminal")
    ADMINISTRATIVE = "administrative", _("Administrative")


class CaseSource(models.TextChoices):
    CALL_110 = "call_110", _("110 call")
    WALK_IN = "walk_in", _("Walk-in report")
    TRANSFER = "transfer", _("Transfer")
    SELF_SURRENDER = "self_surrender", _("Self-surrender")
    PATROL = "patrol", _("Found on patrol")


class CaseStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    ACCEPTED = "accepted", _("Accepted")
    FILED = "filed", _("Filed")
    NOT_FILED = "not_filed", _("Not filed")
    TRANSFERRED = "transferred", _("Transferred")
    INVESTIGATING = "investigating", _("Investigating")
    PROSECUTION = "prosecution", _("Transferred for prosecution")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    DECIDED = "decided", _("Decided")
    ARCHIVED = "archived", _("Archived")


#: The case's state machine: (from, to) → the ledger verb. Anything else is refused.
CASE_TRANSITIONS: dict[tuple[str, str], str] = {
    (CaseStatus.RECEIVED, CaseStatus.ACCEPTED): "accepted",
    (CaseStatus.ACCEPTED, CaseStatus.FILED): "filed",
    (CaseStatus.ACCEPTED, CaseStatus.NOT_FILED): "not_filed",
    (CaseStatus.ACCEPTED, CaseStatus.TRANSFERRED): "transferred",
    (CaseStatus.FILED, CaseStatus.INVESTIGATING): "investigation_started",
    (CaseStatus.INVESTIGATING, CaseStatus.PROSECUTION): "prosecution_transferred",
    (CaseStatus.INVESTIGATING, CaseStatus.WITHDRAWN): "withdrawn",
    (CaseStatus.INVESTIGATING, CaseStatus.DECIDED): "decided",
    **{(end, CaseStatus.ARCHIVED): "archived" for end in (
        CaseStatus.NOT_FILED, CaseStatus.TRANSFERRED, CaseStatus.PROSECUTION, CaseStatus.WITHDRAWN,
        CaseStatus.DECIDED)},
}
#: Decisions only a county-level chief takes (刑规 175, 178, 187, 289; DOMAIN.md §4).
CHIEF_DECISIONS = frozenset({CaseStatus.FILED, CaseStatus.NOT_FILED, CaseStatus.TRANSFERRED,
                             CaseStatus.PROSECUTION, CaseStatus.WITHDRAWN, CaseStatus.DECIDED})


class CaseCause(models.Model):
    """One 案由: a criminal 罪名 or a 治安 违法行为 name. Shipped rows come from
    ``data/causes.toml`` (loaded after migrate); administrators add their own in the admin."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=CaseKind.choices)
    shipped = models.BooleanField(_("shipped"), default=False, editable=False)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["kind", "code"]
        verbose_name = _("case cause")
        verbose_name_plural = _("case causes")

    def __str__(self) -> str:
        return self.name


#: The number of a unit without a pattern of its own: "A", the unit's organ code (the prefix), the
#: year and a six-digit yearly sequence — the shape of the police systems' 23-character 案件编号
#: (``A110101510000202600012``). See ``numbering.py``.
DEFAULT_NUMBER_PATTERN = "A{prefix}{year}{seq:06d}"


class CaseNumberPattern(models.Model):
    """How a unit numbers its cases. ``pattern`` is a ``str.format`` template with ``{prefix}``,
    ``{year}``, ``{kind}`` (X criminal / Z administrative) and ``{seq}`` (e.g. ``{seq:05d}``);
    ``prefix`` is usually the unit's 12-digit organ code (机构代码)."""

    unit = models.OneToOneField("accounts.Unit", verbose_name=_("unit"), on_delete=models.CASCADE,
                                related_name="case_number_pattern")
    prefix = models.CharField(_("prefix"), max_length=32)
    pattern = models.CharField(_("pattern"), max_length=100, default=DEFAULT_NUMBER_PATTERN)

    class Meta:
        verbose_name = _("case number pattern")
        verbose_name_plural = _("case number patterns")

    def __str__(self) -> str:
        return f"{self.unit} {self.pattern}"


class CaseSequence(models.Model):
    """The yearly counter of a unit's case numbers; taken under a row lock (see services.numbering)."""

    unit = models.ForeignKey("accounts.Unit", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="cases_sequence_unit_year")]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.year}: {self.last}"


class CaseQuerySet(models.QuerySet):
    def visible_to(self, user):
        from casecenter.accounts.selectors import visible_scope

        return self.in_scope(visible_scope(user))

    def in_scope(self, scope):
        """The cases of the units of ``scope`` (an ``accounts.scopes.Scope``)."""
        # Through the unit's path (a join), not ``unit IN (subquery)``: the list then walks the
        # received_at index for its first page instead of sorting every visible case. One subtree
        # (every role but a rare combination) is one range condition on the path.
        if scope.nothing:
            return self.none()
        if scope.everything:
            return self
        if scope.single is not None:
            return self.filter(unit__path__startswith=scope.single)
        return self.filter(scope.q("unit__path"))

    def open(self):
        return self.exclude(status=CaseStatus.ARCHIVED)


class Case(models.Model):
    """A case. ``status`` changes only through the transition services (CASE_TRANSITIONS)."""

    number = models.CharField(_("case number"), max_length=64, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=CaseKind.choices)
    cause = models.ForeignKey(CaseCause, verbose_name=_("case cause"), on_delete=models.PROTECT,
                              related_name="cases")
    summary = models.TextField(_("summary"))
    source = models.CharField(_("source"), max_length=16, choices=CaseSource.choices)
    received_at = models.DateTimeField(_("received"))
    unit = models.ForeignKey("accounts.Unit", verbose_name=_("owning unit"), on_delete=models.PROTECT,
                             related_name="cases")
    officers = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("handling officers"),
                                      related_name="cases")
    status = models.CharField(_("status"), max_length=16, choices=CaseStatus.choices,
                              default=CaseStatus.RECEIVED, db_index=True)
    status_changed_at = models.DateTimeField(_("status changed"), default=clock.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("registered by"), null=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("registered"), default=clock.now)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-id"]
        # The list's first page in its order, with or without a status or unit filter, from an index.
        indexes = [models.Index(fields=["received_at", "id"], name="cases_case_received"),
                   models.Index(fields=["status", "received_at", "id"], name="cases_case_status_received"),
                   models.Index(fields=["unit", "received_at", "id"], name="cases_case_unit_received")]
        verbose_name = _("case")
        verbose_name_plural = _("cases")

    def __str__(self) -> str:
        return self.number


class CaseDecision(models.Model):
    """One status transition of a case: who decided it, when, and why (the transitions' history)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="decisions")
    from_status = models.CharField(max_length=16, choices=CaseStatus.choices)
    to_status = models.CharField(max_length=16, choices=CaseStatus.choices)
    decided_at = models.DateTimeField(_("decided"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True,
                                   on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT,
                                    related_name="+")
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["decided_at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.from_status} → {self.to_status}"


class AcceptanceRecord(models.Model):
    """The 受案登记表 and the 受案回执 given to the reporter (刑规 170–171)."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="acceptance")
    receipt_number = models.CharField(_("receipt number"), max_length=64, unique=True)
    reporter_name = models.CharField(_("reporter"), max_length=100, blank=True)
    reporter_phone = models.CharField(_("reporter's phone"), max_length=32, blank=True)
    reporter_address = models.CharField(_("reporter's address"), max_length=200, blank=True)
    report_content = models.TextField(_("what was reported"), blank=True)
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("received by"), null=True,
                                    on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("acceptance record")

    def __str__(self) -> str:
        return self.receipt_number


class PartyRole(models.TextChoices):
    SUSPECT = "suspect", _("Suspect")
    VICTIM = "victim", _("Victim")
    WITNESS = "witness", _("Witness")
    REPORTER = "reporter", _("Reporter")
    GUARDIAN = "guardian", _("Guardian")
    INTERPRETER = "interpreter", _("Interpreter")
    LAWYER = "lawyer", _("Lawyer")


class PartyQuerySet(models.QuerySet):
    def current(self):
        return self.filter(removed_at__isnull=True)


class Party(models.Model):
    """A person of the registry in a role on a case. Removal keeps the row (with its reason)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="parties")
    person = models.ForeignKey("people.Person", verbose_name=_("person"), on_delete=models.PROTECT,
                               related_name="case_parties")
    role = models.CharField(_("role"), max_length=16, choices=PartyRole.choices)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    added_at = models.DateTimeField(_("added"), default=clock.now)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    removed_at = models.DateTimeField(_("removed"), null=True, blank=True)
    removed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    removal_reason = models.CharField(_("reason for removal"), max_length=500, blank=True)

    objects = PartyQuerySet.as_manager()

    class Meta:
        ordering = ["added_at", "id"]
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        constraints = [models.UniqueConstraint(fields=["case", "person", "role"], condition=Q(removed_at__isnull=True),
                                               name="cases_party_current_unique")]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()})"


class MeasureKind(models.TextChoices):
    SUMMONS = "summons", _("Summons")
    COMPELLED_APPEARANCE = "compelled_appearance", _("Compelled appearance")
    CONTINUED_QUESTIONING = "continued_questioning", _("Continued questioning")
    CRIMINAL_DETENTION = "criminal_detention", _("Criminal detention")
    ARREST_REQUEST = "arrest_request", _("Arrest request")
    ARREST = "arrest", _("Arrest")
    BAIL = "bail", _("Bail")
    RESIDENTIAL_SURVEILLANCE = "residential_surveillance", _("Residential surveillance")
    ADMINISTRATIVE_DETENTION = "administrative_detention", _("Administrative detention")


class MeasureStatus(models.TextChoices):
    PENDING = "pending", _("Pending approval")
    ACTIVE = "active", _("In force")
    REFUSED = "refused", _("Refused")
    ENDED = "ended", _("Ended")
    CONVERTED = "converted", _("Converted")


#: The measure's state machine: (from, to) → the ledger verb.
MEASURE_TRANSITIONS: dict[tuple[str, str], str] = {
    (MeasureStatus.PENDING, MeasureStatus.ACTIVE): "approved",
    (MeasureStatus.PENDING, MeasureStatus.REFUSED): "refused",
    (MeasureStatus.ACTIVE, MeasureStatus.ENDED): "ended",
    (MeasureStatus.ACTIVE, MeasureStatus.CONVERTED): "converted",
}

_K = MeasureKind
#: What a measure in force may be converted into (the per-type machine of conversions).
MEASURE_CONVERSIONS: dict[str, frozenset[str]] = {
    _K.SUMMONS: frozenset({_K.CRIMINAL_DETENTION, _K.BAIL, _K.RESIDENTIAL_SURVEILLANCE, _K.ADMINISTRATIVE_DETENTION}),
    _K.COMPELLED_APPEARANCE: frozenset({_K.CRIMINAL_DETENTION, _K.BAIL, _K.RESIDENTIAL_SURVEILLANCE}),
    _K.CONTINUED_QUESTIONING: frozenset({_K.CRIMINAL_DETENTION, _K.ADMINISTRATIVE_DETENTION}),
    _K.CRIMINAL_DETENTION: frozenset({_K.ARREST_REQUEST, _K.BAIL, _K.RESIDENTIAL_SURVEILLANCE}),
    _K.ARREST_REQUEST: frozenset({_K.ARREST, _K.BAIL, _K.RESIDENTIAL_SURVEILLANCE}),
    _K.ARREST: frozenset({_K.BAIL, _K.RESIDENTIAL_SURVEILLANCE}),
    _K.BAIL: frozenset({_K.CRIMINAL_DETENTION, _K.ARREST, _K.RESIDENTIAL_SURVEILLANCE}),
    _K.RESIDENTIAL_SURVEILLANCE: frozenset({_K.CRIMINAL_DETENTION, _K.ARREST, _K.BAIL}),
    _K.ADMINISTRATIVE_DETENTION: frozenset(),
}
#: Which kinds of case each measure belongs to.
MEASURE_CASE_KINDS: dict[str, frozenset[str]] = {
    kind: frozenset({CaseKind.CRIMINAL}) for kind in MeasureKind
} | {
    _K.SUMMONS: frozenset({CaseKind.CRIMINAL, CaseKind.ADMINISTRATIVE}),
    _K.CONTINUED_QUESTIONING: frozenset({CaseKind.CRIMINAL, CaseKind.ADMINISTRATIVE}),
    _K.ADMINISTRATIVE_DETENTION: frozenset({CaseKind.ADMINISTRATIVE}),
}


class BailForm(models.TextChoices):
    DEPOSIT = "deposit", _("Deposit")
    GUARANTOR = "guarantor", _("Guarantor")


class Measure(models.Model):
    """One coercive measure on one suspect of a case. Its clocks are deadlines whose subject is
    this row (``Deadline.objects.for_subject(measure)``). ``converted_from`` links a chain
    (summons → detention → arrest request → arrest)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="measures")
    person = models.ForeignKey("people.Person", verbose_name=_("person"), on_delete=models.PROTECT,
                               related_name="case_measures")
    kind = models.CharField(_("measure"), max_length=32, choices=MeasureKind.choices)
    status = models.CharField(_("status"), max_length=16, choices=MeasureStatus.choices,
                              default=MeasureStatus.PENDING)
    basis = models.CharField(_("legal basis"), max_length=500)
    started_at = models.DateTimeField(_("start"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    end_reason = models.CharField(_("reason for the end"), max_length=500, blank=True)
    converted_from = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                          related_name="converted_to")
    bail_form = models.CharField(_("bail form"), max_length=16, choices=BailForm.choices, blank=True)
    deposit_amount = models.DecimalField(_("deposit (yuan)"), max_digits=12, decimal_places=2, null=True,
                                         blank=True)
    guarantor_name = models.CharField(_("guarantor"), max_length=100, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("recorded"), default=clock.now)

    class Meta:
        ordering = ["started_at", "id"]
        verbose_name = _("coercive measure")
        verbose_name_plural = _("coercive measures")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"
