"""Building a week's rosters: load in a fixed number of queries, plan, lock, write."""

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import connection, transaction
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from opd.db import analyze
from opd.models import Employee, Opd, Role, ServicePost

from .. import roster as rules
from ..calendar import holidays_between, week_label, working_days
from ..models import Holiday, Leave, Policy, Roster, RosterEntry, RosterPin, RosterStatus


@dataclass(frozen=True)
class OpdOutcome:
    opd_id: int
    opd_code: str
    outcome: str  # "built", "unchanged" or "refused"
    shortfalls: int = 0
    message: str = ""


def week_inputs(week_start: date, opd_ids: list[int] | None) -> dict[int, tuple]:
    """Everything the builder needs for one week, per OPD, in eight queries."""
    return {
        opd_id: found for (_monday, opd_id), found in weeks_inputs([week_start], opd_ids).items()
    }


def weeks_inputs(mondays, opd_ids: list[int] | None) -> dict[tuple[date, int], tuple]:
    """``week_inputs`` for several weeks at once, per (Monday, OPD): the same eight
    queries whatever the number of weeks (the head's page of requests previews a
    request on whichever weeks it covers)."""
    mondays = sorted(set(mondays))
    if not mondays:
        return {}
    first, last = mondays[0], mondays[-1] + timedelta(days=4)
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
    for pk, nip, opd_id, post_id, role, eligible in Employee.objects.filter(
        opd_id__in=ids, active=True
    ).values_list("id", "nip", "opd_id", "post_id", "role", "wfh_eligible"):
        people.setdefault(opd_id, []).append(
            rules.Person(pk, nip, post_id, role == Role.HEAD, eligible)
        )
    # Per Monday: employee -> {day: kind} for the week's working days.
    leaves: dict[date, dict[int, dict[date, str]]] = {monday: {} for monday in mondays}
    days = {monday: working_days(monday) for monday in mondays}
    for employee_id, start, end, kind in Leave.objects.filter(
        employee__opd_id__in=ids, employee__active=True, start__lte=last, end__gte=first
    ).values_list("employee_id", "start", "end", "kind"):
        for monday in mondays:
            for day in days[monday]:
                if start <= day <= end:
                    leaves[monday].setdefault(employee_id, {})[day] = kind
    extra = dict(Holiday.objects.filter(date__range=(first, last)).values_list("date", "name"))
    stored_policies = list(Policy.objects.filter(start__lte=last, end__gte=first).order_by("start"))
    # The balances each week starts from: those of the OPD's latest roster before it
    # that was not rejected. One statement: a roster is fetched when it is that latest
    # roster for one of the weeks, and a week takes the latest fetched before it.
    latest = Q()
    for monday in mondays:
        latest |= Q(
            week_start=Subquery(
                Roster.objects.filter(opd_id=OuterRef("opd_id"), week_start__lt=monday)
                .exclude(status=RosterStatus.REJECTED)
                .order_by("-week_start")
                .values("week_start")[:1]
            )
        )
    earlier: dict[int, list[tuple[date, dict]]] = defaultdict(list)
    for opd_id, started, carried in Roster.objects.filter(latest, opd_id__in=ids).values_list(
        "opd_id", "week_start", "balances"
    ):
        earlier[opd_id].append((started, carried))

    pins: dict[tuple[date, int], dict[tuple[int, date], str]] = defaultdict(dict)
    for monday, opd_id, employee_id, day, mode in RosterPin.objects.filter(
        roster__opd_id__in=ids, roster__week_start__in=mondays
    ).values_list("roster__week_start", "roster__opd_id", "employee_id", "date", "mode"):
        pins[(monday, opd_id)][(employee_id, day)] = mode

    inputs = {}
    for monday in mondays:
        friday = monday + timedelta(days=4)
        holidays = holidays_between(
            monday, friday, {d: name for d, name in extra.items() if monday <= d <= friday}
        )
        policies = tuple(
            p.as_rule() for p in stored_policies if p.start <= friday and p.end >= monday
        )
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
                balances={p.id: carried[str(p.id)] for p in staff if str(p.id) in carried},
                pins=pins.get((monday, opd_id), {}),
            )
            inputs[(monday, opd_id)] = (code, week)
    return inputs


