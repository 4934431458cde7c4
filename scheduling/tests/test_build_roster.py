"""build_roster on the database: writes, refusals, idempotency, history, concurrency."""

import threading
from collections import Counter
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections
from hypothesis import given
from hypothesis import strategies as st

from opd.models import Role
from opd.tests.factories import EmployeeFactory, OpdFactory, ServicePostFactory
from scheduling import roster as rules
from scheduling.models import Roster, RosterEntry, RosterStatus
from scheduling.services.approval import approve_rosters, reject_rosters
from scheduling.services.build import _digest, _digests, _people_repr, build_roster

from .factories import HolidayFactory, LeaveFactory, PolicyFactory

pytestmark = pytest.mark.django_db
W50 = date(2026, 12, 7)
W51 = W50 + timedelta(weeks=1)


@pytest.fixture
def office():
    """A non-essential OPD: a head, a counter post (min 2 of 3) and 6 back-office staff."""
    opd = OpdFactory(code="DISKOMINFO")
    post = ServicePostFactory(opd=opd, code="ADUAN", name="Layanan Aduan", min_onsite=2)
    EmployeeFactory(opd=opd, role=Role.HEAD)
    counter = EmployeeFactory.create_batch(3, opd=opd, post=post)
    back = EmployeeFactory.create_batch(6, opd=opd)
    PolicyFactory()
    return opd, post, counter, back


def modes(roster):
    return Counter(roster.entries.values_list("mode", flat=True))


def test_build_writes_one_entry_per_employee_per_working_day(office):
    opd, *_ = office
    [outcome] = build_roster(week_start=W50)
    roster = Roster.objects.get(opd=opd, week_start=W50)
    assert (outcome.outcome, roster.status) == ("built", RosterStatus.DRAFT)
    assert roster.entries.count() == 10 * 5
    # Monday all at the office, Tue-Fri: half of the 8 eligible at home.
    assert Counter(roster.entries.filter(date=W50).values_list("mode", flat=True)) == Counter(
        {"WFO": 10}
    )
    for offset in range(1, 5):
        day = W50 + timedelta(days=offset)
        assert roster.entries.filter(date=day, mode="WFH").count() == 4


def test_counter_keeps_its_minimum_on_every_day(office):
    _opd, post, counter, _back = office
    build_roster(week_start=W50)
    for offset in range(5):
        day = W50 + timedelta(days=offset)
        at_office = RosterEntry.objects.filter(employee__post=post, date=day, mode="WFO")
        assert at_office.count() >= 2


def test_leave_that_empties_the_counter_is_recorded_as_shortfall(office):
    _opd, post, counter, _back = office
    LeaveFactory(employee=counter[0], start=W50 + timedelta(days=2), end=W50 + timedelta(days=3))
    LeaveFactory(employee=counter[1], start=W50 + timedelta(days=3), end=W50 + timedelta(days=3))
    [outcome] = build_roster(week_start=W50)
    roster = Roster.objects.get(week_start=W50)
    assert outcome.shortfalls == roster.shortfall_count == 1
    assert roster.shortfalls == [
        {
            "date": "2026-12-10",
            "post_code": "ADUAN",
            "post_name": "Layanan Aduan",
            "required": 2,
            "available": 1,
        }
    ]


def test_extra_holiday_makes_the_day_holiday(office):
    HolidayFactory(date=W50 + timedelta(days=2), name="HUT Kota Bekasi")
    build_roster(week_start=W50)
    wednesday = RosterEntry.objects.filter(date=W50 + timedelta(days=2))
    assert set(wednesday.values_list("mode", flat=True)) == {"HOLIDAY"}
    assert wednesday.first().args == {"name": "HUT Kota Bekasi"}


@pytest.mark.parametrize(
    "name",
    [
        'Libur "khusus" \\ C:\\N\tdengan tab',
        "baris\nbaru\r dan \\N",
        "Hari Raya Nyepi – ☀ ✓",
    ],
)
def test_names_the_entries_carry_are_stored_exactly_as_written(office, name):
    """On PostgreSQL the entries go through COPY's text format, which gives a meaning to
    backslashes, tabs and newlines: names holding them come back unchanged."""
    _opd, post, _counter, _back = office
    post.name = name
    post.save()
    HolidayFactory(date=W50 + timedelta(days=2), name=name)
    build_roster(week_start=W50)
    wednesday = RosterEntry.objects.filter(date=W50 + timedelta(days=2))
    assert {e.args["name"] for e in wednesday} == {name}
    # Thursday: the post's minimum holds its staff back, and the entries name the post.
    held = RosterEntry.objects.filter(reason=rules.Reason.POST_MINIMUM)
    assert held.exists()
    assert {e.args["post"] for e in held} == {name}


