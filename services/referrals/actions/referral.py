"""Making a referral: a draft, or (with the person's consent) sent to the partner at once."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fieldapp.errors import DomainError
from services.accounts.models import User
from services.accounts.scoping import user_site_ids
from services.audit.actions import audit_record
from services.partners.models import Area, PartnerService
from services.people.models import Person
from services.sites.models import Site

from ..models import Referral, ReferralEvent, Status
from .workflow import no_consent_message, referral_refer

NOTES_MAX_LENGTH = 4000


def _check_site(actor: User, site: Site) -> None:
    """A referral is made where the medical volunteer works: one of their sites."""
    site_ids = user_site_ids(actor)
    if site_ids is not None and site.pk not in site_ids:
        raise DomainError(_("Choose one of your sites."), field="site", code="not_yours")


def _check_service(service: PartnerService) -> None:
    if service.area != Area.MEDICAL:
        raise DomainError(
            _("Choose a medical service: this one is not."), field="service", code="not_medical"
        )
    if not (service.is_active and service.partner.is_active):
        raise DomainError(
            _("This service is no longer offered. Choose another."),
            field="service",
            code="inactive",
        )


@transaction.atomic
def referral_create(
    *,
    actor: User,
    person: Person,
    service: PartnerService,
    site: Site,
    urgency: str,
    reason_category: str,
    clinical_notes: str = "",
    interpreter_language: str = "",
    consent: bool = False,
    refer: bool = True,
) -> Referral:
    """
    A new referral. With refer=True it goes to the partner at once, which needs the
    person's consent: without it nothing is written. With refer=False it stays a draft.
    """
    if not actor.has_perm("referrals.add_referral"):
        raise PermissionDenied
    _check_site(actor, site)
    _check_service(service)
    if refer and not consent:
        raise DomainError(
            no_consent_message(),
            field="consent",
            code="no_consent",
        )
    if len(clinical_notes) > NOTES_MAX_LENGTH:
        raise DomainError(
            _("Use at most %(max)d characters.") % {"max": NOTES_MAX_LENGTH},
            field="clinical_notes",
            code="too_long",
        )
    referral = Referral.objects.create(
        person=person,
        service=service,
        site=site,
        urgency=urgency,
        reason_category=reason_category,
        clinical_notes=clinical_notes.strip(),
        interpreter_language=interpreter_language,
        consent_to_share=consent,
        consent_at=timezone.now() if consent else None,
        consent_by=actor if consent else None,
        created_by=actor,
    )
    ReferralEvent.objects.create(referral=referral, status=Status.DRAFT, by=actor)
    fields = ["clinical_notes"] if referral.clinical_notes else []
    audit_record(
        actor=actor,
        action="referral.create",
        target=referral,
        details={"fields": fields, "consent": consent},
    )
    if refer:
        referral = referral_refer(actor=actor, referral=referral, consent=consent)
    return referral
