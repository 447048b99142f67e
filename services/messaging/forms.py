"""The announcement form; the SMS log and replies are filtered by filters.py."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from fieldapp.forms import offer
from fieldapp.text import clean_display_text
from fieldapp.types import Viewer
from services.accounts.scoping import sites_of
from services.sites.models import Site

from .sms_templates import SMS_PLACE_MAX, Kind

ANNOUNCEMENT_KINDS = [
    (Kind.DISTRIBUTION_ANNOUNCEMENT, Kind.DISTRIBUTION_ANNOUNCEMENT.label),
    (Kind.DISTRIBUTION_MOVED, Kind.DISTRIBUTION_MOVED.label),
    (Kind.DISTRIBUTION_CANCELLED, Kind.DISTRIBUTION_CANCELLED.label),
]
PLACE_MAX_LENGTH = SMS_PLACE_MAX


class BroadcastForm(forms.Form):
    site = forms.ModelChoiceField(
        label=_("To the opted-in people of"),
        queryset=Site.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": _("Choose one of the listed sites.")},
    )
    kind = forms.ChoiceField(
        label=_("Message"),
        choices=ANNOUNCEMENT_KINDS,
        error_messages={"invalid_choice": _("Choose one of the listed messages.")},
    )
    date = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": _("Give the date."), "invalid": _("Give a real date.")},
    )
    time = forms.TimeField(
        label=_("Time"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}),
        error_messages={"invalid": _("Give a time like 15:00.")},
    )
    place = forms.CharField(
        label=_("Place"),
        required=False,
        help_text=_("Short: it is in every message. Empty uses the site's name."),
        widget=forms.TextInput(attrs={"maxlength": PLACE_MAX_LENGTH}),
    )

    def __init__(self, *args: Any, user: Viewer, **kwargs: Any) -> None:
        """The open sites the user works at (every one for coordinators)."""
        super().__init__(*args, **kwargs)
        offer(self, "site", sites_of(user))

    def clean_place(self) -> str:
        place = clean_display_text(self.cleaned_data["place"])
        if len(place) > PLACE_MAX_LENGTH:
            raise forms.ValidationError(
                _("Use at most %(max)d characters.") % {"max": PLACE_MAX_LENGTH}
            )
        return place

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        if cleaned.get("kind") != Kind.DISTRIBUTION_CANCELLED and not cleaned.get("time"):
            if "time" not in self.errors:
                self.add_error("time", _("Give the time."))
        return cleaned

    def message_context(self) -> dict[str, str]:
        data = self.cleaned_data
        context = {
            "date": data["date"].isoformat(),  # in words in each reader's language
            "place": data["place"] or data["site"].name,
        }
        if data.get("time"):
            context["time"] = data["time"].strftime("%H:%M")
        return context