def test_national_holiday_comes_from_the_holidays_package(office):
    christmas_week = date(2026, 12, 21)
    build_roster(week_start=christmas_week)
    christmas = RosterEntry.objects.filter(date=date(2026, 12, 25))
    assert set(christmas.values_list("mode", flat=True)) == {"HOLIDAY"}
    cuti_bersama = RosterEntry.objects.filter(date=date(2026, 12, 24)).first()
    assert cuti_bersama.mode == "HOLIDAY"


def test_second_build_with_the_same_input_changes_nothing(office):
    build_roster(week_start=W50)
    before = list(
        RosterEntry.objects.order_by("pk").values_list("pk", "employee_id", "date", "mode")
    )
    [outcome] = build_roster(week_start=W50)
    assert outcome.outcome == "unchanged"
    assert (
        list(RosterEntry.objects.order_by("pk").values_list("pk", "employee_id", "date", "mode"))
        == before
    )


def test_rebuild_after_new_leave_replaces_the_draft(office):
    _opd, _post, _counter, back = office
    build_roster(week_start=W50)
    LeaveFactory(employee=back[0], start=W50, end=W50 + timedelta(days=4))
    [outcome] = build_roster(week_start=W50)
    assert outcome.outcome == "built"
    assert set(RosterEntry.objects.filter(employee=back[0]).values_list("mode", flat=True)) == {
        "LEAVE"
    }
    assert RosterEntry.objects.count() == 50


def test_rebuild_refuses_approved_roster(office):
    opd, *_ = office
    bkpsdm = EmployeeFactory(role=Role.BKPSDM).user
    build_roster(week_start=W50)
    roster = Roster.objects.get(opd=opd, week_start=W50)
    approve_rosters(roster_ids=[roster.pk], user=bkpsdm)
    entries = list(roster.entries.order_by("pk").values_list("pk", "mode"))
    with pytest.raises(CommandError, match="sudah disetujui"):
        call_command("build_roster", "--week", "2026-W50", "--opd", opd.code, stdout=StringIO())
    assert list(roster.entries.order_by("pk").values_list("pk", "mode")) == entries
    [outcome] = build_roster(week_start=W50, opd_ids=[opd.pk])
    assert outcome.outcome == "refused"


def test_rejected_roster_can_be_rebuilt_into_a_new_draft(office):
    opd, *_ = office
    bkpsdm = EmployeeFactory(role=Role.BKPSDM).user
    build_roster(week_start=W50)
    roster = Roster.objects.get(opd=opd)
    reject_rosters(roster_ids=[roster.pk], user=bkpsdm, reason="Data cuti belum lengkap")
    LeaveFactory(employee=opd.employees.last(), start=W50, end=W50)
    build_roster(week_start=W50)
    roster.refresh_from_db()
    assert (roster.status, roster.reject_reason, roster.decided_by) == (
        RosterStatus.DRAFT,
        "",
        None,
    )


def test_history_records_who_changed_the_status_when_and_from_what(office):
    opd, *_ = office
    bkpsdm = EmployeeFactory(role=Role.BKPSDM).user
    build_roster(week_start=W50)
    roster = Roster.objects.get(opd=opd)
    approve_rosters(roster_ids=[roster.pk], user=bkpsdm)
    built, approved = roster.history.order_by("history_date")
    assert (built.status, built.history_type) == ("draft", "+")
    assert (approved.status, approved.history_user, approved.history_change_reason) == (
        "approved",
        bkpsdm,
        "disetujui",
    )
    delta = approved.diff_against(built)
    change = next(c for c in delta.changes if c.field == "status")
    assert (change.old, change.new) == ("draft", "approved")


def test_bulk_reject_records_history_for_every_roster(office):
    other = OpdFactory()
    EmployeeFactory.create_batch(2, opd=other)
    bkpsdm = EmployeeFactory(role=Role.BKPSDM).user
    build_roster(week_start=W50)
    ids = list(Roster.objects.values_list("pk", flat=True))
    result = reject_rosters(roster_ids=ids, user=bkpsdm, reason="Pos kurang petugas")
    assert len(result.changed) == len(ids) == 3  # the office, the other OPD, BKPSDM's own
    for roster in Roster.objects.all():
        latest = roster.history.latest()
        assert (latest.status, latest.history_user, latest.reject_reason) == (
            "rejected",
            bkpsdm,
            "Pos kurang petugas",
        )


