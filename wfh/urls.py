from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from opd.forms import NipAuthenticationForm
from scheduling.admin import import_dataset_view, import_example_view
from scheduling.admin_jobs import automatic_jobs_view

from . import pwa
from .views import home

handler400 = "wfh.views.bad_request"
handler500 = "wfh.views.server_error"

urlpatterns = [
    path("", home, name="home"),
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("sw.js", pwa.service_worker, name="service-worker"),
    path("offline/", pwa.offline, name="offline"),
    path("", include("opd.urls")),
    path("", include("scheduling.urls")),
    path("", include("attendance.urls")),
    path("", include("notifications.urls")),
    path("", include("evaluation.urls")),
    path("api/v1/", include("api.urls")),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=NipAuthenticationForm),
        name="login",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/impor-dataset/", admin.site.admin_view(import_dataset_view), name="import-dataset"),
    path(
        "admin/impor-dataset/contoh/<str:name>",
        admin.site.admin_view(import_example_view),
        name="import-example",
    ),
    path(
        "admin/tugas-otomatis/", admin.site.admin_view(automatic_jobs_view), name="automatic-jobs"
    ),
    path("admin/", admin.site.urls),
]
