from django.urls import path, re_path

from . import panels, views

app_name = "cases"
urlpatterns = [
    path("", views.case_list_view, name="list"),
    path("new", views.case_intake_view, name="intake"),
    path("<int:pk>/", views.case_detail_view, name="detail"),
    path("people/<int:person>/panel", views.person_panel_view, name="person_panel"),
    path("<int:pk>/acceptance", views.acceptance_record_view, name="acceptance_record"),
    re_path(r"^(?P<pk>[0-9]+)/(?P<to>accepted|filed|not_filed|transferred|investigating|prosecution|withdrawn"
            r"|decided|archived)$", views.case_transition_view, name="transition"),
    path("<int:pk>/transfer/delivered", views.transfer_delivered_view, name="transfer_delivered"),
    path("<int:pk>/parties/", views.party_add_view, name="party_add"),
    path("<int:pk>/parties/<int:party>/remove", views.party_remove_view, name="party_remove"),
    path("<int:pk>/measures/", views.measure_start_view, name="measure_start"),
    re_path(r"^(?P<pk>[0-9]+)/measures/(?P<measure>[0-9]+)/(?P<action>approve|refuse|end|convert)$",
            views.measure_action_view, name="measure_action"),
    # The home page's panels (web/home.py PANELS).
    path("panels/mine", panels.my_cases_panel_view, name="panel_mine"),
    path("panels/scope", panels.scope_cases_panel_view, name="panel_scope"),
    path("panels/decisions", panels.decisions_panel_view, name="panel_decisions"),
]
