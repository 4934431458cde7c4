"""What the evaluation pages read: a constant number of queries over the daily
aggregates (``OpdDay``) and, for one OPD's fairness, its roster entries."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncMonth

from attendance.models import Attendance, CoverageAlert
from opd.models import CostSettings, Employee, MonthlyCost, Role, ServicePost
from scheduling.models import Mode, Roster, RosterChange, RosterEntry, RosterStatus
from scheduling.selectors import remote_days_by_person

from .models import REMOTE_MODES, GradeDay, OpdDay, Refresh
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
    grades: dict = field(default_factory=dict)  # "TL1" -> records
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
        """Share of the days present with any TL (or PSW) grade, in percent."""
        if not self.present:
            return None
        graded = sum(n for code, n in self.grades.items() if code.startswith(prefix))
        return 100 * graded / self.present

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
            grades,
            self.reports_submitted + other.reports_submitted,
            self.reports_accepted + other.reports_accepted,
            self.reports_returned + other.reports_returned,
        )


OFFICE, AWAY = "office", "away"


def _side(mode: str) -> str:
    return AWAY if mode in REMOTE_MODES else OFFICE


def discipline(opds, first: date, last: date, by) -> dict:
    """Check-in discipline of ``opds`` between ``first`` and ``last``, split into days
    at the office and days away, grouped by ``by`` ("month" or "opd"): {(key, side):
    ModeDiscipline}. Two queries."""
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
            reports_submitted=Sum("reports_submitted"),
            reports_accepted=Sum("reports_accepted"),
            reports_returned=Sum("reports_returned"),
        )
        .order_by()
    ):
        slot = (row.pop("key"), _side(row.pop("mode")))
        found[slot] = found.get(slot, ModeDiscipline()).plus(ModeDiscipline(**row))
    for row in (
        GradeDay.objects.filter(opd__in=opds, date__range=(first, last))
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
    """Today's attendance across ``opds``, live from the tables. Three queries."""
    expected = RosterEntry.objects.filter(
        roster__opd__in=opds,
        roster__status=RosterStatus.APPROVED,
        date=day,
        mode__in=(Mode.WFO, Mode.WFH, Mode.WFA),
    ).count()
    today = Q(date=day)
    records = (
        Attendance.objects.filter(opd__in=opds)
        .filter(today | Q(report_status=Attendance.Report.PENDING))
        .aggregate(
            checked_in=Count("id", filter=today & Q(status=Attendance.Status.PRESENT)),
            late=Count("id", filter=today & ~Q(tl_code="")),
            flagged=Count("id", filter=today & ~Q(flags=[])),
            absent=Count("id", filter=today & Q(status=Attendance.Status.ABSENT)),
            reports_waiting=Count("id", filter=Q(report_status=Attendance.Report.PENDING)),
        )
    )
    short = CoverageAlert.objects.filter(
        post__opd__in=opds, date=day, closed_at__isnull=True
    ).count()
    return Today(expected=expected, short_posts=short, **records)


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
    rosters of ``days``. Three queries."""
    opds = list(opds.order_by("code"))
    posts = list(
        ServicePost.objects.filter(opd__in=[o.pk for o in opds])
        .order_by("code")
        .values_list("id", "opd_id", "name", "min_onsite")
    )
    onsite = {
        (post_id, when): n
        for post_id, when, n in RosterEntry.objects.filter(
            roster__status=RosterStatus.APPROVED,
            date__in=days,
            mode=Mode.WFO,
            employee__post_id__in=[p[0] for p in posts],
        )
        .values("employee__post_id", "date")
        .annotate(n=Count("id"))
        .values_list("employee__post_id", "date", "n")
        .order_by()
    }
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
            worst = min(margins) if margins else (None, "")
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
