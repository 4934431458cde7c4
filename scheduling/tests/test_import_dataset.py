"""import_dataset: all rows validated first, all or nothing, idempotent upserts."""

from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from opd.models import Employee, Opd, Role, ServicePost
from opd.roles import BKPSDM_GROUP, HEAD_GROUP

pytestmark = pytest.mark.django_db

OPDS = "code,name,essential\nDISDUK,Disdukcapil,1\nBAPPEDA,Bappeda,0\n"
POSTS = "opd_code,code,name,min_onsite\nDISDUK,KTP,Loket KTP,3\nBAPPEDA,FO,Front Office,1\n"
EMPLOYEES = (
    "nip,name,opd_code,post_code,wfh_eligible,role\n"
    "198504122010011003,Budi Santoso,DISDUK,KTP,0,asn\n"
    "199001012015012001,Siti Aminah,BAPPEDA,,1,head\n"
    "199203032016011002,Rina Kusuma,BAPPEDA,FO,1,bkpsdm\n"
)


def write(folder: Path, **files: str | bytes) -> Path:
    for name, content in files.items():
        data = content.encode() if isinstance(content, str) else content
        (folder / f"{name}.csv").write_bytes(data)
    return folder


def run(folder, *args):
    from io import StringIO

    out, err = StringIO(), StringIO()
    call_command("import_dataset", str(folder), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def snapshot():
    return (
        list(Opd.objects.order_by("code").values_list("code", "name", "essential")),
        list(ServicePost.objects.order_by("code").values_list("opd__code", "code", "min_onsite")),
        list(
            Employee.objects.order_by("nip").values_list(
                "nip", "name", "opd__code", "post__code", "wfh_eligible", "role", "user__username"
            )
        ),
        get_user_model().objects.count(),
    )


def test_good_dataset_creates_opds_posts_employees_and_accounts(tmp_path):
    out, _ = run(write(tmp_path, opds=OPDS, posts=POSTS, employees=EMPLOYEES))
    assert "opds.csv: dibuat 2, diperbarui 0, tidak berubah 0" in out
    assert "employees.csv: dibuat 3, diperbarui 0, tidak berubah 0" in out
    budi = Employee.objects.select_related("post", "user").get(nip="198504122010011003")
    assert (budi.opd.code, budi.post.code, budi.wfh_eligible) == ("DISDUK", "KTP", False)
    # New accounts cannot log in until BKPSDM sets a password.
    assert budi.user.username == budi.nip and not budi.user.has_usable_password()
    rina = Employee.objects.select_related("user").get(nip="199203032016011002")
    assert rina.user.is_staff and list(rina.user.groups.values_list("name", flat=True)) == [
        BKPSDM_GROUP
    ]


def test_reimporting_the_same_files_changes_nothing(tmp_path):
    folder = write(tmp_path, opds=OPDS, posts=POSTS, employees=EMPLOYEES)
    run(folder)
    before = snapshot()
    passwords = list(get_user_model().objects.order_by("pk").values_list("password", flat=True))
    out, _ = run(folder)
    assert "employees.csv: dibuat 0, diperbarui 0, tidak berubah 3" in out
    assert snapshot() == before
    assert (
        list(get_user_model().objects.order_by("pk").values_list("password", flat=True))
        == passwords
    )


def test_changed_rows_are_updated_and_the_account_follows_the_role(tmp_path):
    run(write(tmp_path, opds=OPDS, posts=POSTS, employees=EMPLOYEES))
    changed = EMPLOYEES.replace("Rina Kusuma,BAPPEDA,FO,1,bkpsdm", "Rina K.,BAPPEDA,,1,head")
    out, _ = run(write(tmp_path, employees=changed))
    assert "employees.csv: dibuat 0, diperbarui 1, tidak berubah 2" in out
    rina = Employee.objects.select_related("user").get(nip="199203032016011002")
    assert (rina.name, rina.post, rina.role) == ("Rina K.", None, Role.HEAD)
    assert not rina.user.is_staff
    assert list(rina.user.groups.values_list("name", flat=True)) == [HEAD_GROUP]


def test_every_bad_row_of_every_file_is_listed_and_nothing_is_written(tmp_path):
    folder = write(
        tmp_path,
        opds=OPDS + "BAD,,2\n",
        posts=POSTS + "NOPE,X,Pos,1\n",
        employees=EMPLOYEES
        + "1.98504E+17,Excel,DISDUK,,1,asn\n198504122010011003,Dup,DISDUK,,1,asn\n",
    )
    with pytest.raises(CommandError, match="5 kesalahan"):
        run(folder)
    assert Opd.objects.count() == 0 and Employee.objects.count() == 0
    assert get_user_model().objects.count() == 0


def test_errors_are_printed_as_file_line_column_reason(tmp_path, capsys):
    folder = write(tmp_path, opds=OPDS, posts=POSTS + "DISDUK,KK,Loket KK,-2\n")
    from io import StringIO

    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_dataset", str(folder), stdout=StringIO(), stderr=err)
    assert err.getvalue().splitlines() == [
        "posts.csv:4: min_onsite: harus antara 0 dan 1000, bukan -2."
    ]


def test_dry_run_reports_counts_and_writes_nothing(tmp_path):
    out, _ = run(write(tmp_path, opds=OPDS, posts=POSTS, employees=EMPLOYEES), "--dry-run")
    assert "employees.csv: dibuat 3" in out and "--dry-run" in out
    assert snapshot() == ([], [], [], 0)


def test_bom_and_crlf_files_import_like_plain_ones(tmp_path):
    bom_crlf = {
        name: b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode()
        for name, text in (("opds", OPDS), ("posts", POSTS), ("employees", EMPLOYEES))
    }
    run(write(tmp_path, **bom_crlf))
    crlf_snapshot = snapshot()
    out, _ = run(write(tmp_path, opds=OPDS, posts=POSTS, employees=EMPLOYEES))
    assert "tidak berubah 3" in out
    assert snapshot() == crlf_snapshot


def test_employees_file_alone_refers_to_opds_already_in_the_database(tmp_path):
    run(write(tmp_path, opds=OPDS, posts=POSTS))
    (tmp_path / "opds.csv").unlink()
    (tmp_path / "posts.csv").unlink()
    out, _ = run(write(tmp_path, employees=EMPLOYEES))
    assert "employees.csv: dibuat 3" in out


def test_missing_folder_and_empty_folder_are_clear_errors(tmp_path):
    with pytest.raises(CommandError, match="tidak ditemukan"):
        run(tmp_path / "nope")
    with pytest.raises(CommandError, match="opds.csv, posts.csv, employees.csv"):
        run(tmp_path)


def test_existing_bare_account_with_the_nip_is_linked_not_duplicated(tmp_path):
    get_user_model().objects.create_user(username="198504122010011003", password="x-Secret-123")
    run(write(tmp_path, opds=OPDS, posts=POSTS, employees=EMPLOYEES))
    assert get_user_model().objects.filter(username="198504122010011003").count() == 1
    budi = Employee.objects.select_related("user").get(nip="198504122010011003")
    assert budi.user.check_password("x-Secret-123")


ROUNDED = "198503152010011000"  # 198503152010011003 after Excel's 15-digit rounding


def test_nip_ending_in_000_is_imported_and_warned_after_the_counts(tmp_path):
    employees = EMPLOYEES + f"{ROUNDED},Dewi Lestari,DISDUK,,1,asn\n"
    out, err = run(write(tmp_path, opds=OPDS, posts=POSTS, employees=employees))
    assert Employee.objects.filter(nip=ROUNDED).exists()
    lines = out.splitlines()
    counts = lines.index("employees.csv: dibuat 4, diperbarui 0, tidak berubah 0")
    assert lines[counts + 1].startswith(f"employees.csv:5: nip: NIP {ROUNDED} berakhir dengan 000")
    assert lines[counts + 2].startswith("1 peringatan: baris itu tetap diterima")
    assert lines[-1] == "Impor selesai."
    assert err == ""


def test_warning_is_listed_with_the_errors_when_the_import_fails(tmp_path):
    from io import StringIO

    employees = EMPLOYEES + f"{ROUNDED},Dewi Lestari,DISDUK,,1,asn\n" + "x,Y,DISDUK,,1,asn\n"
    err = StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_dataset",
            str(write(tmp_path, opds=OPDS, posts=POSTS, employees=employees)),
            stdout=StringIO(),
            stderr=err,
        )
    lines = err.getvalue().splitlines()
    assert lines[0].startswith("employees.csv:6: nip: ")
    assert lines[1].startswith("employees.csv:5: nip: NIP 198503152010011000")
    assert not Employee.objects.exists()


