"""
Which sites a user's lists show.

A volunteer sees the records of the sites they work at (User.sites). A coordinator
sees their organisation's; an installation serves one organisation today, so that is
every site. When several organisations share an installation (ROADMAP), this module
is where a coordinator's organisation will narrow the answer.
"""

from typing import Any, TypeVar

from django.db.models import Model, QuerySet

from services.sites.models import Site
from services.sites.selectors import site_list

from .roles import Role, user_role_names

M = TypeVar("M", bound=Model)


def user_site_ids(user: Any) -> set[int] | None:
    """The ids of the user's sites; None for every site. Read once per request."""
    if not (user.is_authenticated and user.is_active):
        return set()
    if getattr(user, "is_superuser", False) or Role.COORDINATOR in user_role_names(user):
        return None
    cached: set[int] | None = getattr(user, "_site_ids", None)
    if cached is None:
        cached = set(user.sites.values_list("id", flat=True))
        user._site_ids = cached
    return cached


def in_user_sites(queryset: QuerySet[M], *, user: Any, field: str = "site") -> QuerySet[M]:
    """The rows of `queryset` whose `field` is one of the user's sites."""
    site_ids = user_site_ids(user)
    if site_ids is None:
        return queryset
    return queryset.filter(**{f"{field}__in": site_ids})


def sites_of(user: Any) -> QuerySet[Site]:
    """The open sites the user works at: what a form offers them to choose from."""
    return in_user_sites(site_list(), user=user, field="pk")


def in_scope(queryset: QuerySet[M], *, scope: Any, field: str = "site") -> QuerySet[M]:
    """
    The rows of `queryset` at the sites a figure counts (fieldapp.figures.Scope): the
    chosen ones, never beyond the asker's own.
    """
    queryset = in_user_sites(queryset, user=scope.user, field=field)
    if scope.site_ids is not None:
        queryset = queryset.filter(**{f"{field}__in": sorted(scope.site_ids)})
    return queryset
