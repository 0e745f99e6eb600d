from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from casecenter.accounts.roles import Role
from casecenter.core import clock

from .home import home_panels, home_waiting


def home_view(request):
    user = request.user
    return render(request, "web/home.html", {
        "panels": home_panels(user), "waiting": home_waiting(user), "today": clock.now(),
        "roles": [(role.value, role.label) for role in Role if role in user.roles]})


@never_cache
def healthz_view(request):
    """For load balancers: the process answers and the database is reachable."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def error_403(request, exception=None):
    return render(request, "errors/403.html", status=403)


def error_404(request, exception=None):
    return render(request, "errors/404.html", status=404)


def error_500(request):
    # No context processors that touch the database: the error may be the database.
    from django.http import HttpResponseServerError
    from django.template import loader

    return HttpResponseServerError(loader.get_template("errors/500.html").render({"request": None}))
