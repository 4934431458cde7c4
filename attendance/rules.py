"""Attendance rules: lateness grades and location plausibility flags. Pure.

Lateness counts whole minutes after the start of the working day (07:30:59 is on
time, 07:31:00 is one minute late); leaving early counts whole minutes before its
end. A grade is the band whose range holds the minutes (TL1 1-30, TL2 31-60, TL3
61-90, TL4 over 90 by default); no check-in at all is the highest TL band, no
check-out the highest PSW band, as TPP deductions count them.

Flags are recorded for a person to review, never used to refuse a check-in. Each is
``{"code": ..., "args": {...}}`` so it can be shown in the reader's language.
"""

from dataclasses import dataclass
from datetime import datetime, time

from opd.geo import distance_m
from scheduling.roster import WFH, WFO

NO_LOCATION = "no_location"
OUTSIDE_OFFICE = "outside_office"
FAR_FROM_HOME = "far_from_home"
POOR_ACCURACY = "poor_accuracy"
ZERO_ACCURACY = "zero_accuracy"
SHARED_COORDINATES = "shared_coordinates"
CHECKOUT_FAR = "checkout_far"
NO_REFERENCE = "no_reference"  # nothing to compare the position with


@dataclass(frozen=True)
class Band:
    code: str
    low: int
    high: int | None  # None: open-ended (the highest band)
    deduction: float = 0.0  # TPP deduction per occurrence, percent


@dataclass(frozen=True)
class Position:
    lat: float
    lon: float
    accuracy: float | None = None


@dataclass(frozen=True)
class Place:
    lat: float
    lon: float
    radius_m: float


@dataclass(frozen=True)
class Thresholds:
    poor_accuracy_m: float = 100
    home_radius_m: float = 1000
    checkout_jump_m: float = 2000


