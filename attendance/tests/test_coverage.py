"""Live coverage of the service posts and the one-tap recall (issue 9, item 6)."""

import threading
from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail
from django.db import connections
from django.test import Client
from django.urls import reverse

from attendance import services
from attendance.models import Attendance, CoverageAlert
from attendance.selectors import expected_days, post_coverage
from notifications.models import Notification
from opd.models import Role
from opd.tests.factories import EmployeeFactory, OpdFactory, ServicePostFactory
from scheduling.models import Roster, RosterChange, RosterEntry, RosterStatus
from scheduling.roster import Reason
from scheduling.selectors import recall_candidates_by_post
from scheduling.services.approval import approve_rosters
from scheduling.services.build import build_roster
from scheduling.services.changes import DayChange, change_days
from scheduling.tests.factories import LeaveFactory, PolicyFactory

from .conftest import HOME, OFFICE, assign

pytestmark = pytest.mark.django_db
W50 = date(2026, 12, 7)
TUESDAY = date(2026, 12, 8)
WEDNESDAY = date(2026, 12, 9)
MORNING = "2026-12-08 08:00 +0700"


@pytest.fixture
def world(db):
    """Disdukcapil on an approved week: the KTP counter has four people and needs three
    at the office (so one is at home on each rotation day), six back-office staff."""
    PolicyFactory()
    opd = OpdFactory(
        code="DISDUKCAPIL", name="Disdukcapil", office_lat=OFFICE[0], office_lon=OFFICE[1]
    )
    post = ServicePostFactory(opd=opd, code="KTP", name="Loket KTP", min_onsite=3)
    head = EmployeeFactory(opd=opd, role=Role.HEAD, name="Kepala Dinas")
    head.user.email = "kepala@example.go.id"
    head.user.save()
    counter = [
        EmployeeFactory(opd=opd, post=post, name=f"Loket {i}", home_lat=HOME[0], home_lon=HOME[1])
        for i in range(4)
    ]
    back = [EmployeeFactory(opd=opd, name=f"Staf {i}") for i in range(6)]
    build_roster(week_start=W50)
    bkpsdm = EmployeeFactory(role=Role.BKPSDM, opd=OpdFactory(code="BKPSDM"), name="Admin BKPSDM")
    approve_rosters(roster_ids=list(Roster.objects.values_list("pk", flat=True)), user=bkpsdm.user)
    roster = Roster.objects.get(opd=opd)
    return {
        "opd": opd,
        "post": post,
        "head": head,
        "counter": counter,
        "back": back,
        "bkpsdm": bkpsdm,
        "roster": roster,
    }


def entry(person, day=TUESDAY):
    return RosterEntry.objects.get(employee=person, date=day)


def at_office(world, day=TUESDAY):
    return [p for p in world["counter"] if entry(p, day).mode == "WFO"]


def at_home(world, day=TUESDAY):
    return [p for p in world["counter"] if entry(p, day).mode in ("WFH", "WFA")]


def report_sick(world, person, day=TUESDAY):
    """What an approved sick request does: the day becomes leave through change_days."""
    return change_days(
        opd_id=world["opd"].pk,
        changes=[DayChange(person.pk, day, "LEAVE", Reason.LEAVE, {"kind": "sakit"})],
        kind=RosterChange.Kind.REQUEST,
        user=world["head"].user,
        tolerate={"post_minimum", "too_many_remote"},
    )


def head_notices(world):
    return Notification.objects.filter(recipient=world["head"].user, kind="post_short")


@time_machine.travel(MORNING, tick=False)
def test_a_covered_post_opens_no_alert(world):
    result = services.check_coverage(TUESDAY)
    assert (result.posts, result.short, result.opened) == (1, 0, 0)
    [cover] = post_coverage(TUESDAY, [world["opd"].pk])
    assert (cover.onsite, cover.minimum, cover.short) == (3, 3, False)
    assert not CoverageAlert.objects.exists()


