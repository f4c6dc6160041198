from django.urls import path

from coaching.pulse import views

# Included from coaching/urls.py under "pulse/", so the names live in the `coaching` namespace.
urlpatterns = [
    path("", views.pulse_home, name="pulse-home"),
    path("schedule/", views.pulse_schedule, name="pulse-schedule"),
    path("<id:pk>/", views.pulse_detail, name="pulse-detail"),
    path("<id:pk>/answer/", views.pulse_answer, name="pulse-answer"),
    path("<id:pk>/actions/", views.action_add, name="pulse-action-add"),
    path("actions/<id:pk>/done/", views.action_done, name="pulse-action-done"),
    path("series/<id:pk>/", views.series_detail, name="pulse-series"),
    path("series/<id:pk>/stop/", views.series_stop, name="pulse-series-stop"),
    path("rollups/<id:pk>/", views.rollup_detail, name="pulse-rollup"),
]
