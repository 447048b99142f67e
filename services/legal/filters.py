"""
The one filter of legal appointment lists, for the calendar screen and the API alike.
It narrows what the selectors already let the user see; it never widens it.
"""

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from fieldapp.languages import Language

from .models import Appointment


class AppointmentFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Appointment.Status.choices)
    language = django_filters.ChoiceFilter(choices=Language.choices)
    mine = django_filters.ChoiceFilter(
        choices=[("1", _("Mine"))],
        method="filter_mine",
        label=_("Only mine (advising or interpreting)"),
    )

    class Meta:
        model = Appointment
        fields = ["status", "language", "mine"]

    def filter_mine(
        self, queryset: QuerySet[Appointment], name: str, value: Any
    ) -> QuerySet[Appointment]:
        user = getattr(self.request, "user", None)
        if not value or user is None:
            return queryset
        return queryset.filter(Q(advisor_id=user.pk) | Q(interpreter_id=user.pk))
