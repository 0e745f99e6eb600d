from django.urls import path

from . import views
from .converters import LAWDATE

app_name = "law"
urlpatterns = [
    path("", views.law_list_view, name="index"),
    path("search", views.search_view, name="search"),
    path("<slug:code>/", views.law_detail_view, name="law"),
    path(f"<slug:code>/<{LAWDATE}:version>/", views.version_detail_view, name="version"),
    # The permalink: /law/cpl/2018-10-26/67 (67-1 for 第六十七条之一).
    path(f"<slug:code>/<{LAWDATE}:version>/<str:article>", views.article_detail_view, name="article"),
]
