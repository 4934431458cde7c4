"""Daily aggregates from approved rosters and check-ins, and the pages that read them."""

from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from attendance.models import Attendance
from evaluation.models import OpdDay
from evaluation.services import aggregate_days, refresh_days
from opd.models import MonthlyCost, Opd, Role
from opd.tests.factories import EmployeeFactory, OpdFactory, ServicePostFactory
from scheduling.models import Roster, RosterEntry, RosterStatus

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 11, 2)  # 2026-W45
NOW = datetime(2026, 11, 20, 9, 0, tzinfo=timezone.get_fixed_timezone(7 * 60))


def roster(opd, plan, status=RosterStatus.APPROVED, monday=MONDAY):
    """A roster of ``opd`` whose entries are ``plan``: {employee: "WFH WFO LEAVE ..."}."""
    decided = {}
    if status == RosterStatus.APPROVED:
        decided = {"decided_by": EmployeeFactory(role=Role.BKPSDM).user, "decided_at": NOW}
    stored = Roster.objects.create(
        opd=opd, week_start=monday, status=status, built_at=NOW, **decided
    )
    RosterEntry.objects.bulk_create(
        RosterEntry(
            roster=stored,
            employee=employee,
            date=monday + timedelta(days=offset),
            mode=mode,
            reason="test",
        )
        for employee, modes in plan.items()
        for offset, mode in enumerate(modes.split())
    )
    return stored


def record(employee, day, mode, **values):
    values.setdefault("check_in_at", timezone.make_aware(datetime.combine(day, time(7, 40))))
    return Attendance.objects.create(
        employee=employee, opd=employee.opd, date=day, mode=mode, **values
    )


@pytest.fixture
def office():
    opd = OpdFactory(code="DISKOMINFO", monthly_operating_cost=100_000_000)
    post = ServicePostFactory(opd=opd, name="Loket")
    people = {
        "ana": EmployeeFactory(opd=opd, name="Ana"),
        "budi": EmployeeFactory(opd=opd, name="Budi"),
        "citra": EmployeeFactory(opd=opd, post=post, name="Citra"),
        "head": EmployeeFactory(opd=opd, role=Role.HEAD, name="Kepala"),
    }
    roster(
        opd,
        {
            people["ana"]: "WFO WFH WFH WFO WFO",
            people["budi"]: "WFO WFO WFH WFH LEAVE",
            people["citra"]: "WFO WFO WFO WFO WFH",
            people["head"]: "WFO WFO WFO WFO WFO",
        },
    )
    tuesday, wednesday = MONDAY + timedelta(days=1), MONDAY + timedelta(days=2)
    record(
        people["ana"],
        tuesday,
        "WFH",
        tl_code="TL1",
        late_minutes=10,
        report="x",
        report_status="accepted",
    )
    record(people["head"], tuesday, "WFO", psw_code="PSW2", report="y", report_status="returned")
    record(people["budi"], tuesday, "WFO", status="absent", check_in_at=None)
    record(people["budi"], wednesday, "WFH")
    return opd, people


def test_a_day_counts_what_the_approved_roster_planned_and_what_the_check_ins_recorded(office):
    opd, _people = office
    tuesday = MONDAY + timedelta(days=1)
    found = aggregate_days(MONDAY, MONDAY + timedelta(days=4))
    rows = {(r.date, r.mode): r for r in found.days}
    graded = {(g.date, g.mode, g.code): g.count for g in found.grades}
    # Citra is the post's only person: at the office Monday-Thursday, WFH on Friday.
    posts = {p.date: (p.present, p.onsite) for p in found.posts}
    assert [posts[MONDAY + timedelta(days=d)] for d in range(5)] == [(1, 1)] * 4 + [(1, 0)]
    wfh, wfo = rows[(tuesday, "WFH")], rows[(tuesday, "WFO")]
    assert (wfh.planned, wfh.unrecorded, wfh.records) == (1, 0, 1)
    assert graded[(tuesday, "WFH", "TL1")] == 1 and wfh.reports_accepted == 1
    assert (wfo.planned, wfo.unrecorded, wfo.records, wfo.absent) == (3, 1, 2, 1)
    assert graded[(tuesday, "WFO", "PSW2")] == 1 and wfo.reports_returned == 1
    assert len(graded) == 2
    # Wednesday: Ana planned WFH with no check-in, Budi WFH with one.
    wednesday = rows[(MONDAY + timedelta(days=2), "WFH")]
    assert (wednesday.planned, wednesday.unrecorded, wednesday.records) == (2, 1, 1)
    assert rows[(MONDAY + timedelta(days=4), "LEAVE")].planned == 1


