"""
How a list of people is narrowed: one FilterSet for the people screen and the API.

It filters what selectors.person_list() gives, so it never widens a list beyond the
reader's sites; the site filter offers only those sites. Input that is not valid is
shown on the screen as a field error (the rest of the filters still apply) and is a
400 in the API.
"""

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from fieldapp.languages import Language
from services.accounts.scoping import in_user_sites
from services.sites.models import Site

from .models import Person
from .selectors import person_matches


def _reader_sites(request: Any) -> QuerySet[Site]:
    """The sites whose people the reader's lists show, closed ones too."""
    if request is None:  # the API schema is built without a request
        return Site.objects.none()
    return in_user_sites(Site.objects.all(), user=request.user, field="pk")


class PersonFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Card code, name or phone"),
        method="search",
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off", "autofocus": True}),
    )
    site = django_filters.ModelChoiceFilter(
        label=_("Site"),
        field_name="home_site",
        queryset=_reader_sites,
        empty_label=_("All sites"),
        error_messages={"invalid_choice": _("Choose one of the listed sites.")},
    )
    language = django_filters.ChoiceFilter(
        label=_("Language for SMS"),
        choices=Language.choices,
        empty_label=_("Any"),
        error_messages={"invalid_choice": _("Choose one of the listed languages.")},
    )
    sms_consent = django_filters.BooleanFilter()

    class Meta:
        model = Person
        fields = ["q", "site", "language", "sms_consent"]

    def search(self, queryset: QuerySet[Person], name: str, value: str) -> QuerySet[Person]:
        return person_matches(queryset, value)
