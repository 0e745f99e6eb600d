from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
    path("", views.person_list_view, name="list"),
    path("new/", views.person_create_view, name="create"),
    path("id-number", views.id_number_check_view, name="id_number_check"),
    path("<int:pk>/", views.person_detail_view, name="detail"),
    path("<int:pk>/edit/", views.person_update_view, name="update"),
    path("<int:pk>/documents/", views.document_add_view, name="document_add"),
    path("<int:pk>/photo", views.photo_view, name="photo"),
    path("<int:pk>/photo/remove", views.photo_remove_view, name="photo_remove"),
    path("<int:pk>/merge/", views.person_merge_view, name="merge"),
    path("<int:pk>/unmerge/", views.person_unmerge_view, name="unmerge"),
]
