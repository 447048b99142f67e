"""The people registry's forms. The sites each offers are the volunteer's own (scoping.py)."""

import re
from typing import Any, TypedDict

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField
from phonenumber_field.phonenumber import PhoneNumber

from fieldapp.forms import offer, sheet_format_field
from fieldapp.languages import Language
from fieldapp.text import clean_display_text
from fieldapp.types import Viewer
from services.accounts.scoping import sites_of
from services.sites.models import Site
from services.sites.selectors import site_list

from .codes import code_normalise
from .models import NAME_MAX_LENGTH, ReplacedCode
from .phones import INVALID_PHONE_MESSAGE, phone_parse


class PhoneField(PhoneNumberField):
    """Accepts any way a volunteer types a number; see phones.phone_parse."""

    default_error_messages = {
        "invalid": INVALID_PHONE_MESSAGE,
    }

    def to_python(self, value: Any) -> PhoneNumber | str:
        if value in self.empty_values:
            return ""
        number = phone_parse(str(value))
        if number is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return number


def _home_sites(user: Viewer, home_site: Site | None) -> QuerySet[Site]:
    sites = sites_of(user)
    if home_site is not None and home_site.is_active:
        sites = sites | site_list().filter(pk=home_site.pk)
    return sites


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
    move_phone = forms.BooleanField(
        label=_("The number is this person's now: take it off the other record"),
        help_text=_("The other record keeps its history but gets no more SMS."),
        required=False,
    )

    def __init__(
        self, *args: Any, user: Viewer, home_site: Site | None = None, **kwargs: Any
    ) -> None:
        """The user's open sites, and the person's home site as it is (None: a new person)."""
        super().__init__(*args, **kwargs)
        offer(self, "home_site", _home_sites(user, home_site))

    def clean_name(self) -> str:
        """Reported with the other fields' errors; person_register() checks it again."""
        name = clean_display_text(self.cleaned_data["name"])
        if len(name) > NAME_MAX_LENGTH:
            raise forms.ValidationError(
                _("Use at most %(max)d characters for the name.") % {"max": NAME_MAX_LENGTH},
                code="max_length",
            )
        return name

    def action_kwargs(self) -> "PersonValues":
        data = self.cleaned_data
        return PersonValues(
            name=data["name"],
            phone=data["phone"] or None,
            language=data["language"],
            sms_consent=data["sms_consent"],
            home_site=data["home_site"],
        )


class PersonValues(TypedDict):
    """What the person form gives person_register() and person_update()."""

    name: str
    phone: PhoneNumber | None
    language: str
    sms_consent: bool
    home_site: Site


class CardSheetForm(forms.Form):
    """Which cards to print, and how; see cards.py."""

    site = forms.ModelChoiceField(
        label=_("Home site"),
        queryset=Site.objects.none(),
        required=False,
        empty_label=_("All sites"),
    )
    registered_since = forms.DateField(
        label=_("Registered on or after"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter a date as year-month-day, for example 2025-03-31.")},
    )
    codes = forms.CharField(
        label=_("Only these card codes"),
        required=False,
        max_length=4000,
        help_text=_("Optional. One per line or separated by commas."),
        widget=forms.Textarea(attrs={"rows": 4, "autocomplete": "off", "spellcheck": "false"}),
        error_messages={"max_length": _("That is too many codes for one sheet.")},
    )
    per_page = forms.TypedChoiceField(
        label=_("Cards per A4 page"),
        choices=[(8, _("8 per page")), (10, _("10 per page"))],
        coerce=int,
        initial=8,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose 8 or 10 cards per page."),
            "invalid_choice": _("Choose 8 or 10 cards per page."),
        },
    )
    with_names = forms.BooleanField(
        label=_("Print first names on the cards"),
        required=False,
        help_text=_(
            "Only if the person asks for it: a lost card with a name on it can identify them. "
            "A name in a script the server has no font for is left off."
        ),
    )
    fmt = sheet_format_field()

    def __init__(self, *args: Any, user: Viewer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offer(self, "site", sites_of(user))
        self.fields["site"].error_messages["invalid_choice"] = _("Choose one of the listed sites.")

    def clean_codes(self) -> list[str]:
        """Each code in stored form; cards.people_for_cards() says which ones nobody has."""
        pieces = [piece.strip() for piece in re.split(r"[,;\n]", self.cleaned_data["codes"])]
        typed = [piece for piece in pieces if piece]
        if bad := [piece for piece in typed if code_normalise(piece) is None]:
            raise forms.ValidationError(
                _("These are not card codes: %(codes)s") % {"codes": ", ".join(bad)},
                code="invalid",
            )
        return [code for piece in typed if (code := code_normalise(piece))]


class CardReissueForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why a new card"),
        choices=[("", "—")]
        + [(value, label) for value, label in ReplacedCode.Reason.choices if value != "merged"],
        error_messages={"required": _("Choose why."), "invalid_choice": _("Choose why.")},
    )


class MergeForm(forms.Form):
    """The other record of the same person: it goes into the one whose page this is."""

    other = forms.CharField(
        label=_("Card code of the other record"),
        max_length=12,
        error_messages={"required": _("Type the other record's card code.")},
    )
