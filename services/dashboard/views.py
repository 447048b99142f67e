"""The dashboard page: the filter form, then every figure (selectors.py). Thin."""

from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language_bidi
from django.views.decorators.http import require_GET

from fieldapp.figures import Scope
from fieldapp.suppression import WITHHELD_NOTE
from services.accounts.requests import request_actor

from .forms import DashboardFilter
from .selectors import dashboard_figures


@permission_required("dashboard.view_dashboard", raise_exception=True)
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    form = DashboardFilter(request.GET, user=request_actor(request), today=today)
    if not form.is_valid():
        return render(request, "dashboard/index.html", {"form": form}, status=400)
    site = form.cleaned_data["site"]
    scope = Scope(
        user=request_actor(request),
        site_ids=frozenset([site.pk]) if site else None,
        start=form.cleaned_data["start"],
        end=form.cleaned_data["end"],
    )
    figures = dashboard_figures(scope, today=today, rtl=get_language_bidi())
    return render(
        request,
        "dashboard/index.html",
        {"form": form, "figures": figures, "scope": scope, "withheld_note": WITHHELD_NOTE},
    )
