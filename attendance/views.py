import contextlib
from datetime import timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from opd.access import employee_of, get_visible_opd, opds_visible_to, role_of, role_required
from opd.dates import day_text
from opd.http import client_ip, user_agent
from opd.models import Employee, Role
from scheduling.calendar import DateTextError, month_bounds, parse_date, parse_month
from scheduling.reasons import reason_text

from . import rules, services
from .config import config
from .downloads import download, recap_table
from .forms import CheckInForm, RecallForm, ResubmitForm, ReviewForm
from .models import Attendance
from .selectors import (
    TodayState,
    month_summary,
    my_month,
    opd_coverage,
    opd_recap,
    opd_today,
    pending_reports,
    recap_totals,
    today_state,
)
from .texts import flag_text_for_person, out_of_hours_text

EMPLOYEE_ROLES = (Role.ASN, Role.HEAD, Role.BKPSDM)


def _employee_or_404(request):
    employee = employee_of(request.user)
    if employee is None:
        raise Http404
    return employee


@require_http_methods(["GET", "POST"])
@role_required(*EMPLOYEE_ROLES)
def check_in(request):
    """The phone page used twice a day: today's mode, one button, the record."""
    employee = _employee_or_404(request)
    if request.method == "POST":
        return _submit(request, employee)
    now = timezone.now()
    day, record, returned = today_state(employee, timezone.localdate(now))
    return _render_check_in(request, employee, day, record, CheckInForm(), now, returned)


def _submit(request, employee):
    form = CheckInForm(request.POST)
    # The server's clock, never the phone's: nothing time-like is read from the request.
    now = timezone.now()
    if not form.is_valid():
        day, record, returned = today_state(employee, timezone.localdate(now))
        return _render_check_in(request, employee, day, record, form, now, returned, status=400)
    data = form.cleaned_data
    position = {"lat": data["lat"], "lon": data["lon"], "accuracy": data["accuracy"]}
    evidence = {"ip": client_ip(request), "user_agent": user_agent(request)}
    time = timezone.localtime(now).strftime("%H:%M")
    try:
        if data["action"] == "in":
            result = services.check_in(employee=employee, now=now, **position, **evidence)
            done = result.created
            recorded = _("Presensi masuk tercatat pukul {time} WIB.").format(time=time)
            remark = services.out_of_hours(now)
            if remark is not None:
                hours = config().hours_for(timezone.localdate(now))
                recorded = f"{recorded} {out_of_hours_text(remark, hours)}"
            repeated = _("Anda sudah presensi masuk hari ini; tidak dicatat dua kali.")
        else:
            # An early check-out is recorded only when the person confirmed it: without
            # the confirmation field nothing is written and the page asks.
            record, done = services.check_out(
                employee=employee,
                now=now,
                report=data["report"],
                confirmed_early=data["confirm"],
                **position,
                **evidence,
            )
            recorded = _("Presensi pulang tercatat pukul {time} WIB.").format(time=time)
            if done and record.psw_code:
                recorded = _("Presensi pulang tercatat pukul {time} WIB: {code}, {early}.").format(
                    time=time,
                    code=record.psw_code,
                    early=services.early_text(record.early_minutes),
                )
            repeated = _("Anda sudah presensi pulang hari ini; tidak dicatat dua kali.")
        if done:
            messages.success(request, recorded)
        else:
            messages.info(request, repeated)
    except services.EarlyCheckOut as early:
        day, record, returned = today_state(employee, timezone.localdate(now))
        return _render_check_in(request, employee, day, record, form, now, returned, ask=early)
    except services.AttendanceError as error:
        form.add_error(None, str(error))
        day, record, returned = today_state(employee, timezone.localdate(now))
        return _render_check_in(request, employee, day, record, form, now, returned, status=400)
    # Post/redirect/get: reloading the page does not resubmit the form.
    return redirect("attendance:check-in")


