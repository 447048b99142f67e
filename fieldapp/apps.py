from django import forms
from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from rest_framework import serializers

from .dates import validate_plausible_date


class FieldappConfig(AppConfig):
    """
    The project as an app: base templates, static files, demo data, the heartbeat, the
    one-time tokens of create forms (submissions.py) and the encryption key check
    (checks.py).
    """

    name = "fieldapp"
    verbose_name = "fieldapp"
    default = True

    def ready(self) -> None:
        from fieldapp import (
            calendar_names,
            checks,  # noqa: F401 - registers the encryption key check
        )

        calendar_names.install()

        # Every date typed anywhere (forms, the admin, list filters, the API) is refused
        # outside the plausible years: one rule, on the fields themselves.
        for field in (
            forms.DateField,
            forms.DateTimeField,
            serializers.DateField,
            serializers.DateTimeField,
        ):
            field.default_validators = [validate_plausible_date]  # type: ignore[misc]


class FieldAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "services.accounts.admin_site.FieldAdminSite"
