"""The attendance admin speaks Bahasa Indonesia: no English field names, people by name."""

import re

import pytest
import time_machine
from django.urls import reverse

from attendance.models import Attendance
from attendance.services import correct_attendance, mark_absent
from opd.models import Role
from opd.tests.factories import EmployeeFactory, OpdFactory

from .conftest import TUESDAY

pytestmark = pytest.mark.django_db


@time_machine.travel("2026-12-10 10:00 +0700", tick=False)
def test_attendance_list_and_record_have_indonesian_labels_and_names(login, opd, wfo_asn):
    rina = EmployeeFactory(role=Role.BKPSDM, opd=OpdFactory(code="BKPSDM"), name="Rina Sihombing")
    client = login(rina.user)
    mark_absent(day=TUESDAY)
    record = Attendance.objects.get(employee=wfo_asn)
    correct_attendance(
        attendance=record, changes={"mode": "WFH"}, user=rina.user, note="Salah catat"
    )
    listing = client.get(reverse("admin:attendance_attendance_changelist")).content.decode()
    headers = " ".join(re.findall(r'<th scope="col"[^>]*>(.*?)</th>', listing, re.S))
    assert "Pegawai" in headers and "OPD" in headers
    assert "Employee" not in listing and "Berdasarkan opd" not in listing
    assert "Dewi Lestari" in listing
    page = client.get(reverse("admin:attendance_attendance_change", args=[record.pk]))
    body = page.content.decode()
    for label in ("Pegawai", "Lokasi masuk", "Lokasi pulang", "Ditinjau oleh", "Diubah oleh"):
        assert label in body, label
    for english in ("Employee", "In lat", "Reviewed by", "Changed by"):
        assert english not in body, english
    assert "Rina Sihombing<br><small>NIP " in body


def test_the_admin_landmarks_a_screen_reader_announces_are_in_indonesian(login, opd):
    # Django's own Indonesian catalogue leaves "Breadcrumbs" and "Sidebar" in English;
    # ours (locale/id) gives them.
    rina = EmployeeFactory(role=Role.BKPSDM, opd=OpdFactory(code="BKPSDM"))
    listing = login(rina.user).get(reverse("admin:attendance_attendance_changelist"))
    labels = re.findall(r'aria-label="([^"]*)"', listing.content.decode())
    assert {"Jejak navigasi", "Bilah samping"} <= set(labels)
    assert not {"Breadcrumbs", "Sidebar"} & set(labels)
