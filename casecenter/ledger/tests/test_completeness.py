"""The completeness guard: every public function of every ``services`` module declares the ledger
actions it records (``@records``) or that it writes nothing (``@not_a_write``), and every declared
action is checked by some test with ``assert_records("<action>"``.

So a later issue cannot add a write without its record, nor a record without a test of it.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from pathlib import Path

import casecenter

PACKAGE_ROOT = Path(casecenter.__file__).resolve().parent


def service_modules() -> list:
    modules = []
    for info in pkgutil.walk_packages([str(PACKAGE_ROOT)], prefix="casecenter."):
        parts = info.name.split(".")
        if "tests" in parts or "migrations" in parts:
            continue
        if "services" in parts:
            modules.append(importlib.import_module(info.name))
    return modules


def public_services() -> list:
    found = []
    for module in service_modules():
        for name, func in inspect.getmembers(module, inspect.isfunction):
            if not name.startswith("_") and func.__module__ == module.__name__:
                found.append((f"{module.__name__}.{name}", func))
    return found


def asserted_actions() -> set[str]:
    """Every literal first argument of an ``assert_records(...)`` call in the test sources."""
    actions = set()
    for path in PACKAGE_ROOT.rglob("tests/**/*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None))
                    == "assert_records" and node.args and isinstance(node.args[0], ast.Constant)):
                actions.add(node.args[0].value)
    return actions


def test_the_guard_finds_the_services_it_must_watch():
    names = {name for name, _func in public_services()}
    assert "casecenter.accounts.services.users.user_create" in names
    assert "casecenter.ledger.services.record_event" in names
    assert len(names) >= 17


def test_every_public_service_declares_its_ledger_actions():
    undeclared = [name for name, func in public_services() if not hasattr(func, "ledger_actions")]
    assert not undeclared, (
        "these public service functions do not say what they record; decorate them with "
        "@records('app.subject.verb') from casecenter.ledger.actions (or @not_a_write for a pure "
        f"helper, better moved out of services): {undeclared}"
    )


def test_every_write_records_at_least_one_action():
    silent = [name for name, func in public_services()
              if hasattr(func, "ledger_actions") and not func.ledger_actions
              and not getattr(func, "ledger_records_any_action", False)
              and not getattr(func, "ledger_not_a_write", False)]
    assert not silent, f"declared as writes with no action: {silent}"


def test_every_declared_action_has_a_test_asserting_its_event():
    declared = {action: name for name, func in public_services() for action in getattr(func, "ledger_actions", ())}
    untested = sorted(set(declared) - asserted_actions())
    assert not untested, (
        "no test calls assert_records(...) for these actions: "
        + ", ".join(f"{action} (from {declared[action]})" for action in untested)
    )
