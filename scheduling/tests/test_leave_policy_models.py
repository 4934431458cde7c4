"""Leave.clean() and Policy.clean(): the one validation every writer goes through, and the
PostgreSQL constraints that back it against concurrent writers."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from opd.tests.factories import EmployeeFactory
from scheduling.models import Leave, Policy

from .factories import LeaveFactory, PolicyFactory

pytestmark = pytest.mark.django_db


def leave(employee, first, last, kind=Leave.Kind.ANNUAL):
    return Leave(
        employee=employee, start=date(2026, 12, first), end=date(2026, 12, last), kind=kind
    )


def test_leave_overlapping_one_of_the_same_person_names_it():
    budi = EmployeeFactory()
    LeaveFactory(employee=budi, start=date(2026, 12, 8), end=date(2026, 12, 10))
    with pytest.raises(ValidationError) as error:
        leave(budi, 10, 11, Leave.Kind.SICK).full_clean()
    (message,) = error.value.messages
    assert "tumpang tindih dengan cuti tahunan Sel, 8 Des 2026 s.d. Kam, 10 Des 2026" in message


def test_leave_next_to_another_or_of_another_person_is_valid():
    budi, siti = EmployeeFactory(), EmployeeFactory()
    LeaveFactory(employee=budi, start=date(2026, 12, 8), end=date(2026, 12, 10))
    leave(budi, 11, 11).full_clean()
    leave(siti, 8, 10).full_clean()


def test_leave_ending_before_it_starts_names_the_end():
    with pytest.raises(ValidationError) as error:
        leave(EmployeeFactory(), 10, 8).full_clean()
    assert "end" in error.value.message_dict


def test_saved_leave_may_be_cleaned_again():
    stored = LeaveFactory(
        employee=EmployeeFactory(), start=date(2026, 12, 8), end=date(2026, 12, 9)
    )
    stored.full_clean()


def test_policy_overlapping_another_names_it():
    PolicyFactory(name="Fase I", start=date(2025, 11, 1), end=date(2025, 12, 1))
    policy = PolicyFactory.build(name="Fase II", start=date(2025, 12, 1), end=date(2026, 12, 31))
    with pytest.raises(ValidationError) as error:
        policy.full_clean()
    assert "kebijakan Fase I (Sab, 1 Nov 2025 s.d. Sen, 1 Des 2025)" in error.value.messages[0]


def test_policy_after_another_and_a_stored_policy_itself_are_valid():
    first = PolicyFactory(name="Fase I", start=date(2025, 11, 1), end=date(2025, 12, 1))
    first.full_clean()
    PolicyFactory.build(name="Fase II", start=date(2025, 12, 2), end=date(2026, 1, 1)).full_clean()


@pytest.mark.postgres
def test_database_refuses_overlapping_leave_that_skipped_validation(postgres):
    budi = EmployeeFactory()
    LeaveFactory(employee=budi, start=date(2026, 12, 8), end=date(2026, 12, 10))
    with pytest.raises(IntegrityError, match="leave_periods_do_not_overlap"), transaction.atomic():
        leave(budi, 10, 12).save()
    leave(EmployeeFactory(), 10, 12).save()
    assert Leave.objects.count() == 2


@pytest.mark.postgres
def test_database_refuses_overlapping_policy_that_skipped_validation(postgres):
    PolicyFactory(start=date(2025, 11, 1), end=date(2025, 12, 1))
    refused = pytest.raises(IntegrityError, match="policy_periods_do_not_overlap")
    with refused, transaction.atomic():
        PolicyFactory(start=date(2025, 12, 1), end=date(2025, 12, 31))
    assert Policy.objects.count() == 1


@pytest.mark.postgres
def test_leave_constraint_migration_lists_existing_overlaps_instead_of_failing_obscurely(
    postgres,
):
    # A database that saved overlapping leave through the old admin: the migration
    # cannot choose which leave is right, so it stops and names them.
    from importlib import import_module

    from django.db import connection

    migration = import_module("scheduling.migrations.0003_leave_no_overlap")
    budi = EmployeeFactory()
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE scheduling_leave DROP CONSTRAINT leave_periods_do_not_overlap")
    Leave.objects.bulk_create([leave(budi, 8, 10), leave(budi, 10, 12)])
    with (
        pytest.raises(RuntimeError, match=f"{budi.nip}: 08-12-2026 s.d. 10-12-2026 / 10-12-2026"),
        connection.schema_editor(atomic=False) as editor,
    ):
        migration.leave_no_overlap(None, editor)
