"""
The demo's accounts are named after the roles ("coordinator"), which anyone can guess,
and their passwords were printed on a terminal. A demo loaded on a production server
keeps both: the deploy check in checks.py warns while an account still signs in with
the password the demo gave it.

The demo's password hashes carry a salt that begins with DEMO_SALT_PREFIX (the rest is
random, as usual). Any later change of the password (the profile, a reset link, the
admin, `changepassword`) draws a fresh random salt, so the mark lasts exactly as long
as the demo's password does, with nothing else to keep in step.
"""

from typing import Any

from django.contrib.auth.hashers import identify_hasher, make_password
from django.utils.crypto import get_random_string

from .actions import user_create
from .models import User

# A random salt never holds "-", so no other password can carry this mark.
DEMO_SALT_PREFIX = "demo-"


def demo_user_create(*, password: str, **fields: Any) -> User:
    """user_create(), for the demo: the account's password is marked as the demo's."""
    user = user_create(password=password, **fields)
    # As long a random part as Django's own salts, or signing in would hash it anew.
    user.password = make_password(password, salt=DEMO_SALT_PREFIX + get_random_string(22))
    user.save(update_fields=["password"])
    return user


def has_demo_password(user: User) -> bool:
    if not user.has_usable_password():
        return False
    try:
        salt = identify_hasher(user.password).decode(user.password).get("salt") or ""
    except ValueError:  # a hash from a hasher no longer configured
        return False
    return str(salt).startswith(DEMO_SALT_PREFIX)
