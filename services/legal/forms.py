"""The phone forms for booking, appointments and availability. Rules are in the actions."""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from fieldapp.languages import Language
from services.accounts.models import SpokenLanguage
from services.scheduling.models import Availability
from services.sites.models import Site

from .models import Appointment

CHOOSE = _("Choose one from the list.")


def _choice(label: Any, choices: Any, **kwargs: Any) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        error_messages={"required": CHOOSE, "invalid_choice": CHOOSE},
        **kwargs,
    )


class FindPersonForm(forms.Form):
    """Step one of booking: whose appointment, in which language, from which day."""

    code = forms.CharField(
        label=_("Card code"),
        max_length=12,
        error_messages={"required": _("Type the person's card code.")},
    )
    language = _choice(_("Language"), [("", "—"), *Language.choices], required=False)
    first = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter a date.")},
    )


class BookForm(forms.Form):
    slot = _choice(_("Time"), [], widget=forms.RadioSelect)
    case_type = _choice(_("Case type"), [("", "—"), *Appointment.CaseType.choices])
    notes = forms.CharField(
        label=_("Notes (only the legal team sees them)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, slots: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["slot"]).choices = slots
        self.fields["slot"].error_messages["invalid_choice"] = _(
            "This slot is not offered any more. Pick one from the list."
        )


class MoveForm(forms.Form):
    """
    The new time for an appointment. Any slot key is accepted here: the action checks it,
    so a slot taken since the page was shown is the conflict message, not "not offered".
    """

    slot = forms.CharField(
        label=_("Time"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Pick a time.")},
    )

    def __init__(self, *args: Any, slots: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.RadioSelect, self.fields["slot"].widget).choices = slots


class StatusForm(forms.Form):
    status = _choice(_("Status"), Appointment.Status.choices)


class NotesForm(forms.Form):
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    outcome_notes = forms.CharField(
        label=_("Outcome"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class AvailabilityForm(forms.Form):
    role = _choice(_("As"), Availability.Role.choices)
    repeat = _choice(_("Repeats"), Availability.Repeat.choices, initial="weekly")
    weekday = _choice(_("Weekday"), [("", "—"), *Availability.Weekday.choices], required=False)
    date = forms.DateField(
        label=_("Date (once)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter a date.")},
    )
    start_time = forms.TimeField(
        label=_("Start"),
        widget=forms.TimeInput(attrs={"type": "time", "step": 1800}, format="%H:%M"),
        error_messages={"required": _("Enter a time."), "invalid": _("Enter a time.")},
    )
    end_time = forms.TimeField(
        label=_("End"),
        widget=forms.TimeInput(attrs={"type": "time", "step": 1800}, format="%H:%M"),
        error_messages={"required": _("Enter a time."), "invalid": _("Enter a time.")},
    )
    site = forms.ModelChoiceField(
        label=_("Where"),
        queryset=Site.objects.filter(is_active=True),
        required=False,
        empty_label=_("By phone"),
        error_messages={"invalid_choice": CHOOSE},
    )

    def __init__(self, *args: Any, roles: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["role"]).choices = [
            (value, label) for value, label in Availability.Role.choices if value in roles
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("repeat") == Availability.Repeat.WEEKLY:
            cleaned["date"] = None
            if cleaned.get("weekday") in (None, ""):
                self.add_error("weekday", _("Choose a weekday."))
        elif cleaned.get("repeat") == Availability.Repeat.ONCE:
            cleaned["weekday"] = ""
            if not cleaned.get("date"):
                self.add_error("date", _("Choose a date."))
        return cleaned

    def action_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        weekday = data.get("weekday")
        return {
            "role": data["role"],
            "weekday": int(weekday) if weekday not in (None, "") else None,
            "day": data.get("date"),
            "start_time": data["start_time"],
            "end_time": data["end_time"],
            "site": data.get("site"),
        }


class LanguageForm(forms.Form):
    language = _choice(_("Language"), Language.choices)
    level = _choice(_("Level"), SpokenLanguage.Level.choices, initial="fluent")


class CloseForm(forms.Form):
    """Why a missed appointment is closed without a new one."""

    reason = _choice(_("Why close it"), [("", "—"), *Appointment.CloseReason.choices])
