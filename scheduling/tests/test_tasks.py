"""Celery tasks: fan-out per OPD, idempotent redelivery, retries, e-mail, a real worker."""

import time
import uuid
from datetime import date
from pathlib import Path

import pytest
from django.core import mail
from django.db import OperationalError

from opd.models import Role
from opd.tests.factories import EmployeeFactory, OpdFactory, ServicePostFactory
from scheduling import tasks
from scheduling.models import Roster, RosterBuild, RosterBuildItem, RosterEntry
from scheduling.services import queued
from wfh.tests.live import start_worker, stop_process

from .factories import LeaveFactory, PolicyFactory

ROOT = Path(__file__).resolve().parents[2]
W50 = date(2026, 12, 7)


@pytest.fixture
def organisation(db):
    PolicyFactory()
    for code in ("A", "B", "C"):
        opd = OpdFactory(code=code)
        post = ServicePostFactory(opd=opd, min_onsite=2)
        EmployeeFactory.create_batch(3, opd=opd, post=post)
        EmployeeFactory.create_batch(4, opd=opd)
    bkpsdm = EmployeeFactory(opd=OpdFactory(code="BKPSDM"), role=Role.BKPSDM)
    bkpsdm.user.email = "bkpsdm@bekasikota.go.id"
    bkpsdm.user.save()
    return bkpsdm


def test_week_build_fans_out_per_opd_and_emails_bkpsdm_once(
    organisation, django_capture_on_commit_callbacks
):
    opd_a = OpdFactory(code="A")
    LeaveFactory(employee=opd_a.employees.filter(post__isnull=False).first(), start=W50, end=W50)
    LeaveFactory(employee=opd_a.employees.filter(post__isnull=False).last(), start=W50, end=W50)
    with django_capture_on_commit_callbacks(execute=True):
        tasks.queue_week_build.apply(args=["2026-W50"], task_id="build-w50")
    assert Roster.objects.filter(week_start=W50).count() == 4
    build = RosterBuild.objects.get(task_id="build-w50")
    assert set(build.items.values_list("outcome", flat=True)) == {"built"}
    assert build.notified_at is not None
    [message] = mail.outbox
    assert message.subject == "Roster minggu 2026-W50 menunggu persetujuan"
    assert message.to == ["bkpsdm@bekasikota.go.id"]
    assert "Dibangun: 4" in message.body
    assert "- A " in message.body  # A's counter is short on Monday


def test_redelivered_week_task_builds_nothing_twice(
    organisation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        tasks.queue_week_build.apply(args=["2026-W50"], task_id="same-delivery")
    entries = list(RosterEntry.objects.order_by("pk").values_list("pk", "mode"))
    with django_capture_on_commit_callbacks(execute=True):
        tasks.queue_week_build.apply(args=["2026-W50"], task_id="same-delivery")
    assert RosterBuild.objects.count() == 1
    assert list(RosterEntry.objects.order_by("pk").values_list("pk", "mode")) == entries
    assert len(mail.outbox) == 1


def test_duplicate_opd_subtask_changes_nothing(organisation):
    build, pending = queued.start_week_build(week_start=W50, task_id="t1")
    first = tasks.build_opd_roster.apply(args=[build.pk, pending[0]]).get()
    entries = list(RosterEntry.objects.order_by("pk").values_list("pk", flat=True))
    again = tasks.build_opd_roster.apply(args=[build.pk, pending[0]]).get()
    assert (first, again) == ("built", "built")
    assert list(RosterEntry.objects.order_by("pk").values_list("pk", flat=True)) == entries


@pytest.fixture
def worker_like_retries():
    """Eager tasks follow their retries as a worker would, instead of raising Retry."""
    from wfh.celery import app

    app.conf.task_eager_propagates = False
    yield
    app.conf.task_eager_propagates = True


@pytest.mark.usefixtures("worker_like_retries")
def test_transient_database_error_is_retried(organisation, monkeypatch):
    build, pending = queued.start_week_build(week_start=W50, task_id="t2")
    real = queued.run_build_item
    calls = []

    def flaky(**kwargs):
        calls.append(kwargs)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real(**kwargs)

    monkeypatch.setattr(queued, "run_build_item", flaky)
    result = tasks.build_opd_roster.apply(args=[build.pk, pending[0]])
    assert result.get() == "built"
    assert len(calls) == 2


@pytest.mark.usefixtures("worker_like_retries")
def test_subtask_that_keeps_failing_is_reported_in_the_email(organisation, monkeypatch):
    build, pending = queued.start_week_build(week_start=W50, task_id="t3")

    def broken(**kwargs):
        raise OperationalError("database is down")

    monkeypatch.setattr(queued, "run_build_item", broken)
    result = tasks.build_opd_roster.apply(args=[build.pk, pending[0]])
    assert result.failed()
    monkeypatch.undo()
    for opd_id in pending[1:]:
        tasks.build_opd_roster.apply(args=[build.pk, opd_id]).get()
    failed = build.items.get(opd_id=pending[0])
    assert failed.outcome == RosterBuildItem.Outcome.FAILED and "database is down" in failed.message
    [message] = mail.outbox
    assert "Gagal: 1" in message.body and "database is down" in message.body


def test_beat_schedule_builds_next_week_on_thursday_evening(db):
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="scheduling.tasks.build_next_week")
    crontab = task.crontab
    assert (crontab.minute, crontab.hour, crontab.day_of_week, str(crontab.timezone)) == (
        "0",
        "20",
        "4",
        "Asia/Jakarta",
    )


# serialized_rollback: the flush after a transactional test would also delete what
# migrations created (role groups, the beat schedule) for the tests that follow.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_real_worker_builds_the_week_from_redis(postgres, redis_broker, tmp_path):
    """A Celery worker process, Redis as broker, PostgreSQL as database."""
    from wfh.celery import app

    PolicyFactory()
    for code in ("A", "B"):
        opd = OpdFactory(code=code)
        EmployeeFactory.create_batch(5, opd=opd)
    queue = f"test-{uuid.uuid4().hex[:8]}"
    worker = start_worker(
        redis_broker,
        queue,
        tmp_path / "worker.log",
        # django-environ drops one slash: filemail:////abs/path is /abs/path.
        env={
            "EMAIL_URL": f"filemail:///{tmp_path / 'mail'}",
            "BKPSDM_EMAILS": "bkpsdm@bekasikota.go.id",
        },
    )
    try:
        app.conf.task_always_eager = False
        tasks.queue_week_build.apply_async(args=["2026-W50"], queue=queue)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            build = RosterBuild.objects.first()
            if build and build.notified_at:
                break
            time.sleep(0.5)
        assert build is not None and build.notified_at, "the worker did not finish in 90 s"
        assert Roster.objects.filter(week_start=W50).count() == 2
        assert RosterEntry.objects.count() == 10 * 5
        # notified_at is claimed before the mail is written (so two finishing parts
        # never both send): wait for the file as well.
        mail_dir = tmp_path / "mail"
        while time.monotonic() < deadline and not (mail_dir.exists() and any(mail_dir.iterdir())):
            time.sleep(0.2)
        time.sleep(0.5)  # a second mail, if one were wrongly sent, would show up now
        mails = list(mail_dir.iterdir()) if mail_dir.exists() else []
        assert len(mails) == 1 and "Roster minggu 2026-W50" in mails[0].read_text()
    finally:
        app.conf.task_always_eager = True
        stop_process(worker)
