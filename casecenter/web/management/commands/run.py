"""``casecenter run``: the web server and the background worker together, as ``make run`` starts
them (see casecenter/web/supervisor.py).

    casecenter run                           # CASECENTER_WEB_BIND, CASECENTER_WEB_WORKERS
    casecenter run --bind 0.0.0.0:8000
"""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from casecenter.web import server
from casecenter.web.supervisor import Child, Supervisor


def _url(bind: str) -> str:
    if bind.startswith("unix:"):
        return bind
    host, port = bind.rsplit(":", 1)
    return f"http://{'127.0.0.1' if host in ('0.0.0.0', '[::]') else host}:{port}/"  # noqa: S104 - shown, not bound


class Command(BaseCommand):
    help = ("Run the web server (casecenter serve) and the background worker (casecenter worker) as one service: "
            "both start, a signal stops both, and if one of them exits the other is stopped too (exit status 1).")
    requires_system_checks = []   # each child runs them itself

    def add_arguments(self, parser):
        parser.add_argument("--bind", help="address of the web server, HOST:PORT or unix:/path (default: "
                                           "CASECENTER_WEB_BIND, else 127.0.0.1:8000)")
        parser.add_argument("--workers", type=int, help="web worker processes (default: CASECENTER_WEB_WORKERS)")

    def handle(self, *args, bind, workers, **options):
        try:
            chosen = server.resolve(bind=bind, workers=workers)
        except server.BadOption as exc:
            raise CommandError(str(exc)) from None
        command = [sys.executable, "-m", "casecenter"]
        children = [
            Child(_("web server"), [*command, "serve", "--bind", chosen.bind, "--workers", str(chosen.workers)],
                  hurry=True),
            Child(_("background worker"), [*command, "worker"]),
        ]
        supervisor = Supervisor(children, say=self._say, complain=self._complain)
        status = supervisor.run(started=lambda started: self._say(_(
            "casecenter run: the web server (pid {web}) serves {url}, the worker (pid {worker}) runs the "
            "background tasks and the deadline scan. Ctrl-C stops both.").format(
            web=started[0].process.pid, url=_url(chosen.bind), worker=started[1].process.pid)))
        if status:
            self._complain(_("casecenter run: stopped because a process failed (see above)."))
            raise SystemExit(status)

    def _say(self, message: str) -> None:
        self.stdout.write(message)
        self.stdout.flush()

    def _complain(self, message: str) -> None:
        self.stderr.write(message)
        self.stderr.flush()
