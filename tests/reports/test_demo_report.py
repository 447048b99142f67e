"""The demo's donor report has something in it: donors, handouts and people served."""

import pytest
from django.utils import timezone

from fieldapp.demo import demo_load
from services.accounts.models import User
from services.sites.models import Site

pytestmark = pytest.mark.django_db


def test_the_demo_donor_report_shows_what_the_donations_became(client):
    demo_load(people=48)  # 16 at each of the three camps
    camp = Site.objects.filter(kind=Site.Kind.CAMP).order_by("pk").first()
    client.force_login(User.objects.get(username="coordinator"))
    today = timezone.localdate().isoformat()
    page = client.get("/reports/donor/", {"site": camp.pk, "since": today, "until": today})
    assert page.status_code == 200
    assert "Northern Warmth Appeal" in page.text
    assert str(page.context["report"].people_served) == "16"
    counts = {line.label: str(line.count) for line in page.context["report"].handouts}
    assert counts["Sleeping bag"] == "16"
    # 4 women's kits are hidden, so the total that would give them away is withheld.
    assert counts["Hygiene kit (women)"] == "<5"
    assert str(page.context["report"].handouts_total) == "—"
