"""
What a quantity and a size must be: one check for the forms, the API, the offline sync,
the actions and the label printer alike.
"""

from django.utils.translation import gettext as _

from fieldapp.errors import DomainError

from .models import ItemType

MAX_QUANTITY = 100_000


def check_quantity(quantity: object, *, field: str = "quantity") -> int:
    """Whole, positive, and not absurd: the same rule for forms, API and sync."""
    if isinstance(quantity, bool) or not isinstance(quantity, int):
        raise DomainError(_("Give a whole number."), field=field, code="not_whole")
    if quantity < 1:
        raise DomainError(_("Give a number above zero."), field=field, code="not_positive")
    if quantity > MAX_QUANTITY:
        raise DomainError(
            _("%(max)d at most in one go.") % {"max": MAX_QUANTITY}, field=field, code="too_many"
        )
    return quantity


def check_size(item: ItemType, size: str) -> str:
    size = (size or "").strip().upper()
    if item.sizes and size not in [s.upper() for s in item.sizes]:
        raise DomainError(
            _("%(item)s does not come in size %(size)s.") % {"item": item, "size": size or "—"},
            field="size",
            code="bad_size",
        )
    if not item.sizes and size:
        raise DomainError(
            _("%(item)s has no sizes.") % {"item": item}, field="size", code="bad_size"
        )
    return size
