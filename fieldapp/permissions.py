"""API permissions: Django's model permissions, which the role groups grant."""

from typing import TYPE_CHECKING

from rest_framework.permissions import BasePermission, DjangoModelPermissions
from rest_framework.request import Request

if TYPE_CHECKING:  # rest_framework.views imports this module through its settings
    from rest_framework.views import APIView


class ModelPermissions(DjangoModelPermissions):
    """Like DRF's, but reading also needs the model's view permission."""

    perms_map = {
        **DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
        "OPTIONS": ["%(app_label)s.view_%(model_name)s"],
    }


def RequirePerms(*perms: str) -> type[BasePermission]:  # noqa: N802 - used like a class
    """A permission class for one action that needs other perms than its model's."""

    class _RequirePerms(BasePermission):
        def has_permission(self, request: Request, view: "APIView") -> bool:
            return bool(
                request.user and request.user.is_authenticated and request.user.has_perms(perms)
            )

    return _RequirePerms
