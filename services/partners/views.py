"""Coordinators manage partners and their services here (phone-sized screens)."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from fieldapp.errors import DomainError
from fieldapp.forms import add_domain_error
from fieldapp.submissions import submitted_once
from services.accounts.requests import request_actor

from . import actions
from .filters import PartnerFilter
from .forms import PartnerForm, PartnerServiceForm
from .selectors import partner_get, partner_service_get, partners_visible


@permission_required("partners.change_partner", raise_exception=True)
def partner_list(request: HttpRequest) -> HttpResponse:
    listed = PartnerFilter(
        request.GET, queryset=partners_visible(user=request_actor(request), include_inactive=True)
    )
    context = {"partners": listed.qs, "filter": listed}
    return render(request, "partners/partner_list.html", context)


@permission_required("partners.add_partner", raise_exception=True)
@require_http_methods(["GET", "POST"])
@submitted_once
def partner_create(request: HttpRequest) -> HttpResponse:
    form = PartnerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            partner = actions.partner_create(actor=request_actor(request), **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Partner added."))
            return redirect("partners:edit", pk=partner.pk)
    return render(request, "partners/partner_form.html", {"form": form, "partner": None})


@permission_required("partners.change_partner", raise_exception=True)
@require_http_methods(["GET", "POST"])
def partner_edit(request: HttpRequest, pk: int) -> HttpResponse:
    partner = partner_get(user=request_actor(request), pk=pk)
    initial = {field: getattr(partner, field) for field in actions.PARTNER_FIELDS}
    form = PartnerForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.partner_update(
                actor=request_actor(request), partner=partner, **form.cleaned_data
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("partners:list")
    return render(request, "partners/partner_form.html", {"form": form, "partner": partner})


@permission_required("partners.change_partner", raise_exception=True)
@require_POST
def partner_set_active(request: HttpRequest, pk: int) -> HttpResponse:
    partner = partner_get(user=request_actor(request), pk=pk)
    active = request.POST.get("active") == "1"
    actions.partner_update(actor=request_actor(request), partner=partner, is_active=active)
    messages.success(request, _("Partner reactivated.") if active else _("Partner deactivated."))
    return redirect("partners:edit", pk=partner.pk)


@permission_required("partners.add_partnerservice", raise_exception=True)
@require_http_methods(["GET", "POST"])
@submitted_once
def service_create(request: HttpRequest, pk: int) -> HttpResponse:
    partner = partner_get(user=request_actor(request), pk=pk)
    form = PartnerServiceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.partner_service_create(
                actor=request_actor(request),
                partner=partner,
                **form.cleaned_data,
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Service added."))
            return redirect("partners:edit", pk=partner.pk)
    context = {"form": form, "partner": partner, "service": None}
    return render(request, "partners/service_form.html", context)


@permission_required("partners.change_partnerservice", raise_exception=True)
@require_http_methods(["GET", "POST"])
def service_edit(request: HttpRequest, pk: int) -> HttpResponse:
    service = partner_service_get(user=request_actor(request), pk=pk)
    initial = {field: getattr(service, field) for field in actions.SERVICE_FIELDS}
    form = PartnerServiceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.partner_service_update(
                actor=request_actor(request),
                service=service,
                **form.cleaned_data,
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("partners:edit", pk=service.partner_id)
    context = {"form": form, "partner": service.partner, "service": service}
    return render(request, "partners/service_form.html", context)