def test_only_approved_rosters_count_and_a_refresh_replaces_the_days_it_covers(office):
    opd, _people = office
    other = OpdFactory()
    roster(other, {EmployeeFactory(opd=other): "WFH WFH WFH WFH WFH"}, status=RosterStatus.DRAFT)
    first = refresh_days(MONDAY, MONDAY + timedelta(days=4))
    again = refresh_days(MONDAY, MONDAY + timedelta(days=4))
    assert first == again == OpdDay.objects.count()
    assert not OpdDay.objects.filter(opd=other).exists()


@time_machine.travel(NOW, tick=False)
def test_the_savings_page_shows_the_estimate_against_the_target_and_the_bill(client, office):
    opd, people = office
    refresh_days(MONDAY, MONDAY + timedelta(days=4))
    MonthlyCost.objects.create(opd=opd, month=date(2026, 11, 1), amount=85_000_000)
    client.force_login(people["head"].user)
    page = client.get(reverse("evaluation:savings"), {"bulan": "2026-11"})
    assert page.status_code == 200
    figures = page.context["total"]
    # 20 person-days (19 working, 1 leave), 5 planned remote: Ana 2, Budi 2, Citra 1.
    assert (figures.before, figures.planned_avoided) == (20, 5)
    # Actual: Ana's WFH check-in, Budi's WFH check-in, Ana's WFH day without one,
    # Budi's Thursday and Citra's Friday WFH without one: all past on 20 Nov.
    assert figures.actual_avoided == 5
    assert figures.planned_percent == pytest.approx(70 * 5 / 20)
    assert figures.bill_percent == pytest.approx(15.0)
    assert page.context["total_judgement"] == "below"
    html = page.content.decode()
    assert "17,5 %" in html and "15,0 %" in html and "di bawah target" in html
    assert '<svg class="chart"' in html and "data-band" in html


@time_machine.travel(NOW, tick=False)
def test_a_head_sees_only_their_own_opd_and_bkpsdm_sees_all(client, office):
    opd, people = office
    other = OpdFactory(code="DAMKAR", essential=True)
    roster(other, {EmployeeFactory(opd=other): "WFO WFO WFO WFO WFO"})
    refresh_days(MONDAY, MONDAY + timedelta(days=4))
    client.force_login(people["head"].user)
    for name in ("evaluation:savings", "evaluation:fairness"):
        html = client.get(reverse(name), {"bulan": "2026-11"}).content.decode()
        assert 'data-opd="DISKOMINFO"' in html and "DAMKAR" not in html
    assert client.get(reverse("evaluation:fairness-opd", args=["DAMKAR"])).status_code == 404
    client.force_login(EmployeeFactory(opd=other, role=Role.BKPSDM).user)
    page = client.get(reverse("evaluation:fairness"), {"bulan": "2026-11"})
    shares = {s.opd.code: s.percent for s in page.context["shares"]}
    assert shares["DISKOMINFO"] == pytest.approx(100 * 5 / 19)
    assert shares["DAMKAR"] == 0.0  # essential: shown, at 0
    assert all(v is None for code, v in shares.items() if code not in ("DISKOMINFO", "DAMKAR"))


@time_machine.travel(NOW, tick=False)
def test_fairness_compares_people_only_with_their_comparable_group(client, office):
    opd, people = office
    client.force_login(people["head"].user)
    page = client.get(reverse("evaluation:fairness-opd", args=[opd.code]), {"bulan": "2026-11"})
    month = page.context["periods"][0]
    assert month["counts"] == [(0, 1), (1, 1), (2, 2)]  # head 0, Citra 1, Ana and Budi 2
    groups = {(g.post, g.available): g.days for g in month["fairness"].groups}
    # Ana (5 days available) and Budi (4: one day of leave) are not compared.
    assert groups == {("", 5): [2], ("", 4): [2], ("Loket", 5): [1]}
    assert month["fairness"].worst_spread == 0


