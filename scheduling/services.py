"""Writers of the scheduling app: dataset import, roster build, approval.

Commands, admin actions and Celery tasks all call these functions, so a roster
built from the command line is the one the worker would have built.
"""

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import connection, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from opd import importing as org
from opd.models import Employee, Opd, Role, ServicePost
from opd.services import UpsertCounts, chunked, upsert_employees, upsert_opds, upsert_posts

from . import importing as sched
from . import roster as rules
from .calendar import holidays_between, week_label, working_days
from .models import (
    Holiday,
    Leave,
    Policy,
    Roster,
    RosterBuild,
    RosterBuildItem,
    RosterEntry,
    RosterStatus,
)

DATASET_FILES = (
    "opds.csv",
    "posts.csv",
    "employees.csv",
    "leaves.csv",
    "holidays.csv",
    "policies.csv",
)
_COLUMNS = {
    "opds.csv": org.OPD_COLUMNS,
    "posts.csv": org.POST_COLUMNS,
    "employees.csv": org.EMPLOYEE_COLUMNS,
    "leaves.csv": sched.LEAVE_COLUMNS,
    "holidays.csv": sched.HOLIDAY_COLUMNS,
    "policies.csv": sched.POLICY_COLUMNS,
}


@dataclass
class ImportReport:
    dry_run: bool
    errors: list[org.RowError] = field(default_factory=list)
    counts: dict[str, UpsertCounts] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


class _Rollback(Exception):
    """Leaves the import's transaction without writing (dry run, or bad rows)."""


def _raw_values(table: org.Table | None, *columns: str) -> set:
    """Keys written in a file, good rows or bad, so that one bad OPD row does not
    also fail every employee that refers to it."""
    if table is None:
        return set()
    if len(columns) == 1:
        return {row.get(columns[0]).strip() for row in table.rows}
    return {tuple(row.get(c).strip() for c in columns) for row in table.rows}


def import_dataset(*, files: dict[str, bytes], dry_run: bool = False) -> ImportReport:
    """Validate every row of every given dataset file, then upsert all or nothing.

    ``files`` maps file names (``DATASET_FILES``) to their bytes; any subset may be
    given, and references to rows not in the files are checked against the database.
    With errors nothing is written and ``report.errors`` lists each bad row.
    ``dry_run`` performs the whole import in a transaction that is rolled back, so the
    counts are exactly what a real run would do.
    """
    report = ImportReport(dry_run=dry_run)
    tables: dict[str, org.Table | None] = {}
    for name in DATASET_FILES:
        if name in files:
            tables[name], errors = org.read_table(name, files[name], _COLUMNS[name])
            report.errors.extend(errors)

    def parse(name, parser, **known):
        if tables.get(name) is None:
            return []
        rows, errors = parser(tables[name], **known)
        report.errors.extend(errors)
        return rows

    try:
        with transaction.atomic():
            opd_codes = set(Opd.objects.values_list("code", flat=True))
            opd_codes |= _raw_values(tables.get("opds.csv"), "code")
            post_keys = set(ServicePost.objects.values_list("opd__code", "code"))
            post_keys |= _raw_values(tables.get("posts.csv"), "opd_code", "code")
            rows = {
                "opds.csv": parse("opds.csv", org.parse_opds),
                "posts.csv": parse("posts.csv", org.parse_posts, opd_codes=opd_codes),
                "employees.csv": parse(
                    "employees.csv", org.parse_employees, opd_codes=opd_codes, post_keys=post_keys
                ),
                "holidays.csv": parse("holidays.csv", sched.parse_holidays),
            }
            if "leaves.csv" in tables:
                nips = set(Employee.objects.values_list("nip", flat=True))
                nips |= _raw_values(tables.get("employees.csv"), "nip")
                rows["leaves.csv"] = parse("leaves.csv", sched.parse_leaves, nips=nips)
            if "policies.csv" in tables:
                existing = list(Policy.objects.values_list("name", "start", "end"))
                rows["policies.csv"] = parse(
                    "policies.csv", sched.parse_policies, existing=existing
                )
            if report.errors:
                raise _Rollback

            writers = {
                "opds.csv": upsert_opds,
                "posts.csv": upsert_posts,
                "employees.csv": upsert_employees,
                "leaves.csv": upsert_leaves,
                "holidays.csv": upsert_holidays,
                "policies.csv": upsert_policies,
            }
            for name in DATASET_FILES:
                if name in tables:
                    report.counts[name] = writers[name](rows[name])
            if dry_run:
                raise _Rollback
    except _Rollback:
        pass
    report.errors.sort(key=lambda e: (DATASET_FILES.index(e.file), e.line))
    return report


