"""
Legal-advice appointments: who is available when, the appointments booked, and the
holds that make a double booking impossible.

An advisor (legal role) or an interpreter (any volunteer who speaks languages) publishes
availability. Booking an appointment writes one SlotHold per person per 30-minute cell
it covers; the unique (user, starts_at) constraint is what guarantees that nobody is
booked twice at once, whatever the race.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from fieldapp.crypto import EncryptedTextField
from fieldapp.languages import Language

GRID_MINUTES = 30


def appointment_length() -> timedelta:
    """LEGAL_APPOINTMENT_MINUTES as a duration; it must fill whole 30-minute cells."""
    minutes = getattr(settings, "LEGAL_APPOINTMENT_MINUTES", 60)
    if not isinstance(minutes, int) or minutes <= 0 or minutes % GRID_MINUTES:
        raise ImproperlyConfigured(
            f"LEGAL_APPOINTMENT_MINUTES must be a positive multiple of {GRID_MINUTES}."
        )
    return timedelta(minutes=minutes)


class Availability(models.Model):
    """A window when someone can advise or interpret: every week, or once."""

    class Role(models.TextChoices):
        ADVISOR = "advisor", _("Legal advisor")
        INTERPRETER = "interpreter", _("Interpreter")

    class Repeat(models.TextChoices):
        WEEKLY = "weekly", _("Every week")
        ONCE = "once", _("Once")

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="legal_availability"
    )
    role = models.CharField(_("as"), max_length=12, choices=Role.choices)
    repeat = models.CharField(_("repeats"), max_length=8, choices=Repeat.choices)
    weekday = models.PositiveSmallIntegerField(
        _("weekday"), choices=Weekday.choices, null=True, blank=True
    )
    date = models.DateField(_("date"), null=True, blank=True)
    valid_from = models.DateField(_("from"), null=True, blank=True)
    valid_until = models.DateField(_("until"), null=True, blank=True)
    start_time = models.TimeField(_("start"))
    end_time = models.TimeField(_("end"))
    site = models.ForeignKey(
        "sites.Site",
        verbose_name=_("site"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty: by phone."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("availability")
        verbose_name_plural = _("availability")
        ordering = ["repeat", "weekday", "date", "start_time"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=F("start_time")), name="availability_ends_after_start"
            ),
            models.CheckConstraint(
                condition=(
                    Q(repeat="weekly", weekday__isnull=False, date__isnull=True)
                    | Q(repeat="once", date__isnull=False, weekday__isnull=True)
                ),
                name="availability_weekly_or_once",
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_until__gte=F("valid_from")),
                name="availability_valid_range",
            ),
        ]

    def __str__(self) -> str:
        when = self.get_weekday_display() if self.repeat == self.Repeat.WEEKLY else self.date
        return f"{self.user} {self.role} {when} {self.start_time:%H:%M}-{self.end_time:%H:%M}"


class Appointment(models.Model):
    class CaseType(models.TextChoices):
        ASYLUM_FRANCE = "asylum_france", _("Asylum in France")
        DUBLIN = "dublin", _("Dublin procedure")
        FAMILY_REUNION_UK = "family_reunion_uk", _("Family reunion in the UK")
        UNACCOMPANIED_MINOR = "unaccompanied_minor", _("Unaccompanied minor")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        BOOKED = "booked", _("Booked")
        CONFIRMED = "confirmed", _("Confirmed")
        CANCELLED = "cancelled", _("Cancelled")
        ATTENDED = "attended", _("Attended")
        NO_SHOW = "no_show", _("Did not come")

    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="legal_appointments",
    )
    advisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("advisor"),
        on_delete=models.PROTECT,
        related_name="legal_appointments_advising",
    )
    interpreter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("interpreter"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="legal_appointments_interpreting",
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    site = models.ForeignKey(
        "sites.Site",
        verbose_name=_("site"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty: by phone."),
    )
    language = models.CharField(_("language"), max_length=8, choices=Language.choices)
    case_type = models.CharField(_("case type"), max_length=24, choices=CaseType.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.BOOKED
    )
    notes = EncryptedTextField(_("notes"), blank=True)
    outcome_notes = EncryptedTextField(_("outcome notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("legal appointment")
        verbose_name_plural = _("legal appointments")
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["starts_at"], name="legal_appointment_starts_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="appointment_ends_after_start"
            ),
            models.CheckConstraint(
                condition=~Q(interpreter=F("advisor")), name="appointment_interpreter_not_advisor"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.starts_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("legal:detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.BOOKED, self.Status.CONFIRMED)


class AppointmentEvent(models.Model):
    """Who changed an appointment, when, and how (in the app or by SMS reply)."""

    class Kind(models.TextChoices):
        BOOKED = "booked", _("Booked")
        CONFIRMED = "confirmed", _("Confirmed")
        CANCELLED = "cancelled", _("Cancelled")
        ATTENDED = "attended", _("Attended")
        NO_SHOW = "no_show", _("Did not come")
        RESCHEDULED = "rescheduled", _("Moved")

    class Via(models.TextChoices):
        APP = "app", _("In the app")
        SMS = "sms", _("SMS reply")

    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    via = models.CharField(max_length=4, choices=Via.choices, default=Via.APP)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.appointment_id} {self.kind}"


class SlotHold(models.Model):
    """
    One 30-minute cell of one person's time, taken by one legal appointment or by one
    medical referral's appointment (its interpreter). The unique constraint refuses a
    second booking for the same person in the same cell, whichever kind each one is.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    starts_at = models.DateTimeField()
    appointment = models.ForeignKey(
        Appointment, on_delete=models.CASCADE, null=True, blank=True, related_name="holds"
    )
    referral = models.ForeignKey(
        "referrals.Referral",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="holds",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "starts_at"], name="slot_hold_once_per_user"),
            models.CheckConstraint(
                condition=(
                    Q(appointment__isnull=False, referral__isnull=True)
                    | Q(appointment__isnull=True, referral__isnull=False)
                ),
                name="slot_hold_for_one_booking",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.starts_at:%Y-%m-%d %H:%M}"


class CalendarFeed(models.Model):
    """The secret in a user's iCal feed address; a new one makes the old address useless."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="legal_calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.user} feed"
