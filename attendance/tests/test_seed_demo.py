from datetime import date, timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db.models import Count, F, Q
from django.urls import reverse

from opd.models import Employee, Opd, Role, ServicePost
from opd.nip import nip_error
from scheduling.demo import DEMO_PASSWORD
from scheduling.models import Roster, RosterEntry, RosterStatus

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


def seed():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_demo_is_kota_bekasi_with_the_stories_essential_flags():
    out = seed()
    opds = dict(Opd.objects.values_list("code", "essential"))
    assert set(opds) >= ESSENTIAL
    assert all(opds[code] for code in ESSENTIAL)
    kecamatan = [c for c in opds if c.startswith("KEC-")]
    assert len(kecamatan) == 12 and all(opds[c] for c in kecamatan)
    assert all(opds[c] for c in opds if c.startswith("KEL-"))
    assert not opds["DISKOMINFOSTANDI"] and not opds["BAPPELITBANGDA"]
    assert 1400 <= Employee.objects.count() <= 1700
    assert "DemoBekasi2026" in out


def test_every_opd_has_one_head_and_bkpsdm_has_accounts():
    seed()
    heads = Opd.objects.annotate(h=Count("employees", filter=Q(employees__role=Role.HEAD)))
    assert {opd.h for opd in heads} == {1}
    assert Employee.objects.filter(role=Role.BKPSDM).count() >= 3


def test_every_demo_nip_is_valid_and_posts_are_staffed():
    seed()
    assert [nip for nip in Employee.objects.values_list("nip", flat=True) if nip_error(nip)] == []
    misplaced = Employee.objects.filter(post__isnull=False).exclude(post__opd=F("opd"))
    assert not misplaced.exists()


def test_seeding_twice_changes_nothing():
    seed()
    before = list(
        Employee.objects.order_by("nip").values_list("nip", "name", "opd__code", "post_id")
    )
    out = seed()
    assert "employees.csv: dibuat 0, diperbarui 0" in out
    assert "leaves.csv: dibuat 0, diperbarui 0" in out
    assert (
        list(Employee.objects.order_by("nip").values_list("nip", "name", "opd__code", "post_id"))
        == before
    )


def test_printed_demo_logins_can_log_in(client):
    out = seed()
    nips = [line.split("NIP ")[1].split()[0] for line in out.splitlines() if "NIP " in line]
    assert len(nips) == 4
    for nip in nips:
        response = client.post(reverse("login"), {"username": nip, "password": DEMO_PASSWORD})
        assert response.status_code == 302, nip
        client.post(reverse("logout"))


@time_machine.travel("2026-12-09 10:00 +0700")
def test_demo_has_an_approved_current_week_and_a_draft_next_week():
    out = seed()
    by_week = dict(
        Roster.objects.values_list("week_start", "status").distinct().order_by("week_start")
    )
    assert by_week[date(2026, 12, 7)] == RosterStatus.APPROVED
    assert by_week[date(2026, 12, 14)] == RosterStatus.DRAFT
    assert Roster.objects.filter(week_start=date(2026, 12, 7)).count() == Opd.objects.count()
    assert "2026-W51" in out
    # The deliberate shortfall: Bekasi Command Center next Wednesday.
    kominfo = Roster.objects.get(opd__code="DISKOMINFOSTANDI", week_start=date(2026, 12, 14))
    assert [s["post_code"] for s in kominfo.shortfalls] == ["CC"]


@time_machine.travel("2026-12-09 10:00 +0700")
def test_demo_rosters_keep_the_rules():
    seed()
    entries = RosterEntry.objects.filter(roster__week_start=date(2026, 12, 7))
    # Essential OPDs and heads never work from home.
    assert (
        not entries.filter(employee__opd__essential=True)
        .exclude(mode__in=["WFO", "LEAVE"])
        .exists()
    )
    assert not entries.filter(employee__role=Role.HEAD).exclude(mode__in=["WFO", "LEAVE"]).exists()
    # Monday is an office day for everyone (phase II rotates Tuesday to Friday).
    assert set(entries.filter(date=date(2026, 12, 7)).values_list("mode", flat=True)) <= {
        "WFO",
        "LEAVE",
    }
    # Every post keeps its minimum at the office unless leave made it impossible.
    roster_shortfalls = {
        (r.opd_id, s["date"], s["post_code"])
        for r in Roster.objects.filter(week_start=date(2026, 12, 7))
        for s in r.shortfalls
    }
    for post in ServicePost.objects.select_related("opd"):
        for offset in range(5):
            day = date(2026, 12, 7) + timedelta(days=offset)
            onsite = entries.filter(employee__post=post, date=day, mode="WFO").count()
            if (post.opd_id, day.isoformat(), post.code) not in roster_shortfalls:
                assert onsite >= post.min_onsite, (post, day)