def upsert_leaves(rows: list[sched.LeaveRow]) -> UpsertCounts:
    """Leave is identified by (NIP, start, end); the same rows again change nothing.

    A stored leave that overlaps an imported one without being the same period is
    replaced by it (the file is the newer word on that person's leave)."""
    counts = UpsertCounts()
    if not rows:
        return counts
    employee_ids = {}
    for chunk in chunked(sorted({r.nip for r in rows})):
        employee_ids.update(Employee.objects.filter(nip__in=chunk).values_list("nip", "id"))
    low, high = min(r.start for r in rows), max(r.end for r in rows)
    stored = {}
    for chunk in chunked(sorted(employee_ids.values())):
        for leave in Leave.objects.filter(employee_id__in=chunk, start__lte=high, end__gte=low):
            stored.setdefault(leave.employee_id, []).append(leave)
    new, dirty, replaced = [], [], []
    for row in rows:
        employee_id = employee_ids[row.nip]
        same = next(
            (
                lv
                for lv in stored.get(employee_id, [])
                if (lv.start, lv.end) == (row.start, row.end)
            ),
            None,
        )
        if same is not None:
            if same.kind != row.kind:
                same.kind = row.kind
                dirty.append(same)
            else:
                counts.unchanged += 1
            continue
        replaced += [
            lv.pk
            for lv in stored.get(employee_id, [])
            if lv.start <= row.end and row.start <= lv.end
        ]
        new.append(Leave(employee_id=employee_id, start=row.start, end=row.end, kind=row.kind))
    Leave.objects.filter(pk__in=replaced).delete()
    Leave.objects.bulk_create(new, batch_size=1000)
    Leave.objects.bulk_update(dirty, ["kind"], batch_size=1000)
    counts.created, counts.updated = len(new), len(dirty)
    return counts


def upsert_holidays(rows: list[sched.HolidayRow]) -> UpsertCounts:
    counts = UpsertCounts()
    stored = {h.date: h for h in Holiday.objects.filter(date__in=[r.date for r in rows])}
    new, dirty = [], []
    for row in rows:
        holiday = stored.get(row.date)
        if holiday is None:
            new.append(Holiday(date=row.date, name=row.name))
        elif holiday.name != row.name:
            holiday.name = row.name
            dirty.append(holiday)
        else:
            counts.unchanged += 1
    Holiday.objects.bulk_create(new)
    Holiday.objects.bulk_update(dirty, ["name"])
    counts.created, counts.updated = len(new), len(dirty)
    return counts


def upsert_policies(rows: list[sched.PolicyRow]) -> UpsertCounts:
    counts = UpsertCounts()
    stored = {p.name: p for p in Policy.objects.filter(name__in=[r.name for r in rows])}
    fields = ("reference", "start", "end", "mode", "wfh_ratio", "weekdays")
    for row in rows:
        values = {f: getattr(row, f) for f in fields}
        policy = stored.get(row.name)
        if policy is None:
            Policy.objects.create(name=row.name, **values)
            counts.created += 1
            continue
        changed = {f: v for f, v in values.items() if _differs(getattr(policy, f), v)}
        if changed:
            Policy.objects.filter(pk=policy.pk).update(**changed)
            counts.updated += 1
        else:
            counts.unchanged += 1
    return counts


def _differs(stored, new) -> bool:
    if isinstance(new, float):
        return abs(float(stored) - new) > 1e-9
    return stored != new


