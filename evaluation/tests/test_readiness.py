"""Readiness and what-if: a proposed policy run with the builder's planner, pure, and
the scenario pages that store, show, download and compare it."""

import io
from datetime import date

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from evaluation.models import Scenario
from evaluation.readiness import assess_opd, capacity
from opd.models import Role
from opd.tests.factories import EmployeeFactory, OpdFactory, ServicePostFactory
from scheduling import roster as rules
from scheduling.tests.factories import PolicyFactory

W50 = date(2026, 12, 7)
W51 = date(2026, 12, 14)


def person(pid, post=None, head=False, eligible=True):
    return rules.Person(pid, f"19850412201001{pid:04d}", post, head, eligible)


def rotation(ratio=0.5, weekdays=frozenset({2, 3, 4, 5}), cap=None):
    return rules.PolicyRule(
        1, date(2026, 1, 1), date(2027, 12, 31), "rotation", ratio, weekdays, cap
    )


LOKET = rules.Post(10, "KTP", "Loket KTP", 3)


def office(essential=False, monday=W50, leaves=None):
    people = (
        person(1, head=True),
        *(person(n) for n in range(2, 8)),  # six in the back office
        *(person(n, post=LOKET.id) for n in range(8, 12)),  # four at the counter, minimum 3
        person(12, eligible=False),
    )
    return rules.WeekInput(
        week_start=monday,
        essential=essential,
        people=people,
        posts=(LOKET,),
        leaves=leaves or {},
    )


def test_capacity_counts_who_may_leave_and_which_posts_hold_people_in():
    eligible, room, held = capacity(office())
    # Ten eligible (six back office, four at the counter); the counter may lose only one.
    assert (eligible, room) == (10, 7)
    assert [(h.name, h.min_onsite, h.staff) for h in held] == [("Loket KTP", 3, 4)]
    assert capacity(office(essential=True)) == (0, 0, ())


def test_a_proposal_is_planned_with_the_builders_rules_and_nothing_else_changes():
    week = office()
    proposed = assess_opd([week], (rotation(),))
    in_force = assess_opd([week])  # no policy in force: everybody at the office
    assert in_force.remote_days == 0 and in_force.projected_share == 0
    # Four rotation days, about half of the 10 eligible each day, never more than the
    # counter's one spare place there.
    assert 4 * 4 <= proposed.remote_days <= 4 * 6
    assert proposed.person_days == 5 * 12 and proposed.available_days == 60
    assert proposed.shortfalls == 0 and proposed.fairness_spread <= 1
    assert proposed.saving_percent(30) == pytest.approx(70 * proposed.remote_days / 60)


def test_an_opd_counted_as_essential_keeps_everybody_at_the_office():
    proposed = assess_opd([office()], (rotation(1.0),), essential=True)
    assert proposed.remote_days == 0 and proposed.max_share == 0


def test_leave_that_leaves_a_post_short_is_a_shortfall_under_any_policy():
    leave = {8: {date(2026, 12, 8): "sakit"}, 9: {date(2026, 12, 8): "sakit"}}
    week = office(leaves=leave)
    assert assess_opd([week], (rotation(),)).shortfalls == 1
    assert assess_opd([week]).shortfalls == 1


def test_only_the_days_within_the_range_are_counted_but_whole_weeks_are_planned():
    weeks = [office(), office(monday=W51)]
    whole = assess_opd(weeks, (rotation(),))
    first_week = assess_opd(weeks, (rotation(),), within=(W50, date(2026, 12, 11)))
    assert first_week.person_days == whole.person_days // 2 == 60


@settings(max_examples=40, deadline=None)
@given(
    ratio=st.sampled_from([0.2, 0.4, 0.5, 0.75, 1.0]),
    cap=st.sampled_from([None, 1, 2, 3]),
    weekdays=st.sets(st.integers(1, 5), min_size=1),
)
def test_a_proposal_never_sends_more_away_than_coverage_allows(ratio, cap, weekdays):
    week = office()
    found = assess_opd([week], (rotation(ratio, frozenset(weekdays), cap),))
    _eligible, room, _held = capacity(week)
    assert found.remote_days <= room * len(weekdays)
    if cap is not None:
        assert found.remote_days <= cap * found.eligible
    assert found.shortfalls == 0


# The pages -----------------------------------------------------------------------


@pytest.fixture
def city(db):
    PolicyFactory()  # rotation 50:50, Tuesday to Friday, in force
    opd = OpdFactory(code="DISKOMINFO", monthly_operating_cost=100_000_000)
    post = ServicePostFactory(opd=opd, name="Layanan Aduan", min_onsite=2)
    EmployeeFactory(opd=opd, role=Role.HEAD)
    EmployeeFactory.create_batch(6, opd=opd)
    EmployeeFactory.create_batch(3, opd=opd, post=post)
    damkar = OpdFactory(code="DAMKAR", essential=True)
    EmployeeFactory.create_batch(4, opd=damkar)
    return {"opd": opd, "damkar": damkar, "bkpsdm": EmployeeFactory(role=Role.BKPSDM)}


