"""Browser journey: the OPD head's morning on a phone, one screen (issue 11)."""

from datetime import date, datetime

import pytest

from attendance.models import Attendance
from attendance.services import check_in
from opd.models import Role
from opd.tests.factories import EmployeeFactory, OpdFactory

from .live import served
from .test_journeys import HOME, OFFICE, give_password, log_in, shot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.usefixtures("postgres"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 390, "height": 844}


def test_the_head_reads_the_morning_on_a_phone_and_accepts_reports_in_bulk(browser, tmp_path):
    from playwright.sync_api import expect

    from attendance.tests.conftest import assign

    opd = OpdFactory(
        code="DISKOMINFO",
        name="Dinas Kominfo",
        office_lat=OFFICE[0],
        office_lon=OFFICE[1],
        geofence_radius_m=150,
    )
    head = EmployeeFactory(opd=opd, role=Role.HEAD, name="Slamet Kusuma")
    give_password(head)
    tuesday, monday = date(2026, 12, 8), date(2026, 12, 7)
    late = EmployeeFactory(opd=opd, name="Dewi Lestari")
    missing = EmployeeFactory(opd=opd, name="Rina Supriatna")
    on_time = EmployeeFactory(opd=opd, name="Budi Santoso")
    for person in (late, missing, on_time):
        assign(person, tuesday, "WFO", reason="rotation_wfo")
    check_in(
        employee=on_time,
        now=datetime.fromisoformat("2026-12-08T07:12+07:00"),
        lat=OFFICE[0],
        lon=OFFICE[1],
        accuracy=8,
    )
    check_in(
        employee=late,
        now=datetime.fromisoformat("2026-12-08T08:02+07:00"),
        lat=OFFICE[0],
        lon=OFFICE[1],
        accuracy=8,
    )
    # Yesterday's daily reports from home, waiting: 30 of them, two pages.
    writers = [
        EmployeeFactory(opd=opd, name=f"Pegawai {n:02}", home_lat=HOME[0], home_lon=HOME[1])
        for n in range(30)
    ]
    for person in writers:
        Attendance.objects.create(
            employee=person,
            opd=opd,
            date=monday,
            mode="WFH",
            status=Attendance.Status.PRESENT,
            check_in_at=datetime.fromisoformat("2026-12-07T07:20+07:00"),
            report=f"Laporan {person.name}",
            report_status=Attendance.Report.PENDING,
        )

    with served(tmp_path, moment="2026-12-08T08:10:00+07:00") as server:
        page = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
        log_in(page, server, head.nip)
        page.goto(f"{server.url}/presensi/opd/DISKOMINFO/")
        # Today first: the counts, then who needs attention, within the first screen.
        expect(page.locator("#day-title")).to_contain_text("Sel, 8 Des 2026 · hari ini")
        attention = page.locator("#attention")
        expect(attention).to_contain_text("Rina Supriatna")
        expect(attention).to_contain_text("terlambat (TL2) 08:02")
        expect(attention).not_to_contain_text("Budi Santoso")
        box = attention.bounding_box()
        assert box is not None and box["y"] < PHONE["height"], box
        # Posts and reports come after today's attendance.
        assert page.locator("#reports-section").bounding_box()["y"] > box["y"]
        page.screenshot(path=str(_journeys() / "head-morning-phone.png"))
        shot(page, "head-morning-phone-full")

        expect(page.locator("#reports-title")).to_contain_text("30 laporan harian")
        expect(page.locator("#report-pages")).to_contain_text("Halaman 1 dari 2")
        page.locator("#pick-all").check()
        page.get_by_role("button", name="Terima yang dipilih").tap()
        expect(page.get_by_text("25 laporan diterima.")).to_be_visible()
        expect(page.locator("#reports-title")).to_contain_text("5 laporan harian")

        # Yesterday through the day navigation.
        page.get_by_role("link", name="Hari sebelumnya, Sen, 7 Des 2026").tap()
        expect(page.locator("#day-title")).to_contain_text("Sen, 7 Des 2026")
        page.close()

    assert Attendance.objects.filter(report_status="accepted").count() == 25
    assert Attendance.objects.filter(report_status="pending").count() == 5


def _journeys():
    from .live import ARTIFACTS

    folder = ARTIFACTS / "journeys"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
