from django.db import migrations

from opd.roles import grant_bkpsdm


def bkpsdm_permissions(apps, schema_editor):
    # The TPP deduction table is BKPSDM's to read and set, like the attendance rules
    # (0002); it is one row, never added or deleted.
    grant_bkpsdm(apps, "attendance", ["view_tpprules", "change_tpprules"])


class Migration(migrations.Migration):
    dependencies = [
        ("attendance", "0010_absent_days_index"),
        ("opd", "0002_role_groups"),
    ]

    operations = [migrations.RunPython(bkpsdm_permissions, migrations.RunPython.noop)]
