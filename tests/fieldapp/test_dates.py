"""
Dates are day-month-year in every language, weekday and month names are in the
reader's language (ps, ti and am from CLDR: fieldapp/calendar_names.py), and no
template or Python format writes the month before the day.
"""

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import translation
from django.utils.formats import date_format

from services.messaging.sms_templates import Kind, sms_date, template_render

LANGUAGES = [code for code, _name in settings.LANGUAGES]
FRIDAY_3_APRIL = date(2026, 4, 3)
ROOT = Path(settings.BASE_DIR)

# Friday and April, as each language writes them (CLDR, and Django's catalogue).
NAMES = {
    "en": ("Friday", "April"),
    "fr": ("Vendredi", "avril"),
    "ar": ("الجمعة", "إبريل"),
    "ps": ("جمعه", "اپریل"),
    "fa": ("جمعه", "آوریل"),
    "ckb": ("هەینی", "نیسان"),
    "ti": ("ዓርቢ", "ሚያዝያ"),
    "am": ("ዓርብ", "ኤፕሪል"),
    "ur": ("جمعہ", "اپریل"),
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_weekday_and_month_names_are_in_each_language(language):
    weekday, month = NAMES[language]
    with translation.override(language):
        assert date_format(FRIDAY_3_APRIL, "l") == weekday
        assert date_format(FRIDAY_3_APRIL, "F") == month


@pytest.mark.parametrize("language", [code for code in LANGUAGES if code != "en"])
def test_short_names_are_not_left_in_english(language):
    with translation.override(language):
        assert date_format(FRIDAY_3_APRIL, "D") != "Fri"
        assert date_format(FRIDAY_3_APRIL, "M") != "Apr"
        assert date_format(FRIDAY_3_APRIL, "N") not in ("April", "Apr.")


@pytest.mark.parametrize("language", LANGUAGES)
def test_short_dates_put_the_day_before_the_month_or_are_year_first(language):
    with translation.override(language):
        short = re.sub(r"[^\d/]", "", date_format(FRIDAY_3_APRIL, "SHORT_DATE_FORMAT"))
        moment = datetime(2026, 4, 3, 15, tzinfo=UTC)
        stamp = re.sub(r"[^\d/ :]", "", date_format(moment, "SHORT_DATETIME_FORMAT"))
    assert short in ("03/04/2026", "2026/4/3"), short
    assert stamp.split()[0] in ("03/04/2026", "2026/4/3"), stamp


def test_english_pages_write_dates_as_in_britain():
    with translation.override("en"):
        rendered = Template('{{ d|date }} {{ d|date:"SHORT_DATE_FORMAT" }}').render(
            Context({"d": FRIDAY_3_APRIL})
        )
    assert rendered == "3 April 2026 03/04/2026"


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_sms_writes_the_day_and_month_in_words_in_the_language_rendered(language):
    context = {"date": "2026-04-03", "time": "15:00", "place": "Rue de Moscou"}
    rendered = template_render(Kind.DISTRIBUTION_ANNOUNCEMENT, language, context)
    weekday, month = NAMES[rendered.language]
    assert "2026-04-03" not in rendered.text
    assert sms_date("2026-04-03", rendered.language) in rendered.text
    with translation.override(rendered.language):
        assert date_format(FRIDAY_3_APRIL, "F") in rendered.text


@pytest.mark.parametrize("value", ["28/11", "2026-13-45", "demain"])
def test_a_date_that_is_not_an_iso_day_is_sent_as_given(value):
    assert sms_date(value, "fr") == value


# Format characters: a day, and a month (as a number or a word).
DAY, MONTH = set("djlDS"), set("mnFMNbE")
TEMPLATE_FORMAT = re.compile(r"""\|date:\s*["']([^"']+)["']""")
PYTHON_FORMAT = re.compile(r"""(?:strftime\(|date_format\([^,]+,\s*)["']([^"']+)["']""")


def _month_first(fmt: str) -> bool:
    codes = re.findall(r"%(\w)", fmt) if "%" in fmt else list(fmt)  # strftime or Django
    day_codes, month_codes = ("dAae", "mbBh") if "%" in fmt else (DAY, MONTH)
    days = [i for i, c in enumerate(codes) if c in day_codes]
    months = [i for i, c in enumerate(codes) if c in month_codes]
    years = [i for i, c in enumerate(codes) if c in "Yy"]
    if years and months and years[0] < months[0]:
        return False  # ISO, year first
    return bool(days and months and months[0] < days[0])


def test_no_template_writes_the_month_before_the_day():
    offending = []
    for path in list(ROOT.glob("services/**/templates/**/*.html")) + list(
        ROOT.glob("fieldapp/templates/**/*.html")
    ):
        for fmt in TEMPLATE_FORMAT.findall(path.read_text()):
            if not fmt.isupper() and _month_first(fmt):
                offending.append((path.name, fmt))
    assert offending == []


def test_no_python_code_writes_the_month_before_the_day():
    offending = []
    for path in list(ROOT.glob("services/**/*.py")) + list(ROOT.glob("fieldapp/**/*.py")):
        for fmt in PYTHON_FORMAT.findall(path.read_text()):
            if not fmt.isupper() and _month_first(fmt):
                offending.append((path.name, fmt))
    assert offending == []


def test_the_check_of_formats_would_catch_a_us_order():
    assert _month_first("m/d/Y") and _month_first("F j, Y") and _month_first("%m/%d")
    assert not _month_first("D j F") and not _month_first("Y-m-d") and not _month_first("%d/%m")
    assert not _month_first("%Y%m%dT%H%MZ")
