"""The personal calendar feed (issue 12): turned on, replaced and off by the person
only, read by a calendar parser with the days ``expected_days`` answers."""

from datetime import date, timedelta

import icalendar
import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from attendance import ical
from attendance.config import config
from opd.tests.factories import EmployeeFactory
from scheduling import feeds
from scheduling.models import CalendarFeed, RosterStatus
from scheduling.tests.factories import LeaveFactory

from .conftest import HOME, assign

pytestmark = pytest.mark.django_db

TUESDAY, WEDNESDAY = date(2026, 12, 8), date(2026, 12, 9)
DEFAULT_MONDAY, DRAFT_TUESDAY = date(2026, 12, 14), date(2026, 12, 15)
SICK_WEDNESDAY, SATURDAY, CHRISTMAS = date(2026, 12, 16), date(2026, 12, 12), date(2026, 12, 25)


@pytest.fixture(autouse=True)
def _thursday_morning():
    """Today is Thursday 3 December 2026, 09:00 WIB."""
    with time_machine.travel("2026-12-03 09:00 +0700", tick=False):
        yield


@pytest.fixture
def person(opd):
    employee = EmployeeFactory(opd=opd, name="Teguh Rahmawati", home_lat=HOME[0], home_lon=HOME[1])
    assign(employee, TUESDAY, "WFH")
    assign(employee, WEDNESDAY, "WFO", reason="rotation_wfo")
    assign(employee, DRAFT_TUESDAY, "WFH", status=RosterStatus.DRAFT)
    LeaveFactory(employee=employee, start=SICK_WEDNESDAY, end=SICK_WEDNESDAY, kind="sakit")
    return employee


def feed_url(token):
    return reverse("attendance:calendar-ics", kwargs={"token": token})


def parse(response):
    assert response.status_code == 200
    return icalendar.Calendar.from_ical(response.content)


def events_by_day(calendar):
    return {event["DTSTART"].dt: event for event in calendar.walk("VEVENT")}


def test_the_feed_opens_in_a_calendar_parser_with_the_persons_days(client, person):
    response = client.get(feed_url(feeds.turn_on(person)))

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "private"
    calendar = parse(response)
    assert str(calendar["X-WR-CALNAME"]) == "Jadwal WFH/WFO – Teguh Rahmawati"
    assert str(calendar["X-WR-TIMEZONE"]) == "Asia/Jakarta"
    days = events_by_day(calendar)
    assert str(days[TUESDAY]["SUMMARY"]) == "WFH"
    assert str(days[WEDNESDAY]["SUMMARY"]) == "WFO"
    # No approved roster: the default office day, said to be the default.
    assert str(days[DEFAULT_MONDAY]["SUMMARY"]) == "WFO (bawaan)"
    assert "Belum ada roster yang disetujui" in str(days[DEFAULT_MONDAY]["DESCRIPTION"])
    # A draft roster is not what attendance is judged against: it does not show.
    assert str(days[DRAFT_TUESDAY]["SUMMARY"]) == "WFO (bawaan)"
    assert str(days[SICK_WEDNESDAY]["SUMMARY"]) == "Cuti sakit"
    assert str(days[CHRISTMAS]["SUMMARY"]) == "Libur: Hari Raya Natal"
    assert SATURDAY not in days
    # All-day events, over four weeks back and eight ahead of today (3 December).
    assert days[TUESDAY]["DTEND"].dt == TUESDAY + timedelta(days=1)
    assert min(days) == date(2026, 11, 5)
    assert max(days) == date(2027, 1, 28)
    assert all(str(event["TRANSP"]) == "TRANSPARENT" for event in days.values())


def test_the_feed_holds_the_schedule_and_nothing_about_where_the_person_lives(client, person):
    body = client.get(feed_url(feeds.turn_on(person))).content.decode()

    assert person.nip not in body
    assert str(HOME[0]) not in body and str(HOME[1]) not in body
    assert "GEO" not in body and "LOCATION" not in body


def test_event_uids_stay_the_same_across_fetches_and_differ_per_day_and_person(client, person, opd):
    url = feed_url(feeds.turn_on(person))
    first = {e["DTSTART"].dt: str(e["UID"]) for e in parse(client.get(url)).walk("VEVENT")}
    with time_machine.travel("2026-12-04 09:00 +0700", tick=False):
        second = {e["DTSTART"].dt: str(e["UID"]) for e in parse(client.get(url)).walk("VEVENT")}
    colleague = EmployeeFactory(opd=opd)
    other = {
        e["DTSTART"].dt: str(e["UID"])
        for e in parse(client.get(feed_url(feeds.turn_on(colleague)))).walk("VEVENT")
    }

    assert all(second[day] == uid for day, uid in first.items() if day in second)
    assert len(set(first.values())) == len(first)
    assert not set(first.values()) & set(other.values())


