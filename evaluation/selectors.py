"""What the evaluation pages read: a constant number of queries over the daily
aggregates (``OpdDay``) and, for one OPD's fairness, its roster entries."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncMonth

from attendance import rules
from attendance.models import Attendance, CoverageAlert
from opd.models import CostSettings, Employee, MonthlyCost, Role, ServicePost
from scheduling.calendar import holidays_between, is_working_day
from scheduling.models import Holiday, Mode, Roster, RosterChange
from scheduling.selectors import remote_days_by_person

from .models import REMOTE_MODES, GradeDay, OpdDay, PostDay, Refresh
from .savings import MonthSavings, Target, combine


def add_months(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def last_refresh() -> Refresh | None:
    return Refresh.objects.order_by("-refreshed_at").first()


@dataclass(frozen=True)
class SavingsTable:
    target: Target
    default_fixed_share: int
    months: list[date]
    opds: list  # the OPDs shown (Opd instances)
    by_opd: dict  # (opd id, month) -> MonthSavings
    city: dict  # month -> MonthSavings over the OPDs shown

    def of(self, opd_id: int, month: date) -> MonthSavings:
        return self.by_opd[(opd_id, month)]


def savings(opds, months: list[date], today: date) -> SavingsTable:
    """Savings of ``opds`` (a queryset) for each of ``months`` (first days). Four queries."""
    settings = CostSettings.current()
    opds = list(opds.order_by("code"))
    ids = [opd.pk for opd in opds]
    first, last = months[0], add_months(months[-1], 1)
    remote, past = Q(mode__in=REMOTE_MODES), Q(date__lt=today)
    counts = {
        (row["opd_id"], row["month"]): row
        for row in OpdDay.objects.filter(opd_id__in=ids, date__gte=first, date__lt=last)
        .annotate(month=TruncMonth("date"))
        .values("opd_id", "month")
        .annotate(
            before=Sum("planned"),
            planned_avoided=Sum("planned", filter=remote),
            elapsed_before=Sum("planned", filter=past),
            recorded_remote=Sum("records", filter=remote & past),
            missing_remote=Sum("unrecorded", filter=remote & past),
        )
        .order_by()
    }
    bills = {
        (opd_id, month): amount
        for opd_id, month, amount in MonthlyCost.objects.filter(
            opd_id__in=ids, month__gte=first, month__lt=last
        ).values_list("opd_id", "month", "amount")
    }
    by_opd, city = {}, {}
    for month in months:
        for opd in opds:
            row = counts.get((opd.pk, month), {})
            by_opd[(opd.pk, month)] = MonthSavings(
                month=month,
                before=row.get("before") or 0,
                planned_avoided=row.get("planned_avoided") or 0,
                elapsed_before=row.get("elapsed_before") or 0,
                actual_avoided=(row.get("recorded_remote") or 0) + (row.get("missing_remote") or 0),
                cost=opd.monthly_operating_cost,
                fixed_share=_fixed_share(opd, settings),
                bill=bills.get((opd.pk, month)),
            )
        city[month] = combine(
            month, [by_opd[(opd.pk, month)] for opd in opds], settings.fixed_share_percent
        )
    return SavingsTable(
        target=Target(settings.target_low_percent, settings.target_high_percent),
        default_fixed_share=settings.fixed_share_percent,
        months=months,
        opds=opds,
        by_opd=by_opd,
        city=city,
    )


def _fixed_share(opd, settings) -> int:
    if opd.fixed_cost_share_percent is not None:
        return opd.fixed_cost_share_percent
    return settings.fixed_share_percent


@dataclass(frozen=True)
class OpdShare:
    opd: object
    office: int  # person-days at the office planned
    remote: int  # person-days away planned

    @property
    def percent(self) -> float | None:
        total = self.office + self.remote
        return 100 * self.remote / total if total else None


def wfh_share_by_opd(opds, start: date, end: date) -> list[OpdShare]:
    """Each OPD's share of working person-days planned away from the office (leave
    not counted), essential OPDs included at 0. Two queries."""
    opds = list(opds.order_by("code"))
    rows = {
        row["opd_id"]: row
        for row in OpdDay.objects.filter(opd_id__in=[o.pk for o in opds], date__range=(start, end))
        .values("opd_id")
        .annotate(
            office=Sum("planned", filter=Q(mode=Mode.WFO)),
            remote=Sum("planned", filter=Q(mode__in=REMOTE_MODES)),
        )
        .order_by()
    }
    return [
        OpdShare(
            opd, rows.get(opd.pk, {}).get("office") or 0, rows.get(opd.pk, {}).get("remote") or 0
        )
        for opd in opds
    ]


@dataclass(frozen=True)
class Group:
    """People compared with each other: same post (or back office), eligible, not the
    head, and the same number of available days in the period."""

    post: str
    available: int
    days: list[int]  # remote days per person

    @property
    def spread(self) -> int:
        return max(self.days) - min(self.days)

    @property
    def mean(self) -> float:
        return sum(self.days) / len(self.days)


@dataclass(frozen=True)
class Fairness:
    everyone: list[int]  # remote days of every person with roster days in the period
    groups: list[Group]

    @property
    def worst_spread(self) -> int | None:
        return max((g.spread for g in self.groups), default=None)


def opd_fairness(opd, start: date, end: date) -> Fairness:
    """The distribution of remote days in ``opd`` between ``start`` and ``end``, and the
    spread inside comparable groups. Two queries."""
    days = remote_days_by_person(start, end, opd_id=opd.pk)
    people = Employee.objects.filter(pk__in=days).values_list(
        "id", "post__name", "wfh_eligible", "role"
    )
    grouped: dict[tuple, list[int]] = {}
    for pk, post, eligible, role in people:
        if eligible and role == Role.ASN:
            counted = days[pk]
            grouped.setdefault((post or "", counted.available), []).append(counted.remote)
    groups = [
        Group(post, available, sorted(values))
        for (post, available), values in sorted(grouped.items())
    ]
    return Fairness(sorted(d.remote for d in days.values()), groups)


@dataclass(frozen=True)
class ModeDiscipline:
    """Check-ins of one kind of day (at the office, or away: WFH/WFA)."""

    records: int = 0
    absent: int = 0
    late: int = 0  # days present with any TL grade
    early: int = 0  # days present with any PSW grade
    grades: dict = field(default_factory=dict)  # "TL1" -> days present with it
    reports_submitted: int = 0
    reports_accepted: int = 0
    reports_returned: int = 0

    @property
    def present(self) -> int:
        return self.records - self.absent

    def rate(self, code: str) -> float | None:
        """Share of the days present that got grade ``code``, in percent."""
        return 100 * self.grades.get(code, 0) / self.present if self.present else None

    def kind_rate(self, prefix: str) -> float | None:
        """Share of the days present with any TL (``"TL"``) or PSW grade, in percent."""
        if not self.present:
            return None
        return 100 * (self.late if prefix == "TL" else self.early) / self.present

    @property
    def absent_rate(self) -> float | None:
        return 100 * self.absent / self.records if self.records else None

    @property
    def returned_rate(self) -> float | None:
        if not self.reports_submitted:
            return None
        return 100 * self.reports_returned / self.reports_submitted

    def plus(self, other: "ModeDiscipline") -> "ModeDiscipline":
        grades = dict(self.grades)
        for code, count in other.grades.items():
            grades[code] = grades.get(code, 0) + count
        return ModeDiscipline(
            self.records + other.records,
            self.absent + other.absent,
            self.late + other.late,
            self.early + other.early,
            grades,
            self.reports_submitted + other.reports_submitted,
            self.reports_accepted + other.reports_accepted,
            self.reports_returned + other.reports_returned,
        )


OFFICE, AWAY = "office", "away"


def _side(mode: str) -> str:
    return AWAY if mode in REMOTE_MODES else OFFICE


def discipline(opds, first: date, last: date, by: str, grades_since: date | None = None) -> dict:
    """Check-in discipline of ``opds`` between ``first`` and ``last``, split into days
    at the office and days away, grouped by ``by`` ("month" or "opd"): {(key, side):
    ModeDiscipline}. With ``grades_since``, the counts by grade from that day on too.
    One query, two with grades."""
    key = {"month": TruncMonth("date"), "opd": F("opd_id")}[by]
    found: dict = {}
    for row in (
        OpdDay.objects.filter(opd__in=opds, date__range=(first, last))
        .exclude(mode=Mode.LEAVE)
        .annotate(key=key)
        .values("key", "mode")
        .annotate(
            records=Sum("records"),
            absent=Sum("absent"),
            late=Sum("late"),
            early=Sum("early"),
            reports_submitted=Sum("reports_submitted"),
            reports_accepted=Sum("reports_accepted"),
            reports_returned=Sum("reports_returned"),
        )
        .order_by()
    ):
        slot = (row.pop("key"), _side(row.pop("mode")))
        found[slot] = found.get(slot, ModeDiscipline()).plus(ModeDiscipline(**row))
    if grades_since is not None:
        for row in (
            GradeDay.objects.filter(opd__in=opds, date__range=(grades_since, last))
            .annotate(key=key)
            .values("key", "mode", "code")
            .annotate(n=Sum("count"))
            .order_by()
        ):
            slot = (row["key"], _side(row["mode"]))
            found[slot] = found.get(slot, ModeDiscipline()).plus(
                ModeDiscipline(grades={row["code"]: row["n"]})
            )
    return found


@dataclass(frozen=True)
class Today:
    expected: int  # people the approved rosters expect to work today (WFO/WFH/WFA)
    checked_in: int
    late: int
    flagged: int
    absent: int
    reports_waiting: int  # daily reports of any day still waiting for review
    short_posts: int  # open short-post alerts of today


def today_figures(opds, day: date) -> Today:
    """Today's attendance across ``opds``: who is expected from the day's aggregates
    (kept current when rosters are decided or changed), the rest live. Four queries."""
    expected = (
        OpdDay.objects.filter(
            opd__in=opds, date=day, mode__in=(Mode.WFO, Mode.WFH, Mode.WFA)
        ).aggregate(n=Sum("planned"))["n"]
        or 0
    )
    today = Attendance.objects.filter(opd__in=opds, date=day).aggregate(
        checked_in=Count("id", filter=Q(status=Attendance.Status.PRESENT)),
        late=Count("id", filter=~Q(tl_code="")),
        flagged=Count("id", filter=~Q(flags=[])),
        absent=Count("id", filter=Q(status=Attendance.Status.ABSENT)),
    )
    waiting = Attendance.objects.filter(
        opd__in=opds, report_status=Attendance.Report.PENDING
    ).count()
    short = CoverageAlert.objects.filter(
        post__opd__in=opds, date=day, closed_at__isnull=True
    ).count()
    return Today(expected=expected, short_posts=short, reports_waiting=waiting, **today)


@dataclass(frozen=True)
class Cell:
    """One OPD on one day of the heat-map: the worst post margin (people planned at the
    office minus the post's minimum; below 0 the post is short), or None without posts."""

    date: date
    margin: int | None
    post: str = ""

    @property
    def tone(self) -> str:
        if self.margin is None:
            return "none"
        if self.margin < 0:
            return "short"
        return "tight" if self.margin == 0 else "ok" if self.margin == 1 else "wide"


def coverage_heatmap(opds, days: list[date]) -> list[tuple]:
    """(OPD, [Cell per day]) for every OPD of ``opds`` (a queryset), from the approved
    rosters' post aggregates (``PostDay``) of ``days``. Three queries."""
    scope = opds
    opds = list(opds.order_by("code"))
    # The scope as a subquery, not a list: 500 ids as parameters cost more to prepare.
    posts = list(
        ServicePost.objects.filter(opd__in=scope)
        .order_by("code")
        .values_list("id", "opd_id", "name", "min_onsite")
    )
    onsite = {
        (post_id, when): n
        for post_id, when, n in PostDay.objects.filter(
            opd__in=scope, date__range=(min(days), max(days))
        ).values_list("post_id", "date", "onsite")
    }
    planned_days = {when for _post, when in onsite}
    by_opd: dict[int, list] = {}
    for post in posts:
        by_opd.setdefault(post[1], []).append(post)
    rows = []
    for opd in opds:
        cells = []
        for when in days:
            margins = [
                (onsite.get((post_id, when), 0) - minimum, name)
                for post_id, _opd, name, minimum in by_opd.get(opd.pk, ())
            ]
            # No approved roster that day anywhere: nothing planned to compare.
            worst = min(margins) if margins and when in planned_days else (None, "")
            cells.append(Cell(when, *worst))
        rows.append((opd, cells))
    return rows


def week_states(opds, monday: date) -> dict:
    """Rosters of the week by status, and the changes made to the week. Two queries."""
    states = dict(
        Roster.objects.filter(opd__in=opds, week_start=monday)
        .values_list("status")
        .annotate(n=Count("id"))
        .order_by()
    )
    changes = RosterChange.objects.filter(
        roster__opd__in=opds, date__range=(monday, monday + timedelta(days=4))
    ).count()
    return {"states": states, "changes": changes}


@dataclass(frozen=True)
class LadderRow:
    employee_id: int
    nip: str
    name: str
    opd_code: str
    days: int  # unexcused absent days in the year so far
    run: int  # the longest run of working days absent in a row
    step: object  # attendance.rules.AbsenceStep


def absence_ladder(opds, year: int, today: date) -> list[LadderRow]:
    """Everyone of ``opds`` whose unexcused absence this year has reached a PP 94/2021
    step, worst first. Three queries (the third for those absent ten days or more)."""
    first, last = date(year, 1, 1), min(date(year, 12, 31), today)
    absent = Attendance.objects.filter(
        employee__opd__in=opds, status=Attendance.Status.ABSENT, date__range=(first, last)
    )
    counted = list(
        absent.values("employee_id", "employee__nip", "employee__name", "employee__opd__code")
        .annotate(days=Count("id"))
        .filter(days__gte=rules.ABSENCE_LADDER[0][0])
        .order_by("-days", "employee__name")
    )
    long = [row["employee_id"] for row in counted if row["days"] >= rules.IN_A_ROW_DISMISSAL]
    dates: dict[int, list[date]] = {}
    if long:
        extra = dict(Holiday.objects.filter(date__range=(first, last)).values_list("date", "name"))
        for employee_id, day in absent.filter(employee_id__in=long).values_list(
            "employee_id", "date"
        ):
            dates.setdefault(employee_id, []).append(day)
        holidays = holidays_between(first, last, extra)
        workdays = [
            first + timedelta(days=n)
            for n in range((last - first).days + 1)
            if is_working_day(first + timedelta(days=n), holidays)
        ]
    rows = []
    for row in counted:
        run = (
            rules.longest_run(dates[row["employee_id"]], workdays)
            if row["employee_id"] in dates
            else 0
        )
        rows.append(
            LadderRow(
                row["employee_id"],
                row["employee__nip"],
                row["employee__name"],
                row["employee__opd__code"],
                row["days"],
                run,
                rules.absence_step(row["days"], run),
            )
        )
    rows.sort(key=lambda r: (-r.step.rank, -r.days, r.name))
    return rows
