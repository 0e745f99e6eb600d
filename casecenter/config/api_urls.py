from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from casecenter.accounts import api as accounts_api

app_name = "api"
urlpatterns = [
    path("me", accounts_api.MeApi.as_view(), name="me"),
    path("units/", accounts_api.UnitListApi.as_view(), name="unit-list"),
    path("units/<int:pk>/", accounts_api.UnitDetailApi.as_view(), name="unit-detail"),
    path("users/", accounts_api.UserListApi.as_view(), name="user-list"),
    path("users/<int:pk>/", accounts_api.UserDetailApi.as_view(), name="user-detail"),
    path("users/<int:pk>/roles", accounts_api.UserRolesApi.as_view(), name="user-roles"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
]
