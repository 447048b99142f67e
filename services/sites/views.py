"""Coordinators manage sites here; volunteers only pick theirs on the home screen."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from fieldapp.errors import DomainError
from fieldapp.forms import add_domain_error
from fieldapp.submissions import submitted_once
from fieldapp.types import request_account

from . import actions
from .filters import SiteFilter
from .forms import SiteForm
from .selectors import site_list_for


@permission_required("sites.change_site", raise_exception=True)
def site_list(request: HttpRequest) -> HttpResponse:
    filters = SiteFilter(
        request.GET or None, queryset=site_list_for(user=request.user), request=request
    )
    page = Paginator(filters.qs, 50).get_page(request.GET.get("page"))
    others = request.GET.copy()
    others.pop("page", None)
    return render(
        request,
        "sites/site_list.html",
        {"form": filters.form, "page": page, "query": others.urlencode()},
    )


@permission_required("sites.add_site", raise_exception=True)
@require_http_methods(["GET", "POST"])
@submitted_once
def site_create(request: HttpRequest) -> HttpResponse:
    form = SiteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.site_create(actor=request_account(request), **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Site added."))
            return redirect("sites:list")
    return render(request, "sites/site_form.html", {"form": form, "site": None})


@permission_required("sites.change_site", raise_exception=True)
@require_http_methods(["GET", "POST"])
def site_edit(request: HttpRequest, pk: int) -> HttpResponse:
    site = get_object_or_404(site_list_for(user=request.user), pk=pk)
    initial = {field: getattr(site, field) for field in actions.SITE_FIELDS}
    form = SiteForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.site_update(actor=request_account(request), site=site, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("sites:list")
    return render(request, "sites/site_form.html", {"form": form, "site": site})
