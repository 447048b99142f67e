"""
Printable person cards: A4 sheets of credit-card-sized cards, with cut marks, as PDF or PNG.

A card shows only what a distribution needs: the code as a QR code (segno, level Q,
encoding the code text exactly, e.g. "K7M-4QX"), the code in large letters and the home
site. The first name is printed only when asked (with_names): a lost card with a name
on it can identify the person.

Fonts: the code is drawn with Pillow's built-in font (always there, ASCII only, which is
all a code needs). Names and site names use the first file of settings.CARD_FONT_FILES
(default: FONT_FILES, Debian paths) that has every letter; Arabic-script text also needs
Pillow's raqm layout (in its wheels; needs libfribidi). No installed package ships an Arabic or
Ge'ez font. Limitation: where no font file has every letter of a name, the name is left
off its card (never printed as empty boxes); Latin text falls back to the built-in font
without accents ("José" -> "Jose"); a site name keeps the letters the built-in font has.
fonts-dejavu-core covers Arabic, Farsi, Pashto and Sorani but not every Urdu letter;
fonts-noto-core adds Noto Sans Arabic (Urdu) and Noto Sans Ethiopic (Tigrinya, Amharic).
"""

import functools
import itertools
import os
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from io import BytesIO

import segno
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFont, features

from fieldapp.errors import DomainError

from . import selectors
from .codes import code_normalise
from .models import Person

MAX_PEOPLE = 400
GRIDS = {8: (2, 4), 10: (2, 5)}  # per page: (columns, rows)
FORMATS = {"pdf": "application/pdf", "png": "image/png"}  # with their media types
DPI = 300
PAGE = (2480, 3508)  # A4 portrait at 300 dpi
CARD = (1011, 638)  # ISO/IEC 7810 ID-1 (85.6 x 54 mm) at 300 dpi
MIN_MARGIN, MIN_GUTTER, MAX_GUTTER = 59, 47, 118  # 5, 4 and 10 mm
MARK_OFFSET, MARK_LENGTH, MARK_WIDTH = 12, 47, 2  # cut marks: 1 mm off the corner, 4 mm long
PADDING = 36  # 3 mm inside the card edge
QR_BORDER = 4  # the quiet zone QR readers need, in modules
CODE_WIDTH_EM = 0.95  # the widest code letter (W) of Pillow's font, in ems
CODE_BAND = 0.27  # the share of the card's height above the QR code, for the code in letters
FONT_FILES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/noto/NotoSansArabic-Bold.ttf",
    "/usr/share/fonts/truetype/noto/NotoSansEthiopic-Bold.ttf",
)
_BUILT_IN = ""  # the font path that stands for Pillow's own font
_NOT_A_CHARACTER = "\U0010fffd"
_ASCII_PUNCTUATION = str.maketrans(
    dict.fromkeys("‐‑‒–—―", "-") | dict.fromkeys("‘’‚", "'") | dict.fromkeys("“”„", '"')
)


@dataclass(frozen=True)
class SheetLayout:
    card: tuple[int, int]
    origins: tuple[tuple[int, int], ...]  # top left corner of each card, row by row
    gutter: tuple[int, int]
    margin: tuple[int, int]


def sheet_layout(per_page: int) -> SheetLayout:
    """The largest cards up to ID-1 size that fit the grid with margins and gutters."""
    columns, rows = GRIDS[per_page]
    scale = min(
        1.0,
        *(
            (page - 2 * MIN_MARGIN - (count - 1) * MIN_GUTTER) / (count * size)
            for page, count, size in zip(PAGE, (columns, rows), CARD, strict=True)
        ),
    )
    card = (int(CARD[0] * scale), int(CARD[1] * scale))
    spacing = [
        _axis_spacing(page, count, size)
        for page, count, size in zip(PAGE, (columns, rows), card, strict=True)
    ]
    (gx, mx), (gy, my) = spacing
    origins = tuple(
        (mx + col * (card[0] + gx), my + row * (card[1] + gy))
        for row in range(rows)
        for col in range(columns)
    )
    return SheetLayout(card=card, origins=origins, gutter=(gx, gy), margin=(mx, my))


