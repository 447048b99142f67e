from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Site


class SiteForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        error_messages={"required": _("A site needs a name.")},
        widget=forms.TextInput(attrs={"maxlength": 80}),
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=Site.Kind.choices,
        error_messages={"invalid_choice": _("Choose one of the listed kinds.")},
    )
    area = forms.CharField(label=_("Area"), required=False, help_text=_("Town or district."))
    is_active = forms.BooleanField(label=_("In use"), required=False, initial=True)

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        for field, limit in (("name", 80), ("area", 80)):
            if len(cleaned.get(field) or "") > limit:
                self.add_error(field, _("Use at most %(max)d characters.") % {"max": limit})
        return cleaned
