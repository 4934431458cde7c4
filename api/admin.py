"""BKPSDM creates API keys here; the secret is shown once, after saving."""

from django import forms
from django.contrib import admin, messages
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import ApiKey, ApiRequest, Scope


class ApiKeyForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        label=_("Cakupan"),
        choices=Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Yang boleh dibaca atau dikirim dengan kunci ini."),
    )

    class Meta:
        model = ApiKey
        fields = ("name", "scopes", "opd")


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    form = ApiKeyForm
    list_display = ("name", "prefix", "scope_list", "opd", "active", "last_used_at", "created_at")
    list_filter = ("active",)
    search_fields = ("name", "prefix")
    readonly_fields = ("prefix", "active", "revoked_at", "created_by", "created_at", "last_used_at")
    actions = ["revoke"]

    def get_fields(self, request, obj=None):
        # A new key has no prefix, use or revocation yet: only what BKPSDM chooses.
        return super().get_fields(request, obj) if obj else ["name", "scopes", "opd"]

    @admin.display(description=_("cakupan"))
    def scope_list(self, obj):
        return ", ".join(obj.scopes)

    def save_model(self, request, obj, form, change):
        secret = None
        if not change:
            obj.created_by = request.user
            secret = obj.new_secret()
        super().save_model(request, obj, form, change)
        if secret:
            messages.warning(
                request,
                format_html(
                    "{} <code>{}</code><br>{}",
                    _("Kunci API untuk {name}:").format(name=obj.name),
                    secret,
                    _(
                        "Salin sekarang dan serahkan lewat jalur aman: kunci ini tidak akan "
                        "ditampilkan lagi (yang disimpan hanya hash-nya)."
                    ),
                ),
            )

    @admin.action(description=_("Cabut kunci API terpilih"), permissions=["change"])
    def revoke(self, request, queryset):
        count = 0
        for key in queryset.filter(active=True):
            key.revoke()
            count += 1
        self.message_user(
            request,
            ngettext("%(n)d kunci API dicabut.", "%(n)d kunci API dicabut.", count) % {"n": count},
        )

    def has_delete_permission(self, request, obj=None):
        # Revoked, not deleted: the log keeps naming the key.
        return False


@admin.register(ApiRequest)
class ApiRequestAdmin(admin.ModelAdmin):
    list_display = ("at", "key_name", "method", "path", "status")
    list_filter = ("status", "method")
    search_fields = ("key_name", "path")
    date_hierarchy = "at"
    readonly_fields = ("at", "key_name", "method", "path", "status")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
