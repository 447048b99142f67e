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
    # An id the database can hold; a bigger one is an error in words, not an overflow.
    partner = django_filters.NumberFilter(field_name="partner_id", min_value=1, max_value=2**62)
    is_active = django_filters.BooleanFilter()

    class Meta:
        model = PartnerService
        fields = ["area", "partner", "is_active"]
