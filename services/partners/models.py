"""
Partner organisations (clinics, dentists, lawyers, ...) and the services they offer.
A referral or an appointment points at a PartnerService; the partner's `sms_place` is
the only part of it that ever goes into an SMS.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from fieldapp.languages import Language


class Area(models.TextChoices):
    """The kind of care a partner's service gives: which team refers to it."""

    MEDICAL = "medical", _("Medical")
    LEGAL = "legal", _("Legal")


def languages_validate(value: object) -> None:
    """A list of fieldapp language codes, each once."""
    codes = set(Language.values)
    if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
        raise ValidationError(_("Languages must be a list of language codes."), code="invalid")
    unknown = [code for code in value if code not in codes]
    if unknown:
        raise ValidationError(
            _("Unknown language: %(codes)s.") % {"codes": ", ".join(unknown)}, code="invalid"
        )


class Partner(models.Model):
    class Kind(models.TextChoices):
        PASS = "pass", _("Hospital free clinic (PASS)")
        NGO_CLINIC = "ngo_clinic", _("NGO clinic")
        DENTIST = "dentist", _("Dentist")
        PSYCHOLOGIST = "psychologist", _("Psychologist")
        LEGAL_ORGANISATION = "legal_organisation", _("Legal organisation")
        LAWYER = "lawyer", _("Lawyer")

    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    address = models.TextField(_("address"), blank=True)
    sms_place = models.CharField(
        _("place name in SMS"),
        max_length=40,
        help_text=_(
            "A short, neutral name of the place for SMS reminders, e.g. a street or a "
            "building. Never the kind of service: the phone may be shared."
        ),
    )
    opening_hours = models.TextField(_("opening hours"), blank=True)
    languages = models.JSONField(
        _("languages spoken"), default=list, blank=True, validators=[languages_validate]
    )
    contact_name = models.CharField(_("contact name"), max_length=80, blank=True)
    contact_phone = PhoneNumberField(_("contact phone"), blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Partners are deactivated, never deleted.")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="partner_name_unique_case_insensitive"),
            models.CheckConstraint(condition=~models.Q(sms_place=""), name="partner_sms_place"),
        ]

    def __str__(self) -> str:
        return self.name


class PartnerService(models.Model):
    partner = models.ForeignKey(
        Partner, verbose_name=_("partner"), on_delete=models.PROTECT, related_name="services"
    )
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    area = models.CharField(_("area"), max_length=8, choices=Area.choices)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("partner service")
        verbose_name_plural = _("partner services")
        ordering = ["partner__name", "name"]
        constraints = [
            models.UniqueConstraint(
                "partner", Lower("name"), name="partner_service_name_unique_per_partner"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partner.name} · {self.name}"
