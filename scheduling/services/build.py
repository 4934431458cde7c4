"""Building a week's rosters: load in a fixed number of queries, plan, lock, write."""

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial
from operator import attrgetter

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from opd.batch import collector_paused
from opd.db import analyze, in_clause, placeholders
from opd.models import Employee, Role

from .. import roster as rules
from ..calendar import holidays_between, week_label, working_days
from ..models import Policy, Roster, RosterEntry, RosterStatus


@dataclass(frozen=True)
class OpdOutcome:
    opd_id: int
    opd_code: str
    outcome: str  # "built", "unchanged" or "refused"
    shortfalls: int = 0
    message: str = ""


# ``Person((...))`` without the named tuple's own ``__new__`` (a Python function), as the
# planner makes its entries: the loader makes one per employee (1,000 per adjustment).
_person = partial(tuple.__new__, rules.Person)


def week_inputs(week_start: date, opd_ids: list[int] | None) -> dict[int, tuple]:
    """Everything the builder needs for one week, per OPD, in eight queries."""
    return {
        opd_id: found for (_monday, opd_id), found in weeks_inputs([week_start], opd_ids).items()
    }


def weeks_inputs(mondays, opd_ids: list[int] | None) -> dict[tuple[date, int], tuple]:
    """``week_inputs`` for several weeks at once, per (Monday, OPD): the same eight
    queries whatever the number of weeks (the head's page of requests previews a
    request on whichever weeks it covers); ``opd_ids`` None for every OPD.

    Plain SQL through Django's cursor, the same on PostgreSQL and SQLite: every
    adjustment, swap and approved request loads its OPD's week here, and for an OPD of
    1,000 the ORM spent 8 of its 12 ms compiling eight statements and converting rows
    (issue 9: 4 ms this way). The rows are the ORM's, in the same order (the models'
    ``Meta.ordering``), so plans and input digests are unchanged."""
    mondays = sorted(set(mondays))
    if not mondays or (opd_ids is not None and not opd_ids):
        return {}
    first, last = mondays[0], mondays[-1] + timedelta(days=4)
    days = {monday: working_days(monday) for monday in mondays}
    with connection.cursor() as cursor:
        # Only placeholders and fixed text are joined into the statements below; every
        # value is bound.
        if opd_ids is None:
            cursor.execute("SELECT id, code, essential FROM opd_opd ORDER BY code")
        else:
            cursor.execute(
                "SELECT id, code, essential FROM opd_opd "  # noqa: S608
                f"WHERE id IN ({placeholders(len(opd_ids))}) ORDER BY code",
                list(opd_ids),
            )
        opds = [(pk, code, bool(essential)) for pk, code, essential in cursor.fetchall()]
        ids = [opd_id for opd_id, _code, _essential in opds]
        if not ids:
            return {}
        # The OPDs asked; no condition at all for every OPD.
        scope = None if opd_ids is None else ids

        posts: dict[int, list[rules.Post]] = {}
        of_opds, bound = in_clause("p.opd_id", scope)
        cursor.execute(
            "SELECT p.id, p.opd_id, p.code, p.name, p.min_onsite "  # noqa: S608
            "FROM opd_servicepost p JOIN opd_opd o ON o.id = p.opd_id "
            f"WHERE TRUE{of_opds} ORDER BY o.code, p.code",
            bound,
        )
        for pk, opd_id, code, name, min_onsite in cursor.fetchall():
            posts.setdefault(opd_id, []).append(rules.Post(pk, code, name, min_onsite))

        people: dict[int, list[rules.Person]] = {}
        of_opds, bound = in_clause("opd_id", scope)
        cursor.execute(
            "SELECT id, nip, opd_id, post_id, role, wfh_eligible FROM opd_employee "  # noqa: S608
            f"WHERE active{of_opds} ORDER BY nip",
            bound,
        )
        for pk, nip, opd_id, post_id, role, eligible in cursor.fetchall():
            people.setdefault(opd_id, []).append(
                _person((pk, nip, post_id, role == Role.HEAD, bool(eligible)))
            )

        # Per Monday: employee -> {day: kind} for the week's working days.
        leaves: dict[date, dict[int, dict[date, str]]] = {monday: {} for monday in mondays}
        of_opds, bound = in_clause("e.opd_id", scope)
        cursor.execute(
            'SELECT l.employee_id, l.start, l."end", l.kind FROM scheduling_leave l '  # noqa: S608
            "JOIN opd_employee e ON e.id = l.employee_id "
            f'WHERE e.active AND l.start <= %s AND l."end" >= %s{of_opds} ORDER BY l.start',
            [last, first, *bound],
        )
        for employee_id, start, end, kind in cursor.fetchall():
            for monday in mondays:
                for day in days[monday]:
                    if start <= day <= end:
                        leaves[monday].setdefault(employee_id, {})[day] = kind

        cursor.execute(
            "SELECT date, name FROM scheduling_holiday WHERE date BETWEEN %s AND %s ORDER BY date",
            [first, last],
        )
        extra = dict(cursor.fetchall())
        cursor.execute(
            'SELECT id, start, "end", mode, wfh_ratio, weekdays, max_remote_days_per_week '
            'FROM scheduling_policy WHERE start <= %s AND "end" >= %s ORDER BY start',
            [last, first],
        )
        stored_policies = [Policy.rule_of(*row) for row in cursor.fetchall()]

        # The balances each week starts from: those of the OPD's latest roster before it
        # that was not rejected. One statement: a roster is fetched when it is that latest
        # roster for one of the weeks, and a week takes the latest fetched before it.
        latest = " OR ".join(
            [
                "r.week_start = (SELECT b.week_start FROM scheduling_roster b "
                "WHERE b.opd_id = r.opd_id AND b.week_start < %s AND b.status <> %s "
                "ORDER BY b.week_start DESC LIMIT 1)"
            ]
            * len(mondays)
        )
        of_opds, bound = in_clause("r.opd_id", scope)
        cursor.execute(
            "SELECT r.opd_id, r.week_start, r.balances FROM scheduling_roster r "  # noqa: S608
            f"WHERE ({latest}){of_opds}",
            [value for monday in mondays for value in (monday, RosterStatus.REJECTED)] + bound,
        )
        earlier: dict[int, list[tuple[date, dict]]] = defaultdict(list)
        for opd_id, started, carried in cursor.fetchall():
            # JSON comes back as text from both drivers under Django.
            carried = json.loads(carried) if isinstance(carried, str) else carried
            # Keyed by employee id (JSON's keys are text).
            earlier[opd_id].append((started, {int(pk): value for pk, value in carried.items()}))

        pins: dict[tuple[date, int], dict[tuple[int, date], str]] = defaultdict(dict)
        # The same condition on r.opd_id as the balances' statement above.
        cursor.execute(
            "SELECT r.week_start, r.opd_id, p.employee_id, p.date, p.mode "  # noqa: S608
            "FROM scheduling_rosterpin p JOIN scheduling_roster r ON r.id = p.roster_id "
            f"WHERE r.week_start IN ({placeholders(len(mondays))}){of_opds}",
            [*mondays, *bound],
        )
        for monday, opd_id, employee_id, day, mode in cursor.fetchall():
            pins[(monday, opd_id)][(employee_id, day)] = mode

    inputs = {}
    for monday in mondays:
        friday = monday + timedelta(days=4)
        holidays = holidays_between(
            monday, friday, {d: name for d, name in extra.items() if monday <= d <= friday}
        )
        policies = tuple(p for p in stored_policies if p.start <= friday and p.end >= monday)
        week_leaves = leaves[monday]
        for opd_id, code, essential in opds:
            staff = people.get(opd_id, [])
            before = [found for found in earlier.get(opd_id, ()) if found[0] < monday]
            carried = max(before, key=lambda found: found[0])[1] if before else {}
            week = rules.WeekInput(
                week_start=monday,
                essential=essential,
                people=tuple(staff),
                posts=tuple(posts.get(opd_id, ())),
                holidays=holidays,
                leaves={p.id: week_leaves[p.id] for p in staff if p.id in week_leaves},
                policies=policies,
                balances={p.id: carried[p.id] for p in staff if p.id in carried},
                pins=pins.get((monday, opd_id), {}),
            )
            inputs[(monday, opd_id)] = (code, week)
    return inputs


