"""
The follow-up of a missed legal appointment: the next free slots in its language, one
tap to rebook, or a reason to close it. Thin: the rules are in follow_up.py.
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from fieldapp.errors import DomainError
from services.accounts.models import User
from services.scheduling.slots import slots_offer

from . import follow_up as rules
from . import selectors
from .actions import SlotChoice
from .forms import CloseForm
from .models import Appointment
from .offers import FIRST_OFFERED, offers_of
from .views import BOOK_DAYS, allowed


def _act(request: HttpRequest, actor: User, appointment: Appointment, form: CloseForm) -> str:
    """Rebook on a tapped slot, or close on a reason: "done", what went wrong, or ""."""
    try:
        if "slot" in request.POST:
            rules.appointment_no_show_rebook(
                actor=actor,
                appointment=appointment,
                slot=SlotChoice.parse(request.POST["slot"]),
            )
            messages.success(request, _("Booked again."))
        elif form.is_valid():
            rules.appointment_no_show_close(
                actor=actor,
                appointment=appointment,
                reason=form.cleaned_data["reason"],
            )
            messages.success(request, _("Closed."))
        else:
            return ""
    except DomainError as error:
        return error.message
    return "done"


@require_http_methods(["GET", "POST"])
def follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    actor = allowed(request, "legal.change_appointment")
    if request.method == "POST":
        appointment = selectors.appointment_get(user=actor, pk=pk)
    else:
        appointment = selectors.appointment_read(user=actor, pk=pk)
    refusal = rules.follow_up_refusal(appointment)
    context: dict[str, object] = {"appointment": appointment, "refusal": refusal}
    if refusal is not None and request.method == "GET":
        messages.info(request, refusal.message)  # e.g. followed up since the list was shown
        return redirect(appointment)
    if refusal is not None:
        return render(request, "legal/follow_up.html", context, status=400)
    closing = request.method == "POST" and "slot" not in request.POST
    form = CloseForm(request.POST if closing else None)
    error = ""
    if request.method == "POST":
        outcome = _act(request, actor, appointment, form)
        if outcome == "done":
            return redirect(appointment)
        error = outcome
    offered = slots_offer(language=appointment.language, first=timezone.localdate(), days=BOOK_DAYS)
    context |= {"offers": offers_of(offered)[:FIRST_OFFERED], "form": form, "error": error}
    status = 400 if request.method == "POST" else 200
    return render(request, "legal/follow_up.html", context, status=status)
