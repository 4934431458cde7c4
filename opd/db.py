"""Database housekeeping shared by every app (opd is the bottom app: opd <- scheduling
<- attendance).

Planner statistics after bulk writes are the product's job: a Pemda server may run
with autovacuum off, and a query planned on a table PostgreSQL believes empty can take
minutes instead of a second (issue 8: the week export after a build).
"""

import logging

from django.db import DEFAULT_DB_ALIAS, connections, models, transaction

logger = logging.getLogger(__name__)

# autovacuum_analyze_threshold and autovacuum_analyze_scale_factor, PostgreSQL's
# defaults: a table is due once this many rows changed since its last ANALYZE.
ANALYZE_THRESHOLD = 50
ANALYZE_SCALE_FACTOR = 0.1


def placeholders(count: int) -> str:
    """``%s, %s, ...``: ``count`` parameter marks for a statement written out by hand
    (every value stays bound)."""
    return ", ".join(["%s"] * count)


def in_clause(column: str, values) -> tuple[str, list]:
    """`` AND column IN (%s, ...)`` and its parameters for ``values``; nothing at all for
    None (no filter: every OPD, say). An empty list matches nothing."""
    if values is None:
        return "", []
    values = list(values) or [0]
    return f" AND {column} IN ({placeholders(len(values))})", values


def analyze(*models, using: str = DEFAULT_DB_ALIAS) -> None:
    """``ANALYZE`` the tables of ``models`` that the current writes made stale, once the
    transaction has committed. PostgreSQL only; a no-op elsewhere.

    Called inside a transaction, it counts the rows this transaction changed
    (``pg_stat_xact_user_tables``) plus those changed since the table's last analysis,
    and picks the tables past autovacuum's own rule (50 rows + 10 % of the table, or
    never analysed); the ``ANALYZE`` runs after the commit as its own statement. Not
    inside the transaction: there it would hold a SHARE UPDATE EXCLUSIVE lock on the
    table until the end of the build, serialising concurrent builds of other OPDs, and
    a rolled-back build would leave the new row count in ``pg_class`` behind. A
    rolled-back transaction (a dry-run import) analyses nothing.

    Called outside a transaction, it analyses every given table at once.
    """
    connection = connections[using]
    tables = list(dict.fromkeys(model._meta.db_table for model in models))
    if connection.vendor != "postgresql" or not tables:
        return
    if not connection.in_atomic_block:
        _run(connection, tables)
        return
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.relname
            FROM pg_class c
            LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid
            LEFT JOIN pg_stat_xact_user_tables x ON x.relid = c.oid
            WHERE c.oid = ANY(%s::regclass[])
              AND (c.reltuples < 0
                   OR coalesce(s.n_mod_since_analyze, 0) + coalesce(x.n_tup_ins, 0)
                      + coalesce(x.n_tup_upd, 0) + coalesce(x.n_tup_del, 0)
                      > %s + %s * c.reltuples)
            """,
            [tables, ANALYZE_THRESHOLD, ANALYZE_SCALE_FACTOR],
        )
        stale = {name for (name,) in cursor.fetchall()}
    due = [table for table in tables if table in stale]
    if due:
        transaction.on_commit(lambda: _run(connection, due), using=using, robust=True)


def _run(connection, tables: list[str]) -> None:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {', '.join(quote(t) for t in tables)}")
    logger.debug("analysed %s", ", ".join(tables))


class RowBoundJSONField(models.JSONField):
    """A ``JSONField`` whose bulk inserts bind one value per row.

    On PostgreSQL Django 5.2 bulk-inserts through ``UNNEST`` of one array per column,
    and with its client-side binding the JSON column's array literal is written out in
    Python, with a regular-expression substitution per double quote. For a week's 1,000
    rosters, whose fairness balances hold 100,000 keys, and their history rows, that
    took 0.56-0.59 s of a 100,000-employee build instead of 0.32-0.38 s. A field with a
    placeholder opts its model's bulk inserts out of ``UNNEST`` (Django's own rule), so
    the rows go in as ``VALUES`` with one JSON parameter each. Nothing else changes:
    the placeholder is the default one and the column is the same ``jsonb``."""

    def get_placeholder(self, value, compiler, connection):
        return "%s"
