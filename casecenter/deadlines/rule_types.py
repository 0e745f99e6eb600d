"""What a legal time limit is: the rule, its citations, extension tiers and pauses, and the
catalog class that finds the version of a rule in force on a day. Plain data, no database: the
loader (:mod:`.loader`) builds these from ``data/rules.toml``, and :mod:`.rules` keeps the process's
catalog.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from casecenter.core.errors import ValidationFailed

SHANGHAI = ZoneInfo("Asia/Shanghai")
UNITS = ("hours", "days", "months")
MODES = ("add", "total")
# Who may approve an extension, by level: "unit" — a holder of the role in the clock's unit or a unit
# above it; "higher_organ" — a holder of the role in a unit strictly above the police organ (the
# district or county bureau) that handles the clock: "经上一级公安机关批准" (治安法 art. 99, 行规 art. 165).
APPROVER_LEVELS = ("unit", "higher_organ")
SEVERITIES = ("minor", "serious", "critical")
RECIPIENTS = ("officer", "head", "supervision")
# What a clock is attached to: a custody visit, a coercive measure, a case, a property item, a
# request or application (a lawyer's, a complainant's), a notice to be sent.
SUBJECTS = ("visit", "measure", "case", "property", "request", "notice")
# Approvals outside the police hierarchy: the procuratorate decides some extensions itself.
EXTRA_APPROVAL_ROLES = ("procuratorate",)
# Administrative procedure (行规 art. 35) rather than criminal procedure (CPL art. 105) for the
# holiday rule; decided by the law a rule cites first.
ADMINISTRATIVE_LAWS = frozenset({"mps-admin-rules", "public-security-penalties", "continued-questioning",
                                 "administrative-coercion", "administrative-penalty", "detention-centre"})


class RuleError(ValidationFailed, ValueError):
    """Bad input to the deadline engine or a bad rule. ``field`` names what is wrong ("rule", "tier",
    "started_at", "pauses", …); the message is translated. A :class:`ValidationFailed`, so the API
    answers it in the project's one error shape (code ``validation``, the field in ``fields``)."""

    def __init__(self, message: str, *, field: str | None = None, rule: str | None = None):
        super().__init__(message, field=field)
        self.field = field
        self.rule_id = rule


class UnknownRule(RuleError):
    def __init__(self, rule_id: str):
        super().__init__(_("Unknown deadline rule {rule!r}.").format(rule=rule_id), field="rule", rule=rule_id)


@functools.cache
def law_short_names() -> dict[str, str]:
    """Statute code → short name (刑诉法), from the statute library's catalog.json."""
    from casecenter.law.loader import CATALOG

    data = json.loads(CATALOG.read_text(encoding="utf-8"))
    return {s["code"]: s.get("short_name") or s["full_name"] for s in data["statutes"]}


@dataclass(frozen=True)
class Duration:
    amount: int
    unit: str  # "hours" | "days" | "months"

    def __str__(self) -> str:
        return f"{self.amount} {self.unit}"


def amount(n: int, unit: str) -> str:
    """An amount of time in words, in the active language (12 hours, 12小时)."""
    if unit == "hours":
        return ngettext("%(n)d hour", "%(n)d hours", n) % {"n": n}
    if unit == "days":
        return ngettext("%(n)d day", "%(n)d days", n) % {"n": n}
    return ngettext("%(n)d month", "%(n)d months", n) % {"n": n}


