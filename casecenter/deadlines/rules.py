"""The catalog of legal time limits: what each clock is, where the law sets it, how it is counted.

The rules are data (``data/rules.toml``), read and validated by :mod:`.loader` once per process and
checked at start-up (system check ``deadlines.E001``): a bad rule stops the process with an error
naming the rule and the field, never a clock computed from half a rule. A rule is changed by a
release that cites the law. Values the law does not settle yet (the 2026 治安管理处罚法's tiers)
are marked ``unconfirmed`` in the catalog and may be changed locally by the overrides file named
by ``CASECENTER["DEADLINE_RULES_OVERRIDES"]`` — those rules only.

A rule id may have several versions, one per law version (``valid_from`` / ``valid_until``, dates
in Asia/Shanghai): :meth:`Catalog.resolve` picks the version in force when the clock starts.
"""

from __future__ import annotations

import threading

from . import loader
from .rule_types import (
    ADMINISTRATIVE_LAWS,
    APPROVER_LEVELS,
    EXTRA_APPROVAL_ROLES,
    MODES,
    RECIPIENTS,
    SEVERITIES,
    SHANGHAI,
    SUBJECTS,
    UNITS,
    Catalog,
    Citation,
    Duration,
    Extension,
    PauseKind,
    Rule,
    RuleError,
    UnknownRule,
    amount,
    law_short_names,
    maximum_fault,
)

# The catalog's vocabulary is defined in .rule_types (below the loader) and read from here.
__all__ = [
    "ADMINISTRATIVE_LAWS", "APPROVER_LEVELS", "EXTRA_APPROVAL_ROLES", "MODES", "RECIPIENTS", "SEVERITIES", "SHANGHAI",
    "SUBJECTS", "UNITS", "Catalog", "Citation", "Duration", "Extension", "PauseKind", "Rule", "RuleError",
    "UnknownRule", "amount", "catalog", "law_short_names", "maximum_fault", "reload",
]

_lock = threading.Lock()
_catalog: Catalog | None = None


def catalog() -> Catalog:
    """The process's catalog, read once. Raises ImproperlyConfigured (naming the rule and field) for
    a bad rules.toml or overrides file."""
    global _catalog
    if _catalog is None:
        with _lock:
            if _catalog is None:
                _catalog = Catalog(loader.load_rules())
    return _catalog


def reload() -> Catalog:
    """Forget the cached catalog (tests, or after the overrides file changed) and read it again."""
    global _catalog
    with _lock:
        _catalog = None
    return catalog()
