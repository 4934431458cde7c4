"""The evaluation pages: savings against the target and fairness, for BKPSDM (every
OPD) and an OPD head (their own)."""

from datetime import date

from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from attendance.config import config
from attendance.downloads import download, recap_table
from attendance.models import Band
from attendance.rules import ABSENCE_LADDER, IN_A_ROW_DISMISSAL
from attendance.selectors import opd_recap
from opd.access import employee_of, get_visible_opd, opds_visible_to, role_of, role_required
from opd.models import CostSettings, Role
from scheduling.calendar import (
    DateTextError,
    check_year,
    current_week,
    month_bounds,
    parse_month,
    week_label,
    working_days,
)
from scheduling.export import safe_cell

from . import charts, scenarios, tasks
from .forms import ScenarioForm
from .models import Scenario
from .selectors import (
    AWAY,
    OFFICE,
    ModeDiscipline,
    absence_ladder,
    add_months,
    coverage_heatmap,
    discipline,
    last_refresh,
    opd_fairness,
    savings,
    today_figures,
    week_states,
    wfh_share_by_opd,
)
from .templatetags.humanize_id import percent

TREND_MONTHS = 6
TONES = {"below": "low", "within": "ok", "above": "high", "": "muted"}


def _month_nav(month: date) -> dict:
    """The month shown and its neighbours, for ``includes/month_nav.html``."""
    return {"month": month, "previous": add_months(month, -1), "next": add_months(month, 1)}


def _month(request) -> date:
    """The month asked for with ``?bulan=2026-11`` (400 when malformed), or this one."""
    text = request.GET.get("bulan")
    return parse_month(text) if text else timezone.localdate().replace(day=1)


@role_required(Role.HEAD, Role.BKPSDM)
def savings_page(request):
    month = _month(request)
    months = [add_months(month, offset) for offset in range(1 - TREND_MONTHS, 1)]
    table = savings(opds_visible_to(request.user), months, timezone.localdate())
    rows = [(opd, table.of(opd.pk, month)) for opd in table.opds]
    total = table.city[month]
    band = (table.target.low, table.target.high)
    trend = charts.line_chart(
        [m.strftime("%m/%y") for m in months],
        [
            (_("Rencana"), "planned", [table.city[m].planned_percent for m in months]),
            (_("Realisasi"), "actual", [table.city[m].actual_percent for m in months]),
            (_("Menurut tagihan"), "bill", [table.city[m].bill_percent for m in months]),
        ],
        band=band,
    )
    bars = charts.hbar_chart(
        [
            (
                opd.code,
                figures.planned_percent or 0,
                percent(figures.planned_percent),
                TONES[table.target.judge(figures.planned_percent)],
            )
            for opd, figures in rows
        ],
        band=band,
    )
    return render(
        request,
        "evaluation/savings.html",
        {
            **_month_nav(month),
            "table": table,
            "rows": rows,
            "total": total,
            "total_judgement": table.target.judge(total.planned_percent),
            "trend_rows": [(m, table.city[m]) for m in months],
            "trend": trend,
            "bars": bars,
            "several": len(table.opds) > 1,
            "missing_cost": sum(1 for opd, _f in rows if not opd.monthly_operating_cost),
            "refresh": last_refresh(),
        },
    )


@role_required(Role.HEAD, Role.BKPSDM)
def fairness_index(request):
    month = _month(request)
    start, end = month_bounds(month)
    shares = wfh_share_by_opd(opds_visible_to(request.user), start, end)
    bars = charts.hbar_chart(
        [
            (
                share.opd.code,
                share.percent or 0,
                percent(share.percent),
                "muted" if share.opd.essential else "",
            )
            for share in sorted(shares, key=lambda s: (-(s.percent or 0), s.opd.code))
        ],
        maximum=100,
    )
    return render(
        request,
        "evaluation/fairness_index.html",
        {
            **_month_nav(month),
            "shares": shares,
            "bars": bars,
            "refresh": last_refresh(),
        },
    )


