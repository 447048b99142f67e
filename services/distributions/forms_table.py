"""
Forms of the distribution table (views_table.py), and how their choices are shown.

A handed-out line travels as one checkbox value "<item id>:<size>" (size empty for an
item without sizes), with an optional "qty-<value>" select when more than one may be
taken. The same shape serves the server-rendered form, checkin.js and the offline form.
"""

from dataclasses import dataclass, field
from typing import Any, cast

from django import forms
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fieldapp.languages import Language
from services.people.codes import code_normalise
from services.people.models import NAME_MAX_LENGTH, Person
from services.people.phones import phone_parse
from services.people.selectors import PersonNotFound, person_get, person_search

from .actions.checkin import Line
from .models import ItemType, SessionItem, StockBalance
from .selectors import OfferStatus
from .sizes import sorted_sizes

QUERY_MAX_LENGTH = 40
CANDIDATES_SHOWN = 10
MAX_QUANTITY_CHOICE = 10
# "N left" is shown on a tile only from this many down: above it, the count is clutter.
LOW_STOCK_SHOWN_AT = 5


def line_value(item_id: int, size: str) -> str:
    return f"{item_id}:{size}"


def _sizes(offer_sizes: list[str], item: ItemType) -> list[str]:
    """An offer without sizes of its own hands out every size of the item; in shop order."""
    return sorted_sizes(list(offer_sizes) or list(item.sizes)) or [""]


@dataclass(frozen=True)
class Choice:
    value: str
    size: str
    label: str
    on_hand: int | None = None  # None: not shown (the offline form)

    @property
    def none_left(self) -> bool:
        return self.on_hand is not None and self.on_hand < 1

    @property
    def low(self) -> bool:
        """Few enough left that the volunteer should know (none left shows as disabled)."""
        return self.on_hand is not None and 0 < self.on_hand <= LOW_STOCK_SHOWN_AT


@dataclass(frozen=True)
class OfferRow:
    """One offered item on the screen: its sizes as tappable choices, and what is allowed."""

    item: ItemType
    choices: list[Choice]
    quantities: list[int] = field(default_factory=list)  # empty: one of each
    status: OfferStatus | None = None

    @property
    def blocked(self) -> bool:
        return self.status is not None and self.status.allowed_now < 1

    @property
    def whole(self) -> bool:
        """An item without sizes: one tile named after the item, no heading above it."""
        return not self.choices[0].size


def _choices(
    item: ItemType, sizes: list[str], stock: dict[tuple[int, str], int] | None
) -> list[Choice]:
    name = item.display_name()
    return [
        Choice(
            line_value(item.pk, size),
            size,
            f"{name} {size}".strip(),
            None if stock is None else stock.get((item.pk, size.upper()), 0),
        )
        for size in sizes
    ]


def offer_rows(offers: list[SessionItem]) -> list[OfferRow]:
    """Every offer of the session, for the offline form: nothing about a person."""
    return [
        OfferRow(
            offer.item,
            _choices(offer.item, _sizes(offer.sizes, offer.item), None),
            list(range(1, min(offer.limit_per_person, MAX_QUANTITY_CHOICE) + 1))
            if offer.limit_per_person > 1
            else [],
        )
        for offer in offers
    ]


def entitled_rows(
    statuses: list[OfferStatus], offers: list[SessionItem], balances: list[StockBalance]
) -> list[OfferRow]:
    """The offers as one person may take them now, with the stock left per size."""
    offered_sizes = {offer.item_id: offer.sizes for offer in offers}
    stock = {(b.item_id, b.size.upper()): b.quantity for b in balances}
    rows = []
    for status in statuses:
        item = status.item
        allowed = min(status.allowed_now, MAX_QUANTITY_CHOICE)
        rows.append(
            OfferRow(
                item,
                _choices(item, _sizes(offered_sizes.get(item.pk, status.sizes), item), stock),
                list(range(1, allowed + 1)) if allowed > 1 else [],
                status,
            )
        )
    return rows


