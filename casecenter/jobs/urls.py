from django.urls import path

from . import views

app_name = "jobs"
urlpatterns = [
    path("<uuid:pk>/", views.progress_page_view, name="progress_page"),
    path("<uuid:pk>/progress", views.progress_view, name="progress"),
    path("ledger-verification", views.ledger_verification_view, name="ledger_verification"),
]
