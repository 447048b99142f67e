"""
Deploy checks (`manage.py check --deploy`) on the accounts: no account still signs in
with a password the demo printed (demo_passwords.py).
"""

from typing import Any

from django.core.checks import CheckMessage, Tags, Warning, register
from django.db import DatabaseError

from .demo_passwords import has_demo_password
from .models import User


@register(Tags.security, deploy=True)
def demo_passwords_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    try:
        users = list(User.objects.filter(is_active=True).only("username", "password"))
    except DatabaseError:  # not migrated yet: no accounts to check
        return []
    names = sorted(user.username for user in users if has_demo_password(user))
    if not names:
        return []
    return [
        Warning(
            f"These accounts still sign in with the password the demo printed: "
            f"{', '.join(names)}. The demo's account names are its roles' names, "
            "which anyone can guess.",
            hint="Set a new password (manage.py changepassword USERNAME), or switch it off.",
            id="accounts.W001",
        )
    ]
