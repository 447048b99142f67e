"""
Stock running low, told to the coordinators once a day: never per handout, which would
send a text for every sleeping bag taken once the level is crossed.

stock_low_alert() runs from Celery beat each morning (tasks.py). Each coordinator gets
one message (by their own channel, SMS or e-mail) naming how many items are at or below
their level at the sites they coordinate: those listed on their account, or every site
when none is. The message's key holds the day and the coordinator, so a second run the
same day, or a run by a second beat, sends nothing more.
"""

from collections import defaultdict
from datetime import date

from django.utils import timezone

from fieldapp.figures import Scope
from services.accounts.models import User
from services.accounts.roles import Role
from services.messaging.actions.schedule import message_schedule
from services.messaging.sms_templates import Kind
from services.sites.models import Site

from ..stats import items_low


def _coordinators() -> list[User]:
    today = timezone.localdate()
    return list(
        User.objects.filter(is_active=True, groups__name=Role.COORDINATOR)
        .exclude(leaves_on__lt=today)
        .prefetch_related("sites")
        .distinct()
        .order_by("pk")
    )


def stock_low_alert(*, today: date | None = None) -> int:
    """One message per coordinator with low stock at their sites; how many were scheduled."""
    today = today or timezone.localdate()
    coordinators = _coordinators()
    if not coordinators:
        return 0
    # The low items everywhere, counted as the first coordinator sees them (every site).
    everywhere = Scope(coordinators[0], None, today, today)
    low_at: dict[int, int] = defaultdict(int)
    for item in items_low(everywhere):
        low_at[item.site_id] += 1
    if not low_at:
        return 0
    names = dict(Site.objects.filter(pk__in=low_at).values_list("pk", "name"))
    scheduled = 0
    for coordinator in coordinators:
        mine = {site.pk for site in coordinator.sites.all()} or set(low_at)
        sites = sorted(site_id for site_id in low_at if site_id in mine)
        if not sites:
            continue
        message = message_schedule(
            key=f"stock-low:{today.isoformat()}:user-{coordinator.pk}",
            kind=Kind.STOCK_LOW,
            user=coordinator,
            context={
                "count": sum(low_at[site_id] for site_id in sites),
                "places": ", ".join(names[site_id] for site_id in sites),
            },
        )
        scheduled += message is not None
    return scheduled
