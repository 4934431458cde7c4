from django.db import migrations

from opd.roles import grant_bkpsdm


def bkpsdm_permissions(apps, schema_editor):
    grant_bkpsdm(
        apps, "api", ["view_apikey", "add_apikey", "change_apikey", "view_apirequest"]
    )


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0001_initial"),
        ("opd", "0002_role_groups"),
    ]

    operations = [migrations.RunPython(bkpsdm_permissions, migrations.RunPython.noop)]