def test_a_malformed_month_answers_400_in_bahasa_indonesia(client, office):
    _opd, people = office
    client.force_login(people["head"].user)
    page = client.get(reverse("evaluation:savings"), {"bulan": "November"})
    assert page.status_code == 400
    assert "Bulan harus ditulis seperti 2026-12" in page.content.decode()


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    "name", ["evaluation:savings", "evaluation:fairness", "evaluation:discipline"]
)
def test_the_city_pages_run_the_same_queries_for_one_opd_or_many(
    client, office, django_assert_num_queries, name
):
    _opd, people = office
    bkpsdm = EmployeeFactory(role=Role.BKPSDM)
    refresh_days(MONDAY, MONDAY + timedelta(days=4))
    client.force_login(bkpsdm.user)
    client.get(reverse(name))  # warm the session and caches
    counts = []
    for extra in range(2):
        for n in range(3 * extra):
            other = OpdFactory(monthly_operating_cost=10_000_000 * (n + 1))
            roster(other, {EmployeeFactory(opd=other): "WFH WFO WFH WFO WFH"})
        refresh_days(MONDAY, MONDAY + timedelta(days=4))
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(name), {"bulan": "2026-11"}).status_code == 200
        counts.append(len(queries))
    expected = {"evaluation:savings": 8, "evaluation:fairness": 6, "evaluation:discipline": 9}
    assert counts[0] == counts[1] == expected[name]
    assert Opd.objects.count() >= 5


@time_machine.travel(NOW, tick=False)
def test_an_asn_sees_their_wfh_days_against_their_groups_average_on_their_schedule(client, office):
    _opd, people = office
    client.force_login(people["ana"].user)
    page = client.get(reverse("scheduling:my-schedule"))
    share = page.context["share"]
    # Ana's group: the back office (Ana 2, Budi 2).
    assert (share.mine, share.group_mean, share.group_size) == (2, 2.0, 2)
    assert 'id="my-share"' in page.content.decode()
    client.force_login(people["head"].user)
    share = client.get(reverse("scheduling:my-schedule")).context["share"]
    assert share.group_mean is None and share.mine == 0


@time_machine.travel(NOW, tick=False)
def test_an_opds_fairness_page_runs_the_same_queries_whatever_its_size(client, office):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    opd, people = office
    client.force_login(people["head"].user)
    url = reverse("evaluation:fairness-opd", args=[opd.code])
    client.get(url)
    counts = []
    for extra in (0, 6):
        if extra:  # six more people with a November week of their own
            roster(
                opd,
                {EmployeeFactory(opd=opd): "WFH WFO WFH WFO WFO" for _ in range(extra)},
                monday=MONDAY + timedelta(weeks=1),
            )
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, {"bulan": "2026-11"}).status_code == 200
        counts.append(len(queries))
    assert counts == [8, 8]
    assert (
        len(client.get(url, {"bulan": "2026-11"}).context["periods"][0]["fairness"].everyone) == 10
    )


@time_machine.travel(NOW, tick=False)
def test_discipline_compares_days_at_the_office_with_days_away(client, office):
    opd, people = office
    refresh_days(MONDAY, MONDAY + timedelta(days=4))
    client.force_login(people["head"].user)
    page = client.get(reverse("evaluation:discipline"), {"bulan": "2026-11"})
    assert page.status_code == 200
    (_office_label, at_office), (_away_label, away) = page.context["this_month"]
    # At the office: the head (PSW2, report returned) and Budi's absence on Tuesday.
    assert (at_office.records, at_office.absent, at_office.present) == (2, 1, 1)
    assert at_office.kind_rate("PSW") == 100.0 and at_office.absent_rate == 50.0
    # Away: Ana (TL1, report accepted) and Budi on Wednesday.
    assert (away.records, away.absent, away.rate("TL1")) == (2, 0, 50.0)
    assert away.reports_accepted == 1 and away.returned_rate == 0.0
    assert page.context["codes"] == ["TL1", "TL2", "TL3", "TL4", "PSW1", "PSW2", "PSW3", "PSW4"]
    html = page.content.decode()
    assert 'data-opd="DISKOMINFO"' in html and "50,0 %" in html and '<svg class="chart"' in html


