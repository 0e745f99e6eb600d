"""Declaring which ledger actions a service records.

Every public function of a ``services`` module says what it writes to the ledger:
``@records("accounts.user.created")``, or ``@not_a_write`` for a pure helper that happens to live
there. The completeness guard (``ledger/tests/test_completeness.py``) refuses a service without a
declaration and a declared action that no test checks with ``assert_records``, so that a new write
cannot ship without its record and a test of that record.
"""

from __future__ import annotations

import re
from collections.abc import Callable

ACTION_RE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*){2,}$")


def records(*actions: str) -> Callable:
    """Declare the dotted action names that the decorated service records."""
    for action in actions:
        if not ACTION_RE.match(action):
            raise ValueError(f"not a dotted action name (app.subject.verb): {action!r}")

    def decorate(func: Callable) -> Callable:
        func.ledger_actions = tuple(actions)
        return func

    return decorate


def not_a_write(func: Callable) -> Callable:
    """Declare that a public function of a services module changes nothing (a pure helper)."""
    func.ledger_actions = ()
    func.ledger_not_a_write = True
    return func


def records_any_action(func: Callable) -> Callable:
    """Declare the ledger's own write call, which records whatever action its caller names."""
    func.ledger_actions = ()
    func.ledger_records_any_action = True
    return func
