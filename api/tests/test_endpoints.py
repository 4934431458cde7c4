"""The read endpoints and the employee push."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from attendance.models import Attendance
from opd.models import Employee

from .conftest import Api

pytestmark = pytest.mark.django_db


def test_one_persons_schedule_is_the_approved_days_between_two_dates(org, make_key):
    _key, secret = make_key()
    person = org["people"][0]
    response = Api(secret).get(
        reverse("api:person-schedule", args=[person.nip]), start="2026-12-08", end="2026-12-20"
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["nip"], body["opd"]) == (person.nip, "DISDIK")
    assert [d["date"] for d in body["days"]] == [
        "2026-12-08",
        "2026-12-09",
        "2026-12-10",
        "2026-12-11",
    ]
    unknown = Api(secret).get(
        reverse("api:person-schedule", args=["123"]), start="2026-12-08", end="2026-12-20"
    )
    assert unknown.status_code == 404
    assert unknown.json() == {"detail": "Pegawai dengan NIP 123 tidak dikenal."}
    backwards = Api(secret).get(
        reverse("api:person-schedule", args=[person.nip]), start="2026-12-20", end="2026-12-08"
    )
    assert backwards.status_code == 400


def _attended(person, **fields):
    return Attendance.objects.create(
        employee=person,
        opd=person.opd,
        date=date(2026, 12, 8),
        mode="WFH",
        check_in_at=timezone.make_aware(timezone.datetime(2026, 12, 8, 7, 45)),
        in_lat=-6.3,
        in_lon=107.1,
        in_ip="10.1.2.3",
        **fields,
    )


def test_the_days_attendance_has_times_mode_and_grades_but_no_place_or_ip(org, make_key):
    _key, secret = make_key()
    person = org["people"][2]
    Employee.objects.filter(pk=person.pk).update(home_lat=-6.25, home_lon=107.0)
    _attended(person, tl_code="TL1", late_minutes=15)
    response = Api(secret).get(reverse("api:attendance"), opd="DISDIK", date="2026-12-08")
    assert response.status_code == 200
    text = response.content.decode()
    for secret_value in ("-6.3", "107.1", "10.1.2.3", "-6.25", "107.0"):
        assert secret_value not in text
    (row,) = [r for r in response.json()["rows"] if r["nip"] == person.nip]
    assert row["check_in_at"] == "2026-12-08T07:45:00+07:00"
    assert (row["mode"], row["tl"], row["late_minutes"], row["state"]) == ("WFH", "TL1", 15, "late")
    assert len(response.json()["rows"]) == 6
    assert Api(secret).get(reverse("api:attendance"), date="2026-12-08").status_code == 400


def test_the_months_recap_has_the_figures_of_the_recap_download(org, make_key):
    _key, secret = make_key()
    person = org["people"][2]
    _attended(person, tl_code="TL1", late_minutes=15)
    response = Api(secret).get(reverse("api:recap"), opd="DISDIK", month="2026-12")
    assert response.status_code == 200
    (row,) = [r for r in response.json()["rows"] if r["nip"] == person.nip]
    assert row["present"] == 1
    assert row["late"]["TL1"] == 1
    assert row["wfh_days"] == 1


def test_only_accepted_reports_of_the_month_are_given_for_e_kinerja(org, make_key):
    _key, secret = make_key()
    person = org["people"][2]
    _attended(person, report="Menyusun RKA", report_status=Attendance.Report.ACCEPTED)
    Attendance.objects.create(
        employee=person,
        opd=person.opd,
        date=date(2026, 12, 9),
        mode="WFH",
        check_in_at=timezone.now(),
        report="Belum dinilai",
        report_status=Attendance.Report.PENDING,
    )
    response = Api(secret).get(reverse("api:reports", args=[person.nip]), month="2026-12")
    assert response.status_code == 200
    assert [(r["date"], r["report"]) for r in response.json()["reports"]] == [
        ("2026-12-08", "Menyusun RKA")
    ]


def _employee(nip, **fields):
    return {
        "nip": nip,
        "name": "Siti Aminah",
        "opd_code": "DISDIK",
        "post_code": "",
        "wfh_eligible": True,
        "role": "asn",
        **fields,
    }


def test_employees_are_pushed_with_the_nip_checks_of_employees_csv_all_or_nothing(make_key):
    _key, secret = make_key()
    good = "198703122010012004"
    response = Api(secret).post(
        reverse("api:employees"),
        {"items": [_employee(good), _employee("19870312201001200"), _employee(good, role="boss")]},
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors[0].startswith("item 2: nip: ")
    assert any(e.startswith("item 3: role: ") for e in errors)
    assert not Employee.objects.filter(nip=good).exists()

    accepted = Api(secret).post(reverse("api:employees"), {"items": [_employee(good)]})
    assert accepted.status_code == 200, accepted.json()
    assert accepted.json()["created"] == 1
    assert Employee.objects.get(nip=good).opd.code == "DISDIK"


def test_a_body_that_is_not_json_answers_400_in_bahasa(make_key):
    _key, secret = make_key()
    response = Api(secret).client.post(
        reverse("api:employees"),
        "{oops",
        content_type="application/json",
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "Badan permintaan bukan JSON yang sah."}
