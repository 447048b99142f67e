"""Volunteer and staff accounts. Service users never have an account."""

from typing import Any

from django.conf import settings
from django.contrib import auth
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from fieldapp.languages import Spoken


class Channel(models.TextChoices):
    """How a volunteer gets their reminders."""

    SMS = "sms", _("SMS")
    EMAIL = "email", _("E-mail")


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
    phone = PhoneNumberField(_("phone"), blank=True)
    notify_by = models.CharField(
        _("reminders by"), max_length=8, choices=Channel.choices, default=Channel.EMAIL
    )
    arrives_on = models.DateField(_("arrival"), null=True, blank=True)
    leaves_on = models.DateField(
        _("departure"),
        null=True,
        blank=True,
        help_text=_("The account goes inactive by itself the day after."),
    )
    left_at = models.DateTimeField(
        _("stay ended"),
        null=True,
        blank=True,
        help_text=_("When the account went inactive because the stay ended."),
    )
    sms_stopped_at = models.DateTimeField(
        _("SMS stopped"),
        null=True,
        blank=True,
        help_text=_("They replied STOP: no SMS until they reply START."),
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        constraints = [
            models.CheckConstraint(
                condition=Q(arrives_on__isnull=True)
                | Q(leaves_on__isnull=True)
                | Q(leaves_on__gte=F("arrives_on")),
                name="user_stay_in_order",
            )
        ]

    @property
    def role_label(self) -> str:
        """The user's role in the reader's language (read from prefetched groups in lists)."""
        from .roles import Role

        names = {group.name for group in self.groups.all()}
        return ", ".join(str(role.label) for role in Role if role in names)

    def has_left(self) -> bool:
        """Their stay is over (from the day after departure), even before the task runs."""
        return self.leaves_on is not None and self.leaves_on < timezone.localdate()

    def has_perm(self, perm: str, obj: Any = None) -> bool:
        """
        The rules decide for everyone (services/accounts/rules.py): unlike Django's
        default, a superuser is not waved past them.
        """
        return (
            self.is_active
            and not self.has_left()
            and any(
                backend.has_perm(self, perm, obj)
                for backend in auth.get_backends()
                if hasattr(backend, "has_perm")
            )
        )


class SpokenLanguage(models.Model):
    """
    A language a volunteer speaks, and how well. Legal booking reads it to find an
    advisor or interpreter for a person's language (fluent or better); shift planning
    to cover the languages of the queue (working or better).
    """

    class Level(models.TextChoices):
        BASIC = "basic", _("Basic")
        WORKING = "working", _("Working")
        FLUENT = "fluent", _("Fluent")
        NATIVE = "native", _("Native")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="spoken_languages")
    language = models.CharField(_("language"), max_length=8, choices=Spoken.choices)
    level = models.CharField(_("level"), max_length=8, choices=Level.choices, default=Level.FLUENT)

    class Meta:
        verbose_name = _("spoken language")
        verbose_name_plural = _("spoken languages")
        constraints = [
            models.UniqueConstraint(fields=["user", "language"], name="spoken_language_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.language} ({self.level})"


class Skill(models.Model):
    """Something a volunteer can do that a shift may need (one driver, one first-aider)."""

    class Kind(models.TextChoices):
        DRIVER = "driver", _("Driver with licence")
        FIRST_AID = "first_aid", _("First aid")
        WAREHOUSE = "warehouse", _("Warehouse")
        KITCHEN = "kitchen", _("Kitchen")
        MEDICAL = "medical", _("Medical")
        LEGAL = "legal", _("Legal")
        INTERPRETER = "interpreter", _("Interpreter")
        TEAM_LEAD = "team_lead", _("Team lead")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="skills")
    kind = models.CharField(_("skill"), max_length=12, choices=Kind.choices)

    class Meta:
        verbose_name = _("skill")
        verbose_name_plural = _("skills")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="skill_once")]

    def __str__(self) -> str:
        return f"{self.user} {self.kind}"


class Invitation(models.Model):
    """
    A coordinator's invitation to join: it opens an account made inactive, with its role
    and sites, for the person at this phone number or e-mail address. Its one-time link
    holds a random token of which only a hash is stored, so the table alone opens
    nothing. It is used once (accepted_at), or revoked, or it expires.
    """

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="invitation")
    token_hash = models.CharField(max_length=64, unique=True)
    channel = models.CharField(_("sent via"), max_length=8, choices=Channel.choices)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"))
    sends = models.PositiveSmallIntegerField(default=1)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | Q(revoked_at__isnull=True),
                name="invitation_accepted_or_revoked",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.channel})"

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None

    @property
    def has_expired(self) -> bool:
        return self.expires_at <= timezone.now()
