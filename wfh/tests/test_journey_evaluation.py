"""Browser journey (issue 10, savings and fairness): BKPSDM opens the savings page and
the WFH share per OPD on a phone, goes down to one OPD's histogram; the head opens their
OPD's fairness page; an ASN sees their month against their group. Every chart is looked
at: drawn, with visible bars or points, and its numbers in a table."""

from datetime import date

import pytest

from evaluation.services import refresh_days
from opd.models import Role
from opd.tests.factories import EmployeeFactory, OpdFactory, ServicePostFactory
from scheduling.models import Roster
from scheduling.services.approval import approve_rosters
from scheduling.services.build import build_roster
from scheduling.tests.factories import PolicyFactory

from .live import served
from .test_journeys import give_password, log_in, shot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.usefixtures("postgres"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def visible_marks(page, selector: str) -> int:
    """How many chart marks matching ``selector`` the browser drew with a real size."""
    return page.evaluate(
        """(selector) => [...document.querySelectorAll(selector)]
            .filter(mark => { const box = mark.getBoundingClientRect();
                              return box.width > 0 && box.height > 0; }).length""",
        selector,
    )


def test_bkpsdm_and_a_head_read_savings_and_fairness_charts_on_a_phone(browser, tmp_path):
    from playwright.sync_api import expect

    PolicyFactory()  # rotation 50:50, Tuesday to Friday
    opd = OpdFactory(code="DISKOMINFO", name="Dinas Kominfo", monthly_operating_cost=90_000_000)
    post = ServicePostFactory(opd=opd, name="Layanan Aduan", min_onsite=1)
    head = EmployeeFactory(opd=opd, role=Role.HEAD)
    asn = EmployeeFactory(opd=opd)
    EmployeeFactory.create_batch(7, opd=opd)
    EmployeeFactory.create_batch(3, opd=opd, post=post)
    essential = OpdFactory(code="DAMKAR", essential=True, monthly_operating_cost=50_000_000)
    EmployeeFactory.create_batch(4, opd=essential)
    bkpsdm = EmployeeFactory(opd=OpdFactory(code="BKPSDM"), role=Role.BKPSDM)
    for monday in (date(2026, 11, 30), date(2026, 12, 7)):
        build_roster(week_start=monday)
        approve_rosters(
            roster_ids=list(Roster.objects.filter(status="draft").values_list("pk", flat=True)),
            user=bkpsdm.user,
        )
    refresh_days(date(2026, 11, 30), date(2026, 12, 11))
    for person in (bkpsdm, head, asn):
        give_password(person)

    with served(tmp_path, moment="2026-12-10T09:00:00+07:00") as server:
        context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
        page = context.new_page()
        log_in(page, server, bkpsdm.nip)
        page.get_by_role("button", name="Buka menu").click()
        page.get_by_role("button", name="BKPSDM").click()
        page.get_by_role("link", name="Penghematan").click()
        expect(page.locator("h1")).to_have_text("Penghematan biaya operasional")
        expect(page.locator('[data-figure="planned"]')).to_contain_text("%")
        # The trend: the target band and this month's planned point; the bars per OPD.
        assert visible_marks(page, "svg.chart rect[data-band]") == 2
        assert visible_marks(page, 'svg.chart g[data-series="planned"] circle') >= 1
        assert visible_marks(page, "svg.chart g[data-bar] rect.bar") >= 1
        expect(page.locator('#opds tr[data-opd="DISKOMINFO"]')).to_be_visible()
        expect(page.locator('#opds tr[data-opd="DAMKAR"]')).to_contain_text("0,0 %")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        shot(page, "evaluation-1-savings-phone")

        page.get_by_role("button", name="Buka menu").click()
        page.get_by_role("button", name="BKPSDM").click()
        page.get_by_role("link", name="Keadilan WFH").click()
        expect(page.locator("h1")).to_have_text("Bagian hari WFH per OPD")
        # DISKOMINFO and BKPSDM have a bar; essential DAMKAR is drawn 0 wide.
        assert visible_marks(page, "svg.chart g[data-bar] rect.bar") == 2
        expect(page.locator('#shares tr[data-opd="DAMKAR"]')).to_contain_text("0,0 %")
        shot(page, "evaluation-2-shares-phone")
        page.locator('#shares tr[data-opd="DISKOMINFO"]').get_by_role(
            "link", name="Sebaran pegawai"
        ).click()
        expect(page.locator("h1")).to_have_text("Dinas Kominfo")
        assert visible_marks(page, "svg.chart g[data-column] rect") >= 1
        expect(page.locator("[data-worst-spread]").first).to_have_text("0")
        shot(page, "evaluation-3-histogram-phone")
        context.close()

        # The head: their OPD only.
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        log_in(page, server, head.nip)
        page.get_by_role("button", name="OPD saya").click()
        page.get_by_role("link", name="Keadilan WFH").click()
        expect(page.locator("h1")).to_have_text("Dinas Kominfo")
        expect(page.locator("[data-groups]").first).to_contain_text("Layanan Aduan")
        page.goto(f"{server.url}/evaluasi/penghematan/")
        expect(page.locator("#opds tbody tr")).to_have_count(1)
        shot(page, "evaluation-4-head-savings")
        page.close()

        # The ASN: their month against their group.
        page = browser.new_page(viewport={"width": 390, "height": 844})
        log_in(page, server, asn.nip)
        page.goto(f"{server.url}/jadwal/")
        expect(page.locator("#my-share")).to_contain_text("rata-rata kelompok Anda")
        shot(page, "evaluation-5-my-share")
        page.close()


def test_bkpsdm_compares_two_scenarios_and_reads_the_home_heat_map(browser, tmp_path):
    from playwright.sync_api import expect

    PolicyFactory()  # rotation 50:50, Tuesday to Friday, in force
    opd = OpdFactory(code="DISKOMINFO", name="Dinas Kominfo", monthly_operating_cost=90_000_000)
    post = ServicePostFactory(opd=opd, name="Layanan Aduan", min_onsite=2)
    head = EmployeeFactory(opd=opd, role=Role.HEAD)
    EmployeeFactory.create_batch(8, opd=opd)
    EmployeeFactory.create_batch(3, opd=opd, post=post)
    essential = OpdFactory(code="DAMKAR", essential=True)
    EmployeeFactory.create_batch(4, opd=essential)
    bkpsdm = EmployeeFactory(opd=OpdFactory(code="BKPSDM"), role=Role.BKPSDM)
    build_roster(week_start=date(2026, 12, 7))
    approve_rosters(roster_ids=list(Roster.objects.values_list("pk", flat=True)), user=bkpsdm.user)
    refresh_days(date(2026, 12, 7), date(2026, 12, 11))
    for person in (bkpsdm, head):
        give_password(person)

    with served(tmp_path, moment="2026-12-08T09:00:00+07:00") as server:
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        log_in(page, server, bkpsdm.nip)
        page.get_by_role("button", name="BKPSDM").click()
        page.get_by_role("link", name="Kajian kesiapan").click()
        for name, mode, ratio, weekdays, cap in (
            ("Kamis WFH", "fixed_days", "1", "thu", ""),
            ("50:50, maks 2 hari", "rotation", "0.5", "tue,wed,thu,fri", "2"),
        ):
            form = page.locator("#new-scenario")
            form.get_by_label("Nama skenario").fill(name)
            form.get_by_label("Jenis").select_option(mode)
            form.get_by_label("Porsi WFH").fill(ratio)
            form.locator("#id_weekdays").fill(weekdays)
            form.get_by_label("Maks. hari WFH/WFA per minggu").fill(cap)
            form.get_by_label("Mulai").fill("2026-12-07")
            form.get_by_label("Sampai").fill("2026-12-31")
            form.get_by_role("button", name="Jalankan skenario").click()
            expect(page.locator("h1")).to_contain_text(name)
            expect(page.locator("#opds tr[data-opd='DAMKAR']")).to_contain_text("esensial")
            page.get_by_role("link", name="Semua skenario").click()
        shot(page, "evaluation-6-scenarios")
        for name in ("Kamis WFH", "50:50, maks 2 hari"):
            page.get_by_label(f"Bandingkan {name}").check()
        page.get_by_role("button", name="Bandingkan yang dipilih").click()
        expect(page.locator("#compare thead")).to_contain_text("Kebijakan berlaku")
        expect(page.locator("#compare thead")).to_contain_text("Kamis WFH")
        assert visible_marks(page, "svg.chart g[data-bar] rect.bar") == 3
        shot(page, "evaluation-7-compare")

        page.get_by_role("button", name="BKPSDM").click()
        page.get_by_role("link", name="Beranda BKPSDM").click()
        row = page.locator("#heatmap tr[data-opd='DISKOMINFO']")
        expect(row.locator("td.cell")).to_have_count(5)
        expect(row.locator("td.today")).to_have_count(1)
        expect(page.locator("[data-tile='checked-in']")).to_contain_text("terjadwal")
        shot(page, "evaluation-8-home")
        page.close()

        page = browser.new_page(viewport={"width": 390, "height": 844})
        log_in(page, server, head.nip)
        page.goto(f"{server.url}/evaluasi/disiplin/")
        expect(page.locator("#this-month")).to_contain_text("Di kantor (WFO)")
        assert visible_marks(page, "svg.chart") == 1
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        shot(page, "evaluation-9-head-discipline")
        page.close()
