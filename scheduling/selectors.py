"""Read-only queries of the scheduling app, shared by pages, commands and exports."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Exists, OuterRef, Q

from opd.models import Opd, Role, ServicePost

from .calendar import week_label, working_days
from .models import Mode, Roster, RosterEntry, RosterStatus, mode_label
from .reasons import reason_text
from .roster import post_days


def week_rows(monday: date, *, approved_only: bool = False, opd_id: int | None = None):
    """``(nip, date, mode)`` rows of a week in one query, sorted by NIP then date,
    plus the number of draft rosters they include (a second query, over the week's
    rosters). Rejected rosters never count."""
    # Fetched whole, not through .iterator(): a server-side cursor makes PostgreSQL plan
    # for the first 10 % of the rows, which took three times as long for a 250,000-row
    # week (1.5 s against 0.45 s); the rows are all kept anyway. Three columns only: the
    # drafts are counted over the week's 500 rosters, not read with each of its 250,000
    # entries (0.3 s of a 50,000-employee export).
    entries = _week_entries(monday, approved_only=approved_only, opd_id=opd_id)
    rows = list(entries.values_list("employee__nip", "date", "mode"))
    drafts = 0
    if not approved_only:
        rosters = Roster.objects.filter(
            Exists(RosterEntry.objects.filter(roster_id=OuterRef("pk"))),
            week_start=monday,
            status__in=[RosterStatus.DRAFT, RosterStatus.SUBMITTED],
        )
        if opd_id is not None:
            rosters = rosters.filter(opd_id=opd_id)
        drafts = rosters.count()
    return rows, drafts


def _week_entries(monday: date, *, approved_only: bool, opd_id: int | None):
    """The entries of ``week_rows``, sorted by NIP then date."""
    undecided = [RosterStatus.DRAFT, RosterStatus.SUBMITTED]
    statuses = [RosterStatus.APPROVED] if approved_only else [RosterStatus.APPROVED, *undecided]
    entries = RosterEntry.objects.filter(roster__week_start=monday, roster__status__in=statuses)
    if opd_id is not None:
        entries = entries.filter(roster__opd_id=opd_id)
    return entries.order_by("employee__nip", "date")


def stream_week_rows(monday: date, *, opd_id: int | None = None, chunk_size: int = 2000):
    """The approved ``(nip, date, mode)`` rows of ``week_rows``, read in chunks through a
    server-side cursor, so a 250,000-row week streams (the API) with flat memory."""
    rows = _week_entries(monday, approved_only=True, opd_id=opd_id)
    return rows.values_list("employee__nip", "date", "mode").iterator(chunk_size=chunk_size)


@dataclass(frozen=True)
class Cell:
    date: date
    mode: str
    reason: str

    @property
    def label(self) -> str:
        return mode_label(self.mode)


@dataclass(frozen=True)
class GridRow:
    employee_id: int
    nip: str
    name: str
    post: str
    is_head: bool
    cells: list[Cell]


@dataclass(frozen=True)
class CoverageCell:
    onsite: int
    required: int
    holiday: bool

    @property
    def short(self) -> bool:
        return not self.holiday and self.onsite < self.required


@dataclass(frozen=True)
class ShareCell:
    remote: int
    working: int

    @property
    def percent(self) -> int:
        return round(100 * self.remote / self.working) if self.working else 0


@dataclass
class RosterGrid:
    opd: Opd
    week_start: date
    days: list[date]
    roster: Roster | None
    rows: list[GridRow] = field(default_factory=list)
    coverage: list[tuple[str, list[CoverageCell]]] = field(default_factory=list)
    share: list[ShareCell] = field(default_factory=list)

    @property
    def week(self) -> str:
        return week_label(self.week_start)

    @property
    def previous_week(self) -> str:
        return week_label(self.week_start - timedelta(weeks=1))

    @property
    def next_week(self) -> str:
        return week_label(self.week_start + timedelta(weeks=1))

    def shortages(self) -> list[tuple[str, list[tuple[date, CoverageCell]]]]:
        """Posts short of their minimum on some day, with those days, for the summary
        above the grid (the coverage rows themselves hold every day)."""
        result = []
        for name, cells in self.coverage:
            short = [(day, c) for day, c in zip(self.days, cells, strict=True) if c.short]
            if short:
                result.append((name, short))
        return result

    def long_rows(self) -> list[tuple[str, date, str]]:
        """``nip,date,mode`` rows sorted by NIP then date, for the downloads."""
        return sorted(
            ((row.nip, cell.date, cell.mode) for row in self.rows for cell in row.cells),
            key=lambda r: (r[0], r[1]),
        )


def roster_grid(opd: Opd, week_start: date) -> RosterGrid:
    """One OPD's week as a grid, in three queries whatever the number of employees:
    the roster, the OPD's posts, the entries with their employees and posts."""
    days = working_days(week_start)
    roster = (
        Roster.objects.select_related("decided_by__employee")
        .filter(opd=opd, week_start=week_start)
        .first()
    )
    posts = list(ServicePost.objects.filter(opd=opd).order_by("code"))
    grid = RosterGrid(opd=opd, week_start=week_start, days=days, roster=roster)
    if roster is None:
        return grid
    entries = (
        RosterEntry.objects.filter(roster=roster)
        .select_related("employee__post")
        .only(
            "date",
            "mode",
            "reason",
            "args",
            "employee__nip",
            "employee__name",
            "employee__role",
            "employee__post__code",
            "employee__post__name",
        )
    )
    by_employee: dict[int, list[RosterEntry]] = defaultdict(list)
    for entry in entries:
        by_employee[entry.employee_id].append(entry)
    index = {day: i for i, day in enumerate(days)}
    rows = []
    # Per day: the people there (not on leave or a holiday) and everyone's mode.
    present = [[] for _ in days]
    modes = [{} for _ in days]
    holiday = [False] * len(days)
    remote, working = [0] * len(days), [0] * len(days)
    for employee_entries in by_employee.values():
        employee = employee_entries[0].employee
        cells = [None] * len(days)
        for entry in employee_entries:
            i = index[entry.date]
            cells[i] = Cell(entry.date, entry.mode, reason_text(entry.reason, entry.args))
            modes[i][employee.pk] = entry.mode
            if entry.mode == Mode.HOLIDAY:
                holiday[i] = True
            elif entry.mode != Mode.LEAVE:
                present[i].append(employee)
                working[i] += 1
                remote[i] += entry.mode in (Mode.WFH, Mode.WFA)
        rows.append(
            GridRow(
                employee_id=employee.pk,
                nip=employee.nip,
                name=employee.name,
                post=employee.post.name if employee.post_id else "",
                is_head=employee.role == Role.HEAD,
                cells=[c or Cell(days[i], "", "") for i, c in enumerate(cells)],
            )
        )
    rows.sort(key=lambda r: (not r.is_head, r.post == "", r.post, r.name, r.nip))
    grid.rows = rows
    # The post-minimum arithmetic is the planner's (roster.post_days), not redone here.
    per_day = [
        {d.post.id: d for d in post_days(day, posts, present[i], modes[i])}
        for i, day in enumerate(days)
    ]
    grid.coverage = [
        (
            post.name,
            [
                CoverageCell(per_day[i][post.id].onsite, post.min_onsite, holiday[i])
                for i in range(len(days))
            ],
        )
        for post in posts
    ]
    grid.share = [ShareCell(remote[i], working[i]) for i in range(len(days))]
    return grid


