"""The admin site belongs to coordinators only, whatever a user's is_staff flag says."""

from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode


class FieldAdminSite(admin.AdminSite):
    site_header = "fieldapp"
    site_title = "fieldapp"

    def has_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("accounts.use_admin")

    def login(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        """One login page for everyone; a signed-in non-coordinator is refused, not re-asked."""
        if request.user.is_authenticated:
            if self.has_permission(request):
                return redirect("admin:index")
            raise PermissionDenied
        next_url = request.GET.get(REDIRECT_FIELD_NAME, reverse("admin:index"))
        return redirect(f"{reverse('login')}?{urlencode({REDIRECT_FIELD_NAME: next_url})}")
