"""The erasure form: why, and that the coordinator checked with the person."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .actions import ErasureReason


class ErasureForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why is the record erased?"),
        choices=ErasureReason.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose why the record is erased."),
            "invalid_choice": _("Choose why the record is erased."),
        },
    )
    confirm = forms.BooleanField(
        label=_("I have checked the card code with the person, and told them it cannot be undone."),
        error_messages={"required": _("Check the card code with the person first.")},
    )
