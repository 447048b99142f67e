"""
The booking offer: the next free slots for a person's language, each told in words a
volunteer reads at a glance (when, where, who advises, who interprets and how), and
each one tap from being held. The slots themselves are services/scheduling/slots.py's.
"""

from dataclasses import dataclass

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from services.scheduling.slots import Slot

from .selectors import place_label

# How many slots the offer shows before "More times".
FIRST_OFFERED = 6


@dataclass(frozen=True)
class Offer:
    key: str
    when: str
    place: str
    by_phone: bool
    who: str


def _who(slot: Slot) -> str:
    advisor = slot.advisor.get_username()
    if slot.interpreter is None:
        return _("%(advisor)s, who speaks the language") % {"advisor": advisor}
    if slot.interpreter_by_phone and slot.site is not None:
        return _("%(advisor)s, with %(interpreter)s interpreting by phone") % {
            "advisor": advisor,
            "interpreter": slot.interpreter.get_username(),
        }
    return _("%(advisor)s, with %(interpreter)s interpreting") % {
        "advisor": advisor,
        "interpreter": slot.interpreter.get_username(),
    }


def slot_when(slot: Slot) -> str:
    """'Tuesday 8 December, 09:00': the weekday and month in words, the day first."""
    local = timezone.localtime(slot.starts_at)
    return _("%(day)s, %(time)s") % {
        "day": formats.date_format(local, "l j F"),
        "time": local.strftime("%H:%M"),
    }


def offers_of(slots: list[Slot]) -> list[Offer]:
    return [
        Offer(
            key=slot.key,
            when=slot_when(slot),
            place=place_label(slot.site),
            by_phone=slot.site is None,
            who=_who(slot),
        )
        for slot in slots
    ]


def slot_label(slot: Slot) -> str:
    """The slot on one line, for a list of choices (moving an appointment)."""
    offer = offers_of([slot])[0]
    return "%(when)s · %(place)s · %(who)s" % {
        "when": offer.when,
        "place": offer.place,
        "who": offer.who,
    }
