"""The referral screens' forms. The actions check every rule again; these give early errors."""

import zoneinfo
from datetime import datetime
from typing import Any, cast

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from fieldapp.languages import Language
from services.accounts.models import User
from services.accounts.scoping import sites_of
from services.partners.models import Area
from services.partners.selectors import partner_services

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

    def __init__(self, *args: Any, user: User, **kwargs: Any):
        super().__init__(*args, **kwargs)
        services = partner_services(user=user, area=Area.MEDICAL)
        cast(forms.ModelChoiceField, self.fields["service"]).queryset = services
        # Where the medical volunteer refers from: one of the sites they work at.
        cast(forms.ModelChoiceField, self.fields["site"]).queryset = sites_of(user)


class ReferForm(forms.Form):
    consent = forms.BooleanField(
        label=_("The person agrees to share this with the partner"), required=False
    )


NO_INTERPRETER = "none"


class InterpreterField(forms.ChoiceField):
    """
    "none" or a user id. The choices shown are the interpreters free at the time on the
    form; any id is let through so the booking itself says why one cannot come (409 if
    taken meanwhile).
    """

    widget = forms.RadioSelect

    def valid_value(self, value: str) -> bool:
        return value == NO_INTERPRETER or value.isdigit()


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
    interpreter = InterpreterField(
        label=_("Interpreter"),
        error_messages={
            "required": _("Choose an interpreter, or no interpreter."),
            "invalid_choice": _("Choose one of the listed interpreters, or no interpreter."),
        },
    )

    def __init__(self, *args: Any, needs_interpreter: bool, finding: bool = False, **kwargs: Any):
        """finding: the date and time are sent only to list the free interpreters."""
        super().__init__(*args, **kwargs)
        if not needs_interpreter:
            del self.fields["interpreter"]
        elif finding:
            self.fields["interpreter"].required = False

    def clean_interpreter(self) -> User | None:
        value = self.cleaned_data.get("interpreter", "")
        if value in ("", NO_INTERPRETER):
            return None
        user = User.objects.filter(pk=int(value), is_active=True).first()
        if user is None:
            raise forms.ValidationError(
                self.fields["interpreter"].error_messages["invalid_choice"], code="invalid_choice"
            )
        return user

    def starts_at(self) -> datetime | None:
        """The date and time as typed, in local (Europe/Paris) time; None until both are valid."""
        day, at = self.cleaned_data.get("date"), self.cleaned_data.get("time")
        if day is None or at is None:
            return None
        return timezone.make_aware(datetime.combine(day, at), zoneinfo.ZoneInfo(settings.TIME_ZONE))

    def offer(self, free: list[User], current: User | None) -> None:
        """Show these free interpreters, and the current one marked if not among them."""
        field = cast(forms.ChoiceField, self.fields["interpreter"])
        choices: list[tuple[str, str | Promise]] = [(NO_INTERPRETER, _("No interpreter"))]
        choices += [(str(user.pk), user.get_username()) for user in free]
        if current is not None and current not in free:
            label = _("%(name)s (not free at this time)") % {"name": current.get_username()}
            choices.append((str(current.pk), label))
        field.choices = choices


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