@role_required(Role.HEAD, Role.BKPSDM)
def fairness_opd(request, code):
    opd = get_visible_opd(request.user, code)
    month = _month(request)
    start, end = month_bounds(month)
    periods = []
    for title, first in ((_("Bulan ini"), start), (_("Sejak awal tahun"), start.replace(month=1))):
        found = opd_fairness(opd, first, end)
        counts = charts.histogram(found.everyone)
        periods.append(
            {
                "title": title,
                "start": first,
                "end": end,
                "fairness": found,
                "counts": counts,
                "chart": charts.column_chart(counts),
            }
        )
    return render(
        request,
        "evaluation/fairness_opd.html",
        {
            "opd": opd,
            **_month_nav(month),
            "periods": periods,
        },
    )


@role_required(Role.HEAD, Role.BKPSDM)
def discipline_page(request):
    """Does WFH lower discipline? TL, PSW, unexcused absence and daily reports on days at
    the office against days away, this month per OPD and over six months."""
    month = _month(request)
    start, end = month_bounds(month)
    first = add_months(month, 1 - TREND_MONTHS)
    opds = opds_visible_to(request.user)
    trend = discipline(opds, first, end, by="month", grades_since=start)
    per_opd = discipline(opds, start, end, by="opd")
    months = [add_months(first, offset) for offset in range(TREND_MONTHS)]
    empty = ModeDiscipline()
    sides = ((OFFICE, _("Di kantor (WFO)")), (AWAY, _("Dari rumah/mana saja (WFH/WFA)")))
    this_month = [(label, trend.get((month, side), empty)) for side, label in sides]
    # Every grade the bands define (TL before PSW), and any older code still in the data.
    bands = sorted(
        Band.objects.values_list("kind", "min_minutes", "code"),
        key=lambda b: (b[0] != Band.Kind.LATE, b[1]),
    )
    codes = [code for _kind, _minutes, code in bands]
    codes += sorted({c for f in trend.values() for c in f.grades} - set(codes))
    chart = charts.line_chart(
        [m.strftime("%m/%y") for m in months],
        [
            (
                _("TL di kantor"),
                "tl-office",
                [trend.get((m, OFFICE), empty).kind_rate("TL") for m in months],
            ),
            (
                _("TL saat WFH/WFA"),
                "tl-away",
                [trend.get((m, AWAY), empty).kind_rate("TL") for m in months],
            ),
            (
                _("Tanpa keterangan di kantor"),
                "absent-office",
                [trend.get((m, OFFICE), empty).absent_rate for m in months],
            ),
            (
                _("Tanpa keterangan saat WFH/WFA"),
                "absent-away",
                [trend.get((m, AWAY), empty).absent_rate for m in months],
            ),
        ],
    )
    opd_rows = [
        (opd, per_opd.get((opd.pk, OFFICE), empty), per_opd.get((opd.pk, AWAY), empty))
        for opd in opds.order_by("code")
        if (opd.pk, OFFICE) in per_opd or (opd.pk, AWAY) in per_opd
    ]
    return render(
        request,
        "evaluation/discipline.html",
        {
            **_month_nav(month),
            "this_month": this_month,
            "codes": codes,
            "chart": chart,
            "trend_rows": [
                (m, trend.get((m, OFFICE), empty), trend.get((m, AWAY), empty)) for m in months
            ],
            "opd_rows": opd_rows,
            "refresh": last_refresh(),
        },
    )


