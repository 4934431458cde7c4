"""Writers for the organisation: upserts from validated import rows, login accounts.

Callers wrap these in one transaction (``scheduling.services.import_dataset`` runs
every file of a dataset together). Each function loads what exists in a few chunked
queries, compares in Python and writes with ``bulk_create`` / ``bulk_update``, so a
50,000-employee file costs a few hundred statements, not one per row.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from .access import ROLE_GROUPS
from .importing import EmployeeRow, OpdRow, PostRow
from .models import Employee, Opd, Role, ServicePost

BATCH = 1000
# Stay under SQLite's bound-parameter limit when filtering with IN (...).
IN_CHUNK = 900


@dataclass
class UpsertCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def chunked(values: list, size: int = IN_CHUNK) -> Iterator[list]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _changed(obj, values: dict) -> bool:
    changed = False
    for field, value in values.items():
        if getattr(obj, field) != value:
            setattr(obj, field, value)
            changed = True
    return changed


def upsert_opds(rows: Iterable[OpdRow]) -> UpsertCounts:
    rows = list(rows)
    existing = {opd.code: opd for opd in Opd.objects.filter(code__in=[r.code for r in rows])}
    counts, new, dirty = UpsertCounts(), [], []
    fields = {"name", "essential"}
    for row in rows:
        values = {"name": row.name, "essential": row.essential}
        for column in row.optional:
            values[column] = getattr(row, column)
            fields.add(column)
        opd = existing.get(row.code)
        if opd is None:
            defaults = {k: v for k, v in values.items() if v is not None}
            new.append(Opd(code=row.code, **defaults))
        elif _changed(opd, values):
            dirty.append(opd)
        else:
            counts.unchanged += 1
    Opd.objects.bulk_create(new, batch_size=BATCH)
    Opd.objects.bulk_update(dirty, sorted(fields), batch_size=BATCH)
    counts.created, counts.updated = len(new), len(dirty)
    return counts


def upsert_posts(rows: Iterable[PostRow]) -> UpsertCounts:
    rows = list(rows)
    opd_ids = dict(
        Opd.objects.filter(code__in={r.opd_code for r in rows}).values_list("code", "id")
    )
    existing = {
        (post.opd_id, post.code): post
        for post in ServicePost.objects.filter(opd_id__in=opd_ids.values())
    }
    counts, new, dirty = UpsertCounts(), [], []
    for row in rows:
        opd_id = opd_ids[row.opd_code]
        values = {"name": row.name, "min_onsite": row.min_onsite}
        post = existing.get((opd_id, row.code))
        if post is None:
            new.append(ServicePost(opd_id=opd_id, code=row.code, **values))
        elif _changed(post, values):
            dirty.append(post)
        else:
            counts.unchanged += 1
    ServicePost.objects.bulk_create(new, batch_size=BATCH)
    ServicePost.objects.bulk_update(dirty, ["name", "min_onsite"], batch_size=BATCH)
    counts.created, counts.updated = len(new), len(dirty)
    return counts


def user_values(*, nip: str, name: str, role: str, active: bool) -> dict:
    """The login account's fields that follow from the employee record."""
    return {
        "username": nip,
        "first_name": name[:150],
        "is_active": active,
        "is_staff": role == Role.BKPSDM,
    }


def role_group_ids() -> dict[str, int]:
    """Group id per role. A migration creates the groups; one deleted by hand in the
    admin is recreated (without permissions) rather than failing every import."""
    by_name = dict(Group.objects.filter(name__in=ROLE_GROUPS.values()).values_list("name", "id"))
    for name in set(ROLE_GROUPS.values()) - set(by_name):
        by_name[name] = Group.objects.get_or_create(name=name)[0].pk
    return {role: by_name[name] for role, name in ROLE_GROUPS.items()}


def set_role_groups(user_roles: dict[int, str]) -> None:
    """Put each user in exactly the auth group of their role (other groups are kept)."""
    if not user_roles:
        return
    groups = role_group_ids()
    through = get_user_model().groups.through
    user_ids = list(user_roles)
    for chunk in chunked(user_ids):
        through.objects.filter(user_id__in=chunk, group_id__in=groups.values()).delete()
    through.objects.bulk_create(
        [through(user_id=uid, group_id=groups[role]) for uid, role in user_roles.items()],
        batch_size=BATCH,
        ignore_conflicts=True,
    )


