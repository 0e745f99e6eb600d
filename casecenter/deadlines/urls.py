from django.urls import path, re_path

from . import panels, views

app_name = "deadlines"
urlpatterns = [
    path("", views.deadline_list_view, name="list"),
    path("<int:pk>/", views.deadline_detail_view, name="detail"),
    re_path(r"^(?P<pk>[0-9]+)/(?P<action>pause|resume|extend|meet|cancel)$", views.deadline_action_view, name="action"),
    path("alerts/", views.alert_list_view, name="alerts"),
    path("alerts/unread", views.unread_badge_view, name="unread_badge"),
    path("alerts/<int:pk>/", views.alert_detail_view, name="alert"),
    re_path(r"^alerts/(?P<pk>[0-9]+)/(?P<action>acknowledge|resolve)$", views.alert_note_view, name="alert_note"),
    # The home page's panels (web/home.py PANELS).
    path("panels/my-clocks", panels.my_clocks_panel_view, name="panel_my_clocks"),
    path("panels/clocks", panels.clocks_panel_view, name="panel_clocks"),
    path("panels/alerts", panels.alerts_panel_view, name="panel_alerts"),
    path("panels/breaches", panels.breaches_panel_view, name="panel_breaches"),
]