def _digest(week: rules.WeekInput) -> str:
    """The digest of everything the planner reads: a draft built from the same input
    is left as it is."""
    return _digests(week, [week.pins])[0]


def _digests(week: rules.WeekInput, pin_sets) -> list[str]:
    """``_digest`` of ``week`` with each of ``pin_sets`` as its pins, writing the rest of
    the input (1,000 people for an OPD of 1,000) out once: the text hashed is the
    ``repr`` of the tuple below, its last element the sorted pins."""
    rest = (
        week.week_start,
        week.essential,
        sorted(week.people, key=lambda p: p.id),
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


class StaleInput(Exception):
    """What a build planned from changed before it could be written; build again."""


def _hold(model, ids: set[int]) -> set[int]:
    """Of ``ids``, those still in ``model``'s table, locked ``FOR KEY SHARE`` on
    PostgreSQL until the transaction ends: the lock a foreign key check takes, taken
    once for the set instead of once per entry (see ``RosterEntry``). Elsewhere (SQLite
    serialises writers) a plain read."""
    if not ids:
        return set()
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The table name comes from the model; the ids are one bound array.
            cursor.execute(
                f"SELECT id FROM {table} WHERE id = ANY(%s) FOR KEY SHARE",  # noqa: S608
                [sorted(ids)],
            )
            return {pk for (pk,) in cursor.fetchall()}
    found: set[int] = set()
    ordered = sorted(ids)
    for start in range(0, len(ordered), 900):
        found.update(
            model.objects.filter(pk__in=ordered[start : start + 900]).values_list("pk", flat=True)
        )
    return found


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

    Loads the week in a fixed number of queries, plans each OPD with the pure builder,
    then writes in one transaction under a PostgreSQL advisory lock per OPD-week, so
    two builds of the same OPD-week never interleave and a killed build leaves
    nothing behind. Approved rosters are never overwritten (outcome ``refused``); a
    draft built from identical input is left as it is (``unchanged``), which makes a
    repeated delivery of the same task harmless.
    """
    inputs = week_inputs(week_start, opd_ids)
    plans = {}
    for opd_id, (code, week) in inputs.items():
        plans[opd_id] = (code, _digest(week), rules.plan_week(week))

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
                and roster.status in (RosterStatus.DRAFT, RosterStatus.SUBMITTED)
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
            fields = _built_state(plan, digest, now)
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
                BUILT_STATE_FIELDS,
                default_user=user,
                default_change_reason=_("dibangun ulang"),
            )
        if new_rosters:
            bulk_create_with_history(
                new_rosters, Roster, default_user=user, default_change_reason=_("dibangun")
            )
        roster_ids = {r.opd_id: r.pk for r in [*rebuilt, *new_rosters]}
        # The references the entries make, held as a foreign key check would hold them.
        planned = [e for _c, _d, plan in to_write.values() for e in plan.entries]
        people = _hold(Employee, {e.person_id for e in planned})
        policy_ids = {e.policy_id for e in planned if e.policy_id is not None}
        if _hold(Policy, policy_ids) != policy_ids:
            raise StaleInput(_("Kebijakan WFH diubah saat roster dibangun; bangun ulang."))
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
            # Someone deleted since the week was loaded gets no entries.
            if (e.person_id, e.date) not in taken and e.person_id in people
        ]
        _write_entries(rows)
        # The export and the pages read these tables next; with autovacuum off (or slow
        # after a quarter-million-row COPY) their plans would assume empty tables.
        analyze(RosterEntry, Roster)
    return sorted(outcomes, key=lambda o: o.opd_code)
