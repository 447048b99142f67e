"""
Coordinators' distribution screens: the catalogue, stock per site, planning sessions,
and settling conflicts from offline phones. Thin: reads through the selectors, writes
through the actions, and an action's refusal goes back on the form with what was typed.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from fieldapp.errors import DomainError
from fieldapp.forms import add_domain_error
from fieldapp.submissions import submitted_once
from services.accounts.requests import request_actor
from services.messaging.actions.broadcast import broadcast_preview
from services.messaging.sms_templates import Kind
from services.sites.models import Site

from . import selectors
from .actions import checkin as checkin_actions
from .actions import sessions as session_actions
from .actions import stock as stock_actions
from .actions.catalogue import item_type_save
from .actions.labels import box_labels_print
from .actions.levels import low_stock_level_set
from .filters import CheckInFilter, SessionFilter, StockFilter
from .forms_coordinator import (
    AdjustForm,
    ItemTypeForm,
    LabelForm,
    LowStockLevelForm,
    ReceiveForm,
    ResolveForm,
    SessionPlanForm,
    StockForm,
    TransferForm,
    WriteOffForm,
)
from .labels import FORMATS
from .models import DistributionSession, ItemType

COORDINATOR_PERMS = (
    "distributions.add_itemtype",
    "distributions.add_stockmovement",
    "distributions.add_distributionsession",
    "distributions.change_checkin",
)
MOVEMENTS_SHOWN = 30
S = DistributionSession.Status


def _show_error(form: Any, error: DomainError, renamed: dict[str, str] | None = None) -> None:
    """add_domain_error(), for actions whose field names differ from the form's."""
    if renamed and error.field in renamed:
        error.field = renamed[error.field]
    add_domain_error(form, error)


def _picked_site(
    request: HttpRequest, filters: type[SessionFilter | StockFilter]
) -> tuple[Any, Site | None]:
    """
    The list's filter form and its site: ?site= if it is one of the listed sites, else
    the coordinator's own site, else the first one (picked on the form).
    """
    picked = filters(request.GET, request=request)
    if picked.is_valid() and picked.form.cleaned_data.get("site"):
        return picked.form, picked.form.cleaned_data["site"]
    sites = picked.form.fields["site"].queryset.filter(is_active=True)
    own = request_actor(request).site_id
    site = (sites.filter(pk=own).first() if own else None) or sites.first()
    shown = filters({"site": site.pk if site else ""}, request=request)
    return shown.form, site


@permission_required(COORDINATOR_PERMS, raise_exception=True)
def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "distributions/manage_index.html",
        {"conflicts": selectors.checkin_conflicts(user=request.user).count()},
    )


# The catalogue


@permission_required("distributions.change_itemtype", raise_exception=True)
def item_list(request: HttpRequest) -> HttpResponse:
    items = ItemType.objects.order_by("category", "name")
    return render(request, "distributions/manage_item_list.html", {"items": items})


@permission_required(
    ("distributions.add_itemtype", "distributions.change_itemtype"), raise_exception=True
)
@require_http_methods(["GET", "POST"])
@submitted_once
def item_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    item = get_object_or_404(ItemType, pk=pk) if pk is not None else None
    initial = ItemTypeForm.initial_for(item) if item else None
    form = ItemTypeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = item_type_save(actor=request_actor(request), item=item, **form.action_fields())
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("%(item)s saved.") % {"item": saved.display_name()})
            return redirect("distributions_coordinator:items")
    return render(request, "distributions/manage_item_form.html", {"form": form, "item": item})


# Stock


@permission_required("distributions.add_stockmovement", raise_exception=True)
def stock(request: HttpRequest) -> HttpResponse:
    picker, site = _picked_site(request, StockFilter)
    if site is None:
        return render(request, "distributions/manage_stock.html", {"picker": picker, "site": None})
    return redirect("distributions_coordinator:stock_site", pk=site.pk)


@permission_required("distributions.add_stockmovement", raise_exception=True)
def stock_site(request: HttpRequest, pk: int) -> HttpResponse:
    site = get_object_or_404(Site, pk=pk)
    picker = StockFilter({"site": site.pk}, request=request).form
    return render(
        request,
        "distributions/manage_stock.html",
        {
            "picker": picker,
            "site": site,
            "balances": selectors.stock_on_hand(site=site),
            "movements": selectors.stock_movements(site=site)[:MOVEMENTS_SHOWN],
        },
    )


STOCK_FORMS: dict[str, tuple[type[StockForm], Any]] = {
    "receive": (ReceiveForm, lambda: _("Receive stock")),
    "transfer": (TransferForm, lambda: _("Send to another site")),
    "adjust": (AdjustForm, lambda: _("Correct after a count")),
    "write_off": (WriteOffForm, lambda: _("Write off")),
}


