"""Form helpers shared by every app."""

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _

from .errors import DomainError


def add_domain_error(form: forms.Form, error: DomainError) -> None:
    """Show an action's refusal on the field it concerns (or at the top of the form)."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


def offer(form: forms.Form, name: str, queryset: QuerySet[Model]) -> None:
    """
    Offer these records in the form's model choice field `name`: the choices that
    depend on who asks (their sites), set when the form is made.
    """
    field = form.fields[name]
    if not isinstance(field, forms.ModelChoiceField):
        raise TypeError(f"{name} is not a model choice field")
    field.queryset = queryset


def sheet_format_field() -> forms.ChoiceField:
    """PDF (every page) or PNG (one page): how a sheet of cards or labels is downloaded."""
    return forms.ChoiceField(
        label=_("File"),
        choices=[("pdf", _("PDF, every page")), ("png", _("PNG image, one page"))],
        initial="pdf",
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose PDF or PNG."),
            "invalid_choice": _("Choose PDF or PNG."),
        },
    )


class LoginForm(AuthenticationForm):
    """Django's sign-in form, with messages in fieldapp's own catalogues (all 9 languages)."""

    error_messages = {
        "invalid_login": _("That user name and password do not match. Check both and try again."),
        "inactive": _("This account is switched off. Ask a coordinator."),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("User name")
        self.fields["password"].label = _("Password")
        for field in self.fields.values():
            field.error_messages["required"] = _("This field is required.")
