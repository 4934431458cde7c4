"""Browser journeys of BKPSDM in the admin: the automatic jobs on a phone, the roster
list on a 1366 px laptop. Screenshots in artifacts/journeys/."""

from datetime import date

import pytest
import time_machine
from django_celery_beat.models import PeriodicTask

from opd.models import Role
from opd.tests.factories import EmployeeFactory, OpdFactory
from scheduling.models import Roster
from scheduling.services.approval import approve_rosters, reject_rosters
from scheduling.services.build import build_roster
from scheduling.tests.factories import PolicyFactory

from .live import served
from .test_journeys import give_password, log_in, shot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.usefixtures("postgres"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

THURSDAY_MORNING = "2026-12-03T09:00:00+07:00"
THURSDAY_AFTERNOON = "2026-12-03T14:00:00+07:00"
PHONE = {"width": 390, "height": 844}
DESK = {"width": 1366, "height": 900}
# Long names, as the province's real OPDs have.
OPD_NAMES = [
    "Badan Perencanaan Pembangunan, Riset dan Inovasi Daerah",
    "Dinas Kependudukan dan Pencatatan Sipil",
    "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
    "Dinas Pemberdayaan Perempuan dan Perlindungan Anak",
    "Dinas Komunikasi, Informatika, Statistik dan Persandian",
    "Badan Pengelolaan Keuangan dan Aset Daerah",
    "Kecamatan Bekasi Timur",
    "Kelurahan Margahayu",
]


def page_overflow(page) -> int:
    """How far the page itself scrolls sideways (0: it fits the window)."""
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def bkpsdm_with_password():
    bkpsdm = EmployeeFactory(
        opd=OpdFactory(code="BKPSDM", name="BKPSDM"), role=Role.BKPSDM, name="Rina Sihombing"
    )
    give_password(bkpsdm)
    return bkpsdm


def test_bkpsdm_moves_the_weekly_build_on_a_phone(browser, tmp_path):
    from playwright.sync_api import expect

    bkpsdm = bkpsdm_with_password()
    with served(tmp_path, moment=THURSDAY_AFTERNOON) as server:
        page = browser.new_page(viewport=PHONE, is_mobile=True, has_touch=True)
        log_in(page, server, bkpsdm.nip)
        page.goto(f"{server.url}/admin/")
        page.get_by_role("link", name="Jadwal tugas otomatis (WIB)").click()
        card = page.locator("section.job", has_text="Bangun roster minggu depan")
        expect(card.locator(".job-schedule")).to_have_text("Setiap Kamis, 20:00 WIB")
        expect(card.locator(".job-next")).to_have_text("Kam, 3 Des 2026 20:00 WIB")
        nightly = page.locator("section.job", has_text="Tandai tidak hadir")
        expect(nightly.locator(".job-schedule")).to_have_text("Setiap hari, 01:30 WIB")

        card.get_by_label("Hari").select_option(label="Setiap Jumat")
        card.get_by_label("Jam (WIB)").select_option("21")
        card.get_by_label("Menit").select_option("30")
        card.get_by_role("button", name="Simpan jadwal Bangun roster minggu depan").click()
        expect(page.locator(".messagelist .success")).to_contain_text(
            "Jadwal “Bangun roster minggu depan” disimpan: Setiap Jumat, 21:30 WIB, aktif."
        )
        card = page.locator("section.job", has_text="Bangun roster minggu depan")
        expect(card.locator(".job-schedule")).to_have_text("Setiap Jumat, 21:30 WIB")
        expect(card.locator(".job-next")).to_have_text("Jum, 4 Des 2026 21:30 WIB")
        assert page_overflow(page) == 0
        shot(page, "admin-jobs-phone")

        # An hour that does not exist (a tampered form) is refused; nothing changes.
        card.get_by_label("Jam (WIB)").evaluate(
            "select => { select.options[1].value = '25'; select.selectedIndex = 1; }"
        )
        card.get_by_role("button", name="Simpan jadwal Bangun roster minggu depan").click()
        expect(page.locator(".messagelist .error")).to_contain_text("tidak disimpan")
        expect(page.get_by_text("Jam tidak valid")).to_be_visible()

    crontab = PeriodicTask.objects.get(task="scheduling.tasks.build_next_week").crontab
    assert (crontab.day_of_week, crontab.hour, crontab.minute) == ("5", "21", "30")
    assert str(crontab.timezone) == "Asia/Jakarta"


def test_the_roster_list_fits_a_laptop_and_scrolls_in_its_box_on_a_phone(browser, tmp_path):
    from playwright.sync_api import expect

    bkpsdm = bkpsdm_with_password()
    # Built and decided that morning, before the server's clock (history in order).
    with time_machine.travel(THURSDAY_MORNING, tick=False):
        PolicyFactory()
        for number, name in enumerate(OPD_NAMES):
            EmployeeFactory.create_batch(2, opd=OpdFactory(code=f"OPD{number:02d}", name=name))
        build_roster(week_start=date(2026, 12, 7))
        # Some decided, so the "diputuskan oleh" column carries a name and a time.
        rosters = list(Roster.objects.order_by("opd__code").values_list("pk", flat=True))
        approve_rosters(roster_ids=rosters[:4], user=bkpsdm.user)
        reject_rosters(roster_ids=rosters[4:6], user=bkpsdm.user, reason="Pos kosong hari Senin")

    with served(tmp_path, moment=THURSDAY_AFTERNOON) as server:
        page = browser.new_page(viewport=DESK)
        log_in(page, server, bkpsdm.nip)
        page.goto(f"{server.url}/admin/scheduling/roster/")
        table = page.locator("#result_list")
        expect(table.locator("tbody tr")).to_have_count(len(OPD_NAMES) + 1)
        shot(page, "admin-roster-list-desk")
        assert page_overflow(page) == 0
        box = table.bounding_box()
        assert box["x"] + box["width"] <= DESK["width"]
        # The table is not wider than its box: nothing to scroll on a laptop.
        assert (
            page.evaluate(
                "(() => { const r = document.querySelector('#changelist .results');"
                " return r.scrollWidth - r.clientWidth; })()"
            )
            <= 0
        )

        phone = browser.new_page(viewport=PHONE, is_mobile=True, has_touch=True)
        log_in(phone, server, bkpsdm.nip)
        phone.goto(f"{server.url}/admin/scheduling/roster/")
        expect(phone.locator("#result_list tbody tr")).to_have_count(len(OPD_NAMES) + 1)
        assert page_overflow(phone) == 0
        results = phone.locator("#changelist .results")
        assert results.evaluate("r => getComputedStyle(r).overflowX") == "auto"
        shot(phone, "admin-roster-list-phone")

        # A rejected roster is rebuilt for its OPD alone, after a confirmation.
        page.locator("#result_list tbody tr", has_text="OPD03").get_by_role(
            "link", name="buka"
        ).click()
        page.get_by_role("link", name="Bangun ulang roster OPD ini").click()
        expect(page.get_by_text("OPD lain tidak berubah")).to_be_visible()
        page.get_by_role("button", name="Ya, bangun ulang roster ini").click()
        expect(page.locator(".messagelist .success")).to_contain_text(
            "Roster OPD03 minggu 2026-W50 dibangun ulang sebagai draf"
        )
        expect(page.locator(".field-status")).to_contain_text("Draf")
        page.get_by_role("link", name="Riwayat").click()
        expect(page.locator("#change-history")).to_contain_text("Ditolak → Draf")
        assert "REJECT_REASON" not in page.content() and "pk=None" not in page.content()
        shot(page, "admin-roster-history-desk")

    statuses = dict(Roster.objects.values_list("opd__code", "status"))
    assert (statuses["OPD03"], statuses["OPD04"]) == ("draft", "rejected")