def test_reject_needs_a_reason(office):
    build_roster(week_start=W50)
    with pytest.raises(ValueError, match="Alasan penolakan wajib diisi"):
        reject_rosters(roster_ids=[Roster.objects.get().pk], user=None, reason="  ")


def test_only_drafts_can_be_decided(office):
    bkpsdm = EmployeeFactory(role=Role.BKPSDM).user
    build_roster(week_start=W50)
    roster = Roster.objects.get(opd=office[0])
    approve_rosters(roster_ids=[roster.pk], user=bkpsdm)
    result = reject_rosters(roster_ids=[roster.pk], user=bkpsdm, reason="terlambat")
    assert result.changed == [] and [r.pk for r in result.skipped] == [roster.pk]
    roster.refresh_from_db()
    assert roster.status == RosterStatus.APPROVED


def test_fairness_carries_over_from_last_weeks_roster(office):
    _opd, _post, _counter, back = office
    build_roster(week_start=W50)
    build_roster(week_start=W51)
    totals = Counter(
        RosterEntry.objects.filter(employee__in=back, mode="WFH").values_list(
            "employee_id", flat=True
        )
    )
    assert max(totals.values()) - min(totals.values()) <= 1
    assert sum(totals.values()) == 6 * 2 * 2  # half of 4 rotation days, two weeks, six people


def test_employee_who_moved_follows_to_the_new_opd_when_both_are_rebuilt(office):
    opd, _post, _counter, back = office
    other = OpdFactory()
    build_roster(week_start=W50)
    mover = back[0]
    mover.opd = other
    mover.save()
    build_roster(week_start=W50)
    assert set(
        RosterEntry.objects.filter(employee=mover).values_list("roster__opd", flat=True)
    ) == {other.pk}
    assert RosterEntry.objects.filter(employee=mover).count() == 5


def test_employee_who_moved_keeps_the_days_of_an_approved_roster(office):
    opd, _post, _counter, back = office
    other = OpdFactory()
    bkpsdm = EmployeeFactory(role=Role.BKPSDM, opd=other).user
    build_roster(week_start=W50, opd_ids=[opd.pk])
    approve_rosters(roster_ids=list(Roster.objects.values_list("pk", flat=True)), user=bkpsdm)
    mover = back[0]
    mover.opd = other
    mover.save()
    build_roster(week_start=W50)
    # No second entry for the same day: the approved plan stands for this week.
    assert RosterEntry.objects.filter(employee=mover).count() == 5
    assert set(
        RosterEntry.objects.filter(employee=mover).values_list("roster__opd", flat=True)
    ) == {opd.pk}


@pytest.mark.usefixtures("postgres")
def test_build_query_count_does_not_grow_with_staff():
    PolicyFactory()

    def opd_with(n):
        opd = OpdFactory()
        post = ServicePostFactory(opd=opd, min_onsite=1)
        EmployeeFactory.create_batch(n, opd=opd, post=post)
        LeaveFactory(employee=opd.employees.first(), start=W50, end=W50)
        return opd

    small, large = opd_with(3), opd_with(60)
    counts = []
    for opd in (small, large):
        with _QueryCounter() as c:
            build_roster(week_start=W50, opd_ids=[opd.pk])
        counts.append(c.count)
    assert counts[0] == counts[1]


class _QueryCounter:
    """Counts every statement, including COPY, which CaptureQueriesContext misses."""

    def __enter__(self):
        self.count = 0
        self._ctx = connection.execute_wrapper(self)
        self._ctx.__enter__()
        return self

    def __exit__(self, *exc):
        self._ctx.__exit__(*exc)

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


