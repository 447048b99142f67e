"""
The outbox and what comes back.

A Message goes to a person served (always by SMS) or to a volunteer (a User: by SMS or
e-mail, their own choice unless the message names one). It is written in the same
transaction as the change that causes it, so a reminder can never be lost between the
app and the queue. Celery and Redis only carry row ids; the row's status says where it
is:

    pending -> claimed -> sending -> sent -> delivered | undelivered | failed
       ^          |          |   \
       +----------+----------+    unknown -> (a coordinator) pending | failed
    pending -> cancelled        (cause cancelled, person opted out)

A stale claim, or a send that never reached the provider, goes back to pending; a
send whose outcome was never heard and that the provider does not list is "unknown",
never sent again without a coordinator's word. Reports from the provider only move a
message forward, in the order of STATUS_RANK.
"""

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from fieldapp.languages import Language
from services.accounts.models import Channel

from .quiet_hours import held_until
from .reasons import reason_in_words
from .sms_templates import Kind


class Cause(models.TextChoices):
    """What a message is about: the record its cause_id points to."""

    APPOINTMENT = "appointment", _("Legal appointment")
    REFERRAL = "referral", _("Clinic referral")
    TICKET = "ticket", _("Queue ticket")
    SHIFT = "shift", _("Volunteer shift")
    BROADCAST = "broadcast", _("Announcement")
    REPLY = "reply", _("Reply to an incoming text")
    INVITATION = "invitation", _("Invitation to volunteer")
    ACCOUNT = "account", _("Volunteer's account")


