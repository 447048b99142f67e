"""
The coordinators' team pages: invite volunteers, see who is waiting to join (send the
link again, or withdraw it), who is here and who has left; extend a stay, reset a lost
second factor. Thin: the selectors check who asks, the actions decide.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from fieldapp.errors import DomainError
from fieldapp.forms import add_domain_error
from fieldapp.submissions import submitted_once

from . import selectors
from .actions import invitations
from .actions.second_factor import second_factor_reset
from .actions.stays import user_stay_extend
from .forms import InvitationForm, StayForm
from .requests import request_actor
from .scoping import sites_of

PAGE_SIZE = 50


@permission_required("accounts.view_user", raise_exception=True)
def team_list(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    query = request.GET.get("q", "").strip()[:100]
    left = request.GET.get("left") == "1"
    page = Paginator(selectors.team_list(user=actor, query=query, left=left), PAGE_SIZE)
    return render(
        request,
        "accounts/team_list.html",
        {
            "page": page.get_page(request.GET.get("page")),
            "q": query,
            "left": left,
            "invited": selectors.invitations_pending(user=actor).count(),
            "pager_query": urlencode(
                {k: v for k, v in (("q", query), ("left", "1" if left else "")) if v}
            ),
        },
    )


@permission_required("accounts.view_user", raise_exception=True)
def team_member(request: HttpRequest, pk: int) -> HttpResponse:
    member = selectors.team_member(user=request_actor(request), pk=pk)
    return _member_page(request, member, StayForm(initial={"leaves_on": member.leaves_on}))


def _member_page(
    request: HttpRequest, member: object, stay_form: StayForm, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "accounts/team_member.html",
        {"member": member, "stay_form": stay_form},
        status=status,
    )


@permission_required("accounts.extend_stay", raise_exception=True)
@require_POST
def stay_extend(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request_actor(request)
    member = selectors.team_member(user=actor, pk=pk)
    form = StayForm(request.POST)
    if form.is_valid():
        try:
            user_stay_extend(actor=actor, user=member, leaves_on=form.cleaned_data["leaves_on"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The stay is extended."))
            return redirect("accounts:team_member", pk=member.pk)
    return _member_page(request, member, form, status=400)


@permission_required("accounts.reset_second_factor", raise_exception=True)
@require_POST
def second_factor_reset_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request_actor(request)
    member = selectors.team_member(user=actor, pk=pk)
    try:
        second_factor_reset(actor=actor, user=member)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Second factor reset: they set it up again the next time they sign in."),
        )
    return redirect("accounts:team_member", pk=member.pk)


@permission_required("accounts.view_invitation", raise_exception=True)
def invitation_list(request: HttpRequest) -> HttpResponse:
    pending = selectors.invitations_pending(user=request_actor(request))
    return render(request, "accounts/invitation_list.html", {"invitations": pending})


@permission_required("accounts.add_invitation", raise_exception=True)
@require_http_methods(["GET", "POST"])
@submitted_once
def invitation_create(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    form = InvitationForm(
        request.POST or None, sites=sites_of(actor), initial={"language": get_language()}
    )
    if request.method == "POST" and form.is_valid():
        phone, email = form.cleaned_data["address"]
        try:
            invitations.invitation_create(
                actor=actor,
                phone=phone,
                email=email,
                role=form.cleaned_data["role"],
                sites=list(form.cleaned_data["sites"]),
                language=form.cleaned_data["language"],
                base_url=request.build_absolute_uri("/"),
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Invitation sent."))
            return redirect("accounts:invitations")
    return render(
        request,
        "accounts/invitation_form.html",
        {"form": form, "invitation_days": settings.INVITATION_DAYS},
        status=400 if form.errors else 200,
    )


@permission_required("accounts.change_invitation", raise_exception=True)
@require_POST
def invitation_resend(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request_actor(request)
    invitation = selectors.invitation_get(user=actor, pk=pk)
    try:
        invitations.invitation_resend(
            actor=actor, invitation=invitation, base_url=request.build_absolute_uri("/")
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("A new link is sent; the old one no longer works."))
    return redirect("accounts:invitations")


@permission_required("accounts.change_invitation", raise_exception=True)
@require_POST
def invitation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request_actor(request)
    invitation = selectors.invitation_get(user=actor, pk=pk)
    try:
        invitations.invitation_revoke(actor=actor, invitation=invitation)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Invitation withdrawn: its link no longer works."))
    return redirect("accounts:invitations")
