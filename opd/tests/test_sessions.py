"""Session lifetime by role: long for an ASN, a working day for heads, BKPSDM, admins."""

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from opd.models import Role

from .factories import EmployeeFactory

pytestmark = pytest.mark.django_db
PASSWORD = "Kantor-Bekasi-77"
HOUR = 60 * 60
DAY = 24 * HOUR
START = "2026-12-08T07:00:00+07:00"


def with_password(user):
    user.set_password(PASSWORD)
    user.save()
    return user


def log_in(client, user, path="login"):
    response = client.post(reverse(path), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    return response


def employee(role=Role.ASN):
    return with_password(EmployeeFactory(role=role).user)


def superuser():
    return with_password(
        get_user_model().objects.create_superuser("admin-bkpsdm", "admin@bekasikota.go.id")
    )


@pytest.mark.parametrize(
    ("make", "age"),
    [
        (lambda: employee(Role.ASN), 14 * DAY),
        (lambda: employee(Role.HEAD), 8 * HOUR),
        (lambda: employee(Role.BKPSDM), 8 * HOUR),
        (superuser, 8 * HOUR),
    ],
    ids=["asn", "head", "bkpsdm", "superuser-without-employee"],
)
def test_login_sets_the_lifetime_of_the_role(client, make, age):
    response = log_in(client, make())
    assert client.session.get_expiry_age() == age
    assert int(response.cookies["sessionid"]["max-age"]) == age


def test_the_admin_login_gets_the_short_lifetime_too(client):
    log_in(client, superuser(), path="admin:login")
    assert client.session.get_expiry_age() == 8 * HOUR


def test_lifetimes_come_from_the_settings(client, settings):
    settings.SESSION_AGE_ASN_SECONDS = 3 * DAY
    settings.SESSION_AGE_STAFF_SECONDS = 600
    log_in(client, employee(Role.ASN))
    assert client.session.get_expiry_age() == 3 * DAY
    client.post(reverse("logout"))
    log_in(client, employee(Role.HEAD))
    assert client.session.get_expiry_age() == 600


def profile_status(client) -> int:
    return client.get(reverse("opd:profile")).status_code


@pytest.mark.parametrize("role", [Role.HEAD, Role.BKPSDM])
def test_a_staff_session_is_over_after_eight_hours(client, role):
    with time_machine.travel(START, tick=False) as clock:
        log_in(client, employee(role))
        assert profile_status(client) == 200
        clock.shift(timezone.timedelta(hours=7, minutes=59))
        assert profile_status(client) == 200
        clock.shift(timezone.timedelta(minutes=2))
        response = client.get(reverse("opd:profile"))
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_an_asn_session_lasts_fourteen_days(client):
    with time_machine.travel(START, tick=False) as clock:
        log_in(client, employee(Role.ASN))
        clock.shift(timezone.timedelta(days=13, hours=23))
        assert profile_status(client) == 200
        clock.shift(timezone.timedelta(hours=2))
        assert profile_status(client) == 302
