from django.db import migrations

from opd.roles import grant_bkpsdm


def bkpsdm_permissions(apps, schema_editor):
    # The savings settings (one row) and the monthly bills per OPD are BKPSDM's.
    grant_bkpsdm(
        apps,
        "opd",
        ["view_costsettings", "change_costsettings"]
        + [f"{action}_monthlycost" for action in ("view", "add", "change", "delete")],
    )


class Migration(migrations.Migration):
    dependencies = [("opd", "0003_savings_settings")]

    operations = [migrations.RunPython(bkpsdm_permissions, migrations.RunPython.noop)]
