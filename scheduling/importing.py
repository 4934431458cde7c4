"""leaves.csv, holidays.csv, policies.csv and costs.csv -> validated values. Pure: no database.

Same conventions as ``opd.importing``: every bad row is reported as a ``RowError``.
Dates are ``YYYY-MM-DD``; ``DD/MM/YYYY`` (what Excel shows in an Indonesian locale)
is accepted too.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime

from django.utils.translation import gettext as _

from opd.importing import MAX_OPD_CODE, RowChecker, RowError, Table, unique_rows
from opd.nip import nip_error

from .calendar import DateTextError, format_weekdays, parse_month, parse_weekdays
from .periods import first_overlap
from .roster import PolicyKind

LEAVE_COLUMNS = ("nip", "start", "end", "kind")
HOLIDAY_COLUMNS = ("date", "name")
POLICY_COLUMNS = ("name", "reference", "start", "end", "mode", "wfh_ratio", "weekdays")
POLICY_OPTIONAL = ("max_remote_days_per_week", "approval_required")
COST_COLUMNS = ("opd_code", "month", "amount")
# A yes/no column: what a spreadsheet user may write, lower-cased; empty is "no".
YES = ("1", "ya", "true")
NO = ("", "0", "tidak", "false")
LEAVE_KINDS = (
    "tahunan",
    "besar",
    "sakit",
    "melahirkan",
    "alasan_penting",
    "bersama",
    "cltn",
    "dinas_luar",
)
POLICY_MODES = (PolicyKind.ROTATION, PolicyKind.FIXED_DAYS, PolicyKind.WFA)
_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


@dataclass(frozen=True)
class LeaveRow:
    line: int
    nip: str
    start: date
    end: date
    kind: str


@dataclass(frozen=True)
class HolidayRow:
    line: int
    date: date
    name: str


@dataclass(frozen=True)
class StoredPolicy:
    name: str
    start: date
    end: date


@dataclass(frozen=True)
class PolicyRow:
    line: int
    name: str
    reference: str
    start: date
    end: date
    mode: str
    wfh_ratio: float
    weekdays: str
    max_remote_days_per_week: int | None = None
    approval_required: bool = False
    # Optional columns that were present in the file; absent ones leave the DB alone.
    optional: frozenset[str] = frozenset()


def parse_date(value: str) -> date:
    value = value.strip()
    match = _DMY.match(value)
    if match:
        return date(int(match[3]), int(match[2]), int(match[1]))
    return datetime.strptime(value, "%Y-%m-%d").date()


def _date(check: RowChecker, column: str) -> date | None:
    value = check.row.get(column).strip()
    if not value:
        check.error(column, _("wajib diisi."))
        return None
    try:
        return parse_date(value)
    except ValueError:
        check.error(
            column,
            _(
                'tanggal harus YYYY-MM-DD (misalnya 2026-12-24) atau DD/MM/YYYY, bukan "{v}".'
            ).format(v=value),
        )
        return None


def _yes_no(check: RowChecker, column: str) -> bool:
    value = check.row.get(column).strip()
    if value.lower() in YES:
        return True
    if value.lower() not in NO:
        check.error(
            column,
            _('harus 1/0, ya/tidak atau true/false (kosong = tidak), bukan "{v}".').format(v=value),
        )
    return False


def _period(check: RowChecker) -> tuple[date | None, date | None]:
    start, end = _date(check, "start"), _date(check, "end")
    if start and end and end < start:
        check.error(
            "end",
            _("tanggal selesai {end} sebelum tanggal mulai {start}.").format(
                end=end.isoformat(), start=start.isoformat()
            ),
        )
    return start, end


def parse_leaves(table: Table, *, nips: set[str]) -> tuple[list[LeaveRow], list[RowError]]:
    """Rows of ``leaves.csv``: ``nip,start,end,kind`` (dates inclusive).

    ``nips``: employees known from ``employees.csv`` or the database. Two leaves of the
    same person in the file may not overlap (``periods.overlaps``, the rule
    ``Leave.clean()`` applies); a stored leave that overlaps one in the file is not an
    error here, since the import replaces it (see ``upsert_leaves``).
    """
    errors: list[RowError] = []
    parsed = []
    for row in table.rows:
        check = RowChecker(table.file, row, errors)
        nip = row.get("nip")
        message = nip_error(nip)
        if message:
            check.error("nip", message)
        elif nip not in nips:
            check.error("nip", _("pegawai dengan NIP {nip} tidak dikenal.").format(nip=nip))
        start, end = _period(check)
        kind = check.choice("kind", LEAVE_KINDS)
        if not check.failed:
            parsed.append(LeaveRow(row.line, nip, start, end, kind))
    parsed = unique_rows(parsed, lambda r: (r.nip, r.start, r.end), table.file, "start", errors)
    by_person: dict[str, list[LeaveRow]] = {}
    kept = []
    for leave in sorted(parsed, key=lambda r: (r.nip, r.start, r.line)):
        previous = by_person.setdefault(leave.nip, [])
        clash = first_overlap(leave, previous)
        if clash:
            errors.append(
                RowError(
                    table.file,
                    leave.line,
                    "start",
                    _("cuti ini tumpang tindih dengan cuti di baris {line}.").format(
                        line=clash.line
                    ),
                )
            )
            continue
        previous.append(leave)
        kept.append(leave)
    errors.sort(key=lambda e: e.line)
    return sorted(kept, key=lambda r: r.line), errors


def parse_holidays(table: Table) -> tuple[list[HolidayRow], list[RowError]]:
    """Rows of ``holidays.csv``: ``date,name`` (regional days, cuti bersama)."""
    errors: list[RowError] = []
    parsed = []
    for row in table.rows:
        check = RowChecker(table.file, row, errors)
        day = _date(check, "date")
        name = check.text("name", max_length=120)
        if not check.failed:
            parsed.append(HolidayRow(row.line, day, name))
    return unique_rows(parsed, lambda r: r.date, table.file, "date", errors), errors


@dataclass(frozen=True)
class CostRow:
    line: int
    opd_code: str
    month: date
    amount: int


def parse_costs(table: Table, *, opd_codes: set[str]) -> tuple[list[CostRow], list[RowError]]:
    """Rows of ``costs.csv``: ``opd_code,month,amount``, an OPD's actual operating cost
    of a month (``2026-11``) in rupiah, to compare the savings estimate with the bills."""
    errors: list[RowError] = []
    parsed = []
    for row in table.rows:
        check = RowChecker(table.file, row, errors)
        opd_code = check.text("opd_code", max_length=MAX_OPD_CODE)
        if opd_code and opd_code not in opd_codes:
            check.error("opd_code", _('OPD "{code}" tidak dikenal.').format(code=opd_code))
        month = None
        try:
            month = parse_month(row.get("month"))
        except DateTextError as error:
            check.error("month", str(error))
        amount = check.integer("amount", low=0, high=10**15)
        if not check.failed:
            parsed.append(CostRow(row.line, opd_code, month, amount))
    kept = unique_rows(parsed, lambda r: (r.opd_code, r.month), table.file, "month", errors)
    return kept, errors


def parse_policies(
    table: Table, *, existing: list[tuple[str, date, date]]
) -> tuple[list[PolicyRow], list[RowError]]:
    """Rows of ``policies.csv``: ``name,reference,start,end,mode,wfh_ratio,weekdays``
    (+ optional ``max_remote_days_per_week``, 1-5, empty for no cap: rule 8; and
    ``approval_required``, 1/0, ya/tidak or true/false, empty = no: an ASN may ask for an
    extra WFH day, which their head approves). A file without an optional column leaves
    it alone.

    ``weekdays`` like ``tue,wed,thu,fri`` (empty = Monday to Friday). ``existing``:
    ``(name, start, end)`` of the policies in the database; periods may not overlap
    (``periods.overlaps``, the rule ``Policy.clean()`` applies; rows with the same name
    replace the stored policy of that name).
    """
    errors: list[RowError] = []
    parsed = []
    optional = frozenset(POLICY_OPTIONAL) & table.columns
    for row in table.rows:
        check = RowChecker(table.file, row, errors)
        name = check.text("name", max_length=120)
        cap = check.integer("max_remote_days_per_week", low=1, high=5, required=False)
        approval = _yes_no(check, "approval_required")
        reference = check.text("reference", max_length=120, required=False)
        start, end = _period(check)
        mode = check.choice("mode", POLICY_MODES)
        ratio_text = row.get("wfh_ratio").strip().replace(",", ".")
        ratio = 1.0
        if mode == PolicyKind.ROTATION or ratio_text:
            try:
                ratio = float(ratio_text)
                if not 0 <= ratio <= 1:
                    raise ValueError
            except ValueError:
                check.error(
                    "wfh_ratio",
                    _('harus angka antara 0 dan 1 (0.5 = 50:50), bukan "{v}".').format(
                        v=row.get("wfh_ratio").strip()
                    ),
                )
        try:
            weekdays = format_weekdays(parse_weekdays(row.get("weekdays")))
        except ValueError as error:
            check.error("weekdays", str(error))
            weekdays = ""
        if not check.failed:
            parsed.append(
                PolicyRow(
                    row.line,
                    name,
                    reference,
                    start,
                    end,
                    mode,
                    round(ratio, 2),
                    weekdays,
                    cap,
                    approval,
                    optional,
                )
            )
    parsed = unique_rows(parsed, lambda r: r.name, table.file, "name", errors)
    names = {row.name for row in parsed}
    periods: list[PolicyRow | StoredPolicy] = [
        StoredPolicy(name, start, end) for name, start, end in existing if name not in names
    ]
    kept = []
    for policy in sorted(parsed, key=lambda r: r.line):
        clash = first_overlap(policy, periods)
        if clash:
            where = (
                _("baris {line}").format(line=clash.line)
                if isinstance(clash, PolicyRow)
                else _('kebijakan tersimpan "{name}"').format(name=clash.name)
            )
            errors.append(
                RowError(
                    table.file,
                    policy.line,
                    "start",
                    _(
                        "masa berlaku tumpang tindih dengan {where}; satu hari hanya boleh "
                        "punya satu kebijakan."
                    ).format(where=where),
                )
            )
            continue
        periods.append(policy)
        kept.append(policy)
    errors.sort(key=lambda e: e.line)
    return kept, errors
