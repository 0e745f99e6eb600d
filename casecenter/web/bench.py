"""Benchmarks of the web shell: requests per second through Django's full stack, in process.

``django.test.Client`` runs every middleware, the URL resolver, the view, the templates and the
database queries, but no network and no WSGI server: the figures are the application's own cost,
an upper bound on what one worker process can serve.
"""

from __future__ import annotations

from django.conf import settings
from django.test import Client
from django.urls import reverse

from casecenter.accounts.demo import build_demo_organisation
from casecenter.accounts.sessions import signed_in_client
from casecenter.core.bench import benchmark


def _client() -> Client:
    """A client that sends a host the settings allow: an unlisted host answers 400, which would be
    measured instead of the page."""
    hosts = [h.lstrip(".") for h in settings.ALLOWED_HOSTS if h != "*"]
    return Client(HTTP_HOST=hosts[0] if hosts else "testserver")


def _signed_in(username: str) -> Client:
    """A client with a complete session (second factor done, activity just now), as the tests build."""
    return signed_in_client(build_demo_organisation()[username], _client())


def _getter(client: Client, url: str):
    """GET ``url``, refusing anything but a 200: a redirect to the login page or an error page is
    fast, and timing it would report the wrong page."""

    def get():
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"GET {url} answered {response.status_code}, not 200: the benchmark is broken")
        return response

    return get


@benchmark("web.login_page", description="GET the sign-in page, anonymous", repeat=1000, warmup=50)
def login_page(ctx):
    return ctx.measure(_getter(_client(), reverse("accounts:login")))


@benchmark("web.home_page", description="GET the home page as a signed-in case officer", repeat=1000, warmup=50)
def home_page(ctx):
    get = _getter(_signed_in("officer1"), reverse("web:home"))
    response = get()
    if response.wsgi_request.user.username != "officer1":
        raise RuntimeError("the home page was not served to the signed-in case officer")
    return ctx.measure(get)
