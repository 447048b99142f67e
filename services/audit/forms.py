from django import forms
from django.utils.translation import gettext_lazy as _


class AuditFilterForm(forms.Form):
    action = forms.CharField(label=_("Action"), required=False, max_length=64)
    target_type = forms.ChoiceField(label=_("Record type"), required=False)
    target_id = forms.CharField(label=_("Record number"), required=False, max_length=64)
    actor = forms.CharField(label=_("Who (user name)"), required=False, max_length=150)
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: object, record_types: list[str], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        choices = [("", _("Any")), *((name, name) for name in record_types)]
        self.fields["target_type"].choices = choices  # type: ignore[attr-defined]