def _digest(week: rules.WeekInput) -> str:
    """The digest of everything the planner reads: a draft built from the same input
    is left as it is."""
    return _digests(week, [week.pins])[0]


_BY_ID = attrgetter("id")
# What ``repr`` of a ``Person`` gives (a named tuple's repr, from its own fields), without
# a Python call per person: 1,000 of them cost an adjustment 1.6 ms through ``repr``.
_PERSON_FORMAT = f"{rules.Person.__name__}({', '.join(f'{n}=%r' for n in rules.Person._fields)})"


def _people_repr(people: list[rules.Person]) -> str:
    """``repr(people)``, faster (test_the_digest_renders_people_as_their_repr)."""
    return "[" + ", ".join(map(_PERSON_FORMAT.__mod__, people)) + "]"


class _Rendered(str):
    """Text already rendered: its ``repr`` is itself."""

    def __repr__(self):
        return str(self)


def _digests(week: rules.WeekInput, pin_sets) -> list[str]:
    """``_digest`` of ``week`` with each of ``pin_sets`` as its pins, writing the rest of
    the input (1,000 people for an OPD of 1,000) out once: the text hashed is the
    ``repr`` of the tuple below, its last element the sorted pins."""
    rest = (
        week.week_start,
        week.essential,
        _Rendered(_people_repr(sorted(week.people, key=_BY_ID))),
        sorted(week.posts, key=lambda p: p.id),
        sorted(week.holidays.items()),
        sorted((pid, sorted(days.items())) for pid, days in week.leaves.items()),
        week.policies,
        sorted(week.balances.items()),
    )
    head = hashlib.sha256(("(" + "".join(f"{part!r}, " for part in rest)).encode())
    digests = []
    for pins in pin_sets:
        digest = head.copy()
        digest.update(f"{sorted(pins.items())!r})".encode())
        digests.append(digest.hexdigest())
    return digests


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


