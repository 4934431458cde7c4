"""Browser journeys: Playwright drives Debian's Chromium against gunicorn on PostgreSQL.

Each journey is what one kind of user does, asserted on the text they would read, with
screenshots in artifacts/journeys/. Run only these with ``bin/test -m browser``.
"""

from datetime import date

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.utils.crypto import get_random_string
from openpyxl import load_workbook

from attendance.models import Attendance
from opd.models import Employee, Role
from opd.tests.factories import EmployeeFactory, OpdFactory
from scheduling.models import Roster, RosterStatus
from scheduling.services.build import build_roster
from scheduling.services.dataset import import_dataset

from .live import ARTIFACTS, served

pytestmark = [
    pytest.mark.browser,
    pytest.mark.usefixtures("postgres"),
    # serialized_rollback restores what migrations created after each journey's flush.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TUESDAY_MORNING = "2026-12-08T07:20:00+07:00"
TUESDAY_AFTERNOON = "2026-12-08T16:05:00+07:00"
PASSWORD = "Jalan-Juanda-100"  # noqa: S105 - test accounts
OFFICE = (-6.2383, 106.9920)
HOME = (-6.2600, 107.0100)

DATASET = {
    "opds.csv": (
        "code,name,essential,office_lat,office_lon,geofence_radius_m\n"
        f"DISKOMINFO,Dinas Komunikasi dan Informatika,0,{OFFICE[0]},{OFFICE[1]},150\n"
        "BAPPEDA,Badan Perencanaan Pembangunan Daerah,0,-6.2400,106.9950,150\n"
    ),
    "posts.csv": "opd_code,code,name,min_onsite\nDISKOMINFO,CC,Command Center,2\n",
    "employees.csv": (
        "nip,name,opd_code,post_code,wfh_eligible,role\n"
        "197603142005121370,Slamet Kusuma,DISKOMINFO,,0,head\n"
        "198111212013031428,Dadang Rahman,DISKOMINFO,CC,1,asn\n"
        "199401292023102621,Lestari Firmansyah,DISKOMINFO,CC,1,asn\n"
        "199607092024091071,Muhammad Gunawan,DISKOMINFO,CC,1,asn\n"
        "199611282024112722,Indah Setiawan,DISKOMINFO,,1,asn\n"
        "197711032007072990,Rina Supriatna,DISKOMINFO,,1,asn\n"
        "198301252010112746,Tuti Pratama,DISKOMINFO,,1,asn\n"
        "197501092005081615,Ahmad Saputra,BAPPEDA,,0,head\n"
        "199606172024081278,Asep Lubis,BAPPEDA,,1,asn\n"
        "198012192005032147,Ayu Susanti,BAPPEDA,,1,asn\n"
    ),
    "policies.csv": (
        "name,reference,start,end,mode,wfh_ratio,weekdays\n"
        'Fase II,150/KPG.03/BKD,2025-12-02,2027-12-31,rotation,0.5,"tue,wed,thu,fri"\n'
    ),
    # Two of Command Center's three away on Wednesday of week 51: one short of two.
    "leaves.csv": (
        "nip,start,end,kind\n"
        "198111212013031428,2026-12-16,2026-12-16,sakit\n"
        "199401292023102621,2026-12-16,2026-12-16,tahunan\n"
    ),
}


def shot(page, name: str) -> None:
    folder = ARTIFACTS / "journeys"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def give_password(employee: Employee) -> None:
    # PBKDF2 (what the server accepts) with few rounds; the server upgrades it at login.
    employee.user.password = PBKDF2PasswordHasher().encode(
        PASSWORD, get_random_string(22), iterations=1000
    )
    employee.user.save(update_fields=["password"])


def log_in(page, server, nip: str) -> None:
    page.goto(f"{server.url}/accounts/login/")
    page.get_by_label("NIP").fill(nip)
    page.get_by_label("Sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_load_state()


def load_dataset() -> None:
    report = import_dataset(files={name: text.encode() for name, text in DATASET.items()})
    assert report.ok, report.errors


def test_bkpsdm_loads_a_dataset_builds_next_week_approves_and_rejects(browser, tmp_path):
    from playwright.sync_api import expect

    bkpsdm = EmployeeFactory(
        opd=OpdFactory(code="BKPSDM", name="BKPSDM"), role=Role.BKPSDM, name="Rina Sihombing"
    )
    give_password(bkpsdm)
    for name, text in DATASET.items():
        (tmp_path / name).write_text(text)

    with served(tmp_path, moment=TUESDAY_MORNING) as server:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        log_in(page, server, bkpsdm.nip)
        page.goto(f"{server.url}/admin/")
        expect(page.get_by_text("Tugas BKPSDM")).to_be_visible()

        page.get_by_role("link", name="Impor dataset (CSV)").click()

        for name in DATASET:
            page.set_input_files(f"input[name={name.removesuffix('.csv')}]", str(tmp_path / name))
        page.uncheck("input[name=dry_run]")
        page.get_by_role("button", name="Impor").click()
        expect(page.get_by_text("Impor selesai.")).to_be_visible()
        expect(
            page.get_by_text("employees.csv: dibuat 10, diperbarui 0, tidak berubah 0")
        ).to_be_visible()
        shot(page, "bkpsdm-1-import")

        page.goto(f"{server.url}/admin/scheduling/rosterbuild/")
        page.click("a[href$='/rosterbuild/add/']")
        expect(page.locator("input[name=week]")).to_have_value("2026-W51")
        page.get_by_role("button", name="Masukkan ke antrean").click()
        expect(
            page.get_by_text("Pembangunan roster minggu 2026-W51 sudah masuk antrean")
        ).to_be_visible()
        shot(page, "bkpsdm-2-build")

        page.goto(f"{server.url}/admin/scheduling/roster/?week=2026-W51")
        rows = page.locator("#result_list tbody tr")
        expect(rows).to_have_count(3)  # DISKOMINFO, BAPPEDA and BKPSDM itself
        rows.filter(has_text="DISKOMINFO").get_by_role("link", name="buka").click()
        expect(page.get_by_text("Grid roster 2026-W51")).to_be_visible()
        expect(page.get_by_text("Di kantor: Command Center")).to_be_visible()
        expect(page.locator(".messagelist .error")).to_contain_text(
            "Rab, 16 Des Command Center 1/2"
        )
        shot(page, "bkpsdm-3-grid")
        page.get_by_role("button", name="Setujui roster ini").click()
        expect(page.get_by_text("1 roster disetujui.")).to_be_visible()
        expect(page.locator(".field-status")).to_contain_text("Disetujui")

        page.goto(f"{server.url}/admin/scheduling/roster/?week=2026-W51")
        page.locator("#result_list tbody tr").filter(has_text="BAPPEDA").locator(
            "input[name=_selected_action]"
        ).check()
        page.select_option("select[name=action]", "reject")
        page.click("button[name=index]")
        expect(page.get_by_text("Roster berikut akan ditolak:")).to_be_visible()
        page.fill(
            "textarea[name=reason]", "Data cuti Bappeda belum masuk; perbaiki lalu bangun ulang."
        )
        page.get_by_role("button", name="Tolak").click()
        expect(page.get_by_text("1 roster ditolak.")).to_be_visible()
        bappeda_row = page.locator("#result_list tbody tr").filter(has_text="BAPPEDA")
        expect(bappeda_row).to_contain_text("Ditolak")
        shot(page, "bkpsdm-4-decided")
        page.close()

    statuses = dict(Roster.objects.values_list("opd__code", "status"))
    assert statuses == {
        "DISKOMINFO": RosterStatus.APPROVED,
        "BAPPEDA": RosterStatus.REJECTED,
        "BKPSDM": RosterStatus.DRAFT,
    }
    approved = Roster.objects.get(opd__code="DISKOMINFO")
    assert approved.decided_by == bkpsdm.user and approved.history.count() == 2


def test_head_sees_the_grid_with_a_shortfall_and_downloads_the_xlsx(browser, tmp_path):
    from playwright.sync_api import expect

    load_dataset()
    build_roster(week_start=date(2026, 12, 14))
    head = Employee.objects.get(nip="197603142005121370")
    give_password(head)

    with served(tmp_path, moment=TUESDAY_MORNING) as server:
        context = browser.new_context(
            viewport={"width": 1280, "height": 900}, accept_downloads=True
        )
        page = context.new_page()
        log_in(page, server, head.nip)
        page.get_by_role("button", name="OPD saya").click()
        page.get_by_role("link", name="Roster OPD").click()
        expect(page.get_by_text("Sen, 7 Des 2026 – Jum, 11 Des 2026")).to_be_visible()
        page.get_by_role("link", name="Minggu berikutnya →").click()
        expect(page.get_by_text("Draf: menunggu persetujuan BKPSDM.")).to_be_visible()
        expect(page.get_by_text("Di kantor: Command Center")).to_be_visible()
        expect(page.get_by_text("Rab, 16 Des: Command Center hanya 1 dari 2 orang")).to_be_visible()
        short = page.locator("td.short")
        expect(short).to_have_count(1)
        expect(short).to_have_text("1/2")
        assert "rgb(248, 215, 218)" in short.evaluate(
            "cell => getComputedStyle(cell).backgroundColor"
        )
        shot(page, "head-1-grid")
        page.locator("button.cell").first.click()
        expect(page.locator("#reason-box")).to_contain_text("Slamet Kusuma")

        with page.expect_download() as download:
            page.get_by_role("link", name="Unduh XLSX").click()
        saved = tmp_path / download.value.suggested_filename
        download.value.save_as(saved)
        context.close()

    assert saved.name == "roster-DISKOMINFO-2026-W51.xlsx"
    sheet = load_workbook(saved)["Roster"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1] == (
        "NIP",
        "Nama",
        "Pos",
        "2026-12-14",
        "2026-12-15",
        "2026-12-16",
        "2026-12-17",
        "2026-12-18",
    )
    names = {row[1]: row for row in rows[2:]}
    assert len(names) == 7 and names["Slamet Kusuma"][3:] == ("WFO",) * 5
    assert names["Dadang Rahman"][2] == "Command Center" and names["Dadang Rahman"][5] == "LEAVE"


def test_head_adjusts_and_submits_on_a_phone_and_bkpsdm_approves(browser, tmp_path):
    """Issue 9: a refused change with its reason, an accepted one kept as a pin, the
    submission behind a confirmation, then BKPSDM's approval and the ASN's notice."""
    from playwright.sync_api import expect

    from scheduling.models import RosterEntry, RosterPin

    load_dataset()
    build_roster(week_start=date(2026, 12, 14))
    head = Employee.objects.get(nip="197603142005121370")
    bkpsdm = EmployeeFactory(
        opd=OpdFactory(code="BKPSDM", name="BKPSDM"), role=Role.BKPSDM, name="Rina Sihombing"
    )
    for person in (head, bkpsdm):
        give_password(person)
    week = dict(
        RosterEntry.objects.filter(
            roster__opd__code="DISKOMINFO", date=date(2026, 12, 15)
        ).values_list("employee__name", "mode")
    )
    at_counter = [
        name
        for name in ("Dadang Rahman", "Lestari Firmansyah", "Muhammad Gunawan")
        if week[name] == "WFO"
    ]
    home = next(n for n in ("Indah Setiawan", "Rina Supriatna", "Tuti Pratama") if week[n] == "WFH")

    def choose(page, name, day, mode):
        employee = page.locator("#adjust-employee option", has_text=name).get_attribute("value")
        page.select_option("#adjust-employee", employee)
        page.select_option("#adjust-date", day)
        page.select_option("#adjust-mode", mode)
        page.get_by_role("button", name="Simpan").click()
        page.wait_for_load_state()

    with served(tmp_path, moment=TUESDAY_MORNING) as server:
        phone = browser.new_page(viewport={"width": 390, "height": 844})
        log_in(phone, server, head.nip)
        phone.goto(f"{server.url}/roster/DISKOMINFO/2026-W51/")
        expect(phone.get_by_text("Sesuaikan jadwal")).to_be_visible()
        # Command Center needs two at the office on Tuesday and has exactly two there:
        # sending one of them home is refused, with the rule's words.
        assert len(at_counter) == 2
        choose(phone, at_counter[0], "2026-12-15", "WFH")
        expect(phone.locator(".alert-danger").first).to_contain_text(
            "Perubahan ditolak: pos Command Center tinggal 1 dari 2 orang di kantor"
        )
        choose(phone, home, "2026-12-15", "WFO")
        expect(
            phone.get_by_text(f"Jadwal {home} pada Sel, 15 Des diubah menjadi WFO")
        ).to_be_visible()
        shot(phone, "head-2-adjusted")
        phone.once("dialog", lambda dialog: dialog.accept())
        phone.get_by_role("button", name="Ajukan ke BKPSDM").click()
        expect(phone.get_by_text("Roster diajukan ke BKPSDM untuk disetujui.")).to_be_visible()
        expect(phone.locator('[data-status="submitted"]')).to_be_visible()
        expect(phone.get_by_text("Sesuaikan jadwal")).to_have_count(0)
        shot(phone, "head-3-submitted")
        phone.close()

        page = browser.new_page(viewport={"width": 1280, "height": 900})
        log_in(page, server, bkpsdm.nip)
        expect(page.locator('a[href="/notifikasi/"] .badge').first).to_have_text("1 belum dibaca")
        page.goto(f"{server.url}/notifikasi/")
        expect(page.get_by_text("Roster DISKOMINFO minggu 2026-W51 diajukan")).to_be_visible()
        page.get_by_role("link", name="Roster DISKOMINFO minggu 2026-W51 diajukan").click()
        page.get_by_role("button", name="Setujui roster ini").click()
        expect(page.get_by_text("1 roster disetujui.")).to_be_visible()
        shot(page, "bkpsdm-5-approved-submitted")
        page.close()

    roster = Roster.objects.get(opd__code="DISKOMINFO", week_start=date(2026, 12, 14))
    assert roster.status == RosterStatus.APPROVED and roster.submitted_by == head.user
    steps = [h.status for h in roster.history.order_by("history_date", "history_id")]
    assert steps[0] == "draft" and steps[-2:] == ["submitted", "approved"]
    assert RosterPin.objects.get().mode == "WFO"
    assert RosterEntry.objects.get(employee__name=home, date=date(2026, 12, 15)).mode == "WFO"


def test_asn_checks_in_on_a_phone_wfh_asn_reports_and_the_head_accepts(browser, tmp_path):
    from playwright.sync_api import expect

    from attendance.tests.conftest import assign

    opd = OpdFactory(
        code="DISKOMINFO",
        name="Dinas Kominfo",
        office_lat=OFFICE[0],
        office_lon=OFFICE[1],
        geofence_radius_m=150,
    )
    at_office = EmployeeFactory(opd=opd, name="Dewi Lestari")
    at_home = EmployeeFactory(opd=opd, name="Teguh Rahmawati", home_lat=HOME[0], home_lon=HOME[1])
    head = EmployeeFactory(opd=opd, role=Role.HEAD, name="Slamet Kusuma")
    tuesday = date(2026, 12, 8)
    assign(at_office, tuesday, "WFO", reason="rotation_wfo")
    assign(at_home, tuesday, "WFH")
    for person in (at_office, at_home, head):
        give_password(person)

    def phone(position):
        return browser.new_context(
            viewport={"width": 390, "height": 844},
            is_mobile=True,
            has_touch=True,
            geolocation={"latitude": position[0], "longitude": position[1], "accuracy": 12},
            permissions=["geolocation"],
        )

    with served(tmp_path, moment=TUESDAY_MORNING) as server:
        for person, position, mode, name in (
            (at_office, OFFICE, "WFO", "asn-wfo"),
            (at_home, HOME, "WFH", "asn-wfh"),
        ):
            context = phone(position)
            page = context.new_page()
            log_in(page, server, person.nip)
            expect(page.locator("#today-mode")).to_have_text(mode)
            expect(page.get_by_text("Lokasi didapat (akurasi 12 m).")).to_be_visible()
            shot(page, f"{name}-1-today")
            page.get_by_role("button", name="Presensi Masuk").tap()
            expect(page.get_by_text("Presensi masuk tercatat pukul 07:2")).to_be_visible()
            expect(page.locator("#check-in-time")).to_contain_text("Masuk pukul 07:2")
            shot(page, f"{name}-2-checked-in")
            context.close()

    with served(tmp_path, moment=TUESDAY_AFTERNOON) as server:
        context = phone(HOME)
        page = context.new_page()
        log_in(page, server, at_home.nip)
        expect(page.get_by_label("Laporan kinerja harian")).to_be_visible()
        page.get_by_label("Laporan kinerja harian").fill(
            "Menyusun draf SOP layanan aduan <b>v2</b> dan rapat daring dengan Bappeda."
        )
        page.get_by_role("button", name="Presensi Pulang").tap()
        expect(page.get_by_text("Presensi pulang tercatat pukul 16:0")).to_be_visible()
        expect(page.get_by_text("Presensi hari ini selesai. Terima kasih.")).to_be_visible()
        shot(page, "asn-wfh-3-checked-out")
        context.close()

        page = browser.new_page(viewport={"width": 1280, "height": 900})
        log_in(page, server, head.nip)
        page.get_by_role("button", name="OPD saya").click()
        page.get_by_role("link", name="Kehadiran OPD").click()
        expect(page.get_by_text("1 laporan harian menunggu tinjauan")).to_be_visible()
        expect(page.get_by_text("Menyusun draf SOP layanan aduan <b>v2</b>")).to_be_visible()
        shot(page, "head-2-reports")
        page.locator("#reports").get_by_role("button", name="Terima").click()
        expect(
            page.get_by_text("Laporan Teguh Rahmawati tanggal Sel, 8 Des 2026 diterima.")
        ).to_be_visible()
        expect(page.locator("#reports")).to_have_count(0)
        page.close()

    records = {a.employee_id: a for a in Attendance.objects.all()}
    assert records[at_office.pk].mode == "WFO" and records[at_office.pk].flags == []
    assert records[at_home.pk].report_status == "accepted"
    assert records[at_home.pk].reviewed_by == head.user
