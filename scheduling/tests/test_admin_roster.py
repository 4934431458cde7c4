"""BKPSDM's approval in the admin: filters, shortfalls, grid, bulk actions, history."""

import re
from datetime import UTC, date, datetime, timedelta
from unittest import mock

import pytest
import time_machine
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse
from kombu.exceptions import OperationalError as BrokerError

from opd.models import Role
from opd.tests.factories import EmployeeFactory, OpdFactory, ServicePostFactory
from scheduling.models import Roster, RosterBuild, RosterStatus
from scheduling.services.build import build_roster

from .factories import LeaveFactory, PolicyFactory

pytestmark = pytest.mark.django_db
W50 = date(2026, 12, 7)
CHANGELIST = "admin:scheduling_roster_changelist"


@pytest.fixture
def rosters():
    PolicyFactory()
    office = OpdFactory(code="DISKOMINFO", name="Dinas Kominfo")
    post = ServicePostFactory(opd=office, name="Command Center", min_onsite=2)
    team = EmployeeFactory.create_batch(2, opd=office, post=post)
    LeaveFactory(employee=team[0], start=W50, end=W50)
    hospital = OpdFactory(code="RSUD", name="RSUD Bekasi", essential=True)
    EmployeeFactory.create_batch(3, opd=hospital)
    build_roster(week_start=W50)
    return Roster.objects.get(opd=office), Roster.objects.get(opd=hospital)


@pytest.fixture
def bkpsdm(login):
    employee = EmployeeFactory(role=Role.BKPSDM, opd=OpdFactory(code="BKPSDM"))
    client = login(employee.user)
    client.user = employee.user
    return client


def changelist(client, **params):
    response = client.get(reverse(CHANGELIST), params)
    assert response.status_code == 200
    return response.content.decode()


def listed(client, **params):
    """OPD names in the result rows (the filter sidebar lists every OPD as well)."""
    return re.findall(r'<span class="opd-name">([^<]*)</span>', changelist(client, **params))


def test_changelist_shows_shortfalls_and_filters(bkpsdm, rosters):
    office, hospital = rosters
    body = changelist(bkpsdm)
    assert "kurang petugas" in body.lower()
    assert '<td class="field-shortfall_column">1</td>' in body
    assert {"Dinas Kominfo", "RSUD Bekasi"} <= set(listed(bkpsdm))
    assert len(listed(bkpsdm, week="2026-W50")) == 3
    assert listed(bkpsdm, week="2026-W51") == []
    assert listed(bkpsdm, opd__essential__exact="1") == ["RSUD Bekasi"]
    assert listed(bkpsdm, opd__id__exact=office.opd_id) == ["Dinas Kominfo"]
    assert "Dinas Kominfo" in listed(bkpsdm, status__exact="draft")
    assert listed(bkpsdm, status__exact="approved") == []
    assert listed(bkpsdm, week="2026-W99") == []


def test_approve_many_at_once_records_who_and_when(bkpsdm, rosters):
    ids = [r.pk for r in rosters]
    response = bkpsdm.post(reverse(CHANGELIST), {"action": "approve", ACTION_CHECKBOX_NAME: ids})
    assert response.status_code == 302
    for roster in Roster.objects.filter(pk__in=ids):
        assert roster.status == RosterStatus.APPROVED
        assert roster.decided_by == bkpsdm.user and roster.decided_at is not None
        assert roster.history.latest().history_user == bkpsdm.user


def test_reject_asks_for_a_reason_first(bkpsdm, rosters):
    ids = [r.pk for r in rosters]
    page = bkpsdm.post(reverse(CHANGELIST), {"action": "reject", ACTION_CHECKBOX_NAME: ids})
    assert page.status_code == 200 and "Alasan penolakan" in page.content.decode()
    assert set(Roster.objects.values_list("status", flat=True)) == {RosterStatus.DRAFT}
    empty = bkpsdm.post(
        reverse(CHANGELIST),
        {"action": "reject", ACTION_CHECKBOX_NAME: ids, "apply": "1", "reason": ""},
    )
    assert empty.status_code == 200
    assert set(Roster.objects.values_list("status", flat=True)) == {RosterStatus.DRAFT}
    done = bkpsdm.post(
        reverse(CHANGELIST),
        {
            "action": "reject",
            ACTION_CHECKBOX_NAME: ids,
            "apply": "1",
            "reason": "Pos Command Center kosong hari Senin",
        },
    )
    assert done.status_code == 302
    for roster in Roster.objects.filter(pk__in=ids):
        assert (roster.status, roster.reject_reason) == (
            RosterStatus.REJECTED,
            "Pos Command Center kosong hari Senin",
        )


