"""``casecenter serve``: the production web server (gunicorn; see casecenter/web/server.py).

    casecenter serve                         # CASECENTER_WEB_BIND, CASECENTER_WEB_WORKERS
    casecenter serve --bind 0.0.0.0:8000 --workers 4
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import ngettext

from casecenter.web import server


class Command(BaseCommand):
    help = ("Serve the application with gunicorn: the web workers of CASECENTER_WEB_WORKERS on the address of "
            "CASECENTER_WEB_BIND (or the options), the access log on standard output.")

    def add_arguments(self, parser):
        parser.add_argument("--bind", help="HOST:PORT or unix:/path to listen on (default: CASECENTER_WEB_BIND, "
                                           "else 127.0.0.1:8000)")
        parser.add_argument("--workers", type=int,
                            help="number of web worker processes (default: CASECENTER_WEB_WORKERS, else two per "
                                 "core plus one, at most 8)")

    def handle(self, *args, bind, workers, **options):
        try:
            chosen = server.resolve(bind=bind, workers=workers)
            server.check_static_files()
        except server.BadOption as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(ngettext("casecenter serve: {workers} web worker on {bind}",
                                   "casecenter serve: {workers} web workers on {bind}", chosen.workers).format(
            workers=chosen.workers, bind=chosen.bind))
        self.stdout.flush()
        server.serve(chosen)
