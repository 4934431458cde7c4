"""A head adjusts a draft (pins), submits it, BKPSDM approves: the rules hold throughout."""

from collections import Counter
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from opd.models import Employee, Role
from opd.tests.factories import EmployeeFactory, OpdFactory, ServicePostFactory
from scheduling.models import Roster, RosterEntry, RosterPin, RosterStatus
from scheduling.roster import Reason
from scheduling.services.adjust import AdjustmentError, adjust_day, submit_roster
from scheduling.services.approval import approve_rosters
from scheduling.services.build import build_roster

from .factories import LeaveFactory, PolicyFactory

pytestmark = pytest.mark.django_db
W50 = date(2026, 12, 7)
TUESDAY = date(2026, 12, 8)


@pytest.fixture
def office():
    """A head, a counter of four (at least three at the office), six back-office staff."""
    PolicyFactory()
    opd = OpdFactory(code="DISDUKCAPIL", name="Disdukcapil")
    post = ServicePostFactory(opd=opd, code="KTP", name="Loket KTP", min_onsite=3)
    head = EmployeeFactory(opd=opd, role=Role.HEAD, name="Kepala Dinas")
    counter = [EmployeeFactory(opd=opd, post=post, name=f"Loket {i}") for i in range(4)]
    back = [EmployeeFactory(opd=opd, name=f"Staf {i}") for i in range(6)]
    build_roster(week_start=W50)
    return Roster.objects.get(opd=opd), head, counter, back


def modes_on(day):
    return dict(RosterEntry.objects.filter(date=day).values_list("employee_id", "mode"))


def test_an_adjustment_is_pinned_and_the_others_are_planned_around_it(office):
    roster, head, _counter, back = office
    before = modes_on(TUESDAY)
    home = next(p for p in back if before[p.pk] == "WFH")
    changes = adjust_day(
        roster=roster, employee_id=home.pk, day=TUESDAY, mode="WFO", user=head.user
    )
    after = modes_on(TUESDAY)
    assert after[home.pk] == "WFO"
    assert changes[0].employee_id == home.pk and (changes[0].old, changes[0].new) == ("WFH", "WFO")
    # The back office keeps its three of six at home: someone else took the place.
    assert Counter(after[p.pk] for p in back) == Counter(before[p.pk] for p in back)
    entry = RosterEntry.objects.get(employee=home, date=TUESDAY)
    assert entry.reason == Reason.PINNED
    pin = RosterPin.objects.get()
    assert (pin.employee_id, pin.date, pin.mode, pin.set_by) == (home.pk, TUESDAY, "WFO", head.user)
    history = roster.history.first()
    assert history.history_user == head.user
    assert "disesuaikan" in history.history_change_reason


def test_a_rebuild_keeps_the_pin_and_identical_input_writes_nothing(office):
    roster, head, _counter, back = office
    home = next(p for p in back if modes_on(TUESDAY)[p.pk] == "WFH")
    adjust_day(roster=roster, employee_id=home.pk, day=TUESDAY, mode="WFO", user=head.user)
    [outcome] = build_roster(week_start=W50)
    assert outcome.outcome == "unchanged"
    LeaveFactory(employee=back[-1] if back[-1] != home else back[0], start=TUESDAY, end=TUESDAY)
    [outcome] = build_roster(week_start=W50)
    assert outcome.outcome == "built"
    entry = RosterEntry.objects.get(employee=home, date=TUESDAY)
    assert (entry.mode, entry.reason) == ("WFO", Reason.PINNED)


def test_sending_a_counter_clerk_home_below_the_minimum_is_refused_with_the_reason(office):
    roster, head, counter, _back = office
    before = modes_on(TUESDAY)
    at_counter = [p for p in counter if before[p.pk] == "WFO"]
    assert len(at_counter) == 3
    with pytest.raises(AdjustmentError) as refused:
        adjust_day(
            roster=roster, employee_id=at_counter[0].pk, day=TUESDAY, mode="WFH", user=head.user
        )
    assert "pos Loket KTP tinggal 2 dari 3 orang di kantor pada Sel, 8 Des" in str(refused.value)
    assert modes_on(TUESDAY) == before and not RosterPin.objects.exists()