FORM = {
    "name": "Kamis WFH",
    "mode": "fixed_days",
    "wfh_ratio": "1",
    "weekdays": "thu",
    "start": "2026-12-07",
    "end": "2026-12-18",
}


def test_bkpsdm_runs_a_scenario_and_sees_it_beside_the_policy_in_force(client, city):
    client.force_login(city["bkpsdm"].user)
    page = client.post(
        reverse("evaluation:scenarios"), {**FORM, "essential_opds": [city["damkar"].pk]}
    )
    scenario = Scenario.objects.get()
    assert page.url == reverse("evaluation:scenario", args=[scenario.pk])
    assert scenario.state == "done" and scenario.progress == 100
    shown = client.get(page.url)
    rows = {row["code"]: row for row in shown.context["rows"]}
    kominfo = rows["DISKOMINFO"]
    # Thursday WFH for everybody eligible: 6 back office + 1 of the 3 at the post (min 2),
    # on two Thursdays; the 50:50 rotation in force sends about half, four days a week.
    assert kominfo["proposed"]["figures"].remote_days == 2 * 7
    assert kominfo["in_force"]["figures"].remote_days > 2 * 7
    assert [h.name for h in kominfo["proposed"]["figures"].held_posts] == ["Layanan Aduan"]
    assert rows["DAMKAR"]["proposed"]["figures"].remote_days == 0
    html = shown.content.decode()
    assert 'data-figure="proposed-share"' in html and "Layanan Aduan (2/3)" in html
    book = load_workbook(
        io.BytesIO(client.get(reverse("evaluation:scenario-xlsx", args=[scenario.pk])).content)
    )
    cells = [[c.value for c in row] for row in book.active.iter_rows()]
    assert cells[1][0] == "Kode OPD" and [r[0] for r in cells[2:4]] == ["DAMKAR", "DISKOMINFO"]
    assert cells[-1][1] == "Seluruh kota"


def test_several_scenarios_are_compared_with_the_policy_in_force(client, city):
    client.force_login(city["bkpsdm"].user)
    client.post(reverse("evaluation:scenarios"), FORM)
    client.post(
        reverse("evaluation:scenarios"),
        {
            **FORM,
            "name": "50:50, maks 2 hari",
            "mode": "rotation",
            "wfh_ratio": "0.5",
            "weekdays": "tue,wed,thu,fri",
            "max_remote_days_per_week": "2",
        },
    )
    ids = list(Scenario.objects.order_by("pk").values_list("pk", flat=True))
    page = client.get(reverse("evaluation:scenario-compare"), {"s": ids})
    names = [scenario.name for scenario, _shown in page.context["columns"]]
    assert names == ["Kamis WFH", "50:50, maks 2 hari"]
    html = page.content.decode()
    assert 'id="compare"' in html and "Kebijakan berlaku" in html and '<svg class="chart"' in html


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"weekdays": "senen"}, "weekdays", 'Hari "senen" tidak dikenal'),
        ({"end": "2026-12-01"}, "end", "Tanggal sampai tidak boleh sebelum tanggal mulai."),
        ({"end": "2027-06-30"}, "end", "Satu skenario paling lama 13 minggu."),
        ({"wfh_ratio": "1.5"}, "wfh_ratio", ""),
        ({"start": "tanggal"}, "start", ""),
    ],
)
def test_a_bad_scenario_is_refused_on_its_field_and_nothing_is_stored(
    client, city, change, field, message
):
    client.force_login(city["bkpsdm"].user)
    page = client.post(reverse("evaluation:scenarios"), {**FORM, **change})
    assert page.status_code == 200
    errors = page.context["form"].errors
    assert field in errors and message in " ".join(errors[field])
    assert not Scenario.objects.exists()


def test_a_province_is_computed_by_the_queue_with_a_progress_bar(
    client, city, monkeypatch, django_capture_on_commit_callbacks
):
    from evaluation import scenarios

    monkeypatch.setattr(scenarios, "IN_REQUEST_STAFF", 5)
    client.force_login(city["bkpsdm"].user)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        page = client.post(reverse("evaluation:scenarios"), FORM)
    scenario = Scenario.objects.get()
    assert scenario.state == "queued" and len(queued) == 1
    waiting = client.get(page.url).content.decode()
    assert 'id="progress"' in waiting and 'http-equiv="refresh"' in waiting
    queued[0]()  # the task (in-process in tests)
    scenario.refresh_from_db()
    assert scenario.state == "done" and scenario.result["opds"]


def test_the_scenario_pages_run_the_same_queries_for_few_opds_or_many(client, city):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(city["bkpsdm"].user)
    counts = []
    for extra in (0, 4):
        for n in range(extra):
            OpdFactory(code=f"EXTRA{n}")
        Scenario.objects.all().delete()
        client.post(reverse("evaluation:scenarios"), FORM)
        scenario = Scenario.objects.get()
        pages = [
            (reverse("evaluation:scenarios"), {}),
            (reverse("evaluation:scenario", args=[scenario.pk]), {}),
            (reverse("evaluation:scenario-compare"), {"s": [scenario.pk]}),
        ]
        measured = []
        for url, params in pages:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url, params).status_code == 200
            measured.append(len(queries))
        counts.append(measured)
    assert counts[0] == counts[1], counts
