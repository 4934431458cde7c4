from django.db import migrations
from django.utils.translation import gettext as _

NO_OVERLAP = (
    "ALTER TABLE scheduling_leave ADD CONSTRAINT leave_periods_do_not_overlap "
    "EXCLUDE USING gist (employee_id WITH =, daterange(start, \"end\", '[]') WITH &&)"
)
OVERLAPS = """
    SELECT e.nip, a.start, a."end", b.start, b."end"
    FROM scheduling_leave a
    JOIN scheduling_leave b
      ON b.employee_id = a.employee_id AND b.id > a.id
     AND b.start <= a."end" AND a.start <= b."end"
    JOIN opd_employee e ON e.id = a.employee_id
    ORDER BY e.nip, a.start, b.start
    LIMIT 20
"""


def leave_no_overlap(apps, schema_editor):
    # One employee's leaves may not share a day (Leave.clean() says so on every
    # database). PostgreSQL can also forbid it in the database, which stops two
    # concurrent writers that each passed the check; employee_id needs btree_gist.
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(OVERLAPS)
        clashes = cursor.fetchall()
    if clashes:
        # Which of two overlapping leaves is right is a person's decision, not ours.
        listed = "\n".join(
            f"  {nip}: {a:%d-%m-%Y} s.d. {b:%d-%m-%Y} / {c:%d-%m-%Y} s.d. {d:%d-%m-%Y}"
            for nip, a, b, c, d in clashes
        )
        raise RuntimeError(
            _(
                "Ada cuti yang tumpang tindih untuk pegawai yang sama (paling banyak 20 "
                "ditampilkan):\n{listed}\nUbah atau hapus salah satunya di admin (Cuti), "
                "lalu jalankan migrate lagi."
            ).format(listed=listed)
        )
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    schema_editor.execute(NO_OVERLAP)


def drop_leave_no_overlap(apps, schema_editor):
    # btree_gist stays: other objects may have come to rely on it.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE scheduling_leave DROP CONSTRAINT leave_periods_do_not_overlap"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("scheduling", "0002_policy_no_overlap_bkpsdm_beat"),
    ]

    operations = [
        migrations.RunPython(leave_no_overlap, drop_leave_no_overlap),
    ]
