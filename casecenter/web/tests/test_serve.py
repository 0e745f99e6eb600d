"""``casecenter serve``: gunicorn with the address and the worker count of the command line, else of
the environment; values that cannot be used stop it with a message naming where they came from."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from casecenter.web import server


def test_the_options_come_from_the_command_line_else_from_the_environment(settings):
    settings.WEB_BIND, settings.WEB_WORKERS = "0.0.0.0:9000", 3
    assert server.resolve(bind=None, workers=None) == server.ServerOptions("0.0.0.0:9000", 3)
    assert server.resolve(bind="[::1]:8001", workers=2) == server.ServerOptions("[::1]:8001", 2)
    assert server.resolve(bind="unix:/run/casecenter/web.sock", workers=None).bind == "unix:/run/casecenter/web.sock"


@pytest.mark.parametrize("bind", ["8000", "localhost", "127.0.0.1:70000", "127.0.0.1:", "unix:", "http://x:80"])
def test_an_address_that_is_not_one_is_refused_naming_the_option(bind):
    with pytest.raises(server.BadOption, match="--bind"):
        server.resolve(bind=bind, workers=1)


def test_an_address_from_the_environment_is_refused_naming_the_variable(settings):
    settings.WEB_BIND = "localhost"
    with pytest.raises(server.BadOption, match="CASECENTER_WEB_BIND"):
        server.resolve(bind=None, workers=1)


def test_a_worker_count_out_of_range_is_refused_naming_where_it_came_from(settings):
    with pytest.raises(server.BadOption, match="--workers"):
        server.resolve(bind="127.0.0.1:8000", workers=0)
    settings.WEB_WORKERS = 500
    with pytest.raises(server.BadOption, match="CASECENTER_WEB_WORKERS"):
        server.resolve(bind="127.0.0.1:8000", workers=None)


def test_serve_hands_gunicorn_the_chosen_options_with_the_access_log_on_standard_output(monkeypatch, capsys):
    served = []
    monkeypatch.setattr(server, "serve", served.append)
    call_command("serve", "--bind", "127.0.0.1:8123", "--workers", "2")
    assert served == [server.ServerOptions("127.0.0.1:8123", 2)]
    config = server.gunicorn_config(served[0])
    assert (config["bind"], config["workers"], config["accesslog"], config["errorlog"]) == (
        ["127.0.0.1:8123"], 2, "-", "-")
    assert "127.0.0.1:8123" in capsys.readouterr().out


def test_serve_refuses_a_bad_address_as_a_command_error(monkeypatch):
    monkeypatch.setattr(server, "serve", lambda options: pytest.fail("must not start"))
    with pytest.raises(CommandError, match="--bind"):
        call_command("serve", "--bind", "nowhere")


def test_production_refuses_to_serve_before_the_static_files_are_collected(settings, tmp_path, monkeypatch):
    monkeypatch.setattr(server, "serve", lambda options: None)
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}
    with pytest.raises(CommandError, match="collectstatic"):
        call_command("serve", "--bind", "127.0.0.1:8123")
    (tmp_path / "staticfiles.json").write_text('{"paths": {}, "version": "1.1"}')
    call_command("serve", "--bind", "127.0.0.1:8123")   # collected: it starts


def test_a_malformed_worker_count_in_the_environment_stops_the_start_naming_it(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CASECENTER_", "DJANGO_", "DATABASE_URL"))}
    env.update(CASECENTER_DEBUG="1", CASECENTER_VAR_DIR=str(tmp_path), CASECENTER_WEB_WORKERS="many")
    result = subprocess.run([sys.executable, "-m", "casecenter", "serve"], env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 2
    assert "CASECENTER_WEB_WORKERS must be an integer; got 'many'" in result.stderr
    assert "Traceback" not in result.stderr
