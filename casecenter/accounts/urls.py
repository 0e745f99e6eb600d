from django.urls import path

from .views import panels, pickers, security, signin, units, users

app_name = "accounts"
urlpatterns = [
    path("login/", signin.login_view, name="login"),
    path("login/code/", signin.login_otp_view, name="login_otp"),
    path("login/enrol/", signin.login_enrol_view, name="login_enrol"),
    path("login/enrol/qr.svg", signin.login_enrol_qr_view, name="login_enrol_qr"),
    path("logout/", signin.logout_view, name="logout"),
    path("profile/", signin.profile_view, name="profile"),
    path("profile/password/", signin.password_change_view, name="password_change"),
    path("profile/tokens/", signin.token_create_view, name="token_create"),
    path("profile/tokens/<int:pk>/revoke/", signin.token_revoke_view, name="token_revoke"),
    # --- administration (the system and security administrators) -----------------------------------
    path("administration/", users.administration_view, name="administration"),
    path("units/", units.unit_tree_view, name="units"),
    path("units/new/", units.unit_create_view, name="unit_create"),
    path("units/<int:pk>/", units.unit_edit_view, name="unit_edit"),
    path("units/<int:pk>/deactivate/", units.unit_deactivate_view, name="unit_deactivate"),
    path("units/<int:pk>/reactivate/", units.unit_reactivate_view, name="unit_reactivate"),
    path("users/", users.user_list_view, name="users"),
    path("users/new/", users.user_create_view, name="user_create"),
    path("users/<int:pk>/", users.user_detail_view, name="user"),
    path("users/<int:pk>/edit/", users.user_edit_view, name="user_edit"),
    path("users/<int:pk>/deactivate/", users.user_deactivate_view, name="user_deactivate"),
    path("users/<int:pk>/reactivate/", users.user_reactivate_view, name="user_reactivate"),
    path("users/<int:pk>/roles/", security.user_roles_view, name="user_roles"),
    path("users/<int:pk>/authenticator/reset/", security.user_totp_reset_view, name="user_totp_reset"),
    path("users/<int:pk>/unlock/", security.user_unlock_view, name="user_unlock"),
    path("tokens/", security.token_list_view, name="tokens"),
    path("tokens/<int:pk>/revoke/", security.admin_token_revoke_view, name="admin_token_revoke"),
    path("pickers/units", pickers.unit_picker_view, name="unit_picker"),
    path("pickers/users", pickers.user_picker_view, name="user_picker"),
    path("panels/locked", panels.locked_panel_view, name="panel_locked"),
    path("panels/no-authenticator", panels.no_authenticator_panel_view, name="panel_no_authenticator"),
    path("panels/tokens-expiring", panels.tokens_expiring_panel_view, name="panel_tokens_expiring"),
    path("panels/units-without-head", panels.units_without_head_panel_view, name="panel_units_without_head"),
    path("panels/accounts-without-role", panels.accounts_without_role_panel_view, name="panel_accounts_without_role"),
]
