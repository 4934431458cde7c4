"""Roster pages: the grid, downloads, the ASN's own schedule; scoping and query counts."""

import csv
import io
from datetime import date

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from opd.models import Employee, Role
from opd.tests.factories import EmployeeFactory, OpdFactory, ServicePostFactory, valid_nip
from scheduling.models import Roster
from scheduling.services.approval import approve_rosters
from scheduling.services.build import build_roster

from .factories import LeaveFactory, PolicyFactory

pytestmark = pytest.mark.django_db
W50 = date(2026, 12, 7)
WEDNESDAY = date(2026, 12, 9)


@pytest.fixture
def opd():
    PolicyFactory()
    opd = OpdFactory(code="DISKOMINFO", name="Dinas Kominfo")
    post = ServicePostFactory(opd=opd, code="CC", name="Command Center", min_onsite=2)
    EmployeeFactory(opd=opd, role=Role.HEAD, name="Slamet Kusuma")
    team = [EmployeeFactory(opd=opd, post=post, name=f"Petugas {i}") for i in range(3)]
    EmployeeFactory.create_batch(4, opd=opd)
    for person in team[:2]:
        LeaveFactory(employee=person, start=WEDNESDAY, end=WEDNESDAY, kind="sakit")
    build_roster(week_start=W50)
    return opd


def head_of(opd):
    return Employee.objects.get(opd=opd, role=Role.HEAD).user


def grid_url(opd, week="2026-W50"):
    return reverse("scheduling:roster-week", args=[opd.code, week])


def test_head_sees_the_grid_with_reasons_status_and_coverage(client, login, opd):
    body = login(head_of(opd)).get(grid_url(opd)).content.decode()
    assert "Dinas Kominfo" in body and "Minggu 2026-W50" in body
    assert "Draf: menunggu persetujuan BKPSDM" in body
    assert (
        "Petugas 0" in body and "giliran WFH" in body and "hari kerja di kantor untuk semua" in body
    )
    # Wednesday: two of three on leave, the post needs two -> short, shown in red.
    assert "Di kantor: Command Center" in body
    assert 'class="text-center small table-danger fw-bold text-danger short">1/2' in body
    assert "Command Center hanya 1 dari 2 orang" in body
    assert "Porsi WFH/WFA" in body
    assert reverse("scheduling:roster-week", args=[opd.code, "2026-W49"]) in body
    assert reverse("scheduling:roster-week", args=[opd.code, "2026-W51"]) in body


def test_approved_status_names_the_approver(client, login, opd):
    bkpsdm = EmployeeFactory(role=Role.BKPSDM, name="Rina Sihombing").user
    approve_rosters(roster_ids=[Roster.objects.get(opd=opd).pk], user=bkpsdm)
    body = login(head_of(opd)).get(grid_url(opd)).content.decode()
    assert "Disetujui BKPSDM (Rina Sihombing" in body


def test_week_without_roster_says_so(client, login, opd):
    body = login(head_of(opd)).get(grid_url(opd, "2027-W02")).content.decode()
    assert "Roster minggu ini belum dibangun." in body


def test_malformed_week_is_a_400_with_the_reason(client, login, opd):
    response = login(head_of(opd)).get(grid_url(opd, "2026-W99"))
    assert response.status_code == 400
    assert "Tahun 2026 tidak punya minggu ke-99" in response.content.decode()


def test_head_of_another_opd_gets_404_and_no_names(client, login, opd):
    stranger = EmployeeFactory(role=Role.HEAD).user
    for url in (
        grid_url(opd),
        reverse("scheduling:roster-csv", args=[opd.code, "2026-W50"]),
        reverse("scheduling:roster-xlsx", args=[opd.code, "2026-W50"]),
    ):
        response = login(stranger).get(url)
        assert response.status_code == 404
        assert b"Petugas 0" not in response.content


def test_bkpsdm_sees_any_opd_with_a_chooser(client, login, opd):
    other = OpdFactory(code="DLH", name="Dinas Lingkungan Hidup")
    bkpsdm = EmployeeFactory(role=Role.BKPSDM).user
    body = login(bkpsdm).get(grid_url(opd)).content.decode()
    assert 'name="opd"' in body and "Dinas Lingkungan Hidup" in body
    response = client.get(
        reverse("scheduling:roster-index"), {"opd": other.code, "week": "2026-W50"}
    )
    assert response.url == grid_url(other)


