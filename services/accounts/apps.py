from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "services.accounts"
    label = "accounts"
    verbose_name = "Accounts and roles"

    def ready(self) -> None:
        from . import authentication, backends

        post_migrate.connect(_sync_roles_after_migrate, dispatch_uid="accounts.roles_sync")
        backends.connect_signals()
        authentication.connect_signals()


def _sync_roles_after_migrate(**kwargs: object) -> None:
    """
    Permissions appear as each app migrates, so the groups are synced after every app's
    post_migrate; roles_sync() is idempotent and cheap.
    """
    from .actions import roles_sync

    roles_sync()