def test_the_head_cannot_work_from_home_by_adjustment(office):
    roster, head, _counter, _back = office
    with pytest.raises(AdjustmentError) as refused:
        adjust_day(roster=roster, employee_id=head.pk, day=TUESDAY, mode="WFH", user=head.user)
    assert "Kepala Dinas adalah kepala OPD dan harus di kantor" in str(refused.value)


def test_submitted_and_approved_rosters_cannot_be_adjusted(office):
    roster, head, _counter, back = office
    submit_roster(roster=roster, user=head.user)
    with pytest.raises(AdjustmentError, match="hanya draf"):
        adjust_day(roster=roster, employee_id=back[0].pk, day=TUESDAY, mode="WFO", user=head.user)
    with pytest.raises(AdjustmentError, match="hanya draf"):
        submit_roster(roster=roster, user=head.user)


def test_history_shows_submitted_then_approved_or_approved_directly(office):
    roster, head, _counter, _back = office
    bkpsdm = EmployeeFactory(role=Role.BKPSDM).user
    submit_roster(roster=roster, user=head.user)
    roster.refresh_from_db()
    assert (roster.status, roster.submitted_by) == (RosterStatus.SUBMITTED, head.user)
    approve_rosters(roster_ids=[roster.pk], user=bkpsdm)
    steps = [
        (h.status, h.history_user) for h in roster.history.order_by("history_date", "history_id")
    ]
    assert steps[-2:] == [("submitted", head.user), ("approved", bkpsdm)]

    other = OpdFactory()
    EmployeeFactory.create_batch(3, opd=other)
    build_roster(week_start=W50, opd_ids=[other.pk])
    direct = Roster.objects.get(opd=other)
    approve_rosters(roster_ids=[direct.pk], user=bkpsdm)
    assert [h.status for h in direct.history.order_by("history_date", "history_id")] == [
        "draft",
        "approved",
    ]


def test_a_rebuild_of_a_submitted_roster_with_new_input_returns_it_to_draft(office):
    roster, head, _counter, back = office
    submit_roster(roster=roster, user=head.user)
    LeaveFactory(employee=back[0], start=TUESDAY, end=TUESDAY)
    [outcome] = build_roster(week_start=W50)
    roster.refresh_from_db()
    assert outcome.outcome == "built"
    assert (roster.status, roster.submitted_by) == (RosterStatus.DRAFT, None)


def test_the_head_adjusts_and_submits_on_the_grid_page(client, login, office):
    roster, head, _counter, back = office
    url = reverse("scheduling:roster-week", args=["DISDUKCAPIL", "2026-W50"])
    page = login(head.user).get(url).content.decode()
    assert "Sesuaikan jadwal" in page and "Ajukan ke BKPSDM" in page
    home = next(p for p in back if modes_on(TUESDAY)[p.pk] == "WFH")
    answer = client.post(
        reverse("scheduling:roster-adjust", args=["DISDUKCAPIL", "2026-W50"]),
        {"employee": home.pk, "date": "2026-12-08", "mode": "WFO"},
        follow=True,
    )
    body = answer.content.decode()
    assert f"Jadwal {home.name} pada Sel, 8 Des diubah menjadi WFO" in body
    assert "diatur Kepala OPD" in body
    answer = client.post(
        reverse("scheduling:roster-adjust", args=["DISDUKCAPIL", "2026-W50"]),
        {"employee": "x", "date": "8 Des", "mode": "LIBUR"},
        follow=True,
    )
    assert "Pilih pegawai, tanggal dan mode yang benar." in answer.content.decode()
    client.post(reverse("scheduling:roster-submit", args=["DISDUKCAPIL", "2026-W50"]))
    page = client.get(url).content.decode()
    assert 'data-status="submitted"' in page and "Sesuaikan jadwal" not in page


def test_bkpsdm_sees_no_adjustment_form_and_filters_submitted_rosters_in_the_admin(
    client, login, office
):
    roster, head, _counter, _back = office
    bkpsdm = login(EmployeeFactory(role=Role.BKPSDM).user)
    url = reverse("scheduling:roster-week", args=["DISDUKCAPIL", "2026-W50"])
    assert "Sesuaikan jadwal" not in bkpsdm.get(url).content.decode()
    listing = reverse("admin:scheduling_roster_changelist") + "?status__exact=submitted"
    assert "DISDUKCAPIL" not in bkpsdm.get(listing).content.decode()
    submit_roster(roster=roster, user=head.user)
    assert "DISDUKCAPIL" in bkpsdm.get(listing).content.decode()


