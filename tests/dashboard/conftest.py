import datetime
import uuid

import pytest
from django.utils import timezone

from services.distributions.models import CheckIn, DistributionSession, Handout, ItemType
from services.people.models import Person
from tests.factories import PersonFactory


@pytest.fixture
def blanket(db):
    return ItemType.objects.create(name="Blanket", category=ItemType.Category.BEDDING)


@pytest.fixture
def serve(blanket):
    """serve(site, day, people): each person checked in at that day's session, one blanket."""

    def serve(site, day: datetime.date, people) -> DistributionSession:
        session, _ = DistributionSession.objects.get_or_create(
            site=site,
            date=day,
            defaults={
                "starts_at": datetime.time(10),
                "ends_at": datetime.time(12),
                "status": DistributionSession.Status.CLOSED,
            },
        )
        for person in people:
            checkin = CheckIn.objects.create(
                client_uuid=uuid.uuid4(), payload_hash="x", session=session, person=person
            )
            Handout.objects.create(
                checkin=checkin,
                person=person,
                item=blanket,
                quantity=1,
                given_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(11))),
            )
        return session

    return serve


@pytest.fixture
def people(site):
    """people(n, registered=day): n people registered (given their card) that day."""

    def make(n: int, registered: datetime.date | None = None) -> list:
        made = [PersonFactory(home_site=site) for _ in range(n)]
        if registered is not None:
            at = timezone.make_aware(datetime.datetime.combine(registered, datetime.time(10)))
            Person.objects.filter(pk__in=[p.pk for p in made]).update(created_at=at)
        return made

    return make
