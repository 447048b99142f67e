"""
Distributions: what there is to give, where it is, who received what.

Stock is a ledger: every change is a StockMovement and nothing else writes stock.
StockBalance is the ledger's running sum per site, item and size, kept in the same
transaction as each movement; it exists so the database itself refuses a negative
stock (a CHECK constraint) and so two phones serialise on one row, never to be edited.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from fieldapp.languages import fallback_chain

# The longest "days between two" an item may have. The entitlement rule reads a person's
# history this far back and no further (entitlements.py), so the database holds it too.
MAX_INTERVAL_DAYS = 365


class ItemType(models.Model):
    class Category(models.TextChoices):
        CLOTHING = "clothing", _("Clothing")
        SHOES = "shoes", _("Shoes")
        BEDDING = "bedding", _("Bedding")
        SHELTER = "shelter", _("Shelter")
        HYGIENE = "hygiene", _("Hygiene")
        FOOD = "food", _("Food")
        PHONE = "phone", _("Phone and charging")

    class Audience(models.TextChoices):
        ANYONE = "", _("Anyone")
        MEN = "men", _("Men")
        WOMEN = "women", _("Women")

    name = models.CharField(_("name"), max_length=60, unique=True)
    names = models.JSONField(
        _("translated names"), default=dict, blank=True, help_text=_("Language code to name.")
    )
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    sizes = models.JSONField(
        _("sizes"), default=list, blank=True, help_text=_("Empty when the item has no sizes.")
    )
    audience = models.CharField(_("for"), max_length=8, choices=Audience.choices, blank=True)
    min_interval_days = models.PositiveSmallIntegerField(
        _("days between two"),
        null=True,
        blank=True,
        help_text=_("e.g. 30: one sleeping bag per person per 30 days. Empty: no limit."),
    )
    per_session_limit = models.PositiveSmallIntegerField(
        _("most per person per session"), default=1
    )
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("item type")
        verbose_name_plural = _("item types")
        ordering = ["category", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(per_session_limit__gte=1), name="item_limit_positive"
            ),
            models.CheckConstraint(
                condition=Q(min_interval_days__lte=MAX_INTERVAL_DAYS),
                name="item_interval_at_most_a_year",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name()

    def display_name(self, language: str | None = None) -> str:
        """The name in the language, or the first of its fallback chain that has one."""
        for candidate in fallback_chain(language or get_language() or "en"):
            if self.names.get(candidate):
                return str(self.names[candidate])
        return self.name


class StockBalance(models.Model):
    site = models.ForeignKey("sites.Site", on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(ItemType, on_delete=models.PROTECT, related_name="+")
    size = models.CharField(max_length=12, blank=True)
    quantity = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["site", "item", "size"], name="stock_balance_unique"),
            models.CheckConstraint(condition=Q(quantity__gte=0), name="stock_never_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.item} {self.size} @ {self.site}: {self.quantity}"


class Donor(models.Model):
    """Who gave stock: an organisation, a shop, a collection. What it became is in the ledger."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("donor")
        verbose_name_plural = _("donors")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class StockLot(models.Model):
    """
    One delivery of one item and size at one site: its donor, its expiry date where it
    has one, and how much of it is left. Stock leaves the lot that expires first
    (actions/lots.py); the sum of a site's lots never exceeds its balance, and what the
    balance holds beyond them is stock received before lots were kept.
    """

    site = models.ForeignKey("sites.Site", on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(ItemType, on_delete=models.PROTECT, related_name="lots")
    size = models.CharField(max_length=12, blank=True)
    donor = models.ForeignKey(
        Donor,
        verbose_name=_("donor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lots",
    )
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    received = models.PositiveIntegerField()
    left = models.PositiveIntegerField()
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["expires_on", "received_at", "id"]
        indexes = [
            models.Index(
                fields=["site", "item", "size", "expires_on"],
                condition=Q(left__gt=0),
                name="lot_in_stock_idx",
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(left__lte=models.F("received")), name="lot_left_le_in"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item} {self.size} @ {self.site}: {self.left}/{self.received}"


class LowStockLevel(models.Model):
    """At or below this many of an item (all sizes) at a site, coordinators are warned."""

    site = models.ForeignKey("sites.Site", on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey(ItemType, on_delete=models.CASCADE, related_name="+")
    level = models.PositiveIntegerField(_("warn at"))

    class Meta:
        verbose_name = _("low-stock level")
        verbose_name_plural = _("low-stock levels")
        constraints = [
            models.UniqueConstraint(fields=["site", "item"], name="low_stock_level_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.item} @ {self.site} <= {self.level}"


class StockMovement(models.Model):
    class Kind(models.TextChoices):
        RECEIVED = "received", _("Received")
        TRANSFER_IN = "transfer_in", _("Transfer in")
        TRANSFER_OUT = "transfer_out", _("Transfer out")
        DISTRIBUTED = "distributed", _("Handed out")
        ADJUSTED = "adjusted", _("Adjusted")
        WRITTEN_OFF = "written_off", _("Written off")

    site = models.ForeignKey("sites.Site", on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(ItemType, on_delete=models.PROTECT, related_name="movements")
    size = models.CharField(max_length=12, blank=True)
    quantity = models.IntegerField(help_text=_("Positive in, negative out."))
    kind = models.CharField(max_length=12, choices=Kind.choices)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    transfer_group = models.UUIDField(null=True, blank=True, db_index=True)
    checkin = models.ForeignKey(
        "CheckIn", on_delete=models.PROTECT, null=True, blank=True, related_name="movements"
    )
    lot = models.ForeignKey(
        StockLot, on_delete=models.PROTECT, null=True, blank=True, related_name="movements"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["site", "item", "size"], name="movement_stock_idx")]
        constraints = [
            models.CheckConstraint(condition=~Q(quantity=0), name="movement_not_zero"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.quantity:+d} {self.item} {self.size}"


class DistributionSession(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    site = models.ForeignKey("sites.Site", on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("date"))
    starts_at = models.TimeField(_("from"))
    ends_at = models.TimeField(_("until"))
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PLANNED)
    choose_limit = models.PositiveSmallIntegerField(
        _("items each person may choose"),
        null=True,
        blank=True,
        help_text=_("e.g. 2 for 'choose 2 items'. Empty: no overall limit."),
    )
    announced_at = models.DateTimeField(_("announced by SMS"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("distribution")
        verbose_name_plural = _("distributions")
        ordering = ["-date", "-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.site} {self.date:%d/%m} {self.starts_at:%H:%M}"


class SessionItem(models.Model):
    """An item offered at a session, in some sizes, with a limit per person."""

    session = models.ForeignKey(
        DistributionSession, on_delete=models.CASCADE, related_name="offers"
    )
    item = models.ForeignKey(ItemType, on_delete=models.PROTECT, related_name="+")
    sizes = models.JSONField(default=list, blank=True)
    limit_per_person = models.PositiveSmallIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "item"], name="session_item_unique"),
            models.CheckConstraint(
                condition=Q(limit_per_person__gte=1), name="session_item_limit_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item} @ {self.session}"


class Ticket(models.Model):
    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        CALLED = "called", _("Called")
        SERVED = "served", _("Served")
        NO_SHOW = "no_show", _("Did not come")

    session = models.ForeignKey(
        DistributionSession, on_delete=models.CASCADE, related_name="tickets"
    )
    number = models.PositiveIntegerField()
    item = models.ForeignKey(
        ItemType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    size = models.CharField(max_length=12, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.WAITING)
    issued_at = models.DateTimeField(auto_now_add=True)
    called_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["session", "number"]
        constraints = [
            models.UniqueConstraint(fields=["session", "number"], name="ticket_number_unique"),
        ]

    def __str__(self) -> str:
        return f"#{self.number}"


class CheckIn(models.Model):
    """
    One person served at one session, identified by the UUID the phone made, so a
    retried or replayed upload is recorded once.
    """

    class Status(models.TextChoices):
        RECORDED = "recorded", _("Recorded")
        CONFLICT = "conflict", _("Needs a coordinator")
        DISMISSED = "dismissed", _("Dismissed")

    client_uuid = models.UUIDField(unique=True)
    payload_hash = models.CharField(max_length=64)
    session = models.ForeignKey(
        DistributionSession, on_delete=models.PROTECT, related_name="checkins"
    )
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="checkins")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RECORDED)
    conflict_reason = models.CharField(max_length=300, blank=True)
    override_reason = models.CharField(_("reason for the exception"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested = models.JSONField(default=list, help_text=_("What the phone asked to record."))
    client_recorded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["session", "status"], name="checkin_session_idx")]

    def __str__(self) -> str:
        return str(self.client_uuid)


class Handout(models.Model):
    """One line of what a person received: the record entitlements are checked against."""

    checkin = models.ForeignKey(CheckIn, on_delete=models.CASCADE, related_name="handouts")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="handouts")
    item = models.ForeignKey(ItemType, on_delete=models.PROTECT, related_name="handouts")
    size = models.CharField(max_length=12, blank=True)
    quantity = models.PositiveSmallIntegerField()
    given_at = models.DateTimeField()

    class Meta:
        ordering = ["-given_at"]
        indexes = [
            models.Index(fields=["person", "item", "-given_at"], name="handout_entitlement_idx")
        ]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="handout_quantity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.item} {self.size} x{self.quantity}"
