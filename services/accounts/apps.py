from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "services.accounts"
    label = "accounts"
    verbose_name = "Accounts and roles"

    def ready(self) -> None:
        from services.audit.words import record_namer_register

        from . import checks  # noqa: F401 - registers the deploy checks

        record_namer_register("accounts.user", "username")

        post_migrate.connect(_sync_roles_after_migrate, dispatch_uid="accounts.roles_sync")


def _sync_roles_after_migrate(**kwargs: object) -> None:
    """The groups are synced after every app's post_migrate; roles_sync() is idempotent."""
    from .actions import roles_sync

    roles_sync()
