"""
The dashboard's filters: a site (one of the coordinator's, else refused in words) and a
date range (not reversed, at most two years: fieldapp.figures), as a GET form.
"""

from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from fieldapp.figures import range_problem
from services.accounts.scoping import sites_of

DEFAULT_DAYS = 30


class DashboardFilter(forms.Form):
    site: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Site"),
        queryset=None,
        required=False,
        empty_label=_("All my sites"),
        error_messages={"invalid_choice": _("There is no such site among yours.")},
    )
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, data: Any, *, user: Any, today: date) -> None:
        super().__init__(data)
        self.today = today
        self.fields["site"].queryset = sites_of(user)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        end = data.get("end") or self.today
        start = data.get("start") or end - timedelta(days=DEFAULT_DAYS - 1)
        if "start" in data and "end" in data:
            problem = range_problem(start, end)
            if problem:
                self.add_error("end", problem)
        data["start"], data["end"] = start, end
        return data
