"""Writes for sites. Only coordinators manage sites; the views and API check the permission."""

from django.db import transaction
from django.utils.translation import gettext as _

from fieldapp.errors import DomainError
from fieldapp.text import clean_display_text
from fieldapp.types import Actor
from services.audit.actions import audit_record, model_update

from .models import Site

SITE_FIELDS = ("name", "kind", "area", "is_active")


def _clean_site_fields(*, name: str, area: str, exclude_pk: int | None) -> tuple[str, str]:
    name = clean_display_text(name)
    area = clean_display_text(area)
    if not name:
        raise DomainError(_("A site needs a name."), field="name", code="required")
    clash = Site.objects.filter(name__iexact=name)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise DomainError(
            _("A site called %(name)s already exists.") % {"name": name},
            field="name",
            code="duplicate",
        )
    return name, area


@transaction.atomic
def site_create(
    *, actor: Actor, name: str, kind: str, area: str = "", is_active: bool = True
) -> Site:
    name, area = _clean_site_fields(name=name, area=area, exclude_pk=None)
    site = Site.objects.create(name=name, kind=kind, area=area, is_active=is_active)
    audit_record(actor=actor, action="site.create", target=site)
    return site


@transaction.atomic
def site_update(*, actor: Actor, site: Site, **changes: object) -> Site:
    unknown = set(changes) - set(SITE_FIELDS)
    if unknown:
        raise TypeError(f"site_update() got unknown fields {sorted(unknown)}")
    name, area = _clean_site_fields(
        name=str(changes.get("name", site.name)),
        area=str(changes.get("area", site.area)),
        exclude_pk=site.pk,
    )
    changes.update(name=name, area=area)
    model_update(site, changes, actor=actor, action="site.update")
    return site