def test_an_adjustment_runs_the_same_number_of_queries_for_10_or_120_people(office):
    counts = []
    for size in (10, 120):
        opd = OpdFactory()
        head = EmployeeFactory(opd=opd, role=Role.HEAD)
        EmployeeFactory.create_batch(size, opd=opd)
        build_roster(week_start=W50, opd_ids=[opd.pk])
        roster = Roster.objects.get(opd=opd)
        home = RosterEntry.objects.filter(roster=roster, date=TUESDAY, mode="WFH").first()
        with CaptureQueriesContext(connection) as queries:
            adjust_day(
                roster=roster,
                employee_id=home.employee_id,
                day=TUESDAY,
                mode="WFO",
                user=head.user,
            )
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert Employee.objects.count() > 130


def stored_week(roster):
    return sorted(
        RosterEntry.objects.filter(roster=roster).values_list(
            "employee_id", "date", "mode", "reason", "args", "policy_id"
        )
    )


def rebuilt_week(roster):
    """The week as a full rebuild with the same input (pins included) writes it."""
    Roster.objects.filter(pk=roster.pk).update(input_digest="")
    [outcome] = build_roster(week_start=W50, opd_ids=[roster.opd_id])
    assert outcome.outcome == "built"
    return stored_week(roster)


def adjust_someone(roster, head, day, frm, to):
    employee_id = (
        RosterEntry.objects.filter(roster=roster, date=day, mode=frm, employee__post__isnull=True)
        .exclude(employee__role=Role.HEAD)
        .values_list("employee_id", flat=True)
        .first()
    )
    return adjust_day(roster=roster, employee_id=employee_id, day=day, mode=to, user=head.user)


def test_adjustments_on_several_days_store_what_a_rebuild_with_the_same_pins_writes(office):
    roster, head, _counter, _back = office
    thursday, wednesday = date(2026, 12, 10), date(2026, 12, 9)
    adjust_someone(roster, head, thursday, "WFH", "WFO")
    adjust_someone(roster, head, TUESDAY, "WFH", "WFO")
    adjust_someone(roster, head, wednesday, "WFO", "WFH")
    adjust_someone(roster, head, TUESDAY, "WFO", "WFH")
    assert set(RosterPin.objects.values_list("date", flat=True)) == {TUESDAY, wednesday, thursday}
    adjusted = stored_week(roster)
    digest = Roster.objects.get(pk=roster.pk).input_digest
    assert rebuilt_week(roster) == adjusted
    assert Roster.objects.get(pk=roster.pk).input_digest == digest


def test_an_adjustment_after_new_leave_rewrites_the_earlier_days_as_a_rebuild_would(office):
    roster, head, _counter, back = office
    on_leave = next(p for p in back if modes_on(TUESDAY)[p.pk] == "WFH")
    LeaveFactory(employee=on_leave, start=TUESDAY, end=TUESDAY)
    changes = adjust_someone(roster, head, date(2026, 12, 10), "WFH", "WFO")
    assert (on_leave.pk, TUESDAY, "WFH", "LEAVE") in {
        (c.employee_id, c.date, c.old, c.new) for c in changes
    }
    adjusted = stored_week(roster)
    assert rebuilt_week(roster) == adjusted


def test_under_a_weekly_cap_an_adjustment_stores_what_a_rebuild_writes():
    PolicyFactory(max_remote_days_per_week=2)
    opd = OpdFactory()
    head = EmployeeFactory(opd=opd, role=Role.HEAD)
    EmployeeFactory.create_batch(8, opd=opd)
    build_roster(week_start=W50)
    roster = Roster.objects.get(opd=opd)
    adjust_someone(roster, head, date(2026, 12, 10), "WFH", "WFO")
    adjust_someone(roster, head, TUESDAY, "WFH", "WFO")
    assert RosterPin.objects.filter(roster=roster).count() == 2
    adjusted = stored_week(roster)
    assert rebuilt_week(roster) == adjusted


