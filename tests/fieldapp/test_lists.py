"""A list in running text is joined with the reader's own separator."""

from django.template import Context, Template
from django.utils import translation


def render(items: list[str]) -> str:
    return Template("{% load lists %}{{ items|words }}").render(Context({"items": items}))


def test_a_list_is_joined_with_a_comma_in_english():
    with translation.override("en"):
        assert render(["1 driver", "no Tigrinya speaker"]) == "1 driver, no Tigrinya speaker"


def test_arabic_script_languages_join_with_their_own_comma():
    with translation.override("ar"):
        assert "،" in render(["a", "b"])
