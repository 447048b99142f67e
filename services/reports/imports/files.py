"""
An uploaded spreadsheet, read into rows of text whatever Excel made of it.

CSV from Excel comes in the machine's code page (Windows-1256 on an Arabic Windows,
Windows-1252 on a French one), as UTF-16 ("Unicode text", tab-separated), or as UTF-8
with or without a byte-order mark, separated by commas, semicolons (French Excel) or
tabs. A byte-order mark decides; else strict UTF-8; else charset-normalizer's guess.
XLSX is read with openpyxl (defusedxml installed, so its XML cannot be made to
explode), formulas as their text, so =HYPERLINK(...) is seen and refused, never run.
Whatever is wrong with the file is a FileProblem in words, before any row is looked at.
"""

import csv
import io
import zipfile
from datetime import date, datetime
from typing import Any

from charset_normalizer import from_bytes
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from fieldapp.errors import DomainError
from fieldapp.text import strip_bidi_controls

MAX_BYTES = 5 * 1024 * 1024
# Each row runs through the real actions (a few queries each), in the web request: this
# many keeps a dry run within the web worker's timeout.
MAX_ROWS = 2000
ENCODINGS = ["cp1256", "cp1252", "latin_1", "utf_16", "cp1251"]

Row = dict[str, Any]


class FileProblem(DomainError):
    pass


def _decoded(content: bytes) -> str:
    if content.startswith(b"\xef\xbb\xbf"):
        return content[3:].decode("utf-8", errors="replace")
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return content.decode("utf-16", errors="replace")
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        pass
    guess = from_bytes(content[:200_000], cp_isolation=ENCODINGS).best()
    if guess is None:
        raise FileProblem(
            _("We cannot read the letters in this file. Save it as CSV UTF-8 or as XLSX."),
            code="encoding",
        )
    return content.decode(guess.encoding, errors="replace")


def _csv_rows(content: bytes) -> list[list[Any]]:
    text = _decoded(content).replace("\x00", "")
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count)
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as error:
        raise FileProblem(
            _("This CSV file is damaged: %(problem)s.") % {"problem": error}, code="csv"
        ) from error


def _xlsx_rows(content: bytes) -> list[list[Any]]:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
        sheet = workbook.worksheets[0]
        rows = []
        for row in sheet.iter_rows(values_only=True):
            rows.append(list(row))
            if len(rows) > MAX_ROWS + 1:
                break
        workbook.close()
        return rows
    except (zipfile.BadZipFile, KeyError, ValueError, IndexError, OSError) as error:
        raise FileProblem(
            _("This XLSX file is damaged or not a spreadsheet. Save it again from Excel."),
            code="xlsx",
        ) from error


def cell_text(value: Any) -> Any:
    """A cell as text (dates stay dates), trimmed, without bidi controls or NUL bytes."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return strip_bidi_controls(str(value).replace("\x00", "")).strip()


def header_key(value: Any) -> str:
    return " ".join(str(value or "").replace("\ufeff", "").strip().lower().split())


def read_rows(content: bytes, *, required: list[str], optional: list[str]) -> list[Row]:
    """The file's rows as {column: value}, or a FileProblem saying what is wrong with it."""
    if not content.strip():
        raise FileProblem(_("The file is empty."), code="empty")
    if len(content) > MAX_BYTES:
        raise FileProblem(
            _("The file is over %(mb)d MB: split it into smaller files.")
            % {"mb": MAX_BYTES // (1024 * 1024)},
            code="too_big",
        )
    raw = _xlsx_rows(content) if content.startswith(b"PK\x03\x04") else _csv_rows(content)
    raw = [row for row in raw if any(cell_text(v) != "" for v in row)]
    if not raw:
        raise FileProblem(_("The file is empty."), code="empty")
    headers = [header_key(h) for h in raw[0]]
    _check_columns(headers, required, optional)
    if len(raw) - 1 > MAX_ROWS:
        raise FileProblem(
            _(
                "The file has %(rows)d rows; bring in at most %(max)d at a time. Nothing "
                "was imported: split it into smaller files."
            )
            % {"rows": len(raw) - 1, "max": MAX_ROWS},
            code="too_many_rows",
        )
    return [{h: cell_text(v) for h, v in zip(headers, row, strict=False) if h} for row in raw[1:]]


def _check_columns(headers: list[str], required: list[str], optional: list[str]) -> None:
    missing = [name for name in required if name not in headers]
    unknown = [name for name in headers if name and name not in required + optional]
    if missing or unknown:
        raise FileProblem(
            _(
                "The first line must name the columns. Needed: %(required)s. Optional: "
                "%(optional)s. Missing: %(missing)s. Not known: %(unknown)s."
            )
            % {
                "required": ", ".join(required),
                "optional": ", ".join(optional) or "-",
                "missing": ", ".join(missing) or "-",
                "unknown": ", ".join(unknown) or "-",
            },
            code="columns",
        )
