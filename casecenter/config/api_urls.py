from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from casecenter.accounts import api as accounts_api
from casecenter.cases import api as cases_api
from casecenter.deadlines import api as deadlines_api
from casecenter.deadlines import calendar_api
from casecenter.jobs import api as jobs_api
from casecenter.law import api as law_api
from casecenter.law.converters import LAWDATE
from casecenter.ledger import api as ledger_api
from casecenter.people import api as people_api
from casecenter.people import pickers as people_pickers
from casecenter.search import api as search_api
from casecenter.search import pickers as search_pickers

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
    path("progress/<uuid:pk>/", jobs_api.ProgressDetailApi.as_view(), name="progress-detail"),
    path("search", search_api.SearchApi.as_view(), name="search"),
    path("pickers/officers", search_pickers.OfficerPickerApi.as_view(), name="picker-officers"),
    path("pickers/people", people_pickers.PersonPickerApi.as_view(), name="picker-people"),
    path("law/", law_api.LawListApi.as_view(), name="law-list"),
    path("law/search", law_api.LawSearchApi.as_view(), name="law-search"),
    path("law/<slug:code>/", law_api.LawDetailApi.as_view(), name="law-detail"),
    path(f"law/<slug:code>/<{LAWDATE}:version>/<str:article>", law_api.LawArticleApi.as_view(), name="law-article"),
    path("deadlines/", deadlines_api.DeadlineListApi.as_view(), name="deadline-list"),
    path("deadlines/<int:pk>/", deadlines_api.DeadlineDetailApi.as_view(), name="deadline-detail"),
    re_path(r"^deadlines/(?P<pk>[0-9]+)/(?P<action>pause|resume|extend|meet|cancel)$",
            deadlines_api.DeadlineActionApi.as_view(), name="deadline-action"),
    path("alerts/", deadlines_api.AlertListApi.as_view(), name="alert-list"),
    path("alerts/unread", deadlines_api.AlertUnreadApi.as_view(), name="alert-unread"),
    path("alerts/<int:pk>/", deadlines_api.AlertDetailApi.as_view(), name="alert-detail"),
    re_path(r"^alerts/(?P<pk>[0-9]+)/(?P<action>acknowledge|resolve)$", deadlines_api.AlertActionApi.as_view(),
            name="alert-action"),
    path("calendar/", calendar_api.CalendarListApi.as_view(), name="calendar-list"),
    path("calendar/<int:year>/", calendar_api.CalendarYearApi.as_view(), name="calendar-year"),
    path(f"calendar/<int:year>/days/<{LAWDATE}:day>", calendar_api.CalendarDayApi.as_view(), name="calendar-day"),
    path("people/", people_api.PersonListApi.as_view(), name="person-list"),
    path("people/<int:pk>/", people_api.PersonDetailApi.as_view(), name="person-detail"),
    path("people/<int:pk>/documents/", people_api.PersonDocumentAddApi.as_view(), name="person-document-add"),
    path("people/<int:pk>/photo", people_api.PersonPhotoApi.as_view(), name="person-photo"),
    path("people/<int:pk>/photo/remove", people_api.PersonPhotoRemoveApi.as_view(), name="person-photo-remove"),
    path("people/<int:pk>/merge", people_api.PersonMergeApi.as_view(), name="person-merge"),
    path("people/<int:pk>/unmerge", people_api.PersonUnmergeApi.as_view(), name="person-unmerge"),
    path("cases/", cases_api.CaseListApi.as_view(), name="case-list"),
    path("cases/batch", cases_api.CaseBatchIntakeApi.as_view(), name="case-batch-intake"),
    path("cases/causes/", cases_api.CauseListApi.as_view(), name="case-cause-list"),
    path("cases/<int:pk>/", cases_api.CaseDetailApi.as_view(), name="case-detail"),
    re_path(r"^cases/(?P<pk>[0-9]+)/(?P<to>accepted|filed|not_filed|transferred|investigating|prosecution|withdrawn"
            r"|decided|archived)$", cases_api.CaseTransitionApi.as_view(), name="case-transition"),
    path("cases/<int:pk>/transfer/delivered", cases_api.TransferDeliveredApi.as_view(),
         name="case-transfer-delivered"),
    path("cases/<int:pk>/parties/", cases_api.PartyAddApi.as_view(), name="case-party-add"),
    path("cases/<int:pk>/parties/<int:party>/remove", cases_api.PartyRemoveApi.as_view(), name="case-party-remove"),
    path("cases/<int:pk>/measures/", cases_api.MeasureStartApi.as_view(), name="case-measure-start"),
    re_path(r"^cases/(?P<pk>[0-9]+)/measures/(?P<measure>[0-9]+)/(?P<action>approve|refuse|end|convert)$",
            cases_api.MeasureActionApi.as_view(), name="case-measure-action"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
]