@role_required(Role.HEAD, Role.BKPSDM)
def home_page(request):
    """One screen across every OPD (a head: their own): today's attendance, this week's
    rosters and changes, and a heat-map of post coverage, each tile linking to the page
    behind it."""
    today = timezone.localdate()
    monday = current_week(today)
    opds = opds_visible_to(request.user)
    days = working_days(monday)
    own = employee_of(request.user) if role_of(request.user) == Role.HEAD else None
    # One reverse for every row of the heat-map (500 OPDs at province scale).
    week_link = reverse("scheduling:roster-week", args=["__code__", week_label(monday)])
    if own is not None:
        week_page = reverse("scheduling:roster-week", args=[own.opd.code, week_label(monday)])
        links = {
            "day": reverse("attendance:opd-today", args=[own.opd.code]),
            "rosters": week_page,
            "changes": week_page,
        }
    else:
        links = {
            "day": reverse("attendance:opd-index"),
            "rosters": reverse("admin:scheduling_roster_changelist")
            + f"?week_start__exact={monday.isoformat()}",
            "changes": reverse("admin:scheduling_rosterchange_changelist")
            + f"?date__gte={monday.isoformat()}",
        }
    return render(
        request,
        "evaluation/home.html",
        {
            "today": today,
            "monday": monday,
            "week": week_label(monday),
            "days": days,
            "figures": today_figures(opds, today),
            "week_figures": week_states(opds, monday),
            "heatmap": [
                (opd, cells, week_link.replace("__code__", opd.code))
                for opd, cells in coverage_heatmap(opds, days)
            ],
            "own_opd": own.opd if own else None,
            "links": links,
        },
    )


def _year(request) -> int:
    """The year asked for with ``?tahun=2026`` (400 when malformed), or this one."""
    text = request.GET.get("tahun")
    if not text:
        return timezone.localdate().year
    if not text.strip().isdigit():
        raise DateTextError(
            _('Tahun harus ditulis dengan angka, mis. 2026, bukan "{v}".').format(v=text)
        )
    year = int(text)
    check_year(year)
    return year


@role_required(Role.HEAD, Role.BKPSDM)
def ladder_page(request):
    """Who has crossed a step of the PP 94/2021 ladder with this year's unexcused
    absence (a head: their OPD; BKPSDM: every OPD)."""
    year = _year(request)
    rows = absence_ladder(opds_visible_to(request.user), year, timezone.localdate())
    return render(
        request,
        "evaluation/ladder.html",
        {"year": year, "rows": rows, "ladder": ABSENCE_LADDER, "in_a_row": IN_A_ROW_DISMISSAL},
    )


@role_required(Role.BKPSDM)
def scenario_list(request):
    """Scenarios studied so far, and the form for a new one. A city is computed within
    the request; a province goes to the queue and the page shows its progress."""
    if request.method == "POST":
        form = ScenarioForm(request.POST)
        if form.is_valid():
            scenario = form.save(commit=False)
            scenario.created_by = request.user
            scenario.save()
            form.save_m2m()
            if scenarios.runs_in_request():
                scenarios.run_scenario(scenario.pk)
            else:
                transaction.on_commit(lambda: tasks.run_scenario.delay(scenario.pk))
            return redirect("evaluation:scenario", pk=scenario.pk)
    else:
        form = ScenarioForm()
    listed = [
        (s, scenarios.readiness(s.summary["proposed"]) if s.summary else None)
        for s in Scenario.objects.defer("result").order_by("-created_at")[:50]
    ]
    return render(
        request,
        "evaluation/scenarios.html",
        {"form": form, "listed": listed, "max_weeks": scenarios.MAX_WEEKS},
    )


def _scenario(pk) -> Scenario:
    return get_object_or_404(Scenario.objects.prefetch_related("essential_opds"), pk=pk)


@role_required(Role.BKPSDM)
def scenario_page(request, pk):
    scenario = _scenario(pk)
    context = {"scenario": scenario, "target": CostSettings.current()}
    if scenario.state == Scenario.State.DONE:
        context.update(scenarios.present(scenario))
    return render(request, "evaluation/scenario.html", context)


