"""
Printable box labels for stock: A4 sheets of 8 labels, on the person cards' grid with the
same cut marks (services.people.cards), as PDF or PNG.

Each label carries a QR code (segno, level Q, like the cards) of a short text a scanner
can parse:

    FA1:ITEM:<item id>:<SIZE>

"FA1" names this format, version 1; <item id> is the ItemType's primary key in decimal;
<SIZE> is the size as the item lists it (upper case), and empty for an item without
sizes. Examples: "FA1:ITEM:12:XL", "FA1:ITEM:3:42", "FA1:ITEM:7:". The size is the last
field and may itself hold a colon, so split at most three times: text.split(":", 3).

In letters: the item's English name across the top; beside the QR code the size in very
large letters, the name in the current language when it differs from the English one,
and the site name if given. Fonts as on the cards: a translated name that no font can
draw is left off, never printed as empty boxes.
"""

import itertools

import segno
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw

from fieldapp.errors import DomainError
from services.people.cards import (
    CARD,
    FORMATS,
    PADDING,
    QR_BORDER,
    _draw_qr,
    _draw_text,
    _font,
    _printable,
    card_qr,
    sheet_layout,
    sheets_render,
)

from .checks import check_size
from .models import ItemType

LABEL_FORMAT = "FA1:ITEM:{item}:{size}"
PER_PAGE = 8
MAX_LABELS = 200
# Font sizes as shares of the QR code's height: the size (at most; as big as fits), the
# translated name and the site; and the space between them.
SIZE_HEIGHT = 1.0
NAME_HEIGHT = 0.2
SITE_HEIGHT = 0.16
GAP = 0.05


def label_text(item: ItemType, size: str) -> str:
    """What the label's QR code says; size as check_size() returns it."""
    return LABEL_FORMAT.format(item=item.pk, size=size)


def label_qr(item: ItemType, size: str) -> segno.QRCode:
    return card_qr(label_text(item, size))


def label_render(
    *, item: ItemType, size: str, site_name: str = "", label: tuple[int, int] = CARD
) -> Image.Image:
    """
    One label, black on white: the English name across the top; the QR code below on
    the left, its quiet zone inside the label; the size, the translated name and the
    site on its right.
    """
    image = Image.new("1", label, 1)
    qr = label_qr(item, size)
    x, y, module = _draw_qr(image, qr)
    height = len(qr.matrix) * module  # of the QR code, without its quiet zone
    draw = ImageDraw.Draw(image)
    band = y - QR_BORDER * module - PADDING  # above the QR code's quiet zone
    english = _printable(item.name, keep_what_fits=True)
    _draw_text(draw, english, (x, PADDING), label[0] - PADDING - x, band * 5 // 6, anchor="la")

    left = x + (len(qr.matrix) + QR_BORDER) * module
    width, bottom = label[0] - PADDING - left, y + height
    site = _printable(site_name.strip(), keep_what_fits=True) if site_name.strip() else None
    translated = item.display_name()
    name = _printable(translated) if translated != item.name else None
    shown = _printable(size, keep_what_fits=True) if size else None
    if not shown:  # the translated name takes the size's place, at the top
        _draw_text(draw, name, (left, y), width, int(height * NAME_HEIGHT), anchor="la")
    # The rest from the bottom up: the site, the translated name, then the size in the
    # height that is left.
    gap = int(height * GAP)
    for text, share in ((site, SITE_HEIGHT), (name if shown else None, NAME_HEIGHT)):
        if text:
            _draw_text(draw, text, (left, bottom), width, int(height * share), anchor="ld")
            bottom -= sum(_font(text[0], int(height * share)).getmetrics()) + gap
    if shown:
        font_size = _fitting_size(shown, (width, bottom - y), int(height * SIZE_HEIGHT))
        _draw_text(draw, shown, (left, y), width, font_size, anchor="lt")
    return image


def _fitting_size(printable: tuple[str, str], box: tuple[int, int], size: int) -> int:
    """The largest font size up to size at which the text fits the box (down to a quarter)."""
    path, text = printable
    floor = max(size // 4, 1)
    while size > floor:
        left, top, right, bottom = _font(path, size).getbbox(text, anchor="lt")
        if right - left <= box[0] and bottom - top <= box[1]:
            break
        size -= 2
    return size


def box_labels_render(
    *, item: ItemType, size: str, count: int, site_name: str = "", fmt: str = "pdf"
) -> bytes:
    """count identical labels on A4 sheets: a PDF of every page, or a PNG of one page."""
    size = check_size(item, size)
    if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= MAX_LABELS:
        raise DomainError(
            _("Print from 1 to %(max)d labels at a time.") % {"max": MAX_LABELS},
            field="count",
            code="bad_count",
        )
    if fmt not in FORMATS:
        raise DomainError(_("Choose PDF or PNG."), field="fmt")
    if fmt == "png" and count > PER_PAGE:
        raise DomainError(
            _("A PNG holds one page (%(per_page)d labels), for %(count)d labels. Choose PDF.")
            % {"per_page": PER_PAGE, "count": count},
            field="fmt",
        )
    layout = sheet_layout(PER_PAGE)
    label = label_render(item=item, size=size, site_name=site_name, label=layout.card)
    return sheets_render(itertools.repeat(label, count), per_page=PER_PAGE, fmt=fmt)
