"""Admin pages for looking only, and the base of those of medical and legal records."""

from collections.abc import Sequence
from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.db.models.constants import LOOKUP_SEP
from django.http import HttpRequest, HttpResponse


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


class CaseworkAdmin(ReadOnlyAdmin):
    """
    What the admin pages of medical and legal records share. The admin is the
    coordinators': statuses only, nothing changes there, and every record a list shows
    or a page opens is audited (through the app's selectors, in the two hooks below).
    Who may look is the app's rule named in `view_permission`.

    A list is narrowed only by the filters it offers. Django's admin otherwise takes a
    filter on any field of the model from the address (?reason_category=dental,
    ?case_type=dublin, ?service=3), and which people such a list keeps tells what each
    was referred or advised for, though no column shows it.
    """

    view_permission: str

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(self.view_permission)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.has_perm(self.view_permission, obj)

    def lookup_allowed(self, lookup: str, value: str, request: HttpRequest) -> bool:
        offered = {
            item if isinstance(item, str) else item[0]
            for item in self.get_list_filter(request)
            if isinstance(item, str | tuple | list)
        }
        return lookup.split(LOOKUP_SEP, 1)[0] in offered

    def audit_listed(self, request: HttpRequest, rows: Sequence[Model]) -> None:
        """Record the read of every record the list showed."""
        raise NotImplementedError

    def audit_opened(self, request: HttpRequest, object_id: str) -> None:
        """Record the read of the record a page opens (a selector that also checks it)."""
        raise NotImplementedError

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            self.audit_listed(request, list(changelist.result_list))
        return response

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        if object_id.isdigit() and self.has_view_permission(request):
            self.audit_opened(request, object_id)
        return super().change_view(request, object_id, form_url, extra_context)
