from django.db import migrations

from opd.roles import grant_bkpsdm


def bkpsdm_permissions(apps, schema_editor):
    # BKPSDM reads the change log, swaps and requests in the admin (decisions go
    # through the pages and their services, never through a raw edit form).
    grant_bkpsdm(
        apps,
        "scheduling",
        ["view_rosterchange", "view_swap", "view_dayrequest", "view_rosterpin"],
    )


class Migration(migrations.Migration):
    dependencies = [
        ("scheduling", "0008_policy_approval_required"),
        ("opd", "0002_role_groups"),
    ]

    operations = [migrations.RunPython(bkpsdm_permissions, migrations.RunPython.noop)]
