"""seed_demo: a realistic, deterministic Kota Bekasi with rosters and attendance history.

Seeding takes a few seconds, so each test seeds once and checks several things."""

from datetime import date, timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db.models import Count, F, Q
from django.urls import reverse

from attendance.models import Attendance, CoverageAlert
from opd.models import Employee, Opd, Role, ServicePost
from opd.nip import nip_error
from scheduling.demo import DEMO_PASSWORD
from scheduling.models import DayRequest, Roster, RosterEntry, RosterStatus, Swap

pytestmark = pytest.mark.django_db

ESSENTIAL = {
    "DINKES",
    "RSUD",
    "DAMKAR",
    "DISHUB",
    "DLH",
    "DISDUKCAPIL",
    "DPMPTSP",
    "SATPOLPP",
    "BPBD",
    "DINSOS",
    "BAPENDA",
}
MONDAY = date(2026, 12, 7)


def seed():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


@time_machine.travel("2026-12-09 10:00 +0700")
def test_demo_is_kota_bekasi_with_valid_people_and_working_logins(client):
    out = seed()
    opds = dict(Opd.objects.values_list("code", "essential"))
    assert set(opds) >= ESSENTIAL and all(opds[code] for code in ESSENTIAL)
    kecamatan = [c for c in opds if c.startswith("KEC-")]
    assert len(kecamatan) == 12 and all(opds[c] for c in kecamatan)
    assert all(opds[c] for c in opds if c.startswith("KEL-"))
    assert not opds["DISKOMINFOSTANDI"] and not opds["BAPPELITBANGDA"]
    assert 1400 <= Employee.objects.count() <= 1700
    heads = Opd.objects.annotate(h=Count("employees", filter=Q(employees__role=Role.HEAD)))
    assert {opd.h for opd in heads} == {1}
    assert Employee.objects.filter(role=Role.BKPSDM).count() >= 3
    assert [nip for nip in Employee.objects.values_list("nip", flat=True) if nip_error(nip)] == []
    assert not Employee.objects.filter(post__isnull=False).exclude(post__opd=F("opd")).exists()
    assert "DemoBekasi2026" in out
    nips = [line.split("NIP ")[1].split()[0] for line in out.splitlines() if "NIP " in line]
    assert len(nips) == 4
    for nip in nips:
        response = client.post(reverse("login"), {"username": nip, "password": DEMO_PASSWORD})
        assert response.status_code == 302, nip
        client.post(reverse("logout"))


@time_machine.travel("2026-12-09 10:00 +0700")
def test_demo_rosters_are_approved_this_week_draft_next_and_keep_the_rules():
    out = seed()
    statuses = dict(Roster.objects.values_list("week_start", "status").distinct())
    assert statuses[MONDAY] == RosterStatus.APPROVED
    assert statuses[MONDAY + timedelta(weeks=1)] == RosterStatus.DRAFT
    assert Roster.objects.filter(week_start=MONDAY).count() == Opd.objects.count()
    assert "2026-W51" in out
    # The deliberate shortfall: Bekasi Command Center next Wednesday.
    kominfo = Roster.objects.get(
        opd__code="DISKOMINFOSTANDI", week_start=MONDAY + timedelta(weeks=1)
    )
    assert [s["post_code"] for s in kominfo.shortfalls] == ["CC"]

    entries = RosterEntry.objects.filter(roster__week_start=MONDAY)
    assert (
        not entries.filter(employee__opd__essential=True)
        .exclude(mode__in=["WFO", "LEAVE"])
        .exists()
    )
    assert not entries.filter(employee__role=Role.HEAD).exclude(mode__in=["WFO", "LEAVE"]).exists()
    assert set(entries.filter(date=MONDAY).values_list("mode", flat=True)) <= {"WFO", "LEAVE"}
    recorded = {
        (r.opd_id, s["date"], s["post_code"])
        for r in Roster.objects.filter(week_start=MONDAY)
        for s in r.shortfalls
    }
    counts = {}
    for post_id, day in entries.filter(mode="WFO", employee__post__isnull=False).values_list(
        "employee__post", "date"
    ):
        counts[(post_id, day)] = counts.get((post_id, day), 0) + 1
    # The one exception is deliberate: the demo's sick clerk left a post short today,
    # and it stands open as a coverage alert for the head to recall someone.
    alerted = set(CoverageAlert.objects.values_list("post_id", "date"))
    assert len(alerted) == 1
    for post in ServicePost.objects.all():
        for offset in range(5):
            day = MONDAY + timedelta(days=offset)
            if (post.opd_id, day.isoformat(), post.code) not in recorded and (
                post.pk,
                day,
            ) not in alerted:
                assert counts.get((post.id, day), 0) >= post.min_onsite, (post, day)

    # Attendance history for the past working days, none for today.
    assert Attendance.objects.filter(date=date(2026, 12, 8), status="present").count() > 500
    assert Attendance.objects.filter(date=date(2026, 12, 8), status="absent").exists()
    assert not Attendance.objects.filter(date=date(2026, 12, 9)).exists()

    # Every approved week reads as decided before it began (built on the Thursday before,
    # approved on the Friday before), its history too; next week's draft was built now.
    from django.utils import timezone

    for roster in Roster.objects.filter(status=RosterStatus.APPROVED):
        built, decided = (
            timezone.localtime(roster.built_at),
            timezone.localtime(roster.decided_at),
        )
        assert built.date() == roster.week_start - timedelta(days=4), roster
        assert decided.date() == roster.week_start - timedelta(days=3), roster
        # Its creation and its approval; later changes (today's recall) keep their time.
        built_row, decided_row = roster.history.order_by("history_date", "history_id")[:2]
        assert (built_row.status, decided_row.status) == ("draft", "approved")
        assert timezone.localtime(decided_row.history_date) == decided
    draft = Roster.objects.filter(status=RosterStatus.DRAFT).first()
    assert timezone.localtime(draft.built_at).date() == date(2026, 12, 9)
    # History starts where rosters start: the first approved week has records.
    first = Roster.objects.order_by("week_start").first().week_start
    assert Attendance.objects.filter(date=first).exists()
    assert not Attendance.objects.filter(date__lt=first).exists()


