"""
The phone forms for planning shifts, copying them, cancelling one, and the handover
log. They only read what was typed: every rule (and its words) is the actions'.
"""

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from fieldapp.forms import offer
from fieldapp.languages import Spoken
from services.accounts.models import Skill
from services.sites.models import Site

from .actions.plan import ShiftPlan
from .board import week_start
from .models import NOTE_MAX, HandoverNote, Shift, ShiftNeed
from .words import language_name

CHOOSE = _("Choose one from the list.")
NUMBER = _("Give a number.")


def _date(label: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": _("Give a date."), "invalid": _("Give a date.")},
    )


def _time(label: Any) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"required": _("Give a time."), "invalid": _("Give a time, e.g. 14:15.")},
    )


def _count(label: Any) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=-1000,
        max_value=1000,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
        error_messages={"invalid": NUMBER, "min_value": NUMBER, "max_value": NUMBER},
    )


class ShiftForm(forms.Form):
    """One shift: create (with its site) or edit (without: a shift stays where it is)."""

    site = forms.ModelChoiceField(
        label=_("Site"),
        queryset=Site.objects.none(),
        error_messages={"required": CHOOSE, "invalid_choice": CHOOSE},
    )
    task = forms.ChoiceField(
        label=_("Task"),
        choices=Shift.Task.choices,
        error_messages={"required": CHOOSE, "invalid_choice": CHOOSE},
    )
    day = _date(_("Day"))
    start_time = _time(_("Start"))
    end_time = _time(_("End"))
    people_needed = forms.IntegerField(
        label=_("People needed"),
        min_value=-1000,
        max_value=1000,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 1}),
        error_messages={"required": NUMBER, "invalid": NUMBER, "min_value": NUMBER},
    )
    notes = forms.CharField(
        label=_("Notes for the people on it"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, sites: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if sites is None:
            del self.fields["site"]
        else:
            offer(self, "site", sites)
        for code, label in Skill.Kind.choices:
            self.fields[f"skill_{code}"] = _count(label)
        for code in Spoken.values:
            self.fields[f"language_{code}"] = _count(language_name(code))

    def skill_fields(self) -> list[forms.BoundField]:
        return [self[f"skill_{code}"] for code in Skill.Kind.values]

    def language_fields(self) -> list[forms.BoundField]:
        return [self[f"language_{code}"] for code in Spoken.values]

    def plan(self) -> ShiftPlan:
        data = self.cleaned_data
        return ShiftPlan(
            task=data["task"],
            day=data["day"],
            start_time=data["start_time"],
            end_time=data["end_time"],
            people_needed=data["people_needed"],
            skills={code: data[f"skill_{code}"] or 0 for code in Skill.Kind.values},
            languages={code: data[f"language_{code}"] or 0 for code in Spoken.values},
            notes=data["notes"],
        )

    @staticmethod
    def initial_of(shift: Shift, needs: list[ShiftNeed]) -> dict[str, Any]:
        plan = ShiftPlan.of(shift, needs)
        return {
            "task": plan.task,
            "day": plan.day,
            "start_time": plan.start_time,
            "end_time": plan.end_time,
            "people_needed": plan.people_needed,
            "notes": plan.notes,
            **{f"skill_{code}": n for code, n in plan.skills.items()},
            **{f"language_{code}": n for code, n in plan.languages.items()},
        }


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Why (sent to everyone on it)"),
        required=False,
        help_text=_("A few words: it goes by SMS."),
    )


class CopyForm(forms.Form):
    site = forms.ModelChoiceField(
        label=_("Site"),
        queryset=Site.objects.none(),
        error_messages={"required": CHOOSE, "invalid_choice": CHOOSE},
    )
    days = forms.TypedChoiceField(
        label=_("Copy"),
        choices=[(7, _("A week")), (1, _("A day"))],
        coerce=int,
        initial=7,
        widget=forms.RadioSelect,
        error_messages={"required": CHOOSE, "invalid_choice": CHOOSE},
    )
    from_day = _date(_("From (any day of the week to copy)"))
    to_day = _date(_("To (any day of the week to fill)"))

    def __init__(self, *args: Any, sites: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offer(self, "site", sites)

    def dates(self) -> tuple[date, date]:
        """A week is copied Monday to Sunday, whichever days of the weeks were picked."""
        source, target = self.cleaned_data["from_day"], self.cleaned_data["to_day"]
        if self.cleaned_data["days"] == 7:
            return week_start(source), week_start(target)
        return source, target


class HandoverForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("About"),
        choices=HandoverNote.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": CHOOSE, "invalid_choice": CHOOSE},
    )
    text = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": NOTE_MAX}),
        help_text=_("Short. Never a person's name: use their card code below."),
    )
    card_code = forms.CharField(
        label=_("Card code (someone to look out for)"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
