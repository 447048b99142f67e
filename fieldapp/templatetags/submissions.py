"""`{% submission_token %}`: the hidden one-time token of a create form (submissions.py)."""

import uuid

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from fieldapp.submissions import FIELD

register = template.Library()


@register.simple_tag
def submission_token() -> SafeString:
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, uuid.uuid4())
