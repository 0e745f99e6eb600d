"""``casecenter run``: the web server and the background worker as one service — two child
processes (``casecenter serve`` and ``casecenter worker``), started together, stopped together.

- SIGINT, SIGTERM and SIGHUP (the terminal closing) stop both children: each gets SIGTERM, and
  stops as it does on its own (gunicorn lets its requests finish, the worker its running task; a
  child still starting up simply ends). After a Ctrl-C (SIGINT) a child marked ``hurry`` (the web
  server) gets SIGINT HURRY_AFTER seconds later: gunicorn's graceful stop otherwise waits for each
  idle worker's poll to time out, some ten seconds, which is right for a service manager and too
  long for someone at a terminal. A second signal is passed on as SIGINT to every child, which
  stops them at once (the worker aborts its task, gunicorn drops its requests).
- The children run in process groups of their own, with SIGINT ignored until they install their
  own handlers: a Ctrl-C in the terminal reaches them only through here, and one that comes while
  they are still starting does not end them with a KeyboardInterrupt traceback.
- If one child exits by itself, the other is stopped and the run ends with status 1, saying which
  one exited and how: a service that lost half of itself must not look as if it were running.
- A child still running ``grace`` seconds after the signal gets SIGTERM again, and SIGKILL
  ``kill_after`` seconds later; each step is said.
- On Linux a child also receives SIGTERM when this process dies without stopping it (SIGKILL,
  out of memory): the children never outlive their supervisor.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

#: The signals that stop the run; the children get STOP, then HURRY for each further one.
SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
STOP, HURRY = signal.SIGTERM, signal.SIGINT
PR_SET_PDEATHSIG = 1
#: Seconds a child may take to stop after the signal (gunicorn's own graceful timeout is 30 s).
STOP_GRACE = 40.0
KILL_AFTER = 10.0
HURRY_AFTER = 2.0


@dataclass
class Child:
    name: str          # as the messages name it ("web server", "worker")
    argv: list[str]
    hurry: bool = False   # after a Ctrl-C, also sent SIGINT HURRY_AFTER seconds after the stop
    process: subprocess.Popen | None = field(default=None, repr=False)

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def send(self, sig: int) -> None:
        if self.running:
            with contextlib.suppress(ProcessLookupError):   # it exited between the look and the signal
                self.process.send_signal(sig)


def outcome(returncode: int | None) -> str:
    """How a process ended, in words."""
    if returncode is None:
        return _("still running")
    if returncode < 0:
        try:
            name = signal.Signals(-returncode).name
        except ValueError:
            name = str(-returncode)
        return _("killed by {signal}").format(signal=name)
    return _("exited normally") if returncode == 0 else _("exited with status {code}").format(code=returncode)


def _child_setup() -> Callable[[], None]:
    """The ``preexec_fn`` of a child: SIGINT ignored (Python then installs no KeyboardInterrupt
    handler; gunicorn and the worker install their own), and on Linux SIGTERM when this process dies."""
    linux = sys.platform.startswith("linux")
    libc, parent = (ctypes.CDLL(None, use_errno=True) if linux else None), os.getpid()

    def preexec() -> None:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        if libc is not None:
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
            if os.getppid() != parent:   # the parent died before the request took effect
                os._exit(1)

    return preexec


class Supervisor:
    def __init__(self, children: list[Child], *, say: Callable[[str], None], complain: Callable[[str], None],
                 grace: float = STOP_GRACE, kill_after: float = KILL_AFTER, hurry_after: float = HURRY_AFTER,
                 poll: float = 0.2) -> None:
        self.children = children
        self.say, self.complain = say, complain
        self.grace, self.kill_after, self.hurry_after, self.poll = grace, kill_after, hurry_after, poll
        self.received: list[int] = []

    def run(self, started: Callable[[list[Child]], None] | None = None) -> int:
        """Start the children, watch them, stop them; answers the exit status (0: stopped as asked)."""
        previous = {sig: signal.signal(sig, self._on_signal) for sig in SIGNALS}
        try:
            preexec = _child_setup()
            for child in self.children:
                child.process = subprocess.Popen(child.argv, process_group=0, preexec_fn=preexec)  # noqa: S603
            if started is not None:
                started(self.children)
            return self._watch()
        finally:
            for child in self.children:   # only after an error here: never leave a child behind
                if child.running:
                    child.process.kill()
                    child.process.wait()
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def _on_signal(self, signum, frame) -> None:
        self.received.append(signum)

    def _watch(self) -> int:
        while True:
            if self.received:
                sig = self.received.pop(0)
                self.say(_("{signal} received: stopping the web server and the worker.").format(
                    signal=signal.Signals(sig).name))
                return self._stop(interactive=sig == signal.SIGINT)
            exited = next((child for child in self.children if not child.running), None)
            if exited is not None:
                self.complain(_("The {name} (pid {pid}) {outcome} on its own: stopping the rest.").format(
                    name=exited.name, pid=exited.process.pid, outcome=outcome(exited.process.returncode)))
                self._stop()
                return 1
            time.sleep(self.poll)

    def _stop(self, *, interactive: bool = False) -> int:
        for child in self.children:
            child.send(STOP)
        limit, escalated = time.monotonic() + self.grace, False
        hurry_at = time.monotonic() + self.hurry_after if interactive else None
        while any(child.running for child in self.children):
            if hurry_at is not None and time.monotonic() >= hurry_at:
                hurry_at = None
                for child in self.children:
                    if child.hurry:
                        child.send(HURRY)
            if self.received:   # a second Ctrl-C: the children stop at once
                self.received.clear()
                for child in self.children:
                    child.send(HURRY)
            if time.monotonic() > limit:
                waiting = [child for child in self.children if child.running]
                names = ", ".join(child.name for child in waiting)
                if escalated:
                    self.complain(_("Still running: {names}; killing it.").format(names=names))
                    for child in waiting:
                        child.send(signal.SIGKILL)
                    limit = float("inf")
                else:
                    self.complain(_("Still running after {seconds:.0f} s: {names}; asking again.").format(
                        seconds=self.grace, names=names))
                    for child in waiting:
                        child.send(signal.SIGTERM)
                    limit, escalated = time.monotonic() + self.kill_after, True
            time.sleep(self.poll)
        failed = False
        for child in self.children:
            code = child.process.returncode
            bad = code not in (0, -STOP, -HURRY)   # ended by the signal it was sent: as asked
            failed |= bad
            (self.complain if bad else self.say)(_("The {name} (pid {pid}) {outcome}.").format(
                name=child.name, pid=child.process.pid, outcome=outcome(code)))
        return 1 if failed else 0
