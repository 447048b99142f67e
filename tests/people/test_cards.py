import re
from datetime import timedelta
from io import BytesIO

import pytest
import segno
from django.urls import resolve, reverse
from django.utils import timezone
from PIL import Image, PdfParser

from fieldapp.errors import DomainError
from services.audit.models import AuditEntry
from services.people import cards
from services.people.codes import code_generate
from services.people.models import Person
from services.sites.models import Site
from tests.factories import PersonFactory, SiteFactory

A4_POINTS = [0, 0, 595.2, 841.92]  # 2480 x 3508 px at 300 dpi


def unsaved_people(count: int, name: str = "Ali") -> list[Person]:
    site = Site(name="Calais – Hospital site")
    return [Person(code=code_generate(), name=name, home_site=site) for _ in range(count)]


def png_page(people: list[Person], per_page: int = 8, **options: object) -> Image.Image:
    png = cards.card_sheets_render(people=people, per_page=per_page, fmt="png", **options)  # type: ignore[arg-type]
    return Image.open(BytesIO(png))


def is_dark(image: Image.Image, x: int, y: int) -> bool:
    return image.getpixel((x, y)) == 0


def assert_qr_drawn(image: Image.Image, origin: tuple[int, int], card: tuple[int, int], code: str):
    """Every module of segno's own QR code for the code, at its centre, and a clear quiet zone."""
    expected = segno.make_qr(code, error="q", boost_error=False)
    assert expected.designator == "1-Q" and expected.mode == "alphanumeric"
    x, y, module = cards.card_qr_position(card, code)
    x, y = x + origin[0], y + origin[1]
    size = len(expected.matrix)
    assert size * module >= 295, "the QR code is at least 25 mm wide"
    for row, line in enumerate(expected.matrix):
        for col, dark in enumerate(line):
            centre = (x + col * module + module // 2, y + row * module + module // 2)
            assert is_dark(image, *centre) == bool(dark), (code, row, col)
    quiet = cards.QR_BORDER * module
    for offset in range(-quiet + module // 2, size * module + quiet, module):
        for edge in (-quiet + module // 2, size * module + quiet - module // 2 - 1):
            assert not is_dark(image, x + offset, y + edge)
            assert not is_dark(image, x + edge, y + offset)


@pytest.mark.parametrize(("per_page", "pages"), [(8, 3), (10, 2)])
def test_a_pdf_has_one_a4_page_per_sheet(per_page, pages):
    pdf = cards.card_sheets_render(people=unsaved_people(17), per_page=per_page)
    parsed = PdfParser.PdfParser(buf=pdf)
    assert pdf.startswith(b"%PDF") and len(parsed.pages) == pages
    assert parsed.read_indirect(parsed.pages[0])[b"MediaBox"] == A4_POINTS


@pytest.mark.parametrize("per_page", [8, 10])
def test_every_cards_qr_code_is_segnos_code_for_its_card_code(per_page):
    people = unsaved_people(per_page)
    image = png_page(people, per_page=per_page)
    assert image.size == (2480, 3508) and round(image.info["dpi"][0]) == 300
    layout = cards.sheet_layout(per_page)
    assert layout.card == cards.CARD, "credit-card size fits both grids"
    for person, origin in zip(people, layout.origins, strict=True):
        assert_qr_drawn(image, origin, layout.card, person.code)


def test_cards_stay_inside_the_page_with_margins_and_do_not_overlap():
    for per_page in (8, 10):
        layout = cards.sheet_layout(per_page)
        (w, h), (gx, gy) = layout.card, layout.gutter
        assert min(layout.margin) >= cards.MIN_MARGIN and min(gx, gy) >= cards.MIN_GUTTER
        xs = sorted({x for x, _ in layout.origins})
        ys = sorted({y for _, y in layout.origins})
        assert xs[-1] + w + layout.margin[0] <= 2480 and ys[-1] + h + layout.margin[1] <= 3508
        assert all(b - a == w + gx for a, b in zip(xs, xs[1:], strict=False))
        assert all(b - a == h + gy for a, b in zip(ys, ys[1:], strict=False))


def test_cut_marks_are_short_lines_outside_the_corners_not_a_border():
    image = png_page(unsaved_people(8))
    layout = cards.sheet_layout(8)
    (x, y), (w, h) = layout.origins[0], layout.card
    beyond = cards.MARK_OFFSET + 5
    assert is_dark(image, x - beyond, y) and is_dark(image, x, y - beyond)
    assert is_dark(image, x + w - 1 + beyond, y + h - 1) and is_dark(
        image, x + w - 1, y + h + beyond
    )
    assert not is_dark(image, x - beyond - cards.MARK_LENGTH, y), "the marks are short"
    assert not any(is_dark(image, x + w // 2, y + dy) for dy in range(-3, 4)), "no border"
    assert not any(is_dark(image, x + dx, y + h // 2) for dx in range(-3, 4)), "no border"


def test_names_are_printed_only_when_asked():
    named = unsaved_people(1, name="Ali")
    nameless = [Person(code=named[0].code, name="", home_site=named[0].home_site)]
    without = png_page(named).tobytes()
    assert without == png_page(nameless, with_names=True).tobytes()
    assert png_page(named, with_names=True).tobytes() != without


def test_a_name_no_font_can_draw_is_left_off_rather_than_printed_as_boxes(settings):
    settings.CARD_FONT_FILES = ()
    tigrinya = unsaved_people(1, name="ሰላም")
    nameless = [Person(code=tigrinya[0].code, name="", home_site=tigrinya[0].home_site)]
    assert png_page(tigrinya, with_names=True).tobytes() == png_page(nameless).tobytes()
    accented = unsaved_people(1, name="José")
    assert png_page(accented, with_names=True).tobytes() != png_page(accented).tobytes()


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"people": [], "per_page": 8}, None),
        ({"people": unsaved_people(1), "per_page": 9}, "per_page"),
        ({"people": unsaved_people(1), "fmt": "gif"}, "fmt"),
        ({"people": unsaved_people(9), "per_page": 8, "fmt": "png"}, "fmt"),
        ({"people": unsaved_people(401)}, None),
    ],
)
def test_the_renderer_refuses_what_it_cannot_print(options, field):
    with pytest.raises(DomainError) as refused:
        cards.card_sheets_render(**options)
    assert refused.value.field == field


# The page


def prints():
    return AuditEntry.objects.filter(action="people.cards_print")


def post_cards(client, **fields):
    data = {"per_page": "8", "fmt": "pdf", **fields}
    return client.post(reverse("people:cards"), data)


def test_cards_is_a_page_not_a_card_code():
    assert reverse("people:cards") == "/people/cards/"
    assert resolve("/people/cards/").url_name == "cards"


def test_the_page_needs_a_sign_in(client, db):
    response = client.get(reverse("people:cards"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert post_cards(client).status_code == 302
    assert not prints().exists()


def test_the_people_list_links_to_the_page(client, volunteer):
    client.force_login(volunteer)
    assert reverse("people:cards") in client.get(reverse("people:list")).content.decode()


def test_the_form_prints_no_names_unless_ticked(client, volunteer):
    client.force_login(volunteer)
    page = client.get(reverse("people:cards")).content.decode()
    checkbox = re.search(r'<input[^>]*name="with_names"[^>]*>', page)
    assert checkbox is not None and "checked" not in checkbox.group()
    assert "can identify them" in page


@pytest.mark.parametrize("role", ["volunteer", "coordinator", "medical", "legal"])
def test_every_role_downloads_a_pdf_and_the_print_is_audited(client, request, site, role):
    client.force_login(request.getfixturevalue(role))
    people = PersonFactory.create_batch(3, home_site=site)
    PersonFactory(home_site=SiteFactory())
    response = post_cards(client, site=site.pk)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    today = timezone.localdate().strftime("%Y%m%d")
    assert response["Content-Disposition"] == f'attachment; filename="cards-{today}.pdf"'
    assert len(PdfParser.PdfParser(buf=response.content).pages) == 1
    entry = prints().get()
    assert entry.action == "people.cards_print" and entry.details == {
        "count": len(people),
        "with_names": False,
    }
    assert (entry.target_type, entry.target_id) == ("sites.site", str(site.pk))


def test_codes_typed_in_any_form_are_found_and_printed_as_a_png(client, volunteer, site):
    client.force_login(volunteer)
    first, second = PersonFactory(home_site=site), PersonFactory(home_site=SiteFactory())
    typed = f"{first.code.replace('-', '').lower()}\n , {second.code.lower()}"
    response = post_cards(client, codes=typed, fmt="png", with_names="on")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].endswith('.png"')
    image = Image.open(BytesIO(response.content))
    layout = cards.sheet_layout(8)
    assert_qr_drawn(image, layout.origins[0], layout.card, first.code)
    assert_qr_drawn(image, layout.origins[1], layout.card, second.code)
    entry = prints().get()
    assert entry.details == {"count": 2, "with_names": True}
    assert (entry.target_type, entry.target_id) == ("people.person", str(first.pk))


def test_registered_since_leaves_out_earlier_people(client, volunteer, site):
    client.force_login(volunteer)
    old, new = PersonFactory(home_site=site), PersonFactory(home_site=site)
    Person.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=10))
    since = (timezone.localdate() - timedelta(days=2)).isoformat()
    assert cards.people_for_cards(user=volunteer, registered_since=timezone.localdate()) == [new]
    response = post_cards(client, site=site.pk, registered_since=since)
    assert response.status_code == 200
    assert prints().get().details["count"] == 1


def test_bad_input_shows_errors_and_keeps_what_was_typed(client, volunteer, site):
    client.force_login(volunteer)
    PersonFactory(home_site=site)
    response = post_cards(
        client, registered_since="31/31/2025", codes="K7M-4QX, nope", per_page="7"
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter a date as year-month-day" in page and "31/31/2025" in page
    assert "These are not card codes: nope" in page and "K7M-4QX, nope" in page
    assert "Choose 8 or 10 cards per page." in page
    assert not prints().exists()


def test_unknown_codes_and_empty_choices_are_explained(client, volunteer, site):
    client.force_login(volunteer)
    person = PersonFactory(home_site=site)
    page = post_cards(client, codes=f"{person.code}\nzz2-zz2").content.decode()
    assert "has the codes: ZZ2-ZZ2" in page
    empty_site = SiteFactory()
    volunteer.sites.add(empty_site)  # the form offers the volunteer's own sites
    page = post_cards(client, site=empty_site.pk).content.decode()
    assert "Nobody matches these choices" in page
    assert post_cards(client, site=site.pk, fmt="png")["Content-Type"] == "image/png"
    PersonFactory.create_batch(8, home_site=site)
    page = post_cards(client, site=site.pk, fmt="png").content.decode()
    assert "Choose PDF." in page
    assert prints().count() == 1, "only the PNG of one person was printed"


def test_more_than_400_people_are_refused(client, volunteer, site):
    client.force_login(volunteer)
    Person.objects.bulk_create(
        Person(code=code_generate(), language="ar", home_site=site) for _ in range(401)
    )
    response = post_cards(client, site=site.pk)
    assert (
        response.status_code == 200 and "At most 400 cards at a time" in response.content.decode()
    )
    assert not prints().exists()