HOME_NOW = datetime(2026, 11, 3, 9, 0, tzinfo=timezone.get_fixed_timezone(7 * 60))


@time_machine.travel(HOME_NOW, tick=False)
def test_the_home_shows_today_the_week_and_each_opds_worst_post_margin(client, office):
    from attendance.models import CoverageAlert

    opd, people = office
    post = people["citra"].post
    post.min_onsite = 1
    post.save()
    CoverageAlert.objects.create(post=post, date=date(2026, 11, 3), required=1, onsite=0)
    refresh_days(MONDAY, MONDAY + timedelta(days=4))
    bkpsdm = EmployeeFactory(role=Role.BKPSDM)
    client.force_login(bkpsdm.user)
    page = client.get(reverse("evaluation:home"))
    assert page.status_code == 200
    today = page.context["figures"]
    # Tuesday 3 Nov: 4 expected; Ana and the head checked in, Budi absent.
    assert (today.expected, today.checked_in, today.absent, today.late) == (4, 2, 1, 1)
    assert (today.short_posts, today.reports_waiting) == (1, 0)
    ((shown, cells, link),) = [row for row in page.context["heatmap"] if row[0] == opd]
    assert link == reverse("scheduling:roster-week", args=[opd.code, "2026-W45"])
    # Citra is the post's only person: at the office Monday-Thursday (margin 0), WFH Friday.
    assert [c.margin for c in cells] == [0, 0, 0, 0, -1]
    assert [c.tone for c in cells] == ["tight"] * 4 + ["short"]
    html = page.content.decode()
    assert 'id="heatmap"' in html and 'data-margin="-1"' in html
    # Each tile leads somewhere BKPSDM may go.
    for link in page.context["links"].values():
        assert client.get(link).status_code == 200, link


@time_machine.travel(HOME_NOW, tick=False)
def test_a_heads_home_shows_only_their_opd_and_links_to_their_pages(client, office):
    opd, people = office
    other = OpdFactory(code="DAMKAR")
    ServicePostFactory(opd=other)
    refresh_days(MONDAY, MONDAY + timedelta(days=4))
    client.force_login(people["head"].user)
    page = client.get(reverse("evaluation:home"))
    assert [row[0].code for row in page.context["heatmap"]] == ["DISKOMINFO"]
    assert page.context["figures"].expected == 4
    assert page.context["links"]["day"] == reverse("attendance:opd-today", args=[opd.code])
    assert "DAMKAR" not in page.content.decode()


@time_machine.travel(HOME_NOW, tick=False)
def test_the_home_runs_the_same_queries_for_one_opd_or_many(client, office):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(EmployeeFactory(role=Role.BKPSDM).user)
    client.get(reverse("evaluation:home"))
    counts = []
    for extra in (0, 3):
        for _ in range(extra):
            other = OpdFactory()
            post = ServicePostFactory(opd=other)
            roster(other, {EmployeeFactory(opd=other, post=post): "WFO WFO WFO WFO WFO"})
        refresh_days(MONDAY, MONDAY + timedelta(days=4))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("evaluation:home")).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] == 12, counts


def absent_on(employee, days):
    for day in days:
        record(employee, day, "WFO", status="absent", check_in_at=None)


@time_machine.travel(datetime(2026, 12, 20, 9, 0, tzinfo=timezone.get_fixed_timezone(7 * 60)))
def test_the_ladder_lists_who_crossed_a_pp_94_2021_step_worst_first(client, office):
    opd, people = office
    weekdays = [
        date(2026, 11, 2) + timedelta(days=n)
        for n in range(40)
        if (date(2026, 11, 2) + timedelta(days=n)).isoweekday() <= 5
    ]
    absent_on(people["citra"], weekdays[:10])  # ten working days in a row
    absent_on(people["ana"], weekdays[20:26:2])  # three days, not in a row
    absent_on(people["head"], weekdays[10:12])  # below the first step
    client.force_login(EmployeeFactory(role=Role.BKPSDM).user)
    page = client.get(reverse("evaluation:ladder"), {"tahun": "2026"})
    rows = [(r.name, r.days, r.run, r.step.penalty) for r in page.context["rows"]]
    assert rows == [
        (
            "Citra",
            10,
            10,
            "pemberhentian dengan hormat tidak atas permintaan sendiri sebagai PNS",
        ),
        ("Ana", 3, 0, "teguran lisan"),
    ]
    assert client.get(reverse("evaluation:ladder"), {"tahun": "20x6"}).status_code == 400
    other_head = EmployeeFactory(role=Role.HEAD)
    client.force_login(other_head.user)
    assert client.get(reverse("evaluation:ladder"), {"tahun": "2026"}).context["rows"] == []


