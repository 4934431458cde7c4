from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpdConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "opd"
    verbose_name = _("Organisasi")

    def ready(self):
        from .admin_hardening import install

        install()
