"""
Erasure at a person's request: the one write a coordinator makes here.

An erased record keeps its row, and every check-in, handout, referral, appointment and
message that points to it, so the stock ledgers and the statistics add up as before.
What goes is what forget.py removes, and the card code: the record gets a new one,
which no card carries, so the card the person holds leads nowhere. The reason is one
of a list, never free text: the audit log holds no words about a person.
"""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fieldapp.errors import DomainError
from services.accounts.models import User
from services.audit.actions import audit_record
from services.legal.models import Appointment
from services.people.codes import code_generate
from services.people.models import Person
from services.referrals.models import Referral, Status

from .forget import person_details_forget


class ErasureReason(models.TextChoices):
    ASKED = "asked", gettext_lazy("The person asked for it")
    CONSENT_WITHDRAWN = "consent_withdrawn", gettext_lazy("The person withdrew their consent")
    MISTAKE = "mistake", gettext_lazy("Registered by mistake")
    DUPLICATE = "duplicate", gettext_lazy("A duplicate of another record")


def _check_nothing_open(person: Person) -> None:
    """An appointment still booked holds a volunteer's time: it is closed first, by its team."""
    referrals = Referral.objects.filter(
        person=person, status__in=[Status.REFERRED, Status.BOOKED]
    ).exists()
    appointments = Appointment.objects.filter(
        person=person,
        status__in=[Appointment.Status.BOOKED, Appointment.Status.CONFIRMED],
        ends_at__gt=timezone.now(),
    ).exists()
    if referrals or appointments:
        raise DomainError(
            _(
                "This person still has an open referral or a booked legal appointment. "
                "Ask the medical or legal team to close or cancel it, then erase the record."
            ),
            code="still_open",
        )


def _new_code(person: Person) -> str:
    for _attempt in range(5):
        code = code_generate()
        try:
            with transaction.atomic():
                Person.objects.filter(pk=person.pk).update(code=code)
        except IntegrityError:
            continue  # a code collision: one in a billion
        return code
    raise DomainError(_("Could not make a new card code. Try again."), code="code_exhausted")


@transaction.atomic
def person_erase(*, actor: User, person: Person, reason: str) -> Person:
    """Erase the person's record at their request, as the module's docstring says."""
    if not actor.has_perm("privacy.erase_person", person):
        raise PermissionDenied
    if reason not in ErasureReason.values:
        raise DomainError(
            _("Choose why the record is erased."), field="reason", code="invalid_choice"
        )
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.erased_at is not None:
        raise DomainError(_("This record was erased already."), code="already_erased")
    _check_nothing_open(person)
    person_details_forget(person=person)
    # The codes of their earlier cards go too: kept, they would tie the cards to the record.
    person.replaced_codes.all().delete()
    _new_code(person)
    Person.objects.filter(pk=person.pk).update(erased_at=timezone.now())
    audit_record(actor=actor, action="person.erase", target=person, details={"reason": reason})
    person.refresh_from_db()
    return person
