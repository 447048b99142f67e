"""The audit log for coordinators: read-only, filterable, no sensitive values in it."""

from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .forms import AuditFilterForm
from .selectors import audit_entries, audit_record_types


@permission_required("audit.view_auditentry", raise_exception=True)
def audit_log(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None, record_types=audit_record_types())
    filters = form.cleaned_data if form.is_valid() else {}
    entries = audit_entries(**{name: value for name, value in filters.items() if value})
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "audit/audit_log.html", {"form": form, "page": page, "query": query.urlencode()}
    )