def _stock_move(request: HttpRequest, site: Site, kind: str, data: dict[str, Any]) -> str:
    """Call the action for this kind of movement; returns what to tell the coordinator."""
    actor = request_actor(request)
    common = {"item": data["item"], "size": data["size"]}
    if kind == "receive":
        stock_actions.stock_receive(
            actor=actor,
            site=site,
            quantity=data["quantity"],
            reason=data["reason"],
            donor=data["donor"],
            expires_on=data["expires_on"],
            **common,
        )
        return _("Received.")
    if kind == "transfer":
        stock_actions.stock_transfer(
            actor=actor, source=site, target=data["target"], quantity=data["quantity"], **common
        )
        return _("Sent to %(site)s.") % {"site": data["target"]}
    if kind == "adjust":
        change = data["quantity"] if data["direction"] == "in" else -data["quantity"]
        stock_actions.stock_adjust(
            actor=actor, site=site, change=change, reason=data["reason"], **common
        )
        return _("Corrected.")
    stock_actions.stock_adjust(
        actor=actor,
        site=site,
        change=-data["quantity"],
        reason=data["reason"],
        write_off=True,
        **common,
    )
    return _("Written off.")


@permission_required("distributions.add_stockmovement", raise_exception=True)
@require_http_methods(["GET", "POST"])
@submitted_once
def stock_move(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    site = get_object_or_404(Site, pk=pk)
    form_class, title = STOCK_FORMS[kind]
    extra = {"source": site} if form_class is TransferForm else {}
    initial = {key: request.GET[key] for key in ("item", "size") if key in request.GET}
    form = form_class(request.POST or None, initial=initial, **extra)
    if request.method == "POST" and form.is_valid():
        try:
            done = _stock_move(request, site, kind, form.cleaned_data)
        except DomainError as error:
            _show_error(form, error, {"change": "quantity"})
        else:
            messages.success(request, done)
            return redirect("distributions_coordinator:stock_site", pk=site.pk)
    return render(
        request,
        "distributions/manage_stock_form.html",
        {"form": form, "site": site, "kind": kind, "title": title()},
    )


@permission_required("distributions.add_stockmovement", raise_exception=True)
@require_http_methods(["GET", "POST"])
def stock_levels(request: HttpRequest, pk: int) -> HttpResponse:
    """The site's low-stock levels, and a form to set one (an empty level removes it)."""
    site = get_object_or_404(Site, pk=pk)
    form = LowStockLevelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            low_stock_level_set(
                actor=request_actor(request),
                site=site,
                item=form.cleaned_data["item"],
                level=form.cleaned_data["level"],
            )
        except DomainError as error:
            _show_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("distributions_coordinator:stock_levels", pk=site.pk)
    return render(
        request,
        "distributions/manage_stock_levels.html",
        {"form": form, "site": site, "levels": selectors.low_stock_levels(site=site)},
    )


@permission_required("distributions.add_stockmovement", raise_exception=True)
@require_http_methods(["GET", "POST"])
def labels(request: HttpRequest) -> HttpResponse:
    """Box labels for stock, as a download; every print is in the audit log."""
    initial = {
        "site": getattr(request.user, "site_id", None),
        **{key: request.GET[key] for key in ("item", "size") if key in request.GET},
    }
    form = LabelForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        item, fmt = data["item"], data["fmt"]
        try:
            content = box_labels_print(
                actor=request_actor(request),
                item=item,
                size=data["size"],
                count=data["count"],
                site=data["site"],
                fmt=fmt,
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            response = HttpResponse(content, content_type=FORMATS[fmt])
            filename = f"labels-{item.pk}-{timezone.localdate():%Y%m%d}.{fmt}"
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
            response["Cache-Control"] = "no-store"
            return response
    return render(request, "distributions/manage_labels.html", {"form": form})


# Sessions


@permission_required("distributions.add_distributionsession", raise_exception=True)
def session_list(request: HttpRequest) -> HttpResponse:
    picker, site = _picked_site(request, SessionFilter)
    upcoming: list[DistributionSession] = []
    recent: list[DistributionSession] = []
    if site is not None:
        today = timezone.localdate()
        sessions = selectors.sessions_for_site(user=request.user, site=site)
        for session in sessions.prefetch_related("offers__item"):
            (upcoming if session.date >= today else recent).append(session)
        upcoming.reverse()  # the next one first
    return render(
        request,
        "distributions/manage_session_list.html",
        {"picker": picker, "site": site, "upcoming": upcoming, "recent": recent},
    )


@permission_required("distributions.add_distributionsession", raise_exception=True)
@require_http_methods(["GET", "POST"])
@submitted_once
def session_plan(request: HttpRequest) -> HttpResponse:
    items = list(ItemType.objects.filter(is_active=True).order_by("category", "name"))
    initial = {
        "site": request.GET.get("site") or getattr(request.user, "site_id", None),
        "date": timezone.localdate(),
    }
    form = SessionPlanForm(request.POST or None, initial=initial, items=items)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session = session_actions.session_plan(
                actor=request_actor(request),
                site=data["site"],
                day=data["date"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                choose_limit=data.get("choose_limit"),
                offers=[
                    session_actions.Offer(item, sizes, limit)
                    for item, sizes, limit in form.offers()
                ],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Distribution planned."))
            return redirect(
                f"{reverse('distributions_coordinator:sessions')}?site={session.site_id}"
            )
    return render(request, "distributions/manage_session_form.html", {"form": form})


def _back_to_sessions(session: DistributionSession) -> HttpResponse:
    return redirect(f"{reverse('distributions_coordinator:sessions')}?site={session.site_id}")


@permission_required("distributions.change_distributionsession", raise_exception=True)
@require_POST
def session_status(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(DistributionSession, pk=pk)
    status = request.POST.get("status", "")
    if status not in (S.OPEN, S.CLOSED):
        messages.error(request, _("Choose open or close."))
        return _back_to_sessions(session)
    try:
        session_actions.session_set_status(
            actor=request_actor(request), session=session, status=status
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Opened.") if status == S.OPEN else _("Closed."))
    return _back_to_sessions(session)


@permission_required(
    ("distributions.change_distributionsession", "messaging.add_broadcast"), raise_exception=True
)
@require_http_methods(["GET", "POST"])
def session_announce(request: HttpRequest, pk: int) -> HttpResponse:
    """A preview of the SMS (who, how many, the cost) first; sending needs a second tap."""
    session = get_object_or_404(DistributionSession.objects.select_related("site"), pk=pk)
    if request.method == "POST":
        try:
            broadcast = session_actions.session_announce(
                actor=request_actor(request), session=session
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            count = ngettext(
                "The announcement goes to %(count)d person.",
                "The announcement goes to %(count)d people.",
                broadcast.recipients,
            ) % {"count": broadcast.recipients}
            log = f"{reverse('messaging:list')}?kind={Kind.DISTRIBUTION_ANNOUNCEMENT}"
            messages.success(
                request, format_html('{} <a href="{}">{}</a>', count, log, _("See the SMS log"))
            )
        return _back_to_sessions(session)
    try:
        preview = broadcast_preview(
            site=session.site,
            kind=Kind.DISTRIBUTION_ANNOUNCEMENT,
            context=session_actions.announcement_context(session),
        )
    except DomainError as error:
        messages.error(request, error.message)
        return _back_to_sessions(session)
    return render(
        request,
        "distributions/manage_session_announce.html",
        {"session": session, "preview": preview},
    )


# Conflicts from offline phones


def _conflict_rows(
    request: HttpRequest, bound: tuple[int, ResolveForm] | None = None
) -> tuple[CheckInFilter, list[dict[str, Any]]]:
    """The conflicts at the asker's sites, or at one of them (?site=), oldest first."""
    conflicts_at = selectors.checkin_conflicts(user=request.user).order_by("created_at")
    filters = CheckInFilter(request.GET, queryset=conflicts_at, request=request)
    conflicts = list(filters.qs if filters.is_valid() else conflicts_at)
    item_ids = {line[0] for checkin in conflicts for line in checkin.requested}
    items = ItemType.objects.in_bulk(item_ids)
    rows = []
    for checkin in conflicts:
        asked = [
            {
                "item": items[item_id].display_name() if item_id in items else "?",
                "size": size,
                "quantity": quantity,
            }
            for item_id, size, quantity in checkin.requested
        ]
        form = (
            bound[1] if bound and bound[0] == checkin.pk else ResolveForm(prefix=f"c{checkin.pk}")
        )
        rows.append({"checkin": checkin, "asked": asked, "form": form})
    return filters, rows


def _render_conflicts(
    request: HttpRequest, bound: tuple[int, ResolveForm] | None = None
) -> HttpResponse:
    filters, rows = _conflict_rows(request, bound)
    return render(
        request, "distributions/manage_conflicts.html", {"rows": rows, "picker": filters.form}
    )


@permission_required("distributions.change_checkin", raise_exception=True)
def conflict_list(request: HttpRequest) -> HttpResponse:
    """Every site's conflicts, or one site's (?site=)."""
    return _render_conflicts(request)


@permission_required("distributions.change_checkin", raise_exception=True)
@require_POST
def conflict_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    checkin = get_object_or_404(selectors.checkins_visible(user=request.user), pk=pk)
    form = ResolveForm(request.POST, prefix=f"c{checkin.pk}")
    decision = request.POST.get("decision")
    if decision not in ("apply", "dismiss"):
        form.add_error(None, _("Choose to apply or to dismiss."))
    elif form.is_valid():
        try:
            checkin_actions.checkin_resolve(
                actor=request_actor(request),
                checkin=checkin,
                apply=decision == "apply",
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            if error.code == "not_conflict":  # settled meanwhile, by someone else
                messages.error(request, error.message)
                return redirect("distributions_coordinator:conflicts")
            add_domain_error(form, error)
        else:
            messages.success(
                request,
                _("Applied as an exception.") if decision == "apply" else _("Dismissed."),
            )
            return redirect("distributions_coordinator:conflicts")
    return _render_conflicts(request, bound=(checkin.pk, form))
