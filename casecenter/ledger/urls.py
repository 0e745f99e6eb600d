from django.urls import path

from . import views

app_name = "ledger"
urlpatterns = [
    path("", views.event_list_view, name="events"),
    path("events/<int:pk>/", views.event_detail_view, name="event"),
    path("events/<int:pk>/proof", views.event_proof_view, name="event_proof"),
    path("timeline", views.timeline_view, name="timeline"),
    path("checkpoint", views.checkpoint_panel_view, name="checkpoint_panel"),
]
