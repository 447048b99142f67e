from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """
    What fieldapp owes the people in its records: keep less (the nightly retention run),
    show them what is held (subject access), erase it when they ask, and say all this
    in their language (the privacy notice). It stands above every app that holds
    something about a person, reads them all, and none of them knows it.
    """

    name = "services.privacy"
    label = "privacy"
    verbose_name = _("Privacy")
