"""The announcement form; the SMS log and replies are filtered by filters.py."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from fieldapp.forms import offer
from fieldapp.languages import Language
from fieldapp.text import clean_display_text
from fieldapp.types import Viewer
from services.accounts.scoping import sites_of, user_site_ids
from services.sites.models import Site

from .sms_templates import SMS_PLACE_MAX, URGENT_TEXT_MAX, Kind

ANNOUNCEMENT_KINDS = [
    (Kind.URGENT_NOTICE, Kind.URGENT_NOTICE.label),
    (Kind.DISTRIBUTION_ANNOUNCEMENT, Kind.DISTRIBUTION_ANNOUNCEMENT.label),
    (Kind.DISTRIBUTION_MOVED, Kind.DISTRIBUTION_MOVED.label),
    (Kind.DISTRIBUTION_CANCELLED, Kind.DISTRIBUTION_CANCELLED.label),
]
PLACE_MAX_LENGTH = SMS_PLACE_MAX


def text_field_name(language: str) -> str:
    return f"text_{language}"


class BroadcastForm(forms.Form):
    site = forms.ModelChoiceField(
        label=_("To the opted-in people of"),
        queryset=Site.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": _("Choose one of the listed sites.")},
    )
    only_language = forms.ChoiceField(
        label=_("Only to the readers of"),
        choices=[("", _("Every language")), *Language.choices],
        required=False,
        error_messages={"invalid_choice": _("Choose one of the listed languages.")},
    )
    kind = forms.ChoiceField(
        label=_("Message"),
        choices=ANNOUNCEMENT_KINDS,
        error_messages={"invalid_choice": _("Choose one of the listed messages.")},
    )
    urgent = forms.BooleanField(
        label=_("Send now, even during quiet hours"),
        help_text=_("Only for an urgent message (an eviction, a storm). It is recorded."),
        required=False,
    )
    date = forms.DateField(
        label=_("Date"),
        required=False,
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
        """
        The open sites the user works at (every one for coordinators, who may also
        write to every site at once), and one text box per language.
        """
        super().__init__(*args, **kwargs)
        offer(self, "site", sites_of(user))
        if user_site_ids(user) is None:
            site = self.fields["site"]
            assert isinstance(site, forms.ModelChoiceField)  # noqa: S101 - declared above
            site.required, site.empty_label = False, _("Every site")
        for code, name in Language.choices:
            self.fields[text_field_name(code)] = forms.CharField(
                label=name,
                required=False,
                max_length=URGENT_TEXT_MAX,
                widget=forms.Textarea(attrs={"rows": 3, "lang": code, "dir": "auto"}),
            )

    def text_fields(self) -> list[forms.BoundField]:
        return [self[text_field_name(code)] for code in Language.values]

    def clean_place(self) -> str:
        place = clean_display_text(self.cleaned_data["place"])
        if len(place) > PLACE_MAX_LENGTH:
            raise forms.ValidationError(
                _("Use at most %(max)d characters.") % {"max": PLACE_MAX_LENGTH}
            )
        return place

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        kind = cleaned.get("kind")
        if kind == Kind.URGENT_NOTICE:
            return cleaned
        if cleaned.get("urgent"):
            self.add_error("urgent", _("Only an urgent message may go during quiet hours."))
        if not cleaned.get("date") and "date" not in self.errors:
            self.add_error("date", _("Give the date."))
        if kind != Kind.DISTRIBUTION_CANCELLED and not cleaned.get("time"):
            if "time" not in self.errors:
                self.add_error("time", _("Give the time."))
        return cleaned

    def message_context(self) -> dict[str, Any]:
        data = self.cleaned_data
        if data["kind"] == Kind.URGENT_NOTICE:
            texts = {code: data[text_field_name(code)].strip() for code in Language.values}
            return {"texts": {code: text for code, text in texts.items() if text}}
        site_name = data["site"].name if data.get("site") else ""
        context = {
            "date": data["date"].isoformat(),  # in words in each reader's language
            "place": data["place"] or site_name,
        }
        if data.get("time"):
            context["time"] = data["time"].strftime("%H:%M")
        return context
