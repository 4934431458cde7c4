"""The monthly recap as a table, and a table as a CSV or XLSX download: one home for
the per-OPD recap (``views.recap``) and the city-wide file for the finance office
(``evaluation``)."""

import csv
import io

from django.http import HttpResponse
from django.utils.translation import gettext as _

from scheduling.export import safe_cell

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A byte-order mark first: Excel then reads the file as UTF-8 (names such as "Ni Luh
# Putu Ayu Sukmawati" or with an é would otherwise come out garbled).
BOM = "\ufeff"


def recap_table(rows, tl_codes, psw_codes, *, with_opd: bool = False) -> tuple[list, list]:
    """(header, rows) of ``selectors.opd_recap``'s rows; ``with_opd`` adds the OPD."""
    header = [
        _("NIP"),
        _("Nama"),
        *([_("OPD")] if with_opd else []),
        _("Hari kerja"),
        _("Hadir"),
        _("Kehadiran (%)"),
        _("Hari kerja tanpa jadwal disetujui"),
        *tl_codes,
        *psw_codes,
        _("Tanpa keterangan"),
        _("Hari WFH/WFA"),
        _("Laporan belum ada"),
        _("Potongan TPP (%)"),
    ]
    table = [
        [
            r.employee.nip,
            safe_cell(r.employee.name),
            *([r.employee.opd.code] if with_opd else []),
            r.working_days,
            r.present,
            r.percent if r.percent is not None else "",
            r.unplanned,
            *r.late.values(),
            *r.early.values(),
            r.absent,
            r.wfh_days,
            r.missing_reports,
            r.deduction,
        ]
        for r in rows
    ]
    return header, table


def download(
    name: str, title: str, header: list, table: list, fmt: str, sheet: str = ""
) -> HttpResponse:
    """``table`` as ``name.csv`` or ``name.xlsx`` (``title`` on the sheet's first row);
    the first column (the NIP) is kept as text so Excel does not round it."""
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(table)
        response = HttpResponse(BOM + out.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    from openpyxl import Workbook  # only when a workbook is asked for (see scheduling.export)

    book = Workbook()
    page = book.active
    page.title = (sheet or name)[:31]
    page.append([safe_cell(title)])
    page.append(header)
    for row in table:
        page.append(row)
        page.cell(page.max_row, 1).number_format = "@"
    page.column_dimensions["A"].width = 21
    page.column_dimensions["B"].width = 28
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response
