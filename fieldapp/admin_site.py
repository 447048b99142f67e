"""The admin site belongs to coordinators only, whatever a user's is_staff flag says."""

from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from services.accounts.roles import Role, user_has_role


class FieldAdminSite(admin.AdminSite):
    site_header = "fieldapp"
    site_title = "fieldapp"

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_active and user_has_role(user, Role.COORDINATOR))

    def login(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        """One login page for everyone; a signed-in non-coordinator is refused, not re-asked."""
        if request.user.is_authenticated:
            if self.has_permission(request):
                return redirect("admin:index")
            raise PermissionDenied
        next_url = request.GET.get(REDIRECT_FIELD_NAME, reverse("admin:index"))
        return redirect(f"{reverse('login')}?{urlencode({REDIRECT_FIELD_NAME: next_url})}")


class ReadOnlyAdmin(admin.ModelAdmin):
    """
    For looking only: these records change in the app, through the actions, where each
    change is validated and audited. The admin must not be a way around that.
    """

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
