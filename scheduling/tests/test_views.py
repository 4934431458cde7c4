"""Roster pages: the grid, downloads, the ASN's own schedule; scoping and query counts."""

import csv
import io
from datetime import date
from html.parser import HTMLParser

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
    assert "Dinas Kominfo" in body and "Sen, 7 Des 2026 – Jum, 11 Des 2026" in body
    assert "Draf: menunggu persetujuan BKPSDM" in body
    assert (
        "Petugas 0" in body and "giliran WFH" in body and "hari kerja di kantor untuk semua" in body
    )
    # Wednesday: two of three on leave, the post needs two -> short, shown in red.
    assert "Di kantor: Command Center" in body
    assert 'class="text-center small table-danger fw-bold text-danger short">1/2' in body
    # The shortfall's day in the interface's format, not as the stored ISO text.
    assert "Rab, 9 Des: Command Center hanya 1 dari 2 orang" in body
    assert "2026-12-09" not in body.split("Kekurangan petugas")[1].split("</div>")[0]
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


class GridHtml(HTMLParser):
    """The roster grid as the browser gets it: the day headers, and per row its name
    and its cells (the td's classes, the button's attributes and text)."""

    def __init__(self, html: str):
        super().__init__()
        self.headers, self.rows, self.summary = [], [], ""
        self._in = None  # "th", "name", "button", "summary"
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        if tag == "p" and attrs.get("id") == "coverage-summary":
            self._in = "summary"
        elif tag == "th" and attrs.get("scope") == "col":
            self.headers.append({"attrs": attrs, "text": ""})
            self._in = "th"
        elif tag == "tr":
            self.rows.append({"name": "", "cells": []})
        elif tag == "span" and "name-text" in classes:
            self._in = "name"
        elif tag == "td" and self.rows:
            self.rows[-1]["cells"].append({"td": classes, "button": None, "text": ""})
        elif tag == "button" and "cell" in classes:
            self.rows[-1]["cells"][-1]["button"] = attrs
            self._in = "button"

    def handle_endtag(self, tag):
        if (tag, self._in) in {("p", "summary"), ("th", "th"), ("span", "name")} or (
            tag == "button" and self._in == "button"
        ):
            self._in = None

    def handle_data(self, data):
        if self._in == "summary":
            self.summary += data
        elif self._in == "th":
            self.headers[-1]["text"] += data
        elif self._in == "name":
            self.rows[-1]["name"] += data
        elif self._in == "button":
            self.rows[-1]["cells"][-1]["text"] += data

    def person(self, name):
        return next(row for row in self.rows if row["name"] == name)


@time_machine.travel("2026-12-09 08:00 +0700")
def test_todays_column_is_marked_for_eyes_and_screen_readers(client, login, opd):
    grid = GridHtml(login(head_of(opd)).get(grid_url(opd)).content.decode())
    days = grid.headers[1:]
    assert [d["attrs"].get("aria-current") for d in days] == [None, None, "date", None, None]
    assert "hari ini" in days[2]["text"] and "is-today" in days[2]["attrs"]["class"]
    assert all("hari ini" not in d["text"] for d in days[:2] + days[3:])
    head_row = grid.person("Slamet Kusuma")
    assert ["is-today" in c["td"] for c in head_row["cells"]] == [False, False, True, False, False]


def test_next_weeks_grid_marks_no_day_as_today(client, login, opd):
    with time_machine.travel("2026-12-03 08:00 +0700"):
        body = login(head_of(opd)).get(grid_url(opd)).content.decode()
    assert 'aria-current="date"' not in body and "is-today" not in body


def test_each_cell_carries_its_own_reason_and_its_mode_as_text(client, login, opd):
    grid = GridHtml(login(head_of(opd)).get(grid_url(opd)).content.decode())
    people = [row for row in grid.rows if row["name"]]
    assert len(people) == 8 and all(len(row["cells"]) == 5 for row in people)
    for row in people:
        for cell in row["cells"]:
            button = cell["button"]
            # The reason sits on the cell's own button, for the popover beside it.
            assert button["data-reason"] and button["aria-controls"] == "reason-box"
            assert button["aria-expanded"] == "false"
            # The mode is written in the cell, not only coloured.
            mode = next(c for c in cell["td"] if c.startswith("mode-")).removeprefix("mode-")
            labels = {"WFO": "WFO", "WFH": "WFH", "WFA": "WFA", "LEAVE": "Cuti", "HOLIDAY": "Libur"}
            assert cell["text"] == labels[mode]
    wednesday = grid.person("Petugas 0")["cells"][2]
    assert wednesday["text"] == "Cuti" and "cuti sakit" in wednesday["button"]["data-reason"]
    head_monday = grid.person("Slamet Kusuma")["cells"][0]
    assert head_monday["button"]["data-reason"] == "kepala OPD selalu di kantor"


def test_coverage_comes_first_and_the_summary_above_the_grid_names_the_short_post(
    client, login, opd
):
    body = login(head_of(opd)).get(grid_url(opd)).content.decode()
    grid = GridHtml(body)
    summary = " ".join(grid.summary.split())
    assert "Pos kurang petugas: Command Center, Rab, 9 Des (1/2)." in summary
    assert body.index('id="coverage-summary"') < body.index('class="table-responsive roster-wrap')
    # The coverage rows are the first rows of the body, above the people.
    first_person = body.index('<span class="name-text">Slamet Kusuma')
    assert body.index("Di kantor: Command Center") < first_person


def test_a_week_with_every_post_covered_says_so_above_the_grid(client, login, opd):
    ServicePostFactory(opd=opd, code="ZZ", name="Loket Kosong", min_onsite=0)
    build_roster(week_start=date(2026, 12, 14))
    body = login(head_of(opd)).get(grid_url(opd, "2026-W51")).content.decode()
    summary = " ".join(GridHtml(body).summary.split())
    assert summary.startswith("Semua pos terpenuhi minggu ini.")


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
