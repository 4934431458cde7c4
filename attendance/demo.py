"""Demo attendance history for past working days: mostly on time, some late, a few
flagged, daily reports on WFH days. Deterministic for the same rosters and dates."""

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from opd.models import Employee
from scheduling.models import Mode, RosterEntry, RosterStatus

from . import rules
from .config import config
from .expected import REMOTE_MODES
from .models import Attendance

REPORTS = (
    "Menyusun draf laporan realisasi anggaran triwulan IV.",
    "Memverifikasi 42 berkas permohonan layanan daring.",
    "Rapat daring koordinasi program dengan bidang; notulen terlampir.",
    "Memperbarui data aset pada aplikasi SIMDA.",
    "Menjawab 18 aduan warga di kanal Sapa Warga.",
    "Menyusun bahan paparan rapat pimpinan.",
)


def demo_attendance(start: date, end: date, seed: int = 2026) -> int:
    """Create check-in records for approved roster days from ``start`` to ``end``
    (inclusive); days already recorded are left alone. Returns how many were made."""
    rng = random.Random(seed)
    conf = config()
    people = {e.pk: e for e in Employee.objects.filter(active=True).select_related("opd")}
    entries = (
        RosterEntry.objects.filter(date__range=(start, end), roster__status=RosterStatus.APPROVED)
        .exclude(mode__in=[Mode.LEAVE, Mode.HOLIDAY])
        .order_by("date", "employee_id")
        .values_list("employee_id", "date", "mode")
    )
    records = []
    for employee_id, day, mode in entries:
        employee = people.get(employee_id)
        hours = conf.hours_for(day)
        if employee is None or hours is None or rng.random() < 0.03:
            continue  # a few no-shows, marked absent by the nightly job
        arrive = _at(day, hours[0], rng.gauss(-14, 12))
        leave = _at(
            day, hours[1], abs(rng.gauss(8, 10)) if rng.random() > 0.06 else -rng.uniform(5, 70)
        )
        lat, lon, accuracy = _where(rng, employee, mode)
        flags = rules.check_in_flags(
            mode=mode,
            position=rules.Position(lat, lon, accuracy),
            office=rules.Place(
                employee.opd.office_lat, employee.opd.office_lon, employee.opd.geofence_radius_m
            )
            if employee.opd.office_lat is not None
            else None,
            home=(employee.home_lat, employee.home_lon) if employee.home_lat is not None else None,
            thresholds=conf.thresholds,
        )
        grades = rules.grade_day(
            absent=False,
            check_in=timezone.localtime(arrive).replace(tzinfo=None),
            check_out=timezone.localtime(leave).replace(tzinfo=None),
            hours=hours,
            late_bands=conf.late_bands,
            early_bands=conf.early_bands,
            day_over=True,
        )
        remote = mode in REMOTE_MODES
        records.append(
            Attendance(
                employee_id=employee_id,
                opd_id=employee.opd_id,
                date=day,
                mode=mode,
                from_approved_roster=True,
                check_in_at=arrive,
                check_out_at=leave,
                in_lat=lat,
                in_lon=lon,
                in_accuracy=accuracy,
                out_lat=lat,
                out_lon=lon,
                out_accuracy=accuracy,
                late_minutes=grades.late_minutes,
                early_minutes=grades.early_minutes,
                tl_code=grades.tl_code,
                psw_code=grades.psw_code,
                flags=flags,
                report=rng.choice(REPORTS) if remote else "",
                report_status=(rng.choice(["accepted", "accepted", "pending"]) if remote else ""),
            )
        )
    before = Attendance.objects.filter(date__range=(start, end)).count()
    Attendance.objects.bulk_create(records, batch_size=2000, ignore_conflicts=True)
    return Attendance.objects.filter(date__range=(start, end)).count() - before


def _at(day: date, clock: time, minutes: float) -> datetime:
    moment = datetime.combine(day, clock) + timedelta(minutes=minutes)
    return timezone.make_aware(moment)


def _where(rng, employee, mode):
    accuracy = round(rng.uniform(5, 40))
    if mode == Mode.WFO and employee.opd.office_lat is not None:
        base = (employee.opd.office_lat, employee.opd.office_lon)
        spread = 0.0006 if rng.random() > 0.04 else 0.03
    elif employee.home_lat is not None:
        base = (employee.home_lat, employee.home_lon)
        spread = 0.002 if rng.random() > 0.04 else 0.2
    else:
        base, spread = (-6.2383, 106.9920), 0.05
    return (
        round(base[0] + rng.uniform(-spread, spread), 6),
        round(base[1] + rng.uniform(-spread, spread), 6),
        accuracy,
    )
