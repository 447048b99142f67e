from django import forms
from django.utils.translation import gettext_lazy as _

from fieldapp.languages import Language
from services.people.forms import PhoneField

from .models import Area, Partner

_LIMITS = {"name": 120, "sms_place": 40, "contact_name": 80}


class PartnerForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        error_messages={"required": _("A partner needs a name.")},
        widget=forms.TextInput(attrs={"maxlength": 120}),
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=Partner.Kind.choices,
        error_messages={"invalid_choice": _("Choose one of the listed kinds.")},
    )
    sms_place = forms.CharField(
        label=_("Place name in SMS"),
        help_text=Partner._meta.get_field("sms_place").help_text,
        error_messages={"required": _("Give a short, neutral place name for SMS.")},
        widget=forms.TextInput(attrs={"maxlength": 40}),
    )
    address = forms.CharField(
        label=_("Address"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    opening_hours = forms.CharField(
        label=_("Opening hours"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages spoken"),
        choices=Language.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose one of the listed languages.")},
    )
    contact_name = forms.CharField(label=_("Contact name"), required=False)
    contact_phone = PhoneField(
        label=_("Contact phone"),
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}),
    )
    contact_email = forms.EmailField(
        label=_("Contact email"),
        required=False,
        error_messages={"invalid": _("Enter an e-mail address like name@example.org.")},
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        for field, limit in _LIMITS.items():
            if len(cleaned.get(field) or "") > limit:
                self.add_error(field, _("Use at most %(max)d characters.") % {"max": limit})
        return cleaned


class PartnerServiceForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        error_messages={"required": _("A service needs a name.")},
        widget=forms.TextInput(attrs={"maxlength": 120}),
    )
    area = forms.ChoiceField(
        label=_("Area"),
        choices=Area.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose medical or legal."),
            "invalid_choice": _("Choose medical or legal."),
        },
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"]
        if len(name) > 120:
            raise forms.ValidationError(_("Use at most %(max)d characters.") % {"max": 120})
        return name
