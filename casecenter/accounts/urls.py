from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("login/code/", views.login_otp_view, name="login_otp"),
    path("login/enrol/", views.login_enrol_view, name="login_enrol"),
    path("login/enrol/qr.svg", views.login_enrol_qr_view, name="login_enrol_qr"),
    path("logout/", views.logout_view, name="logout"),
    path("profile/", views.profile_view, name="profile"),
    path("profile/password/", views.password_change_view, name="password_change"),
    path("profile/tokens/", views.token_create_view, name="token_create"),
    path("profile/tokens/<int:pk>/revoke/", views.token_revoke_view, name="token_revoke"),
]
