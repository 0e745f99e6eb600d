"""Reading the shipped data: the rule catalog (``data/rules.toml`` and the local overrides file) and
the calendar (``data/calendar.toml``, entered after ``migrate`` for the years not entered yet by
``services.calendar.load_shipped_calendar``).

Every problem in a rules file is reported as ``CatalogError`` (an ImproperlyConfigured) naming the
file, the rule id and the field, so that start-up stops with a message an administrator can act on.
"""

from __future__ import annotations

import re
import tomllib
from datetime import date, timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from casecenter.accounts.roles import Role

from .rule_types import (
    APPROVER_LEVELS,
    EXTRA_APPROVAL_ROLES,
    MODES,
    RECIPIENTS,
    SEVERITIES,
    SUBJECTS,
    UNITS,
    Citation,
    Duration,
    Extension,
    PauseKind,
    Rule,
    law_short_names,
    maximum_fault,
)

DATA_DIR = Path(__file__).resolve().parent / "data"
RULES_FILE = DATA_DIR / "rules.toml"
CALENDAR_FILE = DATA_DIR / "calendar.toml"
ID_RE = re.compile(r"^[a-z][a-z0-9-]*$")
DURATION_RE = re.compile(r"^\s*(\d+)\s*(minutes?|hours?|days?|months?)\s*$")
CITATION_RE = re.compile(r"^([a-z0-9-]+) (\d+)(?:\((\d+)\))?(?:\((\d+)\))?$")
RULE_FIELDS = {"id", "name_zh", "name_en", "citations", "source", "subject", "starts_on_zh", "starts_on_en",
               "duration", "holiday_roll", "person_held", "extension", "pause", "warnings", "severity", "notify",
               "valid_from", "valid_until", "unconfirmed", "maximum"}
EXTENSION_FIELDS = {"id", "name_zh", "name_en", "duration", "mode", "approval_role", "conditions_zh",
                    "conditions_en", "requires", "excludes", "citation", "source", "approver_level"}
PAUSE_FIELDS = {"id", "name_zh", "name_en", "citation"}
# An override may change the values, never what the rule is or when its law version applies.
NOT_OVERRIDABLE = {"id", "valid_from", "valid_until", "unconfirmed", "subject"}


class CatalogError(ImproperlyConfigured):
    def __init__(self, where: str, rule: str | None, field: str | None, reason: str):
        self.where, self.rule_id, self.field, self.reason = where, rule, field, reason
        parts = [where] + ([f"rule {rule!r}"] if rule else []) + ([f"field {field!r}"] if field else [])
        super().__init__(f"{', '.join(parts)}: {reason}")


