"""Admin pages for BKPSDM: list pages do not query per row; the password page works."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from opd.models import Role

from .factories import EmployeeFactory, ServicePostFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def bkpsdm(login):
    return login(EmployeeFactory(role=Role.BKPSDM).user)


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("model", ["employee", "servicepost", "opd"])
def test_changelist_query_count_does_not_grow_with_rows(bkpsdm, model):
    url = reverse(f"admin:opd_{model}_changelist")
    post = ServicePostFactory()
    EmployeeFactory.create_batch(3, post=post)
    few = count_queries(bkpsdm, url)
    for _ in range(5):
        post = ServicePostFactory()
        EmployeeFactory.create_batch(5, post=post)
    assert count_queries(bkpsdm, url) == few


def test_employee_search_by_nip_and_name(bkpsdm):
    budi = EmployeeFactory(name="Budi Santoso")
    EmployeeFactory(name="Siti Aminah")
    url = reverse("admin:opd_employee_changelist")
    assert "Budi Santoso" in bkpsdm.get(url, {"q": budi.nip}).content.decode()
    body = bkpsdm.get(url, {"q": "aminah"}).content.decode()
    assert "Siti Aminah" in body and "Budi Santoso" not in body


def test_bkpsdm_sets_a_password_the_employee_can_log_in_with(bkpsdm, client):
    employee = EmployeeFactory()
    assert not employee.user.has_usable_password()
    url = reverse("admin:opd_employee_password", args=[employee.pk])
    response = bkpsdm.post(url, {"password1": "Rahasia-Kantor-9", "password2": "Rahasia-Kantor-9"})
    assert response.status_code == 302
    employee.user.refresh_from_db()
    assert employee.user.check_password("Rahasia-Kantor-9")


def test_bkpsdm_cannot_take_over_a_superuser_account(bkpsdm):
    target = EmployeeFactory()
    target.user.is_superuser = True
    target.user.save()
    url = reverse("admin:opd_employee_password", args=[target.pk])
    assert bkpsdm.get(url).status_code == 403


def test_adding_an_employee_in_the_admin_creates_the_login_account(bkpsdm):
    post = ServicePostFactory()
    response = bkpsdm.post(
        reverse("admin:opd_employee_add"),
        {
            "nip": "198504122010011003",
            "name": "Budi",
            "opd": post.opd.pk,
            "post": post.pk,
            "wfh_eligible": "on",
            "role": "asn",
            "active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    from opd.models import Employee

    employee = Employee.objects.select_related("user").get(nip="198504122010011003")
    assert employee.user.username == employee.nip and not employee.user.is_staff


def test_admin_form_rejects_a_post_of_another_opd_and_a_bad_nip(bkpsdm):
    post = ServicePostFactory()
    other = ServicePostFactory()
    response = bkpsdm.post(
        reverse("admin:opd_employee_add"),
        {
            "nip": "198513122010011003",
            "name": "X",
            "opd": post.opd.pk,
            "post": other.pk,
            "role": "asn",
            "active": "on",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Tanggal lahir pada NIP" in body
