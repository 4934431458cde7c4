"""Auth groups that mirror the roles, for the admin's permission system.

Used by migrations (with the historical app registry), so it must not import models.
"""

from django.contrib.auth.management import create_permissions

BKPSDM_GROUP = "BKPSDM"
HEAD_GROUP = "Kepala OPD"
ASN_GROUP = "ASN"


def grant_bkpsdm(apps, app_label: str, codenames: list[str]) -> None:
    """Give the BKPSDM group these permissions of one app (creating the group and the
    permissions if the post-migrate signal has not run yet)."""
    app_config = apps.get_app_config(app_label)
    # Historical app configs have no models module; create_permissions needs a truthy one.
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    group, _ = group_model.objects.get_or_create(name=BKPSDM_GROUP)
    group.permissions.add(
        *permission_model.objects.filter(content_type__app_label=app_label, codename__in=codenames)
    )
