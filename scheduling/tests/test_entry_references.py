"""Roster entries' references are kept by the build, set-based (see ``RosterEntry``)."""

import threading
import time
from datetime import date

import psycopg
import pytest
from django.db import connection, connections, transaction
from django.db.models import ProtectedError

from opd.models import Employee
from opd.tests.factories import EmployeeFactory, OpdFactory
from scheduling.models import Policy, Roster, RosterEntry
from scheduling.services import build
from scheduling.services.build import build_roster

from .factories import PolicyFactory

W50 = date(2026, 12, 7)


@pytest.mark.django_db
def test_someone_deleted_after_the_week_was_loaded_gets_no_entries(monkeypatch):
    opd = OpdFactory()
    staff = EmployeeFactory.create_batch(4, opd=opd)
    PolicyFactory()
    gone = staff[0]
    load = build.week_inputs

    def load_then_delete(*args, **kwargs):
        inputs = load(*args, **kwargs)
        Employee.objects.filter(pk=gone.pk).delete()  # between the load and the write
        return inputs

    monkeypatch.setattr(build, "week_inputs", load_then_delete)
    build_roster(week_start=W50)
    assert not RosterEntry.objects.filter(employee_id=gone.pk).exists()
    assert RosterEntry.objects.count() == 3 * 5


@pytest.mark.django_db
def test_a_policy_deleted_after_the_week_was_loaded_makes_the_build_stale_and_writes_nothing(
    monkeypatch,
):
    EmployeeFactory.create_batch(3, opd=OpdFactory())
    policy = PolicyFactory()
    load = build.week_inputs

    def load_then_delete(*args, **kwargs):
        inputs = load(*args, **kwargs)
        Policy.objects.filter(pk=policy.pk).delete()  # between the load and the write
        return inputs

    monkeypatch.setattr(build, "week_inputs", load_then_delete)
    with pytest.raises(build.StaleInput):
        build_roster(week_start=W50)
    assert not Roster.objects.exists()
    assert not RosterEntry.objects.exists()


@pytest.mark.django_db
def test_deleting_a_roster_or_an_employee_removes_their_entries():
    opd = OpdFactory()
    staff = EmployeeFactory.create_batch(3, opd=opd)
    PolicyFactory()
    build_roster(week_start=W50)
    staff[0].delete()
    assert RosterEntry.objects.count() == 2 * 5
    Roster.objects.all().delete()
    assert RosterEntry.objects.count() == 0


@pytest.mark.django_db
def test_a_policy_that_entries_name_cannot_be_deleted():
    EmployeeFactory.create_batch(2, opd=OpdFactory())
    policy = PolicyFactory()
    build_roster(week_start=W50)
    assert RosterEntry.objects.filter(policy=policy).exists()
    with pytest.raises(ProtectedError):
        policy.delete()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_build_holds_its_employees_as_a_foreign_key_check_would(postgres):
    """While the build's transaction is open, nobody can delete an employee it wrote
    entries for: the FOR KEY SHARE lock makes the DELETE wait (here: time out)."""
    employee = EmployeeFactory()
    settings = connection.settings_dict
    other = psycopg.connect(
        host=settings["HOST"] or "127.0.0.1",
        port=settings["PORT"] or 5432,
        user=settings["USER"],
        password=settings["PASSWORD"] or None,
        dbname=settings["NAME"],
        autocommit=True,
    )
    try:
        with transaction.atomic():
            assert build._hold(Employee, {employee.pk, 10**9}) == {10**9}
            other.execute("SET lock_timeout = '300ms'")
            with pytest.raises(psycopg.errors.LockNotAvailable):
                other.execute("DELETE FROM opd_employee WHERE id = %s", [employee.pk])
        # Once the transaction has ended the same DELETE goes through.
        other.execute("DELETE FROM opd_employee WHERE id = %s", [employee.pk])
    finally:
        other.close()
    assert not Employee.objects.filter(pk=employee.pk).exists()


def _other_connection():
    settings = connection.settings_dict
    return psycopg.connect(
        host=settings["HOST"] or "127.0.0.1",
        port=settings["PORT"] or 5432,
        user=settings["USER"],
        password=settings["PASSWORD"] or None,
        dbname=settings["NAME"],
        autocommit=True,
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_employee_deleted_while_a_build_holds_them_takes_the_new_entries_along(
    postgres, monkeypatch
):
    """Django deletes an employee's entries first and the employee after. Were the
    entries deleted before the build committed, the build's entries would outlive the
    employee; so the delete waits for the build before it deletes anything."""
    opd = OpdFactory()
    leaver, _stays = EmployeeFactory.create_batch(2, opd=opd)
    PolicyFactory()
    watcher = _other_connection()
    outcome = {}

    def delete_leaver():
        try:
            Employee.objects.get(pk=leaver.pk).delete()
            outcome["deleted"] = True
        except Exception as error:  # reported by the assertion below
            outcome["error"] = error
        finally:
            connections.close_all()

    deleter = threading.Thread(target=delete_leaver)
    hold = build._hold

    def hold_then_race(model, ids):
        gone = hold(model, ids)
        if model is Employee:
            deleter.start()
            # Until the delete waits for a lock (the build's rows).
            for _ in range(100):
                waiting = watcher.execute(
                    "SELECT count(*) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND wait_event_type = 'Lock'"
                ).fetchone()[0]
                if waiting:
                    break
                time.sleep(0.05)
            else:
                pytest.fail("the delete never waited for the build")
        return gone

    monkeypatch.setattr(build, "_hold", hold_then_race)
    try:
        build_roster(week_start=W50)
        deleter.join(timeout=10)
    finally:
        watcher.close()
    assert outcome == {"deleted": True}
    assert not Employee.objects.filter(pk=leaver.pk).exists()
    assert not RosterEntry.objects.filter(employee_id=leaver.pk).exists()
    assert RosterEntry.objects.count() == 5
