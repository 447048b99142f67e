"""How the audit log is narrowed: one FilterSet for the coordinators' screen and the API."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AuditEntry
from .selectors import audit_record_types


def _record_type_choices() -> list[tuple[str, str]]:
    return [(name, name) for name in audit_record_types()]


class AuditEntryFilter(django_filters.FilterSet):
    # The start of an action is enough: "referral." finds every referral action.
    action = django_filters.CharFilter(label=_("Action"), lookup_expr="startswith", max_length=64)
    target_type = django_filters.ChoiceFilter(
        label=_("Record type"), choices=_record_type_choices, empty_label=_("Any")
    )
    target_id = django_filters.CharFilter(label=_("Record number"), max_length=64)
    actor = django_filters.CharFilter(
        label=_("Who (user name)"), field_name="actor__username", max_length=150
    )
    since = django_filters.DateFilter(
        label=_("From"),
        field_name="at",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    until = django_filters.DateFilter(
        label=_("To"),
        field_name="at",
        lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = AuditEntry
        fields = ["action", "target_type", "target_id", "actor", "since", "until"]
