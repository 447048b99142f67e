from django import forms
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField

from fieldapp.languages import Language
from fieldapp.text import clean_display_text
from services.sites.models import Site
from services.sites.selectors import site_list

from .models import NAME_MAX_LENGTH
from .phones import INVALID_PHONE_MESSAGE, phone_parse


class PhoneField(PhoneNumberField):
    """Accepts any way a volunteer types a number; see phones.phone_parse."""

    default_error_messages = {
        "invalid": INVALID_PHONE_MESSAGE,
    }

    def to_python(self, value):  # type: ignore[no-untyped-def]
        if value in self.empty_values:
            return ""
        number = phone_parse(str(value))
        if number is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return number


class PersonForm(forms.Form):
    name = forms.CharField(
        label=_("First name or nickname"),
        required=False,
        help_text=_("Optional. Only what the person wants to be called."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "maxlength": NAME_MAX_LENGTH}),
    )
    phone = PhoneField(
        label=_("Phone"),
        required=False,
        help_text=_("Optional. French numbers without +33 are fine."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off", "inputmode": "tel"}),
    )
    language = forms.ChoiceField(
        label=_("Language for SMS"),
        choices=Language.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the language the person reads."),
            "invalid_choice": _("Choose one of the listed languages."),
        },
    )
    sms_consent = forms.BooleanField(
        label=_("The person agrees to receive SMS reminders"), required=False
    )
    home_site = forms.ModelChoiceField(
        label=_("Home site"),
        queryset=Site.objects.none(),
        empty_label=None,
        error_messages={
            "required": _("Choose a site."),
            "invalid_choice": _("Choose one of the listed sites."),
        },
    )
    allow_shared_phone = forms.BooleanField(
        label=_("This is a different person who shares the phone"), required=False
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["home_site"].queryset = site_list()  # type: ignore[attr-defined]

    def clean_name(self) -> str:
        """Reported with the other fields' errors; person_register() checks it again."""
        name = clean_display_text(self.cleaned_data["name"])
        if len(name) > NAME_MAX_LENGTH:
            raise forms.ValidationError(
                _("Use at most %(max)d characters for the name.") % {"max": NAME_MAX_LENGTH},
                code="max_length",
            )
        return name

    def action_kwargs(self) -> dict[str, object]:
        data = dict(self.cleaned_data)
        data.pop("allow_shared_phone")
        data["phone"] = data["phone"] or None
        return data


class PersonSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Card code, name or phone"),
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off", "autofocus": True}),
    )
    site = forms.ModelChoiceField(
        label=_("Site"), queryset=Site.objects.none(), required=False, empty_label=_("All sites")
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["site"].queryset = site_list()  # type: ignore[attr-defined]
