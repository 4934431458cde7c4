"""Browser journey (issue 9): an ASN reports sick at 07:10, the head approves, the post
is short and the head is alerted, recalls a colleague with one tap, and the colleague's
check-in page shows WFO and why. Playwright drives Debian's Chromium against gunicorn on
PostgreSQL, its clock set to Tuesday 8 December 2026 07:10 WIB (``serve.py``), so the
day is "today" on whatever day CI runs."""

from datetime import date

import pytest

from attendance.models import CoverageAlert
from notifications.models import Notification
from opd.models import Employee, Role
from opd.tests.factories import EmployeeFactory, OpdFactory, ServicePostFactory
from scheduling.models import DayRequest, Leave, Roster, RosterChange, RosterEntry
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

TUESDAY = date(2026, 12, 8)
SEVEN_TEN = "2026-12-08T07:10:00+07:00"


def test_sick_at_seven_ten_the_head_is_alerted_recalls_a_colleague_who_sees_wfo(browser, tmp_path):
    from playwright.sync_api import expect

    PolicyFactory()  # rotation 50:50, Tuesday to Friday
    opd = OpdFactory(code="DISDUKCAPIL", name="Dinas Kependudukan dan Pencatatan Sipil")
    post = ServicePostFactory(opd=opd, code="KTP", name="Loket KTP", min_onsite=2)
    head = EmployeeFactory(opd=opd, role=Role.HEAD, name="Slamet Kusuma")
    clerks = [
        EmployeeFactory(opd=opd, post=post, name=name)
        for name in ("Indah Setiawan", "Rina Supriatna", "Tuti Pratama", "Asep Lubis")
    ]
    EmployeeFactory.create_batch(2, opd=opd)
    bkpsdm = EmployeeFactory(opd=OpdFactory(code="BKPSDM"), role=Role.BKPSDM)
    build_roster(week_start=date(2026, 12, 7))
    approve_rosters(roster_ids=list(Roster.objects.values_list("pk", flat=True)), user=bkpsdm.user)
    modes = dict(
        RosterEntry.objects.filter(date=TUESDAY, employee__in=clerks).values_list(
            "employee_id", "mode"
        )
    )
    # The counter is exactly at its minimum: two at the office, two at home.
    assert sorted(modes.values()) == ["WFH", "WFH", "WFO", "WFO"]
    sick = next(p for p in clerks if modes[p.pk] == "WFO")
    for person in (*clerks, head):
        give_password(person)

    def phone():
        return browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)

    with served(tmp_path, moment=SEVEN_TEN) as server:
        # 07:10: the clerk reports sick from a phone.
        context = phone()
        page = context.new_page()
        log_in(page, server, sick.nip)
        expect(page.locator("#today-mode")).to_have_text("WFO")
        page.get_by_role("button", name="Buka menu").click()
        page.get_by_role("button", name="Saya").click()
        page.get_by_role("link", name="Permohonan", exact=True).click()
        page.get_by_label("Jenis permohonan").select_option("sakit")
        page.get_by_label("Mulai").fill("2026-12-08")
        page.get_by_label("Sampai").fill("2026-12-08")
        page.get_by_label("Keterangan").fill("Demam sejak semalam")
        page.get_by_role("button", name="Kirim permohonan").click()
        expect(page.locator("#my-requests")).to_contain_text("Demam sejak semalam")
        shot(page, "recall-1-sick-request")
        context.close()

        # The head sees it waiting, is warned the counter would be short, and approves.
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        log_in(page, server, head.nip)
        page.get_by_role("button", name="OPD saya").click()
        page.get_by_role("link", name="Permohonan OPD").click()
        waiting = page.locator("#requests-waiting")
        expect(waiting).to_contain_text(sick.name)
        expect(waiting).to_contain_text("Loket KTP")
        shot(page, "recall-2-request-preview")
        waiting.get_by_role("button", name="Setujui").first.click()
        expect(page.get_by_text("disetujui; jadwalnya sudah disesuaikan")).to_be_visible()

        # The post is now short: the head has a notice, and the day page lists whom
        # to recall, ranked.
        page.goto(f"{server.url}/notifikasi/")
        expect(page.get_by_text("Loket KTP").first).to_be_visible()
        page.get_by_role("button", name="OPD saya").click()
        page.get_by_role("link", name="Kehadiran OPD").click()
        short = page.locator("#posts tr.post-short")
        expect(short).to_contain_text("Loket KTP")
        expect(short).to_contain_text("1 / 2")
        first = page.locator(".candidates li").first
        recalled_name = first.inner_text().split("\n")[0].split(" WF")[0].strip()
        shot(page, "recall-3-short-post")
        page.once("dialog", lambda dialog: dialog.accept())
        first.get_by_role("button", name="Panggil ke kantor").click()
        expect(page.locator("#posts tr.post-covered").filter(has_text="Loket KTP")).to_contain_text(
            "2 / 2"
        )
        shot(page, "recall-4-covered")
        page.close()

        # The colleague's phone: today is WFO now, and the page says why.
        recalled = Employee.objects.get(name=recalled_name)
        context = phone()
        page = context.new_page()
        log_in(page, server, recalled.nip)
        expect(page.locator("#today-mode")).to_have_text("WFO")
        expect(page.get_by_text(f"dipanggil ke kantor oleh {head.name}")).to_be_visible()
        shot(page, "recall-5-check-in")
        context.close()

    request = DayRequest.objects.get()
    assert (request.status, request.decided_by) == ("approved", head.user)
    assert Leave.objects.filter(employee=sick, start=TUESDAY, kind="sakit").exists()
    assert modes[recalled.pk] == "WFH" and recalled.post_id == post.pk
    assert sorted(RosterChange.objects.values_list("kind", flat=True)) == ["recall", "request"]
    alert = CoverageAlert.objects.get(post=post, date=TUESDAY)
    assert alert.closed_at is not None
    assert Notification.objects.filter(recipient=recalled.user).exists()
    assert Notification.objects.filter(recipient=head.user).count() >= 2
