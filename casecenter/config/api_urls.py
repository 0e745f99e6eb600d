from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from casecenter.accounts import api as accounts_api
from casecenter.law import api as law_api
from casecenter.law.converters import LAWDATE
from casecenter.ledger import api as ledger_api
from casecenter.search import api as search_api

app_name = "api"
urlpatterns = [
    path("me", accounts_api.MeApi.as_view(), name="me"),
    path("units/", accounts_api.UnitListApi.as_view(), name="unit-list"),
    path("units/<int:pk>/", accounts_api.UnitDetailApi.as_view(), name="unit-detail"),
    path("users/", accounts_api.UserListApi.as_view(), name="user-list"),
    path("users/<int:pk>/", accounts_api.UserDetailApi.as_view(), name="user-detail"),
    path("users/<int:pk>/roles", accounts_api.UserRolesApi.as_view(), name="user-roles"),
    path("ledger/events/", ledger_api.EventListApi.as_view(), name="ledger-event-list"),
    path("ledger/events/<int:pk>/proof", ledger_api.EventProofApi.as_view(), name="ledger-event-proof"),
    path("ledger/checkpoint", ledger_api.CheckpointApi.as_view(), name="ledger-checkpoint"),
    path("ledger/consistency", ledger_api.ConsistencyProofApi.as_view(), name="ledger-consistency"),
    path("ledger/public-key", ledger_api.PublicKeyApi.as_view(), name="ledger-public-key"),
    path("search", search_api.SearchApi.as_view(), name="search"),
    path("law/", law_api.LawListApi.as_view(), name="law-list"),
    path("law/search", law_api.LawSearchApi.as_view(), name="law-search"),
    path("law/<slug:code>/", law_api.LawDetailApi.as_view(), name="law-detail"),
    path(f"law/<slug:code>/<{LAWDATE}:version>/<str:article>", law_api.LawArticleApi.as_view(), name="law-article"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
]