class Message(models.Model):
    """One text or e-mail in the outbox, and what became of it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        CLAIMED = "claimed", _("Being sent")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        DELIVERED = "delivered", _("Delivered")
        UNDELIVERED = "undelivered", _("Not delivered")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")
        UNKNOWN = "unknown", _("Outcome unknown")

    idempotency_key = models.CharField(max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="messages",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("volunteer"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="messages",
    )
    channel = models.CharField(
        _("channel"),
        max_length=8,
        choices=Channel.choices,
        blank=True,
        help_text=_("How it goes. Blank until sent: a volunteer's own choice at the time it goes."),
    )
    to_phone = PhoneNumberField(
        _("sent to"), blank=True, help_text=_("The number as it was when the message went.")
    )
    to_email = models.EmailField(
        _("e-mailed to"), blank=True, help_text=_("The address as it was when the message went.")
    )
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=8, choices=Language.choices)
    context = models.JSONField(default=dict, blank=True)
    body = models.TextField(_("text"), blank=True)
    rendered_language = models.CharField(max_length=8, blank=True)
    encoding = models.CharField(max_length=8, blank=True)
    segments = models.PositiveSmallIntegerField(default=0)
    send_at = models.DateTimeField(_("send at"))
    respect_quiet_hours = models.BooleanField(default=True)
    needs_consent = models.BooleanField(
        _("needs consent"),
        default=True,
        help_text=_(
            "Not needed only for the reply confirming STOP or START, and for a volunteer's "
            "invitation or password reset (their account is not in use yet, or locked)."
        ),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    claim_token = models.UUIDField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sending_started_at = models.DateTimeField(null=True, blank=True)
    provider_message_id = models.CharField(max_length=64, blank=True)
    provider_status = models.CharField(max_length=20, blank=True)
    error_code = models.CharField(max_length=16, blank=True)
    error_reason = models.CharField(max_length=200, blank=True)
    broadcast = models.ForeignKey(
        "Broadcast", on_delete=models.SET_NULL, null=True, blank=True, related_name="messages"
    )
    # What the message is about, as columns a query can join (the idempotency key is
    # only a key, never read back): the record's kind and id, and its time as it stood
    # when the message was scheduled (an appointment's start), so that an answer to a
    # reminder of a time since moved is recognised as such.
    cause_type = models.CharField(_("about"), max_length=12, choices=Cause.choices, blank=True)
    cause_id = models.PositiveBigIntegerField(null=True, blank=True)
    cause_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-send_at", "-id"]
        indexes = [
            models.Index(fields=["send_at"], name="message_due_idx", condition=Q(status="pending")),
            models.Index(fields=["status", "claimed_at"], name="message_status_claimed_idx"),
            models.Index(fields=["person", "-send_at"], name="message_person_idx"),
            models.Index(fields=["cause_type", "cause_id"], name="message_cause_idx"),
        ]
        constraints = [
            # One provider message is never recorded against two outbox rows.
            models.UniqueConstraint(
                fields=["provider_message_id"],
                condition=~Q(provider_message_id=""),
                name="message_provider_id_unique",
            ),
            models.CheckConstraint(
                condition=Q(cause_type="", cause_id__isnull=True)
                | (~Q(cause_type="") & Q(cause_id__isnull=False)),
                name="message_cause_complete",
            ),
            models.CheckConstraint(
                condition=Q(person__isnull=True) | Q(user__isnull=True),
                name="message_one_recipient",
            ),
            # A person served is only ever texted.
            models.CheckConstraint(
                condition=Q(person__isnull=True) | Q(channel__in=["", Channel.SMS]),
                name="message_person_by_sms",
            ),
        ]

    def __str__(self) -> str:
        return self.idempotency_key

    @property
    def reason_in_words(self) -> str:
        """Why it failed, in the reader's language (the stored text is the provider's)."""
        return reason_in_words(self.error_code, self.error_reason) if self.error_code else ""

    @property
    def quiet_hours_hold_until(self) -> datetime | None:
        """When quiet hours let this waiting message go, if they are what holds it."""
        if self.status != self.Status.PENDING:
            return None
        return held_until(
            send_at=self.send_at,
            respect_quiet_hours=self.respect_quiet_hours,
            now=timezone.now(),
        )


S = Message.Status
# The one order of a message's statuses. Writes that come from outside (the provider's
# status callbacks, a recovery's look-up) only ever move a message to a later one: a
# "sent" that arrives after "delivered" changes nothing. Putting a message back in the
# outbox (a retry, a coordinator's resend) is a deliberate step of its own.
STATUS_RANK: dict[str, int] = {
    S.PENDING: 0,
    S.CLAIMED: 1,
    S.SENDING: 2,
    S.UNKNOWN: 3,
    S.SENT: 4,
    S.UNDELIVERED: 5,
    S.FAILED: 5,
    S.DELIVERED: 6,
    S.CANCELLED: 6,
}


def statuses_before(status: str) -> list[str]:
    """The statuses a message may move on from to `status`."""
    return [s for s, rank in STATUS_RANK.items() if rank < STATUS_RANK[status]]


class Broadcast(models.Model):
    """An announcement to the opted-in people of a site, each in their own language."""

    site = models.ForeignKey(
        "sites.Site",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        help_text=_("Empty: to every site."),
    )
    language = models.CharField(
        max_length=8, choices=Language.choices, blank=True, help_text=_("Empty: every language.")
    )
    urgent = models.BooleanField(
        default=False, help_text=_("Sent at once, even during quiet hours (audited).")
    )
    kind = models.CharField(max_length=40, choices=Kind.choices)
    context = models.JSONField(default=dict)
    recipients = models.PositiveIntegerField(default=0)
    segments = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} @ {self.site or 'every site'}"


class InboundMessage(models.Model):
    """
    A reply from a phone. Kept so coordinators can read it; STOP/START act at once, and
    an answer to a reminder (1 / 2) records what it did to the appointment.
    """

    class Action(models.TextChoices):
        NONE = "", _("None")
        OPT_OUT = "opt_out", _("Stopped messages")
        OPT_IN = "opt_in", _("Restarted messages")
        ASKED = "asked", _("Asked whether they meant STOP")
        CONFIRMED = "confirmed", _("Confirmed (appointment or shift)")
        CANCELLED = "cancelled", _("Cancelled (appointment or shift)")

    provider_message_id = models.CharField(max_length=64, unique=True)
    from_phone = PhoneNumberField(blank=True)
    body = models.TextField(blank=True)
    action = models.CharField(max_length=10, choices=Action.choices, blank=True)
    people = models.ManyToManyField("people.Person", related_name="+", blank=True)
    users = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+", blank=True)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return self.provider_message_id


class PendingStatusCallback(models.Model):
    """
    A status callback whose provider id no message has yet.

    A worker records the ids of accepted sends in groups after the provider calls, so
    Twilio's callback can come first. It waits here and is applied when its id is
    recorded (actions/provider.py); one never claimed (another app's message) is
    dropped after PENDING_CALLBACK_RETENTION.
    """

    provider_message_id = models.CharField(max_length=64, db_index=True)
    status = models.CharField(max_length=20)
    error_code = models.CharField(max_length=16, blank=True)
    received_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"{self.provider_message_id}: {self.status}"