def test_a_new_address_stops_the_old_one(client, person):
    client.force_login(person.user, backend="opd.auth.EmployeeBackend")
    client.post(reverse("scheduling:calendar-feed-on"))
    old = client.session[feeds_session_key()]
    client.get(reverse("scheduling:calendar-feed"))

    client.post(reverse("scheduling:calendar-feed-on"))
    new = client.session[feeds_session_key()]

    anonymous = Client()
    assert anonymous.get(feed_url(old)).status_code == 404
    assert anonymous.get(feed_url(new)).status_code == 200
    assert CalendarFeed.objects.filter(employee=person).count() == 1


def test_turning_the_feed_off_makes_its_address_answer_404_with_nothing_in_it(client, person):
    token = feeds.turn_on(person)
    client.force_login(person.user, backend="opd.auth.EmployeeBackend")

    response = client.post(reverse("scheduling:calendar-feed-off"), follow=True)

    assert "Kalender pribadi dimatikan" in response.content.decode()
    gone = Client().get(feed_url(token))
    assert gone.status_code == 404
    assert b"VCALENDAR" not in gone.content and person.name.encode() not in gone.content


def test_the_address_is_shown_once_and_never_stored(client, person):
    client.force_login(person.user, backend="opd.auth.EmployeeBackend")

    shown = client.post(reverse("scheduling:calendar-feed-on"), follow=True).content.decode()
    feed = CalendarFeed.objects.get(employee=person)
    token = next(t for t in shown.split('"') if t.startswith("http") and t.endswith(".ics"))
    token = token.rsplit("/", 1)[1].removesuffix(".ics")
    again = client.get(reverse("scheduling:calendar-feed")).content.decode()

    assert f"webcal://testserver/kalender/{token}.ics" in shown
    assert feed.token_hash == feeds.hash_token(token) and token not in feed.token_hash
    assert token not in again
    assert "Aktif" in again and "Buat alamat baru" in again


def test_a_person_cannot_manage_or_see_anyone_elses_feed(client, person, opd):
    token = feeds.turn_on(person)
    colleague = EmployeeFactory(opd=opd, name="Sri Wahyuni")
    client.force_login(colleague.user, backend="opd.auth.EmployeeBackend")

    client.post(reverse("scheduling:calendar-feed-off"))
    client.post(reverse("scheduling:calendar-feed-on"))
    page = client.get(reverse("scheduling:calendar-feed")).content.decode()

    assert Client().get(feed_url(token)).status_code == 200
    assert CalendarFeed.objects.get(employee=person).token_hash == feeds.hash_token(token)
    assert "Teguh" not in page


def test_turning_the_feed_on_or_off_needs_the_csrf_token(person):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(person.user, backend="opd.auth.EmployeeBackend")

    assert strict.post(reverse("scheduling:calendar-feed-on")).status_code == 403
    assert not CalendarFeed.objects.filter(employee=person).exists()


def test_the_feed_of_someone_who_left_answers_404(client, person):
    token = feeds.turn_on(person)
    person.active = False
    person.save()

    assert client.get(feed_url(token)).status_code == 404


@pytest.mark.parametrize(
    ("token", "status"),
    [
        ("x", 404),
        ("a" * 43, 404),
        ("a" * 5000, 404),
        ("é" * 43, 404),
        ("..%2F..%2Fetc", 404),
        ("' OR 1=1 --" + "a" * 32, 404),
        ("A" * 42 + "=", 404),
        ("%00" * 15, 400),  # a NUL byte is refused before any view (RejectNulMiddleware)
    ],
)
def test_a_garbage_token_answers_404_never_a_500(client, person, token, status):
    feeds.turn_on(person)

    response = client.get(f"/kalender/{token}.ics")

    assert response.status_code == status
    assert b"BEGIN:VCALENDAR" not in response.content


def test_the_feed_runs_three_queries_whatever_the_window(
    client, person, django_assert_num_queries, monkeypatch
):
    url = feed_url(feeds.turn_on(person))
    config()  # cached per process (attendance.config), as on a running server

    with django_assert_num_queries(3):
        short = parse(client.get(url))
    monkeypatch.setattr(ical, "WEEKS_AHEAD", 52)
    with django_assert_num_queries(3):
        long = parse(client.get(url))

    assert len(long.walk("VEVENT")) > len(short.walk("VEVENT")) + 150


def feeds_session_key():
    from scheduling.feed_views import SESSION_KEY

    return SESSION_KEY