class StaleInput(Exception):
    """What a build planned from changed before it could be written; build again."""


def _hold(model, ids: set[int]) -> set[int]:
    """Lock the rows of ``ids`` in ``model``'s table ``FOR KEY SHARE`` on PostgreSQL
    until the transaction ends (the lock a foreign key check takes, taken once for the
    set instead of once per entry, see ``RosterEntry``) and return the ids no longer
    there. Only those come back, not the 100,000 held. Elsewhere (SQLite serialises
    writers) a plain read."""
    if not ids:
        return set()
    table = connection.ops.quote_name(model._meta.db_table)
    ordered = sorted(ids)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The table name comes from the model; the ids are one bound string. Django
            # binds parameters on the client, and a list of 100,000 numbers takes it
            # 0.12-0.16 s to write out as an array literal; their join, 0.01 s.
            held = f"SELECT id FROM {table} WHERE id = ANY(string_to_array(%s, ',')::bigint[])"  # noqa: S608
            listed = ",".join(map(str, ordered))
            cursor.execute(f"SELECT count(*) FROM ({held} FOR KEY SHARE) AS held", [listed])  # noqa: S608
            if cursor.fetchone()[0] == len(ordered):
                return set()
            # Someone is gone (rare): which one. The others are locked already.
            cursor.execute(held, [listed])
            return set(ordered) - {pk for (pk,) in cursor.fetchall()}
    found: set[int] = set()
    for start in range(0, len(ordered), 900):
        found.update(
            model.objects.filter(pk__in=ordered[start : start + 900]).values_list("pk", flat=True)
        )
    return set(ordered) - found


def _built_state(plan: rules.WeekPlan, digest: str, now) -> dict:
    """A roster's fields as a build leaves them: a fresh draft with the plan's figures."""
    return {
        "status": RosterStatus.DRAFT,
        "submitted_by": None,
        "submitted_at": None,
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
        "ratio_gaps": [
            {
                "date": g.date.isoformat(),
                "wanted": g.wanted,
                "planned": g.planned,
                "capped": g.capped,
                "cap": g.cap,
            }
            for g in plan.ratio_gaps
        ],
        "balances": {str(pid): value for pid, value in plan.balances.items()},
        "input_digest": digest,
    }


# The fields a rebuild updates: exactly those a build sets.
BUILT_STATE_FIELDS = list(_built_state(rules.WeekPlan([], [], {}), "", None))


