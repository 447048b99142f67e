"""Item names follow each language's fallback chain (fieldapp/languages.py::FALLBACKS)."""

from services.distributions.models import ItemType


def test_tigrinya_reader_gets_the_amharic_name_before_english():
    item = ItemType(name="Sleeping bag", names={"am": "የመኝታ ከረጢት", "fa": "کیسه خواب"})
    assert item.display_name("ti") == "የመኝታ ከረጢት"


def test_pashto_reader_gets_the_dari_name():
    item = ItemType(name="Sleeping bag", names={"fa": "کیسه خواب"})
    assert item.display_name("ps") == "کیسه خواب"


def test_a_language_outside_the_chain_is_never_used():
    item = ItemType(name="Sleeping bag", names={"ar": "كيس نوم"})
    assert item.display_name("ur") == "Sleeping bag"


def test_the_own_language_comes_first():
    item = ItemType(name="Sleeping bag", names={"ti": "መደቀሲ", "am": "የመኝታ ከረጢት"})
    assert item.display_name("ti") == "መደቀሲ"
