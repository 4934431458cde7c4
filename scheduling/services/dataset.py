"""The dataset import: every CSV file validated first, then upserted all or nothing."""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from opd import importing as org
from opd.db import analyze
from opd.models import Employee, MonthlyCost, Opd, ServicePost
from opd.services import UpsertCounts, chunked, upsert_employees, upsert_opds, upsert_posts

from .. import importing as sched
from ..models import Holiday, Leave, Policy
from ..periods import overlapping

DATASET_FILES = (
    "opds.csv",
    "posts.csv",
    "employees.csv",
    "leaves.csv",
    "holidays.csv",
    "policies.csv",
    "costs.csv",
)
_COLUMNS = {
    "opds.csv": org.OPD_COLUMNS,
    "posts.csv": org.POST_COLUMNS,
    "employees.csv": org.EMPLOYEE_COLUMNS,
    "leaves.csv": sched.LEAVE_COLUMNS,
    "holidays.csv": sched.HOLIDAY_COLUMNS,
    "policies.csv": sched.POLICY_COLUMNS,
    "costs.csv": sched.COST_COLUMNS,
}


@dataclass
class ImportReport:
    dry_run: bool
    errors: list[org.RowError] = field(default_factory=list)
    # Accepted rows the person should check (a NIP ending in 000); never stop the import.
    warnings: list[org.RowWarning] = field(default_factory=list)
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
    With errors nothing is written and ``report.errors`` lists each bad row;
    ``report.warnings`` lists accepted values worth a second look, errors or not.
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
                    "employees.csv",
                    org.parse_employees,
                    opd_codes=opd_codes,
                    post_keys=post_keys,
                    warnings=report.warnings,
                ),
                "holidays.csv": parse("holidays.csv", sched.parse_holidays),
                "costs.csv": parse("costs.csv", sched.parse_costs, opd_codes=opd_codes),
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
                "costs.csv": upsert_costs,
            }
            for name in DATASET_FILES:
                if name in tables:
                    report.counts[name] = writers[name](rows[name])
            if dry_run:
                raise _Rollback
            # Fresh planner statistics for what was bulk-written, after the commit.
            analyze(Opd, ServicePost, Employee, Leave, Holiday, Policy, MonthlyCost)
    except _Rollback:
        pass
    for issues in (report.errors, report.warnings):
        issues.sort(key=lambda e: (DATASET_FILES.index(e.file), e.line))
    return report


def upsert_leaves(rows: list[sched.LeaveRow]) -> UpsertCounts:
    """Leave is identified by (NIP, start, end); the same rows again change nothing.

    ``rows`` come from ``parse_leaves``, so no two of one person overlap. A stored leave
    that overlaps an imported one without being the same period is replaced by it: the
    file is the newer word on that person's leave. Afterwards no stored leave of these
    people overlaps another (``periods.overlaps``, the rule of ``Leave.clean()``; on
    PostgreSQL the exclusion constraint would refuse the write otherwise).
    """
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
    new, dirty, replaced = [], [], set()
    for row in rows:
        employee_id = employee_ids[row.nip]
        rivals = overlapping(row, stored.get(employee_id, []))
        same = next((lv for lv in rivals if (lv.start, lv.end) == (row.start, row.end)), None)
        others = {lv.pk for lv in rivals if lv is not same}
        replaced |= others
        if same is None:
            new.append(Leave(employee_id=employee_id, start=row.start, end=row.end, kind=row.kind))
        elif same.kind != row.kind or others:
            same.kind = row.kind
            dirty.append(same)
        else:
            counts.unchanged += 1
    # Deleted first: on PostgreSQL the exclusion constraint checks every inserted row.
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


def upsert_costs(rows: list[sched.CostRow]) -> UpsertCounts:
    """A month's cost is identified by (OPD, month); a new amount replaces the old."""
    counts = UpsertCounts()
    opd_ids = dict(
        Opd.objects.filter(code__in={r.opd_code for r in rows}).values_list("code", "id")
    )
    stored = {
        (cost.opd_id, cost.month): cost
        for cost in MonthlyCost.objects.filter(
            opd_id__in=opd_ids.values(), month__in={r.month for r in rows}
        )
    }
    new, dirty = [], []
    for row in rows:
        cost = stored.get((opd_ids[row.opd_code], row.month))
        if cost is None:
            new.append(
                MonthlyCost(opd_id=opd_ids[row.opd_code], month=row.month, amount=row.amount)
            )
        elif cost.amount != row.amount:
            cost.amount = row.amount
            dirty.append(cost)
        else:
            counts.unchanged += 1
    MonthlyCost.objects.bulk_create(new)
    MonthlyCost.objects.bulk_update(dirty, ["amount"])
    counts.created, counts.updated = len(new), len(dirty)
    return counts


def upsert_policies(rows: list[sched.PolicyRow]) -> UpsertCounts:
    counts = UpsertCounts()
    stored = {p.name: p for p in Policy.objects.filter(name__in=[r.name for r in rows])}
    fields = ("reference", "start", "end", "mode", "wfh_ratio", "weekdays")
    for row in rows:
        values = {f: getattr(row, f) for f in (*fields, *row.optional)}
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
