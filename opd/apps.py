from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpdConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "opd"
    verbose_name = _("Organisasi")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .admin_hardening import install
        from .auth import set_session_lifetime

        install()
        user_logged_in.connect(set_session_lifetime, dispatch_uid="opd.session_lifetime")
