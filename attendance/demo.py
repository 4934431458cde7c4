"""Demo attendance history for past working days: mostly on time, some late, a few
flagged, daily reports on WFH days. Deterministic for the same rosters and dates."""

import random
from dataclasses import dataclass
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
                report_status=_reviewed(
                    rng.choice(["accepted", "accepted", "pending"]) if remote else "", day, end
                ),
            )
        )
    before = Attendance.objects.filter(date__range=(start, end)).count()
    Attendance.objects.bulk_create(records, batch_size=2000, ignore_conflicts=True)
    return Attendance.objects.filter(date__range=(start, end)).count() - before


def _reviewed(status: str, day: date, end: date) -> str:
    """Heads review within days: only the last week's reports are still waiting."""
    return "accepted" if status == "pending" and (end - day).days > 6 else status


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


@dataclass(frozen=True)
class DemoChanges:
    day: date | None  # the day of the short post
    short_post: str
    request: str
    swap: str


def demo_changes(*, today: date, head_nip: str, asn_nip: str) -> DemoChanges:
    """What the week's changes look like in the demo, in the head's OPD, made through the
    same services as the pages (once: nothing happens when a request or swap exists):

    - a short post on the current day: a clerk at a post held exactly at its minimum
      reports sick and the head approves, so the coverage check opens an alert with
      colleagues to recall (on a Monday or a weekend, when nobody is at home under the
      demo's Tuesday-Friday rotation, the next day with someone at home);
    - one pending request: the demo ASN asks for izin on the next working day;
    - one pending swap: a colleague offers the demo ASN to trade a day, which the demo
      ASN can accept and the head then approve.
    """
    from scheduling.models import DayRequest, Swap
    from scheduling.services.requests import (
        RequestError,
        decide_request,
        submit_request,
        working_days_between,
    )
    from scheduling.services.swaps import SwapError, propose_swap

    from .services import check_coverage

    if DayRequest.objects.exists() or Swap.objects.exists():
        return DemoChanges(None, "", "", "")
    head = Employee.objects.select_related("user", "opd").get(nip=head_nip)
    asn = Employee.objects.get(nip=asn_nip)
    approved = RosterEntry.objects.filter(
        roster__opd_id=head.opd_id, roster__status=RosterStatus.APPROVED, date__gte=today
    )
    modes: dict[date, dict[int, str]] = {}
    for employee_id, day, mode in approved.values_list("employee_id", "date", "mode"):
        modes.setdefault(day, {})[employee_id] = mode
    staff = list(Employee.objects.filter(opd_id=head.opd_id, active=True).select_related("post"))

    short_post = short_day = ""
    day_of_short = None
    for day in sorted(modes)[:5]:
        for post in sorted({p.post for p in staff if p.post}, key=lambda p: p.code):
            members = [p for p in staff if p.post_id == post.pk]
            office = [p for p in members if modes[day].get(p.pk) == Mode.WFO]
            home = [p for p in members if modes[day].get(p.pk) in REMOTE_MODES]
            if office and home and len(office) == post.min_onsite:
                try:
                    request = submit_request(
                        employee=office[0],
                        kind=DayRequest.Kind.SICK,
                        start=day,
                        end=day,
                        note="Demam sejak semalam.",
                    )
                    decide_request(request_id=request.pk, user=head.user, approve=True)
                except RequestError:
                    continue
                check_coverage(day, [head.opd_id])
                short_post, short_day, day_of_short = post.name, day.isoformat(), day
                break
        if short_post:
            break

    request_text = ""
    # The next working day: on an approved roster when one is left this week, otherwise
    # (a Friday) next week's draft, where an approved izin becomes leave all the same.
    later = [d for d in sorted(modes) if d > today] or working_days_between(
        today + timedelta(days=1), today + timedelta(days=14)
    )
    try:
        submit_request(
            employee=asn,
            kind=DayRequest.Kind.PERMIT,
            start=later[0],
            end=later[0],
            note="Mengurus dokumen kependudukan orang tua.",
        )
        request_text = f"{asn.name}: izin {later[0].isoformat()}"
    except RequestError:
        pass

    swap_text = ""
    back_office = [p for p in staff if p.post_id is None and p.pk != asn.pk and p.wfh_eligible]
    for day in sorted(modes):
        mine = modes[day].get(asn.pk)
        for colleague in back_office:
            theirs = modes[day].get(colleague.pk)
            if mine in (Mode.WFO, *REMOTE_MODES) and theirs in (Mode.WFO, *REMOTE_MODES):
                if mine == theirs or colleague.role != "asn":
                    continue
                try:
                    propose_swap(
                        proposer=colleague,
                        partner_id=asn.pk,
                        day=day,
                        note="Ada rapat tatap muka dengan Bappeda.",
                    )
                except SwapError:
                    continue
                swap_text = f"{colleague.name} -> {asn.name} {day.isoformat()}"
                break
        if swap_text:
            break
    if short_day:
        short_post = f"{short_post} {short_day}"
    return DemoChanges(day_of_short, short_post, request_text, swap_text)