def _render_check_in(request, employee, day, record, form, now, returned=(), status=200, ask=None):
    """The page; ``ask``: an unconfirmed early check-out (``services.EarlyCheckOut``),
    shown as the question with a "Ya, pulang sekarang" button."""
    remark = early = ""
    if day.working and record is None:
        out_of_hours = services.out_of_hours(now)
        if out_of_hours is not None:
            remark = out_of_hours_text(out_of_hours, day.hours)
    elif day.working and record.present and not record.check_out_at and ask is None:
        # Said before the tap; the question comes after it, graded at that moment.
        grades = services.check_out_preview(record, now)
        if rules.needs_early_confirmation(grades):
            early = services.early_check_out_text(grades, day.hours[1])
    context = {
        "returned": returned,
        "employee": employee,
        "day": day,
        "record": record,
        "form": form,
        "now": now,
        "flags": [flag_text_for_person(f) for f in record.flags] if record else [],
        "needs_report": day.remote,
        "reason": reason_text(day.reason, day.reason_args) if day.approved else "",
        "off_message": "" if day.working else services.not_working_message(day),
        "remark": remark,
        "early": early,
        "ask": str(ask) if ask else "",
    }
    return render(request, "attendance/check_in.html", context, status=status)


@role_required(*EMPLOYEE_ROLES)
def my_attendance(request):
    """Kehadiran saya: the month's days with mode, times, grades, flags, report status."""
    employee = _employee_or_404(request)
    today = timezone.localdate()
    month = parse_month(request.GET["bulan"]) if request.GET.get("bulan") else today.replace(day=1)
    rows = my_month(employee, month)
    context = {
        "employee": employee,
        "rows": rows,
        "summary": month_summary(rows, today),
        "month": month,
        "previous": (month.replace(day=1) - timedelta(days=1)).replace(day=1),
        "next": (month.replace(day=28) + timedelta(days=4)).replace(day=1),
        "today": today,
        "resubmit_form": ResubmitForm(),
    }
    return render(request, "attendance/my_attendance.html", context)


@require_POST
@role_required(*EMPLOYEE_ROLES)
def resubmit(request, pk):
    employee = _employee_or_404(request)
    # Scoped to the viewer's own records: another person's id is simply not found.
    record = get_object_or_404(Attendance, pk=pk, employee=employee)
    form = ResubmitForm(request.POST)
    if form.is_valid():
        try:
            services.resubmit_report(attendance=record, report=form.cleaned_data["report"])
            messages.success(request, _("Laporan diperbaiki dan dikirim ulang untuk ditinjau."))
        except services.AttendanceError as error:
            messages.error(request, str(error))
    else:
        messages.error(request, _("Laporan wajib diisi."))
    return redirect(f"{reverse('attendance:mine')}?bulan={record.date:%Y-%m}")


@role_required(Role.HEAD, Role.BKPSDM)
def opd_index(request):
    if role_of(request.user) == Role.HEAD:
        return redirect("attendance:opd-today", employee_of(request.user).opd.code)
    code = request.GET.get("opd")
    if code:
        return redirect("attendance:opd-today", get_visible_opd(request.user, code).code)
    return render(request, "attendance/opd_index.html", {"opds": opds_visible_to(request.user)})


def _page_number(text) -> int:
    return int(text) if text and str(text).isdigit() and len(str(text)) < 6 else 1


def _day_url(opd, data) -> str:
    """The head's day page with the day, report filter and page the form was sent from;
    only well-formed values are carried over."""
    query = {}
    for key in ("tanggal", "laporan"):
        text = data.get(key) or ""
        with contextlib.suppress(DateTextError):
            query[key] = parse_date(text).isoformat()
    if _page_number(data.get("halaman")) > 1:
        query["halaman"] = _page_number(data.get("halaman"))
    url = reverse("attendance:opd-today", args=[opd.code])
    return f"{url}?{urlencode(query)}" if query else url


@role_required(Role.HEAD, Role.BKPSDM)
def opd_day(request, code):
    """The head's morning on one screen: today's counts and who is not yet in, late or
    flagged; the service posts against their minimums (with the recall candidates of a
    short post); then the daily reports waiting, by day, a page at a time."""
    opd = get_visible_opd(request.user, code)
    text = request.GET.get("tanggal")
    today = timezone.localdate()
    day = parse_date(text) if text else today
    report_day = parse_date(request.GET["laporan"]) if request.GET.get("laporan") else None
    rows, counts = opd_today(opd, day)
    reports = pending_reports(opd, report_day, _page_number(request.GET.get("halaman")))
    attention = [r for r in rows if r.state in TodayState.ATTENTION or r.flags]
    context = {
        "opd": opd,
        "day": day,
        "today": today,
        "previous_day": day - timedelta(days=1),
        "next_day": day + timedelta(days=1),
        "rows": rows,
        "attention": attention,
        "counts": counts,
        "posts": opd_coverage(opd, day, today),
        "can_recall": day >= today,
        "reports": reports,
        "review_form": ReviewForm(),
        "opds": opds_visible_to(request.user).only("code", "name")
        if role_of(request.user) == Role.BKPSDM
        else None,
    }
    return render(request, "attendance/opd_day.html", context)