def test_approving_a_roster_brings_its_week_into_the_figures(
    office, django_capture_on_commit_callbacks
):
    from scheduling.services.approval import approve_rosters

    opd, people = office
    other = OpdFactory(code="DAMKAR")
    person = EmployeeFactory(opd=other)
    draft = roster(other, {person: "WFH WFH WFO WFO WFO"}, status=RosterStatus.DRAFT)
    refresh_days(MONDAY, MONDAY + timedelta(days=4))
    assert not OpdDay.objects.filter(opd=other).exists()
    # Tasks run in the process in tests (conftest.py), as in the demo.
    with django_capture_on_commit_callbacks(execute=True):
        approve_rosters(roster_ids=[draft.pk], user=EmployeeFactory(role=Role.BKPSDM).user)
    planned = dict(OpdDay.objects.filter(opd=other).values_list("mode").annotate(n=Sum("planned")))
    assert planned == {"WFH": 2, "WFO": 3}
    # The other OPD's rows were left alone.
    assert OpdDay.objects.filter(opd=opd).count() > 0


@time_machine.travel(datetime(2026, 12, 2, 9, 0, tzinfo=timezone.get_fixed_timezone(7 * 60)))
def test_the_finance_office_gets_every_employees_tpp_deduction_in_one_file(client, office):
    import csv
    import io

    opd, people = office
    other = OpdFactory(code="DAMKAR")
    EmployeeFactory(opd=other, name="Zaki")
    client.force_login(EmployeeFactory(role=Role.BKPSDM).user)
    response = client.get(reverse("evaluation:tpp-csv", args=["2026-11"]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header = rows[0]
    assert header[:3] == ["NIP", "Nama", "OPD"] and header[-1] == "Potongan TPP (%)"
    by_name = {row[1]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    # Ana: TL1 on Tuesday (0.5 %); Budi: absent on Tuesday (3 %) and no daily report for
    # his WFH Wednesday (0.5 %); the head: PSW2 (1 %).
    assert by_name["Ana"]["Potongan TPP (%)"] == "0.5"
    assert by_name["Budi"]["Potongan TPP (%)"] == "3.5"
    assert by_name["Kepala"]["Potongan TPP (%)"] == "1.0"
    assert by_name["Zaki"]["OPD"] == "DAMKAR"
    book = client.get(reverse("evaluation:tpp-xlsx", args=["2026-11"]))
    assert book["Content-Disposition"] == 'attachment; filename="potongan-tpp-2026-11.xlsx"'


@time_machine.travel(datetime(2026, 12, 20, 9, 0, tzinfo=timezone.get_fixed_timezone(7 * 60)))
def test_the_ladder_runs_the_same_queries_for_few_people_or_many(client, office):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    opd, people = office
    weekdays = [
        date(2026, 11, 16) + timedelta(days=n)
        for n in range(21)
        if (date(2026, 11, 16) + timedelta(days=n)).isoweekday() <= 5
    ]
    client.force_login(EmployeeFactory(role=Role.BKPSDM).user)
    counts = []
    for people_absent in (1, 6):
        while (
            len(
                {
                    a.employee_id
                    for a in Attendance.objects.filter(status="absent", date__gte=weekdays[0])
                }
            )
            < people_absent
        ):
            absent_on(EmployeeFactory(opd=opd), weekdays[:11])  # the last step, in a row
        with CaptureQueriesContext(connection) as queries:
            page = client.get(reverse("evaluation:ladder"), {"tahun": "2026"})
        counts.append(len(queries))
    assert len(page.context["rows"]) >= 6
    assert counts[0] == counts[1], counts
