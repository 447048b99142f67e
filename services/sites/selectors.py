"""Reads of sites: the catalogue every form draws on, and the sites list as each user sees it."""

from django.db.models import QuerySet

from fieldapp.types import Viewer, viewer_may

from .models import Site


def site_list(*, include_closed: bool = False) -> QuerySet[Site]:
    """Every site (open ones unless asked): the catalogue, before asking who reads it."""
    sites = Site.objects.all()
    return sites if include_closed else sites.filter(is_active=True)


def site_list_for(*, user: Viewer) -> QuerySet[Site]:
    """
    The sites list as user sees it, closed sites too: the sites they work at, every
    site for a coordinator. Sites stand below accounts, so the answer comes from the
    rules (sites.view_site on each site, services/accounts/rules.py) rather than
    from the accounts app's own scoping; an installation has tens of sites.
    """
    if not viewer_may(user, "sites.view_site"):
        return Site.objects.none()
    seen = [
        site.pk for site in Site.objects.only("pk") if viewer_may(user, "sites.view_site", site)
    ]
    return Site.objects.filter(pk__in=seen)
