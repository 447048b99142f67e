"""Volunteer and staff accounts. Service users never have an account."""

from typing import Any

from django.conf import settings
from django.contrib import auth
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from fieldapp.languages import Language


class User(AbstractUser):
    """A volunteer, coordinator, medical or legal volunteer; the role is a Django group."""

    site = models.ForeignKey(
        "sites.Site",
        verbose_name=_("site"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Where this volunteer works today."),
    )
    sites = models.ManyToManyField(
        "sites.Site",
        verbose_name=_("sites"),
        blank=True,
        related_name="+",
        help_text=_("Where this volunteer may work: their lists show these sites only."),
    )
    language = models.CharField(
        _("interface language"), max_length=8, choices=settings.LANGUAGES, blank=True
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"

    def has_perm(self, perm: str, obj: Any = None) -> bool:
        """
        The rules decide for everyone (services/accounts/rules.py): unlike Django's
        default, a superuser is not waved past them.
        """
        return self.is_active and any(
            backend.has_perm(self, perm, obj)
            for backend in auth.get_backends()
            if hasattr(backend, "has_perm")
        )


class SpokenLanguage(models.Model):
    """
    A language a volunteer speaks, and how well. Legal booking reads it to find an
    advisor or interpreter for a person's language; shift planning will read it too.
    """

    class Level(models.TextChoices):
        BASIC = "basic", _("Basic")
        FLUENT = "fluent", _("Fluent")
        NATIVE = "native", _("Native")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="spoken_languages")
    language = models.CharField(_("language"), max_length=8, choices=Language.choices)
    level = models.CharField(_("level"), max_length=8, choices=Level.choices, default=Level.FLUENT)

    class Meta:
        verbose_name = _("spoken language")
        verbose_name_plural = _("spoken languages")
        constraints = [
            models.UniqueConstraint(fields=["user", "language"], name="spoken_language_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.language} ({self.level})"