def employee_schedule(employee_id: int, start: date, end: date) -> list[tuple[RosterEntry, str]]:
    """An employee's entries between two dates with their roster, in one query."""
    entries = (
        RosterEntry.objects.filter(employee_id=employee_id, date__range=(start, end))
        .exclude(roster__status=RosterStatus.REJECTED)
        .select_related("roster")
        .order_by("date")
    )
    return [(entry, reason_text(entry.reason, entry.args)) for entry in entries]


@dataclass(frozen=True)
class Candidate:
    """Someone of a post who could be recalled to the office on a day."""

    employee_id: int
    name: str
    nip: str
    mode: str  # WFH or WFA that day
    balance: float  # fairness balance after the week: higher = more remote days had
    distance_m: float | None  # home to office, when both are known


def recall_candidates(post_id: int | None, opd_id: int, day: date) -> list[Candidate]:
    """People of ``post_id`` (``None``: the back office) on WFH or WFA on ``day`` in a
    submitted or approved roster, ranked for a recall: the highest fairness balance
    first (who has had the most remote days gives one back), then the nearest home to
    the office. One query."""
    return recall_candidates_by_post(opd_id, day, [post_id]).get(post_id, [])


def recall_candidates_by_post(
    opd_id: int, day: date, post_ids: list[int | None] | None = None
) -> dict[int | None, list[Candidate]]:
    """``recall_candidates`` for several groups of one OPD at once, by post id: the
    posts in ``post_ids`` (``None`` in it: the back office), or every service post
    when it is omitted. One query, whatever the number of posts."""
    group = Q(employee__post__isnull=False) if post_ids is None else _posts_q(post_ids)
    found = _candidates(group, Q(date=day, roster__opd_id=opd_id))
    return {post_id: people for (_opd, _day, post_id), people in found.items()}


