"""The pure CSV parsers: every bad row reported, good rows converted."""

import pytest

from opd.importing import (
    EMPLOYEE_COLUMNS,
    OPD_COLUMNS,
    POST_COLUMNS,
    parse_employees,
    parse_opds,
    parse_posts,
    read_table,
)


def table(name, text, columns, *, encoding="utf-8"):
    result, errors = read_table(name, text.encode(encoding), columns)
    assert errors == []
    return result


def test_bom_and_crlf_are_read_like_plain_utf8():
    plain = "code,name,essential\nA,Dinas A,1\nB,Dinas B,0\n"
    with_bom = "\ufeff" + plain.replace("\n", "\r\n")
    for text in (plain, with_bom):
        rows, errors = parse_opds(table("opds.csv", text, OPD_COLUMNS))
        assert errors == []
        assert [(r.code, r.name, r.essential) for r in rows] == [
            ("A", "Dinas A", True),
            ("B", "Dinas B", False),
        ]


def test_header_names_are_case_insensitive_and_extra_columns_ignored():
    rows, errors = parse_opds(
        table("opds.csv", "Code,NAME,Essential,keterangan\nA,Dinas A,0,catatan\n", OPD_COLUMNS)
    )
    assert errors == [] and rows[0].code == "A"


def test_missing_column_is_reported_on_the_header_line():
    result, errors = read_table("posts.csv", b"opd_code,code,name\nA,X,Loket\n", POST_COLUMNS)
    assert result is None
    assert [str(e).split(": ")[0:2] for e in errors] == [["posts.csv:1", "min_onsite"]]


def test_non_utf8_file_is_refused_with_the_fix():
    result, errors = read_table(
        "opds.csv", "code,name,essential\nA,Dinas Ñ,0\n".encode("cp1252"), OPD_COLUMNS
    )
    assert result is None
    assert "CSV UTF-8" in str(errors[0]) and str(errors[0]).startswith("opds.csv:2:")


def test_empty_file_is_refused():
    result, errors = read_table("opds.csv", b"", OPD_COLUMNS)
    assert result is None and "kosong" in str(errors[0])


def test_blank_lines_are_skipped_and_line_numbers_stay_physical():
    rows, errors = parse_opds(
        table("opds.csv", "code,name,essential\n\nA,Dinas A,1\n\nB,,1\n", OPD_COLUMNS)
    )
    assert [r.code for r in rows] == ["A"]
    assert [str(e) for e in errors] == ["opds.csv:5: name: wajib diisi."]


def test_every_bad_opd_row_is_reported_at_once():
    text = (
        "code,name,essential\n"
        "A,Dinas A,ya\n"  # essential must be 1/0
        ",Dinas Tanpa Kode,0\n"  # code required
        "C,Dinas C,0\n"
        "C,Dinas C lagi,0\n"  # duplicate code
    )
    rows, errors = parse_opds(table("opds.csv", text, OPD_COLUMNS))
    assert [r.code for r in rows] == ["C"]
    assert [(e.line, e.column) for e in errors] == [(2, "essential"), (3, "code"), (5, "code")]
    assert "sudah ada di baris 4" in errors[2].reason


def test_optional_office_columns_are_checked():
    text = (
        "code,name,essential,office_lat,office_lon,geofence_radius_m\n"
        "A,Dinas A,0,-6.2,106.9,150\n"
        "B,Dinas B,0,-95,106.9,150\n"
        "C,Dinas C,0,-6.2,,150\n"
        "D,Dinas D,0,nan,106.9,0\n"
    )
    rows, errors = parse_opds(table("opds.csv", text, OPD_COLUMNS))
    assert [(r.code, r.office_lat, r.geofence_radius_m) for r in rows] == [("A", -6.2, 150)]
    assert [(e.line, e.column) for e in errors] == [
        (3, "office_lat"),
        (4, "office_lon"),
        (5, "office_lat"),
        (5, "geofence_radius_m"),
    ]


