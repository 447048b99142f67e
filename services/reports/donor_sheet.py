"""The donor report as an XLSX workbook: the same counts as the page, already suppressed."""

import io
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook

from fieldapp.spreadsheet import safe_cell
from fieldapp.suppression import WITHHELD_NOTE, Shown

from .donor import DonorReport


def _text(value: Any) -> Any:
    """A count as it is shown on the page ("<5", "—"); anything else as it is."""
    return str(value) if isinstance(value, Shown) else value


def donor_report_xlsx(report: DonorReport) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # noqa: S101 - a new workbook always has one sheet
    sheet.title = _("Donor report")[:31]
    rows: list[list[Any]] = [
        [_("Site"), str(report.site)],
        [_("From"), report.since, _("To"), report.until],
        [_("Counts only. A count from 1 to 4 shows as <5.")],
        [str(WITHHELD_NOTE)],
        [],
        [_("People served"), report.people_served],
        [],
        [_("Handed out, by item")],
        *[[line.label, line.count] for line in report.handouts],
        [_("Total"), report.handouts_total],
        [],
        [_("Referrals, by reason")],
        *[[line.label, line.count] for line in report.referrals],
        [_("Total"), report.referrals_total],
        [],
        [_("Appointments kept")],
        *[[line.label, line.count] for line in report.appointments],
        [],
        [
            _("Donor"),
            _("Item"),
            _("Received"),
            _("Handed out here in the period"),
            _("Handed out in all"),
            _("Written off"),
            _("Still in stock"),
        ],
        *[
            [d.donor, d.item, d.received, d.handed_out_here, d.handed_out, d.written_off, d.on_hand]
            for d in report.donors
        ],
    ]
    for row in rows:
        sheet.append([safe_cell(_text(value)) for value in row])
    sheet.column_dimensions["A"].width = 34
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