def recall_candidates_on(
    wanted: set[tuple[int, date, int | None]],
) -> dict[tuple[int, date, int | None], list[Candidate]]:
    """``recall_candidates`` for several (OPD id, day, post id) at once, ranked the
    same way; each asked-for key is in the answer (``[]``: nobody). One query, whatever
    the number of keys (the head's page of requests shows those of every short post)."""
    if not wanted:
        return {}
    found = _candidates(
        _posts_q({post_id for _opd, _day, post_id in wanted}),
        Q(
            roster__opd_id__in={opd_id for opd_id, _day, _post in wanted},
            date__in={day for _opd, day, _post in wanted},
        ),
    )
    return {key: found.get(key, []) for key in wanted}


def _posts_q(post_ids) -> Q:
    group = Q(employee__post_id__in=[p for p in post_ids if p is not None])
    if None in post_ids:
        group |= Q(employee__post__isnull=True)
    return group


def _candidates(group: Q, where: Q) -> dict[tuple[int, date, int | None], list[Candidate]]:
    """People on WFH or WFA in a submitted or approved roster, by (OPD, day, post),
    ranked for a recall. One query."""
    from opd.geo import distance_m

    rows = RosterEntry.objects.filter(
        group,
        where,
        mode__in=[Mode.WFH, Mode.WFA],
        roster__status__in=[RosterStatus.SUBMITTED, RosterStatus.APPROVED],
        employee__active=True,
    ).values_list(
        "roster__opd_id",
        "date",
        "employee__post_id",
        "employee_id",
        "employee__name",
        "employee__nip",
        "mode",
        "roster__balances",
        "employee__home_lat",
        "employee__home_lon",
        "roster__opd__office_lat",
        "roster__opd__office_lon",
    )
    found: dict[tuple[int, date, int | None], list[Candidate]] = defaultdict(list)
    for opd_id, day, post_id, pk, name, nip, mode, balances, lat, lon, *office in rows:
        away = None
        if None not in (lat, lon, *office):
            away = distance_m(lat, lon, *office)
        found[(opd_id, day, post_id)].append(
            Candidate(pk, name, nip, mode, float((balances or {}).get(str(pk), 0)), away)
        )
    return {
        key: sorted(
            people, key=lambda c: (-c.balance, c.distance_m is None, c.distance_m or 0, c.nip)
        )
        for key, people in found.items()
    }


REMOTE = (Mode.WFH, Mode.WFA)


@dataclass(frozen=True)
class RemoteDays:
    """One person's days in the approved rosters of a period: away from the office
    (WFH/WFA) and available at all (not on leave, no holiday)."""

    employee_id: int
    remote: int
    available: int


def remote_days_by_person(start: date, end: date, **people) -> dict[int, RemoteDays]:
    """``RemoteDays`` per employee matching ``people`` (filters on ``Employee``, e.g.
    ``opd_id=3``), from approved rosters between ``start`` and ``end``. One query."""
    filters = {f"employee__{name}": value for name, value in people.items()}
    rows = (
        RosterEntry.objects.filter(
            roster__status=RosterStatus.APPROVED, date__range=(start, end), **filters
        )
        .values("employee_id")
        .annotate(
            remote=Count("id", filter=Q(mode__in=REMOTE)),
            available=Count("id", filter=~Q(mode__in=(Mode.LEAVE, Mode.HOLIDAY))),
        )
        .order_by()
    )
    return {row["employee_id"]: RemoteDays(**row) for row in rows}


def comparable_group(employee) -> dict:
    """The ``Employee`` filters of the people a person's remote days are fairly compared
    with: the same OPD and post (or back office), eligible for WFH, not the head."""
    return {
        "opd_id": employee.opd_id,
        "post_id": employee.post_id,
        "wfh_eligible": True,
        "active": True,
        "role": Role.ASN,
    }


@dataclass(frozen=True)
class MyShare:
    """A person's remote days of a period against their comparable group's."""

    mine: int
    group_mean: float | None  # None when the person is in no group (head, not eligible)
    group_size: int


def my_remote_share(employee, start: date, end: date) -> MyShare:
    """``employee``'s remote days between ``start`` and ``end`` in approved rosters, and
    the mean of their comparable group (``comparable_group``, themselves included).
    Two queries at most."""
    group = comparable_group(employee)
    in_group = all(getattr(employee, name) == value for name, value in group.items())
    found = remote_days_by_person(start, end, **group) if in_group else {}
    if not in_group:
        mine = remote_days_by_person(start, end, pk=employee.pk).get(employee.pk)
        return MyShare(mine.remote if mine else 0, None, 0)
    own = found.get(employee.pk)
    mean = sum(d.remote for d in found.values()) / len(found) if found else None
    return MyShare(own.remote if own else 0, mean, len(found))
