from datetime import date

import pytest
from django.utils import timezone

from attendance.config import forget_config
from opd.models import Role
from opd.tests.factories import EmployeeFactory, OpdFactory, ServicePostFactory
from scheduling.models import Roster, RosterEntry, RosterStatus

TUESDAY = date(2026, 12, 8)
OFFICE = (-6.2383, 106.9920)
HOME = (-6.2600, 107.0100)


@pytest.fixture(autouse=True)
def _fresh_config():
    """The per-process configuration cache must not leak between tests."""
    forget_config()
    yield
    forget_config()


@pytest.fixture
def opd(db):
    return OpdFactory(
        code="DISKOMINFO",
        name="Dinas Kominfo",
        office_lat=OFFICE[0],
        office_lon=OFFICE[1],
        geofence_radius_m=150,
    )


def assign(employee, day, mode, *, status=RosterStatus.APPROVED, reason="rotation_wfh", args=None):
    """Put an employee on the approved roster of ``day`` with ``mode``."""
    monday = day - timezone.timedelta(days=day.isoweekday() - 1)
    roster, _ = Roster.objects.get_or_create(
        opd=employee.opd,
        week_start=monday,
        defaults={
            "status": status,
            "built_at": timezone.now(),
            "decided_by": employee.user if status != RosterStatus.DRAFT else None,
            "decided_at": timezone.now() if status != RosterStatus.DRAFT else None,
        },
    )
    RosterEntry.objects.update_or_create(
        employee=employee,
        date=day,
        defaults={"roster": roster, "mode": mode, "reason": reason, "args": args or {}},
    )


@pytest.fixture
def wfh_asn(opd):
    employee = EmployeeFactory(opd=opd, name="Teguh Rahmawati", home_lat=HOME[0], home_lon=HOME[1])
    assign(employee, TUESDAY, "WFH")
    return employee


@pytest.fixture
def wfo_asn(opd):
    post = ServicePostFactory(opd=opd, name="Command Center")
    employee = EmployeeFactory(opd=opd, post=post, name="Dewi Lestari")
    assign(
        employee, TUESDAY, "WFO", reason="post_minimum", args={"post": "Command Center", "min": 2}
    )
    return employee


@pytest.fixture
def head(opd):
    return EmployeeFactory(opd=opd, role=Role.HEAD, name="Slamet Kusuma")