class _Reader:
    """Turns one raw rule table into a :class:`Rule`, raising CatalogError at the first fault."""

    def __init__(self, where: str, rule_id: str | None):
        self.where, self.rule_id = where, rule_id

    def fail(self, field: str | None, reason: str):
        raise CatalogError(self.where, self.rule_id, field, reason)

    def text(self, raw: dict, key: str, *, required: bool = True, prefix: str = "") -> str:
        value = raw.get(key, "")
        if not isinstance(value, str) or (required and not value.strip()):
            self.fail(prefix + key, "a non-empty text is required" if required else "must be a text")
        return value.strip()

    def ident(self, raw: dict, prefix: str = "") -> str:
        value = raw.get("id")
        if not isinstance(value, str) or not ID_RE.match(value):
            self.fail(prefix + "id", f"an id of lower-case letters, digits and '-' is required, got {value!r}")
        return value

    def duration(self, value, field: str, units=UNITS) -> Duration:
        match = DURATION_RE.match(value) if isinstance(value, str) else None
        unit = match and match.group(2).rstrip("s") + "s"
        if not match or unit not in units or int(match.group(1)) < 1:
            self.fail(field, f"expected a positive amount of {', '.join(units)} such as '12 hours', got {value!r}")
        return Duration(int(match.group(1)), unit)

    def interval(self, value, field: str) -> timedelta:
        d = self.duration(value, field, units=("minutes", "hours", "days"))
        return timedelta(**{d.unit: d.amount})

    def citation(self, value, field: str) -> Citation:
        match = CITATION_RE.match(value) if isinstance(value, str) else None
        if not match:
            self.fail(field, f"expected 'law article', 'law article(paragraph)' or 'law article(paragraph)(item)' "
                             f"such as 'cpl 119(2)', got {value!r}")
        if match.group(1) not in law_short_names():
            self.fail(field, f"{match.group(1)!r} is not a statute of law/data/statutes/catalog.json "
                             f"(known: {', '.join(sorted(law_short_names()))}); cite a document outside the "
                             f"library with 'source'")
        numbers = [int(g) if g else None for g in match.groups()[1:]]
        if any(n == 0 for n in numbers):
            self.fail(field, f"article, paragraph and item numbers start at 1, got {value!r}")
        return Citation(match.group(1), *numbers)

    def day(self, raw: dict, key: str) -> date | None:
        value = raw.get(key)
        if value is not None and (not isinstance(value, date) or hasattr(value, "hour")):
            self.fail(key, f"expected a date such as 2026-01-01, got {value!r}")
        return value

    def strings(self, raw: dict, key: str, allowed=None, prefix: str = "") -> tuple[str, ...]:
        value = raw.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(prefix + key, "expected a list of texts")
        for v in value:
            if allowed is not None and v not in allowed:
                self.fail(prefix + key, f"{v!r} is not one of {', '.join(allowed)}")
        return tuple(value)

    def unknown_keys(self, raw: dict, known: set, prefix: str = "") -> None:
        extra = sorted(set(raw) - known)
        if extra:
            self.fail(prefix + extra[0], f"unknown field (known: {', '.join(sorted(known))})")

    def extension(self, raw, index: int, base: Duration) -> Extension:
        prefix = f"extension[{index}]."
        if not isinstance(raw, dict):
            self.fail(prefix[:-1], "expected a table")
        self.unknown_keys(raw, EXTENSION_FIELDS, prefix)
        ext_id = self.ident(raw, prefix)
        prefix = f"extension {ext_id!r}."
        mode = raw.get("mode")
        if mode not in MODES:
            self.fail(prefix + "mode", f"expected one of {', '.join(MODES)}, got {mode!r}")
        duration = self.duration(raw.get("duration"), prefix + "duration")
        if mode == "add" and duration.unit != base.unit:
            self.fail(prefix + "duration", f"an 'add' extension is counted in the rule's unit ({base.unit})")
        roles = [str(r) for r in Role] + list(EXTRA_APPROVAL_ROLES)
        role = raw.get("approval_role")
        if role not in roles:
            self.fail(prefix + "approval_role", f"expected one of {', '.join(roles)}, got {role!r}")
        level = raw.get("approver_level", "unit")
        if level not in APPROVER_LEVELS:
            self.fail(prefix + "approver_level", f"expected one of {', '.join(APPROVER_LEVELS)}, got {level!r}")
        citation = self.citation(raw["citation"], prefix + "citation") if "citation" in raw else None
        source = self.text(raw, "source", required=False, prefix=prefix)
        if citation is None and not source:
            self.fail(prefix + "citation", "an extension needs a citation (or a source outside the library)")
        return Extension(
            id=ext_id, name_zh=self.text(raw, "name_zh", prefix=prefix),
            name_en=self.text(raw, "name_en", prefix=prefix),
            duration=duration, mode=mode, approval_role=raw["approval_role"],
            conditions_zh=self.text(raw, "conditions_zh", prefix=prefix),
            conditions_en=self.text(raw, "conditions_en", prefix=prefix),
            requires=self.strings(raw, "requires", prefix=prefix),
            excludes=self.strings(raw, "excludes", prefix=prefix),
            citation=citation, source=source, approver_level=level)

    def pause(self, raw, index: int) -> PauseKind:
        prefix = f"pause[{index}]."
        if not isinstance(raw, dict):
            self.fail(prefix[:-1], "expected a table")
        self.unknown_keys(raw, PAUSE_FIELDS, prefix)
        pause_id = self.ident(raw, prefix)
        if "citation" not in raw:
            self.fail(f"pause {pause_id!r}.citation", "a pause needs the article that excludes the time")
        return PauseKind(pause_id, self.text(raw, "name_zh", prefix=prefix), self.text(raw, "name_en", prefix=prefix),
                         self.citation(raw["citation"], f"pause {pause_id!r}.citation"))

    def rule(self, raw: dict, overridden: str = "") -> Rule:
        self.unknown_keys(raw, RULE_FIELDS)
        rule_id = self.ident(raw)
        self.rule_id = rule_id
        duration = self.duration(raw.get("duration"), "duration")
        citations = raw.get("citations", [])
        if not isinstance(citations, list):
            self.fail("citations", "expected a list such as ['cpl 119(2)']")
        cites = tuple(self.citation(c, f"citations[{i}]") for i, c in enumerate(citations))
        source = self.text(raw, "source", required=False)
        if not cites and not source:
            self.fail("citations", "a rule needs at least one citation (or a source outside the library)")
        if raw.get("subject") not in SUBJECTS:
            self.fail("subject", f"expected one of {', '.join(SUBJECTS)}, got {raw.get('subject')!r}")
        for key in ("holiday_roll",):
            if not isinstance(raw.get(key), bool):
                self.fail(key, "expected true or false")
        held = raw.get("person_held", "caller")
        if held not in (True, False, "caller"):
            self.fail("person_held", "expected true, false or \"caller\"")
        if raw["holiday_roll"] and duration.unit == "hours":
            self.fail("holiday_roll", "a period counted in hours is not moved for holidays (CPL art. 105)")
        extensions = tuple(self.extension(e, i, duration) for i, e in enumerate(raw.get("extension", [])))
        self._check_tiers(extensions)
        maximum = self.duration(raw["maximum"], "maximum") if "maximum" in raw else None
        fault = maximum_fault(duration, maximum, extensions)
        if fault:
            self.fail("maximum", fault)
        warnings = tuple(self.interval(w, f"warnings[{i}]") for i, w in enumerate(raw.get("warnings", [])))
        if list(warnings) != sorted(warnings, reverse=True) or len(set(warnings)) != len(warnings):
            self.fail("warnings", "list the warning thresholds largest first, each once")
        shortest = {"hours": timedelta(hours=1), "days": timedelta(days=1), "months": timedelta(days=28)}
        if warnings and warnings[0] >= duration.amount * shortest[duration.unit]:
            self.fail("warnings", f"a warning {raw['warnings'][0]!r} before due is not shorter than the period")
        severity = raw.get("severity")
        if severity not in SEVERITIES:
            self.fail("severity", f"expected one of {', '.join(SEVERITIES)}, got {severity!r}")
        notify = self.strings(raw, "notify", RECIPIENTS)
        if not notify:
            self.fail("notify", "name at least one recipient")
        valid_from, valid_until = self.day(raw, "valid_from"), self.day(raw, "valid_until")
        if valid_from and valid_until and valid_until < valid_from:
            self.fail("valid_until", "the law version ends before it starts")
        unconfirmed = self.text(raw, "unconfirmed", required=False)
        return Rule(
            id=rule_id, name_zh=self.text(raw, "name_zh"), name_en=self.text(raw, "name_en"), citations=cites,
            subject=raw["subject"], starts_on_zh=self.text(raw, "starts_on_zh"),
            starts_on_en=self.text(raw, "starts_on_en"), duration=duration, holiday_roll=raw["holiday_roll"],
            person_held=None if held == "caller" else held, extensions=extensions,
            pauses=tuple(self.pause(p, i) for i, p in enumerate(raw.get("pause", []))),
            warnings=warnings, severity=severity, notify=notify, valid_from=valid_from, valid_until=valid_until,
            unconfirmed=unconfirmed, source=source, overridden=overridden, maximum=maximum)

    def _check_tiers(self, extensions: tuple[Extension, ...]) -> None:
        ids = [e.id for e in extensions]
        if len(set(ids)) != len(ids):
            self.fail("extension", f"an extension id appears twice: {ids}")
        for ext in extensions:
            for other in ext.requires + ext.excludes:
                if other not in ids or other == ext.id:
                    self.fail(f"extension {ext.id!r}.requires", f"{other!r} is not another extension of this rule")


