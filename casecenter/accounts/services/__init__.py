"""Every write to accounts goes through these services (see STYLE.md rule 2)."""

from .login import (
    LoginRefused,
    login_complete,
    logout_complete,
    password_check,
    totp_check,
    totp_confirm_enrolment,
    totp_reset,
)
from .tokens import token_create, token_revoke
from .units import unit_create, unit_deactivate, unit_reactivate, unit_update, unit_version
from .users import (
    user_create,
    user_deactivate,
    user_reactivate,
    user_set_password,
    user_set_roles,
    user_unlock,
    user_update,
    user_version,
)

__all__ = [
    "LoginRefused", "login_complete", "logout_complete", "password_check", "totp_check",
    "totp_confirm_enrolment", "totp_reset", "token_create", "token_revoke",
    "unit_create", "unit_deactivate", "unit_reactivate", "unit_update", "unit_version", "user_create",
    "user_deactivate", "user_reactivate", "user_set_password", "user_set_roles", "user_unlock", "user_update",
    "user_version",
]
