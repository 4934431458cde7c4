"""The attendance configuration BKPSDM edits in the admin (working hours, TL/PSW
bands, location thresholds, extra holidays, TPP deductions), read in five queries and cached in the
process for a minute, so the check-in path does not read it on every request."""

import threading
import time as clock
from dataclasses import dataclass
from datetime import date, time

from scheduling.models import Holiday

from . import rules
from .models import AttendanceRules, Band, TppRules, WorkingHours

CONFIG_TTL_SECONDS = 60


@dataclass(frozen=True)
class Config:
    schedules: tuple  # ((start_date, end_date, {weekday: (start, end)}), ...), dated first
    late_bands: tuple[rules.Band, ...]
    early_bands: tuple[rules.Band, ...]
    thresholds: rules.Thresholds
    extra_holidays: dict
    tpp: rules.Tpp = rules.Tpp()

    def hours_for(self, day: date) -> tuple[time, time] | None:
        for start, end, days in self.schedules:
            if start is None or start <= day <= end:
                return days.get(day.isoweekday())
        return None


_cache: dict = {}
_cache_lock = threading.Lock()


def load_config() -> Config:
    """Read the configuration (five queries)."""
    schedules = []
    for hours in WorkingHours.objects.prefetch_related("days"):
        days = {d.weekday: (d.start, d.end) for d in hours.days.all()}
        schedules.append((hours.start_date, hours.end_date, days))
    # Dated schedules (Ramadan) win over the default one.
    schedules.sort(key=lambda s: s[0] is None)
    bands = list(Band.objects.all())
    thresholds_row = AttendanceRules.objects.filter(pk=1).first() or AttendanceRules()
    tpp_row = TppRules.objects.filter(pk=1).first() or TppRules()
    return Config(
        schedules=tuple(schedules),
        late_bands=tuple(
            rules.Band(b.code, b.min_minutes, b.max_minutes, float(b.deduction_percent))
            for b in bands
            if b.kind == Band.Kind.LATE
        ),
        early_bands=tuple(
            rules.Band(b.code, b.min_minutes, b.max_minutes, float(b.deduction_percent))
            for b in bands
            if b.kind == Band.Kind.EARLY
        ),
        thresholds=rules.Thresholds(
            poor_accuracy_m=thresholds_row.poor_accuracy_m,
            home_radius_m=thresholds_row.home_radius_m,
            checkout_jump_m=thresholds_row.checkout_jump_m,
        ),
        extra_holidays=dict(Holiday.objects.values_list("date", "name")),
        tpp=rules.Tpp(
            absent_day=float(tpp_row.absent_day_percent),
            missing_report=float(tpp_row.missing_report_percent),
            monthly_cap=float(tpp_row.monthly_cap_percent),
            regulation=tpp_row.regulation,
        ),
    )


def config() -> Config:
    """The configuration, cached in this process for a minute (BKPSDM's edits in the
    admin reach every server process within that minute)."""
    now = clock.monotonic()
    cached = _cache.get("config")
    if cached is None or now - cached[0] > CONFIG_TTL_SECONDS:
        with _cache_lock:
            cached = _cache.get("config")
            if cached is None or now - cached[0] > CONFIG_TTL_SECONDS:
                cached = (now, load_config())
                _cache["config"] = cached
    return cached[1]


def forget_config() -> None:
    _cache.pop("config", None)
