"""Browser journey (issue 11): an ASN on a phone taps "Presensi Pulang" far too early,
is asked with the grade it will get, and confirms. Phone screenshots of the check-in
page go to artifacts/journeys/checkin-*.png."""

import re
from datetime import date, datetime

import pytest
from django.urls import reverse

from attendance.models import Attendance
from attendance.services import check_in
from opd.models import Role
from opd.tests.factories import EmployeeFactory, OpdFactory

from .live import ARTIFACTS, served
from .test_journeys import HOME, OFFICE, give_password, log_in, shot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.usefixtures("postgres"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 390, "height": 844}
LATE_MORNING = "2026-12-08T11:00:00+07:00"  # a Tuesday; working hours 07:30-16:00
EARLY = re.compile(r"Pulang sekarang tercatat PSW4, (299|300) menit lebih awal")


def in_lower_half(page, selector: str) -> bool:
    box = page.locator(selector).bounding_box()
    return box is not None and box["y"] + box["height"] / 2 > PHONE["height"] / 2


def test_asn_checks_out_early_on_a_phone_is_asked_with_the_grade_and_confirms(browser, tmp_path):
    from playwright.sync_api import expect

    from attendance.tests.conftest import assign

    opd = OpdFactory(
        code="DISKOMINFO",
        name="Dinas Kominfo",
        office_lat=OFFICE[0],
        office_lon=OFFICE[1],
        geofence_radius_m=150,
    )
    person = EmployeeFactory(opd=opd, name="Dewi Lestari")
    assign(person, date(2026, 12, 8), "WFO", reason="rotation_wfo")
    give_password(person)
    # Someone checked in at home 2.2 km from the registered home: flagged for the head.
    away = EmployeeFactory(opd=opd, name="Teguh Rahmawati", home_lat=HOME[0], home_lon=HOME[1])
    assign(away, date(2026, 12, 8), "WFH")
    check_in(
        employee=away,
        now=datetime.fromisoformat("2026-12-08T07:20+07:00"),
        lat=HOME[0],
        lon=HOME[1] + 0.02,
        accuracy=9,
    )
    head = EmployeeFactory(opd=opd, role=Role.HEAD, name="Slamet Kusuma")
    give_password(head)

    with served(tmp_path, moment=LATE_MORNING) as server:
        context = browser.new_context(
            viewport=PHONE,
            is_mobile=True,
            has_touch=True,
            # About 40 m from the office point: inside the 150 m geofence.
            geolocation={"latitude": OFFICE[0] + 0.0003, "longitude": OFFICE[1], "accuracy": 12},
            permissions=["geolocation"],
        )
        page = context.new_page()
        log_in(page, server, person.nip)
        expect(page.locator("#person")).to_contain_text("Dewi Lestari")
        expect(page.locator("#person")).to_contain_text(f"NIP {person.nip}")
        expect(page.get_by_text("Lokasi didapat (akurasi 12 m).")).to_be_visible()
        assert in_lower_half(page, "#presensi-button")
        page.get_by_role("button", name="Presensi Masuk").tap()
        expect(
            page.get_by_text(re.compile(r"Presensi masuk tercatat pukul 11:0\d WIB\."))
        ).to_be_visible()
        expect(page.locator("figure.geofence")).to_contain_text("di dalam geofence (150 m)")
        expect(page.locator("#early-preview")).to_contain_text("Pulang sekarang tercatat PSW4")
        assert in_lower_half(page, "#presensi-button")
        page.screenshot(path=str(ARTIFACTS / "journeys" / "checkin-phone-checked-in.png"))

        # One tap too early: nothing is written, the page asks and names the grade.
        page.get_by_role("button", name="Presensi Pulang").tap()
        question = page.locator("#confirm-early")
        expect(question).to_contain_text("Pulang lebih awal?")
        # The served clock ticks from 11:00: 299 or 300 whole minutes before 16:00.
        expect(question).to_contain_text(EARLY)
        assert Attendance.objects.get(employee=person).check_out_at is None
        assert in_lower_half(page, "#presensi-button")
        page.screenshot(path=str(ARTIFACTS / "journeys" / "checkin-phone.png"))
        shot(page, "checkin-phone-confirm-full")

        page.get_by_role("button", name="Ya, pulang sekarang").tap()
        expect(
            page.get_by_text(
                re.compile(
                    r"Presensi pulang tercatat pukul 11:0\d WIB: PSW4, (299|300) menit lebih awal"
                )
            )
        ).to_be_visible()
        expect(page.get_by_text("Presensi hari ini selesai. Terima kasih.")).to_be_visible()
        shot(page, "checkin-phone-done")
        context.close()

        desk = browser.new_page(viewport={"width": 1366, "height": 900})
        log_in(desk, server, person.nip)
        expect(desk.locator("#check-out-time")).to_contain_text("PSW4")
        shot(desk, "checkin-desk-done")
        desk.close()

        # The head sees the same picture in the row's evidence: distance, not direction.
        phone = browser.new_page(viewport=PHONE)
        log_in(phone, server, head.nip)
        phone.goto(f"{server.url}{reverse('attendance:opd-today', args=['DISKOMINFO'])}")
        # Flagged, so among those needing attention, first on the head's morning screen.
        row = phone.locator("#attention li", has_text="Teguh Rahmawati")
        row.locator("details.evidence summary").click()
        figure = row.locator("figure.geofence")
        expect(figure).to_contain_text("2,2 km dari rumah terdaftar: di luar batas 1,0 km")
        expect(figure).to_contain_text("Hanya jarak yang ditampilkan")
        figure.scroll_into_view_if_needed()
        phone.screenshot(path=str(ARTIFACTS / "journeys" / "checkin-head-evidence-phone.png"))
        phone.close()

    record = Attendance.objects.get(employee=person)
    assert record.psw_code == "PSW4" and record.early_minutes in (299, 300)
