from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


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
        from fieldapp import checks  # noqa: F401 - registers the encryption key check


class FieldAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "services.accounts.admin_site.FieldAdminSite"
