"""The account behind a request, for the views and the API to pass on as `actor`."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from rest_framework.request import Request

from fieldapp.types import request_account

from .models import User


def request_actor(request: HttpRequest | Request) -> User:
    """request_account(), typed as this project's User (403 for anything else)."""
    user = request_account(request)
    if not isinstance(user, User):
        raise PermissionDenied
    return user
