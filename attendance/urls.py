from django.urls import path

from . import ical, views

app_name = "attendance"
urlpatterns = [
    path("presensi/", views.check_in, name="check-in"),
    # Public by design: the token is the credential (scheduling.feeds).
    path("kalender/<str:token>.ics", ical.calendar_feed, name="calendar-ics"),
    path("presensi/riwayat/", views.my_attendance, name="mine"),
    path("presensi/riwayat/<int:pk>/laporan/", views.resubmit, name="resubmit"),
    path("presensi/opd/", views.opd_index, name="opd-index"),
    path("presensi/opd/<str:code>/", views.opd_day, name="opd-today"),
    path("presensi/opd/<str:code>/laporan/<int:pk>/", views.review, name="review"),
    path("presensi/opd/<str:code>/laporan/terima/", views.accept_reports, name="accept-reports"),
    path("presensi/opd/<str:code>/panggil/", views.recall, name="recall"),
    path("presensi/opd/<str:code>/rekap/<str:month>/", views.recap, name="recap"),
    path(
        "presensi/opd/<str:code>/rekap/<str:month>/unduh.csv",
        views.recap,
        {"fmt": "csv"},
        name="recap-csv",
    ),
    path(
        "presensi/opd/<str:code>/rekap/<str:month>/unduh.xlsx",
        views.recap,
        {"fmt": "xlsx"},
        name="recap-xlsx",
    ),
]
