"""The check-in reminder: only to people expected today who have not checked in."""

from datetime import date, datetime

import pytest
from django.urls import reverse

from attendance.services import check_in, remind_check_in
from notifications.models import Notification, Preference
from opd.tests.factories import EmployeeFactory
from scheduling.tests.factories import LeaveFactory

from .conftest import assign

pytestmark = pytest.mark.django_db
TUESDAY = date(2026, 12, 8)
SATURDAY = date(2026, 12, 12)


def reminded():
    return set(
        Notification.objects.filter(kind="checkin_reminder").values_list("recipient_id", flat=True)
    )


def test_only_those_expected_and_not_yet_in_are_reminded_once(opd):
    waiting = EmployeeFactory(opd=opd, name="Belum Masuk")
    assign(waiting, TUESDAY, "WFH")
    arrived = EmployeeFactory(opd=opd)
    assign(arrived, TUESDAY, "WFO")
    check_in(employee=arrived, now=datetime.fromisoformat("2026-12-08T07:10+07:00"))
    on_leave = EmployeeFactory(opd=opd)
    LeaveFactory(employee=on_leave, start=TUESDAY, end=TUESDAY)
    opted_out = EmployeeFactory(opd=opd)
    Preference.objects.create(user=opted_out.user, reminders=False)
    no_roster = EmployeeFactory(opd=opd)  # no approved roster: the default, WFO

    assert remind_check_in(day=TUESDAY) == 2
    assert reminded() == {waiting.user_id, no_roster.user_id}
    notice = Notification.objects.get(recipient=waiting.user)
    assert notice.title_text == "Anda belum presensi masuk hari ini"
    assert notice.url == reverse("attendance:check-in")
    assert remind_check_in(day=TUESDAY) == 0  # the beat fired twice: nobody hears it again


def test_nobody_is_reminded_on_a_weekend(opd):
    EmployeeFactory.create_batch(3, opd=opd)
    assert remind_check_in(day=SATURDAY) == 0 and not reminded()


def test_the_profile_turns_the_reminder_off_and_on(client, login, opd):
    person, colleague = EmployeeFactory(opd=opd), EmployeeFactory(opd=opd)
    login(person.user)
    page = client.get(reverse("opd:profile")).content.decode()
    assert 'name="reminders" checked' in page
    answer = client.post(reverse("notifications:reminders"), follow=True)
    assert "Pengingat presensi dimatikan." in answer.content.decode()
    assert 'name="reminders" checked' not in answer.content.decode()
    assert remind_check_in(day=TUESDAY) == 1
    assert reminded() == {colleague.user_id}
    client.post(reverse("notifications:reminders"), {"reminders": "on"})
    assert Preference.objects.get(user=person.user).reminders is True
