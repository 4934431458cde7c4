"""Database constraints hold even when application code is bypassed."""

import pytest
from django.db import DataError, IntegrityError, transaction

from opd.models import Employee, Opd, ServicePost

from .factories import EmployeeFactory, OpdFactory, ServicePostFactory, valid_nip

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("postgres")]


def violates(**kwargs):
    """Assert the block raises IntegrityError, inside a savepoint so the test goes on."""
    return pytest.raises(IntegrityError, **kwargs)


def test_opd_code_is_unique():
    OpdFactory(code="DINKES")
    with violates(), transaction.atomic():
        Opd.objects.create(code="DINKES", name="Lagi")


@pytest.mark.parametrize(
    "fields",
    [
        {"code": ""},
        {"geofence_radius_m": 0},
        {"office_lat": 91, "office_lon": 106.9},
        {"office_lat": -6.2, "office_lon": 181},
        {"office_lat": -6.2, "office_lon": None},
    ],
)
def test_opd_rejects_impossible_values(fields):
    values = {"code": "X", "name": "Dinas X", **fields}
    with violates(), transaction.atomic():
        Opd.objects.create(**values)


def test_post_code_is_unique_within_an_opd_but_not_across():
    post = ServicePostFactory(code="KTP")
    ServicePostFactory(code="KTP")  # another OPD may reuse the code
    with violates(), transaction.atomic():
        ServicePost.objects.create(opd=post.opd, code="KTP", name="Loket KTP 2")


def test_post_min_onsite_cannot_be_negative():
    opd = OpdFactory()
    with violates(), transaction.atomic():
        ServicePost.objects.create(opd=opd, code="X", name="X", min_onsite=-1)


def test_employee_nip_is_unique_and_has_18_digits():
    employee = EmployeeFactory()
    other = EmployeeFactory()
    with violates(), transaction.atomic():
        Employee.objects.filter(pk=other.pk).update(nip=employee.nip)
    for bad in ("12345", "19850412201001100X"):
        with violates(), transaction.atomic():
            Employee.objects.filter(pk=other.pk).update(nip=bad)
    with pytest.raises(DataError), transaction.atomic():
        Employee.objects.filter(pk=other.pk).update(nip=valid_nip() + "0")


def test_employee_role_must_be_known():
    employee = EmployeeFactory()
    with violates(), transaction.atomic():
        Employee.objects.filter(pk=employee.pk).update(role="admin")


def test_employee_home_needs_both_coordinates_in_range():
    employee = EmployeeFactory()
    for lat, lon in ((-6.2, None), (-100, 106.9), (-6.2, 200)):
        with violates(), transaction.atomic():
            Employee.objects.filter(pk=employee.pk).update(home_lat=lat, home_lon=lon)


def test_one_login_account_per_employee():
    first, second = EmployeeFactory(), EmployeeFactory()
    with violates(), transaction.atomic():
        Employee.objects.filter(pk=second.pk).update(user=first.user)


def test_opd_with_employees_cannot_be_deleted():
    from django.db.models import ProtectedError

    employee = EmployeeFactory()
    with pytest.raises(ProtectedError):
        employee.opd.delete()