def parse_rules(data: dict, where: str, overridden: str = "") -> list[Rule]:
    tables = data.get("rule")
    if not isinstance(tables, list) or not tables:
        raise CatalogError(where, None, "rule", "no [[rule]] tables")
    rules = []
    for index, raw in enumerate(tables):
        if not isinstance(raw, dict):
            raise CatalogError(where, None, f"rule[{index}]", "expected a table")
        raw = dict(raw)
        origin = raw.pop("_overridden", overridden)
        rules.append(_Reader(where, raw.get("id") if isinstance(raw.get("id"), str) else f"#{index + 1}").rule(
            raw, origin))
    _check_versions(rules, where)
    return rules


def _check_versions(rules: list[Rule], where: str) -> None:
    """Versions of one rule id must not overlap: exactly one applies on any day."""
    by_id: dict[str, list[Rule]] = {}
    for rule in rules:
        by_id.setdefault(rule.id, []).append(rule)
    for rule_id, versions in by_id.items():
        versions.sort(key=lambda r: r.valid_from or date.min)
        for earlier, later in zip(versions, versions[1:], strict=False):
            if earlier.valid_until is None or later.valid_from is None or earlier.valid_until >= later.valid_from:
                raise CatalogError(where, rule_id, "valid_from",
                                   "two versions of this rule overlap: give each valid_from/valid_until")


