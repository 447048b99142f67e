"""The filters of the partner lists, for the coordinators' screen and the API alike."""

import django_filters
from django.utils.translation import gettext_lazy as _

from .models import Area, Partner, PartnerService


class PartnerFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        choices=Partner.Kind.choices, label=_("Kind"), empty_label=_("Any kind")
    )
    is_active = django_filters.BooleanFilter(label=_("Active"))

    class Meta:
        model = Partner
        fields = ["kind", "is_active"]


class PartnerServiceFilter(django_filters.FilterSet):
    area = django_filters.ChoiceFilter(choices=Area.choices)
    partner = django_filters.NumberFilter(field_name="partner_id")
    is_active = django_filters.BooleanFilter()

    class Meta:
        model = PartnerService
        fields = ["area", "partner", "is_active"]
