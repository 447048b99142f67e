"""
The filters of referral lists, for the screens and the API alike. They narrow what the
selectors already let the user see; they never widen it.
"""

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from .models import FollowUpTask, Referral, Status, Urgency


class ReferralFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=Status.choices, label=_("Status"), empty_label=_("Any status")
    )
    urgency = django_filters.ChoiceFilter(
        choices=Urgency.choices, label=_("Urgency"), empty_label=_("Any urgency")
    )

    class Meta:
        model = Referral
        fields = ["status", "urgency"]


class FollowUpFilter(django_filters.FilterSet):
    """?open=true (or 1) keeps the follow-ups still to do."""

    open = django_filters.CharFilter(method="filter_open")

    class Meta:
        model = FollowUpTask
        fields = ["open"]

    def filter_open(
        self, queryset: QuerySet[FollowUpTask], name: str, value: Any
    ) -> QuerySet[FollowUpTask]:
        if value in {"1", "true"}:
            return queryset.filter(done_at__isnull=True).order_by("created_at")
        return queryset