def _read_toml(path: Path) -> dict:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except OSError as exc:
        raise CatalogError(str(path), None, None, f"cannot read: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise CatalogError(str(path), None, None, f"not valid TOML: {exc}") from None


def apply_overrides(data: dict, overrides: dict, where: str) -> dict:
    """Merge the overrides into the catalog's raw tables. Only rules marked ``unconfirmed`` may be
    changed; a table given for ``extension`` or ``pause`` replaces the rule's whole list."""
    tables = overrides.get("rule", [])
    if set(overrides) - {"rule"} or not isinstance(tables, list):
        raise CatalogError(where, None, None, "an overrides file holds [[rule]] tables only")
    merged = [dict(t) for t in data["rule"]]
    for index, change in enumerate(tables):
        rule_id = change.get("id") if isinstance(change, dict) else None
        if not isinstance(rule_id, str):
            raise CatalogError(where, None, f"rule[{index}].id", "each override names the rule id it changes")
        targets = [t for t in merged if t.get("id") == rule_id and
                   (change.get("valid_from") is None or t.get("valid_from") == change.get("valid_from"))]
        if not targets:
            raise CatalogError(where, rule_id, "id", "no such rule (or version) in the catalog")
        # Without valid_from an override changes the rule's unconfirmed versions (the 2026 one).
        targets = [t for t in targets if t.get("unconfirmed")]
        if not targets:
            raise CatalogError(where, rule_id, "id", "this rule's values are confirmed by the law; only "
                                                     "rules marked 'unconfirmed' may be overridden")
        for target in targets:
            for key, value in change.items():
                if key in NOT_OVERRIDABLE - {"id", "valid_from"}:
                    raise CatalogError(where, rule_id, key, "this field cannot be overridden")
                if key not in NOT_OVERRIDABLE:
                    target[key] = value
            target["_overridden"] = where
    return {"rule": merged}


def overrides_path() -> str | None:
    return (getattr(settings, "CASECENTER", {}) or {}).get("DEADLINE_RULES_OVERRIDES") or None


def load_rules(path: Path | None = None, overrides: str | Path | None = "setting") -> list[Rule]:
    """Read and validate the catalog and the overrides file; raises CatalogError."""
    path = path or RULES_FILE
    data = _read_toml(Path(path))
    if overrides == "setting":
        overrides = overrides_path()
    if overrides:
        data = apply_overrides(data, _read_toml(Path(overrides)), str(overrides))
    return parse_rules(data, Path(path).name)


# --- the calendar ---------------------------------------------------------------------------------

def shipped_calendar(path: Path = CALENDAR_FILE) -> list[dict]:
    """The years of ``calendar.toml``: ``{"year", "source", "days": [{"date", "kind", "name"}]}``,
    with each holiday range expanded to its dates."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    years = []
    for raw in data["year"]:
        days = []
        for holiday in raw.get("holiday", []):
            first, last = holiday["first"], holiday.get("last", holiday["first"])
            days += [{"date": first + timedelta(days=n), "kind": "holiday", "name": holiday["name"]}
                     for n in range((last - first).days + 1)]
        days += [{"date": d, "kind": "workday", "name": w["name"]} for w in raw.get("workday", []) for d in w["dates"]]
        years.append({"year": raw["year"], "source": raw["source"], "days": sorted(days, key=lambda d: d["date"])})
    return years