def test_chooser_rejects_a_bad_week(client, login, opd):
    bkpsdm = EmployeeFactory(role=Role.BKPSDM).user
    response = login(bkpsdm).get(
        reverse("scheduling:roster-index"), {"opd": opd.code, "week": "minggu depan"}
    )
    assert response.status_code == 400 and "seperti 2026-W50" in response.content.decode()


@time_machine.travel("2026-12-08 09:00 +0700")
def test_head_roster_link_opens_this_weeks_grid(client, login, opd):
    response = login(head_of(opd)).get(reverse("scheduling:roster-index"))
    assert response.url == grid_url(opd)


def test_csv_download_is_nip_date_mode_sorted(client, login, opd):
    response = login(head_of(opd)).get(
        reverse("scheduling:roster-csv", args=[opd.code, "2026-W50"])
    )
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith(b"\xef\xbb\xbf")  # the BOM Excel reads UTF-8 by
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["nip", "date", "mode"]
    assert len(rows) == 1 + 8 * 5
    assert rows[1:] == sorted(rows[1:])


def test_xlsx_download_has_the_grid_and_the_rows(client, login, opd):
    response = login(head_of(opd)).get(
        reverse("scheduling:roster-xlsx", args=[opd.code, "2026-W50"])
    )
    book = load_workbook(io.BytesIO(response.content))
    grid = list(book["Roster"].iter_rows(values_only=True))
    assert grid[1] == (
        "NIP",
        "Nama",
        "Pos",
        "2026-12-07",
        "2026-12-08",
        "2026-12-09",
        "2026-12-10",
        "2026-12-11",
    )
    assert len(grid) == 2 + 8
    head = next(row for row in grid if row[1] == "Slamet Kusuma")
    assert head[3:] == ("WFO",) * 5
    data = list(book["nip,date,mode"].iter_rows(values_only=True))
    assert data[0] == ("nip", "date", "mode") and len(data) == 1 + 40
    assert all(isinstance(row[0], str) and len(row[0]) == 18 for row in data[1:])


def test_grid_query_count_is_the_same_for_10_and_1000_employees(
    client, login, django_assert_num_queries
):
    PolicyFactory()
    counts = {}
    for size in (10, 1000):
        opd = OpdFactory()
        post = ServicePostFactory(opd=opd, min_onsite=2)
        head = EmployeeFactory(opd=opd, role=Role.HEAD)
        users = type(head.user).objects.bulk_create(
            type(head.user)(username=valid_nip(100_000 + size + i)) for i in range(size - 1)
        )
        Employee.objects.bulk_create(
            Employee(
                nip=user.username,
                name=f"Pegawai {i}",
                opd=opd,
                post=post if i % 5 == 0 else None,
                user=user,
            )
            for i, user in enumerate(users)
        )
        build_roster(week_start=W50, opd_ids=[opd.pk])
        login(head.user)
        # session, user+employee+OPD, the OPD, the roster, its posts,
        # the entries with their employees and posts, unread notices
        with django_assert_num_queries(7):
            response = client.get(grid_url(opd))
        assert response.status_code == 200
        counts[size] = response.content.decode().count('class="cell"')
        client.logout()
    assert counts == {10: 50, 1000: 5000}


@time_machine.travel("2026-12-09 08:00 +0700")
def test_asn_sees_own_days_with_reasons_for_this_week_and_next(client, login, opd):
    me = Employee.objects.filter(opd=opd, post__isnull=False).order_by("name").first()
    body = login(me.user).get(reverse("scheduling:my-schedule")).content.decode()
    assert "2026-W50" in body and "2026-W51" in body
    assert "cuti sakit" in body  # Wednesday's leave, with its kind
    assert "hari ini" in body
    assert "draf, belum disetujui" in body
    assert "Jadwal minggu ini belum dibuat" in body  # W51 is not built yet
    other = Employee.objects.filter(opd=opd).exclude(pk=me.pk).first()
    assert other.name not in body


@time_machine.travel("2026-12-12 10:00 +0700")
def test_on_saturday_the_schedule_shows_the_coming_week(client, login, opd):
    me = Employee.objects.filter(opd=opd).first()
    body = login(me.user).get(reverse("scheduling:my-schedule")).content.decode()
    assert "2026-W51" in body and "2026-W52" in body and "2026-W50" not in body
