"""Writers of the scheduling app. ``import_dataset`` loads a whole dataset at once."""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from opd import importing as org
from opd.models import Opd, ServicePost
from opd.services import UpsertCounts, upsert_employees, upsert_opds, upsert_posts

DATASET_FILES = ("opds.csv", "posts.csv", "employees.csv")


@dataclass
class ImportReport:
    dry_run: bool
    errors: list[org.RowError] = field(default_factory=list)
    counts: dict[str, UpsertCounts] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


class _DryRunRollback(Exception):
    pass


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

    ``files`` maps file names (``opds.csv``, ``posts.csv``, ``employees.csv``) to their
    bytes; any subset may be given, references to rows not in the files are checked
    against the database. With errors nothing is written and ``report.errors`` lists
    each bad row. ``dry_run`` performs the whole import in a transaction that is rolled
    back, so the counts are exactly what a real run would do.
    """
    report = ImportReport(dry_run=dry_run)
    tables: dict[str, org.Table | None] = {}
    for name, columns in (
        ("opds.csv", org.OPD_COLUMNS),
        ("posts.csv", org.POST_COLUMNS),
        ("employees.csv", org.EMPLOYEE_COLUMNS),
    ):
        if name in files:
            tables[name], errors = org.read_table(name, files[name], columns)
            report.errors.extend(errors)

    try:
        with transaction.atomic():
            opd_rows, post_rows, employee_rows = [], [], []
            opd_codes = set(Opd.objects.values_list("code", flat=True)) | _raw_values(
                tables.get("opds.csv"), "code"
            )
            post_keys = set(ServicePost.objects.values_list("opd__code", "code")) | _raw_values(
                tables.get("posts.csv"), "opd_code", "code"
            )
            if tables.get("opds.csv"):
                opd_rows, errors = org.parse_opds(tables["opds.csv"])
                report.errors.extend(errors)
            if tables.get("posts.csv"):
                post_rows, errors = org.parse_posts(tables["posts.csv"], opd_codes=opd_codes)
                report.errors.extend(errors)
            if tables.get("employees.csv"):
                employee_rows, errors = org.parse_employees(
                    tables["employees.csv"], opd_codes=opd_codes, post_keys=post_keys
                )
                report.errors.extend(errors)
            if report.errors:
                return report

            if "opds.csv" in tables:
                report.counts["opds.csv"] = upsert_opds(opd_rows)
            if "posts.csv" in tables:
                report.counts["posts.csv"] = upsert_posts(post_rows)
            if "employees.csv" in tables:
                report.counts["employees.csv"] = upsert_employees(employee_rows)
            if dry_run:
                raise _DryRunRollback
    except _DryRunRollback:
        pass
    return report


def describe_counts(counts: UpsertCounts) -> str:
    return _("dibuat {created}, diperbarui {updated}, tidak berubah {unchanged}").format(
        created=counts.created, updated=counts.updated, unchanged=counts.unchanged
    )
