"""What is expected of a person on a date. Pure: plain data in, an ``Expected`` out.

``expected_day`` answers in this order, the first that applies:

1. an entry of an **approved** roster: its mode (WFO, WFH, WFA), or a day off when the
   roster says ``HOLIDAY`` or ``LEAVE``; a draft or rejected roster does not count;
2. a holiday (national, cuti bersama, or the region's extra days): a day off;
3. leave recorded for the person: a day off;
4. Saturday and Sunday: a day off;
5. otherwise the documented default: **WFO**, not from a roster (``approved`` is
   False), so a week whose roster was never built or approved is an office week.

The working hours that apply (a dated schedule such as Ramadan first) come with every
working day. Every page and task that asks "what should this person be doing today"
(the check-in page, the nightly absence marking, Kehadiran saya, the OPD day page and
the recap) calls this function through ``attendance.selectors.expected_days``.
"""

from dataclasses import dataclass, field
from datetime import date, time

from scheduling.calendar import is_working_day
from scheduling.roster import HOLIDAY, LEAVE, WFA, WFH, WFO

DEFAULT_MODE = WFO
REMOTE_MODES = (WFH, WFA)


class OffReason:
    WEEKEND = "weekend"
    HOLIDAY = "holiday"
    LEAVE = "leave"


@dataclass(frozen=True)
class PlannedDay:
    """An approved roster's entry for the person and date."""

    mode: str
    reason: str = ""
    args: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Expected:
    date: date
    working: bool
    mode: str = ""  # WFO, WFH or WFA on a working day
    approved: bool = False  # the answer comes from an approved roster
    off_reason: str = ""  # OffReason on a day off
    off_detail: str = ""  # the holiday's name or the kind of leave
    reason: str = ""  # the roster's reason code (scheduling.reasons)
    reason_args: dict = field(default_factory=dict)
    hours: tuple[time, time] | None = None  # (start, end) on a working day, if configured

    @property
    def remote(self) -> bool:
        return self.mode in REMOTE_MODES

    @property
    def calendar_mode(self) -> str:
        """The day as a roster cell reads: the mode, or ``HOLIDAY``/``LEAVE``/``""``."""
        if self.working:
            return self.mode
        return {OffReason.HOLIDAY: HOLIDAY, OffReason.LEAVE: LEAVE}.get(self.off_reason, "")


def expected_day(
    day: date,
    *,
    planned: PlannedDay | None,
    holiday: str | None,
    leave_kind: str | None,
    hours: tuple[time, time] | None,
) -> Expected:
    """What is expected on ``day``; see the module docstring for the order."""
    if planned is not None:
        if planned.mode == HOLIDAY:
            return Expected(
                day,
                False,
                approved=True,
                off_reason=OffReason.HOLIDAY,
                off_detail=planned.args.get("name", holiday or ""),
            )
        if planned.mode == LEAVE:
            return Expected(
                day,
                False,
                approved=True,
                off_reason=OffReason.LEAVE,
                off_detail=planned.args.get("kind", leave_kind or ""),
            )
        return Expected(
            day,
            True,
            planned.mode,
            True,
            reason=planned.reason,
            reason_args=planned.args,
            hours=hours,
        )
    if holiday:
        return Expected(day, False, off_reason=OffReason.HOLIDAY, off_detail=holiday)
    if leave_kind:
        return Expected(day, False, off_reason=OffReason.LEAVE, off_detail=leave_kind)
    if not is_working_day(day):
        return Expected(day, False, off_reason=OffReason.WEEKEND)
    return Expected(day, True, DEFAULT_MODE, False, hours=hours)
