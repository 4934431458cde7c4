from django.urls import path

from . import views

app_name = "scheduling"
urlpatterns = [
    path("jadwal/", views.my_schedule, name="my-schedule"),
    path("roster/", views.roster_index, name="roster-index"),
    path("roster/<str:code>/<str:week>/", views.roster_week, name="roster-week"),
    path("roster/<str:code>/<str:week>/ubah/", views.roster_adjust, name="roster-adjust"),
    path("roster/<str:code>/<str:week>/ajukan/", views.roster_submit, name="roster-submit"),
    path(
        "roster/<str:code>/<str:week>/unduh.csv",
        views.roster_download,
        {"fmt": "csv"},
        name="roster-csv",
    ),
    path(
        "roster/<str:code>/<str:week>/unduh.xlsx",
        views.roster_download,
        {"fmt": "xlsx"},
        name="roster-xlsx",
    ),
]