def late_minutes(check_in: datetime, start: time) -> int:
    """Whole minutes after ``start`` (both local wall-clock), 0 when on time."""
    begin = check_in.replace(hour=start.hour, minute=start.minute, second=0, microsecond=0)
    return max(0, int((check_in - begin).total_seconds() // 60))


def early_minutes(check_out: datetime, end: time) -> int:
    """Whole minutes before ``end`` (both local wall-clock), 0 when on time or later."""
    finish = check_out.replace(hour=end.hour, minute=end.minute, second=0, microsecond=0)
    return max(0, int((finish - check_out).total_seconds() // 60))


def grade(minutes: int, bands: list[Band]) -> str:
    """The band code for ``minutes`` late or early; ``""`` when 0 or below every band."""
    if minutes <= 0:
        return ""
    for band in sorted(bands, key=lambda b: b.low):
        if minutes >= band.low and (band.high is None or minutes <= band.high):
            return band.code
    return ""


def worst(bands: list[Band]) -> str:
    """The highest band: what a missing check-in (TL) or check-out (PSW) counts as."""
    return max(bands, key=lambda b: (b.high is None, b.low)).code if bands else ""


@dataclass(frozen=True)
class Grades:
    late_minutes: int
    tl_code: str
    early_minutes: int
    psw_code: str


def grade_day(
    *,
    absent: bool,
    check_in: datetime | None,
    check_out: datetime | None,
    hours: tuple[time, time] | None,
    late_bands,
    early_bands,
    day_over: bool,
) -> Grades:
    """TL and PSW for a day's record; times are local wall-clock.

    Absent: both at their worst grade, 0 minutes. Present: TL from the check-in; PSW
    from the check-out, or, without one, the worst PSW once the day is over (a
    forgotten check-out) and nothing while it goes on. No working hours: no grade.
    The one place grades are decided: check-in, check-out, corrections, the nightly
    task and the demo data all call it.
    """
    if absent:
        return Grades(0, worst(late_bands), 0, worst(early_bands))
    late = late_minutes(check_in, hours[0]) if hours and check_in else 0
    if check_out is not None:
        early = early_minutes(check_out, hours[1]) if hours else 0
        psw = grade(early, early_bands)
    else:
        early, psw = 0, worst(early_bands) if day_over else ""
    return Grades(late, grade(late, late_bands), early, psw)


# A check-out this many minutes or more before the end of the working day is asked
# "are you sure?" first: one tap too early costs a PSW grade that cannot be undone.
EARLY_CHECK_OUT_CONFIRM_MINUTES = 30
# A check-in more than this many minutes before the working day starts, or any time
# after it ends, is far outside working hours and says so (it is never refused).
OUT_OF_HOURS_MARGIN_MINUTES = 120


def needs_early_confirmation(grades: Grades) -> bool:
    """Whether a check-out with these grades is early enough to be asked about first
    (more than ``EARLY_CHECK_OUT_CONFIRM_MINUTES`` before the end of working hours)."""
    return grades.early_minutes > EARLY_CHECK_OUT_CONFIRM_MINUTES


@dataclass(frozen=True)
class OutOfHours:
    before: bool  # True: before the working day starts; False: after it ends
    minutes: int  # whole minutes before the start or after the end


def out_of_hours(
    moment: datetime, hours: tuple[time, time] | None, margin: int = OUT_OF_HOURS_MARGIN_MINUTES
) -> OutOfHours | None:
    """Whether ``moment`` (local wall-clock) is far outside the day's working ``hours``:
    more than ``margin`` minutes before they start, or after they end. None inside them,
    shortly before them, or on a day without working hours."""
    if not hours:
        return None
    start = moment.replace(hour=hours[0].hour, minute=hours[0].minute, second=0, microsecond=0)
    end = moment.replace(hour=hours[1].hour, minute=hours[1].minute, second=0, microsecond=0)
    if moment < start:
        before = int((start - moment).total_seconds() // 60)
        return OutOfHours(True, before) if before > margin else None
    after = int((moment - end).total_seconds() // 60)
    return OutOfHours(False, after) if after >= 1 else None


def _flag(code: str, **args) -> dict:
    return {"code": code, "args": args}


def _accuracy_flags(position: Position, thresholds: Thresholds) -> list[dict]:
    if position.accuracy is None:
        return []
    if position.accuracy == 0:
        # Real receivers always report some uncertainty; 0 is what fake-GPS apps send.
        return [_flag(ZERO_ACCURACY)]
    if position.accuracy > thresholds.poor_accuracy_m:
        return [
            _flag(
                POOR_ACCURACY,
                accuracy_m=round(position.accuracy),
                limit_m=round(thresholds.poor_accuracy_m),
            )
        ]
    return []


def check_in_flags(
    *,
    mode: str,
    position: Position | None,
    office: Place | None,
    home: tuple[float, float] | None,
    thresholds: Thresholds,
) -> list[dict]:
    """Flags for a check-in: no location; a WFO check-in outside the office geofence; a
    WFH check-in far from the registered home; no office position (WFO) or no registered
    home (WFH) to compare with; poor or zero accuracy. WFA has no place."""
    if position is None:
        return [_flag(NO_LOCATION)]
    flags = _accuracy_flags(position, thresholds)
    if (mode == WFO and office is None) or (mode == WFH and home is None):
        flags.append(_flag(NO_REFERENCE, place="office" if mode == WFO else "home"))
    if mode == WFO and office is not None:
        away = distance_m(position.lat, position.lon, office.lat, office.lon)
        if away > office.radius_m:
            flags.append(
                _flag(OUTSIDE_OFFICE, distance_m=round(away), limit_m=round(office.radius_m))
            )
    if mode == WFH and home is not None:
        away = distance_m(position.lat, position.lon, *home)
        if away > thresholds.home_radius_m:
            flags.append(
                _flag(
                    FAR_FROM_HOME, distance_m=round(away), limit_m=round(thresholds.home_radius_m)
                )
            )
    return flags


def check_out_flags(
    *, check_in: Position | None, position: Position | None, thresholds: Thresholds
) -> list[dict]:
    """Flags for a check-out: no location, poor accuracy, far from where they checked in."""
    if position is None:
        return [_flag(NO_LOCATION, at="out")]
    flags = [
        {**f, "args": {**f["args"], "at": "out"}} for f in _accuracy_flags(position, thresholds)
    ]
    if check_in is not None:
        away = distance_m(check_in.lat, check_in.lon, position.lat, position.lon)
        if away > thresholds.checkout_jump_m:
            flags.append(
                _flag(
                    CHECKOUT_FAR, distance_m=round(away), limit_m=round(thresholds.checkout_jump_m)
                )
            )
    return flags


def shared_coordinates_suspicious(mode: str, flags: list[dict]) -> bool:
    """Whether identical coordinates from several people mean something here.

    Phones that locate by Wi-Fi report the same point for everyone on one office
    network, so a shared point inside the office is normal. At home, anywhere, or
    outside the office it is the fake-GPS pattern.
    """
    return mode != WFO or any(f["code"] == OUTSIDE_OFFICE for f in flags)


def shared_coordinates_flag(others: int) -> dict:
    """The flag for a point that ``others`` other people sent today."""
    return _flag(SHARED_COORDINATES, others=others)


def with_flag(flags: list[dict], flag: dict) -> list[dict]:
    """``flags`` plus ``flag``, unless a flag of that code is already there."""
    if any(f["code"] == flag["code"] for f in flags):
        return flags
    return [*flags, flag]


@dataclass(frozen=True)
class Tpp:
    """The TPP deduction table beyond the bands: percent per unexcused absent day and
    per missing daily report, and the most a month may take."""

    absent_day: float = 3.0
    missing_report: float = 0.5
    monthly_cap: float = 100.0
    regulation: str = ""


def presence_percent(present: int, working_days: int) -> float | None:
    """Days present as a share of the working days expected (``None`` with none
    expected yet, e.g. the first day of a month before work starts)."""
    if working_days <= 0:
        return None
    return round(100 * min(present, working_days) / working_days, 1)


def tpp_deduction(
    bands: tuple[Band, ...], tpp: Tpp, grades: dict[str, int], absent: int, missing_reports: int
) -> float:
    """A month's TPP deduction in percent: each TL/PSW grade of a day present at its
    band's percentage, each unexcused absent day and each missing daily report at the
    table's, capped. ``grades`` counts only days present: an absent day is deducted as
    absent, not again as the highest TL and PSW it is recorded with."""
    per_grade = {band.code: band.deduction for band in bands}
    total = sum(per_grade.get(code, 0.0) * count for code, count in grades.items())
    total += absent * tpp.absent_day + missing_reports * tpp.missing_report
    return round(min(total, tpp.monthly_cap), 2)


# PP 94/2021 (Disiplin PNS), unexcused absence counted over a calendar year: the least
# days of each step and the penalty it calls for. Ten working days in a row, whatever
# the year's total, is the last step too.
ABSENCE_LADDER = (
    (3, "ringan", "teguran lisan"),
    (4, "ringan", "teguran tertulis"),
    (7, "ringan", "pernyataan tidak puas secara tertulis"),
    (11, "sedang", "pemotongan tunjangan kinerja 25% selama 6 bulan"),
    (14, "sedang", "pemotongan tunjangan kinerja 25% selama 9 bulan"),
    (16, "sedang", "pemotongan tunjangan kinerja 25% selama 12 bulan"),
    (21, "berat", "penurunan jabatan setingkat lebih rendah selama 12 bulan"),
    (25, "berat", "pembebasan dari jabatan menjadi jabatan pelaksana selama 12 bulan"),
    (28, "berat", "pemberhentian dengan hormat tidak atas permintaan sendiri sebagai PNS"),
)
IN_A_ROW_DISMISSAL = 10


@dataclass(frozen=True)
class AbsenceStep:
    rank: int  # 1 (teguran lisan) .. 9 (pemberhentian)
    days: int  # the least days of the step
    level: str  # "ringan", "sedang", "berat"
    penalty: str  # as PP 94/2021 words it


def absence_step(days: int, longest_run: int = 0) -> AbsenceStep | None:
    """The PP 94/2021 step reached by ``days`` unexcused absent days in a year, or by
    ``longest_run`` working days absent in a row; None below the first step."""
    if longest_run >= IN_A_ROW_DISMISSAL:
        days = max(days, ABSENCE_LADDER[-1][0])
    reached = [
        AbsenceStep(rank, least, level, penalty)
        for rank, (least, level, penalty) in enumerate(ABSENCE_LADDER, 1)
        if days >= least
    ]
    return reached[-1] if reached else None


def longest_run(absent_days, working_days) -> int:
    """The most ``working_days`` (sorted dates) in a row that are all in ``absent_days``."""
    absent = set(absent_days)
    best = run = 0
    for day in working_days:
        run = run + 1 if day in absent else 0
        best = max(best, run)
    return best
