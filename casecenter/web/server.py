"""``casecenter serve``: the production web server — gunicorn, in this process, serving the
project's WSGI application (``settings.WSGI_APPLICATION``), with whitenoise serving the static files.

Its workers are synchronous processes, each answering one request at a time; their number comes
from ``--workers``, else ``CASECENTER_WEB_WORKERS`` (``settings.WEB_WORKERS``), its address from
``--bind``, else ``CASECENTER_WEB_BIND``. The access log goes to standard output, errors to standard
error, one line each, for the service manager or the container to collect. SIGTERM stops it
gracefully (requests in progress finish, up to 30 s), SIGINT at once; SIGHUP reloads the workers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.utils.translation import gettext as _

#: gunicorn's fields: client, request line, status, bytes, milliseconds, user agent.
ACCESS_LOG_FORMAT = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'

_HOST_PORT = re.compile(r"^(?P<host>\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.\-]+):(?P<port>[0-9]{1,5})$")


class BadOption(ValueError):
    """A value of the command line or the environment that cannot be used; the message names it."""


@dataclass(frozen=True)
class ServerOptions:
    bind: str
    workers: int


def check_bind(value: str, *, source: str) -> str:
    """``HOST:PORT`` (``[::1]:8000`` for IPv6) or ``unix:/path``; ``source`` names where it came from."""
    value = (value or "").strip()
    if value.startswith("unix:") and len(value) > len("unix:"):
        return value
    match = _HOST_PORT.match(value)
    if match and 1 <= int(match["port"]) <= 65535:
        return value
    raise BadOption(_("{source} is {value!r}, which is not an address to listen on: give HOST:PORT "
                      "(127.0.0.1:8000, 0.0.0.0:8000, [::1]:8000) or unix:/path/to/socket.").format(
        source=source, value=value))


def check_workers(value: int, *, source: str) -> int:
    if not 1 <= value <= 256:
        raise BadOption(_("{source} is {value}: give a number of web workers from 1 to 256.").format(
            source=source, value=value))
    return value


def resolve(*, bind: str | None, workers: int | None) -> ServerOptions:
    """The options from the command line, else from the settings (the environment)."""
    return ServerOptions(
        bind=check_bind(bind, source="--bind") if bind is not None else
        check_bind(settings.WEB_BIND, source="CASECENTER_WEB_BIND"),
        workers=check_workers(workers, source="--workers") if workers is not None else
        check_workers(settings.WEB_WORKERS, source="CASECENTER_WEB_WORKERS"))


def check_static_files() -> None:
    """In production the static files are served from the collected, hashed copies: without
    ``collectstatic`` every page would fail on its first stylesheet, so refuse to start instead."""
    manifest = getattr(staticfiles_storage, "manifest_name", None)
    if manifest and not staticfiles_storage.manifest_storage.exists(manifest):
        raise BadOption(_("The static files are not collected: run \"casecenter collectstatic --no-input\" "
                          "first (they go to {root}, set by CASECENTER_STATIC_ROOT).").format(
            root=settings.STATIC_ROOT))


def gunicorn_config(options: ServerOptions) -> dict[str, object]:
    return {
        "bind": [options.bind],
        "workers": options.workers,
        "worker_class": "sync",
        "accesslog": "-",
        "errorlog": "-",
        "access_log_format": ACCESS_LOG_FORMAT,
        "proc_name": "casecenter",
        # gunicorn 24+ opens a control socket under ~/.gunicorn/, shared by every instance of the user
        # (two servers of one account would collide); nothing here uses it.
        "control_socket_disable": True,
    }


def serve(options: ServerOptions) -> None:
    """Run gunicorn until it is stopped (it exits the process)."""
    from django.db import connections
    from gunicorn.app.base import BaseApplication

    class Server(BaseApplication):
        def load_config(self) -> None:
            for key, value in gunicorn_config(options).items():
                if key in self.cfg.settings:   # a setting older gunicorn versions do not have is left out
                    self.cfg.set(key, value)

        def load(self):
            # Loaded in each worker after the fork: nothing of the master's is shared but the code.
            from django.core.servers.basehttp import get_internal_wsgi_application

            return get_internal_wsgi_application()

    connections.close_all()   # the workers are forked: none may inherit an open connection
    Server(prog="casecenter serve").run()
