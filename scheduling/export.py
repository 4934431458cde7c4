"""Saved roster -> files: ``nip,date,mode`` rows as CSV, JSON or an XLSX workbook. Pure.

``nip,date,mode`` (one row per employee per Monday-Friday date, sorted by NIP then
date) is what the attendance app's schedule is adjusted from.
"""

import csv
import io
import json
from collections.abc import Iterable
from datetime import date

from django.utils.translation import gettext as _

HEADER = ("nip", "date", "mode")
# Cell colours per mode, the same as the roster page.
FILLS = {
    "WFH": "CFE2FF",
    "WFA": "E2D9F3",
    "WFO": "D1E7DD",
    "LEAVE": "FFF3CD",
    "HOLIDAY": "E9ECEF",
}


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Text a spreadsheet would run as a formula (``=HYPERLINK(...)`` in a name) is
    written with a leading apostrophe, as OWASP advises for CSV and XLSX exports."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_text(rows: Iterable[tuple[str, date, str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    # A date is written as str() gives it: its ISO form.
    writer.writerows(rows)
    return out.getvalue()


def json_text(rows: Iterable[tuple[str, date, str]]) -> str:
    return json.dumps(
        [{"nip": nip, "date": day.isoformat(), "mode": mode} for nip, day, mode in rows],
        indent=1,
    )


def xlsx_bytes(
    *,
    title: str,
    days: list[date],
    grid: list[tuple[str, str, str, list[str]]],
    rows: list[tuple[str, date, str]],
) -> bytes:
    """Workbook with the week as a grid (NIP, name, post, one column per day) and the
    ``nip,date,mode`` rows on a second sheet."""
    # Imported here: openpyxl costs every process start 0.1 s, and the CSV export and
    # the scheduled build (command-line processes) never write a workbook.
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    book = Workbook()
    sheet = book.active
    sheet.title = "Roster"
    sheet.append([safe_cell(title)])
    sheet["A1"].font = Font(bold=True)
    sheet.append([_("NIP"), _("Nama"), _("Pos"), *[day.isoformat() for day in days]])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for nip, name, post, modes in grid:
        sheet.append([nip, safe_cell(name), safe_cell(post), *modes])
        for offset, mode in enumerate(modes):
            colour = FILLS.get(mode)
            if colour:
                sheet.cell(sheet.max_row, 4 + offset).fill = PatternFill("solid", fgColor=colour)
    # NIPs are text: an 18-digit number would lose its last digits in Excel.
    for (cell,) in sheet.iter_rows(min_row=3, min_col=1, max_col=1):
        cell.number_format = "@"
    sheet.column_dimensions["A"].width = 21
    sheet.column_dimensions["B"].width = 28
    sheet.column_dimensions["C"].width = 24
    data = book.create_sheet("nip,date,mode")
    data.append(list(HEADER))
    for nip, day, mode in rows:
        data.append([nip, day, mode])
        data.cell(data.max_row, 1).number_format = "@"
        data.cell(data.max_row, 2).number_format = "yyyy-mm-dd"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
