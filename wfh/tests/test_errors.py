"""Error pages: a database outage is a clean 503, other errors a plain 500."""

from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client

from opd.tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db


def test_database_down_is_a_503_page_without_a_stack_trace(login):
    client = Client(raise_request_exception=False)
    client.force_login(EmployeeFactory().user, backend="opd.auth.EmployeeBackend")
    with mock.patch(
        "attendance.views.today_state",
        side_effect=OperationalError('connection to server at "127.0.0.1", port 5432 failed'),
    ):
        response = client.get("/presensi/")
    body = response.content.decode()
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert "Layanan sedang tidak tersedia" in body
    for leak in ("Traceback", "OperationalError", "5432", "psycopg"):
        assert leak not in body


def test_other_errors_are_a_plain_500_page(login):
    client = Client(raise_request_exception=False)
    client.force_login(EmployeeFactory().user, backend="opd.auth.EmployeeBackend")
    with mock.patch("attendance.views.today_state", side_effect=RuntimeError("boom")):
        response = client.get("/presensi/")
    assert response.status_code == 500
    assert "Terjadi kesalahan pada server" in response.content.decode()
    assert "boom" not in response.content.decode()


def test_opening_a_button_address_directly_is_a_405_page_that_says_so(login):
    from django.urls import reverse

    client = Client()
    client.force_login(EmployeeFactory().user, backend="opd.auth.EmployeeBackend")
    response = client.get(reverse("notifications:mark-all-read"))
    assert response.status_code == 405 and response["Allow"] == "POST"
    body = response.content.decode()
    assert "Alamat ini hanya untuk tombol" in body and "Tidak ada yang diubah." in body