# serialized_rollback: the flush after a transactional test would also delete what
# migrations created (role groups, the beat schedule) for the tests that follow.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("postgres")
def test_two_builds_at_once_give_one_consistent_roster():
    opd = OpdFactory()
    post = ServicePostFactory(opd=opd, min_onsite=2)
    EmployeeFactory.create_batch(4, opd=opd, post=post)
    EmployeeFactory.create_batch(30, opd=opd)
    PolicyFactory()
    barrier = threading.Barrier(2)
    errors, outcomes = [], []

    def build():
        try:
            barrier.wait(timeout=10)
            outcomes.extend(build_roster(week_start=W50, opd_ids=[opd.pk]))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=build) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sorted(o.outcome for o in outcomes) == ["built", "unchanged"]
    assert Roster.objects.filter(opd=opd, week_start=W50).count() == 1
    assert RosterEntry.objects.count() == 34 * 5
    per_day = Counter(RosterEntry.objects.values_list("employee_id", "date"))
    assert set(per_day.values()) == {1}


def test_the_inputs_of_several_weeks_at_once_are_those_of_each_week_alone(office):
    """``weeks_inputs`` (the head's batched previews) loads in one go what
    ``week_inputs`` loads for each week: balances from the latest roster before the
    week that was not rejected, leave and holidays of that week only, its pins."""
    from opd.models import Opd
    from scheduling.models import RosterPin
    from scheduling.services.build import week_inputs, weeks_inputs

    opd, _post, counter, back = office
    OpdFactory(code="BAPPEDA")
    w52, w53 = W51 + timedelta(weeks=1), W51 + timedelta(weeks=2)
    LeaveFactory(employee=back[0], start=W50 + timedelta(days=3), end=W51 + timedelta(days=1))
    LeaveFactory(employee=counter[0], start=W51 + timedelta(days=5), end=W51 + timedelta(days=6))
    HolidayFactory(date=W51 + timedelta(days=2))
    bkpsdm = EmployeeFactory(role=Role.BKPSDM).user
    for monday in (W50, W51, w52):
        build_roster(week_start=monday)
    reject_rosters(
        roster_ids=[Roster.objects.get(opd=opd, week_start=w52).pk], user=bkpsdm, reason="ulang"
    )
    RosterPin.objects.create(
        roster=Roster.objects.get(opd=opd, week_start=W51), employee=back[1], date=W51, mode="WFO"
    )
    weeks = [W50, W51, w52, w53]
    together = weeks_inputs(weeks, None)
    assert len(together) == len(weeks) * Opd.objects.count()
    for monday in weeks:
        for opd_id, found in week_inputs(monday, None).items():
            assert together[(monday, opd_id)] == found
    assert together[(w53, opd.pk)][1].balances == together[(w52, opd.pk)][1].balances != {}
    assert together[(W51, opd.pk)][1].pins and not together[(W50, opd.pk)][1].pins


def fixed_week(pins):
    return rules.WeekInput(
        week_start=date(2026, 12, 7),
        essential=False,
        people=(
            rules.Person(3, "198504122010010003", 7),
            rules.Person(1, "198504122010010001", None, True),
            rules.Person(2, "198504122010010002", None, False, False),
        ),
        posts=(rules.Post(7, "KTP", "Loket KTP", 1),),
        holidays={date(2026, 12, 11): "Libur daerah"},
        leaves={2: {date(2026, 12, 8): "tahunan"}},
        policies=(
            rules.PolicyRule(
                4, date(2026, 1, 1), date(2027, 12, 31), "rotation", 0.5, frozenset({2, 3}), 2
            ),
        ),
        balances={3: 0.25, 1: -0.5},
        pins=pins,
    )


def test_the_input_digest_of_a_week_does_not_change_between_versions():
    # Every stored draft carries one: were it to change, the next build would rewrite
    # every draft of the week although nothing changed.
    pins = {(3, date(2026, 12, 9)): "WFH", (1, date(2026, 12, 8)): "WFO"}
    assert _digest(fixed_week(pins)) == (
        "37ddce464a569c863ed5f35f28c12f572151c6608c270037c295012ccb86c42c"
    )
    assert _digests(fixed_week(pins), [{}, pins]) == [
        "593d55467639976848dc19704d8b5324c4fb9576da3f42993660fff2d02833de",
        "37ddce464a569c863ed5f35f28c12f572151c6608c270037c295012ccb86c42c",
    ]


people_lists = st.lists(
    st.builds(
        rules.Person,
        st.integers(min_value=1),
        st.text(),
        st.none() | st.integers(min_value=1),
        st.booleans(),
        st.booleans(),
    )
)


@given(people_lists)
def test_the_digest_renders_people_as_their_repr(people):
    # The digest hashes the people as their repr, written out without a call per person.
    assert _people_repr(people) == repr(people)
