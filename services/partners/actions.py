"""Writes for partners and their services. Coordinators only; views and API ask the rules."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from fieldapp.errors import DomainError
from fieldapp.text import clean_display_text
from services.accounts.models import User
from services.audit.actions import audit_record, model_update

from .models import Partner, PartnerService, languages_validate

PARTNER_FIELDS = (
    "name",
    "kind",
    "address",
    "sms_place",
    "opening_hours",
    "languages",
    "contact_name",
    "contact_phone",
    "contact_email",
    "is_active",
)
SERVICE_FIELDS = ("name", "description", "area", "is_active")
_ONE_LINE = ("name", "sms_place", "contact_name")


def _clean_partner(values: dict[str, Any], *, exclude_pk: int | None) -> dict[str, Any]:
    for field in _ONE_LINE:
        if field in values:
            values[field] = clean_display_text(str(values[field] or ""))
    if not values.get("name"):
        raise DomainError(_("A partner needs a name."), field="name", code="required")
    if not values.get("sms_place"):
        raise DomainError(
            _("Give a short, neutral place name for SMS."), field="sms_place", code="required"
        )
    try:
        languages_validate(values.get("languages", []))
    except ValidationError as error:
        raise DomainError(error.messages[0], field="languages") from error
    values["languages"] = list(dict.fromkeys(values.get("languages", [])))
    clash = Partner.objects.filter(name__iexact=values["name"])
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise DomainError(
            _("A partner called %(name)s already exists.") % {"name": values["name"]},
            field="name",
            code="duplicate",
        )
    return values


def _check_fields(given: dict[str, Any], allowed: tuple[str, ...], function: str) -> None:
    unknown = set(given) - set(allowed)
    if unknown:
        raise TypeError(f"{function}() got unknown fields {sorted(unknown)}")


@transaction.atomic
def partner_create(*, actor: User, **values: Any) -> Partner:
    _check_fields(values, PARTNER_FIELDS, "partner_create")
    partner = Partner.objects.create(**_clean_partner(values, exclude_pk=None))
    audit_record(actor=actor, action="partner.create", target=partner)
    return partner


@transaction.atomic
def partner_update(*, actor: User, partner: Partner, **changes: Any) -> Partner:
    """Change some fields; `is_active=False` deactivates (nothing is deleted)."""
    _check_fields(changes, PARTNER_FIELDS, "partner_update")
    values = {field: getattr(partner, field) for field in PARTNER_FIELDS} | changes
    values = _clean_partner(values, exclude_pk=partner.pk)
    model_update(partner, values, actor=actor, action="partner.update")
    return partner


def _clean_service(
    values: dict[str, Any], *, partner: Partner, exclude_pk: int | None
) -> dict[str, Any]:
    values["name"] = clean_display_text(str(values.get("name") or ""))
    if not values["name"]:
        raise DomainError(_("A service needs a name."), field="name", code="required")
    clash = partner.services.filter(name__iexact=values["name"])
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise DomainError(
            _("%(partner)s already has a service called %(name)s.")
            % {"partner": partner.name, "name": values["name"]},
            field="name",
            code="duplicate",
        )
    return values


@transaction.atomic
def partner_service_create(*, actor: User, partner: Partner, **values: Any) -> PartnerService:
    _check_fields(values, SERVICE_FIELDS, "partner_service_create")
    values = _clean_service(values, partner=partner, exclude_pk=None)
    service = PartnerService.objects.create(partner=partner, **values)
    audit_record(actor=actor, action="partner.service.create", target=service)
    return service


@transaction.atomic
def partner_service_update(
    *, actor: User, service: PartnerService, **changes: Any
) -> PartnerService:
    _check_fields(changes, SERVICE_FIELDS, "partner_service_update")
    values = {field: getattr(service, field) for field in SERVICE_FIELDS} | changes
    values = _clean_service(values, partner=service.partner, exclude_pk=service.pk)
    model_update(service, values, actor=actor, action="partner.service.update")
    return service
