"""
How every distributions list is filtered: one FilterSet per list, for the screens and
the API alike (django-filter). The choices of a site or a session are those the asker
may see, so a filter cannot reach past the scope of the list it filters.
"""

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from services.accounts.scoping import in_user_sites
from services.sites.models import Site
from services.sites.selectors import site_list

from .models import CheckIn, DistributionSession, ItemType, StockBalance, Ticket
from .selectors import sessions_visible


def _sites(request: HttpRequest | None) -> QuerySet[Site]:
    if request is None:
        return Site.objects.none()
    return in_user_sites(site_list(include_closed=True), user=request.user, field="pk")


def _sessions(request: HttpRequest | None) -> QuerySet[DistributionSession]:
    if request is None:
        return DistributionSession.objects.none()
    return sessions_visible(user=request.user)


def site_filter(**kwargs: Any) -> django_filters.ModelChoiceFilter:
    """A site the asker works at; on a screen, "All sites" unless empty_label=None."""
    kwargs.setdefault("empty_label", _("All sites"))
    return django_filters.ModelChoiceFilter(
        queryset=_sites,
        label=_("Site"),
        error_messages={"invalid_choice": _("Choose one of the listed sites.")},
        **kwargs,
    )


def session_filter() -> django_filters.ModelChoiceFilter:
    return django_filters.ModelChoiceFilter(queryset=_sessions, label=_("Distribution"))


class ItemTypeFilter(django_filters.FilterSet):
    class Meta:
        model = ItemType
        fields = ["category", "is_active"]


class StockFilter(django_filters.FilterSet):
    site = site_filter(empty_label=None)  # the stock screen shows one site

    class Meta:
        model = StockBalance
        fields = ["site", "item", "size"]


class SessionFilter(django_filters.FilterSet):
    site = site_filter(empty_label=None)  # the sessions screen shows one site

    class Meta:
        model = DistributionSession
        fields = ["site", "status", "date"]


class TicketFilter(django_filters.FilterSet):
    session = session_filter()

    class Meta:
        model = Ticket
        fields = ["session", "status"]


class CheckInFilter(django_filters.FilterSet):
    """Check-ins, and the conflicts among them (status=conflict)."""

    session = session_filter()
    site = site_filter(field_name="session__site")

    class Meta:
        model = CheckIn
        fields = ["session", "status", "site"]