def test_change_view_shows_the_grid_and_decides_one(bkpsdm, rosters):
    office, _ = rosters
    url = reverse("admin:scheduling_roster_change", args=[office.pk])
    body = bkpsdm.get(url).content.decode()
    assert "Grid roster 2026-W50" in body and "Di kantor: Command Center" in body
    assert "Setujui roster ini" in body and "Tolak roster ini" in body
    assert (
        bkpsdm.get(reverse("admin:scheduling_roster_approve", args=[office.pk])).status_code == 405
    )
    bkpsdm.post(reverse("admin:scheduling_roster_reject", args=[office.pk]), {"reason": ""})
    office.refresh_from_db()
    assert office.status == RosterStatus.DRAFT
    bkpsdm.post(reverse("admin:scheduling_roster_approve", args=[office.pk]))
    office.refresh_from_db()
    assert office.status == RosterStatus.APPROVED
    assert "Setujui roster ini" not in bkpsdm.get(url).content.decode()


def test_history_page_shows_status_changes_from_and_to(bkpsdm, rosters):
    office, _ = rosters
    bkpsdm.post(reverse("admin:scheduling_roster_approve", args=[office.pk]))
    body = bkpsdm.get(reverse("admin:scheduling_roster_history", args=[office.pk])).content.decode()
    assert "Draf&nbsp;&rarr;&nbsp;Disetujui" in body


def test_changelist_query_count_does_not_grow(bkpsdm, rosters):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        changelist(bkpsdm)
    for _ in range(8):
        opd = OpdFactory()
        EmployeeFactory.create_batch(2, opd=opd)
    build_roster(week_start=W50)
    with CaptureQueriesContext(connection) as many:
        changelist(bkpsdm)
    assert len(many) == len(few)


def test_queueing_a_build_runs_it(bkpsdm, rosters, django_capture_on_commit_callbacks):
    url = reverse("admin:scheduling_rosterbuild_add")
    assert "2026-W" in bkpsdm.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = bkpsdm.post(url, {"week": "2026-W51"})
    assert response.status_code == 302
    assert Roster.objects.filter(week_start=date(2026, 12, 14)).count() == 3
    assert RosterBuild.objects.get().items.filter(outcome="built").count() == 3


def test_queueing_a_build_with_the_broker_down_says_so(bkpsdm, rosters):
    with mock.patch(
        "scheduling.tasks.queue_week_build.delay", side_effect=BrokerError("Error 111 connecting")
    ):
        response = bkpsdm.post(reverse("admin:scheduling_rosterbuild_add"), {"week": "2026-W51"})
    assert response.status_code == 200
    assert "Antrean tugas (Redis) tidak dapat dihubungi" in response.content.decode()


def test_queue_form_rejects_a_bad_week(bkpsdm):
    response = bkpsdm.post(reverse("admin:scheduling_rosterbuild_add"), {"week": "2026-W60"})
    assert "tidak punya minggu ke-60" in response.content.decode()


# Thursday 3 December 2026, 14:00 WIB.
DECIDED = datetime(2026, 12, 3, 7, 0, tzinfo=UTC)


@pytest.fixture
def rina(login):
    employee = EmployeeFactory(
        role=Role.BKPSDM, opd=OpdFactory(code="BKPSDM"), name="Rina Sihombing"
    )
    client = login(employee.user)
    client.user = employee.user
    return client


def test_history_is_in_indonesian_with_names_and_wib_times(rina):
    with time_machine.travel(DECIDED - timedelta(hours=1), tick=False):
        PolicyFactory()
        EmployeeFactory.create_batch(2, opd=OpdFactory(code="DISKOMINFO"))
        build_roster(week_start=W50)
    office = Roster.objects.get(opd__code="DISKOMINFO")
    with time_machine.travel(DECIDED, tick=False):
        rina.post(
            reverse("admin:scheduling_roster_reject", args=[office.pk]),
            {"reason": "Pos Command Center kosong"},
        )
    body = rina.get(reverse("admin:scheduling_roster_history", args=[office.pk])).content.decode()
    assert "Draf&nbsp;&rarr;&nbsp;Ditolak" in body
    assert "Alasan penolakan:</strong> –&nbsp;&rarr;&nbsp;Pos Command Center kosong" in body
    assert "Diputuskan oleh:</strong> –&nbsp;&rarr;&nbsp;Rina Sihombing" in body
    assert "Diputuskan pada:</strong> –&nbsp;&rarr;&nbsp;Kam, 3 Des 2026 14:00 WIB" in body
    assert "Dibuat: dibangun" in body and "Kam, 3 Des 2026 13:00</a>" in body
    assert "<td>Rina Sihombing</td>" in body  # who made the change, by name
    assert "Kam, 3 Des 2026 14:00</a>" in body  # when, in WIB
    assert "Lihat riwayat: DISKOMINFO 2026-W50" in body
    for raw in ("REJECT_REASON", "reject_reason", "Changes", "pk=None", "rejected", "+00:00"):
        assert raw not in body, raw
    assert rina.user.username not in body  # no NIP where a name belongs


