"""The personal calendar feed: a person's expected days as an iCalendar (RFC 5545) file.

Each day comes from ``expected_days`` (``attendance.expected`` is the one home for
"what is expected of this person on this day"); nothing here reads roster entries.
A draft roster does not show: the feed says what attendance will be judged against,
which is the approved roster or, without one, the default WFO (marked as such).
Days off at weekends are left out. The file carries the schedule only: no place, no
home coordinates, no attendance record.

The address is the credential (``scheduling.feeds``): no login, 404 for any token
that is not an active one, and a fixed number of queries whatever the window.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import icalendar
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from scheduling.calendar import is_working_day
from scheduling.feeds import employee_for_token
from scheduling.models import Leave

from .expected import Expected, OffReason
from .selectors import expected_days

WEEKS_BACK = 4
WEEKS_AHEAD = 8
REFRESH = timedelta(hours=6)  # how often calendar apps are asked to fetch again
PRODID = "-//Jadwal WFH ASN//Kalender pribadi//ID"


@dataclass(frozen=True)
class FeedDay:
    date: date
    summary: str
    description: str = ""


def window(today: date) -> tuple[date, date]:
    """The days the feed covers: four weeks back to eight weeks ahead."""
    return today - timedelta(weeks=WEEKS_BACK), today + timedelta(weeks=WEEKS_AHEAD)


def _hours(day: Expected) -> str:
    if not day.hours:
        return ""
    start, end = day.hours
    return _("Jam kerja %(start)s–%(end)s WIB.") % {
        "start": start.strftime("%H.%M"),
        "end": end.strftime("%H.%M"),
    }


def feed_day(day: Expected) -> FeedDay | None:
    """The event of one expected day, or None for a day that shows nothing."""
    if day.working:
        if day.approved:
            return FeedDay(day.date, day.mode, _hours(day))
        note = _(
            "Belum ada roster yang disetujui untuk tanggal ini; aturan bawaannya bekerja "
            "di kantor (WFO)."
        )
        return FeedDay(day.date, _("WFO (bawaan)"), " ".join(filter(None, [note, _hours(day)])))
    if day.off_reason == OffReason.HOLIDAY:
        if day.off_detail:
            return FeedDay(day.date, _("Libur: %(name)s") % {"name": day.off_detail})
        return FeedDay(day.date, _("Libur"))
    if day.off_reason == OffReason.LEAVE and is_working_day(day.date):
        kinds = dict(Leave.Kind.choices)
        kind = kinds.get(day.off_detail, day.off_detail) or kinds[Leave.Kind.ANNUAL]
        return FeedDay(day.date, capfirst(str(kind)))
    return None  # a weekend, or leave running over one


def render_calendar(name: str, uid_key: str, days: Iterable[FeedDay], stamp: datetime) -> bytes:
    """The iCalendar file: one all-day event per day, with a UID stable per person
    and date so that calendar apps update an event instead of adding a second one."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", _("Jadwal WFH/WFO – %(name)s") % {"name": name})
    calendar.add("x-wr-timezone", "Asia/Jakarta")
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT6H")
    for day in days:
        event = icalendar.Event()
        event.add("uid", f"{uid_key}-{day.date:%Y%m%d}@jadwal-wfh")
        event.add("dtstamp", stamp)
        event.add("dtstart", day.date)
        event.add("dtend", day.date + timedelta(days=1))
        event.add("summary", day.summary)
        if day.description:
            event.add("description", day.description)
        event.add("transp", "TRANSPARENT")  # a schedule, not a meeting: never "busy"
        calendar.add_component(event)
    return calendar.to_ical()


@require_safe
def calendar_feed(request, token):
    """``/kalender/<token>.ics``: public by design (calendar apps cannot log in); the
    token is the credential. Three queries: the feed, the approved entries, leave."""
    employee = employee_for_token(token)
    if employee is None:
        raise Http404
    now = timezone.now()
    start, end = window(timezone.localdate(now))
    expected = expected_days(start=start, end=end, employee_id=employee.pk)
    days = []
    day = start
    while day <= end:
        shown = feed_day(expected.get(employee.pk, day))
        if shown is not None:
            days.append(shown)
        day += timedelta(days=1)
    response = HttpResponse(
        render_calendar(employee.name, f"pegawai-{employee.pk}", days, now),
        content_type="text/calendar; charset=utf-8",
    )
    response["Cache-Control"] = "private"
    response["Content-Disposition"] = 'inline; filename="jadwal.ics"'
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