def test_a_pin_the_planner_has_no_room_for_next_to_the_earlier_ones_is_refused():
    PolicyFactory()
    opd = OpdFactory()
    head = EmployeeFactory(opd=opd, role=Role.HEAD)
    EmployeeFactory.create_batch(4, opd=opd)
    build_roster(week_start=W50)
    roster = Roster.objects.get(opd=opd)
    # Two of the four at home on Tuesday; each pin to WFH alone keeps the ratio within
    # one (the check), but three pinned to WFH do not fit the planner's two places.
    adjust_someone(roster, head, TUESDAY, "WFO", "WFH")
    adjust_someone(roster, head, TUESDAY, "WFO", "WFH")
    before = stored_week(roster)
    with pytest.raises(AdjustmentError, match="tidak menyisakan tempat"):
        adjust_someone(roster, head, TUESDAY, "WFO", "WFH")
    assert stored_week(roster) == before and RosterPin.objects.count() == 2


def test_an_adjustment_after_someone_joined_the_opd_stores_what_a_rebuild_writes(office):
    """Someone added after the build has no entries yet: the adjustment adds the ones a
    rebuild would, instead of failing on the missing entry."""
    roster, head, _counter, _back = office
    newcomer = EmployeeFactory(opd=roster.opd, name="Pegawai Baru")
    adjust_someone(roster, head, date(2026, 12, 10), "WFH", "WFO")
    assert RosterEntry.objects.filter(roster=roster, employee=newcomer).count() == 5
    adjusted = stored_week(roster)
    assert rebuilt_week(roster) == adjusted


def test_an_adjustment_after_someone_left_or_a_post_was_renamed_stores_what_a_rebuild_writes(
    office,
):
    roster, head, counter, back = office
    leaver = back[0]
    leaver.active = False
    leaver.save()
    post = counter[0].post
    post.name = "Loket KTP-el"
    post.save()
    thursday = date(2026, 12, 10)
    with pytest.raises(AdjustmentError, match="tidak ada di roster ini"):
        adjust_day(roster=roster, employee_id=leaver.pk, day=thursday, mode="WFO", user=head.user)
    stays = next(p for p in back[1:] if modes_on(thursday)[p.pk] == "WFO")
    adjust_day(roster=roster, employee_id=stays.pk, day=thursday, mode="WFH", user=head.user)
    assert not RosterEntry.objects.filter(roster=roster, employee=leaver).exists()
    held = RosterEntry.objects.filter(roster=roster, reason=Reason.POST_MINIMUM)
    assert held.exists()
    assert {e.args["post"] for e in held} == {"Loket KTP-el"}
    adjusted = stored_week(roster)
    assert rebuilt_week(roster) == adjusted


def test_an_adjustment_leaves_a_day_another_roster_holds_for_someone_who_moved_in(office):
    roster, head, _counter, _back = office
    elsewhere = OpdFactory(code="BAPPEDA")
    mover = EmployeeFactory(opd=elsewhere, name="Pindahan")
    build_roster(week_start=W50, opd_ids=[elsewhere.pk])
    mover.opd = roster.opd
    mover.save()
    adjust_someone(roster, head, date(2026, 12, 10), "WFH", "WFO")
    # Every day of the week is still the other OPD's, as a rebuild would leave it.
    assert set(
        RosterEntry.objects.filter(employee=mover).values_list("roster__opd", flat=True)
    ) == {elsewhere.pk}
    adjusted = stored_week(roster)
    assert rebuilt_week(roster) == adjusted


def history_rows(model, **filters):
    """The history records of ``model`` as simple-history's own columns and the row's."""
    skipped = {"history_id", "history_date"}
    fields = [f.attname for f in model.history.model._meta.concrete_fields]
    return list(
        model.history.filter(**filters)
        .order_by("history_id")
        .values(*[name for name in fields if name not in skipped])
    )


