"""Leave and policy periods entered in the admin: an overlap is a form error, never a save."""

from datetime import date
from unittest import mock

import pytest
from django.urls import reverse

from opd.models import Role
from opd.tests.factories import EmployeeFactory
from scheduling.models import Leave, Policy

from .factories import LeaveFactory, PolicyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def bkpsdm(login):
    return login(EmployeeFactory(role=Role.BKPSDM).user)


def add_leave(client, employee, start, end, kind="tahunan"):
    return client.post(
        reverse("admin:scheduling_leave_add"),
        {"employee": employee.pk, "start": start, "end": end, "kind": kind},
    )


def test_admin_saves_leave_that_touches_no_other_leave(bkpsdm):
    budi = EmployeeFactory()
    LeaveFactory(employee=budi, start=date(2026, 12, 8), end=date(2026, 12, 10))
    response = add_leave(bkpsdm, budi, "2026-12-11", "2026-12-11")
    assert response.status_code == 302
    assert Leave.objects.filter(employee=budi).count() == 2


def test_admin_refuses_overlapping_leave_for_one_person(bkpsdm):
    budi = EmployeeFactory()
    LeaveFactory(employee=budi, start=date(2026, 12, 8), end=date(2026, 12, 10))
    response = add_leave(bkpsdm, budi, "2026-12-10", "2026-12-14", kind="sakit")
    assert response.status_code == 200
    body = response.content.decode()
    assert "tumpang tindih dengan cuti tahunan Sel, 8 Des 2026 s.d. Kam, 10 Des 2026" in body
    assert Leave.objects.filter(employee=budi).count() == 1


def test_admin_saves_overlapping_leave_of_two_different_people(bkpsdm):
    budi, siti = EmployeeFactory(), EmployeeFactory()
    LeaveFactory(employee=budi, start=date(2026, 12, 8), end=date(2026, 12, 10))
    assert add_leave(bkpsdm, siti, "2026-12-08", "2026-12-10").status_code == 302


def test_admin_edits_a_leave_without_it_clashing_with_itself(bkpsdm):
    leave = LeaveFactory(employee=EmployeeFactory(), start=date(2026, 12, 8), end=date(2026, 12, 8))
    response = bkpsdm.post(
        reverse("admin:scheduling_leave_change", args=[leave.pk]),
        {
            "employee": leave.employee_id,
            "start": "2026-12-07",
            "end": "2026-12-09",
            "kind": "sakit",
        },
    )
    assert response.status_code == 302
    leave.refresh_from_db()
    assert (leave.start, leave.end, leave.kind) == (date(2026, 12, 7), date(2026, 12, 9), "sakit")


def test_admin_refuses_moving_a_leave_onto_another_of_the_same_person(bkpsdm):
    budi = EmployeeFactory()
    LeaveFactory(employee=budi, start=date(2026, 12, 8), end=date(2026, 12, 8))
    later = LeaveFactory(employee=budi, start=date(2026, 12, 14), end=date(2026, 12, 14))
    response = bkpsdm.post(
        reverse("admin:scheduling_leave_change", args=[later.pk]),
        {"employee": budi.pk, "start": "2026-12-07", "end": "2026-12-14", "kind": "tahunan"},
    )
    assert response.status_code == 200
    assert "Sel, 8 Des 2026" in response.content.decode()
    later.refresh_from_db()
    assert later.start == date(2026, 12, 14)


def add_policy(client, name, start, end, url=None):
    return client.post(
        url or reverse("admin:scheduling_policy_add"),
        {
            "name": name,
            "reference": "",
            "start": start,
            "end": end,
            "mode": "rotation",
            "wfh_ratio": "0.5",
            "weekdays": ["tue", "wed"],
        },
    )


def test_admin_saves_a_policy_that_starts_the_day_after_another_ends(bkpsdm):
    PolicyFactory(name="Fase I", start=date(2025, 11, 1), end=date(2025, 12, 1))
    assert add_policy(bkpsdm, "Fase II", "2025-12-02", "2026-12-31").status_code == 302
    assert Policy.objects.count() == 2


def test_admin_refuses_a_policy_overlapping_another(bkpsdm):
    PolicyFactory(name="Fase I", start=date(2025, 11, 1), end=date(2025, 12, 1))
    response = add_policy(bkpsdm, "Fase II", "2025-12-01", "2026-12-31")
    assert response.status_code == 200
    assert (
        "Masa berlaku tumpang tindih dengan kebijakan Fase I (Sab, 1 Nov 2025 s.d. Sen, 1 Des 2025)"
        in response.content.decode()
    )
    assert Policy.objects.count() == 1


def test_admin_extends_a_policy_without_it_clashing_with_itself(bkpsdm):
    policy = PolicyFactory(name="Fase I", start=date(2025, 11, 1), end=date(2025, 12, 1))
    url = reverse("admin:scheduling_policy_change", args=[policy.pk])
    assert add_policy(bkpsdm, "Fase I", "2025-10-01", "2026-01-31", url=url).status_code == 302
    policy.refresh_from_db()
    assert (policy.start, policy.end) == (date(2025, 10, 1), date(2026, 1, 31))


def test_admin_shows_a_database_refusal_as_a_form_error_not_a_500(bkpsdm):
    # Validation that misses something (here: switched off) leaves the database's
    # constraint to refuse the write; the page says so instead of failing.
    budi = EmployeeFactory()
    with mock.patch.object(Leave, "full_clean"):
        response = add_leave(bkpsdm, budi, "2026-12-10", "2026-12-08")
    assert response.status_code == 200
    assert "ditolak oleh basis data (aturan leave_end_after_start)" in response.content.decode()
    assert not Leave.objects.exists()


@pytest.mark.postgres
def test_admin_shows_a_leave_that_raced_past_validation_as_a_form_error(postgres, bkpsdm):
    # Two BKPSDM users saving clashing leave at once both pass Leave.clean(); the
    # exclusion constraint refuses the second. Simulated by hiding the first from clean().
    budi = EmployeeFactory()
    LeaveFactory(employee=budi, start=date(2026, 12, 8), end=date(2026, 12, 10))
    with mock.patch("scheduling.models.first_overlap", return_value=None):
        response = add_leave(bkpsdm, budi, "2026-12-09", "2026-12-09")
    assert response.status_code == 200
    assert "baru saja disimpan oleh pengguna lain" in response.content.decode()
    assert Leave.objects.filter(employee=budi).count() == 1


@pytest.mark.postgres
def test_admin_shows_a_policy_that_raced_past_validation_as_a_form_error(postgres, bkpsdm):
    PolicyFactory(name="Fase I", start=date(2025, 11, 1), end=date(2025, 12, 1))
    with mock.patch("scheduling.models.first_overlap", return_value=None):
        response = add_policy(bkpsdm, "Fase II", "2025-12-01", "2026-12-31")
    assert response.status_code == 200
    assert "Kebijakan lain dengan masa berlaku yang tumpang tindih" in response.content.decode()
    assert Policy.objects.count() == 1


def test_the_policy_list_names_its_days_in_indonesian_not_by_their_stored_codes(bkpsdm):
    PolicyFactory(weekdays="tue,wed,thu,fri")
    listing = bkpsdm.get(reverse("admin:scheduling_policy_changelist")).content.decode()
    assert "Selasa, Rabu, Kamis, Jumat" in listing
    assert "tue,wed,thu,fri" not in listing
