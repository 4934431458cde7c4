from django.db import migrations

from opd.roles import ASN_GROUP, HEAD_GROUP, grant_bkpsdm


def create_groups(apps, schema_editor):
    group_model = apps.get_model("auth", "Group")
    for name in (ASN_GROUP, HEAD_GROUP):
        group_model.objects.get_or_create(name=name)
    grant_bkpsdm(
        apps,
        "opd",
        [
            f"{action}_{model}"
            for model in ("opd", "servicepost", "employee")
            for action in ("view", "add", "change", "delete")
        ],
    )
    grant_bkpsdm(apps, "axes", ["view_accessattempt", "view_accesslog", "delete_accessattempt"])


class Migration(migrations.Migration):
    dependencies = [
        ("opd", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("axes", "0010_accessattemptexpiration"),
    ]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