@time_machine.travel(MORNING, tick=False)
def test_a_short_post_opens_an_alert_and_tells_the_head_once(
    world, django_capture_on_commit_callbacks
):
    RosterEntry.objects.filter(employee=at_office(world)[0], date=TUESDAY).update(mode="WFH")
    with django_capture_on_commit_callbacks(execute=True):
        result = services.check_coverage(TUESDAY)
    assert (result.short, result.opened, result.notified) == (1, 1, 1)
    alert = CoverageAlert.objects.get()
    assert (alert.post, alert.date, alert.required, alert.onsite) == (world["post"], TUESDAY, 3, 2)
    assert alert.is_open
    [notice] = head_notices(world)
    assert notice.title_text == "Pos Loket KTP kurang petugas: 2 dari 3 di kantor"
    assert "Sel, 8 Des 2026" in notice.body_text and "DISDUKCAPIL" in notice.body_text
    assert (
        notice.url == reverse("attendance:opd-today", args=["DISDUKCAPIL"]) + "?tanggal=2026-12-08"
    )
    assert [m.to for m in mail.outbox] == [["kepala@example.go.id"]]
    assert "Loket KTP" in mail.outbox[0].subject
    # The next run (or a redelivered task) changes nothing and tells nobody again.
    with django_capture_on_commit_callbacks(execute=True):
        again = services.check_coverage(TUESDAY)
    assert (again.short, again.opened, again.notified) == (1, 0, 0)
    assert CoverageAlert.objects.count() == 1 and head_notices(world).count() == 1
    assert len(mail.outbox) == 1


@time_machine.travel(MORNING, tick=True)
def test_a_covered_post_closes_its_alert_and_a_new_shortage_tells_the_head_again(world):
    person = at_office(world)[0]
    RosterEntry.objects.filter(employee=person, date=TUESDAY).update(mode="WFH")
    services.check_coverage(TUESDAY)
    RosterEntry.objects.filter(employee=person, date=TUESDAY).update(mode="WFO")
    result = services.check_coverage(TUESDAY)
    assert (result.short, result.closed) == (0, 1)
    alert = CoverageAlert.objects.get()
    assert alert.closed_at is not None and alert.onsite == 3
    # Short again later that day: the same alert opens again and the head hears of it.
    RosterEntry.objects.filter(employee=person, date=TUESDAY).update(mode="WFH")
    result = services.check_coverage(TUESDAY)
    assert (result.opened, result.notified) == (1, 1)
    alert.refresh_from_db()
    assert alert.is_open and CoverageAlert.objects.count() == 1
    assert head_notices(world).count() == 2


@time_machine.travel(MORNING, tick=False)
def test_leave_and_home_do_not_count_default_office_people_without_an_approved_roster_do(opd):
    post = ServicePostFactory(opd=opd, code="CC", name="Command Center", min_onsite=4)
    no_roster = EmployeeFactory(opd=opd, post=post, name="Tanpa roster")
    on_leave = EmployeeFactory(opd=opd, post=post, name="Cuti")
    LeaveFactory(employee=on_leave, start=TUESDAY, end=TUESDAY, kind="sakit")
    at_home = EmployeeFactory(opd=opd, post=post, name="WFH disetujui")
    assign(at_home, TUESDAY, "WFH")
    approved_office = EmployeeFactory(opd=opd, post=post, name="WFO disetujui")
    assign(approved_office, TUESDAY, "WFO")
    inactive = EmployeeFactory(opd=opd, post=post, name="Nonaktif", active=False)
    back_office = EmployeeFactory(opd=opd, name="Staf")
    # Another OPD's draft says WFH: a draft does not count, so the default WFO does.
    other = OpdFactory(code="DISHUB")
    drafted = EmployeeFactory(
        opd=other, post=ServicePostFactory(opd=other, min_onsite=1), name="Draf"
    )
    assign(drafted, TUESDAY, "WFH", status=RosterStatus.DRAFT)

    covers = {c.post.code: c for c in post_coverage(TUESDAY)}
    cc = covers["CC"]
    assert (cc.day.present, cc.onsite, cc.minimum, cc.short) == (3, 2, 4, True)
    # The same answer as expected_day, person by person.
    expected = expected_days(start=TUESDAY, end=TUESDAY)
    office = [
        p
        for p in (no_roster, on_leave, at_home, approved_office)
        if expected.get(p.pk, TUESDAY).mode == "WFO"
    ]
    assert office == [no_roster, approved_office]
    assert inactive.pk and back_office.pk
    assert covers[drafted.post.code].onsite == 1
    # A no-show marked absent (a past day) is not at the office either.
    Attendance.objects.create(
        employee=no_roster, opd=opd, date=TUESDAY, mode="WFO", status="absent"
    )
    assert {c.post.code: c.onsite for c in post_coverage(TUESDAY, [opd.pk])} == {"CC": 1}
    # On a holiday nobody is expected unless an approved roster says so.
    christmas = date(2026, 12, 25)
    assign(approved_office, christmas, "WFO")
    assert post_coverage(christmas, [opd.pk])[0].onsite == 1


