"""
Reads of the people registry, always for a signed-in user with the right to see it.

Who finds whom:
- A list shows the people whose home site is one of the reader's sites (User.sites);
  a coordinator's lists show everyone. That is the people list and its search by
  name, phone or the start of a code, the API's list with or without filters, the
  home page's count, the cards to print by site or date, and the records named when
  a phone is already in use. A search by name or phone never reaches another site:
  browsing the registry of a camp one does not work at is what scoping prevents.
- A whole card code opens its person's record whatever their home site (person_get;
  people_with_codes for cards reprinted by code): the person is at the table holding
  their card, perhaps from another camp after an eviction, and the card is their own
  proof. A code finds the one record its holder handed over; it lists nothing.
- Every person has a home site (the column is required, and a site is closed, never
  deleted), so nobody falls outside every site. A person whose camp has closed stays
  in the lists of those who still work at it, and is found by anyone through their
  card, whose record a volunteer may then move to one of their own sites.
"""

from collections.abc import Iterable

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from fieldapp.errors import NotFound
from fieldapp.types import viewer_may
from services.accounts.scoping import in_user_sites
from services.audit.actions import audit_record, audit_record_each

from .codes import code_normalise, code_prefix
from .models import Person, ReplacedCode
from .phones import phone_parse

SEARCH_MAX_LENGTH = 100


class PersonNotFound(NotFound):
    pass


def _visible_people(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Person]:
    if not viewer_may(user, "people.view_person"):
        return Person.objects.none()
    return Person.objects.select_related("home_site")


def person_list(*, user: AbstractBaseUser | AnonymousUser) -> QuerySet[Person]:
    """The people the user's lists show: those of their sites (see the module's docstring)."""
    return in_user_sites(_visible_people(user), user=user, field="home_site")


def person_matches(people: QuerySet[Person], query: str) -> QuerySet[Person]:
    """
    One box finds a person by card code (whole or its start), phone number in any
    format, or name. Codes and phones are exact, names match anywhere. Only the first
    SEARCH_MAX_LENGTH characters count.
    """
    query = query[:SEARCH_MAX_LENGTH].strip()
    if not query:
        return people
    matches = Q(name__icontains=query)
    if code := code_normalise(query):
        matches |= Q(code=code)
    elif prefix := code_prefix(query):
        matches |= Q(code__startswith=prefix)
    if phone := phone_parse(query):
        matches |= Q(phone=phone)
    return people.filter(matches)


def person_search(
    *,
    user: AbstractBaseUser | AnonymousUser,
    query: str = "",
    site_id: int | None = None,
) -> QuerySet[Person]:
    """person_matches() among the people of the user's lists, of one site if asked."""
    people = person_list(user=user)
    if site_id is not None:
        people = people.filter(home_site_id=site_id)
    return person_matches(people, query)


def person_get(
    *, user: AbstractBaseUser | AnonymousUser, code: str, only: tuple[str, ...] = ()
) -> Person:
    """
    The person with this card code, whatever their home site: the card is the person's
    own proof (see the module's docstring). `only`: load just these fields (and the
    id), not the home site: for a caller that reads little, such as a check-in; any
    other field is read when first used.
    """
    normalised = code_normalise(code)
    if normalised is None:
        person = None
    elif only:
        people = _visible_people(user).select_related(None).only(*only)
        person = people.filter(code=normalised).first()
    else:
        person = _visible_people(user).filter(code=normalised).first()
    if person is None:
        raise person_code_refusal(code)
    return person


def person_code_refusal(typed: str, field: str = "code") -> PersonNotFound:
    """
    Why no record opens for this typed code: a card replaced by a new one (or whose
    record was merged) says "replaced", without the new code (the old card may be in
    someone else's hands); any other code is unknown.
    """
    code = code_normalise(typed)
    replaced = ReplacedCode.objects.filter(code=code).first() if code else None
    if replaced is not None:
        return PersonNotFound(
            _(
                "Card %(code)s was replaced on %(date)s and is no longer valid. "
                "Ask the person for their new card."
            )
            % {
                "code": replaced.code,
                "date": timezone.localtime(replaced.replaced_at).strftime("%d-%m-%Y"),
            },
            field=field,
            code="replaced",
        )
    return PersonNotFound(
        _("No person has the code %(code)s.") % {"code": typed}, field=field, code="not_found"
    )


def person_read(*, user: AbstractBaseUser | AnonymousUser, code: str) -> Person:
    """person_get() for showing the person's page: the read is in the audit log."""
    person = person_get(user=user, code=code)
    audit_record(actor=user, action="person.read", target=person)
    return person


def people_found(*, user: AbstractBaseUser | AnonymousUser, people: list[Person]) -> list[Person]:
    """
    Record that a search showed these people: one entry each, so "who has looked for
    this person" is answered. The words searched are not kept (a name or a phone).
    """
    audit_record_each(actor=user, action="person.search", targets=people)
    return people


def people_with_codes(
    *, user: AbstractBaseUser | AnonymousUser, codes: Iterable[str]
) -> QuerySet[Person]:
    """The holders of these whole card codes (stored form), wherever registered: see person_get."""
    return _visible_people(user).filter(code__in=list(codes))


def people_sharing_phone(
    *,
    phone: object,
    exclude_pk: int | None = None,
    user: AbstractBaseUser | AnonymousUser | None = None,
) -> list[Person]:
    """
    Up to five records with this phone: any record at all (user None, for the rule that
    a phone is on one record unless the volunteer confirms), or those the user's lists
    show (to name them on the screen: a phone number is a search, see above).
    """
    if not phone:
        return []
    people = Person.objects.all() if user is None else person_list(user=user)
    people = people.filter(phone=phone).order_by("code")
    if exclude_pk is not None:
        people = people.exclude(pk=exclude_pk)
    return list(people[:5])
