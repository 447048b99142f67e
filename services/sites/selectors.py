from django.db.models import QuerySet

from .models import Site


def site_list(*, include_closed: bool = False) -> QuerySet[Site]:
    sites = Site.objects.all()
    return sites if include_closed else sites.filter(is_active=True)
