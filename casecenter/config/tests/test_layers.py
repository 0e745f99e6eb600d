"""The house keeps its shape: the import-linter contracts of pyproject.toml hold (the apps import
downwards only, and deadlines keeps its inner order), and every app says in its docstring what it
owns and what it may import. ``make lint-imports`` runs the same contracts in CI."""

import ast
import subprocess
import sys
from pathlib import Path

import casecenter

PACKAGE = Path(casecenter.__file__).resolve().parent
ROOT = PACKAGE.parent


def test_the_import_contracts_are_kept():
    lint_imports = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run([str(lint_imports), "--no-cache", str(ROOT / "pyproject.toml")], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Contracts: 2 kept, 0 broken." in done.stdout


def test_every_app_says_what_it_owns_and_what_it_may_import():
    apps = sorted(p.parent for p in PACKAGE.glob("*/__init__.py") if (p.parent / "apps.py").exists()
                  or p.parent.name == "config")
    assert len(apps) >= 10
    for app in apps:
        docstring = ast.get_docstring(ast.parse((app / "__init__.py").read_text(encoding="utf-8"))) or ""
        assert "import" in docstring.lower(), f"{app.name}/__init__.py does not say what it may import"
