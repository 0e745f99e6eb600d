"""The authentication backend: Django's model backend, loading the signed-in user with their unit
(every access decision and every ledger event's actor snapshot reads it) in the same query."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend

from .models import User


class AccountBackend(ModelBackend):
    def get_user(self, user_id):
        user = User._default_manager.select_related("unit").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
