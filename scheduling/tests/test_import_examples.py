"""Example files on the import page (issue 11, item 7): each one is downloaded from the
page and goes through the real import, so an example cannot drift from the importer."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from opd import importing as org
from opd.models import Employee, MonthlyCost, Role
from opd.tests.factories import EmployeeFactory
from scheduling import importing as sched
from scheduling.examples import EXAMPLES
from scheduling.models import Holiday, Leave, Policy
from scheduling.services.dataset import DATASET_FILES

pytestmark = pytest.mark.django_db

BOM = "\ufeff".encode()
EVERY_COLUMN = {
    "opds.csv": org.OPD_COLUMNS + org.OPD_OPTIONAL,
    "posts.csv": org.POST_COLUMNS,
    "employees.csv": org.EMPLOYEE_COLUMNS + org.EMPLOYEE_OPTIONAL,
    "leaves.csv": sched.LEAVE_COLUMNS,
    "holidays.csv": sched.HOLIDAY_COLUMNS,
    "policies.csv": sched.POLICY_COLUMNS + sched.POLICY_OPTIONAL,
    "costs.csv": sched.COST_COLUMNS,
}


@pytest.fixture
def bkpsdm(login):
    return login(EmployeeFactory(role=Role.BKPSDM).user)


def download(client, name: str) -> bytes:
    response = client.get(reverse("import-example", args=[name]))
    assert response.status_code == 200, name
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="contoh-{name}"'
    return response.content


def upload(client, files: dict[str, bytes], *, dry_run: bool) -> str:
    data = {
        name.removesuffix(".csv"): SimpleUploadedFile(name, content)
        for name, content in files.items()
    }
    if dry_run:
        data["dry_run"] = "on"
    return client.post(reverse("import-dataset"), data).content.decode()


def test_there_is_one_example_for_every_file_the_importer_accepts():
    assert tuple(EXAMPLES) == DATASET_FILES


def test_each_example_shows_every_column_the_importer_reads():
    for name, text in EXAMPLES.items():
        header = next(csv.reader(io.StringIO(text)))
        assert tuple(header) == EVERY_COLUMN[name], name


def test_the_import_page_links_every_example_file(bkpsdm):
    html = bkpsdm.get(reverse("import-dataset")).content.decode()
    assert "Contoh berkas" in html
    for name in DATASET_FILES:
        assert f'<a href="{reverse("import-example", args=[name])}" download>{name}</a>' in html


def test_each_example_downloads_as_csv_that_starts_with_a_bom_for_excel(bkpsdm):
    for name in DATASET_FILES:
        content = download(bkpsdm, name)
        assert content.startswith(BOM), name
        assert content.removeprefix(BOM).decode() == EXAMPLES[name]


def test_a_file_name_the_importer_does_not_know_is_not_found(bkpsdm):
    assert bkpsdm.get(reverse("import-example", args=["gaji.csv"])).status_code == 404


def test_each_example_downloaded_from_the_page_is_accepted_by_the_admin_import(bkpsdm):
    # One file at a time, in the import's order (posts need their OPD, leaves their
    # employee): each is accepted on its own and creates every one of its rows.
    for name in DATASET_FILES:
        content = download(bkpsdm, name)
        rows = len(EXAMPLES[name].strip().splitlines()) - 1
        body = upload(bkpsdm, {name: content}, dry_run=False)
        assert "Impor selesai." in body, (name, body[body.find("import-errors") :][:600])
        assert f"<code>{name}</code>: dibuat {rows}," in body, name
    assert Employee.objects.filter(opd__code="CONTOH").count() == 4
    assert Leave.objects.count() == 2 and Holiday.objects.filter(name__contains="contoh").exists()
    assert Policy.objects.get(name="Kebijakan Contoh").approval_required
    assert MonthlyCost.objects.filter(opd__code="CONTOH").count() == 2


def test_all_examples_together_pass_the_dry_run_and_write_nothing(bkpsdm):
    files = {name: download(bkpsdm, name) for name in DATASET_FILES}
    body = upload(bkpsdm, files, dry_run=True)
    assert "Uji coba berhasil" in body
    assert not Employee.objects.filter(opd__code="CONTOH").exists()
