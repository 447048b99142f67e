"""
The people served. DOMAIN.md sets the limit: a pseudonymous code, an optional first
name or nickname, an optional phone, the language for SMS, consent and a home site.
Nothing else about a person is stored here; add nothing without an issue asking.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from fieldapp.languages import Language

NAME_MAX_LENGTH = 60


class Person(models.Model):
    code = models.CharField(_("card code"), max_length=7, unique=True, editable=False)
    name = models.CharField(_("first name or nickname"), max_length=NAME_MAX_LENGTH, blank=True)
    phone = PhoneNumberField(_("phone"), blank=True, db_index=True)
    language = models.CharField(_("language for SMS"), max_length=8, choices=Language.choices)
    phone_invalid_at = models.DateTimeField(
        null=True, blank=True, help_text=_("When the provider last refused or bounced this number.")
    )
    phone_invalid_reason = models.CharField(_("phone problem"), max_length=200, blank=True)
    sms_consent = models.BooleanField(_("agrees to SMS"), default=False)
    sms_consent_changed_at = models.DateTimeField(null=True, blank=True)
    sms_consent_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    home_site = models.ForeignKey(
        "sites.Site", verbose_name=_("home site"), on_delete=models.PROTECT, related_name="people"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    last_seen_at = models.DateTimeField(
        default=timezone.now, help_text=_("Inactive records are anonymised after a set period.")
    )
    # Set when the name, phone and free text were removed (services/privacy): the code
    # and the counts stay for the statistics. A person seen again after it has a live
    # record until they are inactive once more.
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True)
    # Set when the record was erased at the person's request: anonymised, and given a new
    # code, so the card they hold leads nowhere.
    erased_at = models.DateTimeField(_("erased"), null=True, blank=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["-last_seen_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(sms_consent=False) | ~Q(phone=""),
                name="person_sms_consent_needs_phone",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        return reverse("people:detail", kwargs={"code": self.code})


class ReplacedCode(models.Model):
    """
    A card code no longer in use: the card was lost, taken or worn out and a new one
    issued, or its record was merged into another. The person keeps their history on
    their one record; the old card is refused at the table as "replaced", never taken
    for someone else: a new code is never one in this table (actions_records.py).
    """

    class Reason(models.TextChoices):
        LOST = "lost", _("Lost")
        CONFISCATED = "confiscated", _("Taken away")
        DAMAGED = "damaged", _("Worn out or damaged")
        MERGED = "merged", _("Record merged into another")

    code = models.CharField(_("old card code"), max_length=7, unique=True)
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="replaced_codes", verbose_name=_("person")
    )
    reason = models.CharField(_("why"), max_length=12, choices=Reason.choices)
    replaced_at = models.DateTimeField(_("replaced"), default=timezone.now)
    replaced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("replaced card")
        verbose_name_plural = _("replaced cards")
        ordering = ["-replaced_at"]

    def __str__(self) -> str:
        return self.code