def build_roster(
    *, week_start: date, opd_ids: list[int] | None = None, user=None
) -> list[OpdOutcome]:
    """Build or rebuild one week's rosters for the given OPDs (all OPDs by default).

    Loads the week in a fixed number of queries, then in one transaction under a
    PostgreSQL advisory lock per OPD-week (two builds of the same OPD-week never
    interleave, and a killed build leaves nothing behind) plans each OPD with the pure
    builder and writes it. Approved rosters are never overwritten (outcome
    ``refused``); a draft built from identical input is left as it is (``unchanged``),
    which makes a repeated delivery of the same task harmless. Neither is planned: the
    input digest decides.
    """
    with collector_paused():
        return _build(week_start, opd_ids, user)


def _build(week_start: date, opd_ids: list[int] | None, user) -> list[OpdOutcome]:
    inputs = week_inputs(week_start, opd_ids)
    # The input digests of the drafts to compare; the others' are computed as they are
    # planned, while the server stores the OPD before.
    digests = {}

    outcomes = []
    now = timezone.now()
    with transaction.atomic():
        _lock(week_start, list(inputs))
        existing = {
            r.opd_id: r
            # Lock the roster rows only (of=self), not the OPDs a join would bring in.
            for r in Roster.objects.select_for_update(of=("self",))
            .filter(opd_id__in=list(inputs), week_start=week_start)
            .order_by()
        }
        to_write = {}
        for opd_id, (code, week) in inputs.items():
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
            if roster is not None and roster.status in (RosterStatus.DRAFT, RosterStatus.SUBMITTED):
                digests[opd_id] = _digest(week)
                if roster.input_digest == digests[opd_id]:
                    outcomes.append(OpdOutcome(opd_id, code, "unchanged", roster.shortfall_count))
                    continue
            to_write[opd_id] = (code, week)

        rebuilt = [existing[o] for o in to_write if o in existing]
        RosterEntry.objects.filter(roster__in=rebuilt).delete()
        # Someone who moved OPD mid-week keeps the day already planned for them
        # elsewhere (the only entries left for these OPDs' staff after the delete);
        # the next rebuild of that other OPD releases it.
        # Found through this week's rosters: a filter on the dates alone scans every
        # past week's entries (0.4 s with four weeks of 100,000 people, growing weekly).
        taken = set(
            RosterEntry.objects.filter(
                roster__week_start=week_start, employee__opd_id__in=list(to_write)
            ).values_list("employee_id", "date")
        )
        # The references the entries will make, held as a foreign key check would hold
        # them (see ``RosterEntry``), before planning: someone deleted since the week
        # was loaded gets no entries, and a policy deleted since makes the build stale.
        gone = _hold(Employee, {p.id for _c, week in to_write.values() for p in week.people})
        if _hold(Policy, {p.id for _c, week in to_write.values() for p in week.policies}):
            raise StaleInput(_("Kebijakan WFH diubah saat roster dibangun; bangun ulang."))

        # Each OPD's entries are written as soon as it is planned (on PostgreSQL into
        # one open COPY, so the server stores one OPD while Python plans the next).
        ids = _roster_ids(existing, [o for o in to_write if o not in existing])
        new_rosters = []
        with _EntryWriter(ids) as writer:
            for opd_id, (code, week) in to_write.items():
                plan = rules.plan_week(week)
                entries = plan.entries
                if gone:
                    entries = [e for e in entries if e.person_id not in gone]
                if taken:
                    entries = [e for e in entries if (e.person_id, e.date) not in taken]
                writer.add(opd_id, entries)
                digest = digests.get(opd_id) or _digest(week)
                fields = _built_state(plan, digest, now)
                if opd_id in existing:
                    for name, value in fields.items():
                        setattr(existing[opd_id], name, value)
                else:
                    new_rosters.append(
                        Roster(pk=ids.get(opd_id), opd_id=opd_id, week_start=week_start, **fields)
                    )
                outcomes.append(OpdOutcome(opd_id, code, "built", len(plan.shortfalls)))
        if rebuilt:
            bulk_update_with_history(
                rebuilt,
                Roster,
                BUILT_STATE_FIELDS,
                default_user=user,
                default_change_reason=_("dibangun ulang"),
            )
        if new_rosters:
            bulk_create_with_history(
                new_rosters, Roster, default_user=user, default_change_reason=_("dibangun")
            )
        ids.update({r.opd_id: r.pk for r in new_rosters})
        writer.flush()
        # The export and the pages read these tables next; with autovacuum off (or slow
        # after a quarter-million-row COPY) their plans would assume empty tables.
        analyze(RosterEntry, Roster)
    return sorted(outcomes, key=lambda o: o.opd_code)


