from datetime import timedelta

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opd.access import employee_of, get_visible_opd, opds_visible_to, role_of, role_required
from opd.dates import short_day_text
from opd.models import Employee, Role

from .calendar import current_week, month_bounds, parse_week, week_label
from .export import csv_text, xlsx_bytes
from .models import Roster, RosterStatus, mode_label
from .roster import WFA, WFH, WFO
from .selectors import employee_schedule, my_remote_share, roster_grid
from .services.adjust import AdjustmentError, adjust_day, submit_roster


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
    context = {
        "grid": grid,
        "today": timezone.localdate(),
        # The head of this OPD adjusts and submits a draft; BKPSDM decides in the admin.
        "can_adjust": role_of(request.user) == Role.HEAD
        and grid.roster is not None
        and grid.roster.status == RosterStatus.DRAFT,
        "modes": (WFO, WFH, WFA),
    }
    if role_of(request.user) == Role.BKPSDM:
        context["opds"] = opds_visible_to(request.user).only("code", "name")
    return render(request, "scheduling/roster_week.html", context)


@role_required(Role.HEAD, Role.BKPSDM)
def roster_download(request, code, week, fmt):
    opd = get_visible_opd(request.user, code)
    grid = roster_grid(opd, parse_week(week))
    name = f"roster-{opd.code}-{grid.week}"
    if fmt == "csv":
        # With a byte-order mark, so that Excel reads it as UTF-8.
        response = HttpResponse(
            "\ufeff" + csv_text(grid.long_rows()), content_type="text/csv; charset=utf-8"
        )
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
    weeks, share = [], None
    today = timezone.localdate()
    if employee is not None:
        share = my_remote_share(employee, *month_bounds(today))
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
        {"employee": employee, "weeks": weeks, "today": today, "share": share},
    )


class AdjustForm(forms.Form):
    employee = forms.IntegerField(min_value=1)
    date = forms.DateField()
    mode = forms.ChoiceField(choices=[(m, m) for m in (WFO, WFH, WFA)])


def _heads_roster(request, code, week) -> Roster:
    """The roster of the head's own OPD for ``week``; 404 for any other OPD or week."""
    opd = get_visible_opd(request.user, code)
    roster = Roster.objects.filter(opd=opd, week_start=parse_week(week)).first()
    if roster is None:
        raise Http404
    return roster


@require_POST
@role_required(Role.HEAD)
def roster_adjust(request, code, week):
    """One person's day on a draft: checked against the rules, stored as a pin."""
    roster = _heads_roster(request, code, week)
    form = AdjustForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Pilih pegawai, tanggal dan mode yang benar."))
        return redirect("scheduling:roster-week", code, week)
    data = form.cleaned_data
    try:
        changes = adjust_day(
            roster=roster,
            employee_id=data["employee"],
            day=data["date"],
            mode=data["mode"],
            user=request.user,
        )
    except AdjustmentError as error:
        messages.error(request, str(error))
        return redirect("scheduling:roster-week", code, week)
    if not changes:
        messages.info(request, _("Jadwal itu sudah seperti yang dipilih; tidak ada yang diubah."))
    else:
        messages.success(
            request,
            _(
                "Jadwal {name} pada {date} diubah menjadi {mode} dan disimpan sebagai "
                "penyesuaian; {others} jadwal lain ikut diatur ulang agar aturan tetap "
                "terpenuhi."
            ).format(
                name=Employee.objects.filter(pk=data["employee"])
                .values_list("name", flat=True)
                .first(),
                date=short_day_text(data["date"]),
                mode=mode_label(data["mode"]),
                others=len(changes) - 1,
            ),
        )
    return redirect("scheduling:roster-week", code, week)


@require_POST
@role_required(Role.HEAD)
def roster_submit(request, code, week):
    """ "Ajukan ke BKPSDM": the head hands the draft over for approval."""
    roster = _heads_roster(request, code, week)
    try:
        submit_roster(roster=roster, user=request.user)
    except AdjustmentError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Roster diajukan ke BKPSDM untuk disetujui."))
    return redirect("scheduling:roster-week", code, week)
