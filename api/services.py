"""Writes pushed through the API: JSON items -> the dataset import's own parse and upsert
functions (``leaves.csv``, ``employees.csv``), all or nothing, errors named by item."""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from opd import importing as org
from opd.models import Employee, Opd, ServicePost
from opd.services import UpsertCounts, chunked, upsert_employees
from scheduling import importing as sched
from scheduling import roster as rules
from scheduling.services.changes import ChangeError
from scheduling.services.dataset import upsert_leaves
from scheduling.services.requests import LeavePeriod, leave_on_rosters

from .models import ApiKey

MAX_ITEMS = 5000


class Refused(Exception):
    """The push writes nothing; ``status`` is 400 (bad items) or 403 (another OPD)."""

    def __init__(self, status: int, errors: list[str]):
        super().__init__(errors)
        self.status = status
        self.errors = errors


@dataclass
class Pushed:
    counts: UpsertCounts
    warnings: list[str] = field(default_factory=list)


def item_text(issue: org.RowError) -> str:
    if issue.column == "-":
        return _("item {n}: {reason}").format(n=issue.line, reason=issue.reason)
    return _("item {n}: {column}: {reason}").format(
        n=issue.line, column=issue.column, reason=issue.reason
    )


def _value(value) -> str | None:
    """An item's value as the CSV cell it stands for; None when it cannot be one."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | float | str):
        text = str(value)
        # PostgreSQL cannot compare text holding NUL: refused here, not a 500 later.
        return None if "\x00" in text else text
    return None


def items_table(file: str, items, columns) -> org.Table:
    """``items`` (JSON objects) as the rows of a CSV file, numbered from 1; values that
    are not text, numbers or yes/no are refused with the item's number."""
    if not isinstance(items, list) or not items:
        raise Refused(400, [_('"items" harus berupa daftar berisi paling sedikit satu item.')])
    if len(items) > MAX_ITEMS:
        raise Refused(400, [_("Paling banyak {n} item per permintaan.").format(n=MAX_ITEMS)])
    rows, errors, present = [], [], set()
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            errors.append(_("item {n}: harus berupa objek JSON.").format(n=number))
            continue
        values = {}
        for name, raw in item.items():
            value = _value(raw)
            if value is None:
                errors.append(
                    _(
                        "item {n}: {column}: harus teks (tanpa karakter NUL), angka atau "
                        "true/false."
                    ).format(n=number, column=name)
                )
            values[str(name).strip().lower()] = value or ""
        rows.append(org.Row(number, values, frozenset(values)))
        present |= set(values)
    if errors:
        raise Refused(400, errors)
    return org.Table(file, rows, frozenset(present) | frozenset(columns))


def _bound_opd(key: ApiKey, codes_by_item: dict[int, str]) -> None:
    """A key bound to one OPD writes only that OPD's people (403 naming the items)."""
    if key.opd_id is None:
        return
    foreign = [n for n, code in codes_by_item.items() if code and code != key.opd.code]
    if foreign:
        raise Refused(
            403,
            [
                _("item {n}: kunci API ini hanya untuk OPD {code}.").format(n=n, code=key.opd.code)
                for n in foreign
            ],
        )


def push_leaves(items, key: ApiKey) -> Pushed:
    """``leaves.csv`` rows as JSON: validated by ``parse_leaves``, written by
    ``upsert_leaves``, and put on the submitted or approved rosters of those days as
    LEAVE (as an approved leave request is), so the schedule read back shows them."""
    table = items_table("leaves", items, sched.LEAVE_COLUMNS)
    with transaction.atomic():
        wanted = {row.get("nip") for row in table.rows}
        people, ids = {}, {}
        for chunk in chunked(sorted(wanted)):
            for nip, pk, opd_code in Employee.objects.filter(nip__in=chunk).values_list(
                "nip", "pk", "opd__code"
            ):
                people[nip], ids[nip] = opd_code, pk
        _bound_opd(key, {row.line: people.get(row.get("nip"), "") for row in table.rows})
        rows, errors = sched.parse_leaves(table, nips=set(people))
        if errors:
            raise Refused(400, [item_text(e) for e in errors])
        counts = upsert_leaves(rows)
        _leave_on_rosters(rows, ids, key)
    return Pushed(counts)


def _leave_on_rosters(rows: list[sched.LeaveRow], ids: dict[str, int], key: ApiKey) -> None:
    """The pushed leave reaches the rosters the way an approved leave request does
    (``leave_on_rosters``); days already LEAVE are left as they are, so a repeated push
    changes nothing."""
    periods = [LeavePeriod(ids[r.nip], r.start, r.end, r.kind) for r in rows]
    try:
        leave_on_rosters(
            periods,
            user=key.created_by,
            note=_("Cuti dari {key} (API)").format(key=key.name),
            skip_modes=(rules.HOLIDAY, rules.LEAVE),
        )
    except ChangeError as error:
        raise Refused(400, [str(error)]) from None


def push_employees(items, key: ApiKey) -> Pushed:
    """``employees.csv`` rows as JSON: ``parse_employees`` (NIP checks included), then
    ``upsert_employees``; accepted NIPs worth a second look come back as warnings."""
    table = items_table("employees", items, org.EMPLOYEE_COLUMNS)
    _bound_opd(key, {row.line: row.get("opd_code").strip() for row in table.rows})
    warnings: list[org.RowWarning] = []
    with transaction.atomic():
        opd_codes = set(Opd.objects.values_list("code", flat=True))
        post_keys = set(ServicePost.objects.values_list("opd__code", "code"))
        rows, errors = org.parse_employees(
            table, opd_codes=opd_codes, post_keys=post_keys, warnings=warnings
        )
        if errors:
            raise Refused(400, [item_text(e) for e in errors])
        counts = upsert_employees(rows)
    return Pushed(counts, [item_text(w) for w in warnings])
