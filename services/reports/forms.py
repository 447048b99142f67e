"""The coordinator's forms: a site and a period, an export, a file to bring in."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from fieldapp.errors import DomainError
from services.accounts.models import User
from services.accounts.scoping import sites_of

from .imports.files import MAX_BYTES
from .imports.kinds import KINDS
from .models import Dataset, FileFormat, ImportFile
from .periods import period_check

DATE = forms.DateInput(attrs={"type": "date"})
UNKNOWN_SITE = _("There is no such site among yours: choose one from the list.")


def _plausible_id(value: Any) -> bool:
    """Digits the database can hold: a bigger or odder id is refused in words, not sent."""
    text = str(value)
    return text.isascii() and text.isdigit() and int(text) < 2**62


class SiteChoiceField(forms.ModelChoiceField):
    def to_python(self, value: Any) -> Any:
        if value not in self.empty_values and not _plausible_id(value):
            raise forms.ValidationError(UNKNOWN_SITE, code="invalid_choice")
        return super().to_python(value)


class SitesChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value: Any) -> Any:
        if any(not _plausible_id(pk) for pk in value):
            raise forms.ValidationError(UNKNOWN_SITE, code="invalid_choice")
        return super()._check_values(value)  # type: ignore[misc]


class PeriodForm(forms.Form):
    since = forms.DateField(label=_("From"), widget=DATE)
    until = forms.DateField(label=_("To"), widget=DATE)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("since") and data.get("until"):
            try:
                period_check(data["since"], data["until"])
            except DomainError as error:
                self.add_error(error.field, error.message)
        return data


class DonorReportForm(PeriodForm):
    site = SiteChoiceField(
        label=_("Site"), queryset=None, error_messages={"invalid_choice": UNKNOWN_SITE}
    )
    field_order = ["site", "since", "until"]

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites_of(user)  # type: ignore[attr-defined]


class ExportForm(PeriodForm):
    dataset = forms.ChoiceField(label=_("Records"), choices=Dataset.choices)
    file_format = forms.ChoiceField(
        label=_("Format"), choices=FileFormat.choices, widget=forms.RadioSelect, initial="xlsx"
    )
    sites = SitesChoiceField(
        label=_("Sites"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every site."),
        error_messages={"invalid_choice": UNKNOWN_SITE, "invalid_pk_value": UNKNOWN_SITE},
    )
    with_identities = forms.BooleanField(
        label=_("With names and phone numbers"),
        required=False,
        help_text=_("Only with the permission to, and a reason. Card codes are enough for counts."),
    )
    reason = forms.CharField(label=_("Why names and phone numbers"), required=False, max_length=200)
    field_order = ["dataset", "since", "until", "sites", "file_format", "with_identities", "reason"]

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sites"].queryset = sites_of(user)  # type: ignore[attr-defined]


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("The file holds"), choices=ImportFile.Kind.choices)
    file = forms.FileField(
        label=_("Spreadsheet (CSV or XLSX)"),
        help_text=_("The first line names the columns."),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("The file is over %(mb)d MB: split it into smaller files.")
                % {"mb": MAX_BYTES // (1024 * 1024)}
            )
        return upload

    @staticmethod
    def columns() -> dict[str, tuple[list[str], list[str]]]:
        return {name: (kind.required, kind.optional) for name, kind in KINDS.items()}
