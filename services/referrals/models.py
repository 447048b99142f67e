"""
Medical referrals: a medical volunteer sends a person to a partner's medical service.

Notes and reasons are encrypted at rest (fieldapp.crypto) and shown only to the medical
role (referrals/rules.py). The status moves only through actions/workflow.py, which
writes a ReferralEvent at every step. The interpreter's time is held by a scheduling
Booking that the referral points to (services/scheduling knows nothing of referrals).
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fieldapp.crypto import EncryptedTextField
from fieldapp.languages import Language


class Urgency(models.TextChoices):
    EMERGENCY = "emergency", _("Emergency")
    URGENT = "urgent", _("Urgent")
    ROUTINE = "routine", _("Routine")


class ReasonCategory(models.TextChoices):
    GENERAL = "general", _("General medicine")
    DENTAL = "dental", _("Dental")
    MENTAL_HEALTH = "mental_health", _("Mental health")
    WOUND = "wound", _("Wound or injury")
    SKIN = "skin", _("Skin")
    MATERNAL = "maternal", _("Pregnancy and maternal care")
    CHRONIC = "chronic", _("Chronic condition")
    OTHER = "other", _("Other")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    REFERRED = "referred", _("Referred")
    BOOKED = "booked", _("Appointment booked")
    ATTENDED = "attended", _("Attended")
    MISSED = "missed", _("Missed")
    DECLINED = "declined", _("Declined")
    CLOSED = "closed", _("Closed")


class SmsAnswer(models.TextChoices):
    CONFIRMED = "confirmed", _("Will come")
    CANCELLED = "cancelled", _("Cannot come: tell the clinic")


OPEN_STATUSES = (Status.DRAFT, Status.REFERRED, Status.BOOKED, Status.MISSED)


def referral_appointment_length() -> timedelta:
    """
    REFERRAL_APPOINTMENT_MINUTES as a duration: how long an interpreter is booked for a
    medical appointment (the partner gives a start time, not an end).
    """
    minutes = getattr(settings, "REFERRAL_APPOINTMENT_MINUTES", 60)
    if not isinstance(minutes, int) or minutes <= 0:
        raise ImproperlyConfigured("REFERRAL_APPOINTMENT_MINUTES must be a positive number.")
    return timedelta(minutes=minutes)


class Referral(models.Model):
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="referrals",
    )
    service = models.ForeignKey(
        "partners.PartnerService",
        verbose_name=_("partner service"),
        on_delete=models.PROTECT,
        related_name="referrals",
    )
    site = models.ForeignKey(
        "sites.Site",
        verbose_name=_("referred at"),
        on_delete=models.PROTECT,
        related_name="referrals",
    )
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices)
    reason_category = models.CharField(_("reason"), max_length=16, choices=ReasonCategory.choices)
    clinical_notes = EncryptedTextField(_("clinical notes"), blank=True)
    interpreter_language = models.CharField(
        _("interpreter needed"),
        max_length=8,
        choices=Language.choices,
        blank=True,
        help_text=_("Leave empty when no interpreter is needed."),
    )
    consent_to_share = models.BooleanField(_("agrees to share with the partner"), default=False)
    consent_at = models.DateTimeField(null=True, blank=True)
    consent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    appointment_at = models.DateTimeField(_("appointment"), null=True, blank=True)
    appointment_place = models.CharField(_("place"), max_length=80, blank=True)
    sms_answer = models.CharField(
        _("answer to the reminder"),
        max_length=10,
        choices=SmsAnswer.choices,
        blank=True,
        help_text=_("What the person answered by SMS to a reminder of this appointment."),
    )
    sms_answer_at = models.DateTimeField(_("answered"), null=True, blank=True)
    interpreter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("interpreter"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals_interpreting",
        help_text=_("Booked with the appointment; joins by phone."),
    )
    interpreter_booking = models.OneToOneField(
        "scheduling.Booking",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referral",
        help_text=_("Holds the interpreter's time while the appointment is booked."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "appointment_at"])]
        constraints = [
            # No consent, no referral: only a draft may exist without it.
            models.CheckConstraint(
                condition=Q(status=Status.DRAFT) | Q(consent_to_share=True),
                name="referral_beyond_draft_needs_consent",
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.BOOKED) | Q(appointment_at__isnull=False),
                name="referral_booked_has_time",
            ),
            models.CheckConstraint(
                condition=Q(interpreter__isnull=True) | ~Q(interpreter_language=""),
                name="referral_interpreter_needs_language",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk}"


class ReferralEvent(models.Model):
    """One step of the workflow: who moved the referral to which status, when and why."""

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="events")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    at = models.DateTimeField(_("when"), auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    reason = EncryptedTextField(_("reason"), blank=True)
    # The appointment and its interpreter as they stood after this step.
    appointment_at = models.DateTimeField(_("appointment"), null=True, blank=True)
    appointment_place = models.CharField(_("place"), max_length=80, blank=True)
    interpreter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("interpreter"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("referral step")
        verbose_name_plural = _("referral steps")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.referral} {self.status}"


class FollowUpTask(models.Model):
    """Made when an appointment is missed: someone from the medical team finds the person."""

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="follow_ups")
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    note = EncryptedTextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                "referral",
                condition=Q(done_at__isnull=True),
                name="followup_one_open_per_referral",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.referral} follow-up"