def describe_counts(counts: UpsertCounts) -> str:
    return _("dibuat {created}, diperbarui {updated}, tidak berubah {unchanged}").format(
        created=counts.created, updated=counts.updated, unchanged=counts.unchanged
    )


# --- Roster build -------------------------------------------------------------------


@dataclass(frozen=True)
class OpdOutcome:
    opd_id: int
    opd_code: str
    outcome: str  # "built", "unchanged" or "refused"
    shortfalls: int = 0
    message: str = ""


class RosterLocked(Exception):
    """The roster is approved; it is never overwritten."""


def _week_inputs(week_start: date, opd_ids: list[int] | None) -> dict[int, tuple]:
    """Everything the builder needs for one week, per OPD, in seven queries."""
    friday = week_start + timedelta(days=4)
    opds = Opd.objects.order_by("code")
    if opd_ids is not None:
        opds = opds.filter(pk__in=opd_ids)
    opds = list(opds.values_list("id", "code", "essential"))
    ids = [opd_id for opd_id, _code, _essential in opds]

    posts: dict[int, list[rules.Post]] = {}
    for post in ServicePost.objects.filter(opd_id__in=ids).values(
        "id", "opd_id", "code", "name", "min_onsite"
    ):
        posts.setdefault(post["opd_id"], []).append(
            rules.Post(post["id"], post["code"], post["name"], post["min_onsite"])
        )
    people: dict[int, list[rules.Person]] = {}
    for pk, nip, opd_id, post_id, role, eligible in (
        Employee.objects.filter(opd_id__in=ids, active=True)
        .values_list("id", "nip", "opd_id", "post_id", "role", "wfh_eligible")
        .iterator(chunk_size=5000)
    ):
        people.setdefault(opd_id, []).append(
            rules.Person(pk, nip, post_id, role == Role.HEAD, eligible)
        )
    leaves: dict[int, dict[date, str]] = {}
    days = working_days(week_start)
    for employee_id, start, end, kind in Leave.objects.filter(
        employee__opd_id__in=ids, employee__active=True, start__lte=friday, end__gte=week_start
    ).values_list("employee_id", "start", "end", "kind"):
        for day in days:
            if start <= day <= end:
                leaves.setdefault(employee_id, {})[day] = kind
    extra = dict(
        Holiday.objects.filter(date__range=(week_start, friday)).values_list("date", "name")
    )
    holidays = holidays_between(week_start, friday, extra)
    policies = tuple(
        p.as_rule()
        for p in Policy.objects.filter(start__lte=friday, end__gte=week_start).order_by("start")
    )
    latest = (
        Roster.objects.filter(opd_id=OuterRef("opd_id"), week_start__lt=week_start)
        .exclude(status=RosterStatus.REJECTED)
        .order_by("-week_start")
        .values("week_start")[:1]
    )
    balances = dict(
        Roster.objects.filter(opd_id__in=ids, week_start=Subquery(latest)).values_list(
            "opd_id", "balances"
        )
    )

    inputs = {}
    for opd_id, code, essential in opds:
        staff = people.get(opd_id, [])
        carried = balances.get(opd_id, {})
        week = rules.WeekInput(
            week_start=week_start,
            essential=essential,
            people=tuple(staff),
            posts=tuple(posts.get(opd_id, ())),
            holidays=holidays,
            leaves={p.id: leaves[p.id] for p in staff if p.id in leaves},
            policies=policies,
            balances={p.id: carried[str(p.id)] for p in staff if str(p.id) in carried},
        )
        inputs[opd_id] = (code, week)
    return inputs