def test_posts_refer_to_known_opds_and_have_a_sane_minimum():
    text = (
        "opd_code,code,name,min_onsite\n"
        "A,KTP,Loket KTP,3\n"
        "Z,KTP,Loket KTP,3\n"  # unknown OPD
        "A,KK,Loket KK,-1\n"  # negative minimum
        "A,AKTA,Loket Akta,dua\n"  # not a number
        "A,KTP,Loket KTP lagi,1\n"  # duplicate (OPD, code)
    )
    rows, errors = parse_posts(table("posts.csv", text, POST_COLUMNS), opd_codes={"A"})
    assert [(r.opd_code, r.code, r.min_onsite) for r in rows] == [("A", "KTP", 3)]
    assert [(e.line, e.column) for e in errors] == [
        (3, "opd_code"),
        (4, "min_onsite"),
        (5, "min_onsite"),
        (6, "code"),
    ]


EMPLOYEES_HEADER = ",".join(EMPLOYEE_COLUMNS) + "\n"


def parse(text, **known):
    """Read and parse employees.csv; errors of both steps, as the import reports them.

    Pass ``warnings=[]`` to collect the warnings too."""
    known.setdefault("opd_codes", {"A", "B"})
    known.setdefault("post_keys", {("A", "KTP")})
    result, read_errors = read_table(
        "employees.csv", (EMPLOYEES_HEADER + text).encode(), EMPLOYEE_COLUMNS
    )
    rows, errors = parse_employees(result, **known)
    return rows, read_errors + errors


def test_good_employee_rows_are_converted():
    rows, errors = parse(
        "198504122010011003,Budi Santoso,A,KTP,0,asn\n199001012015012001,Siti Aminah,B,,1,HEAD\n"
    )
    assert errors == []
    assert [(r.nip, r.post_code, r.wfh_eligible, r.role) for r in rows] == [
        ("198504122010011003", "KTP", False, "asn"),
        ("199001012015012001", "", True, "head"),
    ]


@pytest.mark.parametrize(
    ("row", "column", "words"),
    [
        ("1.98504E+17,Budi,A,,1,asn", "nip", "notasi ilmiah"),
        ("'198504122010011003,Budi,A,,1,asn", "nip", "tanda kutip"),
        (" 198504122010011003,Budi,A,,1,asn", "nip", "spasi"),
        ("198513122010011003,Budi,A,,1,asn", "nip", "Tanggal lahir"),
        ("198504122010011003,,A,,1,asn", "name", "wajib diisi"),
        ("198504122010011003,Budi,Z,,1,asn", "opd_code", 'OPD "Z" tidak dikenal'),
        ("198504122010011003,Budi,B,KTP,1,asn", "post_code", 'tidak ada di OPD "B"'),
        ("198504122010011003,Budi,A,,yes,asn", "wfh_eligible", "harus 1 (ya) atau 0"),
        ("198504122010011003,Budi,A,,1,admin", "role", "asn, head, bkpsdm"),
        ("198504122010011003,Budi,A,,1,asn,extra,extra", "-", "cek tanda koma"),
    ],
)
def test_each_kind_of_bad_employee_row_names_its_column(row, column, words):
    rows, errors = parse(row + "\n")
    assert rows == []
    assert len(errors) == 1
    assert errors[0].line == 2 and errors[0].column == column
    assert words in errors[0].reason


def test_duplicate_nip_points_at_the_first_line():
    rows, errors = parse("198504122010011003,Budi,A,,1,asn\n198504122010011003,Budi L,A,,1,asn\n")
    assert len(rows) == 1
    assert str(errors[0]) == "employees.csv:3: nip: sudah ada di baris 2."


def test_markup_in_names_is_kept_as_text():
    rows, errors = parse('198504122010011003,"<script>alert(1)</script>",A,,1,asn\n')
    assert errors == [] and rows[0].name == "<script>alert(1)</script>"


def test_nip_ending_in_000_is_kept_with_a_warning_on_its_line():
    warnings = []
    rows, errors = parse(
        "198504122010011003,Budi,A,,1,asn\n198503152010011000,Siti,A,,1,asn\n",
        warnings=warnings,
    )
    assert errors == []
    assert [r.nip for r in rows] == ["198504122010011003", "198503152010011000"]
    assert [str(w).split(": ")[:2] for w in warnings] == [["employees.csv:3", "nip"]]
    assert "berakhir dengan 000" in warnings[0].reason
