from django.urls import include, path
from django.views.i18n import set_language

from casecenter.accounts.admin import site as admin_site
from casecenter.web import views as web_views

urlpatterns = [
    path("", include("casecenter.web.urls")),
    path("accounts/", include("casecenter.accounts.urls")),
    path("admin/", admin_site.urls),
    path("audit/", include("casecenter.ledger.urls")),
    path("jobs/", include("casecenter.jobs.urls")),
    path("search/", include("casecenter.search.urls")),
    path("law/", include("casecenter.law.urls")),
    path("deadlines/", include("casecenter.deadlines.urls")),
    path("people/", include("casecenter.people.urls")),
    path("cases/", include("casecenter.cases.urls")),
    path("api/v1/", include("casecenter.config.api_urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("healthz", web_views.healthz_view, name="healthz"),
]

handler403 = "casecenter.web.views.error_403"
handler404 = "casecenter.web.views.error_404"
handler500 = "casecenter.web.views.error_500"
