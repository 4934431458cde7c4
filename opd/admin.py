from django.contrib import admin, messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import CostSettings, Employee, MonthlyCost, Opd, ServicePost
from .services import save_employee_account


class ReadOnlyAdmin(admin.ModelAdmin):
    """A list BKPSDM reads and filters but never edits: records written by a service
    (the change log, requests, swaps, coverage alerts), whose decisions go through the
    pages and their checks, not through a raw edit form."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def person_name(user) -> str:
    """A login account as people know it: the employee's name (kept in ``first_name``
    by ``opd.services``), the username (a NIP) only when there is no name."""
    if user is None:
        return "-"
    return user.get_full_name() or user.get_username()


def person_with_nip(user):
    """The name, with the NIP as a secondary line (change forms)."""
    if user is None:
        return "-"
    name = user.get_full_name()
    if not name:
        return user.get_username()
    return format_html("{}<br><small>{} {}</small>", name, _("NIP"), user.get_username())


def person_column(field: str, description, *, with_nip: bool = False):
    """An admin column or read-only field showing the person in ``field`` by name
    (select_related the field on lists: the name is on the account row itself)."""
    show = person_with_nip if with_nip else person_name

    @admin.display(description=description, ordering=f"{field}__first_name")
    def column(self, obj):
        return show(getattr(obj, field))

    return column


class PersonListFilter(admin.RelatedOnlyFieldListFilter):
    """Filter on a login account by the person's name (the default lists usernames,
    which are NIPs)."""

    def field_choices(self, field, request, model_admin):
        from django.contrib.auth import get_user_model

        used = (
            model_admin.get_queryset(request)
            .distinct()
            .values_list(f"{self.field_path}__pk", flat=True)
        )
        users = get_user_model().objects.filter(pk__in=used).order_by("first_name", "username")
        return [(user.pk, person_name(user)) for user in users]


admin.site.site_header = _("Admin BKPSDM · WFH ASN")
admin.site.site_title = _("Admin BKPSDM")
admin.site.index_title = _("Pengelolaan jadwal dan presensi")


class ServicePostInline(admin.TabularInline):
    model = ServicePost
    extra = 0
    fields = ("code", "name", "min_onsite")


@admin.register(Opd)
class OpdAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "essential", "geofence_radius_m", "monthly_operating_cost")
    list_filter = ("essential",)
    search_fields = ("code", "name")
    inlines = [ServicePostInline]
    fieldsets = (
        (None, {"fields": ("code", "name", "essential")}),
        (_("Lokasi kantor"), {"fields": ("office_lat", "office_lon", "geofence_radius_m")}),
        (_("Biaya"), {"fields": ("monthly_operating_cost", "fixed_cost_share_percent")}),
    )

    def get_readonly_fields(self, request, obj=None):
        return ("code",) if obj else ()


@admin.register(ServicePost)
class ServicePostAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "opd", "min_onsite")
    list_filter = ("opd__essential", "opd")
    list_select_related = ("opd",)
    search_fields = ("code", "name", "opd__code", "opd__name")
    autocomplete_fields = ("opd",)


@admin.register(Employee)
class EmployeeAdmin(admin.ModelAdmin):
    list_display = ("nip", "name", "opd", "post", "role", "wfh_eligible", "active")
    list_filter = ("role", "wfh_eligible", "active", "opd__essential", "opd")
    list_select_related = ("opd", "post")
    search_fields = ("nip", "name")
    autocomplete_fields = ("opd", "post")
    exclude = ("user",)
    readonly_fields = ("password_link",)
    list_per_page = 100

    def get_readonly_fields(self, request, obj=None):
        return ("nip", "password_link") if obj else ()

    @admin.display(description=_("Kata sandi"))
    def password_link(self, obj):
        url = reverse("admin:opd_employee_password", args=[obj.pk])
        return format_html('<a class="button" href="{}">{}</a>', url, _("Atur kata sandi"))

    def save_model(self, request, obj, form, change):
        # The login account follows the employee record (NIP, role, active flag).
        save_employee_account(obj)
        super().save_model(request, obj, form, change)

    def get_urls(self):
        return [
            path(
                "<int:object_id>/password/",
                self.admin_site.admin_view(self.set_password_view),
                name="opd_employee_password",
            ),
            *super().get_urls(),
        ]

    def set_password_view(self, request, object_id):
        """Give an employee a password (new accounts start without a usable one)."""
        employee = get_object_or_404(Employee.objects.select_related("user"), pk=object_id)
        if not self.has_change_permission(request, employee):
            raise PermissionDenied
        if employee.user.is_superuser and not request.user.is_superuser:
            raise PermissionDenied
        form = AdminPasswordChangeForm(employee.user, request.POST or None)
        if request.method == "POST" and form.is_valid():
            form.save()
            if employee.user_id == request.user.pk:
                update_session_auth_hash(request, form.user)
            self.log_change(request, employee, _("Kata sandi diatur."))
            messages.success(request, _("Kata sandi %(nip)s sudah diatur.") % {"nip": employee.nip})
            return redirect("admin:opd_employee_change", employee.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Atur kata sandi %(name)s") % {"name": employee.name},
            "form": form,
            "employee": employee,
            "opts": self.opts,
            "original": employee,
        }
        return TemplateResponse(request, "admin/opd/employee/set_password.html", context)


@admin.register(CostSettings)
class CostSettingsAdmin(admin.ModelAdmin):
    list_display = ("__str__", "fixed_share_percent", "target_low_percent", "target_high_percent")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MonthlyCost)
class MonthlyCostAdmin(admin.ModelAdmin):
    list_display = ("opd", "month", "amount")
    list_filter = ("month", "opd__essential")
    list_select_related = ("opd",)
    search_fields = ("opd__code", "opd__name")
    autocomplete_fields = ("opd",)
    date_hierarchy = "month"