@time_machine.travel(MORNING, tick=False)
def test_an_approved_sick_day_for_today_alerts_the_head_at_once(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report_sick(world, at_office(world)[0], WEDNESDAY)  # not today: no check
    assert not CoverageAlert.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        report_sick(world, at_office(world)[0])
    alert = CoverageAlert.objects.get()
    assert (alert.date, alert.onsite, alert.required, alert.is_open) == (TUESDAY, 2, 3, True)
    assert head_notices(world).count() == 1


@time_machine.travel(MORNING, tick=False)
def test_a_recall_makes_the_day_wfo_logs_it_owes_the_day_tells_the_person_and_closes_the_alert(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report_sick(world, at_office(world)[0])
    assert CoverageAlert.objects.get().is_open
    [home] = at_home(world)
    ranked = recall_candidates_by_post(world["opd"].pk, TUESDAY)
    assert [c.employee_id for c in ranked[world["post"].pk]] == [home.pk]
    before = Roster.objects.get(pk=world["roster"].pk).balances[str(home.pk)]

    with django_capture_on_commit_callbacks(execute=True):
        change = services.recall(
            opd=world["opd"], employee_id=home.pk, day=TUESDAY, user=world["head"].user
        )

    recalled = entry(home)
    assert (recalled.mode, recalled.reason, recalled.args) == (
        "WFO",
        "recalled",
        {"by": "Kepala Dinas"},
    )
    assert (change.kind, change.old_mode, change.new_mode) == ("recall", "WFH", "WFO")
    assert RosterChange.objects.filter(kind="recall", employee=home).count() == 1
    after = Roster.objects.get(pk=world["roster"].pk).balances[str(home.pk)]
    assert after == pytest.approx(before - 1)
    [notice] = Notification.objects.filter(recipient=home.user, kind="recalled")
    assert notice.title_text == "Anda dipanggil ke kantor pada Sel, 8 Des 2026"
    assert "Kepala Dinas" in notice.body_text and notice.url == reverse("attendance:check-in")
    alert = CoverageAlert.objects.get()
    assert alert.closed_at is not None and alert.onsite == 3
    # The person's check-in page says why.
    client = Client()
    client.force_login(home.user, backend="opd.auth.EmployeeBackend")
    page = client.get(reverse("attendance:check-in")).content.decode()
    assert "dipanggil ke kantor oleh Kepala Dinas" in page


@time_machine.travel(MORNING, tick=False)
def test_a_recall_of_a_non_candidate_another_opd_or_a_past_day_is_refused_and_writes_nothing(
    world,
):
    opd, user = world["opd"], world["head"].user
    back_home = next(p for p in world["back"] if entry(p).mode == "WFH")
    stranger = EmployeeFactory(opd=OpdFactory(code="DISHUB"), name="Orang Lain")
    [home] = at_home(world)
    # The counter is covered: nobody is called back to it.
    with pytest.raises(services.RecallError, match="pos yang kurang petugas"):
        services.recall(opd=opd, employee_id=home.pk, day=TUESDAY, user=user)
    report_sick(world, at_office(world)[0])
    refusals = [
        (at_office(world)[0].pk, TUESDAY, "tidak sedang WFH atau WFA di pos yang kurang"),
        (back_home.pk, TUESDAY, "tidak sedang WFH atau WFA di pos yang kurang"),
        (stranger.pk, TUESDAY, "tidak ada di OPD ini"),
        (home.pk, TUESDAY - timedelta(days=1), "sudah lewat"),
        (home.pk, date(2026, 12, 14), "belum diajukan atau disetujui"),
    ]
    for employee_id, day, reason in refusals:
        with pytest.raises(services.RecallError, match=reason):
            services.recall(opd=opd, employee_id=employee_id, day=day, user=user)
    # The second tap finds the person already at the office.
    services.recall(opd=opd, employee_id=home.pk, day=TUESDAY, user=user)
    with pytest.raises(services.RecallError, match="tidak sedang WFH"):
        services.recall(opd=opd, employee_id=home.pk, day=TUESDAY, user=user)
    assert RosterChange.objects.filter(kind="recall").count() == 1
    assert Notification.objects.filter(kind="recalled").count() == 1


@time_machine.travel(MORNING, tick=False)
def test_someone_who_already_checked_in_from_home_is_not_recalled_nor_offered(world, client, login):
    from django.utils import timezone

    from attendance.models import Attendance

    opd, user = world["opd"], world["head"].user
    report_sick(world, at_office(world)[0])
    [home] = at_home(world)
    Attendance.objects.create(
        employee=home, opd=opd, date=TUESDAY, mode="WFH", check_in_at=timezone.now()
    )
    with pytest.raises(services.RecallError, match="sudah presensi masuk WFH"):
        services.recall(opd=opd, employee_id=home.pk, day=TUESDAY, user=user)
    assert entry(home).mode == "WFH" and not RosterChange.objects.filter(kind="recall")
    page = login(user).get(reverse("attendance:opd-today", args=[opd.code])).content.decode()
    assert 'id="recall-KTP"' in page and f'value="{home.pk}"' not in page


def test_the_coverage_check_runs_at_eight_on_working_days_and_skips_days_off(world):
    from django_celery_beat.models import PeriodicTask

    from attendance.tasks import check_coverage

    task = PeriodicTask.objects.get(task="attendance.tasks.check_coverage")
    assert task.enabled and task.name == "Pemeriksaan pos kurang petugas"
    assert (task.crontab.minute, task.crontab.hour, task.crontab.day_of_week) == ("0", "8", "1-5")
    assert str(task.crontab.timezone) == "Asia/Jakarta"
    assert check_coverage.name == task.task
    RosterEntry.objects.filter(employee=at_office(world)[0], date=TUESDAY).update(mode="WFH")
    with time_machine.travel(MORNING, tick=False):
        assert check_coverage.delay().get()["opened"] == 1
    with time_machine.travel("2026-12-12 08:00 +0700", tick=False):  # Saturday
        assert check_coverage.delay().get() is None
    assert check_coverage.delay("2026-12-25").get() is None  # Christmas


@time_machine.travel(MORNING, tick=False)
def test_the_head_sees_each_post_against_its_minimum_and_recalls_with_one_tap(
    client, login, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report_sick(world, at_office(world)[0])
    [home] = at_home(world)
    login(world["head"].user)
    url = reverse("attendance:opd-today", args=["DISDUKCAPIL"])
    body = client.get(url).content.decode()
    assert 'id="posts"' in body and "Loket KTP" in body and "2 / 3" in body
    assert "post-short" in body and "terbuka sejak 08:00" in body
    assert home.name in body and "Panggil ke kantor" in body and "data-confirm" in body
    assert f'name="employee" value="{home.pk}"' in body

    # The change's signal re-checks coverage after the commit, before the page reloads.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("attendance:recall", args=["DISDUKCAPIL"]),
            {"employee": home.pk, "date": "2026-12-08"},
        )
    assert response.url == f"{url}?tanggal=2026-12-08"
    body = client.get(response.url).content.decode()
    assert f"{home.name} dipanggil ke kantor pada Sel, 8 Des 2026" in body
    assert "3 / 3" in body and "ditutup 08:00" in body and "post-short" not in body
    assert entry(home).reason == "recalled"


@time_machine.travel(MORNING, tick=False)
def test_recall_is_for_the_head_of_the_opd_and_bkpsdm_only(client, login, world):
    [home] = at_home(world)
    url = reverse("attendance:recall", args=["DISDUKCAPIL"])
    data = {"employee": home.pk, "date": "2026-12-08"}
    asn = world["back"][0]
    assert login(asn.user).post(url, data).status_code == 403
    other_opd = OpdFactory(code="DISHUB")
    other_head = EmployeeFactory(opd=other_opd, role=Role.HEAD)
    assert login(other_head.user).post(url, data).status_code == 404
    # Another OPD's person through this OPD's URL: not found, whoever asks.
    stranger = EmployeeFactory(opd=other_opd)
    assert login(world["head"].user).post(url, {**data, "employee": stranger.pk}).status_code == 404
    assert login(world["head"].user).post(url, {**data, "employee": 10**9}).status_code == 404
    # Nonsense is refused with a message, not a crash.
    response = login(world["head"].user).post(
        url, {"employee": "x", "date": "kemarin"}, follow=True
    )
    assert "Pilih pegawai dan tanggal" in response.content.decode()
    assert RosterChange.objects.count() == 0
    # BKPSDM may recall too (to a short post); the reason names who did it.
    report_sick(world, at_office(world)[0])
    assert login(world["bkpsdm"].user).post(url, data).status_code == 302
    assert entry(home).args == {"by": "Admin BKPSDM"}


@time_machine.travel(MORNING, tick=False)
def test_the_day_page_runs_a_constant_number_of_queries_with_short_posts(
    client, login, world, django_assert_num_queries, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report_sick(world, at_office(world)[0])
    login(world["head"].user)
    url = reverse("attendance:opd-today", args=["DISDUKCAPIL"])
    client.get(url)  # warm the configuration cache
    opd = world["opd"]
    roster = world["roster"]
    short_posts = 1
    for size in (2, 20):
        short_posts += size
        for _ in range(size):
            post = ServicePostFactory(opd=opd, min_onsite=2)
            for mode in ("WFO", "WFH"):
                person = EmployeeFactory(opd=opd, post=post, home_lat=HOME[0], home_lon=HOME[1])
                RosterEntry.objects.create(
                    roster=roster, employee=person, date=TUESDAY, mode=mode, reason="rotation_wfh"
                )
        services.check_coverage(TUESDAY)
        # session, user, the OPD, employees, roster entries, records, leave, pending
        # reports, post coverage, the day's alerts, recall candidates, who of them
        # already checked in from home, unread notices
        with django_assert_num_queries(13):
            body = client.get(url).content.decode()
        # Every short post (one WFO of a minimum of two) offers its one person at home.
        assert body.count("Panggil ke kantor</button>") == short_posts


# serialized_rollback: the flush after a transactional test would also delete what
# migrations created (role groups, bands, working hours) for the tests that follow.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("postgres")
@time_machine.travel(MORNING, tick=True)
def test_two_simultaneous_taps_recall_once(world):
    report_sick(world, at_office(world)[0])  # the counter is short: a recall is due
    [home] = at_home(world)
    url = reverse("attendance:recall", args=["DISDUKCAPIL"])
    clients = []
    for _ in range(6):
        c = Client()
        c.force_login(world["head"].user, backend="opd.auth.EmployeeBackend")
        clients.append(c)
    barrier = threading.Barrier(len(clients))
    statuses, errors = [], []

    def tap(c):
        try:
            barrier.wait(timeout=10)
            response = c.post(url, {"employee": home.pk, "date": "2026-12-08"})
            statuses.append(response.status_code)
        except Exception as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=tap, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == [] and statuses == [302] * len(clients)
    assert RosterChange.objects.filter(kind="recall").count() == 1
    assert Notification.objects.filter(kind="recalled").count() == 1
    assert entry(home).reason == "recalled"
