import pytest

from services.people.actions import person_register
from services.people.models import Person
from services.people.phones import phone_parse
from services.people.selectors import PersonNotFound, person_get, person_search
from tests.factories import PersonFactory, SiteFactory


@pytest.fixture
def yonas(volunteer, site):
    return person_register(
        actor=volunteer,
        home_site=site,
        language="ti",
        name="Yonas",
        phone=phone_parse("0612345678"),
    )


@pytest.mark.parametrize(
    "query", ["06 12 34 56 78", "+33612345678", "0033 6 12 34 56 78", "33 612 345 678"]
)
def test_any_format_of_the_phone_finds_the_person(volunteer, yonas, query):
    assert list(person_search(user=volunteer, query=query)) == [yonas]


def test_the_card_code_finds_the_person_however_it_is_typed(volunteer, yonas):
    typed = yonas.code.lower().replace("-", " ")
    assert list(person_search(user=volunteer, query=typed)) == [yonas]


def test_the_start_of_a_code_finds_the_person(volunteer, yonas):
    assert yonas in person_search(user=volunteer, query=yonas.code[:3])


def test_a_name_finds_the_person(volunteer, yonas):
    assert list(person_search(user=volunteer, query="yon")) == [yonas]


def test_search_can_be_limited_to_a_site(django_user_model, volunteer, yonas):
    elsewhere = PersonFactory(home_site=SiteFactory())
    volunteer.sites.add(elsewhere.home_site)  # a list shows only the volunteer's sites
    volunteer = django_user_model.objects.get(pk=volunteer.pk)  # as on their next request
    assert list(person_search(user=volunteer, site_id=elsewhere.home_site_id)) == [elsewhere]


def test_an_unknown_code_is_not_found(volunteer):
    with pytest.raises(PersonNotFound):
        person_get(user=volunteer, code="ZZZ-ZZZ")
    with pytest.raises(PersonNotFound):
        person_get(user=volunteer, code="not a code")


def test_someone_without_the_role_sees_nobody(django_user_model, yonas):
    stranger = django_user_model.objects.create_user(username="stranger", password="x-long-pass-9")
    assert not person_search(user=stranger).exists()
    assert Person.objects.count() == 1


def test_a_check_in_reads_only_the_fields_it_asks_for_and_the_same_rules_apply(
    django_user_model, volunteer, yonas
):
    person = person_get(user=volunteer, code=yonas.code.lower(), only=("code",))
    assert (person.pk, person.code) == (yonas.pk, yonas.code)
    assert person.get_deferred_fields() >= {"name", "phone"}
    assert person.name == "Yonas"  # read when first used
    stranger = django_user_model.objects.create_user(username="stranger", password="x-long-pass-9")
    with pytest.raises(PersonNotFound):
        person_get(user=stranger, code=yonas.code, only=("code",))