@role_required(Role.BKPSDM)
def scenario_xlsx(request, pk):
    scenario = _scenario(pk)
    if scenario.state != Scenario.State.DONE:
        raise Http404
    shown = scenarios.present(scenario)
    header = [
        _("Kode OPD"),
        _("OPD"),
        _("Pegawai"),
        _("Boleh WFH (%)"),
        _("Pos penahan"),
        _("Bagian WFH terbesar yang dimungkinkan pos (%)"),
    ]
    for label in (_("Usulan"), _("Kebijakan berlaku")):
        header += [
            f"{label}: {_('bagian WFH (%)')}",
            f"{label}: {_('kekurangan pos')}",
            f"{label}: {_('selisih keadilan (hari)')}",
            f"{label}: {_('hari-kantor dihindari')}",
            f"{label}: {_('hemat (%)')}",
            f"{label}: {_('hemat per bulan (Rp)')}",
        ]

    def numbers(side):
        f = side["figures"]
        return [
            _round(f.projected_share),
            f.shortfalls,
            f.fairness_spread,
            f.remote_days,
            _round(side["saving"]),
            side["rupiah"],
        ]

    table = []
    for row in shown["rows"]:
        figures = row["proposed"]["figures"]
        table.append(
            [
                row["code"],
                safe_cell(row["name"]),
                figures.staff,
                _round(figures.eligible_share),
                safe_cell("; ".join(f"{h.name} (min {h.min_onsite})" for h in figures.held_posts)),
                _round(figures.max_share),
                *numbers(row["proposed"]),
                *numbers(row["in_force"]),
            ]
        )
    total = shown["city"]["proposed"]["figures"]
    table.append(
        [
            "",
            _("Seluruh kota"),
            total.staff,
            _round(total.eligible_share),
            "",
            _round(total.max_share),
            *numbers(shown["city"]["proposed"]),
            *numbers(shown["city"]["in_force"]),
        ]
    )
    title = f"{scenario.name} · {scenario.start} – {scenario.end}"
    return download(f"kajian-{scenario.pk}", title, header, table, "xlsx", sheet=_("Kajian"))


def _round(value):
    return None if value is None else round(value, 1)


@role_required(Role.BKPSDM)
def scenario_compare(request):
    """Several scenarios side by side with the policies in force, city-wide and per OPD."""
    ids = [int(v) for v in request.GET.getlist("s") if v.isdigit()][:6]
    chosen = list(
        Scenario.objects.filter(pk__in=ids, state=Scenario.State.DONE).order_by("created_at")
    )
    columns = [(s, scenarios.present(s)) for s in chosen]
    in_force = columns[0][1]["city"]["in_force"] if columns else None
    opd_rows = []
    if columns:
        for index, row in enumerate(columns[0][1]["rows"]):
            opd_rows.append(
                (
                    row,
                    row["in_force"],
                    [shown["rows"][index]["proposed"] for _s, shown in columns],
                )
            )
    chart = None
    if columns:
        target = CostSettings.current()
        bars = [(_("Kebijakan berlaku"), in_force["saving"], "muted")]
        bars += [(s.name, shown["city"]["proposed"]["saving"], "") for s, shown in columns]
        chart = charts.hbar_chart(
            [(label, value or 0, percent(value), tone) for label, value, tone in bars],
            band=(target.target_low_percent, target.target_high_percent),
        )
    done = Scenario.objects.filter(state=Scenario.State.DONE).defer("result")
    return render(
        request,
        "evaluation/scenario_compare.html",
        {
            "columns": columns,
            "in_force": in_force,
            "opd_rows": opd_rows,
            "chart": chart,
            "available": done.order_by("-created_at")[:50],
            "ids": ids,
        },
    )


@role_required(Role.BKPSDM)
def tpp_download(request, month, fmt):
    """Every employee's month with their TPP deduction, one file for the finance office."""
    first = parse_month(month)
    rows, tl_codes, psw_codes = opd_recap(None, first, timezone.localdate())
    header, table = recap_table(rows, tl_codes, psw_codes, with_opd=True)
    title = _("Potongan TPP {month} · {regulation}").format(
        month=month, regulation=config().tpp.regulation
    )
    return download(f"potongan-tpp-{month}", title, header, table, fmt, sheet=month)
