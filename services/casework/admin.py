"""
What the admin pages of medical and legal records share. The admin is the coordinators'
(STATUS access, services/casework/access.py): statuses only, nothing changes there, and
every record a list shows is audited.

A list is narrowed only by the filters it offers. Django's admin otherwise takes a
filter on any field of the model from the address (?reason_category=dental,
?case_type=dublin, ?service=3), and which people such a list keeps tells what each
was referred or advised for, though no column shows it.
"""

from collections.abc import Sequence
from typing import Any

from django.db.models import Model
from django.db.models.constants import LOOKUP_SEP
from django.http import HttpRequest, HttpResponse

from fieldapp.readonly_admin import ReadOnlyAdmin

from .access import Access, area_access


class CaseworkAdmin(ReadOnlyAdmin):
    area: str

    def has_module_permission(self, request: HttpRequest) -> bool:
        return area_access(request.user, self.area) >= Access.STATUS

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return area_access(request.user, self.area) >= Access.STATUS

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

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            self.audit_listed(request, list(changelist.result_list))
        return response
