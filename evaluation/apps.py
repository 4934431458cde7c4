from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    """Decide and evaluate: savings, fairness and discipline read from rosters and
    check-ins. It sits above ``opd``, ``scheduling`` and ``attendance``, which never
    import it."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "evaluation"
    verbose_name = _("Evaluasi")

    def ready(self):
        from scheduling.signals import days_changed, rosters_decided

        from . import receivers

        days_changed.connect(receivers.days_changed, dispatch_uid="evaluation-days")
        rosters_decided.connect(receivers.rosters_decided, dispatch_uid="evaluation-rosters")
