"""Browser journey (issue 9): two ASN swap a day, the head approves, and the check-in
page shows the new mode and why. Playwright drives Debian's Chromium against gunicorn
on PostgreSQL, its clock set to Tuesday 8 December 2026 07:05 WIB (``serve.py``), so the
swapped day is "today" on whatever day CI runs."""

from datetime import date

import pytest

from opd.models import Role
from opd.tests.factories import EmployeeFactory, OpdFactory
from scheduling.models import Roster, RosterChange, RosterEntry, Swap
from scheduling.services.approval import approve_rosters
from scheduling.services.build import build_roster
from scheduling.tests.factories import PolicyFactory

from .live import served
from .test_journeys import give_password, log_in, shot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.usefixtures("postgres"),
    # serialized_rollback restores what migrations created after each journey's flush.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TUESDAY = date(2026, 12, 8)
TUESDAY_MORNING = "2026-12-08T07:05:00+07:00"


def test_two_asn_swap_a_day_the_head_approves_and_check_in_shows_it(browser, tmp_path):
    from playwright.sync_api import expect

    PolicyFactory()  # rotation 50:50, Tuesday to Friday
    opd = OpdFactory(code="DISKOMINFO", name="Dinas Komunikasi dan Informatika")
    head = EmployeeFactory(opd=opd, role=Role.HEAD, name="Slamet Kusuma")
    staff = [
        EmployeeFactory(opd=opd, name=name)
        for name in ("Indah Setiawan", "Rina Supriatna", "Tuti Pratama", "Asep Lubis")
    ]
    bkpsdm = EmployeeFactory(opd=OpdFactory(code="BKPSDM"), role=Role.BKPSDM)
    build_roster(week_start=date(2026, 12, 7))
    approve_rosters(roster_ids=list(Roster.objects.values_list("pk", flat=True)), user=bkpsdm.user)
    modes = dict(
        RosterEntry.objects.filter(date=TUESDAY, employee__in=staff).values_list(
            "employee_id", "mode"
        )
    )
    proposer = next(p for p in staff if modes[p.pk] == "WFO")
    partner = next(p for p in staff if modes[p.pk] == "WFH")
    for person in (proposer, partner, head):
        give_password(person)

    def phone():
        return browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)

    with served(tmp_path, moment=TUESDAY_MORNING) as server:
        # The proposer, on a phone: today is WFO; offers to trade it for the colleague's WFH.
        context = phone()
        page = context.new_page()
        log_in(page, server, proposer.nip)
        expect(page.locator("#today-mode")).to_have_text("WFO")
        page.get_by_role("button", name="Buka menu").click()
        page.get_by_role("button", name="Saya").click()
        page.get_by_role("link", name="Tukar jadwal", exact=True).click()
        expect(page.get_by_role("heading", name="Ajukan tukar jadwal")).to_be_visible()
        page.select_option("#swap-choice", label=f"Sel, 8 Des: {partner.name} (WFH)")
        page.get_by_label("Alasan (boleh kosong)").fill("Mengantar anak ke puskesmas")
        page.get_by_role("button", name="Kirim ajakan").click()
        expect(
            page.get_by_text(f"Ajakan tukar jadwal pada Sel, 8 Des 2026 dikirim ke {partner.name}.")
        ).to_be_visible()
        expect(page.locator("#swaps-outgoing [data-status=proposed]")).to_have_text(
            "menunggu rekan"
        )
        shot(page, "swap-1-proposed")
        context.close()

        # The colleague is told, and accepts.
        context = phone()
        page = context.new_page()
        log_in(page, server, partner.nip)
        page.goto(f"{server.url}/notifikasi/")
        page.get_by_role(
            "link", name=f"{proposer.name} mengajak tukar jadwal pada Sel, 8 Des 2026"
        ).click()
        incoming = page.locator("#swaps-incoming li").filter(has_text=proposer.name)
        expect(incoming).to_contain_text(f"{proposer.name} (WFO) ingin bertukar dengan Anda (WFH)")
        expect(incoming).to_contain_text("Mengantar anak ke puskesmas")
        incoming.get_by_role("button", name="Terima").click()
        expect(
            page.get_by_text("Tukar jadwal diterima; kini menunggu persetujuan Kepala OPD.")
        ).to_be_visible()
        shot(page, "swap-2-accepted")
        context.close()

        # The head sees it waiting, with the rule check, and approves.
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        log_in(page, server, head.nip)
        page.goto(f"{server.url}/notifikasi/")
        page.get_by_role(
            "link", name=f"Tukar jadwal {proposer.name} dan {partner.name} menunggu persetujuan"
        ).click()
        waiting = page.locator("#swaps-waiting li")
        expect(waiting).to_have_count(1)
        expect(waiting).to_contain_text(f"{proposer.name} (WFO) ⇄ {partner.name} (WFH)")
        expect(waiting).to_contain_text("Aturan roster terpenuhi bila disetujui.")
        shot(page, "swap-3-head")
        waiting.get_by_role("button", name="Setujui").click()
        expect(
            page.get_by_text(
                f"Tukar jadwal {proposer.name} dan {partner.name} disetujui; roster sudah diubah."
            )
        ).to_be_visible()
        page.close()

        # The proposer's check-in page now says WFH, and why.
        context = phone()
        page = context.new_page()
        log_in(page, server, proposer.nip)
        expect(page.locator("#today-mode")).to_have_text("WFH")
        expect(page.get_by_text(f"ditukar dengan {partner.name}")).to_be_visible()
        shot(page, "swap-4-check-in")
        context.close()

    swap = Swap.objects.get()
    assert (swap.status, swap.decided_by) == ("approved", head.user)
    entries = dict(
        RosterEntry.objects.filter(date=TUESDAY, employee__in=[proposer, partner]).values_list(
            "employee_id", "mode"
        )
    )
    assert entries == {proposer.pk: "WFH", partner.pk: "WFO"}
    assert RosterChange.objects.filter(kind="swap").count() == 2
