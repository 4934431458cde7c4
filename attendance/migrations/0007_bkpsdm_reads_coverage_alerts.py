from django.db import migrations

from opd.roles import grant_bkpsdm


def bkpsdm_permissions(apps, schema_editor):
    grant_bkpsdm(apps, "attendance", ["view_coveragealert"])


class Migration(migrations.Migration):
    dependencies = [
        ("attendance", "0006_coverage_check_schedule"),
        ("opd", "0002_role_groups"),
    ]

    operations = [migrations.RunPython(bkpsdm_permissions, migrations.RunPython.noop)]
