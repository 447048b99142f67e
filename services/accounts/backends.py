"""Signing in with a user name and password."""

from typing import Any

from django.contrib.auth.backends import ModelBackend


class PasswordBackend(ModelBackend):
    """
    Django's ModelBackend for signing in and for a session's user, granting no
    permission itself: every permission comes from the rules (rules.py), so Django's
    per-user and per-group permission tables are never read.
    """

    def user_can_authenticate(self, user: Any) -> bool:
        """
        Also for each request's session: a volunteer past their departure date can
        neither sign in nor keep using a session, from the first minute of the day after.
        """
        return super().user_can_authenticate(user) and not user.has_left()

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        return False

    def has_module_perms(self, user_obj: Any, app_label: str) -> bool:
        return False

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        return set()