@require_POST
@role_required(Role.HEAD, Role.BKPSDM)
def review(request, code, pk):
    opd = get_visible_opd(request.user, code)
    # Only reports of the OPD in the URL, which the viewer may see.
    record = get_object_or_404(Attendance.objects.select_related("employee"), pk=pk, opd=opd)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Pilih terima atau kembalikan."))
    else:
        accept = form.cleaned_data["decision"] == "accept"
        try:
            services.review_report(
                attendance=record,
                reviewer=request.user,
                accept=accept,
                comment=form.cleaned_data["comment"],
            )
            done = (
                _("Laporan {name} tanggal {date} diterima.")
                if accept
                else _("Laporan {name} tanggal {date} dikembalikan dengan catatan Anda.")
            )
            messages.success(
                request, done.format(name=record.employee.name, date=day_text(record.date))
            )
        except services.AttendanceError as error:
            messages.error(request, str(error))
    return redirect(_day_url(opd, request.POST))


@require_POST
@role_required(Role.HEAD, Role.BKPSDM)
def accept_reports(request, code):
    """Accept the ticked daily reports at once; returning one still needs its comment."""
    opd = get_visible_opd(request.user, code)
    ids = [int(v) for v in request.POST.getlist("laporan_id") if v.isdigit() and len(v) < 19]
    try:
        accepted, skipped = services.accept_reports(opd=opd, ids=ids, reviewer=request.user)
    except services.AttendanceError as error:
        messages.error(request, str(error))
    else:
        text = ngettext("{n} laporan diterima.", "{n} laporan diterima.", accepted).format(
            n=accepted
        )
        if skipped:
            text += " " + ngettext(
                "{n} laporan dilewati: sudah ditinjau atau laporan Anda sendiri.",
                "{n} laporan dilewati: sudah ditinjau atau laporan Anda sendiri.",
                skipped,
            ).format(n=skipped)
        (messages.success if accepted else messages.warning)(request, text)
    return redirect(_day_url(opd, request.POST))


@require_POST
@role_required(Role.HEAD, Role.BKPSDM)
def recall(request, code):
    """One tap on "Panggil ke kantor": a candidate of a short post works at the office
    on that day. Only someone of the OPD in the URL, which the viewer may see."""
    opd = get_visible_opd(request.user, code)
    form = RecallForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Pilih pegawai dan tanggal yang akan dipanggil ke kantor."))
        return redirect("attendance:opd-today", opd.code)
    day = form.cleaned_data["date"]
    employee = get_object_or_404(Employee, pk=form.cleaned_data["employee"], opd=opd)
    try:
        services.recall(opd=opd, employee_id=employee.pk, day=day, user=request.user)
        messages.success(
            request,
            _(
                "{name} dipanggil ke kantor pada {date}; yang bersangkutan sudah diberi tahu."
            ).format(name=employee.name, date=day_text(day)),
        )
    except services.RecallError as error:
        messages.error(request, str(error))
    return redirect(f"{reverse('attendance:opd-today', args=[opd.code])}?tanggal={day.isoformat()}")


@role_required(Role.HEAD, Role.BKPSDM)
def recap(request, code, month, fmt="html"):
    opd = get_visible_opd(request.user, code)
    first = parse_month(month)
    rows, tl_codes, psw_codes = opd_recap(opd, first, timezone.localdate())
    if fmt in ("csv", "xlsx"):
        header, table = recap_table(rows, tl_codes, psw_codes)
        name, title = f"rekap-{opd.code}-{month}", f"{opd.name} · {month}"
        return download(name, title, header, table, fmt, sheet=month)
    context = {
        "opd": opd,
        "month": first,
        "rows": rows,
        "totals": recap_totals(rows),
        "until": min(month_bounds(first)[1], timezone.localdate()),
        "rest_columns": len(tl_codes) + len(psw_codes) + 4,  # TL, PSW and four more
        "tl_codes": tl_codes,
        "psw_codes": psw_codes,
        "tpp": config().tpp,
        "previous": (first - timedelta(days=1)).replace(day=1),
        "next": (first.replace(day=28) + timedelta(days=4)).replace(day=1),
    }
    return render(request, "attendance/recap.html", context)
