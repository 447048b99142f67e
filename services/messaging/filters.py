"""
How the SMS log and the replies are narrowed: one FilterSet each, for the coordinators'
screens and the API alike. They filter what the selectors give, never widening it.
"""

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from services.people.codes import code_normalise

from .models import Broadcast, InboundMessage, Message
from .selectors import broadcast_list
from .sms_templates import Kind


def _broadcasts(request: Any) -> QuerySet[Broadcast]:
    if request is None:  # the API schema is built without a request
        return Broadcast.objects.none()
    return broadcast_list(user=request.user)


# "Claimed" and "sending" are two steps of one thing to a reader, "Being sent": the
# filter offers it once, and finds both.
BEING_SENT = (Message.Status.CLAIMED, Message.Status.SENDING)
STATUS_CHOICES = [
    (value, label) for value, label in Message.Status.choices if value != Message.Status.CLAIMED
]


class MessageFilter(django_filters.FilterSet):
    person = django_filters.CharFilter(label=_("Card code"), method="for_person", max_length=20)
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=STATUS_CHOICES, empty_label=_("Any"), method="in_status"
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Kind.choices, empty_label=_("Any"))
    since = django_filters.DateFilter(
        label=_("From"),
        field_name="send_at",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    until = django_filters.DateFilter(
        label=_("To"),
        field_name="send_at",
        lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    broadcast = django_filters.ModelChoiceFilter(queryset=_broadcasts)

    class Meta:
        model = Message
        fields = ["person", "status", "kind", "since", "until", "broadcast"]

    def in_status(self, queryset: QuerySet[Message], name: str, value: str) -> QuerySet[Message]:
        """ "Being sent" finds the messages a worker has claimed and those going out."""
        if value == Message.Status.SENDING:
            return queryset.filter(status__in=BEING_SENT)
        return queryset.filter(status=value)

    def for_person(self, queryset: QuerySet[Message], name: str, value: str) -> QuerySet[Message]:
        """The card code as typed ('k7m 4qx' finds K7M-4QX)."""
        return queryset.filter(person__code=code_normalise(value) or value.strip())


class InboundMessageFilter(django_filters.FilterSet):
    action = django_filters.ChoiceFilter(
        label=_("Action"),
        choices=[(value, label) for value, label in InboundMessage.Action.choices if value],
        empty_label=_("Any"),
    )

    class Meta:
        model = InboundMessage
        fields = ["action"]
