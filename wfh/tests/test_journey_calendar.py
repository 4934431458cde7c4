"""Browser journey: an ASN puts their schedule in the phone's calendar (issue 12)."""

from datetime import date
from urllib.error import HTTPError
from urllib.request import urlopen

import icalendar
import pytest

from attendance.tests.conftest import assign
from opd.tests.factories import EmployeeFactory, OpdFactory

from .live import served
from .test_journeys import give_password, log_in, shot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.usefixtures("postgres"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


def status_of(url: str) -> int:
    try:
        with urlopen(url, timeout=10) as response:  # noqa: S310 - our own test server
            return response.status
    except HTTPError as error:
        return error.code


def test_asn_turns_the_calendar_on_on_a_phone_subscribes_and_renews_the_address(browser, tmp_path):
    from playwright.sync_api import expect

    opd = OpdFactory(code="DISKOMINFO", name="Dinas Komunikasi dan Informatika")
    asn = EmployeeFactory(opd=opd, name="Lestari Firmansyah")
    assign(asn, date(2026, 12, 8), "WFH")
    give_password(asn)

    with served(tmp_path, moment="2026-12-03T09:00:00+07:00") as server:
        page = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
        log_in(page, server, asn.nip)
        page.goto(f"{server.url}/profil/")
        page.get_by_role("link", name="Kalender di ponsel").click()
        expect(page.get_by_text("Tidak aktif")).to_be_visible()
        page.get_by_role("button", name="Aktifkan kalender pribadi").click()
        expect(page.get_by_text("Kalender pribadi diaktifkan.")).to_be_visible()
        address = page.get_by_label("Alamat (https)").input_value()
        webcal = page.get_by_role("link", name="Tambahkan ke kalender ponsel")
        assert webcal.get_attribute("href") == "webcal://" + address.split("://", 1)[1]
        shot(page, "calendar-feed-on-phone")

        with urlopen(address, timeout=10) as response:  # noqa: S310 - our own test server
            calendar = icalendar.Calendar.from_ical(response.read())
        days = {e["DTSTART"].dt: str(e["SUMMARY"]) for e in calendar.walk("VEVENT")}
        assert days[date(2026, 12, 8)] == "WFH"
        assert days[date(2026, 12, 25)] == "Libur: Hari Raya Natal"

        page.reload()
        expect(page.get_by_label("Alamat (https)")).to_have_count(0)
        page.get_by_role("button", name="Buat alamat baru").click()
        renewed = page.get_by_label("Alamat (https)").input_value()
        assert renewed != address
        assert status_of(address) == 404
        assert status_of(renewed) == 200

        wide = browser.new_context(viewport=DESKTOP).new_page()
        log_in(wide, server, asn.nip)
        wide.goto(f"{server.url}/kalender/")
        shot(wide, "calendar-feed-active-desktop")
        wide.get_by_role("button", name="Matikan kalender").click()
        expect(wide.get_by_text("Kalender pribadi dimatikan")).to_be_visible()
        assert status_of(renewed) == 404
        page.goto(f"{server.url}/profil/")
        shot(page, "calendar-feed-profile-phone")
