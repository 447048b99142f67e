"""Printing box labels for stock: what is printed, by whom, is in the audit log."""

from services.accounts.models import User
from services.audit.actions import audit_record
from services.sites.models import Site

from ..checks import check_size
from ..labels import box_labels_render
from ..models import ItemType


def box_labels_print(
    *, actor: User, item: ItemType, size: str, count: int, site: Site | None, fmt: str
) -> bytes:
    """count labels of item and size (labels.py), the site's name on them if given."""
    content = box_labels_render(
        item=item, size=size, count=count, site_name=site.name if site else "", fmt=fmt
    )
    audit_record(
        actor=actor,
        action="stock.labels_print",
        target=item,
        details={"size": check_size(item, size), "count": count},
    )
    return content
