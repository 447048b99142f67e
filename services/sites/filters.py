"""How the sites list is narrowed: one FilterSet for the sites screen and the API."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Site


class SiteFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        label=_("Kind"),
        choices=Site.Kind.choices,
        empty_label=_("Any"),
        error_messages={"invalid_choice": _("Choose one of the listed kinds.")},
    )
    is_active = django_filters.BooleanFilter(
        label=_("In use"),
        widget=forms.Select(choices=[("", _("Any")), ("true", _("Yes")), ("false", _("No"))]),
    )

    class Meta:
        model = Site
        fields = ["kind", "is_active"]