@dataclass(frozen=True)
class Citation:
    """An article of a statute in the library (``law`` is a code of law/data/statutes/catalog.json)."""

    law: str
    article: int
    paragraph: int | None = None
    item: int | None = None

    @functools.cached_property
    def label(self) -> str:
        """刑诉法第一百一十九条第二款 (the 款 and 项 when given)."""
        from casecenter.law.parser import int_to_chinese_numeral as numeral

        text = f"{law_short_names().get(self.law, self.law)}第{numeral(self.article)}条"
        if self.paragraph:
            text += f"第{numeral(self.paragraph)}款"
        if self.item:
            text += f"第{numeral(self.item)}项"
        return text

    @property
    def ref(self) -> str:
        """The catalog's spelling, ``cpl 119(2)``."""
        return f"{self.law} {self.article}" + "".join(f"({n})" for n in (self.paragraph, self.item) if n)

    def url(self, on: date) -> str | None:
        """The article's page in the statute library, in the version in force on ``on``; None when
        that law (or version) is not loaded."""
        from django.urls import reverse

        from casecenter.law.models import LawVersion

        version = (LawVersion.objects.filter(law__code=self.law).in_force_on(on)
                   .order_by("-effective_date", "-version_date").first())
        if version is None or not version.articles.filter(number=self.article, sub_number__isnull=True).exists():
            return None
        return reverse("law:article", args=[self.law, version.slug, str(self.article)])

    def __str__(self) -> str:
        return self.label


@dataclass(frozen=True)
class Extension:
    """An extension tier: ``add`` lengthens the period by ``duration``; ``total`` makes the whole
    period ``duration`` (12 h → 24 h). ``requires``: tiers that must be granted before this one;
    ``excludes``: tiers that cannot be granted together with it (the 1–4 day alternatives).
    ``approver_level``: one of :data:`APPROVER_LEVELS` — ``"unit"`` (a holder of ``approval_role`` in
    the clock's unit or above it) or ``"higher_organ"`` (a holder of ``approval_role`` in a unit
    strictly above the police organ handling the clock, for "经上一级公安机关批准")."""

    id: str
    name_zh: str
    name_en: str
    duration: Duration
    mode: str
    approval_role: str
    conditions_zh: str
    conditions_en: str
    requires: tuple[str, ...] = ()
    citation: Citation | None = None
    excludes: tuple[str, ...] = ()
    source: str = ""
    approver_level: str = "unit"

    def __post_init__(self):
        if self.approver_level not in APPROVER_LEVELS:
            raise ValueError(f"extension {self.id!r}: approver_level must be one of {', '.join(APPROVER_LEVELS)}, "
                             f"got {self.approver_level!r}")

    @property
    def name(self) -> str:
        return _pick(self.name_zh, self.name_en)

    @property
    def conditions(self) -> str:
        return _pick(self.conditions_zh, self.conditions_en)


@dataclass(frozen=True)
class PauseKind:
    """Time the law excludes from the clock (a drunk person's restraint, appraisal time)."""

    id: str
    name_zh: str
    name_en: str
    citation: Citation | None = None

    @property
    def name(self) -> str:
        return _pick(self.name_zh, self.name_en)


