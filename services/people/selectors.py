"""Reads of the people registry, always for a signed-in user with the right to see it."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from fieldapp.errors import NotFound

from .codes import code_normalise, code_prefix
from .models import Person
from .phones import phone_parse


class PersonNotFound(NotFound):
    pass


def _visible_people(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Person]:
    if not user.has_perm("people.view_person"):  # type: ignore[union-attr]
        return Person.objects.none()
    return Person.objects.select_related("home_site")


def person_search(
    *,
    user: AbstractBaseUser | AnonymousUser,
    query: str = "",
    site_id: int | None = None,
) -> QuerySet[Person]:
    """
    One box finds a person by card code (whole or its start), phone number in any
    format, or name. Codes and phones are exact, names match anywhere.
    """
    people = _visible_people(user)
    if site_id is not None:
        people = people.filter(home_site_id=site_id)
    query = query.strip()
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


def person_get(
    *, user: AbstractBaseUser | AnonymousUser, code: str, only: tuple[str, ...] = ()
) -> Person:
    """
    `only`: load just these fields (and the id), not the home site: for a caller that
    reads little, such as a check-in; any other field is read when first used.
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
        raise PersonNotFound(
            _("No person has the code %(code)s.") % {"code": code}, field="code", code="not_found"
        )
    return person


def people_sharing_phone(*, phone: object, exclude_pk: int | None = None) -> list[Person]:
    if not phone:
        return []
    people = Person.objects.filter(phone=phone).order_by("code")
    if exclude_pk is not None:
        people = people.exclude(pk=exclude_pk)
    return list(people[:5])
