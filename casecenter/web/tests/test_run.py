"""``casecenter run`` (what ``make run`` starts): the web server and the worker as one service. Both
start, a Ctrl-C stops both cleanly, and when one of them dies the other is stopped and the run fails
saying which one."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from django.db import connection
from django.utils import translation

from casecenter.jobs.models import ScheduleSlot
from casecenter.ledger import crash, keys
from casecenter.web.supervisor import Child, Supervisor

START_TIMEOUT = 120.0   # Django's start-up twice on a busy machine


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _children_of(pid: int) -> dict[int, str]:
    """The processes whose parent is ``pid``, with their command lines (Linux /proc)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found[int(entry.name)] = cmdline
    return found


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _until(condition, what: str, timeout: float = START_TIMEOUT):
    limit = time.monotonic() + timeout
    while time.monotonic() < limit:
        value = condition()
        if value:
            return value
        time.sleep(0.5)
    pytest.fail(f"waited {timeout:.0f} s for {what}")


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - a local test server
            return response.status
    except OSError:
        return 0


@pytest.fixture
def start_run(tmp_path):
    """``start_run()`` → (the ``casecenter run`` process, its URL), against the test database."""
    keys.private_key()   # the worker signs with the test's ledger key, never one of its own
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "casecenter.config.settings", "CASECENTER_DEBUG": "1",
           "CASECENTER_VAR_DIR": str(tmp_path), "DATABASE_URL": crash.database_url(connection.settings_dict),
           "CASECENTER_LEDGER_KEY_FILE": str(keys.key_path()), "PYTHONUNBUFFERED": "1"}
    started = []

    def _start():
        port = _free_port()
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and command
            [sys.executable, "-m", "casecenter", "run", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
            env=env, stdout=(tmp_path / "out.log").open("w"), stderr=(tmp_path / "err.log").open("w"))
        started.append(process)
        return process, f"http://127.0.0.1:{port}"

    yield _start
    for process in started:
        for pid in _children_of(process.pid):
            os.kill(pid, signal.SIGKILL)
        process.kill()
        process.wait()


def _both_children(process) -> tuple[int, int]:
    children = _until(lambda: (found := _children_of(process.pid)) and len(found) == 2 and found,
                      "the web server and the worker to start")
    web = next(pid for pid, cmd in children.items() if " serve " in cmd)
    worker = next(pid for pid, cmd in children.items() if cmd.rstrip().endswith(" worker"))
    return web, worker


@pytest.mark.django_db(transaction=True)
def test_run_starts_the_web_server_and_the_worker_and_a_ctrl_c_stops_both(start_run, tmp_path):
    process, url = start_run()
    web, worker = _both_children(process)
    _until(lambda: _get(f"{url}/healthz") == 200, "the web server to answer")
    assert _get(f"{url}/static/web/casecenter.css") == 200      # whitenoise serves the static files
    _until(lambda: ScheduleSlot.objects.filter(name="deadlines.scan").exists(), "the worker's first deadline scan")
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=90) == 0, (tmp_path / "err.log").read_text()
    assert not _alive(web) and not _alive(worker)
    log = (tmp_path / "out.log").read_text()
    assert str(web) in log and str(worker) in log     # each child named by its process id


@pytest.mark.django_db(transaction=True)
def test_when_the_worker_dies_the_web_server_is_stopped_and_the_run_fails_saying_so(start_run, tmp_path):
    process, url = start_run()
    web, worker = _both_children(process)
    _until(lambda: _get(f"{url}/healthz") == 200, "the web server to answer")
    os.kill(worker, signal.SIGKILL)
    assert process.wait(timeout=90) == 1
    assert not _alive(web)
    errors = (tmp_path / "err.log").read_text()
    assert str(worker) in errors and "SIGKILL" in errors


def _python(code: str) -> list[str]:
    return [sys.executable, "-c", code]


STUBBORN = "import signal, time; [signal.signal(s, signal.SIG_IGN) for s in (2, 15)]; time.sleep(60)"


def _supervise(children: list[Child], *, stop_after: float | None, sig=signal.SIGTERM,
               grace: float = 0.5) -> tuple[int, list[str], list[str]]:
    said, complained = [], []
    if stop_after is not None:
        timer = threading.Timer(stop_after, os.kill, args=(os.getpid(), sig))
        timer.start()
    supervisor = Supervisor(children, say=said.append, complain=complained.append, grace=grace, kill_after=0.5,
                            hurry_after=0.3, poll=0.05)
    with translation.override("en"):
        return supervisor.run(), said, complained


def test_a_child_that_ignores_the_stop_is_asked_again_then_killed():
    stubborn = Child("stubborn", _python(STUBBORN))
    polite = Child("polite", _python("import time; time.sleep(60)"))
    status, said, complained = _supervise([stubborn, polite], stop_after=1.0)
    assert status == 1    # one of them had to be killed
    assert stubborn.process.returncode == -signal.SIGKILL
    assert polite.process.returncode == -signal.SIGTERM    # ended by the stop it was sent: as asked
    assert any("asking again" in line for line in complained) and any("killing" in line for line in complained)
    assert any("SIGTERM received" in line for line in said)


def test_a_child_exiting_by_itself_stops_the_other_and_fails_the_run():
    failing = Child("failing", _python("import time; time.sleep(0.3); raise SystemExit(3)"))
    polite = Child("polite", _python("import time; time.sleep(60)"))
    status, _said, complained = _supervise([failing, polite], stop_after=None)
    assert status == 1
    assert "exited with status 3 on its own" in complained[0]
    assert polite.process.returncode == -signal.SIGTERM


SLOW_TO_STOP = ("import signal, sys, time; signal.signal(15, signal.SIG_IGN); "
                "signal.signal(2, lambda *a: sys.exit(0)); time.sleep(60)")


def test_after_a_ctrl_c_the_web_server_is_hurried_instead_of_waited_for():
    web = Child("web", _python(SLOW_TO_STOP), hurry=True)   # like gunicorn: SIGTERM waits, SIGINT stops at once
    worker = Child("worker", _python("import time; time.sleep(60)"))
    began = time.monotonic()
    status, said, complained = _supervise([web, worker], stop_after=1.0, sig=signal.SIGINT, grace=20)
    assert status == 0 and complained == []
    assert (web.process.returncode, worker.process.returncode) == (0, -signal.SIGTERM)
    assert time.monotonic() - began < 10
    assert any("SIGINT received" in line for line in said)
