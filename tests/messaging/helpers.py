"""Shared set-up for the messaging tests."""

from services.people.phones import phone_parse
from tests.factories import PersonFactory

CONTEXT = {"date": "28/11", "time": "15:00", "place": "PASS Calais"}


def opted_in(site, phone="0612345678", language="ar", **kwargs):
    return PersonFactory(
        home_site=site, phone=phone_parse(phone), sms_consent=True, language=language, **kwargs
    )
