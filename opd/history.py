"""A row written together with its django-simple-history record, in one statement.

``save()`` on a model with ``HistoricalRecords`` runs the write, then simple-history's
``post_save`` handler, which builds a history manager class, a history instance and its
own ``INSERT``: two round trips and about 2 ms of Python per row. A head's adjustment
(issue 9: checked and stored in 50 ms for an OPD of 1,000) writes two such rows. On
PostgreSQL ``save_with_history`` sends ``WITH w AS (UPDATE/INSERT ... RETURNING *)
INSERT INTO <history> SELECT ... FROM w``: the record holds exactly the columns the row
now has, as simple-history's would. Elsewhere it is ``save()`` with the history's user
and reason, so both paths write the same record.

The project registers no receiver of simple-history's ``pre_``/``post_create_historical_record``
signals, which this path does not send.

``change_reason`` fits a reason to the history's column (100 characters, simple-history's
default): every writer of a history record passes its reason through it, since a longer
one (a rejection's reason, a long name) made PostgreSQL refuse the whole write.
"""

from functools import cache

from django.db import DatabaseError, connection
from django.utils import timezone

from .db import placeholders

# The history columns simple-history fills itself rather than copying them from the row.
_OWN = ("history_date", "history_type", "history_user_id", "history_change_reason")


def change_reason(model, text: str) -> str:
    """``text`` as a change reason in ``model``'s history: cut to what its column holds,
    with an ellipsis."""
    limit = model.history.model._meta.get_field("history_change_reason").max_length
    return text if limit is None or len(text) <= limit else text[: limit - 1] + "\u2026"


@cache
def _history_of(model) -> tuple[str, str]:
    """The history table of ``model`` and the columns it copies from the row, quoted."""
    history, quote = model.history.model, connection.ops.quote_name
    kept = {field.column for field in model._meta.concrete_fields}
    copied = [quote(f.column) for f in history._meta.concrete_fields if f.column in kept]
    return quote(history._meta.db_table), ", ".join(copied)


def save_with_history(instance, fields: list[str] | None, *, user, reason: str) -> None:
    """Write ``instance`` and its history record (``user``, ``reason``): an ``INSERT``
    of every field when it has no primary key yet, else an ``UPDATE`` of ``fields``
    (None: every field). A row that no longer exists is a ``DatabaseError``, as
    ``save(update_fields=...)`` makes it."""
    model = type(instance)
    adding = instance.pk is None
    reason = change_reason(model, reason)
    if connection.vendor != "postgresql":
        instance._history_user, instance._change_reason = user, reason
        instance.save(update_fields=None if adding else fields, force_update=not adding)
        return
    meta = model._meta
    written = [
        f
        for f in meta.concrete_fields
        if not f.primary_key
        and (adding or fields is None or f.name in fields or f.attname in fields)
    ]
    values = [f.get_db_prep_save(f.pre_save(instance, adding), connection) for f in written]
    quote = connection.ops.quote_name
    table, pk = quote(meta.db_table), quote(meta.pk.column)
    columns = [quote(f.column) for f in written]
    # Only the models' table and column names are joined in; every value is bound.
    if adding:
        marks = placeholders(len(values))
        write = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608
        history_type = "+"
    else:
        sets = ", ".join(f"{column} = %s" for column in columns)
        write = f"UPDATE {table} SET {sets} WHERE {pk} = %s"  # noqa: S608
        values.append(instance.pk)
        history_type = "~"
    history_table, copied = _history_of(model)
    own = ", ".join(quote(c) for c in _OWN)
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH w AS ({write} RETURNING *) "  # noqa: S608
            f"INSERT INTO {history_table} ({copied}, {own}) "
            f"SELECT {copied}, %s, %s, %s, %s FROM w RETURNING {pk}",
            [*values, timezone.now(), history_type, getattr(user, "pk", user), reason],
        )
        found = cursor.fetchone()
    if found is None:
        raise DatabaseError("Save with update_fields did not affect any rows.")
    if adding:
        instance.pk = found[0]
    instance._state.adding, instance._state.db = False, connection.alias
