"""
Types the apps share.

`Actor` is whoever does something: a signed-in account, or None for the person served
acting by SMS or for the system itself. `Viewer` is whoever reads a list: the request's
user, signed in or not. Both name Django's own user classes so that the low layers
(audit, sites) can take one without importing accounts, which stands above them; the
accounts app's `request_actor()` turns a request into its `User`, and
`request_account()` below does the same for those low layers.
"""

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser, PermissionsMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import HttpRequest
from rest_framework.request import Request

Actor = AbstractBaseUser | None
Viewer = AbstractBaseUser | AnonymousUser


def viewer_may(viewer: Viewer, perm: str, obj: Model | None = None) -> bool:
    """
    `viewer.has_perm(perm, obj)`, asked of a user typed as Django's base class: an
    account class without permissions (not a PermissionsMixin) may do nothing.
    """
    if isinstance(viewer, AnonymousUser | PermissionsMixin):
        return viewer.has_perm(perm, obj)
    return False


def request_account(request: HttpRequest | Request) -> AbstractBaseUser:
    """
    The signed-in account behind a request, for the views of the apps below accounts
    (sites), which cannot call its request_actor(). Every page and API view needs a
    sign-in, so an anonymous request reaching a caller of this is refused (403).
    """
    user = request.user
    if not isinstance(user, AbstractBaseUser) or not user.is_authenticated:
        raise PermissionDenied
    return user
