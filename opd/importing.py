"""Dataset CSV files -> validated plain values. Pure: no database.

``read_table`` turns the bytes of one uploaded or on-disk CSV file into numbered rows.
``parse_opds``, ``parse_posts`` and ``parse_employees`` check every row and return
the good values and a list of ``RowError`` (``file:line: column: reason``), so a
person can fix a whole file in one pass. A ``RowWarning`` has the same shape for a
value that is accepted but probably wrong (a NIP ending in 000). References to OPDs
and posts are checked against the other files *and* what the database already holds,
passed in as sets.
The scheduling app parses its own files with the same helpers.
"""

import csv
import io
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from .nip import nip_error, nip_warning

ROLES = ("asn", "head", "bkpsdm")
MAX_NAME = 200
MAX_OPD_CODE = 20
MAX_POST_CODE = 30
MAX_MIN_ONSITE = 1000


@dataclass(frozen=True)
class RowError:
    file: str
    line: int
    column: str
    reason: str

    def __str__(self):
        return f"{self.file}:{self.line}: {self.column}: {self.reason}"


@dataclass(frozen=True)
class RowWarning(RowError):
    """A value that is accepted and written, but that the person should check."""


@dataclass(frozen=True)
class Row:
    line: int
    values: dict[str, str]
    present: frozenset[str]

    def get(self, column: str) -> str:
        return self.values.get(column, "")


@dataclass(frozen=True)
class Table:
    file: str
    rows: list[Row]
    columns: frozenset[str]


@dataclass(frozen=True)
class OpdRow:
    line: int
    code: str
    name: str
    essential: bool
    office_lat: float | None = None
    office_lon: float | None = None
    geofence_radius_m: int | None = None
    monthly_operating_cost: int | None = None
    fixed_cost_share_percent: int | None = None
    # Optional columns that were present in the file; absent ones leave the DB alone.
    optional: frozenset[str] = frozenset()


@dataclass(frozen=True)
class PostRow:
    line: int
    opd_code: str
    code: str
    name: str
    min_onsite: int


@dataclass(frozen=True)
class EmployeeRow:
    line: int
    nip: str
    name: str
    opd_code: str
    post_code: str
    wfh_eligible: bool
    role: str
    home_lat: float | None = None
    home_lon: float | None = None
    active: bool = True
    optional: frozenset[str] = frozenset()
    # The login account's e-mail address, for notices (empty: none).
    email: str = ""


OPD_COLUMNS = ("code", "name", "essential")
OPD_OPTIONAL = (
    "office_lat",
    "office_lon",
    "geofence_radius_m",
    "monthly_operating_cost",
    "fixed_cost_share_percent",
)
POST_COLUMNS = ("opd_code", "code", "name", "min_onsite")
EMPLOYEE_COLUMNS = ("nip", "name", "opd_code", "post_code", "wfh_eligible", "role")
EMPLOYEE_OPTIONAL = ("home_lat", "home_lon", "active", "email")