def _roster_ids(existing: dict[int, Roster], new_opd_ids: list[int]) -> dict[int, int]:
    """Roster id per OPD: the existing rosters' and, on PostgreSQL, ids taken from the
    sequence for the new ones, so their entries can be written before the rosters
    (the entries' reference has no database constraint). Elsewhere the new rosters get
    their ids when they are created, and their entries are written after them."""
    ids = {opd_id: roster.pk for opd_id, roster in existing.items()}
    if new_opd_ids and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [Roster._meta.db_table, len(new_opd_ids)],
            )
            ids.update(zip(new_opd_ids, (pk for (pk,) in cursor.fetchall()), strict=True))
    return ids


def stored_entry(roster_id: int | None, entry: rules.Entry, pk: int | None = None) -> RosterEntry:
    """The row a planned entry is stored as (``pk`` to rewrite a stored one)."""
    return RosterEntry(
        pk=pk,
        roster_id=roster_id,
        employee_id=entry.person_id,
        date=entry.date,
        mode=entry.mode,
        reason=entry.reason,
        args=dict(entry.args),
        policy_id=entry.policy_id,
    )


class _EntryWriter:
    """Writes planned entries, per OPD, for the rosters in ``ids`` (OPD -> roster id,
    filled in by the caller before ``flush`` for rosters created after the block).

    PostgreSQL: one ``COPY`` open for the block (no other statement can run on the
    connection meanwhile); each OPD's rows go out as it is planned, so a quarter of a
    million rows take about a second of server time that overlaps the planning.
    Elsewhere: the entries are kept and written by one ``bulk_create`` in ``flush``."""

    COLUMNS = "roster_id, employee_id, date, mode, reason, args, policy_id"

    def __init__(self, ids: dict[int, int]):
        self.ids = ids
        self.pending: list[tuple[int, list]] = []
        self.days: dict[date, str] = {}
        self.copy = None

    def __enter__(self):
        if connection.vendor == "postgresql":
            self._cursor = connection.cursor()
            self._copy_block = self._cursor.cursor.copy(
                f"COPY {RosterEntry._meta.db_table} ({self.COLUMNS}) FROM STDIN"
            )
            self.copy = self._copy_block.__enter__()
        return self

    def add(self, opd_id: int, entries: list) -> None:
        if self.copy is None:
            self.pending.append((opd_id, entries))
            return
        # COPY's text format, written out here: 500,000 rows in 0.40 s of Python
        # instead of 1.03 s through psycopg's ``write_row``. Every value but the arguments is a
        # number, a date or one of the planner's own words (no tab, newline or
        # backslash); the arguments are JSON, whose text has no raw control character,
        # so only its backslashes need escaping.
        roster = self.ids[opd_id]
        days = self.days
        lines = []
        for e in entries:
            day = days.get(e.date)
            if day is None:
                day = days[e.date] = e.date.isoformat()
            # Most entries have no arguments: no json.dumps call for them.
            args = json.dumps(e.args, ensure_ascii=False).replace("\\", "\\\\") if e.args else "{}"
            policy = "\\N" if e.policy_id is None else e.policy_id
            lines.append(
                f"{roster}\t{e.person_id}\t{day}\t{e.mode}\t{e.reason}\t{args}\t{policy}\n"
            )
        self.copy.write("".join(lines))

    def __exit__(self, kind, error, trace):
        if self.copy is not None:
            try:
                self._copy_block.__exit__(kind, error, trace)
            finally:
                self._cursor.close()
        return False

    def flush(self) -> None:
        """Elsewhere than PostgreSQL, write the entries once every roster has its id."""
        RosterEntry.objects.bulk_create(
            [
                stored_entry(self.ids[opd_id], e)
                for opd_id, entries in self.pending
                for e in entries
            ],
            batch_size=2000,
        )
        self.pending = []
