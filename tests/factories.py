import factory
from factory.django import DjangoModelFactory

from fieldapp.languages import Language
from services.people.codes import code_generate
from services.people.models import Person
from services.sites.models import Site


class SiteFactory(DjangoModelFactory):
    class Meta:
        model = Site

    name = factory.Sequence(lambda n: f"Site {n}")
    kind = Site.Kind.CAMP
    area = "Calais"


class PersonFactory(DjangoModelFactory):
    """Direct rows for reads and query counts; writes under test go through the actions."""

    class Meta:
        model = Person

    code = factory.LazyFunction(code_generate)
    name = factory.Faker("first_name")
    language = Language.AR
    home_site = factory.SubFactory(SiteFactory)
