"""Rule 8 (PermenPANRB 4/2025 Art. 13): a cap on remote days per person per week."""

from collections import Counter
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from opd.models import Role
from opd.tests.factories import EmployeeFactory, OpdFactory
from scheduling.models import Policy, Roster
from scheduling.reasons import reason_text, violation_text
from scheduling.roster import (
    WFH,
    WFO,
    Person,
    PolicyKind,
    PolicyRule,
    Reason,
    WeekInput,
    plan_week,
)
from scheduling.services.build import build_roster
from scheduling.week_check import Rule, check_week

from .factories import PolicyFactory

W50 = date(2026, 12, 7)
FOUR_DAYS = frozenset({2, 3, 4, 5})


def rotation(cap):
    return PolicyRule(
        1, date(2026, 1, 1), date(2027, 12, 31), PolicyKind.ROTATION, 0.5, FOUR_DAYS, cap
    )


def staff(n):
    return tuple(Person(i, f"1985041220100100{i:02d}") for i in range(1, n + 1))


def test_with_a_cap_of_two_nobody_is_home_more_than_two_days_and_the_ratio_holds():
    plan = plan_week(WeekInput(W50, False, staff(10), policies=(rotation(2),)))
    remote = Counter(e.person_id for e in plan.entries if e.mode == WFH)
    assert max(remote.values()) == 2 and sum(remote.values()) == 20  # 4 days x 5
    assert plan.ratio_gaps == []


def test_a_cap_of_one_says_on_the_roster_that_the_ratio_is_out_of_reach():
    week = WeekInput(W50, False, staff(10), policies=(rotation(1),))
    plan = plan_week(week)
    remote = Counter(e.person_id for e in plan.entries if e.mode == WFH)
    assert set(remote.values()) == {1} and len(remote) == 10
    # Tuesday and Wednesday fill 5 places each; then everybody has used the one day.
    assert [(g.date.day, g.wanted, g.planned, g.capped) for g in plan.ratio_gaps] == [
        (10, 5, 0, 10),
        (11, 5, 0, 10),
    ]
    held = [e for e in plan.entries if e.reason == Reason.REMOTE_CAP]
    assert {e.mode for e in held} == {WFO} and len(held) == 5 + 10 + 10  # Wed, Thu, Fri
    with translation.override("id"):
        assert reason_text(held[0].reason, held[0].args) == (
            "batas 1 hari kerja dari luar kantor per minggu sudah terpakai"
        )
    # The planner's own week passes the one rule check, cap included.
    assert check_week(week, {(e.person_id, e.date): e.mode for e in plan.entries}) == []


def test_the_rule_check_refuses_a_third_remote_day_under_a_cap_of_two():
    week = WeekInput(W50, False, staff(10), policies=(rotation(2),))
    modes = {(e.person_id, e.date): e.mode for e in plan_week(week).entries}
    person = 1
    office_days = [d for (pid, d), m in modes.items() if pid == person and m == WFO]
    friday_or_earlier = [d for d in office_days if d.isoweekday() in FOUR_DAYS]
    modes[(person, friday_or_earlier[0])] = WFH
    [violation] = [v for v in check_week(week, modes) if v.rule == Rule.REMOTE_CAP]
    assert violation.person_id == person
    with translation.override("id"):
        assert violation_text(violation, {person: "Budi"}) == (
            "Budi bekerja dari luar kantor 3 hari minggu ini; kebijakan membolehkan paling "
            "banyak 2 hari"
        )


@pytest.mark.django_db
def test_the_build_stores_the_gaps_and_the_grid_shows_them(client, login):
    opd = OpdFactory(code="DISKOMINFO")
    head = EmployeeFactory(opd=opd, role=Role.HEAD)
    EmployeeFactory.create_batch(6, opd=opd)
    PolicyFactory(max_remote_days_per_week=1)
    build_roster(week_start=W50)
    roster = Roster.objects.get(opd=opd)
    assert [g["date"] for g in roster.ratio_gaps] == ["2026-12-10", "2026-12-11"]
    body = (
        login(head.user)
        .get(reverse("scheduling:roster-week", args=[opd.code, "2026-W50"]))
        .content.decode()
    )
    assert "Porsi WFH kebijakan tidak tercapai karena batas hari per minggu" in body
    assert "0 dari 3 tempat WFH terisi; 6 pegawai sudah memakai batas 1 hari per minggu" in body


POLICIES = "name,reference,start,end,mode,wfh_ratio,weekdays{extra}\n{rows}"


def import_policies(tmp_path, text):
    (tmp_path / "policies.csv").write_text(text)
    call_command("import_dataset", str(tmp_path), stdout=StringIO(), stderr=StringIO())


@pytest.mark.django_db
def test_policies_csv_takes_the_optional_cap_and_an_absent_column_keeps_it(tmp_path):
    row = 'Fase II,,2026-01-01,2026-12-31,rotation,0.5,"tue,wed,thu,fri"'
    import_policies(tmp_path, POLICIES.format(extra=",max_remote_days_per_week", rows=row + ",2\n"))
    assert Policy.objects.get().max_remote_days_per_week == 2
    import_policies(tmp_path, POLICIES.format(extra="", rows=row + "\n"))
    assert Policy.objects.get().max_remote_days_per_week == 2
    import_policies(tmp_path, POLICIES.format(extra=",max_remote_days_per_week", rows=row + ",\n"))
    assert Policy.objects.get().max_remote_days_per_week is None


@pytest.mark.django_db
def test_a_cap_outside_one_to_five_is_an_error_naming_line_and_column(tmp_path):
    (tmp_path / "policies.csv").write_text(
        POLICIES.format(
            extra=",max_remote_days_per_week",
            rows="A,,2026-01-01,2026-02-01,rotation,0.5,tue,9\n"
            "B,,2026-03-01,2026-04-01,rotation,0.5,tue,dua\n",
        )
    )
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_dataset", str(tmp_path), stdout=StringIO(), stderr=err)
    lines = err.getvalue().splitlines()
    assert any(
        line.startswith("policies.csv:2: max_remote_days_per_week:") and "antara 1 dan 5" in line
        for line in lines
    )
    assert any(
        line.startswith("policies.csv:3: max_remote_days_per_week:") and "bilangan bulat" in line
        for line in lines
    )
    assert Policy.objects.count() == 0


@pytest.mark.django_db
def test_the_admin_refuses_a_cap_of_six_with_a_form_error(login):
    bkpsdm = login(EmployeeFactory(role=Role.BKPSDM).user)
    response = bkpsdm.post(
        reverse("admin:scheduling_policy_add"),
        {
            "name": "Fase III",
            "reference": "",
            "start": "2026-01-01",
            "end": "2026-12-31",
            "mode": "rotation",
            "wfh_ratio": "0.5",
            "weekdays": ["tue", "wed"],
            "max_remote_days_per_week": "6",
        },
    )
    assert response.status_code == 200
    assert "max_remote_days_per_week" in response.content.decode()
    assert Policy.objects.count() == 0
