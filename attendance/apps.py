from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AttendanceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "attendance"
    verbose_name = _("Presensi")

    def ready(self):
        from scheduling.signals import days_changed

        from . import receivers

        days_changed.connect(receivers.days_changed, dispatch_uid="attendance-coverage")
