from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "api"
    verbose_name = _("Integrasi (API)")

    def ready(self):
        # The OpenAPI description of the key header (drf-spectacular finds extensions
        # by import).
        from . import schema  # noqa: F401