def upsert_employees(rows: Iterable[EmployeeRow]) -> UpsertCounts:
    """Create or update employees by NIP, with their login accounts.

    New accounts get an unusable password: BKPSDM sets one in the admin or the
    person resets it. Employees missing from ``rows`` are left untouched.
    """
    rows = list(rows)
    user_model = get_user_model()
    opd_ids = dict(
        Opd.objects.filter(code__in={r.opd_code for r in rows}).values_list("code", "id")
    )
    post_ids = {
        (opd_code, code): pk
        for opd_code, code, pk in ServicePost.objects.filter(
            opd_id__in=opd_ids.values()
        ).values_list("opd__code", "code", "id")
    }
    nips = [r.nip for r in rows]
    existing: dict[str, Employee] = {}
    for chunk in chunked(nips):
        existing.update(
            (e.nip, e) for e in Employee.objects.select_related("user").filter(nip__in=chunk)
        )
    new_nips = [nip for nip in nips if nip not in existing]
    orphan_users = {}
    for chunk in chunked(new_nips):
        orphan_users.update((u.username, u) for u in user_model.objects.filter(username__in=chunk))

    counts = UpsertCounts()
    new_rows, dirty_employees, dirty_users = [], [], []
    employee_fields = {"name", "opd_id", "post_id", "wfh_eligible", "role"}
    group_changes: dict[int, str] = {}
    for row in rows:
        values = {
            "name": row.name,
            "opd_id": opd_ids[row.opd_code],
            "post_id": post_ids[(row.opd_code, row.post_code)] if row.post_code else None,
            "wfh_eligible": row.wfh_eligible,
            "role": row.role,
        }
        for column in row.optional - {"email"}:  # the e-mail is the account's
            values[column] = getattr(row, column)
            employee_fields.add(column)
        employee = existing.get(row.nip)
        if employee is None:
            new_rows.append((row, values))
            continue
        old_role = employee.role
        employee_dirty = _changed(employee, values)
        account = user_values(
            nip=row.nip, name=row.name, role=employee.role, active=employee.active
        )
        if employee.user.is_superuser:
            account.pop("is_staff")
        if "email" in row.optional:
            account["email"] = row.email
        user_dirty = _changed(employee.user, account)
        if employee_dirty:
            dirty_employees.append(employee)
        if user_dirty:
            dirty_users.append(employee.user)
        if old_role != employee.role:
            group_changes[employee.user_id] = employee.role
        if not (employee_dirty or user_dirty):
            counts.unchanged += 1

    # New accounts: one bulk insert of users (reusing a bare account with the same
    # NIP as username, e.g. made by hand in the admin), then one of employees.
    new_users = []
    for row, values in new_rows:
        account = user_values(
            nip=row.nip, name=row.name, role=row.role, active=values.get("active", True)
        )
        if "email" in row.optional:
            account["email"] = row.email
        user = orphan_users.get(row.nip)
        if user is None:
            new_users.append(user_model(password=make_password(None), **account))
        elif _changed(user, account):
            dirty_users.append(user)
    user_model.objects.bulk_create(new_users, batch_size=BATCH)
    users_by_nip = {u.username: u for u in new_users} | orphan_users

    new_employees = []
    for row, values in new_rows:
        user = users_by_nip[row.nip]
        new_employees.append(Employee(nip=row.nip, user_id=user.pk, **values))
        group_changes[user.pk] = row.role
    Employee.objects.bulk_create(new_employees, batch_size=BATCH)
    Employee.objects.bulk_update(dirty_employees, sorted(employee_fields), batch_size=BATCH)
    user_model.objects.bulk_update(
        dirty_users,
        ["username", "first_name", "is_active", "is_staff", "email"],
        batch_size=BATCH,
    )
    set_role_groups(group_changes)
    counts.created = len(new_employees)
    counts.updated = len(rows) - counts.created - counts.unchanged
    return counts


def save_employee_account(employee: Employee) -> None:
    """Create or update the login account of one employee saved outside an import.

    Used by the admin form; the employee row is saved afterwards by the caller when
    it is new (the account must exist first, the link is not nullable).
    """
    user_model = get_user_model()
    account = user_values(
        nip=employee.nip, name=employee.name, role=employee.role, active=employee.active
    )
    if employee.user_id:
        user = employee.user
        if user.is_superuser:
            account.pop("is_staff")
        if _changed(user, account):
            user.save(update_fields=list(account))
    else:
        user, created = user_model.objects.get_or_create(
            username=employee.nip, defaults={"password": make_password(None), **account}
        )
        if not created and _changed(user, account):
            user.save(update_fields=list(account))
        employee.user = user
    set_role_groups({employee.user_id: employee.role})
