"""
The forms of the account pages. Each error message is fieldapp's own, so it is
translated in all nine languages; the actions check the same rules again.
"""

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _
from phonenumber_field.phonenumber import PhoneNumber

from fieldapp.languages import Language, Spoken
from fieldapp.phones import INVALID_PHONE_MESSAGE, phone_parse
from services.sites.models import Site

from .actions.profile import Profile
from .models import Channel, Skill, SpokenLanguage, User
from .roles import Role

REQUIRED = _("This field is required.")
DATE_INVALID = _("Type a date as day-month-year, or pick one.")
SPOKEN_PREFIX = "spoken_"


def _required(field: forms.Field, message: Any = REQUIRED) -> forms.Field:
    field.error_messages["required"] = message
    return field


class DateInput(forms.DateInput):
    """The phone's own date picker; it sends ISO dates whatever the language."""

    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


def _date_field(label: Any, help_text: Any = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        help_text=help_text,
        widget=DateInput(),
        input_formats=["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"],
        error_messages={"invalid": DATE_INVALID},
    )


def address_read(text: str) -> tuple[PhoneNumber | None, str]:
    """(phone, "") or (None, e-mail) from what was typed; ValidationError otherwise."""
    text = text.strip()
    if "@" in text:
        try:
            validate_email(text)
        except ValidationError:
            raise ValidationError(_("This is not an e-mail address we can write to.")) from None
        return None, text
    phone = phone_parse(text)
    if phone is None:
        raise ValidationError(INVALID_PHONE_MESSAGE)
    return phone, ""


class ProfileForm(forms.Form):
    """The profile, one screen: how to reach them, their stay, languages, skills."""

    phone = forms.CharField(
        label=_("Phone"),
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
        help_text=_("With the country code if it is not French, e.g. +44 7911 123456."),
    )
    email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": _("This is not an e-mail address we can write to.")},
    )
    notify_by = _required(
        forms.ChoiceField(
            label=_("Send me reminders by"),
            choices=Channel.choices,
            widget=forms.RadioSelect,
            error_messages={"invalid_choice": _("Choose SMS or e-mail.")},
        ),
        _("Choose SMS or e-mail."),
    )
    language = forms.ChoiceField(
        label=_("Language of the app and of my messages"),
        choices=Language.choices,
        error_messages={
            "required": _("Choose a language."),
            "invalid_choice": _("Choose a language from the list."),
        },
    )
    arrives_on = _date_field(_("I arrive on"))
    leaves_on = _date_field(
        _("I leave on"), _("Your account closes by itself the day after this date.")
    )
    skills = forms.MultipleChoiceField(
        label=_("What I can do"),
        choices=Skill.Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose skills from the list.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        levels = [("", _("Not spoken")), *SpokenLanguage.Level.choices]
        for code, name in Spoken.choices:
            self.fields[SPOKEN_PREFIX + code] = forms.ChoiceField(
                label=name,
                choices=levels,
                required=False,
                error_messages={"invalid_choice": _("Choose a level from the list.")},
            )

    @property
    def spoken_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith(SPOKEN_PREFIX)]

    @classmethod
    def initial_of(cls, user: User) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "phone": user.phone.as_international if user.phone else "",
            "email": user.email,
            "notify_by": user.notify_by,
            "language": user.language or settings.LANGUAGE_CODE,
            "arrives_on": user.arrives_on,
            "leaves_on": user.leaves_on,
            "skills": list(user.skills.values_list("kind", flat=True)),
        }
        for language, level in user.spoken_languages.values_list("language", "level"):
            initial[SPOKEN_PREFIX + language] = level
        return initial

    def clean_phone(self) -> PhoneNumber | None:
        text = self.cleaned_data.get("phone", "").strip()
        if not text:
            return None
        phone = phone_parse(text)
        if phone is None:
            raise ValidationError(INVALID_PHONE_MESSAGE)
        return phone

    def profile(self) -> Profile:
        data = self.cleaned_data
        return Profile(
            phone=data.get("phone"),
            email=data.get("email", ""),
            notify_by=data["notify_by"],
            language=data["language"],
            arrives_on=data.get("arrives_on"),
            leaves_on=data.get("leaves_on"),
            spoken={
                name.removeprefix(SPOKEN_PREFIX): level
                for name, level in data.items()
                if name.startswith(SPOKEN_PREFIX) and level
            },
            skills=frozenset(data.get("skills", [])),
        )


class InvitationAcceptForm(ProfileForm):
    """The invitation's page: a user name and password first, then the profile."""

    field_order = ["username", "password", "password2"]

    username = _required(
        forms.CharField(
            label=_("User name"),
            max_length=150,
            widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
            help_text=_("What you sign in with: letters, digits and @ . + - _"),
            error_messages={"max_length": _("Use at most 150 characters.")},
        )
    )
    password = _required(
        forms.CharField(
            label=_("Password"),
            strip=False,
            widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
            help_text=_("At least 8 characters, not only digits, not a common password."),
        )
    )
    password2 = _required(
        forms.CharField(
            label=_("Password again"),
            strip=False,
            widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        )
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, second = cleaned.get("password"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords are not the same."))
        return cleaned


class InvitationForm(forms.Form):
    address = _required(
        forms.CharField(
            label=_("Their phone number or e-mail address"),
            max_length=254,
            help_text=_("The link goes by SMS to a phone number, by e-mail to an address."),
        ),
        _("Type a phone number or an e-mail address."),
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=Role.choices,
        initial=Role.VOLUNTEER,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose a role."),
            "invalid_choice": _("Choose a role from the list."),
        },
    )
    sites: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label=_("Sites"),
        queryset=Site.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one site."),
            "invalid_choice": _("Choose sites from the list."),
            "invalid_pk_value": _("Choose sites from the list."),
        },
    )
    language = forms.ChoiceField(
        label=_("Language of the invitation"),
        choices=Language.choices,
        error_messages={
            "required": _("Choose a language."),
            "invalid_choice": _("Choose a language from the list."),
        },
    )

    def __init__(self, *args: Any, sites: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sites"].queryset = sites  # type: ignore[attr-defined]  # a Field, for mypy

    def clean_address(self) -> tuple[PhoneNumber | None, str]:
        return address_read(self.cleaned_data["address"])


class AddressForm(forms.Form):
    """A forgotten password: where to send the link."""

    address = _required(
        forms.CharField(
            label=_("Your e-mail address or phone number"),
            max_length=254,
            widget=forms.TextInput(attrs={"autocomplete": "username"}),
        ),
        _("Type your e-mail address or phone number."),
    )

    def clean_address(self) -> str:
        address_read(self.cleaned_data["address"])  # refuse what can be neither
        return str(self.cleaned_data["address"]).strip()


class CodeForm(forms.Form):
    token = _required(
        forms.CharField(
            label=_("Code"),
            max_length=32,
            widget=forms.TextInput(
                attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
            ),
        ),
        _("Type the code."),
    )


class StayForm(forms.Form):
    leaves_on = _required(_date_field(_("New departure date")), _("Choose the new departure date."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["leaves_on"].required = True
