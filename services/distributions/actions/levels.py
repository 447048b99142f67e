"""
Low-stock levels: at or below this many of an item (all sizes) at a site, coordinators
see it on the dashboard and hear of it once a day (alerts.py). One level per item and
site (a unique constraint); setting it again changes it, an empty level removes it.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from fieldapp.errors import DomainError
from services.accounts.models import User
from services.audit.actions import audit_record
from services.sites.models import Site

from ..checks import MAX_QUANTITY
from ..models import ItemType, LowStockLevel


@transaction.atomic
def low_stock_level_set(
    *, actor: User, site: Site, item: ItemType, level: int | None
) -> LowStockLevel | None:
    if not actor.has_perm("distributions.add_stockmovement", site):
        raise DomainError(_("Only a coordinator can set stock levels."), code="not_coordinator")
    if level is None:
        removed = LowStockLevel.objects.filter(site=site, item=item).first()
        if removed is not None:
            audit_record(actor=actor, action="lowstocklevel.delete", target=removed)
            removed.delete()
        return None
    if isinstance(level, bool) or not isinstance(level, int) or not 0 <= level <= MAX_QUANTITY:
        raise DomainError(
            _("Give a whole number from 0 to %(most)s.") % {"most": MAX_QUANTITY},
            field="level",
            code="bad_level",
        )
    saved, _created = LowStockLevel.objects.update_or_create(
        site=site, item=item, defaults={"level": level}
    )
    audit_record(
        actor=actor, action="lowstocklevel.set", target=saved, details={"fields": ["level"]}
    )
    return saved
