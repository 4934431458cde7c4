from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class NipAuthenticationForm(AuthenticationForm):
    """Django's login form, labelled for a NIP and friendly to phone keyboards."""

    username = forms.CharField(
        label=_("NIP"),
        max_length=40,
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "username", "inputmode": "numeric"}
        ),
    )
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "NIP atau kata sandi salah. Setelah 5 kali gagal, akun dikunci selama 30 menit."
        ),
    }
