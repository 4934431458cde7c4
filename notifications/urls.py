from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("notifikasi/", views.notice_list, name="list"),
    path("notifikasi/baca-semua/", views.mark_all_read, name="mark-all-read"),
    path("notifikasi/pengingat/", views.reminders, name="reminders"),
]
