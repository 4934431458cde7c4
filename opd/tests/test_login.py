"""Login with NIP and password, logout, password change, and the username lockout."""

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from .factories import EmployeeFactory

pytestmark = pytest.mark.django_db
PASSWORD = "Kantor-Bekasi-77"


@pytest.fixture
def employee():
    employee = EmployeeFactory()
    employee.user.set_password(PASSWORD)
    employee.user.save()
    return employee


def post_login(client, nip, password, ip="10.0.0.1"):
    return client.post(reverse("login"), {"username": nip, "password": password}, REMOTE_ADDR=ip)


def test_login_with_nip_and_password_lands_on_home(client, employee):
    response = post_login(client, employee.nip, PASSWORD)
    assert response.status_code == 302 and response.url == reverse("home")
    assert client.get(reverse("opd:profile")).status_code == 200


def test_login_tolerates_spaces_around_the_nip(client, employee):
    response = post_login(client, f"  {employee.nip} ", PASSWORD)
    assert response.status_code == 302


def test_wrong_password_says_so_in_indonesian_and_warns_about_lockout(client, employee):
    response = post_login(client, employee.nip, "salah-sekali")
    assert response.status_code == 200
    assert "NIP atau kata sandi salah" in response.content.decode()
    assert "dikunci selama 30 menit" in response.content.decode()


def test_inactive_employee_cannot_log_in(client, employee):
    employee.user.is_active = False
    employee.user.save()
    assert post_login(client, employee.nip, PASSWORD).status_code == 200
    assert "_auth_user_id" not in client.session


def test_logout_is_a_post(client, employee, login):
    login(employee.user)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response.url == reverse("login")
    assert "_auth_user_id" not in client.session


def test_five_failures_lock_the_nip_for_30_minutes_from_any_address(client, employee):
    for attempt in range(5):
        post_login(client, employee.nip, "salah", ip=f"10.0.0.{attempt + 1}")
    # The right password from yet another address is still refused: the lock is on the NIP.
    response = post_login(client, employee.nip, PASSWORD, ip="192.168.1.9")
    assert response.status_code == 429
    body = response.content.decode()
    assert "Akun dikunci sementara" in body and "30 menit" in body
    assert "_auth_user_id" not in client.session

    with time_machine.travel(timezone.now() + timezone.timedelta(minutes=31)):
        assert post_login(client, employee.nip, PASSWORD, ip="192.168.1.9").status_code == 302


def test_colleague_behind_the_same_nat_address_is_not_locked_out(client, employee):
    colleague = EmployeeFactory()
    colleague.user.set_password(PASSWORD)
    colleague.user.save()
    for _ in range(6):
        post_login(client, employee.nip, "salah", ip="10.1.1.1")
    assert post_login(client, colleague.nip, PASSWORD, ip="10.1.1.1").status_code == 302


def test_four_failures_then_success_resets_the_counter(client, employee):
    for _ in range(4):
        post_login(client, employee.nip, "salah")
    assert post_login(client, employee.nip, PASSWORD).status_code == 302
    client.post(reverse("logout"))
    for _ in range(4):
        post_login(client, employee.nip, "salah")
    assert post_login(client, employee.nip, PASSWORD).status_code == 302


def change_password(client, new):
    return client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )


def test_password_change_refuses_the_nip(client, employee, login):
    login(employee.user)
    response = change_password(client, f"Aa-{employee.nip}-Zz")
    assert "Kata sandi tidak boleh memuat NIP Anda." in response.content.decode()
    response = change_password(client, employee.nip)
    assert response.status_code == 200
    employee.user.refresh_from_db()
    assert employee.user.check_password(PASSWORD)


def test_password_change_applies_djangos_validators(client, employee, login):
    login(employee.user)
    body = change_password(client, "12345678").content.decode()
    assert "Kata sandi ini seluruhnya terdiri dari angka." in body
    response = change_password(client, "Pelayanan-Publik-2026")
    assert response.status_code == 302
    employee.user.refresh_from_db()
    assert employee.user.check_password("Pelayanan-Publik-2026")


def test_login_page_is_in_indonesian_unless_english_is_chosen(client):
    body = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US").content.decode()
    assert "Masuk dengan NIP" in body and 'lang="id"' in body
    client.post(reverse("set_language"), {"language": "en", "next": "/accounts/login/"})
    body = client.get(reverse("login")).content.decode()
    assert 'lang="en"' in body
