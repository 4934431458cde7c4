"""The admin upload runs the same import as the command."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from opd.models import Employee, Opd, Role
from opd.tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db

OPDS = b"code,name,essential\nDISDUK,Disdukcapil,1\n"
EMPLOYEES = (
    b"nip,name,opd_code,post_code,wfh_eligible,role\n198504122010011003,Budi,DISDUK,,0,asn\n"
)


@pytest.fixture
def bkpsdm(login):
    return login(EmployeeFactory(role=Role.BKPSDM).user)


def upload(client, dry_run, **files):
    data = {name: SimpleUploadedFile(f"{name}.csv", content) for name, content in files.items()}
    if dry_run:
        data["dry_run"] = "on"
    return client.post(reverse("import-dataset"), data)


def test_dry_run_upload_reports_and_writes_nothing(bkpsdm):
    response = upload(bkpsdm, True, opds=OPDS, employees=EMPLOYEES)
    body = response.content.decode()
    assert "Uji coba berhasil" in body and "dibuat 1" in body
    assert not Opd.objects.filter(code="DISDUK").exists()


def test_upload_imports_the_files(bkpsdm):
    response = upload(bkpsdm, False, opds=OPDS, employees=EMPLOYEES)
    assert "Impor selesai." in response.content.decode()
    assert Employee.objects.filter(nip="198504122010011003", opd__code="DISDUK").exists()


def test_bad_upload_lists_every_error_and_writes_nothing(bkpsdm):
    bad = EMPLOYEES + b"1.98504E+17,X,DISDUK,,1,asn\n198504122010011004,<b>Y</b>,NOPE,,1,asn\n"
    body = upload(bkpsdm, False, opds=OPDS, employees=bad).content.decode()
    assert "2 kesalahan" in body
    assert "employees.csv:3: nip: NIP tertulis dalam notasi ilmiah" in body
    assert "employees.csv:4: opd_code: OPD &quot;NOPE&quot; tidak dikenal." in body
    assert not Opd.objects.filter(code="DISDUK").exists()


def test_upload_without_files_asks_for_one(bkpsdm):
    body = upload(bkpsdm, False).content.decode()
    assert "Pilih minimal satu berkas CSV." in body


def test_binary_upload_is_a_clear_error(bkpsdm):
    body = upload(bkpsdm, False, opds=b"\x89PNG\r\n\x1a\n\x00\x00\x00").content.decode()
    assert "opds.csv:1: -:" in body


def test_upload_shows_the_warning_for_a_nip_ending_in_000_and_imports_it(bkpsdm):
    employees = EMPLOYEES + b"198503152010011000,Dewi,DISDUK,,1,asn\n"
    body = upload(bkpsdm, False, opds=OPDS, employees=employees).content.decode()
    assert "Impor selesai." in body
    assert "1 peringatan: baris itu tetap diterima" in body
    assert "employees.csv:3: nip: NIP 198503152010011000 berakhir dengan 000" in body
    assert Employee.objects.filter(nip="198503152010011000").exists()


def test_the_admin_page_imports_the_monthly_bills_and_names_a_bad_row(bkpsdm):
    from datetime import date

    from opd.models import MonthlyCost

    costs = b"opd_code,month,amount\nDISDUK,2026-11,81000000\nDISDUK,13/2026,5\n"
    body = upload(bkpsdm, False, opds=OPDS, costs=costs).content.decode()
    assert "costs.csv:3: month: Bulan harus ditulis seperti 2026-12" in body
    assert not MonthlyCost.objects.exists()
    body = upload(
        bkpsdm, False, opds=OPDS, costs=costs.rsplit(b"\n", 2)[0] + b"\n"
    ).content.decode()
    assert "Impor selesai." in body
    assert list(MonthlyCost.objects.values_list("opd__code", "month", "amount")) == [
        ("DISDUK", date(2026, 11, 1), 81000000)
    ]