def _axis_spacing(page: int, count: int, size: int) -> tuple[int, int]:
    free = page - count * size
    gutter = min(MAX_GUTTER, (free - 2 * MIN_MARGIN) // (count - 1))
    return gutter, (free - (count - 1) * gutter) // 2


def card_qr(code: str) -> segno.QRCode:
    return segno.make_qr(code, error="q", boost_error=False)


def card_qr_position(card: tuple[int, int], code: str) -> tuple[int, int, int]:
    """(x, y, module size) of the QR symbol's top left module, without the quiet zone."""
    return _qr_position(card, len(card_qr(code).matrix) + 2 * QR_BORDER)


def _qr_position(card: tuple[int, int], modules: int) -> tuple[int, int, int]:
    module = min(int(card[1] * (1 - CODE_BAND)), card[0] // 2) // modules
    return QR_BORDER * module, card[1] - (modules - QR_BORDER) * module, module


def card_render(person: Person, *, card: tuple[int, int] = CARD, with_names: bool) -> Image.Image:
    """
    One card, black on white ("1" mode: crisp in print, small in the PDF). The code in
    letters across the top; the QR code below on the left, its quiet zone inside the card;
    the name (if asked) and the site on its right.
    """
    image = Image.new("1", card, 1)
    qr = card_qr(person.code)
    size = len(qr.matrix)
    x, y, module = _draw_qr(image, qr)

    draw = ImageDraw.Draw(image)
    band = y - QR_BORDER * module - PADDING  # height above the QR code's quiet zone
    _draw_code(draw, person.code, (x, PADDING), card[0] - PADDING - x, band)
    left = x + (size + QR_BORDER) * module
    width, text_size = card[0] - PADDING - left, band // 2
    site = _printable(str(person.home_site), keep_what_fits=True)
    _draw_text(draw, site, (left, y + size * module), width, text_size * 3 // 4, anchor="ld")
    if with_names and person.name:
        _draw_text(draw, _printable(person.name), (left, y), width, text_size, anchor="la")
    return image


def _draw_qr(image: Image.Image, qr: segno.QRCode) -> tuple[int, int, int]:
    """Pastes the QR code at _qr_position() in image; returns that (x, y, module size)."""
    size = len(qr.matrix)
    x, y, module = _qr_position(image.size, size + 2 * QR_BORDER)
    symbol = Image.new("1", (size, size), 1)
    symbol.putdata([0 if dark else 1 for row in qr.matrix for dark in row])
    image.paste(symbol.resize((size * module, size * module), Image.Resampling.NEAREST), (x, y))
    return x, y, module


def _draw_code(
    draw: ImageDraw.ImageDraw, code: str, xy: tuple[int, int], width: int, height: int
) -> None:
    """The code in equal cells (half a cell for the hyphen): it reads like a monospace font."""
    cells = [0.5 if char == "-" else 1.0 for char in code]
    cell = width / sum(cells)
    font = _font(_BUILT_IN, min(int(cell / CODE_WIDTH_EM), height))
    baseline = xy[1] - int(font.getbbox("H", anchor="ls")[1])
    left = float(xy[0])
    for char, share in zip(code, cells, strict=True):
        centre = int(left + share * cell / 2)
        draw.text((centre, baseline), char, font=font, fill=0, anchor="ms", stroke_width=2)
        left += share * cell


def _draw_text(
    draw: ImageDraw.ImageDraw,
    printable: tuple[str, str] | None,
    xy: tuple[int, int],
    width: int,
    size: int,
    anchor: str,
) -> None:
    """Shrinks the text to fit the width (down to 70 %), then cuts it short."""
    if printable is None:
        return
    path, text = printable
    for step in range(size, int(size * 0.7) - 1, -2):
        font = _font(path, step)
        if font.getlength(text) <= width:
            break
    while len(text) > 1 and font.getlength(text) > width:
        text = text[:-2] + "."
    draw.text(xy, text, font=font, fill=0, anchor=anchor)


def _printable(text: str, *, keep_what_fits: bool = False) -> tuple[str, str] | None:
    """
    (font path, text) for the first font with every letter of text; else None, or with
    keep_what_fits the letters Pillow's own font has.
    """
    needs_layout = any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in text)
    files = getattr(settings, "CARD_FONT_FILES", FONT_FILES)
    if not needs_layout or features.check("raqm"):
        for path in (*(path for path in files if os.path.isfile(path)), _BUILT_IN):
            candidate = text if path != _BUILT_IN else _ascii_fold(text)
            if all(ch.isspace() or _has_glyph(path, ch) for ch in candidate):
                return path, candidate
    if not keep_what_fits:
        return None
    kept = "".join(ch for ch in _ascii_fold(text) if ch.isspace() or _has_glyph(_BUILT_IN, ch))
    return (_BUILT_IN, " ".join(kept.split())) if kept.strip() else None


def _ascii_fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.translate(_ASCII_PUNCTUATION))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@functools.cache
def _font(path: str, size: int) -> ImageFont.FreeTypeFont:
    if path == _BUILT_IN:
        return ImageFont.load_default(size=size)  # type: ignore[return-value]  # FreeType: 10.1+
    return ImageFont.truetype(path, size)


@functools.cache
def _has_glyph(path: str, char: str) -> bool:
    """Fonts draw every missing letter as the same box: compare with a surely missing one."""
    font = _font(path, 40)
    glyph, missing = font.getmask(char, mode="1"), font.getmask(_NOT_A_CHARACTER, mode="1")
    return glyph.size != missing.size or bytes(glyph) != bytes(missing)


def _draw_cut_marks(
    draw: ImageDraw.ImageDraw, layout: SheetLayout, origin: tuple[int, int]
) -> None:
    """Short lines continuing each card edge into the gutters and margins, not on the card."""
    (w, h), (x, y) = layout.card, origin
    reach = [
        min(MARK_LENGTH, gutter - 2 * MARK_OFFSET, margin - MARK_OFFSET)
        for gutter, margin in zip(layout.gutter, layout.margin, strict=True)
    ]
    for cx, dx in ((x, -1), (x + w - 1, 1)):
        for cy, dy in ((y, -1), (y + h - 1, 1)):
            start = (cx + dx * MARK_OFFSET, cy)
            draw.line([start, (start[0] + dx * reach[0], cy)], fill=0, width=MARK_WIDTH)
            start = (cx, cy + dy * MARK_OFFSET)
            draw.line([start, (cx, start[1] + dy * reach[1])], fill=0, width=MARK_WIDTH)


def card_sheets_render(
    *, people: Sequence[Person], per_page: int = 8, with_names: bool = False, fmt: str = "pdf"
) -> bytes:
    """A4 sheets of cards at 300 dpi: a PDF of every page, or a PNG of a single page."""
    if per_page not in GRIDS:
        raise DomainError(_("Choose 8 or 10 cards per page."), field="per_page")
    if fmt not in FORMATS:
        raise DomainError(_("Choose PDF or PNG."), field="fmt")
    if not people:
        raise DomainError(_("Nobody matches these choices: there are no cards to print."))
    _check_not_too_many(len(people))
    if fmt == "png" and len(people) > per_page:
        raise DomainError(
            _("A PNG holds one page (%(per_page)d cards) and %(count)d people match. Choose PDF.")
            % {"per_page": per_page, "count": len(people)},
            field="fmt",
        )
    card = sheet_layout(per_page).card
    return sheets_render(
        (card_render(person, card=card, with_names=with_names) for person in people),
        per_page=per_page,
        fmt=fmt,
    )


def sheets_render(cards: Iterable[Image.Image], *, per_page: int, fmt: str) -> bytes:
    """
    Cards already drawn at sheet_layout(per_page).card size (at least one), on A4 sheets
    with cut marks at 300 dpi: a PDF of every page, or a PNG of the first page.
    """
    layout = sheet_layout(per_page)
    pages = []
    for batch in itertools.batched(cards, per_page):
        page = Image.new("1", PAGE, 1)
        draw = ImageDraw.Draw(page)
        for card, origin in zip(batch, layout.origins, strict=False):
            page.paste(card, origin)
            _draw_cut_marks(draw, layout, origin)
        pages.append(page)
    out = BytesIO()
    if fmt == "png":
        pages[0].save(out, format="PNG", dpi=(DPI, DPI), optimize=True)
    else:
        pages[0].save(out, format="PDF", save_all=True, append_images=pages[1:], resolution=DPI)
    return out.getvalue()


def _check_not_too_many(count: int) -> None:
    if count > MAX_PEOPLE:
        raise DomainError(
            _(
                "At most %(max)d cards at a time, and %(count)d people match. "
                "Narrow the choice, for example by site or date."
            )
            % {"max": MAX_PEOPLE, "count": count}
        )


def people_for_cards(
    *,
    user: AbstractBaseUser | AnonymousUser,
    site_id: int | None = None,
    registered_since: date | None = None,
    codes: list[str] | None = None,
) -> list[Person]:
    """
    The people to print cards for, at the site and registered on or after the date:
    among the people of the user's lists, or, when codes are typed (in any form; kept
    in the order typed), their holders wherever they were registered, as a card code
    opens its record (selectors.py): a worn card is reprinted for the person holding it.
    """
    if not codes:
        people = _narrowed(selectors.person_list(user=user), site_id, registered_since)
        _check_not_too_many(people.count())
        return list(people.order_by("created_at", "id"))
    wanted = _codes_wanted(codes)
    _check_not_too_many(len(wanted))
    holders = selectors.people_with_codes(user=user, codes=wanted)
    found = {person.code: person for person in _narrowed(holders, site_id, registered_since)}
    if missing := [code for code in wanted if code not in found]:
        raise DomainError(
            _("No person matching these choices has the codes: %(codes)s")
            % {"codes": ", ".join(missing)},
            field="codes",
        )
    return [found[code] for code in wanted]


def _narrowed(
    people: QuerySet[Person], site_id: int | None, registered_since: date | None
) -> QuerySet[Person]:
    if site_id is not None:
        people = people.filter(home_site_id=site_id)
    if registered_since is not None:
        people = people.filter(created_at__date__gte=registered_since)
    return people


def _codes_wanted(codes: list[str]) -> list[str]:
    """The codes in stored form, each once, in the order typed."""
    normalised = {text: code_normalise(text) for text in codes}
    if bad := [text for text, code in normalised.items() if code is None]:
        raise DomainError(
            _("These are not card codes: %(codes)s") % {"codes": ", ".join(bad)}, field="codes"
        )
    return list(dict.fromkeys(code for code in normalised.values() if code))
