"""
A record of every export asked for (made or refused) and of every file brought in.

Export is what the audit log points to: which records, which dates, which sites, with
or without names and phone numbers, and why. ImportFile keeps an uploaded spreadsheet
between its dry run and its import, so the import runs on the very rows the coordinator
checked; its content is emptied once it is imported or thrown away.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Dataset(models.TextChoices):
    DISTRIBUTIONS = "distributions", _("Distributions (what was handed out)")
    STOCK = "stock", _("Stock movements")
    REFERRALS = "referrals", _("Referrals (no notes)")
    APPOINTMENTS = "appointments", _("Legal appointments (no notes)")
    SHIFTS = "shifts", _("Shifts")
    MESSAGES = "messages", _("SMS and e-mails (no text)")


class FileFormat(models.TextChoices):
    CSV = "csv", "CSV"
    XLSX = "xlsx", "XLSX"


class Build(models.TextChoices):
    WAITING = "waiting", _("Waiting for its turn")
    BUILDING = "building", _("Being made")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Could not be made")
    EXPIRED = "expired", _("Link expired")


class Export(models.Model):
    class Outcome(models.TextChoices):
        MADE = "made", _("Made")
        REFUSED = "refused", _("Refused")

    dataset = models.CharField(_("records"), max_length=16, choices=Dataset.choices)
    file_format = models.CharField(_("format"), max_length=4, choices=FileFormat.choices)
    since = models.DateField(_("from"))
    until = models.DateField(_("to"))
    site_ids = models.JSONField(_("sites"), default=list, blank=True)
    with_identities = models.BooleanField(_("with names and phone numbers"), default=False)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    outcome = models.CharField(max_length=8, choices=Outcome.choices)
    refusal = models.CharField(max_length=200, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    # An XLSX file is built by a Celery task (exports/files.py): how far it has got, and
    # the file's name under EXPORT_DIR until its link expires.
    build = models.CharField(max_length=10, choices=Build.choices, blank=True)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    stored_as = models.CharField(max_length=64, blank=True, editable=False)
    expires_at = models.DateTimeField(_("link expires"), null=True, blank=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-requested_at", "-id"]
        permissions = [
            ("export_identities", _("May export names and phone numbers, giving a reason")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(with_identities=False) | ~Q(reason=""),
                name="export_identities_need_reason",
            ),
            models.CheckConstraint(condition=Q(until__gte=models.F("since")), name="export_dates"),
        ]

    def __str__(self) -> str:
        return f"{self.dataset} {self.since}..{self.until}"


class ImportFile(models.Model):
    class Kind(models.TextChoices):
        STOCK = "stock", _("Stock received")
        VOLUNTEERS = "volunteers", _("Volunteers")
        PEOPLE = "people", _("People")

    class State(models.TextChoices):
        CHECKED = "checked", _("Checked, not imported")
        IMPORTED = "imported", _("Imported")
        DISCARDED = "discarded", _("Thrown away")

    kind = models.CharField(_("what"), max_length=12, choices=Kind.choices)
    file_name = models.CharField(_("file"), max_length=200)
    content = models.BinaryField(default=bytes, editable=False)
    sha256 = models.CharField(max_length=64)
    state = models.CharField(max_length=10, choices=State.choices, default=State.CHECKED)
    rows = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    imported_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("imported file")
        verbose_name_plural = _("imported files")
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return self.file_name
