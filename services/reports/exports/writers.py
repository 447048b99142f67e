"""
Rows to a CSV or XLSX file, in constant memory.

CSV is written line by line into a StreamingHttpResponse. XLSX is a zip that can only
be closed once the last row is in: openpyxl's write_only workbook writes each row to a
temporary file as it comes, and the finished file is kept on disk (files.py builds it in
a Celery task), so neither grows in memory with the rows. Every cell goes through
fieldapp/spreadsheet.py.
"""

import csv
import tempfile
from collections.abc import Iterable, Iterator
from typing import IO, Any

from openpyxl import Workbook

from fieldapp.spreadsheet import safe_cell


class _Line:
    """A file-like object whose write() hands back what csv wrote."""

    def write(self, value: str) -> str:
        return value


def csv_lines(headers: list[Any], rows: Iterable[list[Any]]) -> Iterator[str]:
    """The CSV file, one line at a time, with a byte-order mark so Excel reads UTF-8."""
    writer = csv.writer(_Line())
    yield "\ufeff" + writer.writerow([safe_cell(str(h)) for h in headers])
    for row in rows:
        yield writer.writerow([_csv_text(safe_cell(value)) for value in row])


def _csv_text(value: Any) -> Any:
    return value.isoformat(sep=" ") if hasattr(value, "isoformat") and value != "" else value


def xlsx_write(headers: list[Any], rows: Iterable[list[Any]], title: str, out: IO[bytes]) -> None:
    """The XLSX file, written to `out`."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append([safe_cell(str(h)) for h in headers])
    for row in rows:
        sheet.append([safe_cell(value) for value in row])
    workbook.save(out)


def xlsx_file(headers: list[Any], rows: Iterable[list[Any]], title: str) -> IO[bytes]:
    """The XLSX file in a temporary file, rewound; it disappears when closed."""
    out = tempfile.TemporaryFile()  # noqa: SIM115 - the caller closes it
    xlsx_write(headers, rows, title, out)
    out.seek(0)
    return out
