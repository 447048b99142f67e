"""
Time: when someone can advise or interpret, the bookings that take their time, and
the secret address of their calendar feed.

A booking holds one SlotHold per person per 30-minute cell it covers; the unique
(user, starts_at) constraint is what guarantees that nobody is booked twice at once,
whatever the race and whichever app booked them. The record a booking is for (a legal
appointment, a medical referral's interpreter, a shift) points to it: the booking
knows nothing of them.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

GRID_MINUTES = 30


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
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="availability"
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


class Booking(models.Model):
    """
    A claim on people's time: its holds. What it is for is known only to the record
    that points to it (a legal appointment's `booking`, a referral's
    `interpreter_booking`); released, it keeps no hold and the record keeps its history.
    """

    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")

    def __str__(self) -> str:
        return f"booking {self.pk}"


class SlotHold(models.Model):
    """
    One 30-minute cell of one person's time, taken by one booking. The unique
    constraint refuses a second booking for the same person in the same cell.
    """

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="holds")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    starts_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "starts_at"], name="slot_hold_once_per_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.starts_at:%Y-%m-%d %H:%M}"


class CalendarFeed(models.Model):
    """The secret in a user's iCal feed address; a new one makes the old address useless."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.user} feed"
