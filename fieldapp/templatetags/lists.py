"""`{{ names|words }}`: a list joined with the reader's own separator ("، " in Arabic script)."""

from collections.abc import Iterable

from django import template
from django.utils.translation import pgettext

register = template.Library()


@register.filter
def words(items: Iterable[object]) -> str:
    return pgettext("list separator", ", ").join(str(item) for item in items)