def test_history_cannot_revert_a_decision(rina, rosters):
    office, _ = rosters
    rina.post(reverse("admin:scheduling_roster_approve", args=[office.pk]))
    version = office.history.order_by("history_date").first()
    url = reverse("admin:scheduling_roster_simple_history", args=[office.pk, version.pk])
    assert rina.post(url, {"_change_history": "1"}).status_code == 405
    assert "Kembalikan" not in rina.get(url).content.decode()
    office.refresh_from_db()
    assert office.status == RosterStatus.APPROVED


def test_history_page_query_count_does_not_grow_with_versions(rina, rosters):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    office, _ = rosters
    url = reverse("admin:scheduling_roster_history", args=[office.pk])
    rina.post(reverse("admin:scheduling_roster_reject", args=[office.pk]), {"reason": "Kurang"})
    with CaptureQueriesContext(connection) as few:
        rina.get(url)
    for _ in range(3):
        build_roster(week_start=W50, opd_ids=[office.opd_id], user=rina.user)
        rina.post(reverse("admin:scheduling_roster_reject", args=[office.pk]), {"reason": "Lagi"})
    with CaptureQueriesContext(connection) as many:
        rina.get(url)
    assert len(many) == len(few)


def test_decided_by_shows_the_name_not_the_nip(rina, rosters):
    office, _ = rosters
    rina.post(reverse("admin:scheduling_roster_approve", args=[office.pk]))
    body = changelist(rina)
    cells = re.findall(r'<td class="field-decision">(.*?)</td>', body)
    assert any(cell.startswith("Rina Sihombing<br>") for cell in cells)
    assert rina.user.username not in "".join(cells)
    form = rina.get(reverse("admin:scheduling_roster_change", args=[office.pk])).content.decode()
    assert "Rina Sihombing<br><small>NIP " in form


def test_changelist_has_six_narrow_columns(rina, rosters):
    body = changelist(rina)
    headers = re.findall(r'<th scope="col" class="([^"]*)"', body)
    assert len([h for h in headers if "action-checkbox" not in h]) == 6
    assert "column-built_at" not in body


@pytest.fixture
def free_office():
    """An OPD of four people on no post: the builder can honour any pin."""
    PolicyFactory()
    office = OpdFactory(code="BAPPEDA", name="Bappeda")
    people = EmployeeFactory.create_batch(4, opd=office)
    other = OpdFactory(code="DISDIK", name="Dinas Pendidikan")
    EmployeeFactory.create_batch(2, opd=other)
    build_roster(week_start=W50)
    return Roster.objects.get(opd=office), Roster.objects.get(opd=other), people


def test_rebuilding_one_rejected_opd_rebuilds_only_that_opd_and_keeps_pins(rina, free_office):
    from scheduling.models import RosterEntry, RosterPin

    roster, other, people = free_office
    tuesday = date(2026, 12, 8)
    planned = RosterEntry.objects.get(roster=roster, employee=people[0], date=tuesday).mode
    pinned = "WFO" if planned == "WFH" else "WFH"
    RosterPin.objects.create(roster=roster, employee=people[0], date=tuesday, mode=pinned)
    for each in (roster, other):
        rina.post(reverse("admin:scheduling_roster_reject", args=[each.pk]), {"reason": "Ulang"})
    other.refresh_from_db()
    before = (other.status, other.built_at, other.history.count())

    url = reverse("admin:scheduling_roster_rebuild", args=[roster.pk])
    confirm = rina.get(url).content.decode()
    assert "Ya, bangun ulang roster ini" in confirm and "1 penyesuaian kepala OPD" in confirm
    roster.refresh_from_db()
    assert roster.status == RosterStatus.REJECTED  # asking writes nothing
    response = rina.post(url, follow=True)
    assert "Roster BAPPEDA minggu 2026-W50 dibangun ulang sebagai draf" in (
        response.content.decode()
    )
    roster.refresh_from_db()
    other.refresh_from_db()
    assert roster.status == RosterStatus.DRAFT and roster.reject_reason == ""
    assert roster.history.latest().history_user == rina.user
    assert RosterEntry.objects.get(roster=roster, employee=people[0], date=tuesday).mode == pinned
    assert (other.status, other.built_at, other.history.count()) == before


