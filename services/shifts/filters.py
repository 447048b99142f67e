"""
The one filter of shift lists, for the open shifts screen and the API alike, and the
filter of sign-up lists. They narrow what the selectors already let the user see; they
never widen it. Input that is not valid is ignored on the screens and refused in words
by the API.
"""

from typing import Any

import django_filters
from django import forms
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from services.accounts.scoping import sites_of
from services.sites.models import Site

from .models import Shift, SignUp
from .selectors import day_in_reach, day_window

ID_MAX = 2**62


def _sites(request: Any) -> QuerySet[Site]:
    """The sites the asking user works at (none while the API schema is built)."""
    if request is None or not request.user.is_authenticated:
        return Site.objects.none()
    return sites_of(request.user)


class ShiftFilter(django_filters.FilterSet):
    site = django_filters.ModelChoiceFilter(queryset=_sites, label=_("Site"), empty_label=_("Any"))
    task = django_filters.ChoiceFilter(
        choices=Shift.Task.choices, label=_("Task"), empty_label=_("Any")
    )
    day = django_filters.DateFilter(
        method="filter_day", label=_("Day"), widget=forms.DateInput(attrs={"type": "date"})
    )
    open = django_filters.BooleanFilter(method="filter_open", label=_("With places left"))

    class Meta:
        model = Shift
        fields = ["site", "task", "day", "open"]

    def filter_day(self, queryset: QuerySet[Shift], name: str, value: Any) -> QuerySet[Shift]:
        if not day_in_reach(value):
            return queryset.none()
        start, end = day_window(value, 1)
        return queryset.filter(starts_at__gte=start, starts_at__lt=end)

    def filter_open(self, queryset: QuerySet[Shift], name: str, value: Any) -> QuerySet[Shift]:
        if value is None:
            return queryset
        places = queryset.filter(
            cancelled_at__isnull=True,
            starts_at__gt=timezone.now(),
            signed_up__lt=F("people_needed"),
        )
        return places if value else queryset.exclude(pk__in=places.values("pk"))


class SignUpFilter(django_filters.FilterSet):
    shift = django_filters.NumberFilter(
        field_name="shift_id", label=_("Shift"), min_value=1, max_value=ID_MAX
    )
    site = django_filters.NumberFilter(
        field_name="shift__site_id", label=_("Site"), min_value=1, max_value=ID_MAX
    )
    standing = django_filters.BooleanFilter(
        field_name="withdrawn_at", lookup_expr="isnull", label=_("Not withdrawn")
    )
    upcoming = django_filters.BooleanFilter(method="filter_upcoming", label=_("Still to come"))

    class Meta:
        model = SignUp
        fields = ["shift", "site", "standing", "upcoming"]

    def filter_upcoming(
        self, queryset: QuerySet[SignUp], name: str, value: Any
    ) -> QuerySet[SignUp]:
        if value is None:
            return queryset
        now = timezone.now()
        if value:
            return queryset.filter(shift__ends_at__gt=now)
        return queryset.exclude(shift__ends_at__gt=now)
