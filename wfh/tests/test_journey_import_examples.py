"""BKPSDM downloads the example files from the import page and imports them as they
came (issue 11, item 7)."""

from pathlib import Path

import pytest

from opd.models import Employee, Role
from opd.tests.factories import EmployeeFactory, OpdFactory
from scheduling.services.dataset import DATASET_FILES

from .live import served
from .test_journeys import TUESDAY_MORNING, give_password, log_in, shot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.usefixtures("postgres"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

AFTER = Path("/work/shots/after")


def test_bkpsdm_downloads_every_example_from_the_import_page_and_imports_them(browser, tmp_path):
    from playwright.sync_api import expect

    bkpsdm = EmployeeFactory(opd=OpdFactory(code="BKPSDM"), role=Role.BKPSDM)
    give_password(bkpsdm)
    with served(tmp_path, moment=TUESDAY_MORNING) as server:
        page = browser.new_page(viewport={"width": 1366, "height": 900}, accept_downloads=True)
        log_in(page, server, bkpsdm.nip)
        page.goto(f"{server.url}/admin/impor-dataset/")
        expect(page.get_by_role("heading", name="Contoh berkas")).to_be_visible()
        shot(page, "bkpsdm-import-examples")
        AFTER.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(AFTER / "admin-import-desk.png"), full_page=True)

        for name in DATASET_FILES:
            with page.expect_download() as download:
                page.locator("#import-examples").get_by_role("link", name=name).click()
            path = tmp_path / name
            download.value.save_as(path)
            assert download.value.suggested_filename == f"contoh-{name}"
            assert path.read_bytes().startswith(b"\xef\xbb\xbf")
            page.set_input_files(f"input[name={name.removesuffix('.csv')}]", str(path))
        page.uncheck("input[name=dry_run]")
        page.get_by_role("button", name="Impor").click()
        expect(page.get_by_text("Impor selesai.")).to_be_visible()
        expect(page.get_by_text("employees.csv: dibuat 5, diperbarui 0")).to_be_visible()
        assert Employee.objects.filter(opd__code="CONTOH").count() == 4
