"""Reads of partners. Coordinators manage them; medical and legal volunteers pick from them."""

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from fieldapp.errors import NotFound
from services.accounts.models import User

from .models import Partner, PartnerService


def partners_visible(*, user: User, include_inactive: bool = False) -> QuerySet[Partner]:
    if not user.has_perm("partners.view_partner"):
        return Partner.objects.none()
    partners = Partner.objects.all()
    services = PartnerService.objects.order_by("name")
    if not include_inactive:
        partners = partners.filter(is_active=True)
        services = services.filter(is_active=True)
    return partners.prefetch_related(Prefetch("services", queryset=services))


def partner_get(*, user: User, pk: int) -> Partner:
    partner = partners_visible(user=user, include_inactive=True).filter(pk=pk).first()
    if partner is None:
        raise NotFound(_("No such partner."))
    return partner


def partner_services(
    *,
    user: User,
    area: str | None = None,
    include_inactive: bool = False,
) -> QuerySet[PartnerService]:
    """Services to refer to: active ones of active partners, unless include_inactive."""
    if not user.has_perm("partners.view_partnerservice"):
        return PartnerService.objects.none()
    services = PartnerService.objects.select_related("partner")
    if not include_inactive:
        services = services.filter(is_active=True, partner__is_active=True)
    if area:
        services = services.filter(area=area)
    return services


def partner_service_get(*, user: User, pk: int) -> PartnerService:
    service = partner_services(user=user, include_inactive=True).filter(pk=pk).first()
    if service is None:
        raise NotFound(_("No such partner."))
    return service
