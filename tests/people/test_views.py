from django.urls import reverse

from services.people.models import Person
from tests.factories import PersonFactory, SiteFactory


def test_the_people_list_needs_a_sign_in(client):
    response = client.get(reverse("people:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_registering_through_the_form(client, volunteer, site):
    client.force_login(volunteer)
    response = client.post(
        reverse("people:create"),
        {
            "name": "Ali",
            "phone": "07 65 43 21 09",
            "language": "ps",
            "home_site": site.pk,
            "sms_consent": "on",
        },
    )
    person = Person.objects.get()
    assert response.status_code == 302 and response["Location"] == person.get_absolute_url()
    assert str(person.phone) == "+33765432109" and person.sms_consent


def test_bad_input_is_refused_with_messages_and_what_was_typed_is_kept(client, volunteer, site):
    client.force_login(volunteer)
    typed_name = "N" * 70
    response = client.post(
        reverse("people:create"),
        {"name": typed_name, "phone": "12", "language": "xx", "home_site": site.pk},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "This is not a phone number we can send to" in page
    assert "Choose one of the listed languages." in page
    assert 'value="12"' in page and typed_name in page
    assert not Person.objects.exists()


def test_errors_are_shown_in_the_volunteers_language(client, volunteer, site):
    client.force_login(volunteer)
    client.cookies["django_language"] = "fr"
    response = client.post(reverse("people:create"), {"phone": "12", "home_site": site.pk})
    page = response.content.decode()
    assert 'lang="fr"' in page
    assert "This is not a phone number we can send to" not in page
    assert not Person.objects.exists()


def test_a_duplicate_phone_shows_a_warning_linking_to_the_other_record(client, volunteer, site):
    client.force_login(volunteer)
    first = PersonFactory(home_site=site, phone="+33612345678")
    form = {"phone": "06 12 34 56 78", "language": "ar", "home_site": site.pk}
    response = client.post(reverse("people:create"), form)
    assert response.status_code == 200
    assert first.get_absolute_url() in response.content.decode()
    assert Person.objects.count() == 1
    response = client.post(reverse("people:create"), {**form, "allow_shared_phone": "on"})
    assert response.status_code == 302 and Person.objects.count() == 2


def test_names_are_escaped_when_shown(client, volunteer, site):
    client.force_login(volunteer)
    person = PersonFactory(home_site=site, name="<script>alert(1)</script>")
    page = client.get(person.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


def test_searching_an_exact_code_opens_the_record(client, volunteer, site):
    client.force_login(volunteer)
    person = PersonFactory(home_site=site)
    response = client.get(reverse("people:list"), {"q": person.code.lower()})
    assert response.status_code == 302 and response["Location"] == person.get_absolute_url()


def test_an_unknown_code_is_a_translated_404(client, volunteer):
    client.force_login(volunteer)
    response = client.get(reverse("people:detail", args=["ZZZ-ZZZ"]))
    assert response.status_code == 404
    assert "No person has the code ZZZ-ZZZ." in response.content.decode()


def test_editing_a_person(client, volunteer, site):
    client.force_login(volunteer)
    person = PersonFactory(home_site=site, name="Ali")
    response = client.post(
        reverse("people:edit", args=[person.code]),
        {"name": "Ali H", "phone": "", "language": "fa", "home_site": site.pk},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.name == "Ali H" and person.language == "fa"


def test_hostile_search_input_does_not_break_the_list(client, volunteer):
    client.force_login(volunteer)
    for query in ["' OR 1=1 --", "%", "\u202e", "x" * 5000, "<b>", "0" * 40]:
        assert client.get(reverse("people:list"), {"q": query, "site": "nope"}).status_code == 200


def test_the_list_needs_the_same_number_of_queries_for_5_or_50_people(
    client, volunteer, site, django_assert_num_queries
):
    client.force_login(volunteer)
    other_site = SiteFactory()
    volunteer.sites.add(other_site)  # the list shows the people of the volunteer's sites
    PersonFactory.create_batch(5, home_site=other_site)
    client.get(reverse("people:list"))  # warm the session and permission caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(reverse("people:list"))
    PersonFactory.create_batch(45, home_site=site)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("people:list"))
    assert len(many.captured_queries) == len(few.captured_queries)


def test_opening_a_person_and_finding_them_in_a_search_are_in_the_audit_log(
    client, volunteer, site
):
    from services.audit.models import AuditEntry
    from tests.factories import PersonFactory

    person = PersonFactory(home_site=site, name="Samira")
    client.force_login(volunteer)
    client.get(reverse("people:list"), {"q": "Samir"})
    found = AuditEntry.objects.get(action="person.search")
    assert (found.actor, found.target_id) == (volunteer, str(person.pk))
    assert "Samir" not in str(found.details)
    client.get(reverse("people:detail", args=[person.code]))
    assert AuditEntry.objects.filter(
        action="person.read", actor=volunteer, target_id=str(person.pk)
    ).exists()
