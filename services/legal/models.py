"""
Legal-advice appointments and their history.

Who is available when, and the holds that make a double booking impossible, are
services/scheduling's: an appointment points to the scheduling Booking that holds its
advisor's and interpreter's time, and scheduling knows nothing of appointments.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from fieldapp.crypto import EncryptedTextField
from fieldapp.languages import Language


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

    class FollowUp(models.TextChoices):
        """What was done about a missed appointment: nothing yet, rebooked, or closed."""

        PENDING = "", _("To follow up")
        REBOOKED = "rebooked", _("Rebooked")
        CLOSED = "closed", _("Closed")

    class CloseReason(models.TextChoices):
        LEFT = "left", _("Has left the area")
        NOT_NEEDED = "not_needed", _("No longer needs advice")
        UNREACHABLE = "unreachable", _("Cannot be reached")
        ELSEWHERE = "elsewhere", _("Advised elsewhere")

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
    booking = models.OneToOneField(
        "scheduling.Booking",
        on_delete=models.PROTECT,
        related_name="legal_appointment",
        help_text=_("Holds the advisor's and the interpreter's time while it is open."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    follow_up = models.CharField(
        _("follow-up"), max_length=8, choices=FollowUp.choices, blank=True, default=""
    )
    follow_up_reason = models.CharField(
        _("reason for closing"), max_length=12, choices=CloseReason.choices, blank=True
    )
    rebooked_as = models.OneToOneField(
        "self",
        verbose_name=_("rebooked as"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rebooked_from",
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
            # Only a missed appointment is followed up; rebooked names the new one, closed
            # says why.
            models.CheckConstraint(
                condition=Q(follow_up="", follow_up_reason="", rebooked_as__isnull=True)
                | Q(
                    status="no_show",
                    follow_up="rebooked",
                    follow_up_reason="",
                    rebooked_as__isnull=False,
                )
                | (
                    Q(status="no_show", follow_up="closed", rebooked_as__isnull=True)
                    & ~Q(follow_up_reason="")
                ),
                name="appointment_follow_up_of_a_no_show",
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
        REBOOKED = "rebooked", _("Missed, rebooked")
        CLOSED = "closed", _("Missed, closed")

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
