from django.urls import path

from . import feed_views, request_views, swap_views, views

app_name = "scheduling"
urlpatterns = [
    path("jadwal/", views.my_schedule, name="my-schedule"),
    path("roster/", views.roster_index, name="roster-index"),
    # The person's own calendar feed (the .ics itself is attendance:calendar-ics).
    path("kalender/", feed_views.calendar_feed, name="calendar-feed"),
    path("kalender/aktifkan/", feed_views.calendar_feed_on, name="calendar-feed-on"),
    path("kalender/matikan/", feed_views.calendar_feed_off, name="calendar-feed-off"),
    # Swaps (before roster-week, whose <week> would otherwise take "tukar").
    path("tukar/", swap_views.swaps, name="swaps"),
    path("tukar/<int:pk>/jawab/", swap_views.swap_answer, name="swap-answer"),
    path("tukar/<int:pk>/batal/", swap_views.swap_cancel, name="swap-cancel"),
    path("roster/<str:code>/tukar/", swap_views.opd_swaps, name="opd-swaps"),
    path(
        "roster/<str:code>/tukar/<int:pk>/putuskan/",
        swap_views.opd_swap_decide,
        name="opd-swap-decide",
    ),
    # Requests (before roster-week, whose <week> would otherwise take "permohonan").
    path("permohonan/", request_views.my_requests, name="requests"),
    path("permohonan/<int:pk>/batal/", request_views.request_cancel, name="request-cancel"),
    path(
        "permohonan/<int:pk>/lampiran/",
        request_views.request_attachment,
        name="request-attachment",
    ),
    path("roster/<str:code>/permohonan/", request_views.opd_requests, name="opd-requests"),
    path(
        "roster/<str:code>/permohonan/<int:pk>/putuskan/",
        request_views.opd_request_decide,
        name="opd-request-decide",
    ),
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
