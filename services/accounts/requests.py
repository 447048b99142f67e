"""The account behind a request, for the views and the API to pass on as `actor`."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from rest_framework.request import Request

from .models import User


def request_actor(request: HttpRequest | Request) -> User:
    """
    The signed-in user. Every page is behind LoginRequiredMiddleware and every API view
    behind IsAuthenticated, so an anonymous request reaching a caller of this is refused
    (403) rather than passed on.
    """
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        raise PermissionDenied
    return user
