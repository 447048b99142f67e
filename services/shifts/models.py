"""
Shifts: who is where, when, doing what, and what each shift needs (hands, skills,
spoken languages); who signed up; the handover notes a site's next shift must read.

What a race or bad input could break is held by the database:
- a shift ends after it starts and needs at least one person; each skill or language
  it needs, at least one of;
- a shift is never over-filled: `signed_up` counts its sign-ups that stand, and a check
  keeps it between 0 and `people_needed`, so of two phones taking the last place at
  once the second one's UPDATE fails (actions/signups.py keeps the count);
- one volunteer is signed up once per shift (a unique constraint on the sign-ups that
  stand), and never for two shifts at once: each sign-up holds its volunteer's time in
  services/scheduling (SlotHold's unique (user, half hour)), as legal appointments and
  interpreting do, so a shift never clashes with an appointment either.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from fieldapp.languages import Spoken
from services.accounts.models import Skill

from .words import language_name, skill_name

REASON_MAX = 60  # a cancellation's reason goes by SMS: two segments in any script
NOTE_MAX = 280
HANDOVER_KEEP_DAYS = 30


class Shift(models.Model):
    class Task(models.TextChoices):
        DISTRIBUTION = "distribution", _("Distribution")
        WAREHOUSE = "warehouse", _("Warehouse")
        KITCHEN = "kitchen", _("Kitchen")
        INFO_BUS = "info_bus", _("Info bus")
        CLINIC_ESCORT = "clinic_escort", _("Clinic escort")
        OTHER = "other", _("Other")

    site = models.ForeignKey(
        "sites.Site", verbose_name=_("site"), on_delete=models.PROTECT, related_name="+"
    )
    task = models.CharField(_("task"), max_length=16, choices=Task.choices)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    people_needed = models.PositiveSmallIntegerField(_("people needed"))
    signed_up = models.PositiveSmallIntegerField(
        default=0, help_text=_("How many people are signed up now.")
    )
    notes = models.TextField(_("notes"), blank=True, max_length=500)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason"), max_length=REASON_MAX, blank=True)
    # Counts the changes the people on it were told of: each notice's key holds it.
    revision = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["site", "starts_at"], name="shift_site_starts_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="shift_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(people_needed__gte=1), name="shift_needs_people"),
            models.CheckConstraint(
                condition=Q(signed_up__gte=0) & Q(signed_up__lte=F("people_needed")),
                name="shift_never_overfilled",
            ),
            models.CheckConstraint(
                condition=Q(cancelled_at__isnull=True) | ~Q(cancel_reason=""),
                name="shift_cancelled_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_task_display()} {self.starts_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("shifts:detail", args=[self.pk])

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def places_left(self) -> int:
        return self.people_needed - self.signed_up


class ShiftNeed(models.Model):
    """A skill (one driver) or a spoken language (two Tigrinya speakers) a shift needs."""

    class Kind(models.TextChoices):
        SKILL = "skill", _("Skill")
        LANGUAGE = "language", _("Language")

    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="needs")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    code = models.CharField(max_length=12, help_text=_("A skill or a language code."))
    count = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["-kind", "code"]  # skills first
        constraints = [
            models.UniqueConstraint(fields=["shift", "kind", "code"], name="shift_need_once"),
            models.CheckConstraint(condition=Q(count__gte=1), name="shift_need_count_positive"),
            models.CheckConstraint(
                condition=Q(kind="skill", code__in=Skill.Kind.values)
                | Q(kind="language", code__in=Spoken.values),
                name="shift_need_known_code",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.shift_id} {self.kind}:{self.code} x{self.count}"

    @property
    def label(self) -> str:
        """The skill's or the language's name, in the reader's language."""
        if self.kind == self.Kind.SKILL:
            return skill_name(self.code)
        return language_name(self.code)


class SignUp(models.Model):
    """
    A volunteer on a shift, by their own tap or a coordinator's. Withdrawn, it stays as
    history (and says whether it was within 24 hours of the start); its booking then
    holds no time.
    """

    shift = models.ForeignKey(Shift, on_delete=models.PROTECT, related_name="signups")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("volunteer"),
        on_delete=models.CASCADE,
        related_name="shift_signups",
    )
    booking = models.OneToOneField(
        "scheduling.Booking",
        on_delete=models.PROTECT,
        related_name="shift_signup",
        help_text=_("Holds the volunteer's time while the sign-up stands."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_late = models.BooleanField(
        _("withdrew late"), default=False, help_text=_("Within 24 hours of the start.")
    )
    confirmed_at = models.DateTimeField(
        _("confirmed by SMS"),
        null=True,
        blank=True,
        help_text=_("When the volunteer answered a reminder with 1 (they will come)."),
    )
    arrived_at = models.DateTimeField(_("arrived"), null=True, blank=True)
    arrival_marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")
        ordering = ["shift__starts_at", "id"]
        indexes = [models.Index(fields=["user", "withdrawn_at"], name="signup_user_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["shift", "user"],
                condition=Q(withdrawn_at__isnull=True),
                name="signup_once_per_shift",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | Q(arrived_at__isnull=True),
                name="signup_arrived_or_withdrawn",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_late=False) | Q(withdrawn_at__isnull=False),
                name="signup_late_only_when_withdrawn",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} on {self.shift_id}"

    @property
    def stands(self) -> bool:
        return self.withdrawn_at is None


class HandoverNote(models.Model):
    """
    A short note for the next shift at a site: an incident, stock running low, a person
    to look out for (by card code, never by name). Kept HANDOVER_KEEP_DAYS days.
    """

    class Kind(models.TextChoices):
        INCIDENT = "incident", _("Incident")
        STOCK = "stock", _("Stock running low")
        PERSON = "person", _("Someone to look out for")
        OTHER = "other", _("Other")

    site = models.ForeignKey(
        "sites.Site", verbose_name=_("site"), on_delete=models.PROTECT, related_name="+"
    )
    day = models.DateField(_("day"))
    kind = models.CharField(_("about"), max_length=10, choices=Kind.choices)
    text = models.CharField(_("note"), max_length=NOTE_MAX)
    card_code = models.CharField(_("card code"), max_length=7, blank=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    written_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("handover note")
        verbose_name_plural = _("handover notes")
        ordering = ["-day", "-written_at", "-id"]
        indexes = [models.Index(fields=["site", "day"], name="handover_site_day_idx")]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="handover_note_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.site_id} {self.day} {self.kind}"


class HandoverRead(models.Model):
    """Who has read a handover note, and when."""

    note = models.ForeignKey(HandoverNote, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["note", "user"], name="handover_read_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.note_id}"