def _digest(week: rules.WeekInput) -> str:
    canonical = repr(
        (
            week.week_start,
            week.essential,
            sorted(week.people, key=lambda p: p.id),
            sorted(week.posts, key=lambda p: p.id),
            sorted(week.holidays.items()),
            sorted((pid, sorted(days.items())) for pid, days in week.leaves.items()),
            week.policies,
            sorted(week.balances.items()),
        )
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def _lock(week_start: date, opd_ids: list[int]) -> None:
    """Serialise builds of the same OPD-week until the transaction ends (PostgreSQL)."""
    if connection.vendor != "postgresql" or not opd_ids:
        return
    week_number = week_start.toordinal() // 7
    keys = sorted(opd_id * 2**20 + week_number % 2**20 for opd_id in opd_ids)
    with connection.cursor() as cursor:
        # One statement; the keys are taken in ascending order, so two builds of
        # overlapping OPD sets cannot deadlock.
        cursor.execute(
            "SELECT count(pg_advisory_xact_lock(k)) FROM unnest(%s::bigint[]) AS k", [keys]
        )


def _write_entries(rows: list[tuple]) -> None:
    """Insert entries: COPY on PostgreSQL (a quarter million rows in about a second),
    bulk_create elsewhere."""
    if connection.vendor == "postgresql":
        columns = "roster_id, employee_id, date, mode, reason, args, policy_id"
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY scheduling_rosterentry ({columns}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
        return
    RosterEntry.objects.bulk_create(
        [
            RosterEntry(
                roster_id=r,
                employee_id=e,
                date=d,
                mode=m,
                reason=why,
                args=json.loads(a),
                policy_id=p,
            )
            for r, e, d, m, why, a, p in rows
        ],
        batch_size=2000,
    )


def build_roster(
    *, week_start: date, opd_ids: list[int] | None = None, user=None
) -> list[OpdOutcome]:
    """Build or rebuild one week's rosters for the given OPDs (all OPDs by default).

    Loads the week in a fixed number of queries, plans each OPD with the pure builder,
    then writes in one transaction under a PostgreSQL advisory lock per OPD-week, so
    two builds of the same OPD-week never interleave and a killed build leaves
    nothing behind. Approved rosters are never overwritten (outcome ``refused``); a
    draft built from identical input is left as it is (``unchanged``), which makes a
    repeated delivery of the same task harmless.
    """
    inputs = _week_inputs(week_start, opd_ids)
    plans = {}
    for opd_id, (code, week) in inputs.items():
        plans[opd_id] = (code, _digest(week), rules.build_week(week))

    outcomes = []
    now = timezone.now()
    with transaction.atomic():
        _lock(week_start, list(plans))
        existing = {
            r.opd_id: r
            # Lock the roster rows only (of=self), not the OPDs a join would bring in.
            for r in Roster.objects.select_for_update(of=("self",))
            .filter(opd_id__in=list(plans), week_start=week_start)
            .order_by()
        }
        to_write = {}
        for opd_id, (code, digest, plan) in plans.items():
            roster = existing.get(opd_id)
            if roster is not None and not roster.can_rebuild:
                outcomes.append(
                    OpdOutcome(
                        opd_id,
                        code,
                        "refused",
                        roster.shortfall_count,
                        _(
                            "Roster {opd} minggu {week} sudah disetujui; roster yang "
                            "disetujui tidak pernah dibangun ulang."
                        ).format(opd=code, week=week_label(week_start)),
                    )
                )
                continue
            if (
                roster is not None
                and roster.status == RosterStatus.DRAFT
                and roster.input_digest == digest
            ):
                outcomes.append(OpdOutcome(opd_id, code, "unchanged", roster.shortfall_count))
                continue
            to_write[opd_id] = (code, digest, plan)

        rebuilt = [existing[o] for o in to_write if o in existing]
        RosterEntry.objects.filter(roster__in=rebuilt).delete()
        # Someone who moved OPD mid-week keeps the day already planned for them
        # elsewhere (the only entries left for these OPDs' staff after the delete);
        # the next rebuild of that other OPD releases it.
        days = working_days(week_start)
        taken = set(
            RosterEntry.objects.filter(
                employee__opd_id__in=list(to_write), date__range=(days[0], days[-1])
            ).values_list("employee_id", "date")
        )

        new_rosters = []
        for opd_id, (code, digest, plan) in to_write.items():
            fields = {
                "status": RosterStatus.DRAFT,
                "built_at": now,
                "decided_by": None,
                "decided_at": None,
                "reject_reason": "",
                "shortfall_count": len(plan.shortfalls),
                "shortfalls": [
                    {
                        "date": s.date.isoformat(),
                        "post_code": s.post_code,
                        "post_name": s.post_name,
                        "required": s.required,
                        "available": s.available,
                    }
                    for s in plan.shortfalls
                ],
                "balances": {str(pid): value for pid, value in plan.balances.items()},
                "input_digest": digest,
            }
            if opd_id in existing:
                for name, value in fields.items():
                    setattr(existing[opd_id], name, value)
            else:
                new_rosters.append(Roster(opd_id=opd_id, week_start=week_start, **fields))
            outcomes.append(OpdOutcome(opd_id, code, "built", len(plan.shortfalls)))
        if rebuilt:
            bulk_update_with_history(
                rebuilt,
                Roster,
                [
                    "status",
                    "built_at",
                    "decided_by",
                    "decided_at",
                    "reject_reason",
                    "shortfall_count",
                    "shortfalls",
                    "balances",
                    "input_digest",
                ],
                default_user=user,
                default_change_reason=_("dibangun ulang"),
            )
        if new_rosters:
            bulk_create_with_history(
                new_rosters, Roster, default_user=user, default_change_reason=_("dibangun")
            )
        roster_ids = {r.opd_id: r.pk for r in [*rebuilt, *new_rosters]}
        rows = [
            (
                roster_ids[opd_id],
                e.person_id,
                e.date,
                e.mode,
                e.reason,
                # Most entries have no arguments; skip 200,000 json.dumps calls for them.
                json.dumps(e.args, ensure_ascii=False) if e.args else "{}",
                e.policy_id,
            )
            for opd_id, (_c, _d, plan) in to_write.items()
            for e in plan.entries
            if (e.person_id, e.date) not in taken
        ]
        _write_entries(rows)
    return sorted(outcomes, key=lambda o: o.opd_code)


# --- Approval -----------------------------------------------------------------------


@dataclass(frozen=True)
class DecisionResult:
    changed: list[Roster]
    skipped: list[Roster]


def _decide(roster_ids, *, user, status: str, reason: str = "") -> DecisionResult:
    with transaction.atomic():
        rosters = list(
            Roster.objects.select_for_update(of=("self",))
            .select_related("opd")
            .filter(pk__in=roster_ids)
        )
        changed = [r for r in rosters if r.status == RosterStatus.DRAFT]
        skipped = [r for r in rosters if r.status != RosterStatus.DRAFT]
        now = timezone.now()
        for roster in changed:
            roster.status, roster.decided_by, roster.decided_at = status, user, now
            roster.reject_reason = reason
        if changed:
            bulk_update_with_history(
                changed,
                Roster,
                ["status", "decided_by", "decided_at", "reject_reason"],
                default_user=user,
                default_change_reason=reason or _("disetujui"),
            )
    return DecisionResult(changed, skipped)


def approve_rosters(*, roster_ids, user) -> DecisionResult:
    """Approve draft rosters (others are skipped); each change is kept in the history."""
    return _decide(roster_ids, user=user, status=RosterStatus.APPROVED)


def reject_rosters(*, roster_ids, user, reason: str) -> DecisionResult:
    """Reject draft rosters with a reason; the OPD's data is fixed and the week rebuilt."""
    reason = reason.strip()
    if not reason:
        raise ValueError(_("Alasan penolakan wajib diisi."))
    return _decide(roster_ids, user=user, status=RosterStatus.REJECTED, reason=reason)


# --- Week builds through the queue --------------------------------------------------


def start_week_build(*, week_start: date, task_id: str, user_id: int | None = None):
    """Record a build of one week for every OPD; a redelivered task finds its record.

    Returns the build and the OPD ids whose part is still pending (all of them the
    first time), for the caller to fan out.
    """
    with transaction.atomic():
        build, created = RosterBuild.objects.get_or_create(
            task_id=task_id, defaults={"week_start": week_start, "requested_by_id": user_id}
        )
        if created:
            RosterBuildItem.objects.bulk_create(
                RosterBuildItem(build=build, opd_id=opd_id)
                for opd_id in Opd.objects.order_by("code").values_list("id", flat=True)
            )
    pending = list(
        build.items.filter(outcome=RosterBuildItem.Outcome.PENDING).values_list("opd_id", flat=True)
    )
    return build, pending


def run_build_item(*, build_id: int, opd_id: int) -> str:
    """Build one OPD's part of a queued week build; a duplicate delivery does nothing."""
    build = RosterBuild.objects.select_related("requested_by").get(pk=build_id)
    item = RosterBuildItem.objects.get(build=build, opd_id=opd_id)
    if item.outcome != RosterBuildItem.Outcome.PENDING:
        return item.outcome
    [outcome] = build_roster(week_start=build.week_start, opd_ids=[opd_id], user=build.requested_by)
    RosterBuildItem.objects.filter(pk=item.pk, outcome=RosterBuildItem.Outcome.PENDING).update(
        outcome=outcome.outcome, message=outcome.message, finished_at=timezone.now()
    )
    notify_if_finished(build_id=build_id)
    return outcome.outcome


def fail_build_item(*, build_id: int, opd_id: int, message: str) -> None:
    RosterBuildItem.objects.filter(
        build_id=build_id, opd_id=opd_id, outcome=RosterBuildItem.Outcome.PENDING
    ).update(
        outcome=RosterBuildItem.Outcome.FAILED, message=message[:2000], finished_at=timezone.now()
    )
    notify_if_finished(build_id=build_id)


def notify_if_finished(*, build_id: int) -> bool:
    """E-mail BKPSDM once, when the last OPD of a build is done. True if it sent."""
    if RosterBuildItem.objects.filter(
        build_id=build_id, outcome=RosterBuildItem.Outcome.PENDING
    ).exists():
        return False
    # Two parts finishing at once both get here; only one wins this update.
    if not RosterBuild.objects.filter(pk=build_id, notified_at__isnull=True).update(
        notified_at=timezone.now()
    ):
        return False
    build = RosterBuild.objects.get(pk=build_id)
    items = list(build.items.select_related("opd").order_by("opd__code"))
    by_outcome = Counter(item.outcome for item in items)
    short = list(
        Roster.objects.filter(week_start=build.week_start, shortfall_count__gt=0)
        .select_related("opd")
        .order_by("opd__code")
    )
    week = week_label(build.week_start)
    lines = [
        _("Roster minggu {week} sudah dibangun dan menunggu persetujuan BKPSDM.").format(week=week),
        "",
        _("Dibangun: {n}").format(n=by_outcome[RosterBuildItem.Outcome.BUILT]),
        _("Tidak berubah: {n}").format(n=by_outcome[RosterBuildItem.Outcome.UNCHANGED]),
        _("Sudah disetujui (tidak disentuh): {n}").format(
            n=by_outcome[RosterBuildItem.Outcome.REFUSED]
        ),
        _("Gagal: {n}").format(n=by_outcome[RosterBuildItem.Outcome.FAILED]),
    ]
    if short:
        lines += ["", _("OPD dengan kekurangan petugas di pos pelayanan:")]
        lines += [f"- {r.opd.code} {r.opd.name}: {r.shortfall_count}" for r in short]
    failed = [i for i in items if i.outcome == RosterBuildItem.Outcome.FAILED]
    if failed:
        lines += ["", _("Gagal dibangun (coba lagi dengan build_roster):")]
        lines += [f"- {i.opd.code}: {i.message}" for i in failed]
    lines += [
        "",
        _("Setujui atau tolak di: {url}").format(
            url=f"{settings.SITE_URL}/admin/scheduling/roster/?week={week}&status__exact=draft"
        ),
    ]
    recipients = set(settings.BKPSDM_EMAILS)
    recipients |= set(
        get_user_model()
        .objects.filter(is_active=True, employee__role=Role.BKPSDM)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    if recipients:
        send_mail(
            _("Roster minggu {week} menunggu persetujuan").format(week=week),
            "\n".join(lines),
            None,
            sorted(recipients),
        )
    return True
