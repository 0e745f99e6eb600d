"""Settings come from the environment, and production refuses an unsafe configuration."""

import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from casecenter.config import env


def _start(tmp_path, **environ):
    """Run ``casecenter check`` in a clean environment, as an operator would start the server."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("CASECENTER_", "DJANGO_", "DATABASE_URL"))}
    clean.update({"CASECENTER_VAR_DIR": str(tmp_path)}, **environ)
    return subprocess.run([sys.executable, "-m", "casecenter", "check"], env=clean, capture_output=True,
                          text=True, timeout=60)


def test_production_start_is_refused_without_a_secret_key(tmp_path):
    result = _start(tmp_path, CASECENTER_ALLOWED_HOSTS="cases.example.gov")
    assert result.returncode == 2
    assert "CASECENTER_SECRET_KEY" in result.stderr and "refuses to start" in result.stderr
    assert "Traceback" not in result.stderr


def test_production_start_is_refused_without_allowed_hosts(tmp_path):
    result = _start(tmp_path, CASECENTER_SECRET_KEY="k" * 60)
    assert result.returncode == 2 and "CASECENTER_ALLOWED_HOSTS" in result.stderr


def test_production_refuses_a_wildcard_host_and_a_short_key(tmp_path):
    assert "('*' is refused)" in _start(tmp_path, CASECENTER_SECRET_KEY="k" * 60,
                                        CASECENTER_ALLOWED_HOSTS="*").stderr
    assert "shorter than 50" in _start(tmp_path, CASECENTER_SECRET_KEY="short",
                                       CASECENTER_ALLOWED_HOSTS="cases.example.gov").stderr


def test_production_starts_with_a_safe_configuration(tmp_path):
    key_file = tmp_path / "secret"
    key_file.write_text("s" * 64)
    result = _start(tmp_path, CASECENTER_SECRET_KEY_FILE=str(key_file), CASECENTER_ALLOWED_HOSTS="cases.example.gov",
                    DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    assert result.returncode == 0, result.stderr


def test_a_typo_in_a_boolean_stops_the_start(tmp_path):
    result = _start(tmp_path, CASECENTER_DEBUG="ture")
    assert result.returncode == 2 and "CASECENTER_DEBUG" in result.stderr


def test_demo_mode_starts_without_a_secret_and_keeps_a_generated_one(tmp_path):
    assert _start(tmp_path, CASECENTER_DEMO="1").returncode == 0
    first = (tmp_path / "secret_key").read_text()
    assert _start(tmp_path, CASECENTER_DEMO="1").returncode == 0
    assert (tmp_path / "secret_key").read_text() == first and len(first) >= 50


class TestHelpers:
    def test_env_bool(self, monkeypatch):
        for raw, value in [("1", True), ("yes", True), ("On", True), ("0", False), ("false", False), ("", False)]:
            monkeypatch.setenv("X_FLAG", raw)
            assert env.env_bool("X_FLAG") is value
        monkeypatch.setenv("X_FLAG", "maybe")
        with pytest.raises(ImproperlyConfigured, match="X_FLAG"):
            env.env_bool("X_FLAG")

    def test_env_int(self, monkeypatch):
        monkeypatch.setenv("X_NUM", "12")
        assert env.env_int("X_NUM", 3) == 12
        monkeypatch.setenv("X_NUM", "twelve")
        with pytest.raises(ImproperlyConfigured, match="X_NUM must be an integer"):
            env.env_int("X_NUM", 3)
        monkeypatch.setenv("X_NUM", "0")
        with pytest.raises(ImproperlyConfigured, match="at least 1"):
            env.env_int("X_NUM", 3, minimum=1)

    def test_env_secret_prefers_the_file(self, monkeypatch, tmp_path):
        (tmp_path / "s").write_text("from-file\n")
        monkeypatch.setenv("X_SECRET", "from-env")
        monkeypatch.setenv("X_SECRET_FILE", str(tmp_path / "s"))
        assert env.env_secret("X_SECRET") == "from-file"
        monkeypatch.setenv("X_SECRET_FILE", str(tmp_path / "missing"))
        with pytest.raises(ImproperlyConfigured, match="cannot be read"):
            env.env_secret("X_SECRET")

    def test_env_list(self, monkeypatch):
        monkeypatch.setenv("X_LIST", "a.gov, b.gov,,")
        assert env.env_list("X_LIST") == ["a.gov", "b.gov"]
