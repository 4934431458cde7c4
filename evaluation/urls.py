from django.urls import path

from . import views

app_name = "evaluation"
urlpatterns = [
    path("beranda/", views.home_page, name="home"),
    path("evaluasi/penghematan/", views.savings_page, name="savings"),
    path("evaluasi/keadilan/", views.fairness_index, name="fairness"),
    path("evaluasi/disiplin/", views.discipline_page, name="discipline"),
    path("evaluasi/disiplin/tangga/", views.ladder_page, name="ladder"),
    path("evaluasi/tpp/<str:month>/unduh.csv", views.tpp_download, {"fmt": "csv"}, name="tpp-csv"),
    path(
        "evaluasi/tpp/<str:month>/unduh.xlsx",
        views.tpp_download,
        {"fmt": "xlsx"},
        name="tpp-xlsx",
    ),
    path("evaluasi/kajian/", views.scenario_list, name="scenarios"),
    path("evaluasi/kajian/banding/", views.scenario_compare, name="scenario-compare"),
    path("evaluasi/kajian/<int:pk>/", views.scenario_page, name="scenario"),
    path("evaluasi/kajian/<int:pk>/unduh.xlsx", views.scenario_xlsx, name="scenario-xlsx"),
    path("evaluasi/keadilan/<str:code>/", views.fairness_opd, name="fairness-opd"),
]
