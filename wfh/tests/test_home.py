import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from opd.models import Role
from opd.tests.factories import EmployeeFactory, OpdFactory

pytestmark = pytest.mark.django_db


def test_every_employee_lands_on_the_check_in_page(client, login):
    opd = OpdFactory()
    for role in (Role.ASN, Role.HEAD, Role.BKPSDM):
        login(EmployeeFactory(opd=opd, role=role).user)
        assert client.get(reverse("home")).url == reverse("attendance:check-in")
        client.logout()


def test_superuser_without_employee_record_lands_on_the_opd_list(client, login):
    login(get_user_model().objects.create_superuser("admin", password="x-Secret-9"))
    assert client.get(reverse("home")).url == reverse("opd:opd-list")


def test_anonymous_home_goes_to_login(client):
    assert client.get(reverse("home")).url == reverse("login")
