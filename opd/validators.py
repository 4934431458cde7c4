"""Password rules beyond Django's own."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class NotNipPasswordValidator:
    """Refuse a password that contains the user's NIP: it is printed on every ID card."""

    def validate(self, password, user=None):
        nip = getattr(user, "username", "") or ""
        if nip and nip in password:
            raise ValidationError(
                _("Kata sandi tidak boleh memuat NIP Anda."), code="password_contains_nip"
            )

    def get_help_text(self):
        return _("Kata sandi tidak boleh memuat NIP Anda.")
