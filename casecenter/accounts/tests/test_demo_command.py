"""``casecenter demo`` creates accounts with a published password, the administrators' among them:
it runs in a demonstration or development installation only."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from casecenter.accounts.models import User

pytestmark = pytest.mark.django_db


def test_the_demo_refuses_to_run_in_production_and_creates_nobody(settings):
    settings.PRODUCTION = True
    with translation.override("zh-hans"), pytest.raises(CommandError) as refused:
        call_command("demo")
    message = str(refused.value)
    assert "CASECENTER_DEMO=1" in message and "演示" in message   # said in the installation's language
    assert not User.objects.exists()


def test_a_production_installation_stops_the_demo_command_with_a_non_zero_status(tmp_path):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("CASECENTER_", "DJANGO_", "DATABASE_URL"))}
    clean.update(CASECENTER_VAR_DIR=str(tmp_path), CASECENTER_SECRET_KEY="s" * 64,
                 CASECENTER_ALLOWED_HOSTS="cases.example.gov", DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    result = subprocess.run([sys.executable, "-m", "casecenter", "demo"], env=clean, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 1
    assert "CASECENTER_DEMO=1" in result.stderr and "Traceback" not in result.stderr
    assert "demo-casecenter-2026" not in result.stdout   # no logins printed
