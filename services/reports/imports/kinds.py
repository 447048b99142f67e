"""
What one row of each kind of file becomes, through the same actions as the screens:
stock_receive, invitation_create and user_stay_extend, person_register and
person_update. A row they refuse is refused with their words.

Each handler returns (verb, summary): "create" or "change", and what it did in words.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from fieldapp.errors import DomainError
from fieldapp.phones import phone_parse
from services.accounts.actions.invitations import invitation_create
from services.accounts.actions.stays import user_stay_extend
from services.accounts.models import User
from services.accounts.roles import Role
from services.distributions.actions.stock import stock_receive
from services.distributions.models import ItemType
from services.people.actions import person_register, person_update
from services.people.models import Person
from services.sites.models import Site

from .cells import date_cell, language_cell, site_cell, whole_number, yes_no

Outcome = tuple[str, str]


@dataclass(frozen=True)
class Context:
    actor: User
    base_url: str
    sites: dict[str, Site]
    items: dict[str, ItemType]


@dataclass(frozen=True)
class Kind:
    required: list[str]
    optional: list[str]
    apply: Callable[[Context, dict[str, Any]], Outcome]


def _phone(value: Any) -> Any:
    if not value:
        return None
    phone = phone_parse(str(value))
    if phone is None:
        raise DomainError(
            _("%(value)s is not a phone number we can send to.") % {"value": str(value)[:30]},
            code="phone",
        )
    return phone


def stock_row(context: Context, row: dict[str, Any]) -> Outcome:
    item = context.items.get(str(row["item"]).lower())
    if item is None:
        raise DomainError(
            _("There is no item called %(name)s.") % {"name": str(row["item"])[:60]},
            code="item",
        )
    site = site_cell(row["site"], context.sites)
    quantity = whole_number(row["quantity"], "quantity")
    stock_receive(
        actor=context.actor,
        site=site,
        item=item,
        size=str(row.get("size", "")),
        quantity=quantity,
        reason=_("Imported from a spreadsheet"),
        donor=str(row.get("donor", "")),
        expires_on=date_cell(row.get("expires_on"), "expires_on"),
    )
    return "create", _("%(count)d × %(item)s %(size)s received at %(site)s") % {
        "count": quantity,
        "item": item,
        "size": row.get("size", ""),
        "site": site,
    }


def volunteer_row(context: Context, row: dict[str, Any]) -> Outcome:
    phone, email = _phone(row.get("phone")), str(row.get("email", ""))
    leaves_on = date_cell(row.get("leaves_on"), "leaves_on")
    address = Q(phone=phone) if phone else Q(email__iexact=email) if email else None
    accounts = User.objects.filter(
        Q(invitation__isnull=True) | Q(invitation__accepted_at__isnull=False)
    )
    account = accounts.filter(address).first() if address else None
    if account is not None and leaves_on is not None:
        user_stay_extend(actor=context.actor, user=account, leaves_on=leaves_on)
        return "change", _("%(user)s stays until %(date)s") % {
            "user": account.get_username(),
            "date": leaves_on.strftime("%d/%m/%Y"),
        }
    role = str(row.get("role") or Role.VOLUNTEER).lower()
    names = [n for n in str(row.get("sites", "")).replace(",", ";").split(";") if n.strip()]
    sites = [site_cell(name, context.sites) for name in names]
    language = str(row.get("language", "")).lower()
    invitation_create(
        actor=context.actor,
        role=role,
        sites=sites,
        base_url=context.base_url,
        phone=phone,
        email=email,
        language=language,
    )
    return "create", _("Invitation to %(address)s as %(role)s") % {
        "address": phone or email,
        "role": dict(Role.choices).get(role, role),
    }


def person_row(context: Context, row: dict[str, Any]) -> Outcome:
    values: dict[str, Any] = {
        "name": str(row.get("name", "")),
        "phone": _phone(row.get("phone")),
        "language": language_cell(row["language"]),
        "sms_consent": yes_no(row.get("sms_consent", ""), "sms_consent"),
        "home_site": site_cell(row["site"], context.sites),
    }
    code = str(row.get("code", "")).upper()
    if code:
        person = Person.objects.filter(code=code).first()
        if person is None:
            raise DomainError(
                _("There is no card %(code)s: leave the code empty to register someone new.")
                % {"code": code[:10]},
                code="code",
            )
        values["phone"] = values["phone"] or ""
        person_update(actor=context.actor, person=person, **values)
        return "change", _("Card %(code)s updated") % {"code": person.code}
    values["phone"] = values["phone"] or None
    person = person_register(actor=context.actor, **values)
    return "create", _("New card %(code)s") % {"code": person.code}


KINDS = {
    "stock": Kind(["site", "item", "quantity"], ["size", "donor", "expires_on"], stock_row),
    "volunteers": Kind(
        [], ["phone", "email", "role", "sites", "language", "leaves_on"], volunteer_row
    ),
    "people": Kind(["language", "site"], ["code", "name", "phone", "sms_consent"], person_row),
}
