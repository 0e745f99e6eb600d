from django.conf import settings

from casecenter.accounts.access import is_allowed

from .navigation import API_DOCS, navigation_for


def shell(request):
    """What every page of the shell needs: the menu, the demo banner, the installation's name."""
    match = getattr(request, "resolver_match", None)
    user = getattr(request, "user", None)
    return {
        "demo_mode": settings.DEMO_MODE,
        "installation_name": settings.CASECENTER["INSTALLATION_NAME"],
        "navigation": navigation_for(user, match.view_name if match else None) if user else [],
        "search_box": bool(user and user.is_authenticated and is_allowed(user, "search:results")),
        "alerts_badge": bool(user and user.is_authenticated and is_allowed(user, "deadlines:alerts")),
        "api_docs": bool(user and user.is_authenticated and is_allowed(user, API_DOCS)),
        "search_query": request.GET.get("q", "")[:200] if match and match.view_name == "search:results" else "",
    }
