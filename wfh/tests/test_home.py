import pytest
from django.urls import reverse

from opd.models import Role
from opd.tests.factories import EmployeeFactory, OpdFactory

pytestmark = pytest.mark.django_db


def test_home_sends_each_role_to_its_page(client, login):
    opd = OpdFactory()
    cases = [
        (Role.ASN, reverse("scheduling:my-schedule")),
        (Role.HEAD, reverse("scheduling:roster-index")),
        (Role.BKPSDM, reverse("opd:opd-list")),
    ]
    for role, target in cases:
        login(EmployeeFactory(opd=opd, role=role).user)
        assert client.get(reverse("home")).url == target
        client.logout()


def test_anonymous_home_goes_to_login(client):
    assert client.get(reverse("home")).url == reverse("login")
