from django.db import migrations

from opd.roles import grant_bkpsdm

NO_OVERLAP = (
    "ALTER TABLE scheduling_policy ADD CONSTRAINT policy_periods_do_not_overlap "
    "EXCLUDE USING gist (daterange(start, \"end\", '[]') WITH &&)"
)


def policy_no_overlap(apps, schema_editor):
    # Two policies on the same day would make the roster ambiguous. PostgreSQL can
    # forbid that in the database; elsewhere the model form and the import check it.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(NO_OVERLAP)


def drop_policy_no_overlap(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE scheduling_policy DROP CONSTRAINT policy_periods_do_not_overlap"
        )


def bkpsdm_permissions(apps, schema_editor):
    crud = ("view", "add", "change", "delete")
    grant_bkpsdm(
        apps,
        "scheduling",
        [f"{a}_{m}" for m in ("policy", "holiday", "leave") for a in crud]
        + ["view_roster", "change_roster", "view_historicalroster", "view_rosterbuild",
           "add_rosterbuild", "view_rosterentry"],
    )
    grant_bkpsdm(
        apps,
        "django_celery_beat",
        [f"{a}_{m}" for m in ("periodictask", "crontabschedule") for a in crud],
    )


def weekly_build_schedule(apps, schema_editor):
    """Build next week's rosters every Thursday at 20:00 WIB (editable in the admin)."""
    crontab_model = apps.get_model("django_celery_beat", "CrontabSchedule")
    task_model = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = crontab_model.objects.get_or_create(
        minute="0", hour="20", day_of_week="4", day_of_month="*", month_of_year="*",
        timezone="Asia/Jakarta",
    )
    task_model.objects.get_or_create(
        name="Bangun roster minggu depan",
        defaults={"task": "scheduling.tasks.build_next_week", "crontab": crontab},
    )


class Migration(migrations.Migration):
    dependencies = [
        ("scheduling", "0001_initial"),
        ("opd", "0002_role_groups"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.RunPython(policy_no_overlap, drop_policy_no_overlap),
        migrations.RunPython(bkpsdm_permissions, migrations.RunPython.noop),
        migrations.RunPython(weekly_build_schedule, migrations.RunPython.noop),
    ]