def test_the_optional_email_column_sets_the_login_address_for_notices(tmp_path):
    opds = "code,name,essential\nDISKOMINFO,Dinas Kominfo,0\n"
    head = "nip,name,opd_code,post_code,wfh_eligible,role"
    good = f"{head},email\n198503152010011001,Budi,DISKOMINFO,,1,asn,budi@bekasikota.go.id\n"
    (tmp_path / "opds.csv").write_text(opds)
    (tmp_path / "employees.csv").write_text(good)
    call_command("import_dataset", str(tmp_path), stdout=StringIO(), stderr=StringIO())
    user = get_user_model().objects.get(username="198503152010011001")
    assert user.email == "budi@bekasikota.go.id"
    # A file without the column leaves the address alone.
    (tmp_path / "employees.csv").write_text(f"{head}\n198503152010011001,Budi,DISKOMINFO,,1,asn\n")
    call_command("import_dataset", str(tmp_path), stdout=StringIO(), stderr=StringIO())
    user.refresh_from_db()
    assert user.email == "budi@bekasikota.go.id"
    # A bad address is an error naming file, line and column, and nothing changes.
    (tmp_path / "employees.csv").write_text(
        f"{head},email\n198503152010011001,Budi Baru,DISKOMINFO,,1,asn,budi@@bekasi\n"
    )
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_dataset", str(tmp_path), stdout=StringIO(), stderr=err)
    assert (
        'employees.csv:2: email: "budi@@bekasi" bukan alamat e-mail yang benar.' in err.getvalue()
    )
    user.refresh_from_db()
    assert (user.email, user.first_name) == ("budi@bekasikota.go.id", "Budi")


