"""Coordinators' SMS screens: the message log, replies, and broadcasts. Thin."""

from django.conf import settings
from django.contrib import messages as flash
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_filters import FilterSet

from fieldapp.errors import DomainError
from fieldapp.forms import add_domain_error
from fieldapp.submissions import submitted_once
from services.accounts.requests import request_actor

from . import selectors
from .actions.broadcast import broadcast_preview, broadcast_send
from .actions.outcome import message_give_up, message_resend
from .filters import InboundMessageFilter, MessageFilter
from .forms import BroadcastForm


@permission_required("messaging.view_message", raise_exception=True)
def message_list(request: HttpRequest) -> HttpResponse:
    """The SMS log; each message shown is a read in the audit log (selectors.messages_read)."""
    filters = MessageFilter(
        request.GET or None, queryset=selectors.message_log(user=request.user), request=request
    )
    quiet = {
        "quiet_start": f"{settings.SMS_QUIET_HOURS_START:02d}",
        "quiet_end": f"{settings.SMS_QUIET_HOURS_END:02d}",
    }
    extra = {**quiet, "costs": selectors.message_costs(filters.qs)}
    response, page = _filtered_page(request, filters, "messaging/message_list.html", extra)
    selectors.messages_read(user=request_actor(request), messages=list(page.object_list))
    return response


@permission_required("messaging.resend_message", raise_exception=True)
@require_POST
def message_outcome_decide(request: HttpRequest, pk: int, decision: str) -> HttpResponse:
    """A coordinator's word on a message whose outcome is unknown: resend, or give up."""
    message = get_object_or_404(selectors.message_log(user=request.user), pk=pk)
    decide = message_resend if decision == "resend" else message_give_up
    try:
        decide(actor=request_actor(request), message=message)
    except DomainError as error:
        flash.error(request, error.message)
    else:
        if decision == "resend":
            flash.success(request, _("The message will be sent again."))
        else:
            flash.success(request, _("The message is marked as not sent."))
    return redirect("messaging:list")


@permission_required("messaging.view_inboundmessage", raise_exception=True)
def reply_list(request: HttpRequest) -> HttpResponse:
    filters = InboundMessageFilter(
        request.GET or None, queryset=selectors.inbound_log(user=request.user), request=request
    )
    return _filtered_page(request, filters, "messaging/reply_list.html")[0]


def _filtered_page(
    request: HttpRequest, filters: FilterSet, template: str, extra: dict[str, object] | None = None
) -> tuple[HttpResponse, Page]:
    """One page of 30 of the filtered list, with its filter form and the pager's query."""
    page = Paginator(filters.qs, 30).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": filters.form, "page": page, "query": query.urlencode(), **(extra or {})}
    return render(request, template, context), page


@permission_required("messaging.add_broadcast", raise_exception=True)
@require_http_methods(["GET", "POST"])
@submitted_once
def broadcast_compose(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    form = BroadcastForm(request.POST or None, user=actor, initial={"site": actor.site_id})
    preview = None
    if request.method == "POST" and form.is_valid():
        site, kind = form.cleaned_data["site"], form.cleaned_data["kind"]
        language = form.cleaned_data["only_language"]
        context = form.message_context()
        try:
            if request.POST.get("confirm") == "send":
                broadcast = broadcast_send(
                    actor=actor,
                    site=site,
                    kind=kind,
                    context=context,
                    language=language,
                    urgent=form.cleaned_data["urgent"],
                )
                flash.success(
                    request,
                    _("Sending to %(count)d people, at the provider's pace.")
                    % {"count": broadcast.recipients},
                )
                return redirect(f"{reverse('messaging:list')}?kind={kind}")
            preview = broadcast_preview(site=site, kind=kind, context=context, language=language)
        except DomainError as error:
            add_domain_error(form, error)
    return render(
        request,
        "messaging/broadcast.html",
        {"form": form, "preview": preview, "fallbacks": selectors.fallback_rows()},
    )


@permission_required("messaging.add_broadcast", raise_exception=True)
@require_GET
def broadcast_preview_fragment(request: HttpRequest) -> HttpResponse:
    """The live preview: the same table as the preview step, for the compose screen's JS."""
    form = BroadcastForm(request.GET, user=request_actor(request))
    preview = None
    if form.is_valid():
        try:
            preview = broadcast_preview(
                site=form.cleaned_data["site"],
                kind=form.cleaned_data["kind"],
                context=form.message_context(),
                language=form.cleaned_data["only_language"],
            )
        except DomainError:
            preview = None
    return render(
        request, "messaging/_preview.html", {"preview": preview, "form": form, "live": True}
    )