@dataclass(frozen=True)
class Rule:
    id: str
    name_zh: str
    name_en: str
    citations: tuple[Citation, ...]
    subject: str
    starts_on_zh: str
    starts_on_en: str
    duration: Duration
    holiday_roll: bool
    person_held: bool | None  # True: always held while it runs; False: never; None: the caller says
    extensions: tuple[Extension, ...] = ()
    pauses: tuple[PauseKind, ...] = ()
    warnings: tuple[timedelta, ...] = ()  # before due, largest first
    severity: str = "serious"
    notify: tuple[str, ...] = ("officer",)
    valid_from: date | None = None
    valid_until: date | None = None
    unconfirmed: str = ""  # why the values are configurable; "" when confirmed
    source: str = ""  # a document not in the statute library (公通字〔2015〕32号)
    overridden: str = ""  # the overrides file that changed this rule, if any
    # The longest the period may become with any combination of tiers (刑规 art. 129: "可以延长至三十
    # 日" → 30 days for the arrest request); None: only the tiers limit it. See :func:`maximum_fault`.
    maximum: Duration | None = None
    # Precomputed for the computation's hot path.
    _extensions: dict = field(default=None, init=False, repr=False, compare=False)
    _warning_seconds: tuple = field(default=(), init=False, repr=False, compare=False)

    def __post_init__(self):
        fault = maximum_fault(self.duration, self.maximum, self.extensions)
        if fault:
            raise ValueError(f"rule {self.id!r}: maximum: {fault}")
        object.__setattr__(self, "_extensions", {e.id: e for e in self.extensions})
        object.__setattr__(self, "_warning_seconds", tuple((int(w.total_seconds()), w) for w in self.warnings))

    @property
    def name(self) -> str:
        return _pick(self.name_zh, self.name_en)

    @property
    def starts_on(self) -> str:
        return _pick(self.starts_on_zh, self.starts_on_en)

    @property
    def citation_labels(self) -> str:
        return "、".join([c.label for c in self.citations] + ([self.source] if self.source else []))

    @functools.cached_property
    def administrative(self) -> bool:
        """Counted under 行规 art. 35 (administrative cases) rather than CPL art. 105."""
        return bool(self.citations) and self.citations[0].law in ADMINISTRATIVE_LAWS

    def extension(self, tier_id: str) -> Extension:
        try:
            return self._extensions[tier_id]
        except KeyError:
            raise RuleError(_("The rule {rule!r} has no extension {tier!r}; it allows: {allowed}.").format(
                rule=self.id, tier=tier_id, allowed=", ".join(self._extensions) or _("none")),
                field="tier", rule=self.id) from None

    def pause_kind(self, pause_id: str) -> PauseKind:
        for kind in self.pauses:
            if kind.id == pause_id:
                return kind
        raise RuleError(_("The rule {rule!r} allows no pause {pause!r}; it allows: {allowed}.").format(
            rule=self.id, pause=pause_id, allowed=", ".join(k.id for k in self.pauses) or _("none")),
            field="kind", rule=self.id)

    def valid_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_until is None or day <= self.valid_until)


def maximum_fault(base: Duration, maximum: Duration | None, extensions=()) -> str:
    """Why ``maximum`` cannot cap a rule of period ``base`` with these tiers ("" when it can): it is
    counted in the rule's unit, as is every tier of a capped rule (a cap in days cannot be compared
    with a period in months), and it is not shorter than the period the law sets without extension."""
    if maximum is None:
        return ""
    if maximum.unit != base.unit:
        return f"the maximum is counted in the rule's unit ({base.unit}), got {maximum}"
    if maximum.amount < base.amount:
        return f"the maximum {maximum} is shorter than the period itself ({base})"
    for ext in extensions:
        if ext.duration.unit != maximum.unit:
            return f"extension {ext.id!r} is counted in {ext.duration.unit}, the maximum in {maximum.unit}"
    return ""


def _pick(zh: str, en: str) -> str:
    language = get_language() or ""
    return zh if language.startswith("zh") else en


class Catalog:
    """The validated rules by id; a rule id with several law versions keeps them in date order."""

    def __init__(self, rules: list[Rule]):
        self._rules = list(rules)
        self._by_id: dict[str, list[Rule]] = {}
        for rule in rules:
            self._by_id.setdefault(rule.id, []).append(rule)
        for versions in self._by_id.values():
            versions.sort(key=lambda r: r.valid_from or date.min)

    def rules(self) -> list[Rule]:
        return list(self._rules)

    def ids(self) -> list[str]:
        return list(self._by_id)

    def versions(self, rule_id: str) -> list[Rule]:
        try:
            return list(self._by_id[rule_id])
        except KeyError:
            raise UnknownRule(rule_id) from None

    def get(self, rule_id: str) -> Rule:
        """The latest version of the rule."""
        return self.versions(rule_id)[-1]

    def resolve(self, rule_id: str, on: datetime) -> Rule:
        """The version in force at the instant ``on`` (its date in Asia/Shanghai)."""
        if on.tzinfo is None or on.utcoffset() is None:
            raise RuleError(_("The time must include its time zone."), field="started_at", rule=rule_id)
        day = on.astimezone(SHANGHAI).date()
        for rule in self.versions(rule_id):
            if rule.valid_on(day):
                return rule
        raise RuleError(_("The rule {rule!r} has no version in force on {day}.").format(rule=rule_id, day=day),
                        field="started_at", rule=rule_id)


