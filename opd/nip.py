"""NIP (Nomor Induk Pegawai) parsing and validation. Pure: no database, no settings.

A NIP is 18 digits::

    19850412 201001 1 003
    birth    appoint g seq

birth date YYYYMMDD, appointment (TMT CPNS) YYYYMM, gender digit (1 male, 2 female),
three-digit sequence. ``parse_nip`` returns the parts or raises ``NipError`` whose
message names the part that is wrong, in the active language.

Spreadsheets damage NIPs in recognisable ways (an 18-digit number does not fit a
double, so Excel shows ``1.98504E+17``; a leading apostrophe or space is what people
type to stop that). Those get their own message that says how to fix the column.
One kind of damage still gives a valid NIP: Excel keeps 15 significant digits, so the
last three (the sequence) come back as ``000``. ``nip_warning`` flags that; the row
imports, with a warning.
"""

import re
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

NIP_LENGTH = 18
_SCIENTIFIC = re.compile(r"^\s*\d+(?:[.,]\d+)?[eE][+-]?\d+\s*$")
_DECIMAL = re.compile(r"^\d+[.,]0+$")
# Years a serving civil servant can plausibly have been born or appointed in.
MIN_YEAR = 1900
MAX_YEAR = 2100


class NipError(ValueError):
    """A NIP that is not valid; ``str(error)`` is a message for the person who typed it."""


@dataclass(frozen=True)
class Nip:
    value: str
    birth_date: date
    appointment_year: int
    appointment_month: int
    gender: int
    sequence: str


def excel_damage(raw: str) -> str | None:
    """Return a fix-it message when ``raw`` looks like a NIP mangled by a spreadsheet."""
    if _SCIENTIFIC.match(raw):
        return _(
            "NIP tertulis dalam notasi ilmiah ({raw}) karena Excel menganggapnya angka; "
            "digit terakhirnya sudah hilang. Format kolom nip sebagai Teks, ketik ulang "
            "18 digit NIP, lalu simpan lagi sebagai CSV."
        ).format(raw=raw.strip())
    if raw.startswith("'"):
        return _(
            "NIP diawali tanda kutip (') dari Excel. Hapus tanda kutipnya; format kolom "
            "nip sebagai Teks agar Excel tidak mengubah angkanya."
        )
    if raw != raw.strip():
        return _(
            "NIP mengandung spasi di awal atau akhir. Hapus spasinya; format kolom nip "
            "sebagai Teks agar Excel tidak mengubah angkanya."
        )
    if _DECIMAL.match(raw):
        return _(
            "NIP tertulis sebagai angka desimal ({raw}). Format kolom nip sebagai Teks "
            "dan ketik ulang 18 digitnya tanpa desimal."
        ).format(raw=raw)
    return None


def parse_nip(raw: str) -> Nip:
    """Parse an 18-digit NIP; raise ``NipError`` naming the wrong part."""
    damage = excel_damage(raw)
    if damage:
        raise NipError(damage)
    if not raw:
        raise NipError(_("NIP wajib diisi."))
    if not raw.isascii() or not raw.isdigit():
        raise NipError(_("NIP hanya boleh berisi angka 0-9."))
    if len(raw) != NIP_LENGTH:
        raise NipError(_("NIP harus tepat 18 digit, bukan {count} digit.").format(count=len(raw)))

    birth = raw[0:8]
    try:
        birth_date = date(int(birth[0:4]), int(birth[4:6]), int(birth[6:8]))
    except ValueError:
        birth_date = None
    if birth_date is None or not MIN_YEAR <= birth_date.year <= MAX_YEAR:
        raise NipError(
            _("Tanggal lahir pada NIP (digit 1-8: {part}) bukan tanggal yang valid.").format(
                part=birth
            )
        )

    appointment = raw[8:14]
    year, month = int(appointment[0:4]), int(appointment[4:6])
    if not (MIN_YEAR <= year <= MAX_YEAR and 1 <= month <= 12):
        raise NipError(
            _(
                "TMT pengangkatan pada NIP (digit 9-14: {part}) bukan tahun-bulan yang valid."
            ).format(part=appointment)
        )
    if (year, month) <= (birth_date.year, birth_date.month):
        raise NipError(
            _(
                "TMT pengangkatan pada NIP (digit 9-14: {part}) tidak boleh sebelum "
                "tanggal lahir (digit 1-8: {birth})."
            ).format(part=appointment, birth=birth)
        )

    gender = raw[14]
    if gender not in "12":
        raise NipError(
            _(
                "Kode jenis kelamin pada NIP (digit ke-15) harus 1 (laki-laki) atau "
                "2 (perempuan), bukan {digit}."
            ).format(digit=gender)
        )

    return Nip(
        value=raw,
        birth_date=birth_date,
        appointment_year=year,
        appointment_month=month,
        gender=int(gender),
        sequence=raw[15:18],
    )


def nip_error(raw: str) -> str | None:
    """The message for an invalid NIP, or None when it is valid."""
    try:
        parse_nip(raw)
    except NipError as error:
        return str(error)
    return None


def nip_warning(raw: str) -> str | None:
    """A warning for a valid NIP that is probably Excel's damage, or None.

    Sequence numbers start at 001, so a valid NIP ending in ``000`` is the trace of
    Excel's 15-digit rounding (198503152010011003 stored as 1.98503152010011E+17 reads
    back as 198503152010011000). It cannot be proved wrong, so it is not an error.
    """
    if nip_error(raw) is not None or not raw.endswith("000"):
        return None
    return _(
        "NIP {nip} berakhir dengan 000, padahal nomor urut NIP dimulai dari 001. Ini "
        "hampir pasti NIP yang dibulatkan Excel ke 15 digit (misalnya 1.98503152010011E+17 "
        "menjadi 198503152010011000), sehingga tiga digit terakhirnya hilang. Baris ini "
        "tetap diterima. Cocokkan dengan data kepegawaian; bila salah, format kolom nip "
        "sebagai Teks, ketik ulang 18 digit NIP yang benar, impor lagi, lalu nonaktifkan "
        "pegawai dengan NIP yang salah."
    ).format(nip=raw)