def read_table(
    file: str, data: bytes, columns: Iterable[str]
) -> tuple[Table | None, list[RowError]]:
    """Decode a CSV file (UTF-8 with or without BOM, CRLF or LF) into numbered rows.

    Column names are matched case-insensitively; extra columns are ignored. Values
    are kept exactly as written (a NIP's stray spaces are the parser's business).
    Returns ``(None, errors)`` when the file itself is unusable.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return None, [
            RowError(
                file,
                text_line(data, error.start),
                "-",
                _('berkas bukan teks UTF-8; simpan ulang sebagai "CSV UTF-8".'),
            )
        ]
    if "\x00" in text:
        return None, [RowError(file, 1, "-", _("berkas berisi data biner, bukan CSV."))]
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        return None, [RowError(file, 1, "-", _("berkas kosong; baris judul kolom wajib ada."))]
    except csv.Error as error:
        return None, [RowError(file, 1, "-", _("CSV tidak terbaca: {e}").format(e=error))]
    names = [name.strip().lower() for name in header]
    missing = [column for column in columns if column not in names]
    if missing:
        return None, [
            RowError(
                file,
                1,
                column,
                _("kolom wajib tidak ada di baris judul (ditemukan: {found}).").format(
                    found=",".join(header)
                ),
            )
            for column in missing
        ]
    duplicated = sorted({name for name in names if name and names.count(name) > 1})
    if duplicated:
        return None, [
            RowError(file, 1, name, _("kolom ini muncul lebih dari sekali.")) for name in duplicated
        ]

    rows, errors = [], []
    present = frozenset(name for name in names if name)
    try:
        for record in reader:
            line = reader.line_num
            if not any(value.strip() for value in record):
                continue
            if len(record) > len(names):
                errors.append(
                    RowError(
                        file,
                        line,
                        "-",
                        _("baris ini punya {got} kolom, judulnya {want}; cek tanda koma.").format(
                            got=len(record), want=len(names)
                        ),
                    )
                )
                continue
            values = dict(zip(names, record, strict=False))
            rows.append(Row(line, values, present))
    except csv.Error as error:
        errors.append(
            RowError(file, reader.line_num, "-", _("CSV tidak terbaca: {e}").format(e=error))
        )
    return Table(file, rows, present), errors


def text_line(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


class RowChecker:
    """Collects the errors (and warnings) of one row while converting its values."""

    def __init__(
        self,
        file: str,
        row: Row,
        errors: list[RowError],
        warnings: list[RowWarning] | None = None,
    ):
        self.file, self.row, self.errors = file, row, errors
        self.warnings = [] if warnings is None else warnings
        self.failed = False

    def error(self, column: str, reason: str) -> None:
        self.failed = True
        self.errors.append(RowError(self.file, self.row.line, column, reason))

    def warn(self, column: str, reason: str) -> None:
        self.warnings.append(RowWarning(self.file, self.row.line, column, reason))

    def text(self, column: str, *, max_length: int, required: bool = True) -> str:
        value = self.row.get(column).strip()
        if required and not value:
            self.error(column, _("wajib diisi."))
        elif len(value) > max_length:
            self.error(column, _("terlalu panjang (maksimal {n} karakter).").format(n=max_length))
        elif any(ord(ch) < 32 for ch in value):
            self.error(column, _("berisi karakter kontrol yang tidak boleh ada."))
        return value

    def flag(self, column: str, *, default: bool | None = None) -> bool:
        value = self.row.get(column).strip()
        if value == "" and default is not None:
            return default
        if value not in ("0", "1"):
            self.error(column, _('harus 1 (ya) atau 0 (tidak), bukan "{v}".').format(v=value))
            return False
        return value == "1"

    def integer(self, column: str, *, low: int, high: int, required: bool = True) -> int | None:
        value = self.row.get(column).strip()
        if value == "" and not required:
            return None
        try:
            number = int(value)
        except ValueError:
            self.error(column, _('harus bilangan bulat, bukan "{v}".').format(v=value))
            return None
        if not low <= number <= high:
            self.error(
                column,
                _("harus antara {low} dan {high}, bukan {v}.").format(low=low, high=high, v=number),
            )
            return None
        return number

    def coordinate(self, column: str, *, limit: float) -> float | None:
        value = self.row.get(column).strip()
        if value == "":
            return None
        try:
            number = float(value.replace(",", "."))
        except ValueError:
            number = math.nan
        if not math.isfinite(number) or not -limit <= number <= limit:
            self.error(
                column,
                _('harus angka desimal antara -{limit} dan {limit}, bukan "{v}".').format(
                    limit=limit, v=value
                ),
            )
            return None
        return number

    def choice(self, column: str, choices: tuple[str, ...]) -> str:
        value = self.row.get(column).strip().lower()
        if value not in choices:
            self.error(
                column,
                _('harus salah satu dari {choices}, bukan "{v}".').format(
                    choices=", ".join(choices), v=self.row.get(column).strip()
                ),
            )
        return value

    def both_or_neither(self, first: str, second: str) -> None:
        a, b = self.row.get(first).strip(), self.row.get(second).strip()
        if bool(a) != bool(b):
            self.error(
                second if a else first,
                _("{a} dan {b} harus diisi berdua.").format(a=first, b=second),
            )


def unique_rows(
    rows: Iterable, key: Callable, file: str, column: str, errors: list[RowError]
) -> list:
    """Drop rows whose key was already seen, reporting each repeat with the first line."""
    seen: dict = {}
    kept = []
    for row in rows:
        first = seen.setdefault(key(row), row.line)
        if first != row.line:
            errors.append(
                RowError(file, row.line, column, _("sudah ada di baris {line}.").format(line=first))
            )
        else:
            kept.append(row)
    return kept


def parse_opds(table: Table) -> tuple[list[OpdRow], list[RowError]]:
    """Rows of ``opds.csv``: ``code,name,essential`` (+ optional location and cost)."""
    errors: list[RowError] = []
    parsed = []
    optional = frozenset(OPD_OPTIONAL) & table.columns
    for row in table.rows:
        check = RowChecker(table.file, row, errors)
        code = check.text("code", max_length=MAX_OPD_CODE)
        name = check.text("name", max_length=MAX_NAME)
        essential = check.flag("essential")
        lat = check.coordinate("office_lat", limit=90)
        lon = check.coordinate("office_lon", limit=180)
        check.both_or_neither("office_lat", "office_lon")
        radius = check.integer("geofence_radius_m", low=1, high=100_000, required=False)
        cost = check.integer("monthly_operating_cost", low=0, high=10**15, required=False)
        fixed = check.integer("fixed_cost_share_percent", low=0, high=100, required=False)
        if not check.failed:
            parsed.append(
                OpdRow(row.line, code, name, essential, lat, lon, radius, cost, fixed, optional)
            )
    return unique_rows(parsed, lambda r: r.code, table.file, "code", errors), errors


def parse_posts(table: Table, *, opd_codes: set[str]) -> tuple[list[PostRow], list[RowError]]:
    """Rows of ``posts.csv``: ``opd_code,code,name,min_onsite``.

    ``opd_codes``: OPDs known from ``opds.csv`` or already in the database.
    """
    errors: list[RowError] = []
    parsed = []
    for row in table.rows:
        check = RowChecker(table.file, row, errors)
        opd_code = check.text("opd_code", max_length=MAX_OPD_CODE)
        if opd_code and opd_code not in opd_codes:
            check.error("opd_code", _('OPD "{code}" tidak dikenal.').format(code=opd_code))
        code = check.text("code", max_length=MAX_POST_CODE)
        name = check.text("name", max_length=MAX_NAME)
        min_onsite = check.integer("min_onsite", low=0, high=MAX_MIN_ONSITE)
        if not check.failed:
            parsed.append(PostRow(row.line, opd_code, code, name, min_onsite))
    kept = unique_rows(parsed, lambda r: (r.opd_code, r.code), table.file, "code", errors)
    return kept, errors


def parse_employees(
    table: Table,
    *,
    opd_codes: set[str],
    post_keys: set[tuple[str, str]],
    warnings: list[RowWarning] | None = None,
) -> tuple[list[EmployeeRow], list[RowError]]:
    """Rows of ``employees.csv``: ``nip,name,opd_code,post_code,wfh_eligible,role``.

    ``post_code`` empty means back office. ``post_keys``: ``(opd_code, post_code)``
    pairs known from ``posts.csv`` or the database. A NIP that is valid but probably
    damaged (``nip_warning``) is appended to ``warnings``; the row is still kept.
    """
    errors: list[RowError] = []
    parsed = []
    optional = frozenset(EMPLOYEE_OPTIONAL) & table.columns
    for row in table.rows:
        check = RowChecker(table.file, row, errors, warnings)
        nip = row.get("nip")
        message = nip_error(nip)
        if message:
            check.error("nip", message)
        elif warning := nip_warning(nip):
            check.warn("nip", warning)
        name = check.text("name", max_length=MAX_NAME)
        opd_code = check.text("opd_code", max_length=MAX_OPD_CODE)
        if opd_code and opd_code not in opd_codes:
            check.error("opd_code", _('OPD "{code}" tidak dikenal.').format(code=opd_code))
        post_code = check.text("post_code", max_length=MAX_POST_CODE, required=False)
        if post_code and opd_code in opd_codes and (opd_code, post_code) not in post_keys:
            check.error(
                "post_code",
                _('pos "{post}" tidak ada di OPD "{opd}".').format(post=post_code, opd=opd_code),
            )
        wfh_eligible = check.flag("wfh_eligible")
        role = check.choice("role", ROLES)
        lat = check.coordinate("home_lat", limit=90)
        lon = check.coordinate("home_lon", limit=180)
        check.both_or_neither("home_lat", "home_lon")
        active = check.flag("active", default=True)
        email = check.text("email", max_length=254, required=False)
        if email:
            try:
                validate_email(email)
            except ValidationError:
                check.error("email", _('"{v}" bukan alamat e-mail yang benar.').format(v=email))
        if not check.failed:
            parsed.append(
                EmployeeRow(
                    row.line,
                    nip,
                    name,
                    opd_code,
                    post_code,
                    wfh_eligible,
                    role,
                    lat,
                    lon,
                    active,
                    optional,
                    email=email,
                )
            )
    return unique_rows(parsed, lambda r: r.nip, table.file, "nip", errors), errors
