"""Organisation pages: scoped to the viewer, constant query counts."""

import pytest
from django.urls import reverse

from opd.models import Role

from .factories import EmployeeFactory, OpdFactory, ServicePostFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def opd():
    return OpdFactory(name="Dinas Komunikasi dan Informatika")


def test_deactivated_employee_is_logged_out(client, login):
    employee = EmployeeFactory()
    login(employee.user)
    employee.user.is_active = False
    employee.user.save()
    assert client.get(reverse("opd:profile")).url.startswith(reverse("login"))


def test_account_without_employee_record_sees_why(client, login):
    from django.contrib.auth import get_user_model

    login(get_user_model().objects.create_user("operator", password="x"))
    response = client.get(reverse("home"))
    assert response.status_code == 403
    assert "belum terhubung dengan data pegawai yang aktif" in response.content.decode()


def test_profile_shows_only_the_viewers_own_data(client, login, opd):
    me = EmployeeFactory(opd=opd, name="Teguh Rahmawati")
    EmployeeFactory(opd=opd, name="Orang Lain")
    body = login(me.user).get(reverse("opd:profile")).content.decode()
    assert "Teguh Rahmawati" in body and me.nip in body and "Orang Lain" not in body


def test_head_sees_own_opd_staff_and_posts(client, login, opd):
    head = EmployeeFactory(opd=opd, role=Role.HEAD)
    post = ServicePostFactory(opd=opd, name="Layanan Aduan Warga", min_onsite=2)
    EmployeeFactory(opd=opd, post=post, name="Dewi Lestari")
    body = login(head.user).get(reverse("opd:opd-detail", args=[opd.code])).content.decode()
    assert "Layanan Aduan Warga" in body and "Dewi Lestari" in body


def test_head_of_another_opd_gets_404_without_its_data(client, login, opd):
    EmployeeFactory(opd=opd, name="Dewi Lestari")
    stranger = EmployeeFactory(role=Role.HEAD)
    response = login(stranger.user).get(reverse("opd:opd-detail", args=[opd.code]))
    assert response.status_code == 404
    assert "Dewi Lestari" not in response.content.decode()
    assert opd.name not in response.content.decode()


def test_head_opd_list_holds_only_their_opd(client, login, opd):
    other = OpdFactory(name="Dinas Lain Sekali")
    head = EmployeeFactory(opd=opd, role=Role.HEAD)
    body = login(head.user).get(reverse("opd:opd-list")).content.decode()
    assert opd.name in body and other.name not in body


def test_opd_detail_query_count_is_constant(client, login, opd, django_assert_num_queries):
    head = EmployeeFactory(opd=opd, role=Role.HEAD)
    login(head.user)
    url = reverse("opd:opd-detail", args=[opd.code])

    def fill(n):
        post = ServicePostFactory(opd=opd)
        EmployeeFactory.create_batch(n, opd=opd, post=post)

    for n in (2, 40):
        fill(n)
        # session, user+employee+OPD, the OPD, posts with staff counts,
        # employee count (paginator), one page of employees with their post, unread notices
        with django_assert_num_queries(7):
            assert client.get(url).status_code == 200


def test_opd_list_query_count_is_constant(client, login, django_assert_num_queries):
    login(EmployeeFactory(role=Role.BKPSDM).user)
    for n in (1, 15):
        for _ in range(n):
            EmployeeFactory(post=ServicePostFactory())
        # session, user+employee+OPD, OPDs with employee and post counts, unread notices
        with django_assert_num_queries(4):
            assert client.get(reverse("opd:opd-list")).status_code == 200


def test_a_form_refused_for_its_security_token_gets_the_apps_page_in_indonesian():
    """A check-in form left open past a new login is refused (403), with the app's page:
    what happened, that nothing was saved, and a link back to the form's page."""
    from django.test import Client

    employee = EmployeeFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(employee.user, backend="opd.auth.EmployeeBackend")
    form_page = "http://testserver" + reverse("attendance:check-in")
    response = client.post(reverse("attendance:check-in"), {"action": "in"}, HTTP_REFERER=form_page)
    body = response.content.decode()
    assert response.status_code == 403
    assert "Formulir kedaluwarsa" in body and "Tidak ada yang tersimpan" in body
    assert f'href="{form_page}"' in body
    assert "DEBUG" not in body and "CSRF" not in body
    # Another site as the referrer is not linked back to.
    elsewhere = client.post(
        reverse("attendance:check-in"), {"action": "in"}, HTTP_REFERER="https://evil.example/x"
    ).content.decode()
    assert "evil.example" not in elsewhere
