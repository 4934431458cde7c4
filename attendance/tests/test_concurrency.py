"""Exactly once under fire: 20 simultaneous submits for one person on PostgreSQL."""

import threading

import pytest
import time_machine
from django.db import connections
from django.test import Client
from django.urls import reverse

from attendance.models import Attendance
from opd.tests.factories import EmployeeFactory, OpdFactory

from .conftest import OFFICE


# serialized_rollback: the flush after a transactional test would also delete what
# migrations created (role groups, bands, working hours) for the tests that follow.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("postgres")
@time_machine.travel("2026-12-08 07:20 +0700", tick=True)
def test_twenty_concurrent_check_ins_for_one_person_make_one_row():
    employee = EmployeeFactory(opd=OpdFactory(office_lat=OFFICE[0], office_lon=OFFICE[1]))
    clients = []
    for _ in range(20):
        client = Client()
        client.force_login(employee.user, backend="opd.auth.EmployeeBackend")
        clients.append(client)
    barrier = threading.Barrier(len(clients))
    statuses, errors = [], []

    def submit(client, action):
        try:
            barrier.wait(timeout=10)
            response = client.post(
                reverse("attendance:check-in"),
                {
                    "action": action,
                    "lat": OFFICE[0],
                    "lon": OFFICE[1],
                    "accuracy": 10,
                    "confirm": "1",
                },
            )
            statuses.append(response.status_code)
        except Exception as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)
        finally:
            connections.close_all()

    for action in ("in", "out"):
        statuses.clear()
        barrier.reset()
        threads = [threading.Thread(target=submit, args=(c, action)) for c in clients]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert errors == []
        # Every submit lands on the record that exists: never an error page.
        assert statuses == [302] * 20, statuses
    record = Attendance.objects.get()
    assert Attendance.objects.count() == 1
    assert record.check_in_at is not None and record.check_out_at is not None