def test_a_row_written_with_its_history_in_one_statement_has_the_record_save_gives(office):
    """``opd.history.save_with_history`` (one statement on PostgreSQL) against
    simple-history's ``save()``: the same records, for an insert and an update."""
    from opd.history import save_with_history

    roster, head, _counter, back = office
    reason = "disesuaikan: uji"
    by_save = RosterPin(roster=roster, employee=back[0], date=TUESDAY, mode="WFO", set_by=head.user)
    by_save._history_user, by_save._change_reason = head.user, reason
    by_save.save()
    one_statement = RosterPin(
        roster=roster, employee=back[1], date=TUESDAY, mode="WFO", set_by=head.user
    )
    save_with_history(one_statement, None, user=head.user, reason=reason)
    assert one_statement.pk and RosterPin.objects.get(pk=one_statement.pk).employee == back[1]
    for pin in (by_save, one_statement):
        pin.mode = "WFH"
    by_save.save(update_fields=["mode", "set_at"])
    save_with_history(one_statement, ["mode", "set_at"], user=head.user, reason=reason)

    def without_row(rows):
        return [
            {k: v for k, v in r.items() if k not in ("id", "employee_id", "set_at")} for r in rows
        ]

    saved = history_rows(RosterPin, employee=back[0])
    written = history_rows(RosterPin, employee=back[1])
    assert [r["history_type"] for r in written] == ["+", "~"]
    assert without_row(written) == without_row(saved)
    assert [r["id"] for r in written] == [one_statement.pk] * 2
    assert RosterPin.objects.get(pk=one_statement.pk).mode == "WFH"

    roster.shortfall_count = 7
    save_with_history(roster, ["shortfall_count"], user=head.user, reason=reason)
    [record] = history_rows(Roster, id=roster.pk, history_change_reason=reason)
    assert (record["shortfall_count"], record["status"], record["history_user_id"]) == (
        7,
        "draft",
        head.user.pk,
    )
    assert Roster.objects.get(pk=roster.pk).shortfall_count == 7


@pytest.mark.parametrize("input_changed_since", [False, True])
def test_a_pin_left_unhonoured_by_later_leave_does_not_block_other_adjustments(
    office, input_changed_since
):
    """Leave taken on a pinned day leaves that pin unhonoured; the head can still adjust
    other days, whether the week was rebuilt since (only the days from the change on are
    planned) or not (the whole week is)."""
    roster, head, _counter, back = office
    pinned = next(p for p in back if modes_on(TUESDAY)[p.pk] == "WFO")
    adjust_day(roster=roster, employee_id=pinned.pk, day=TUESDAY, mode="WFH", user=head.user)
    LeaveFactory(employee=pinned, start=TUESDAY, end=TUESDAY)
    if not input_changed_since:
        build_roster(week_start=W50)
    assert modes_on(TUESDAY)[pinned.pk] == ("WFH" if input_changed_since else "LEAVE")
    thursday = date(2026, 12, 10)
    changes = adjust_someone(roster, head, thursday, "WFH", "WFO")
    assert changes and changes[0].date == thursday
    assert modes_on(TUESDAY)[pinned.pk] == "LEAVE"
    assert RosterPin.objects.filter(roster=roster).count() == 2
    adjusted = stored_week(roster)
    assert rebuilt_week(roster) == adjusted


def test_an_adjustment_for_someone_with_a_long_name_is_stored_with_a_shortened_reason(office):
    roster, head, _counter, back = office
    person = next(p for p in back if modes_on(TUESDAY)[p.pk] == "WFH")
    person.name = "Raden " + "Mas Panji " * 15 + "Wijayakusuma"
    person.save()
    adjust_day(roster=roster, employee_id=person.pk, day=TUESDAY, mode="WFO", user=head.user)
    assert modes_on(TUESDAY)[person.pk] == "WFO"
    for record in (roster.history.first(), RosterPin.history.get()):
        assert record.history_change_reason.startswith("disesuaikan: Raden Mas Panji")
        assert len(record.history_change_reason) == 100


def test_a_row_written_with_its_history_that_no_longer_exists_is_a_database_error(office):
    from django.db import DatabaseError, transaction

    from opd.history import save_with_history

    roster, head, _counter, _back = office
    gone = Roster.objects.get(pk=roster.pk)
    Roster.objects.filter(pk=roster.pk).delete()
    for fields in (["shortfall_count"], None):
        with pytest.raises(DatabaseError), transaction.atomic():
            save_with_history(gone, fields, user=head.user, reason="uji")
    assert not Roster.objects.filter(pk=roster.pk).exists()
    assert not Roster.history.filter(id=roster.pk, history_change_reason="uji").exists()
