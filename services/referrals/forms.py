"""The referral screens' forms. The actions check every rule again; these give early errors."""

import zoneinfo
from datetime import datetime
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fieldapp.languages import Language
from services.casework.access import Area
from services.partners.selectors import partner_services
from services.sites.selectors import site_list

from .actions.followups import NOTE_MAX_LENGTH
from .actions.referral import NOTES_MAX_LENGTH
from .actions.workflow import PLACE_MAX_LENGTH
from .models import ReasonCategory, Urgency

REASON_MAX_LENGTH = 2000
_CHOOSE = _("Choose one of the listed options.")


class ServiceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.partner.name} · {obj.name}"


class ReferralForm(forms.Form):
    service = ServiceChoiceField(
        label=_("Partner service"),
        queryset=None,
        empty_label=None,
        error_messages={"required": _("Choose a service."), "invalid_choice": _CHOOSE},
    )
    urgency = forms.ChoiceField(
        label=_("Urgency"),
        choices=Urgency.choices,
        widget=forms.RadioSelect,
        initial=Urgency.ROUTINE,
        error_messages={"required": _("Choose how urgent it is."), "invalid_choice": _CHOOSE},
    )
    reason_category = forms.ChoiceField(
        label=_("Reason"),
        choices=ReasonCategory.choices,
        error_messages={"required": _("Choose a reason."), "invalid_choice": _CHOOSE},
    )
    clinical_notes = forms.CharField(
        label=_("Clinical notes"),
        required=False,
        max_length=NOTES_MAX_LENGTH,
        help_text=_("Only the medical team can read these. Stored encrypted."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    interpreter_language = forms.ChoiceField(
        label=_("Interpreter"),
        choices=[("", _("No interpreter needed")), *Language.choices],
        required=False,
        error_messages={"invalid_choice": _CHOOSE},
    )
    site: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Where you are"),
        queryset=None,
        empty_label=None,
        error_messages={"required": _("Choose a site."), "invalid_choice": _CHOOSE},
    )
    consent = forms.BooleanField(
        label=_("The person agrees to share this with the partner"), required=False
    )

    def __init__(self, *args: Any, user: AbstractBaseUser | AnonymousUser, **kwargs: Any):
        super().__init__(*args, **kwargs)
        services = partner_services(user=user, area=Area.MEDICAL)
        self.fields["service"].queryset = services  # type: ignore[attr-defined]
        self.fields["site"].queryset = site_list()  # type: ignore[attr-defined]


class ReferForm(forms.Form):
    consent = forms.BooleanField(
        label=_("The person agrees to share this with the partner"), required=False
    )


class BookForm(forms.Form):
    date = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Give the date."), "invalid": _("Give a valid date.")},
    )
    time = forms.TimeField(
        label=_("Time"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"required": _("Give the time."), "invalid": _("Give a valid time.")},
    )
    place = forms.CharField(
        label=_("Place"),
        required=False,
        max_length=PLACE_MAX_LENGTH,
        help_text=_(
            "Goes into the SMS reminder. Empty: the partner's neutral place name. "
            "Never write the kind of care."
        ),
    )

    def starts_at(self) -> datetime:
        """The date and time as typed, in local (Europe/Paris) time."""
        local = datetime.combine(self.cleaned_data["date"], self.cleaned_data["time"])
        return timezone.make_aware(local, zoneinfo.ZoneInfo(settings.TIME_ZONE))


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only the medical team can read this. Stored encrypted."),
        error_messages={"required": _("Give a reason.")},
    )

    def __init__(self, *args: Any, required: bool, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = required


class FollowUpDoneForm(forms.Form):
    note = forms.CharField(
        label=_("What was done"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only the medical team can read this. Stored encrypted."),
    )


class FindPersonForm(forms.Form):
    code = forms.CharField(
        label=_("Card code"),
        max_length=12,
        error_messages={"required": _("Type the card code.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
