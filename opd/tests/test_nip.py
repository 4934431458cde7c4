from datetime import date

import pytest

from opd.nip import NipError, excel_damage, nip_error, nip_warning, parse_nip

GOOD = "198504122010011003"


def test_valid_nip_is_split_into_its_parts():
    nip = parse_nip(GOOD)
    assert nip.birth_date == date(1985, 4, 12)
    assert (nip.appointment_year, nip.appointment_month) == (2010, 1)
    assert nip.gender == 1
    assert nip.sequence == "003"


def test_female_gender_digit_is_accepted():
    assert parse_nip("199001012015012001").gender == 2


@pytest.mark.parametrize(
    ("raw", "expected_words"),
    [
        # scenario: too short / too long
        ("19850412201001100", "18 digit, bukan 17"),
        ("1985041220100110031", "18 digit, bukan 19"),
        # letters and other characters are not digits
        ("19850412201001100A", "hanya boleh berisi angka"),
        ("1985-04-12-2010011", "hanya boleh berisi angka"),
        # Arabic-Indic digits pass str.isdigit() but are not NIP digits
        ("١٩٨٥٠٤١٢٢٠١٠٠١١٠٠٣", "hanya boleh berisi angka"),
        ("", "wajib diisi"),
        # birth date part (digits 1-8) is not a real date
        ("198513122010011003", "Tanggal lahir pada NIP (digit 1-8: 19851312)"),
        ("198502302010011003", "Tanggal lahir pada NIP (digit 1-8: 19850230)"),
        ("185004122010011003", "Tanggal lahir pada NIP (digit 1-8: 18500412)"),
        # appointment part (digits 9-14) is not a real year-month
        ("198504122010131003", "TMT pengangkatan pada NIP (digit 9-14: 201013)"),
        ("198504122010001003", "TMT pengangkatan pada NIP (digit 9-14: 201000)"),
        # appointed before being born
        ("198504121980011003", "tidak boleh sebelum tanggal lahir"),
        # gender digit (15th) must be 1 or 2
        ("198504122010013003", "digit ke-15) harus 1 (laki-laki) atau 2 (perempuan), bukan 3"),
        ("198504122010010003", "bukan 0"),
    ],
)
def test_invalid_nip_message_names_the_wrong_part(raw, expected_words):
    with pytest.raises(NipError) as error:
        parse_nip(raw)
    assert expected_words in str(error.value)


@pytest.mark.parametrize(
    ("raw", "expected_words"),
    [
        ("1.98504E+17", "notasi ilmiah (1.98504E+17)"),
        ("1,98504E+17", "notasi ilmiah"),
        ("1.98504122010011E+17", "notasi ilmiah"),
        ("'198504122010011003", "tanda kutip"),
        (" 198504122010011003", "spasi"),
        ("198504122010011003 ", "spasi"),
        ("198504122010011003.0", "angka desimal"),
    ],
)
def test_excel_mangled_nip_says_how_to_fix_the_column(raw, expected_words):
    message = nip_error(raw)
    assert expected_words in message
    assert "format kolom nip sebagai teks" in message.lower()


def test_clean_nip_has_no_excel_damage():
    assert excel_damage(GOOD) is None
    assert nip_error(GOOD) is None


def test_nip_ending_in_000_is_valid_but_warned_as_excel_rounding():
    # 198503152010011003 typed into a number cell: 1.98503152010011E+17 -> ...000
    rounded = "198503152010011000"
    assert nip_error(rounded) is None
    message = nip_warning(rounded)
    assert "NIP 198503152010011000 berakhir dengan 000" in message
    assert "15 digit" in message
    assert "format kolom nip sebagai teks" in message.lower()


@pytest.mark.parametrize(
    "raw",
    [
        GOOD,
        # a sequence with zeros that is not 000
        "198504122010011100",
        "198504122010011010",
        # an invalid NIP gets its error, not also a warning
        "198513122010011000",
        "1.98503152010011E+17",
        "",
    ],
)
def test_other_nips_get_no_warning(raw):
    assert nip_warning(raw) is None