def test_rebuild_button_only_on_draft_or_rejected_rosters(rina, free_office):
    roster, _other, _people = free_office
    change = reverse("admin:scheduling_roster_change", args=[roster.pk])
    rebuild = reverse("admin:scheduling_roster_rebuild", args=[roster.pk])
    assert rebuild in rina.get(change).content.decode()
    rina.post(reverse("admin:scheduling_roster_approve", args=[roster.pk]))
    assert rebuild not in rina.get(change).content.decode()
    roster.refresh_from_db()
    built_at = roster.built_at
    response = rina.post(rebuild, follow=True)
    assert "hanya roster draf atau ditolak yang dapat dibangun ulang" in response.content.decode()
    roster.refresh_from_db()
    assert (roster.status, roster.built_at) == (RosterStatus.APPROVED, built_at)


def test_rebuilding_an_unchanged_draft_says_nothing_changed(rina, free_office):
    roster, _other, _people = free_office
    url = reverse("admin:scheduling_roster_rebuild", args=[roster.pk])
    body = rina.post(url, follow=True).content.decode()
    assert "tidak berubah: datanya sama seperti saat terakhir dibangun" in body


def test_request_swap_and_change_log_pages_name_the_decider(rina, rosters):
    from scheduling.models import DayRequest, RosterChange, Swap

    office, _ = rosters
    employee = office.opd.employees.first()
    colleague = office.opd.employees.last()
    request = DayRequest.objects.create(
        employee=employee, kind="sakit", start=date(2026, 12, 9), end=date(2026, 12, 9)
    )
    DayRequest.objects.filter(pk=request.pk).update(
        status="rejected", decided_by=rina.user, decided_at=DECIDED
    )
    swap = Swap.objects.create(
        opd=office.opd,
        date=date(2026, 12, 9),
        proposer=employee,
        partner=colleague,
        proposer_mode="WFO",
        partner_mode="WFH",
    )
    Swap.objects.filter(pk=swap.pk).update(decided_by=rina.user, decided_at=DECIDED)
    change = RosterChange.objects.create(
        roster=office,
        employee=employee,
        date=date(2026, 12, 9),
        old_mode="WFO",
        new_mode="WFH",
        kind=RosterChange.Kind.REQUEST,
        reason="requested",
        args={"mode": "WFH"},
        changed_by=rina.user,
    )
    for model, pk, column in (
        ("dayrequest", request.pk, "decided_by_name"),
        ("swap", swap.pk, "decided_by_name"),
        ("rosterchange", change.pk, "changed_by_name"),
    ):
        listing = rina.get(reverse(f"admin:scheduling_{model}_changelist")).content.decode()
        record = rina.get(reverse(f"admin:scheduling_{model}_change", args=[pk])).content.decode()
        assert f'<td class="field-{column}">Rina Sihombing</td>' in listing, model
        assert '<div class="readonly">Rina Sihombing</div>' in record, model
        for body in (listing, record):
            assert f">{rina.user.username}<" not in body, model


def test_a_rejection_reason_longer_than_the_history_column_is_kept_whole_on_the_roster(
    bkpsdm, rosters
):
    # The history's change reason holds 100 characters; the rejection form allows 1,000.
    # On PostgreSQL a longer reason made the whole rejection fail.
    office, _ = rosters
    reason = "Pos Command Center kosong pada hari Selasa; " * 8
    page = bkpsdm.post(
        reverse("admin:scheduling_roster_reject", args=[office.pk]), {"reason": reason}
    )
    assert page.status_code == 302
    office.refresh_from_db()
    assert (office.status, office.reject_reason) == (RosterStatus.REJECTED, reason.strip())
    record = office.history.first()
    assert len(record.history_change_reason) == 100
    assert record.history_change_reason.startswith("Pos Command Center kosong")
    assert record.history_change_reason.endswith("\u2026")