COSTS_OPDS = "code,name,essential,monthly_operating_cost\nDISDUK,Disdukcapil,1,100000000\n"


def test_costs_csv_stores_each_opds_monthly_bill_and_a_new_amount_replaces_the_old(tmp_path):
    from datetime import date

    from opd.models import MonthlyCost

    costs = "opd_code,month,amount\nDISDUK,2026-10,98000000\nDISDUK,2026-11,81000000\n"
    out, _ = run(write(tmp_path, opds=COSTS_OPDS, costs=costs))
    assert "costs.csv: dibuat 2, diperbarui 0, tidak berubah 0" in out
    out, _ = run(write(tmp_path, costs="opd_code,month,amount\nDISDUK,2026-11,80000000\n"))
    assert "costs.csv: dibuat 0, diperbarui 1, tidak berubah 0" in out
    assert list(MonthlyCost.objects.order_by("month").values_list("month", "amount")) == [
        (date(2026, 10, 1), 98000000),
        (date(2026, 11, 1), 80000000),
    ]


def test_a_bad_costs_row_names_file_line_and_column_and_writes_nothing(tmp_path):
    from opd.models import MonthlyCost

    costs = (
        "opd_code,month,amount\n"
        "DISDUK,2026-11,81000000\n"
        "NOPE,2026-11,1\n"
        "DISDUK,11/2026,1\n"
        "DISDUK,2026-10,-5\n"
        "DISDUK,2026-11,2\n"
    )
    err = StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_dataset",
            str(write(tmp_path, opds=COSTS_OPDS, costs=costs)),
            stdout=StringIO(),
            stderr=err,
        )
    assert MonthlyCost.objects.count() == 0 and not Opd.objects.exists()
    lines = err.getvalue().splitlines()
    assert lines[0] == 'costs.csv:3: opd_code: OPD "NOPE" tidak dikenal.'
    assert lines[1].startswith("costs.csv:4: month: Bulan harus ditulis seperti 2026-12")
    assert lines[2].startswith("costs.csv:5: amount: harus antara 0 dan")
    assert lines[3] == "costs.csv:6: month: sudah ada di baris 2."
