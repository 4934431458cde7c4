from datetime import timedelta

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from opd.access import employee_of, get_visible_opd, opds_visible_to, role_of, role_required
from opd.models import Role

from .calendar import current_week, parse_week, week_label
from .export import csv_text, xlsx_bytes
from .selectors import employee_schedule, roster_grid


def this_week() -> str:
    return week_label(current_week(timezone.localdate()))


@role_required(Role.HEAD, Role.BKPSDM)
def roster_index(request):
    """Heads go to their OPD's current week; BKPSDM picks an OPD and a week."""
    if role_of(request.user) == Role.HEAD:
        return redirect("scheduling:roster-week", employee_of(request.user).opd.code, this_week())
    code, week = request.GET.get("opd", ""), request.GET.get("week", "") or this_week()
    if code:
        parse_week(week)
        opd = get_visible_opd(request.user, code)
        return redirect("scheduling:roster-week", opd.code, week)
    opds = opds_visible_to(request.user).only("code", "name")
    return render(request, "scheduling/roster_index.html", {"opds": opds, "week": week})


@role_required(Role.HEAD, Role.BKPSDM)
def roster_week(request, code, week):
    opd = get_visible_opd(request.user, code)
    grid = roster_grid(opd, parse_week(week))
    context = {"grid": grid, "today": timezone.localdate()}
    if role_of(request.user) == Role.BKPSDM:
        context["opds"] = opds_visible_to(request.user).only("code", "name")
    return render(request, "scheduling/roster_week.html", context)


@role_required(Role.HEAD, Role.BKPSDM)
def roster_download(request, code, week, fmt):
    opd = get_visible_opd(request.user, code)
    grid = roster_grid(opd, parse_week(week))
    name = f"roster-{opd.code}-{grid.week}"
    if fmt == "csv":
        response = HttpResponse(csv_text(grid.long_rows()), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    status = grid.roster.get_status_display() if grid.roster else _("belum dibangun")
    workbook = xlsx_bytes(
        title=f"{opd.name} - {grid.week} ({status})",
        days=grid.days,
        grid=[(r.nip, r.name, r.post, [c.mode for c in r.cells]) for r in grid.rows],
        rows=grid.long_rows(),
    )
    response = HttpResponse(
        workbook,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


@role_required(Role.ASN, Role.HEAD, Role.BKPSDM)
def my_schedule(request):
    """The viewer's own days for this week and next, with the reason for each."""
    employee = employee_of(request.user)
    monday = current_week(timezone.localdate())
    weeks = []
    if employee is not None:
        entries = employee_schedule(employee.pk, monday, monday + timedelta(days=11))
        for offset in (0, 1):
            start = monday + timedelta(weeks=offset)
            days = [
                (entry, reason)
                for entry, reason in entries
                if start <= entry.date < start + timedelta(days=7)
            ]
            weeks.append(
                {
                    "label": week_label(start),
                    "start": start,
                    "end": start + timedelta(days=4),
                    "days": days,
                }
            )
    return render(
        request,
        "scheduling/my_schedule.html",
        {"employee": employee, "weeks": weeks, "today": timezone.localdate()},
    )