def describe_lines(lines: list[Line], items: dict[int, ItemType]) -> str:
    """'Shoes 42, Jumper M ×2': what was handed over, in the volunteer's language."""
    parts = []
    for line in lines:
        item = items.get(line.item_id)
        text = f"{item.display_name() if item else line.item_id} {line.size}".strip()
        parts.append(f"{text} ×{line.quantity}" if line.quantity > 1 else text)
    return ", ".join(parts)


@dataclass(frozen=True)
class Lookup:
    query: str
    person: Person | None = None
    candidates: list[Person] = field(default_factory=list)
    message: str = ""


def find_person(*, user: AbstractBaseUser | AnonymousUser, query: str) -> Lookup:
    """
    The one box at the table: a card code (any case, with or without the hyphen) opens
    that person; a phone number opens its one person, or lists the people sharing it.
    """
    query = (query or "").strip()[:QUERY_MAX_LENGTH]
    not_found = _("Nobody found for “%(query)s”. Check the code or the number.") % {"query": query}
    if code_normalise(query):
        try:
            return Lookup(query, person=person_get(user=user, code=query))
        except PersonNotFound as error:
            not_found = error.message  # a name can look like a code ('Samuel'): search on
    people = list(person_search(user=user, query=query).order_by("code")[:CANDIDATES_SHOWN])
    if len(people) == 1 and phone_parse(query) is not None:
        return Lookup(query, person=people[0])
    if not people:
        return Lookup(query, message=not_found)
    return Lookup(query, candidates=people)


class RecordForm(forms.Form):
    """What the volunteer handed over; uuid was made when the form was shown."""

    uuid = forms.UUIDField(widget=forms.HiddenInput)
    person = forms.CharField(max_length=20, widget=forms.HiddenInput)
    line = forms.MultipleChoiceField(
        choices=(),
        error_messages={
            "required": gettext_lazy("Tap at least one item."),
            "invalid_choice": gettext_lazy("This item is not handed out at this distribution."),
        },
    )

    def __init__(self, *args: Any, offers: list[SessionItem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        values = [
            line_value(offer.item_id, size)
            for offer in offers
            for size in _sizes(offer.sizes, offer.item)
        ]
        cast(forms.ChoiceField, self.fields["line"]).choices = [(value, value) for value in values]

    def lines(self) -> list[Line]:
        result = []
        for value in self.cleaned_data["line"]:
            item_id, size = value.split(":", 1)
            raw = str(self.data.get(f"qty-{value}", "1"))
            quantity = int(raw) if raw.isdigit() else 1
            result.append(Line(int(item_id), size, max(1, min(quantity, MAX_QUANTITY_CHOICE))))
        return result


class RegisterForm(forms.Form):
    """A person without a card, at the table: the least the registry needs."""

    name = forms.CharField(
        label=gettext_lazy("First name or nickname"),
        required=False,
        max_length=NAME_MAX_LENGTH,
        help_text=gettext_lazy("Optional. Only what the person wants to be called."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Language for SMS"),
        choices=Language.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Choose the language the person reads."),
            "invalid_choice": gettext_lazy("Choose one of the listed languages."),
        },
    )


class TicketForm(forms.Form):
    """One tap: a plain ticket, a ticket for an item and size, or calling the next number."""

    do = forms.ChoiceField(choices=[("issue", "issue"), ("call", "call")])
    want = forms.ChoiceField(choices=(), required=False)

    def __init__(self, *args: Any, offers: list[SessionItem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = {offer.item_id: offer.item for offer in offers}
        values = [
            line_value(offer.item_id, size)
            for offer in offers
            for size in _sizes(offer.sizes, offer.item)
        ]
        cast(forms.ChoiceField, self.fields["want"]).choices = [("", ""), *((v, v) for v in values)]

    def item_and_size(self) -> tuple[ItemType | None, str]:
        want = self.cleaned_data.get("want") or ""
        if not want:
            return None, ""
        item_id, size = want.split(":", 1)
        return self.items[int(item_id)], size
