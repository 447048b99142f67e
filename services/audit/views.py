"""The audit log for coordinators, in words: read-only, filterable, no sensitive values."""

from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .filters import AuditEntryFilter
from .selectors import audit_entries
from .words import entries_in_words


@permission_required("audit.view_auditentry", raise_exception=True)
def audit_log(request: HttpRequest) -> HttpResponse:
    filters = AuditEntryFilter(
        request.GET or None, queryset=audit_entries(user=request.user), request=request
    )
    page = Paginator(filters.qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/audit_log.html",
        {
            "form": filters.form,
            "page": page,
            "sentences": entries_in_words(list(page.object_list)),
            "query": query.urlencode(),
        },
    )
