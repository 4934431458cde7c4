from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchedulingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "scheduling"
    verbose_name = _("Jadwal WFH/WFO")

    def ready(self):
        from django.db.models.signals import pre_delete

        from opd.models import Employee

        from . import receivers

        pre_delete.connect(
            receivers.employee_waits_for_builds,
            sender=Employee,
            dispatch_uid="scheduling.employee_waits_for_builds",
        )