@time_machine.travel("2026-12-09 10:00 +0700")
def test_seeding_twice_changes_nothing():
    seed()
    people = list(
        Employee.objects.order_by("nip").values_list("nip", "name", "opd__code", "post_id")
    )
    entries = RosterEntry.objects.count()
    records = Attendance.objects.count()
    changes = (DayRequest.objects.count(), Swap.objects.count(), CoverageAlert.objects.count())
    out = seed()
    assert (
        DayRequest.objects.count(),
        Swap.objects.count(),
        CoverageAlert.objects.count(),
    ) == changes
    assert "employees.csv: dibuat 0, diperbarui 0" in out
    assert "leaves.csv: dibuat 0, diperbarui 0" in out
    assert "Presensi contoh: 0 hari tercatat, 0 tidak hadir." in out
    assert (
        list(Employee.objects.order_by("nip").values_list("nip", "name", "opd__code", "post_id"))
        == people
    )
    assert (RosterEntry.objects.count(), Attendance.objects.count()) == (entries, records)


@time_machine.travel("2026-12-09 10:00 +0700")
def test_demo_has_a_short_post_today_a_pending_request_and_a_pending_swap(client):
    out = seed()
    head = Employee.objects.get(opd__code="DISKOMINFOSTANDI", role=Role.HEAD)
    # Today (Wednesday) a clerk of a post held at its minimum is sick: the post is short,
    # the head was told and sees whom to recall on the day page.
    [alert] = CoverageAlert.objects.filter(date=date(2026, 12, 9), closed_at__isnull=True)
    assert alert.post.opd == head.opd and alert.onsite < alert.required
    assert DayRequest.objects.filter(status="approved", kind="sakit").count() == 1
    assert head.user.notifications.filter(kind="post_short").exists()
    assert "Pos kurang petugas" in out
    client.force_login(head.user, backend="opd.auth.EmployeeBackend")
    page = client.get(reverse("attendance:opd-today", args=["DISKOMINFOSTANDI"])).content.decode()
    assert "Panggil ke kantor" in page
    # One request waits for the head, one swap waits for the demo ASN's answer.
    [pending] = DayRequest.objects.filter(status="pending")
    assert pending.employee.opd == head.opd and pending.kind == "izin"
    [swap] = Swap.objects.all()
    assert swap.status == "proposed" and swap.opd == head.opd
    asn = pending.employee
    assert swap.partner == asn


@time_machine.travel("2026-12-11 17:10 +0700")
def test_on_a_friday_evening_the_demo_still_has_a_request_waiting_for_the_head():
    # No approved day is left this week, so the demo ASN's izin is for Monday, in next
    # week's draft.
    out = seed()
    [pending] = DayRequest.objects.filter(status="pending")
    assert (pending.kind, pending.start, pending.end) == (
        "izin",
        date(2026, 12, 14),
        date(2026, 12, 14),
    )
    assert pending.employee.opd.code == "DISKOMINFOSTANDI"
    assert "Permohonan menunggu" in out
