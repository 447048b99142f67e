"""Box labels for stock: the sheets (grid, QR text, checks) and the coordinators' page."""

from io import BytesIO

import pytest
import segno
from django.urls import resolve, reverse
from django.utils import timezone, translation
from PIL import Image, PdfParser

from fieldapp.errors import DomainError
from services.audit.models import AuditEntry
from services.distributions import labels
from services.distributions.models import ItemType
from services.people import cards

A4_POINTS = [0, 0, 595.2, 841.92]  # 2480 x 3508 px at 300 dpi


def png_page(item, size, count=8, **options):
    png = labels.box_labels_render(item=item, size=size, count=count, fmt="png", **options)
    return Image.open(BytesIO(png))


def assert_qr_drawn(image, origin, label, text):
    """Every module of segno's own QR code for the text, read at its centre."""
    expected = segno.make_qr(text, error="q", boost_error=False)
    x, y, module = cards.card_qr_position(label, text)
    x, y = x + origin[0], y + origin[1]
    assert len(expected.matrix) * module >= 295, "the QR code is at least 25 mm wide"
    for row, line in enumerate(expected.matrix):
        for col, dark in enumerate(line):
            centre = (x + col * module + module // 2, y + row * module + module // 2)
            assert (image.getpixel(centre) == 0) == bool(dark), (text, row, col)


def test_twenty_labels_are_three_a4_pages_of_eight(jumper):
    pdf = labels.box_labels_render(item=jumper, size="M", count=20, site_name="Calais")
    parsed = PdfParser.PdfParser(buf=pdf)
    assert pdf.startswith(b"%PDF") and len(parsed.pages) == 3
    assert parsed.read_indirect(parsed.pages[0])[b"MediaBox"] == A4_POINTS


def test_every_labels_qr_code_says_format_item_and_size(jumper):
    image = png_page(jumper, "m")  # sizes are upper case, as the item lists them
    assert image.size == (2480, 3508) and round(image.info["dpi"][0]) == 300
    text = f"FA1:ITEM:{jumper.pk}:M"
    assert labels.label_text(jumper, "M") == text
    assert text.split(":", 3) == ["FA1", "ITEM", str(jumper.pk), "M"]
    layout = cards.sheet_layout(8)
    for origin in layout.origins:
        assert_qr_drawn(image, origin, layout.card, text)


def test_an_item_without_sizes_has_an_empty_size_field(sleeping_bag):
    image = png_page(sleeping_bag, "", count=1)
    layout = cards.sheet_layout(8)
    assert_qr_drawn(image, layout.origins[0], layout.card, f"FA1:ITEM:{sleeping_bag.pk}:")
    assert image.getextrema() == (0, 255)
    second = image.crop(
        (*layout.origins[1], *(a + b for a, b in zip(layout.origins[1], layout.card, strict=True)))
    )
    assert second.getextrema() == (255, 255), "one label only"


def test_the_label_shows_the_size_the_translated_name_and_the_site(shoes, sleeping_bag):
    def drawn(item, size, language="en", site_name=""):
        with translation.override(language):
            return labels.label_render(item=item, size=size, site_name=site_name).tobytes()

    assert drawn(shoes, "42") != drawn(shoes, "43") != drawn(shoes, "43", site_name="Calais")
    assert drawn(shoes, "42", "fr") != drawn(shoes, "42"), "Chaussures beside Shoes"
    assert drawn(shoes, "42", "ti") == drawn(shoes, "42"), "no Tigrinya name: English only"
    assert drawn(sleeping_bag, "", "ar") != drawn(sleeping_bag, "")


@pytest.mark.parametrize(
    ("item", "size", "count", "fmt", "field"),
    [
        ("jumper", "42", 8, "pdf", "size"),
        ("jumper", "", 8, "pdf", "size"),
        ("sleeping_bag", "M", 8, "pdf", "size"),
        ("jumper", "M", 0, "pdf", "count"),
        ("jumper", "M", 201, "pdf", "count"),
        ("jumper", "M", True, "pdf", "count"),
        ("jumper", "M", "8", "pdf", "count"),
        ("jumper", "M", 8, "gif", "fmt"),
        ("jumper", "M", 9, "png", "fmt"),
    ],
)
def test_the_renderer_refuses_bad_sizes_counts_and_formats(request, item, size, count, fmt, field):
    with pytest.raises(DomainError) as refused:
        labels.box_labels_render(
            item=request.getfixturevalue(item), size=size, count=count, fmt=fmt
        )
    assert refused.value.field == field


def test_two_hundred_labels_are_allowed(sleeping_bag):
    pdf = labels.box_labels_render(item=sleeping_bag, size="", count=200)
    assert len(PdfParser.PdfParser(buf=pdf).pages) == 25


# The page

URL = "/distributions/manage/labels/"


def prints():
    return AuditEntry.objects.filter(action="stock.labels_print")


def post_labels(client, item, **fields):
    data = {"item": item.pk, "size": "", "count": "8", "fmt": "pdf", **fields}
    return client.post(reverse("distributions_coordinator:labels"), data)


def test_the_page_has_its_name_and_the_index_links_to_it(client, coordinator):
    assert reverse("distributions_coordinator:labels") == URL
    assert resolve(URL).url_name == "labels"
    client.force_login(coordinator)
    index = client.get(reverse("distributions_coordinator:index")).content.decode()
    assert URL in index


def test_a_volunteer_may_not_print_labels(client, volunteer, jumper):
    client.force_login(volunteer)
    assert client.get(URL).status_code == 403
    assert post_labels(client, jumper, size="M").status_code == 403
    assert not prints().exists()


def test_a_coordinator_downloads_a_pdf_and_the_print_is_audited(client, coordinator, jumper, site):
    client.force_login(coordinator)
    page = client.get(URL).content.decode()
    assert f'<option value="{site.pk}" selected>' in page, "the coordinator's own site"
    response = post_labels(client, jumper, size=" l ", count="10", site=site.pk)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    today = timezone.localdate().strftime("%Y%m%d")
    assert response["Content-Disposition"] == (
        f'attachment; filename="labels-{jumper.pk}-{today}.pdf"'
    )
    assert len(PdfParser.PdfParser(buf=response.content).pages) == 2
    entry = prints().get()
    assert entry.actor == coordinator and entry.details == {"size": "L", "count": 10}
    assert (entry.target_type, entry.target_id) == ("distributions.itemtype", str(jumper.pk))


def test_a_png_holds_the_labels_of_one_page(client, coordinator, shoes):
    client.force_login(coordinator)
    response = post_labels(client, shoes, size="42", count="3", fmt="png")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    image = Image.open(BytesIO(response.content))
    layout = cards.sheet_layout(8)
    assert_qr_drawn(image, layout.origins[2], layout.card, f"FA1:ITEM:{shoes.pk}:42")
    assert prints().get().details == {"size": "42", "count": 3}


def test_bad_input_shows_translated_errors_and_keeps_what_was_typed(
    client, coordinator, settings, shoes, jumper
):
    client.force_login(coordinator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    page = post_labels(client, shoes, size="XXXL", count="lots").content.decode()
    assert "Indiquez un nombre entier." in page and 'value="lots"' in page
    page = post_labels(client, shoes, size="XXXL", count="12").content.decode()
    assert "Chaussures n’existe pas en taille XXXL." in page and 'value="XXXL"' in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = post_labels(client, jumper, size="M", count="500").content.decode()
    assert "Print from 1 to 200 labels at a time." in page and 'value="500"' in page
    page = post_labels(client, jumper, size="M", count="9", fmt="png").content.decode()
    assert "Choose PDF." in page
    assert not prints().exists()


def test_only_items_in_use_are_offered(client, coordinator, jumper):
    ItemType.objects.filter(pk=jumper.pk).update(is_active=False)
    client.force_login(coordinator)
    form = client.get(URL).context["form"]
    assert jumper not in form.fields["item"].queryset
    page = post_labels(client, jumper, size="M").content.decode()
    assert "Choose one of the listed options." in page
    assert not prints().exists()
